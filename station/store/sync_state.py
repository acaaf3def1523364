"""Where a station's sync with a hub stands, kept in the station's own log file.

Two cursors per hub: how far our own facts are on the hub (local seq) and how
far we have pulled the hub's facts (the hub's seq). Both only move forward
after the work they describe is durable, so a crash or a lost answer means
sending or receiving a batch again, which changes nothing (ingest and append
are idempotent by fact id).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from station.core.models import Fact
from station.store import fact_rows
from station.store.sqlite import transaction


@dataclass(frozen=True, slots=True)
class Cursors:
    hub_id: str
    pushed_seq: int = 0
    pull_cursor: int = 0
    last_sync: dt.datetime | None = None


class SyncState:
    def __init__(self, conn: sqlite3.Connection, path: Path | None = None) -> None:
        self.conn = conn
        self.path = path

    def load(self, hub_id: str) -> Cursors:
        row = self.conn.execute(
            "SELECT pushed_seq, pull_cursor, last_sync FROM sync_state WHERE hub_id = ?", (hub_id,)
        ).fetchone()
        if not row:
            return Cursors(hub_id)
        return Cursors(hub_id, row[0], row[1], dt.datetime.fromisoformat(row[2]) if row[2] else None)

    def save(self, cursors: Cursors) -> None:
        with transaction(self.conn, self.path):
            self.conn.execute(
                "INSERT OR REPLACE INTO sync_state (hub_id, pushed_seq, pull_cursor, last_sync) "
                "VALUES (?, ?, ?, ?)",
                (cursors.hub_id, cursors.pushed_seq, cursors.pull_cursor,
                 cursors.last_sync.isoformat(timespec="milliseconds") if cursors.last_sync else None),
            )

    def outbox(self, station_id: str, after_seq: int, limit: int) -> list[tuple[int, Fact]]:
        """The station's own facts not yet on the hub, oldest first."""
        rows = self.conn.execute(
            f"SELECT seq, {fact_rows.SELECT} FROM fact WHERE seq > ? AND station_id = ? "
            "ORDER BY seq LIMIT ?",
            (after_seq, station_id, limit),
        ).fetchall()
        return [(r[0], fact_rows.from_row(r[1:])) for r in rows]

    def waiting(self, station_id: str, after_seq: int) -> int:
        return int(self.conn.execute(
            "SELECT count(*) FROM fact WHERE seq > ? AND station_id = ?", (after_seq, station_id)
        ).fetchone()[0])


def last_seq(facts: Sequence[tuple[int, Fact]], default: int) -> int:
    return facts[-1][0] if facts else default
