"""Online, the hub serialises pickups: an atomic claim on an entry and its escorts.

Before a counter hands bibs over it claims the entries at the hub. The first
counter to claim holds them for the few seconds the hand-over takes; a second
counter claiming any of them meanwhile is told which counter holds them
("being handed out at counter X") and hands nothing over. The answer also
carries the hub's facts about the entries, so a pickup already pushed by
another counter reaches this counter's log before it decides (as the plain
pre-pickup question did). Offline nothing changes: a counter that cannot reach
the hub decides alone and sync surfaces any double pickup afterwards.

The claim runs in one IMMEDIATE transaction on the hub file: the HTTP hub
(one process; the store's lock serialises its threads) and the central-SQLite
hub (every station opens the file; SQLite's write lock serialises them) give
the same answer. Hold times are compared on the hub's clock for the HTTP hub
and on each station's clock for the SQLite hub (clocks within a second or two
of each other only shorten or lengthen a 5-second hold a little).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from station.core.models import Fact
from station.store import fact_rows
from station.store.sqlite import transaction
from station.sync.hub_store import HubStore
from station.sync.protocol import ProtocolError

HOLD_SECONDS = 5.0
MAX_ENTRIES = 5  # a runner and their escorts (and an escort's own runner entry)
_MAX_ENTRY_CHARS = 40

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS pickup_claim ("
    " entry_no TEXT PRIMARY KEY, station_id TEXT NOT NULL, expires REAL NOT NULL)",
    # the number cards that left: a claim also brings the pickups of the bibs it hands out
    "CREATE INDEX IF NOT EXISTS fact_pickup_bib ON fact (json_extract(payload, '$.bib')) WHERE kind = 'pickup'",
)


@dataclass(frozen=True, slots=True)
class ClaimAnswer:
    granted: bool
    holder: str | None = None  # the counter holding `entry_no` when not granted
    entry_no: str | None = None
    facts: tuple[Fact, ...] = ()  # the hub's facts about the claimed entries


def check_entries(entries: Sequence[str]) -> tuple[str, ...]:
    unique = tuple(dict.fromkeys(entries))
    if not unique or len(unique) > MAX_ENTRIES:
        raise ProtocolError(f"a claim names 1 to {MAX_ENTRIES} entries, not {len(unique)}")
    if any(not no or len(no) > _MAX_ENTRY_CHARS for no in unique):
        raise ProtocolError("an entry number in the claim is empty or too long")
    return unique


def claim_entries(store: HubStore, station: str, entries: Sequence[str], *, bibs: Sequence[str] = (),
                  now: float | None = None, hold: float = HOLD_SECONDS) -> ClaimAnswer:
    """Claim all `entries` for `station`, or none of them (atomic). The answer
    carries the hub's facts about the entries and every pickup of `bibs` (the
    numbers about to be handed out), so the counter's card ledger is current."""
    wanted = check_entries(entries)
    numbers = tuple(dict.fromkeys(b for b in bibs if b))[:MAX_ENTRIES]
    moment = time.time() if now is None else now
    conn = store.conn
    with store._lock:  # the HTTP hub's threads share one connection
        for statement in _SCHEMA:  # no-ops once made (the first claim builds the index)
            conn.execute(statement)
        with transaction(conn, store.path):
            marks = ", ".join("?" * len(wanted))
            held = conn.execute(
                f"SELECT entry_no, station_id FROM pickup_claim WHERE entry_no IN ({marks}) "
                "AND station_id != ? AND expires > ? ORDER BY entry_no",
                (*wanted, station, moment),
            ).fetchone()
            if held is None:
                conn.executemany(
                    "INSERT OR REPLACE INTO pickup_claim (entry_no, station_id, expires) VALUES (?, ?, ?)",
                    [(no, station, moment + hold) for no in wanted],
                )
            rows = conn.execute(
                f"SELECT {fact_rows.SELECT} FROM fact WHERE entry_no IN ({marks}) ORDER BY stamp, fact_id",
                wanted,
            ).fetchall()
            if numbers:
                rows += conn.execute(
                    f"SELECT {fact_rows.SELECT} FROM fact INDEXED BY fact_pickup_bib WHERE kind = 'pickup' AND "
                    f"json_extract(payload, '$.bib') IN ({', '.join('?' * len(numbers))})",
                    numbers,
                ).fetchall()
    facts = tuple({f.fact_id: f for f in map(fact_rows.from_row, rows)}.values())
    if held is not None:
        return ClaimAnswer(False, str(held[1]), str(held[0]), facts)
    return ClaimAnswer(True, facts=facts)
