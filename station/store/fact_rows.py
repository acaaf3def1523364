"""Facts to SQLite rows and back; the same columns in a station log and an event package."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from station.core.hlc import Stamp
from station.core.models import Fact, FactKind

COLUMNS = (
    "fact_id", "kind", "event_id", "station_id", "volunteer_id",
    "wall_time", "stamp", "entry_no", "payload",
)
SELECT = ", ".join(COLUMNS)


def to_row(fact: Fact) -> tuple[Any, ...]:
    return (
        fact.fact_id,
        fact.kind.value,
        fact.event_id,
        fact.station_id,
        fact.volunteer_id,
        fact.wall_time.astimezone(dt.UTC).isoformat(timespec="milliseconds"),
        fact.stamp.encode(),
        fact.entry_no,
        json.dumps(fact.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
    )


def from_row(row: sqlite3.Row | tuple[Any, ...]) -> Fact:
    fact_id, kind, event_id, station_id, volunteer_id, wall, stamp, entry_no, payload = row
    wall_time = dt.datetime.fromisoformat(wall)
    if wall_time.tzinfo is None:
        raise ValueError(f"wall time without a time zone: {wall!r}")
    return Fact(
        fact_id=fact_id,
        kind=FactKind(kind),
        event_id=event_id,
        station_id=station_id,
        volunteer_id=volunteer_id,
        wall_time=wall_time,
        stamp=Stamp.decode(stamp),
        entry_no=entry_no,
        payload=json.loads(payload) if payload != "{}" else {},
    )


def insert(conn: sqlite3.Connection, table: str, facts: Iterable[Fact]) -> list[Fact]:
    """Insert facts not yet present (by fact id); return the ones that were new.

    Facts already there are skipped, so receiving a batch twice changes nothing."""
    facts = list(facts)
    present: set[str] = set()
    for start in range(0, len(facts), 500):
        ids = [f.fact_id for f in facts[start:start + 500]]
        present.update(r[0] for r in conn.execute(
            f"SELECT fact_id FROM {table} WHERE fact_id IN ({', '.join('?' * len(ids))})", ids))
    new, seen = [], set()
    for fact in facts:
        if fact.fact_id not in present and fact.fact_id not in seen:
            seen.add(fact.fact_id)
            new.append(fact)
    conn.executemany(
        f"INSERT INTO {table} ({SELECT}) VALUES ({', '.join('?' * len(COLUMNS))})", map(to_row, new)
    )
    return new
