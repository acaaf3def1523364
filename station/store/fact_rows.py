"""Facts to SQLite rows and back; the same columns in a station log and an event package."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable

from station.core.hlc import Stamp
from station.core.models import Fact, FactKind

COLUMNS = (
    "fact_id", "kind", "event_id", "station_id", "volunteer_id",
    "wall_time", "stamp", "entry_no", "payload",
)
SELECT = ", ".join(COLUMNS)


def to_row(fact: Fact) -> tuple:
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


def from_row(row: sqlite3.Row | tuple) -> Fact:
    fact_id, kind, event_id, station_id, volunteer_id, wall, stamp, entry_no, payload = row
    return Fact(
        fact_id=fact_id,
        kind=FactKind(kind),
        event_id=event_id,
        station_id=station_id,
        volunteer_id=volunteer_id,
        wall_time=dt.datetime.fromisoformat(wall),
        stamp=Stamp.decode(stamp),
        entry_no=entry_no,
        payload=json.loads(payload),
    )


def insert(conn: sqlite3.Connection, table: str, facts: Iterable[Fact]) -> list[Fact]:
    """Insert facts not yet present (by fact id); return the ones that were new."""
    new = []
    sql = f"INSERT OR IGNORE INTO {table} ({SELECT}) VALUES ({', '.join('?' * len(COLUMNS))})"
    for fact in facts:
        if conn.execute(sql, to_row(fact)).rowcount:
            new.append(fact)
    return new
