"""Document reuse across counters, derived from a log after sync (a station's
`document_use` table, or the hub's ID-check facts), and which reuses still
wait for a supervisor (station/core/document_reuse.py decides what a reuse is)."""

from __future__ import annotations

import sqlite3

from station.core.document_reuse import DocumentReuse, find_reuse
from station.core.models import FactKind
from station.store.event_package import EventPackage
from station.store.roster_updates import current_entrant
from station.store.station_log import StationLog

REASON = "document_used_elsewhere"


def station_reuse(log: StationLog, package: EventPackage) -> list[DocumentReuse]:
    rows = log.conn.execute(
        "SELECT document_hash, entry_no FROM document_use WHERE document_hash IN "
        "(SELECT document_hash FROM document_use GROUP BY document_hash HAVING count(*) > 1)"
    ).fetchall()
    return find_reuse(((str(h), str(e)) for h, e in rows), lambda no: current_entrant(package, log, no))


def hub_reuse(conn: sqlite3.Connection, package: EventPackage | None) -> list[DocumentReuse]:
    """The same from a hub file's facts (the hub keeps no derived document table)."""
    rows = conn.execute(
        "SELECT DISTINCT json_extract(payload, '$.document_hash'), entry_no FROM fact "
        "WHERE kind = ? AND json_extract(payload, '$.document_hash') IS NOT NULL AND entry_no IS NOT NULL",
        (FactKind.ID_CHECKED.value,),
    ).fetchall()
    return find_reuse(((str(h), str(e)) for h, e in rows),
                      package.entrant if package is not None else (lambda no: None))


def waiting_for_supervisor(log: StationLog, package: EventPackage) -> list[tuple[str, DocumentReuse]]:
    """(entry, reuse) for each entry in a reuse that no supervisor case names
    yet with this reason (open or decided): these go to the queue."""
    handled = {r[0] for r in log.conn.execute(
        "SELECT entry_no FROM fact WHERE kind = ? AND json_extract(payload, '$.reason') = ?",
        (FactKind.EXCEPTION_OPENED.value, REASON))}
    return [(no, reuse) for reuse in station_reuse(log, package) for no in reuse.entries if no not in handled]
