"""What the log says about each entry, derived from the facts alone.

The fold for one entry looks only at that entry's facts, sorted in the merge
order (clock stamp, then fact id). So it gives the same answer however the
facts arrived, which is what lets the store keep derived tables up to date
fact by fact and still match a rebuild from scratch, and lets every station
and the hub derive the same conflicts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from station.core.hlc import Stamp
from station.core.models import Fact, FactKind
from station.core.payloads import (
    ExceptionOpenedPayload,
    ExceptionResolvedPayload,
    OverridePayload,
    PickupPayload,
    RosterUpdatePayload,
    VoidPayload,
)


class PickupStatus(StrEnum):
    WAITING = "waiting"
    PICKED_UP = "picked_up"
    VOIDED = "voided"  # the bib handed out was voided (lost, damaged, wrong person)
    CANCELLED = "cancelled"  # the organizer cancelled the entry


class Conflict(StrEnum):
    DOUBLE_PICKUP = "double_pickup"  # two pickups with no void between them
    PICKUP_AFTER_VOID = "pickup_after_void"  # without a supervisor's reprint


@dataclass(frozen=True, slots=True)
class PickupRecord:
    fact_id: str
    station_id: str
    volunteer_id: str
    wall_time: dt.datetime
    stamp: Stamp


@dataclass(frozen=True, slots=True)
class EntryState:
    entry_no: str
    status: PickupStatus = PickupStatus.WAITING
    pickup: PickupRecord | None = None  # the first pickup that counts
    pickups: int = 0
    printed_copies: int = 0
    id_checked: bool = False
    conflict: Conflict | None = None


def fold_entry(entry_no: str, facts: Iterable[Fact]) -> EntryState:
    """The entry's state from its facts in merge order.

    Whether the bib is out ("held") is tracked apart from cancellation: a
    second pickup is a conflict even while the entry is cancelled, and a
    reinstated entry comes back as it was. A supervisor's resolution of a
    double pickup (an OVERRIDE naming the pickup that counts) clears it."""
    cancelled = voided = held = False
    pickup: PickupRecord | None = None
    by_id: dict[str, PickupRecord] = {}
    pickups = printed = 0
    id_checked = False
    conflict: Conflict | None = None
    for fact in sorted(facts, key=Fact.order_key):
        kind = fact.kind
        if kind is FactKind.PICKUP:
            pickups += 1
            record = PickupRecord(fact.fact_id, fact.station_id, fact.volunteer_id, fact.wall_time, fact.stamp)
            by_id[fact.fact_id] = record
            if held:
                conflict = conflict or Conflict.DOUBLE_PICKUP
            elif voided and not PickupPayload.from_payload(fact.payload).reprint:
                conflict = conflict or Conflict.PICKUP_AFTER_VOID
            else:
                pickup = record
            held, voided = True, False
        elif kind is FactKind.VOID:
            # Voiding one printed copy (a damaged bib reprinted) leaves the pickup
            # standing; voiding the pickup itself frees nothing: the bib is void.
            if VoidPayload.from_payload(fact.payload).what != "bib_copy":
                voided, held = True, False
        elif kind is FactKind.OVERRIDE:
            keep = OverridePayload.from_payload(fact.payload).keep_pickup
            kept = by_id.get(keep) if keep else None
            if kept is not None:
                pickup, conflict = kept, None
        elif kind is FactKind.BIB_PRINTED:
            printed += 1
        elif kind is FactKind.ID_CHECKED:
            id_checked = True
        elif kind is FactKind.ROSTER_UPDATE:
            change = RosterUpdatePayload.from_payload(fact.payload).change
            if change == "cancelled":
                cancelled = True
            elif change == "reinstated":
                cancelled = False
    status = (PickupStatus.CANCELLED if cancelled else PickupStatus.PICKED_UP if held
              else PickupStatus.VOIDED if voided else PickupStatus.WAITING)
    return EntryState(entry_no, status, pickup, pickups, printed, id_checked, conflict)


@dataclass(frozen=True, slots=True)
class OpenException:
    exception_id: str  # the id of the fact that opened it
    entry_no: str | None
    reason: str
    station_id: str
    opened_at: dt.datetime
    stamp: Stamp


def open_exceptions(facts: Iterable[Fact]) -> dict[str, OpenException]:
    """Exceptions opened and not yet resolved, by id (order-independent)."""
    opened: dict[str, OpenException] = {}
    resolved: set[str] = set()
    for fact in facts:
        if fact.kind is FactKind.EXCEPTION_OPENED:
            opened[fact.fact_id] = OpenException(
                fact.fact_id,
                fact.entry_no,
                ExceptionOpenedPayload.from_payload(fact.payload).reason or "",
                fact.station_id,
                fact.wall_time,
                fact.stamp,
            )
        elif fact.kind is FactKind.EXCEPTION_RESOLVED:
            resolved.add(ExceptionResolvedPayload.from_payload(fact.payload).exception_id)
    return {key: value for key, value in opened.items() if key not in resolved}
