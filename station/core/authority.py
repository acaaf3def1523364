"""Who may write which kind of fact, and the proof that they did.

Three writers:

- a counter (a station's token): pickups, ID checks, escort pairings, printed
  copies, voided damaged copies and cases sent to a supervisor, in its own
  name only (fact station id, stamp node and token all the same station);
- a supervisor: claims, resolutions, overrides, bib voids, reprints and the
  pickups/escort repairs a decision records;
- the organizer: roster updates (corrections, late entries, cancellations,
  revoked confirmations), with station id `organizer`, signed with one of the
  event's Ed25519 keys (the keys that sign confirmations) - see
  `organizer_proof` and station/core/fact_proof.py.

A station token may never write organizer facts, nor any fact in another
name; reserved names (`organizer`, `hub`) are never a station.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from station.core.fact_check import Checked, Refusal
from station.core.fact_proof import proof_problem, supervisor_proof_problem
from station.core.ids import RESERVED_STATIONS
from station.core.models import Fact, FactKind
from station.core.payloads import DecidedPayload, EscortPairedPayload, PickupPayload, VoidPayload

ORGANIZER = "organizer"


class Writer(StrEnum):
    COUNTER = "counter"
    SUPERVISOR = "supervisor"
    ORGANIZER = "organizer"


_SUPERVISOR_KINDS = frozenset({
    FactKind.EXCEPTION_CLAIMED, FactKind.EXCEPTION_RESOLVED, FactKind.OVERRIDE,
})


def writer_of(fact: Fact) -> Writer:
    """Whose decision the fact records (by its kind and, for a few kinds, its payload)."""
    kind = fact.kind
    if kind is FactKind.ROSTER_UPDATE:
        return Writer.ORGANIZER
    if kind in _SUPERVISOR_KINDS:
        return Writer.SUPERVISOR
    if kind is FactKind.VOID and VoidPayload.from_payload(fact.payload).what != "bib_copy":
        return Writer.SUPERVISOR  # voiding a pickup; a damaged copy is the counter's
    if kind is FactKind.PICKUP:
        pickup = PickupPayload.from_payload(fact.payload)
        return Writer.SUPERVISOR if pickup.reprint or _decided(pickup) else Writer.COUNTER
    if kind is FactKind.ESCORT_PAIRED:
        paired = EscortPairedPayload.from_payload(fact.payload)
        return Writer.SUPERVISOR if paired.by_supervisor or _decided(paired) else Writer.COUNTER
    return Writer.COUNTER


def _decided(payload: DecidedPayload) -> bool:
    """Carries a supervisor's decision on a case."""
    return payload.exception_id is not None


def station_may_write(fact: Fact, station: str) -> Checked | None:
    """What a station's token may push as its own: None, or why not."""

    def no(reason: Refusal, detail: str) -> Checked:
        return Checked(str(fact.fact_id)[:64], reason, detail)

    if station.lower() in RESERVED_STATIONS:
        return no(Refusal.NOT_YOUR_NAME, f"{station!r} is a reserved name, never a station")
    if fact.station_id != station:
        return no(Refusal.NOT_YOUR_NAME,
                  f"station {station!r} sent a fact in the name of {str(fact.station_id)[:60]!r}; "
                  "a station may only send its own facts")
    if fact.stamp.node != station:
        return no(Refusal.NOT_YOUR_NAME, "the fact carries another station's clock stamp")
    if writer_of(fact) is Writer.ORGANIZER:
        return no(Refusal.KIND_NOT_ALLOWED,
                  f"{fact.kind.value} facts are the organizer's; a station token cannot write them")
    return None


def station_door_authority(fact: Fact, organizer_keys: Mapping[str, bytes] | None,
                           supervisor_keys: Mapping[str, bytes] | None = None) -> Checked | None:
    """What a station checks of a received fact's writer: organizer kinds come
    from the organizer, signed by one of the event's keys; supervisors'
    decisions are signed by the supervisor named (when the keys are known)."""
    writer = writer_of(fact)
    if writer is not Writer.ORGANIZER and fact.station_id.lower() in RESERVED_STATIONS:
        return Checked(fact.fact_id, Refusal.NOT_YOUR_NAME, f"{fact.station_id!r} is never a station")
    if writer is Writer.SUPERVISOR:
        return supervisor_check(fact, supervisor_keys)
    if writer is not Writer.ORGANIZER:
        return None
    if fact.station_id != ORGANIZER:
        return Checked(fact.fact_id, Refusal.KIND_NOT_ALLOWED,
                       f"{fact.kind.value} facts are the organizer's, not {fact.station_id[:60]!r}'s")
    if organizer_keys:
        why = proof_problem(fact, organizer_keys)
        if why is not None:
            return Checked(fact.fact_id, why[0], why[1])
    return None


def supervisor_check(fact: Fact, supervisor_keys: Mapping[str, bytes] | None) -> Checked | None:
    """A supervisor's decision must carry the signature of the supervisor it
    names (volunteer id). None keys: the event has no supervisor keys (older package)."""
    if supervisor_keys is None:
        return None
    why = supervisor_proof_problem(fact, supervisor_keys)
    return None if why is None else Checked(fact.fact_id, why[0], why[1])
