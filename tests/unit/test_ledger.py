from __future__ import annotations

import datetime as dt
import itertools

from station.core.hlc import Stamp
from station.core.ledger import Conflict, PickupStatus, fold_entry, open_exceptions
from station.core.models import Fact, FactKind

T0 = dt.datetime(2027, 2, 19, 3, 0, tzinfo=dt.UTC)
_ids = itertools.count()


def fact(kind: FactKind, ms: int, station: str = "counter-1", entry: str | None = "1001", **payload) -> Fact:
    return Fact(f"f{next(_ids):04d}", kind, "ev", station, "v1", T0 + dt.timedelta(milliseconds=ms),
                Stamp(ms, 0, station), entry, payload)


def test_nothing_recorded_is_waiting():
    state = fold_entry("1001", [])
    assert state.status is PickupStatus.WAITING and state.pickup is None


def test_one_pickup_records_where_and_when():
    pickup = fact(FactKind.PICKUP, 10, station="counter-12")
    state = fold_entry("1001", [pickup])
    assert state.status is PickupStatus.PICKED_UP
    assert state.pickup.station_id == "counter-12" and state.pickup.fact_id == pickup.fact_id
    assert state.conflict is None


def test_two_pickups_are_a_conflict_whatever_order_they_arrive_in():
    a = fact(FactKind.PICKUP, 10, station="counter-1")
    b = fact(FactKind.PICKUP, 20, station="counter-2")
    for facts in ([a, b], [b, a]):
        state = fold_entry("1001", facts)
        assert state.conflict is Conflict.DOUBLE_PICKUP
        assert state.pickup.station_id == "counter-1"  # the earlier one in merge order counts
        assert state.pickups == 2


def test_pickup_after_void_is_a_conflict_unless_it_is_a_reprint():
    pickup, void = fact(FactKind.PICKUP, 10), fact(FactKind.VOID, 20)
    assert fold_entry("1001", [pickup, void]).status is PickupStatus.VOIDED
    again = fact(FactKind.PICKUP, 30)
    assert fold_entry("1001", [pickup, void, again]).conflict is Conflict.PICKUP_AFTER_VOID
    reprint = fact(FactKind.PICKUP, 30, reprint=True)
    state = fold_entry("1001", [pickup, void, reprint])
    assert state.conflict is None and state.status is PickupStatus.PICKED_UP


def test_cancellation_from_the_organizer_wins():
    cancel = fact(FactKind.ROSTER_UPDATE, 5, station="organizer", change="cancelled")
    state = fold_entry("1001", [cancel, fact(FactKind.PICKUP, 10)])
    assert state.status is PickupStatus.CANCELLED


def test_prints_and_id_checks_are_counted():
    facts = [fact(FactKind.ID_CHECKED, 1), fact(FactKind.PICKUP, 2), fact(FactKind.BIB_PRINTED, 3),
             fact(FactKind.BIB_PRINTED, 4)]
    state = fold_entry("1001", facts)
    assert state.id_checked and state.printed_copies == 2


def test_exceptions_stay_open_until_resolved():
    opened = fact(FactKind.EXCEPTION_OPENED, 1, reason="name differs")
    other = fact(FactKind.EXCEPTION_OPENED, 2, entry="1002", reason="no ID")
    resolved = fact(FactKind.EXCEPTION_RESOLVED, 3, exception_id=opened.fact_id)
    assert set(open_exceptions([opened, other])) == {opened.fact_id, other.fact_id}
    assert set(open_exceptions([resolved, opened, other])) == {other.fact_id}


def test_voiding_a_damaged_copy_keeps_the_pickup():
    pickup, printed = fact(FactKind.PICKUP, 10), fact(FactKind.BIB_PRINTED, 11)
    void_copy = fact(FactKind.VOID, 20, what="bib_copy", voids=printed.fact_id)
    reprinted = fact(FactKind.BIB_PRINTED, 21)
    state = fold_entry("1001", [pickup, printed, void_copy, reprinted])
    assert state.status is PickupStatus.PICKED_UP and state.printed_copies == 2 and state.conflict is None


def test_two_pickups_while_cancelled_are_still_a_conflict():
    cancel = fact(FactKind.ROSTER_UPDATE, 1, station="organizer", change="cancelled")
    a, b = fact(FactKind.PICKUP, 10, station="counter-a"), fact(FactKind.PICKUP, 20, station="counter-b")
    reinstate = fact(FactKind.ROSTER_UPDATE, 30, station="organizer", change="reinstated")
    assert fold_entry("1001", [cancel, a, b]).status is PickupStatus.CANCELLED
    state = fold_entry("1001", [cancel, a, b, reinstate])
    assert state.status is PickupStatus.PICKED_UP and state.conflict is Conflict.DOUBLE_PICKUP
    assert state.pickup.station_id == "counter-a"


def test_a_supervisor_resolving_a_double_pickup_clears_the_conflict():
    a, b = fact(FactKind.PICKUP, 10, station="counter-a"), fact(FactKind.PICKUP, 20, station="counter-b")
    resolved = fact(FactKind.OVERRIDE, 30, station="counter-s", keep_pickup=b.fact_id)
    state = fold_entry("1001", [a, b, resolved])
    assert state.conflict is None and state.pickup.station_id == "counter-b"
