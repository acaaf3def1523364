"""The number cards that have left the building, read from a log's pickup facts.

Works on any SQLite file with the `fact` table (a station log, the hub file):
the organizer's import uses it to name corrections that move a handed-out
card, and the counter to refuse printing a number that went out with another
entry (station/core/bibs.py decides; this module only reads).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from station.core.bibs import CardLedger, card_ledger

_PICKUPS = (
    "SELECT json_extract(payload, '$.bib'), entry_no FROM fact "
    "WHERE kind = 'pickup' AND json_extract(payload, '$.bib') IS NOT NULL"
)


def ledger_for(conn: sqlite3.Connection, bibs: Iterable[str], entries: Iterable[str]) -> CardLedger:
    """The ledger restricted to the numbers and entries one check-in is about
    (fast on a 40,000-entry day: both lookups use indexes)."""
    bibs, entries = sorted(set(bibs)), sorted(set(entries))
    rows: list[tuple[str, str, str, str]] = []
    if bibs:
        rows += conn.execute(
            # INDEXED BY: without statistics SQLite prefers the kind index and reads every pickup
            "SELECT json_extract(payload, '$.bib'), entry_no, stamp, fact_id FROM fact INDEXED BY fact_pickup_bib "
            f"WHERE kind = 'pickup' AND json_extract(payload, '$.bib') IN ({', '.join('?' * len(bibs))})",
            bibs,
        ).fetchall()
    if entries:
        rows += conn.execute(
            "SELECT json_extract(payload, '$.bib'), entry_no, stamp, fact_id FROM fact INDEXED BY fact_entry "
            f"WHERE entry_no IN ({', '.join('?' * len(entries))}) AND kind = 'pickup' "
            "AND json_extract(payload, '$.bib') IS NOT NULL",
            entries,
        ).fetchall()
    unique = sorted(set(rows), key=lambda r: (r[2], r[3]))
    return card_ledger((str(bib), str(no)) for bib, no, _, _ in unique)


def full_ledger(conn: sqlite3.Connection) -> CardLedger:
    """Every card that left, in merge order (for the organizer's import report)."""
    rows = conn.execute(_PICKUPS + " ORDER BY stamp, fact_id").fetchall()
    return card_ledger((str(bib), str(no)) for bib, no in rows)
