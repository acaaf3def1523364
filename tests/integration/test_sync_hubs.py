"""Sync end to end: real hubs (uvicorn on 127.0.0.1, or a hub file in a folder
that comes and goes like a network share) and several real station logs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn

from station.core.fact_check import FactRefused
from station.core.hlc import HybridClock
from station.core.ledger import Conflict, PickupStatus
from station.core.models import Fact, FactKind
from station.store import fact_rows
from station.store.event_package import EventPackage
from station.store.sqlite import transaction
from station.store.station_log import StationLog
from station.sync.client import HttpHub, Hub, open_hub
from station.sync.http_hub import create_app
from station.sync.hub_store import HUB_FILE, HubStore, publish_event
from station.sync.protocol import HubRefused, HubUnavailable
from station.sync.sqlite_hub import SqliteHub
from station.sync.worker import Decision, SyncWorker

EVENT = "kyoto-test-2027"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class HttpHubRunner:
    """`station hub serve`'s app on uvicorn in a thread; stop() and start() again on the same port."""

    kind = "http"

    def __init__(self, data: Path, *, per_second: float = 1000.0, burst: int = 1000,
                 tls: tuple[Path, Path] | None = None) -> None:
        self.data = data
        self.port = free_port()
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self._limits = (per_second, burst)
        self._tls = tls
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._clients: list[Hub] = []
        HubStore.open(data / HUB_FILE).close()

    def start(self) -> None:
        config = uvicorn.Config(
            create_app(self.data, per_second=self._limits[0], burst=self._limits[1]),
            host="127.0.0.1", port=self.port, log_level="warning", ws="none",
            ssl_keyfile=str(self._tls[0]) if self._tls else None,
            ssl_certfile=str(self._tls[1]) if self._tls else None,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        wait_until(lambda: self._server.started or not self._thread.is_alive(), "the hub to start")
        assert self._server.started, "the hub did not start"

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            self._thread.join(10)
            self._server = None

    def connect(self, station: str) -> Hub:
        with HubStore.open(self.data / HUB_FILE) as store:
            token = store.add_station(station)
        client = HttpHub(self.url, station, token, timeout=3.0)
        self._clients.append(client)
        return client

    def inspect(self) -> HubStore:
        return HubStore.open(self.data / HUB_FILE, create=False)

    def close(self) -> None:
        self.stop()
        for client in self._clients:
            client.close()


class SqliteHubRunner:
    """A hub file in a folder; stop() takes the folder away like an unmounted share."""

    kind = "sqlite"

    def __init__(self, data: Path) -> None:
        self.data = data
        self._away = data.with_name(data.name + "-away")
        HubStore.open(data / HUB_FILE, shared=True).close()

    def start(self) -> None:
        if self._away.exists():
            self._away.rename(self.data)

    def stop(self) -> None:
        self.data.rename(self._away)

    def connect(self, station: str) -> Hub:
        with HubStore.open(self.data / HUB_FILE) as store:
            token = store.add_station(station, force=True)  # a test may have issued one already
        return SqliteHub(self.data / HUB_FILE, station, token=token)

    def inspect(self) -> HubStore:
        return HubStore.open(self.data / HUB_FILE, create=False)

    def close(self) -> None:
        self.start()


@pytest.fixture(params=["http", "sqlite"])
def hub(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[HttpHubRunner | SqliteHubRunner]:
    data = tmp_path / "hub"
    data.mkdir()
    runner = HttpHubRunner(data) if request.param == "http" else SqliteHubRunner(data)
    runner.start()
    yield runner
    runner.close()


@dataclass
class Counter:
    log: StationLog
    hub: Hub
    worker: SyncWorker

    @property
    def name(self) -> str:
        return self.log.station_id

    def pickup(self, entry_no: str, **payload: object) -> Fact:
        fact = self.log.record(FactKind.PICKUP, volunteer_id=f"vol-{self.name}", entry_no=entry_no,
                               payload=dict(payload))
        self.worker.nudge()
        return fact

    def fact_ids(self) -> set[str]:
        return {fact.fact_id for _, fact in self.log.facts()}


@pytest.fixture
def counters(tmp_path: Path, hub) -> Iterator[Callable[..., Counter]]:
    made: list[Counter] = []

    def make(name: str, **worker_options: object) -> Counter:
        log = StationLog.open(tmp_path / f"{name}.sqlite", station_id=name, event_id=EVENT)
        client = hub.connect(name)
        options = {"pull_every": 0.1, "first_backoff": 0.05, "max_backoff": 0.3} | worker_options
        counter = Counter(log, client, SyncWorker(log, client, **options))
        made.append(counter)
        return counter

    yield make
    for counter in made:
        counter.worker.close()
        counter.log.close()


def converged(hub, counters: list[Counter]) -> bool:
    with hub.inspect() as store:
        hub_ids, hub_states = store.fact_ids(), store.entry_states()
    return all(c.fact_ids() == hub_ids and c.log.entry_states() == hub_states for c in counters)


def assert_converged(hub, counters: list[Counter]) -> None:
    with hub.inspect() as store:
        hub_ids, hub_states = store.fact_ids(), store.entry_states()
    for counter in counters:
        assert counter.fact_ids() == hub_ids, counter.name
        assert counter.log.entry_states() == hub_states, counter.name


def sync_all(*counters: Counter) -> None:
    for counter in counters:
        counter.worker.sync_once()


def publish_roster_update(data: Path, tmp_path: Path, settings, entry_no: str, change: str) -> Fact:
    path = tmp_path / f"event-{uuid.uuid4().hex[:6]}.sqlite"
    package = EventPackage.create(path, settings)
    fact = Fact(
        fact_id=str(uuid.uuid4()), kind=FactKind.ROSTER_UPDATE, event_id=EVENT,
        station_id="organizer", volunteer_id="organizer", wall_time=dt.datetime.now(dt.UTC),
        stamp=HybridClock("organizer").now(), entry_no=entry_no, payload={"change": change},
    )
    with transaction(package.conn, path):
        fact_rows.insert(package.conn, "roster_fact", [fact])
    package.close()
    publish_event(data, path)
    return fact


# -- the flows ---------------------------------------------------------------------------


def test_normal_flow_with_running_workers(hub, counters, tmp_path, kyoto_settings):
    publish_roster_update(hub.data, tmp_path, kyoto_settings, "R-001", "cancelled")
    hall = [counters(f"counter-{n}") for n in range(3)]
    seen: list = []
    hall[0].worker.subscribe(seen.append)
    for counter in hall:
        counter.worker.start()
    for n, counter in enumerate(hall):
        for k in range(4):
            counter.pickup(f"E-{n}{k}")

    wait_until(lambda: converged(hub, hall), "every counter to hold every fact")

    for counter in hall:
        states = counter.log.entry_states()
        assert states["R-001"].status is PickupStatus.CANCELLED  # the organizer's update came down
        assert states["E-12"].pickup.station_id == "counter-1"
        assert not [s for s in states.values() if s.conflict]
        wait_until(lambda c=counter: c.worker.status.online and c.worker.status.waiting == 0, "status")
    assert any(s.online and s.last_sync for s in seen)

    # The first download of the event package, with progress.
    progress: list = []
    hall[1].worker.subscribe(lambda s: progress.append((s.package_done, s.package_total)))
    copy = hall[1].worker.download_package(tmp_path / "downloaded" / "event.sqlite")
    package = EventPackage.open(copy)
    assert package.settings.event_id == EVENT
    assert len(list(package.roster_facts())) == 1
    package.close()
    size = copy.stat().st_size
    assert (size, size) in progress


def test_hub_away_then_back(hub, counters):
    hall = [counters(f"counter-{n}") for n in range(3)]
    for counter in hall:
        counter.worker.start()
    wait_until(lambda: all(c.worker.status.online for c in hall), "the first sync")

    hub.stop()
    for n, counter in enumerate(hall):
        counter.pickup(f"E-{n}")
        counter.pickup(f"F-{n}")
    wait_until(lambda: all(not c.worker.status.online and c.worker.status.waiting == 2 for c in hall),
               "every counter to notice the hub is away")
    assert all(c.log.entry_state(f"E-{n}").status is PickupStatus.PICKED_UP for n, c in enumerate(hall))

    hub.start()
    wait_until(lambda: converged(hub, hall) and all(c.worker.status.waiting == 0 for c in hall),
               "catching up after the hub came back")
    assert_converged(hub, hall)
    assert all(c.worker.status.online for c in hall)


def test_half_sent_batch_changes_nothing(hub, counters):
    a, b = counters("counter-a"), counters("counter-b")
    facts = [a.pickup(f"E-{k}") for k in range(3)]
    # The hub took the batch but the answer never reached the station.
    first = a.hub.push(facts)
    assert first.new == 3
    again = a.hub.push(facts)
    assert again.new == 0 and set(again.accepted) == {f.fact_id for f in facts}
    sync_all(a, b, a)
    with hub.inspect() as store:
        assert store.health().facts == 3
    assert_converged(hub, [a, b])
    assert a.worker.status.waiting == 0


@pytest.mark.parametrize("order", ["a_first", "b_first"])
def test_partitioned_double_pickup_becomes_one_conflict(hub, counters, order):
    a, b, c = counters("counter-a"), counters("counter-b"), counters("counter-c")
    a.pickup("E-100")
    sync_all(a, b, c, a)

    hub.stop()  # the hall's network goes down; A and B serve the same runner's entry
    assert a.worker.ask_before_pickup(a.log, "E-7", timeout=0.5) is Decision.DECIDED_OFFLINE
    assert b.worker.ask_before_pickup(b.log, "E-7", timeout=0.5) is Decision.DECIDED_OFFLINE
    first = a.pickup("E-7", decided_offline=True)
    second = b.pickup("E-7", decided_offline=True)
    for counter in (a, b):
        with pytest.raises(HubUnavailable):
            counter.worker.sync_once()
    hub.start()

    one, other = (a, b) if order == "a_first" else (b, a)
    sync_all(one, other, c, one)
    sync_all(a, b, c)  # again: nothing new, nothing doubled

    assert_converged(hub, [a, b, c])
    with hub.inspect() as store:
        hub_conflicts = store.conflicts()
        assert store.health().facts == 3
    assert [(s.entry_no, s.conflict) for s in hub_conflicts] == [("E-7", Conflict.DOUBLE_PICKUP)]
    earlier = min(first, second, key=Fact.order_key)
    for counter in (a, b, c):
        conflicted = [s for s in counter.log.entry_states().values() if s.conflict]
        assert [(s.entry_no, s.conflict) for s in conflicted] == [("E-7", Conflict.DOUBLE_PICKUP)]
        assert conflicted[0].pickup.fact_id == earlier.fact_id
        assert conflicted[0].pickups == 2
    assert [s.entry_no for s in a.hub.conflicts()] == ["E-7"]


def test_pickup_after_void_is_a_conflict_everywhere(hub, counters):
    a, b = counters("counter-a"), counters("counter-b")
    a.pickup("E-9")
    a.log.record(FactKind.VOID, volunteer_id="supervisor-1", entry_no="E-9", payload={"reason": "lost"})
    sync_all(a, b)
    b.pickup("E-9")  # handed out again without a supervisor's reprint
    a.pickup("E-10")
    b.log.record(FactKind.VOID, volunteer_id="supervisor-1", entry_no="E-10")
    sync_all(b, a)
    b.pickup("E-10", reprint=True)  # the proper way: no conflict
    sync_all(b, a)
    assert_converged(hub, [a, b])
    with hub.inspect() as store:
        assert [(s.entry_no, s.conflict) for s in store.conflicts()] == [
            ("E-9", Conflict.PICKUP_AFTER_VOID)
        ]
    assert a.log.entry_state("E-10").status is PickupStatus.PICKED_UP
    assert a.log.entry_state("E-9").conflict is Conflict.PICKUP_AFTER_VOID


def test_asking_the_hub_before_a_pickup(hub, counters):
    a, b = counters("counter-a"), counters("counter-b")
    sync_all(a, b)
    a.pickup("E-5")
    assert a.worker.push_once() == 1
    # B has not pulled yet; asking the hub brings A's pickup into B's log.
    assert b.log.entry_state("E-5").status is PickupStatus.WAITING
    assert b.worker.ask_before_pickup(b.log, "E-5", timeout=1.0) is Decision.HUB_CHECKED
    state = b.log.entry_state("E-5")
    assert state.status is PickupStatus.PICKED_UP and state.pickup.station_id == "counter-a"

    hub.stop()
    started = time.monotonic()
    assert b.worker.ask_before_pickup(b.log, "E-6", timeout=0.5) is Decision.DECIDED_OFFLINE
    assert time.monotonic() - started < 3.0  # a volunteer does not wait on a dead network
    assert not b.worker.status.online  # and the next pickup does not wait again
    started = time.monotonic()
    assert b.worker.ask_before_pickup(b.log, "E-7", timeout=0.5) is Decision.DECIDED_OFFLINE
    assert time.monotonic() - started < 0.05
    hub.start()


def test_a_station_sends_only_its_own_facts_and_can_be_revoked(hub, counters, tmp_path):
    a, b = counters("counter-a"), counters("counter-b")
    forged = b.log.new_fact(FactKind.PICKUP, volunteer_id="x", entry_no="E-1")
    with pytest.raises(FactRefused, match="not_your_name"):
        a.hub.push([forged])
    odd_clock = dataclasses.replace(a.log.new_fact(FactKind.PICKUP, volunteer_id="x", entry_no="E-1"),
                                    stamp=HybridClock("counter-b").now())
    with pytest.raises(FactRefused, match="clock stamp"):
        a.hub.push([odd_clock])
    with hub.inspect() as store:
        store.revoke_station("counter-a")
    a.pickup("E-2")
    with pytest.raises(HubRefused):
        a.worker.sync_once()
    b.pickup("E-3")
    b.worker.sync_once()  # the others carry on
    with hub.inspect() as store:
        assert store.health().facts == 1


def test_a_reinstalled_station_gets_its_own_pickups_back(hub, counters, tmp_path):
    a = counters("counter-a")
    a.pickup("E-1")
    a.worker.sync_once()
    fresh_log = StationLog.open(tmp_path / "reinstalled.sqlite", station_id="counter-a", event_id=EVENT)
    worker = SyncWorker(fresh_log, a.hub)
    try:
        worker.sync_once()
        assert fresh_log.entry_state("E-1").status is PickupStatus.PICKED_UP
    finally:
        worker.close()
        fresh_log.close()


def test_open_hub_picks_the_hub_kind(tmp_path: Path):
    data = tmp_path / "hub"
    HubStore.open(data / HUB_FILE, shared=True).close()
    hub = open_hub(f"sqlite:///{data / HUB_FILE}", station_id="counter-a")
    assert isinstance(hub, SqliteHub) and hub.health().facts == 0
    http = open_hub("http://127.0.0.1:9", station_id="counter-a", token="t")
    assert isinstance(http, HttpHub)
    with pytest.raises(HubUnavailable):
        http.health()
    http.close()
    with pytest.raises(HubRefused):
        open_hub("ftp://hub", station_id="counter-a", token="t")
    with pytest.raises(HubRefused, match="token"):
        open_hub("http://hub:8765", station_id="counter-a")
