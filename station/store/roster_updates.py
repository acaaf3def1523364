"""The roster as this counter knows it now: the event package it was given,
plus the organizer's updates that sync has since brought into its log.

Counters never rewrite their copy of the package; corrections, late entries
and revoked confirmations are read over it, entry by entry, in merge order.
(The name search still reads the package: a late entry is found by scanning
its confirmation or typing its entry number.)
"""

from __future__ import annotations

from dataclasses import replace

from station.core.models import Entrant, EntrantStatus, Fact, FactKind
from station.core.payloads import RosterUpdatePayload
from station.store.event_package import ENTRANT_COLUMNS, EventPackage, entrant_from_row, entrant_to_row
from station.store.station_log import StationLog


def roster_facts(log: StationLog, entry_no: str) -> list[Fact]:
    return [f for f in log.facts_for(entry_no) if f.kind is FactKind.ROSTER_UPDATE]


def current_entrant(package: EventPackage, log: StationLog, entry_no: str) -> Entrant | None:
    entrant = package.entrant(entry_no)
    for fact in roster_facts(log, entry_no):  # facts_for is in merge order
        entrant = apply_update(entrant, fact)
    return entrant


def apply_update(entrant: Entrant | None, fact: Fact) -> Entrant | None:
    update = RosterUpdatePayload.from_payload(fact.payload)
    change = update.change
    if change == "added" and entrant is None:
        row = update.entrant or {}
        if set(row) >= set(ENTRANT_COLUMNS):
            return entrant_from_row(tuple(row[c] for c in ENTRANT_COLUMNS))
        return None
    if entrant is None:
        return None
    if change in ("changed", "reinstated"):
        row = dict(zip(ENTRANT_COLUMNS, entrant_to_row(entrant), strict=True))
        row.update({k: v for k, v in (update.fields or {}).items() if k in row})
        if change == "reinstated":
            row["status"] = EntrantStatus.ACTIVE.value
        return entrant_from_row(tuple(row[c] for c in ENTRANT_COLUMNS))
    if change == "cancelled":
        return replace(entrant, status=EntrantStatus.CANCELLED)
    return entrant


def revoked_serial(log: StationLog, entry_no: str) -> int:
    """The highest confirmation serial the organizer revoked for the entry (0: none)."""
    updates = (RosterUpdatePayload.from_payload(f.payload) for f in roster_facts(log, entry_no))
    return max((u.serial or 0 for u in updates if u.change == "confirmation_revoked"), default=0)
