"""Issue 11: online, the hub serialises pickups (HTTP hub and central-SQLite hub).

Two counters completing the same runner at the same moment: the first claim
holds the entry, the second counter is told where it is being handed out and
records nothing. Offline nothing changes."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

from station.core.evidence import DocumentType, FoundBy, IdCheck, Match
from station.core.models import FactKind
from station.core.verdict import Outcome, ReasonCode
from station.store.checkin import CheckinDesk
from station.store.event_package import EventPackage
from station.store.station_log import StationLog
from station.sync.claims import claim_entries
from station.sync.hub_store import HUB_FILE, HubStore
from station.sync.worker import SyncWorker
from tests.factories import make_event, row
from tests.integration.test_sync_hubs import hub  # noqa: F401 - the real hubs, both kinds

NOON = dt.datetime(2027, 2, 19, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
PASSPORT = IdCheck(DocumentType.PASSPORT, Match.CONFIRMED, Match.CONFIRMED)


def _desks(tmp_path: Path, hub_runner, kyoto_settings, n: int = 6):
    make_event(tmp_path / "e.sqlite", kyoto_settings, [row(i) for i in range(1, n + 1)]).close()
    package = EventPackage.open(tmp_path / "e.sqlite")
    made = []
    for name in ("counter-a", "counter-b"):
        log = StationLog.open(tmp_path / f"{name}.sqlite", station_id=name, event_id=package.settings.event_id)
        worker = SyncWorker(log, hub_runner.connect(name))
        worker.sync_once()  # online
        made.append((log, worker, CheckinDesk(package, log, hub=worker)))
    return package, made


def _complete(desk: CheckinDesk, entry_no: str):
    case = desk.open_case(entry_no, FoundBy.SEARCH)
    return desk.complete(case, desk.evidence(case, id_check=PASSPORT, handed_over=("bib",)), "V", NOON)


def test_the_second_counter_is_told_where_the_runner_is_being_served(tmp_path, hub, kyoto_settings):  # noqa: F811
    package, [(log_a, worker_a, desk_a), (log_b, worker_b, desk_b)] = _desks(tmp_path, hub, kyoto_settings)
    try:
        verdict_a, facts_a = _complete(desk_a, "1001")
        assert verdict_a.ready and any(f.kind is FactKind.PICKUP for f in facts_a)
        assert not any(f.payload.get("decided_offline") for f in facts_a if f.kind is FactKind.PICKUP)
        verdict_b, facts_b = _complete(desk_b, "1001")
        assert facts_b == () and verdict_b.outcome is Outcome.REFUSED
        assert verdict_b.codes == (ReasonCode.BEING_HANDED_OUT,)
        assert verdict_b.headline.text_en == "Entry 1001 is being handed out at counter counter-a right now."
        assert "カウンター counter-a で受け渡し中" in verdict_b.headline.text_ja

        # Simultaneous completions, several runners: each runner's bib is handed out once.
        for entry_no in ("1002", "1003", "1004"):
            results: dict[str, tuple] = {}
            start = threading.Barrier(2)

            def run(desk: CheckinDesk, key: str, entry_no: str = entry_no, results: dict = results,
                    start: threading.Barrier = start) -> None:
                start.wait()
                results[key] = _complete(desk, entry_no)

            threads = [threading.Thread(target=run, args=(d, k)) for d, k in ((desk_a, "a"), (desk_b, "b"))]
            for t in threads:
                t.start()
            for t in threads:
                t.join(10)
            handed = [k for k, (_, facts) in results.items() if facts]
            assert len(handed) == 1, (entry_no, results)
    finally:
        for log, worker in ((log_a, worker_a), (log_b, worker_b)):
            worker.close()
            log.close()
        package.close()


def test_offline_a_counter_decides_alone(tmp_path, hub, kyoto_settings):  # noqa: F811
    package, [(log_a, worker_a, _), (log_b, worker_b, desk_b)] = _desks(tmp_path, hub, kyoto_settings)
    try:
        hub.stop()
        verdict, facts = _complete(desk_b, "1005")
        assert verdict.ready
        assert all(f.payload.get("decided_offline") for f in facts if f.kind is FactKind.PICKUP)
    finally:
        hub.start()
        for log, worker in ((log_a, worker_a), (log_b, worker_b)):
            worker.close()
            log.close()
        package.close()


def test_a_claim_is_all_or_nothing_and_expires(tmp_path):
    with HubStore.open(tmp_path / HUB_FILE) as store:
        assert claim_entries(store, "counter-a", ["1001", "E1"], now=100.0).granted
        held = claim_entries(store, "counter-b", ["1002", "E1"], now=101.0)
        assert not held.granted and (held.holder, held.entry_no) == ("counter-a", "E1")
        # nothing of counter-b's claim was taken: 1002 is free for counter-c
        assert claim_entries(store, "counter-c", ["1002"], now=101.0).granted
        assert claim_entries(store, "counter-a", ["1001"], now=102.0).granted  # the holder may claim again
        assert claim_entries(store, "counter-b", ["E1"], now=106.0).granted  # a hold lasts a few seconds


def test_a_claim_brings_the_pickups_of_the_numbers_about_to_be_handed_out(tmp_path, kyoto_settings):
    """The organizer swaps bibs 5 and 6 after 1001 took 5 at counter A; counter B
    never pulled A's pickup, but its claim for 1002 (now bib 5) brings it."""
    from station.core.models import FactKind as K

    with HubStore.open(tmp_path / HUB_FILE) as store:
        a = StationLog.open(tmp_path / "a.sqlite", station_id="counter-a", event_id=kyoto_settings.event_id)
        pickup = a.record(K.PICKUP, volunteer_id="v", entry_no="1001", payload={"bib": "5", "role": "runner"})
        store.ingest([pickup], station="counter-a")
        answer = claim_entries(store, "counter-b", ["1002"], bibs=["5"])
        assert answer.granted and [f.fact_id for f in answer.facts] == [pickup.fact_id]
        a.close()


