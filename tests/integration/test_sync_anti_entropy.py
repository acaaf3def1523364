"""Anti-entropy: a hub rebuilt from empty converges from whichever stations are
still around. Each station relays what it holds from others that the hub
lacks (by the hub's per-station high stamps); the hub says which stations it
has never heard from itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.core.ledger import Conflict
from station.core.models import FactKind
from station.store.station_log import StationLog
from station.sync.hub_store import HUB_FILE, HubStore, publish_event
from station.sync.worker import SyncWorker
from tests.factories import make_event, row
from tests.integration.test_sync_hubs import EVENT, HttpHubRunner, SqliteHubRunner


def runner_for(kind: str, data: Path) -> HttpHubRunner | SqliteHubRunner:
    data.mkdir()
    return HttpHubRunner(data) if kind == "http" else SqliteHubRunner(data)


@pytest.mark.parametrize("kind", ["http", "sqlite"])
def test_a_rebuilt_hub_converges_from_the_stations_still_around(kind, tmp_path, kyoto_settings):
    event = tmp_path / "event.sqlite"
    make_event(event, kyoto_settings, [row(1), row(2), row(3)]).close()
    first = runner_for(kind, tmp_path / "hub-1")
    publish_event(first.data, event)
    first.start()
    logs = {name: StationLog.open(tmp_path / f"{name}.sqlite", station_id=name, event_id=EVENT)
            for name in ("counter-a", "counter-b", "counter-c")}
    workers = {name: SyncWorker(log, first.connect(name)) for name, log in logs.items()}
    second = None
    try:
        # counter-a and counter-c both hand out entry 1001 (the hall's double pickup) ...
        logs["counter-a"].record(FactKind.PICKUP, volunteer_id="v-a", entry_no="1001")
        logs["counter-c"].record(FactKind.PICKUP, volunteer_id="v-c", entry_no="1001")
        logs["counter-c"].record(FactKind.PICKUP, volunteer_id="v-c", entry_no="1003")
        logs["counter-b"].record(FactKind.PICKUP, volunteer_id="v-b", entry_no="1002")
        for _ in range(2):
            for worker in workers.values():
                worker.sync_once()
        with first.inspect() as store:
            before = store.fact_ids()
            assert [s.entry_no for s in store.conflicts()] == ["1001"]
        # ... then the hub is lost and rebuilt from empty; counter-c never comes back.
        workers["counter-c"].close()
        logs["counter-c"].close()
        first.close()
        second = runner_for(kind, tmp_path / "hub-2")
        publish_event(second.data, event)
        second.start()
        survivors = {name: SyncWorker(logs[name], second.connect(name)) for name in ("counter-a", "counter-b")}
        for name in ("counter-a", "counter-b"):
            workers[name].close()
            workers[name] = survivors[name]
        with second.inspect() as store:
            assert store.summary().silent == ("counter-a", "counter-b")  # provisioned, not heard from yet
        for worker in survivors.values():
            worker.sync_once()
        with second.inspect() as store:
            assert store.fact_ids() == before
            assert [(s.entry_no, s.conflict) for s in store.conflicts()] == [("1001", Conflict.DOUBLE_PICKUP)]
            summary = store.summary()
        assert summary.unknown == ("counter-c",) and summary.silent == ()
        # and a new counter learns that 1003 was collected
        late = StationLog.open(tmp_path / "counter-d.sqlite", station_id="counter-d", event_id=EVENT)
        try:
            newcomer = SyncWorker(late, second.connect("counter-d"))
            newcomer.sync_once()
            assert late.entry_state("1003").pickup is not None
            assert late.entry_state("1003").pickup.station_id == "counter-c"
            newcomer.close()
        finally:
            late.close()
    finally:
        for name, worker in workers.items():
            if name != "counter-c":
                worker.close()
                logs[name].close()
        if second is not None:
            second.close()


def test_nobody_relays_in_the_name_of_a_station_that_speaks_for_itself(tmp_path, kyoto_settings):
    data = tmp_path / "hub"
    data.mkdir()
    HubStore.open(data / HUB_FILE).close()
    a = StationLog.open(tmp_path / "a.sqlite", station_id="counter-a", event_id=EVENT)
    b = StationLog.open(tmp_path / "b.sqlite", station_id="counter-b", event_id=EVENT)
    try:
        own = a.record(FactKind.PICKUP, volunteer_id="v", entry_no="1001")
        forged = a.new_fact(FactKind.PICKUP, volunteer_id="v", entry_no="1002")
        with HubStore.open(data / HUB_FILE) as store:
            store.ingest([own], station="counter-a")
            from station.core.fact_check import FactRefused

            with pytest.raises(FactRefused, match="sends its own facts"):
                store.ingest([forged], station="counter-b", relay=True)
            assert forged.fact_id not in store.fact_ids()
    finally:
        a.close()
        b.close()
