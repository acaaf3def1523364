"""The exception queue across stations: claims race through a real hub on loopback,
the earliest claim holds everywhere, resolutions follow the rules, the counter sees the outcome."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from station.core.errors import StationError
from station.core.ledger import PickupStatus
from station.core.models import Category, Entrant, FactKind, Sex
from station.core.supervision import Block, Decision, Ground, Resolution
from station.store.event_package import ENTRANT_COLUMNS, EventPackage, entrant_to_row
from station.store.exceptions import ClaimOutcome, ExceptionQueue, ResolutionRefused
from station.store.sqlite import transaction
from station.store.station_log import StationLog
from station.sync.worker import SyncWorker
from tests.integration.test_sync_hubs import HttpHubRunner

T0 = dt.datetime(2027, 2, 19, 3, 0, tzinfo=dt.UTC)


def entrant(entry_no: str, bib: str, family: str, given: str) -> Entrant:
    return Entrant(entry_no, bib, family, given, "", "", "", "", Sex.FEMALE, dt.date(1990, 5, 1), "JPN",
                   Category.GENERAL, "B")


@pytest.fixture
def package(tmp_path, kyoto_settings) -> Iterator[EventPackage]:
    pkg = EventPackage.create(tmp_path / "event.sqlite", kyoto_settings)
    rows = [entrant_to_row(entrant("1001", "A1001", "山田", "花子")),
            entrant_to_row(entrant("1002", "A1002", "鈴木", "一郎"))]
    with transaction(pkg.conn, pkg.path):
        pkg.conn.executemany(
            f"INSERT INTO entrant ({', '.join(ENTRANT_COLUMNS)}) VALUES ({', '.join('?' * len(ENTRANT_COLUMNS))})",
            rows)
    yield pkg
    pkg.close()


@pytest.fixture
def hub(tmp_path) -> Iterator[HttpHubRunner]:
    data = tmp_path / "hub"
    data.mkdir()
    runner = HttpHubRunner(data)
    runner.start()
    yield runner
    runner.close()


@dataclass
class Station:
    log: StationLog
    worker: SyncWorker
    queue: ExceptionQueue
    clock: list[int]  # the station's wall clock in ms, set by the test

    def sync(self) -> None:
        self.worker.sync_once()


@pytest.fixture
def stations(tmp_path, hub, package, kyoto_settings) -> Iterator[Callable[[str, int], Station]]:
    made: list[Station] = []

    def make(name: str, start_ms: int) -> Station:
        clock = [start_ms]
        ticks = itertools.count()
        log = StationLog.open(tmp_path / f"{name}.sqlite", station_id=name, event_id=kyoto_settings.event_id,
                              wall=lambda: clock[0],
                              utcnow=lambda: T0 + dt.timedelta(milliseconds=clock[0] + next(ticks)))
        station = Station(log, SyncWorker(log, hub.connect(name)), ExceptionQueue(log, package), clock)
        made.append(station)
        return station

    yield make
    for station in made:
        station.worker.close()
        station.log.close()


def open_case(counter: Station, entry_no: str, reason: str, *codes: str) -> str:
    fact = counter.log.record(FactKind.EXCEPTION_OPENED, volunteer_id="vol-7", entry_no=entry_no,
                              payload={"reason": reason, "note": "ID says 山田 (旧姓)", "codes": list(codes)})
    return fact.fact_id


def test_the_queue_shows_every_stations_cases_with_runner_counter_reason_and_wait(stations):
    counter_1, counter_2, sup = stations("counter-1", 1_000), stations("counter-2", 2_000), stations("sup-1", 3_000)
    first = open_case(counter_1, "1001", "name_mismatch", "name_mismatch")
    counter_2.clock[0] = 60_000
    second = open_case(counter_2, "1002", "outside_window", "outside_window")
    for station in (counter_1, counter_2, sup):
        station.sync()

    queue = sup.queue.queue(T0 + dt.timedelta(minutes=5))
    assert [i.exception_id for i in queue.items] == [first, second]
    assert queue.oldest.exception_id == first and queue.newest.exception_id == second
    item = queue.oldest
    assert (item.runner, item.bib, item.station_id, item.volunteer_id, item.reason) == (
        "山田 花子", "A1001", "counter-1", "vol-7", "name_mismatch")
    assert item.codes == ("name_mismatch",) and "旧姓" in item.note.render("ja") and item.claim is None
    assert dt.timedelta(minutes=4, seconds=58) < item.waiting <= dt.timedelta(minutes=5)


def test_two_supervisors_claim_the_same_case_and_the_earliest_claim_holds_everywhere(stations):
    counter = stations("counter-1", 1_000)
    sup_1, sup_2 = stations("sup-1", 5_000), stations("sup-2", 5_000)
    case = open_case(counter, "1001", "name_mismatch", "name_mismatch")
    for station in (counter, sup_1, sup_2):
        station.sync()

    # Both claim before either claim reaches the other; sup-2's clock reads earlier.
    sup_1.clock[0], sup_2.clock[0] = 9_000, 8_000
    assert sup_1.queue.claim(case, "alice").outcome is ClaimOutcome.CLAIMED
    assert sup_2.queue.claim(case, "bob").outcome is ClaimOutcome.CLAIMED
    for station in (sup_1, sup_2, counter, sup_1, sup_2):
        station.sync()

    holders = {s.log.station_id: s.queue.holder(case) for s in (counter, sup_1, sup_2)}
    assert {h.supervisor_id for h in holders.values()} == {"bob"}
    assert len({h.fact_id for h in holders.values()}) == 1
    assert sup_1.queue.claim(case, "alice").outcome is ClaimOutcome.HELD_BY_OTHER
    assert sup_2.queue.claim(case, "bob").outcome is ClaimOutcome.ALREADY_YOURS
    assert sup_1.queue.queue(T0).items[0].claim.supervisor_id == "bob"

    # alice lost the claim: her resolution is refused; bob's is recorded and reaches the counter.
    approve = Resolution(Decision.APPROVE_OVERRIDE, "旧姓: married in 2025, checked the koseki copy",
                         "alice", ground=Ground.NAME_CHANGED_BY_MARRIAGE)
    with pytest.raises(StationError, match="bob is handling this case"):
        sup_1.queue.resolve(case, approve)
    facts = sup_2.queue.resolve(case, Resolution(approve.decision, approve.reason_text, "bob", ground=approve.ground))
    assert [f.kind for f in facts] == [FactKind.EXCEPTION_RESOLVED, FactKind.OVERRIDE]
    assert all(f.volunteer_id == "bob" for f in facts)
    assert facts[1].payload["ground"] == "name_changed_by_marriage" and facts[1].payload["codes"] == ["name_mismatch"]
    for station in (sup_2, counter, sup_1):
        station.sync()

    (seen,) = counter.queue.outcomes_for_counter("counter-1")
    assert (seen.exception_id, seen.decision, seen.supervisor_id) == (case, Decision.APPROVE_OVERRIDE, "bob")
    assert "koseki" in seen.reason_text
    assert counter.queue.approved_codes("1001") == {"name_mismatch"}
    assert counter.queue.approved_codes("1002") == frozenset()
    for station in (counter, sup_1, sup_2):
        assert station.queue.queue(T0).items == ()
    with pytest.raises(StationError, match="already resolved"):
        sup_1.queue.claim(case, "alice")


def test_resolutions_made_offline_by_both_agree_after_sync_on_the_holders(stations):
    counter = stations("counter-1", 1_000)
    sup_1, sup_2 = stations("sup-1", 5_000), stations("sup-2", 5_000)
    case = open_case(counter, "1001", "name_mismatch", "name_mismatch")
    for station in (counter, sup_1, sup_2):
        station.sync()
    sup_1.clock[0], sup_2.clock[0] = 7_000, 9_000  # sup-1 claims (implicitly, by resolving) first
    sup_1.queue.resolve(case, Resolution(Decision.REFUSE, "the ID is someone else's", "alice"))
    sup_2.queue.resolve(case, Resolution(Decision.APPROVE_OVERRIDE, "married name", "bob",
                                         ground=Ground.NAME_CHANGED_BY_MARRIAGE))
    for station in (sup_1, sup_2, counter, sup_1, sup_2):
        station.sync()
    outcomes = {s.log.station_id: s.queue.outcome(case) for s in (counter, sup_1, sup_2)}
    assert {(o.decision, o.supervisor_id) for o in outcomes.values()} == {(Decision.REFUSE, "alice")}
    # bob's approval lost to alice's refusal: it lifts nothing anywhere.
    assert all(s.queue.approved_codes("1001") == frozenset() for s in (counter, sup_1, sup_2))


def test_a_forged_code_is_refused_with_the_reason_and_nothing_is_written(stations):
    sup = stations("sup-1", 1_000)
    case = open_case(sup, "1001", "forged", "forged")
    before = sup.log.summary().facts
    with pytest.raises(ResolutionRefused) as refused:
        sup.queue.resolve(case, Resolution(Decision.APPROVE_OVERRIDE, "looks fine", "alice",
                                           ground=Ground.FOUND_BY_NAME_WITH_ID))
    assert [b.block for b in refused.value.ruling.blockers] == [Block.LOCKED_REASON]
    assert "forged" in str(refused.value)
    assert sup.log.summary().facts == before
    sup.queue.resolve(case, Resolution(Decision.REFUSE, "forged code; runner sent to find by name", "alice"))
    assert sup.queue.outcome(case).decision is Decision.REFUSE


def test_reprint_voids_the_copy_in_hand_and_allows_a_reprint_pickup(stations):
    sup = stations("sup-1", 1_000)
    sup.log.record(FactKind.PICKUP, volunteer_id="vol-1", entry_no="1001", payload={"bib": "A1001"})
    sup.clock[0] = 2_000
    case = open_case(sup, "1001", "already_picked_up", "already_picked_up")
    sup.clock[0] = 3_000
    facts = sup.queue.resolve(case, Resolution(Decision.REPRINT_BIB, "bib torn in the rain", "alice"))
    # One transaction: the old copy void, the new copy handed over (a reprint pickup).
    assert [f.kind for f in facts] == [FactKind.EXCEPTION_CLAIMED, FactKind.EXCEPTION_RESOLVED,
                                       FactKind.VOID, FactKind.OVERRIDE, FactKind.PICKUP]
    assert facts[-1].payload["reprint"] is True
    state = sup.log.entry_state("1001")
    assert state.status is PickupStatus.PICKED_UP and state.conflict is None


def test_an_offline_double_pickup_is_resolved_with_the_pickup_that_counts(stations):
    counter_1, counter_2, sup = stations("counter-1", 1_000), stations("counter-2", 1_500), stations("sup-1", 1)
    first = counter_1.log.record(FactKind.PICKUP, volunteer_id="v", entry_no="1002")
    counter_2.log.record(FactKind.PICKUP, volunteer_id="v", entry_no="1002")
    for station in (counter_1, counter_2, sup):
        station.sync()
    sup.clock[0] = 9_000
    case = open_case(sup, "1002", "state_conflict", "state_conflict")
    with pytest.raises(ResolutionRefused, match="needs the pickup that counts"):
        sup.queue.resolve(case, Resolution(Decision.RESOLVE_DOUBLE_PICKUP, "same runner twice", "alice"))
    facts = sup.queue.resolve(case, Resolution(Decision.RESOLVE_DOUBLE_PICKUP, "same runner came twice",
                                               "alice", keep_pickup=first.fact_id))
    assert facts[-1].kind is FactKind.OVERRIDE and facts[-1].payload["keep_pickup"] == first.fact_id
    assert sup.queue.queue(T0).items == ()


def test_unknown_case_is_a_clear_error(stations, tmp_path: Path):
    sup = stations("sup-1", 1_000)
    with pytest.raises(StationError, match="No exception nope"):
        sup.queue.claim("nope", "alice")