def test_an_escorts_own_runner_entry_is_claimed_with_the_pair(tmp_path, kyoto_settings):
    """A guide who is also a registered runner (1002) takes that runner bib with the
    pair's pickup: the claim must hold 1002 too, so another counter serving 1002
    at the same moment is told, and nothing is handed out twice."""
    from station.core.evidence import EscortEvidence
    from station.sync.sqlite_hub import SqliteHub

    rows = [row(1, disability="1"), row(2),
            dict(row(2), entry_no="2001", bib="201", escort_of="1001")]  # 1002's person, guiding 1001
    make_event(tmp_path / "e.sqlite", kyoto_settings, rows).close()
    package = EventPackage.open(tmp_path / "e.sqlite")
    with HubStore.open(tmp_path / HUB_FILE, shared=True) as store:
        token = store.add_station("counter-a")
        assert claim_entries(store, "counter-b", ["1002"], bibs=["2"]).granted  # counter B is serving 1002
    log = StationLog.open(tmp_path / "a.sqlite", station_id="counter-a", event_id=package.settings.event_id)
    worker = SyncWorker(log, SqliteHub(tmp_path / HUB_FILE, "counter-a", token=token))
    try:
        worker.sync_once()
        desk = CheckinDesk(package, log, hub=worker)
        case = desk.open_case("1001", FoundBy.SEARCH)
        assert [e.own_entry.entrant.entry_no for e in case.escorts if e.own_entry] == ["1002"]
        guide = IdCheck(DocumentType.PASSPORT, Match.CONFIRMED, Match.CONFIRMED, document_hash="doc-2")
        evidence = desk.evidence(case, id_check=IdCheck(DocumentType.PASSPORT, Match.CONFIRMED, Match.CONFIRMED,
                                                        document_hash="doc-1"),
                                 escorts=(EscortEvidence("2001", guide),), certificate_seen=True,
                                 handed_over=("bib",))
        verdict, facts = desk.complete(case, evidence, "V", NOON)
        assert facts == () and verdict.codes == (ReasonCode.BEING_HANDED_OUT,)
        assert "1002" in verdict.headline.text_en and "counter-b" in verdict.headline.text_en
    finally:
        worker.close()
        log.close()
        package.close()
