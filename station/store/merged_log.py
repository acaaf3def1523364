"""Several stations' logs read as one (the after-event report)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from station.store import fact_rows
from station.store.station_log import StationLog


def merged_log(paths: Sequence[Path], event_id: str, folder: Path) -> StationLog:
    """One log holding every fact of the given logs (a station log is opened as it is);
    a merge is written in `folder`. Close it when done."""
    if len(paths) == 1:
        conn = sqlite3.connect(paths[0])
        station_id = dict(conn.execute("SELECT key, value FROM station_info").fetchall())["station_id"]
        conn.close()
        return StationLog.open(paths[0], station_id=station_id, event_id=event_id)
    log = StationLog.open(folder / "merged.sqlite", station_id="report", event_id=event_id)
    for path in paths:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            log.append([fact_rows.from_row(r) for r in conn.execute(f"SELECT {fact_rows.SELECT} FROM fact")])
        finally:
            conn.close()
    return log
