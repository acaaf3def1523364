"""The station's quarantine: facts refused at its door, kept aside and reported.

A fact that fails station/core/fact_check.py never enters the log (so it is
never folded and cannot stop a pickup); it is stored here with its named
reason so that the Station tab and the supervisors can see it. The station's
own facts that the hub refused are kept here too (origin 'refused_by_hub'):
they stay in the log but are not offered to the hub again.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from station.core.models import Fact

RECEIVED = "received"
REFUSED_BY_HUB = "refused_by_hub"
MAX_KEPT_CHARS = 8192


@dataclass(frozen=True, slots=True)
class Quarantined:
    fact_id: str
    reason: str
    detail: str
    origin: str
    received_at: dt.datetime


def describe(fact: Fact | Any) -> str:
    """The fact as JSON text for the record, whatever it holds (it may not encode)."""
    try:
        data = {
            "fact_id": str(fact.fact_id), "kind": str(fact.kind), "event_id": str(fact.event_id),
            "station_id": str(fact.station_id), "volunteer_id": str(fact.volunteer_id),
            "wall_time": str(fact.wall_time),
            "stamp": f"{fact.stamp.wall_ms}/{fact.stamp.counter}/{fact.stamp.node}",
            "entry_no": fact.entry_no, "payload": fact.payload,
        }
        text = json.dumps(data, ensure_ascii=False, default=str)
    except Exception:  # whatever arrived, the record must be written
        text = json.dumps({"unreadable": repr(fact)[:MAX_KEPT_CHARS]})
    return text[:MAX_KEPT_CHARS]


def put(conn: sqlite3.Connection, items: Iterable[tuple[str, str, str, str]], origin: str,
        now: dt.datetime | None = None) -> int:
    """Record (fact_id, reason, detail, fact text) rows; call inside the caller's transaction."""
    at = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="milliseconds")
    rows = [(fid[:200], reason, detail[:500], origin, text, at) for fid, reason, detail, text in items]
    conn.executemany(
        "INSERT OR IGNORE INTO quarantine (fact_id, reason, detail, origin, fact, received_at) "
        "VALUES (?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def listed(conn: sqlite3.Connection) -> list[Quarantined]:
    rows = conn.execute(
        "SELECT fact_id, reason, detail, origin, received_at FROM quarantine ORDER BY received_at, fact_id"
    ).fetchall()
    return [Quarantined(r[0], r[1], r[2], r[3], dt.datetime.fromisoformat(r[4])) for r in rows]


def refused_own(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute(
        "SELECT fact_id FROM quarantine WHERE origin = ?", (REFUSED_BY_HUB,))}


def read_file(path: Path) -> list[tuple[str, str, str, str, str]]:
    """(received_at, origin, reason, fact_id, detail) from a station log on disk,
    opened read-only; none when the file has no quarantine (an older log)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT received_at, origin, reason, fact_id, detail FROM quarantine "
                            "ORDER BY received_at").fetchall()
    except sqlite3.DatabaseError:
        rows = []
    finally:
        conn.close()
    return [tuple(str(v) for v in row) for row in rows]  # type: ignore[misc]


@dataclass(frozen=True, slots=True)
class Aside:
    """One fact set aside, as the Station tab and the supervisors show it."""

    reason: str
    station_id: str  # the station named in the fact (this one for its own facts the hub refused)
    received_at: dt.datetime


@dataclass(frozen=True, slots=True)
class SetAside:
    count: int
    newest: tuple[Aside, ...]  # newest first


NOBODY = SetAside(0, ())


def set_aside(conn: sqlite3.Connection, own_station: str, newest: int = 3) -> SetAside:
    """How many facts are set aside here, and the newest few with the station each names."""
    count = conn.execute("SELECT count(*) FROM quarantine").fetchone()[0]
    rows = conn.execute("SELECT reason, origin, fact, received_at FROM quarantine "
                        "ORDER BY received_at DESC, rowid DESC LIMIT ?", (newest,)).fetchall()
    return SetAside(count, tuple(
        Aside(reason, own_station if origin == REFUSED_BY_HUB else _named_station(text),
              dt.datetime.fromisoformat(at)) for reason, origin, text, at in rows))


def _named_station(text: str) -> str:
    """The station a kept fact names, short enough to show (whatever it holds); '?' if none."""
    try:
        data = json.loads(text)
        station = data.get("station_id") if isinstance(data, dict) else None
    except (ValueError, TypeError):
        station = None
    station = "".join(c for c in str(station or "?") if c.isprintable())
    return station[:40] + ("…" if len(station) > 40 else "")
