"""Property: whatever order stations push, pull, lose answers and lose the hub
in, once everyone syncs with a hub that is up, every station and the hub hold
the same facts and derive the same states, equal to folding all facts at once.

Runs against the central-SQLite hub (a real file in a folder that comes and
goes) for speed; the socket path is covered by test_sync_hubs.py.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
import uuid
from itertools import groupby
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.core.hlc import HybridClock
from station.core.ledger import fold_entry
from station.core.models import Fact, FactKind
from station.store.station_log import StationLog
from station.sync.hub_store import HUB_FILE, HubStore
from station.sync.protocol import HubUnavailable
from station.sync.sqlite_hub import SqliteHub
from station.sync.worker import SyncWorker

EVENT = "kyoto-test-2027"
STATIONS = ("counter-a", "counter-b", "counter-c")
ENTRIES = ("E-1", "E-2", "E-3")

station = st.integers(0, len(STATIONS) - 1)
entry = st.sampled_from(ENTRIES)
step = st.one_of(
    st.tuples(st.just("pickup"), station, entry, st.booleans()),
    st.tuples(st.just("void"), station, entry),
    st.tuples(st.just("sync"), station),
    st.tuples(st.just("push_answer_lost"), station),
    st.tuples(st.just("roster"), entry, st.sampled_from(["cancelled", "reinstated"])),
    st.tuples(st.just("hub_down")),
    st.tuples(st.just("hub_up")),
)


class Hall:
    def __init__(self, root: Path) -> None:
        self.data = root / "hub"
        self.away = root / "hub-away"
        self.data.mkdir()
        HubStore.open(self.data / HUB_FILE, shared=True).close()
        self.logs = [StationLog.open(root / f"{name}.sqlite", station_id=name, event_id=EVENT)
                     for name in STATIONS]
        self.hubs = [SqliteHub(self.data / HUB_FILE, name, busy_timeout_ms=1000) for name in STATIONS]
        self.workers = [SyncWorker(log, hub) for log, hub in zip(self.logs, self.hubs, strict=True)]
        self.organizer = HybridClock("organizer")

    @property
    def up(self) -> bool:
        return self.data.exists()

    def close(self) -> None:
        for worker in self.workers:
            worker.close()
        for log in self.logs:
            log.close()

    def run(self, action: tuple) -> None:
        kind = action[0]
        if kind == "pickup":
            _, s, entry_no, reprint = action
            self.logs[s].record(FactKind.PICKUP, volunteer_id="v", entry_no=entry_no,
                                payload={"reprint": True} if reprint else {})
        elif kind == "void":
            _, s, entry_no = action
            self.logs[s].record(FactKind.VOID, volunteer_id="supervisor", entry_no=entry_no)
        elif kind == "sync":
            self._sync(action[1])
        elif kind == "push_answer_lost":
            s = action[1]
            own = [f for _, f in self.logs[s].facts() if f.station_id == STATIONS[s]]
            if own:
                with contextlib.suppress(HubUnavailable):
                    self.hubs[s].push(own)  # the hub has them; the station never heard back
        elif kind == "roster" and self.up:
            _, entry_no, change = action
            fact = Fact(str(uuid.uuid4()), FactKind.ROSTER_UPDATE, EVENT, "organizer", "organizer",
                        dt.datetime.now(dt.UTC), self.organizer.now(), entry_no, {"change": change})
            with HubStore.open(self.data / HUB_FILE, create=False) as store:
                store.ingest([fact], station=None)
        elif kind == "hub_down" and self.up:
            self.data.rename(self.away)
        elif kind == "hub_up" and not self.up:
            self.away.rename(self.data)

    def _sync(self, s: int) -> None:
        if self.up:
            self.workers[s].sync_once()
        else:
            with pytest.raises(HubUnavailable):
                self.workers[s].sync_once()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(step, max_size=25), final_order=st.permutations(range(len(STATIONS))))
def test_any_interleaving_converges(steps, final_order):
    with tempfile.TemporaryDirectory() as root:
        hall = Hall(Path(root))
        try:
            for action in steps:
                hall.run(action)
            hall.run(("hub_up",))
            for _ in range(2):  # the first round brings everything up, the second down
                for s in final_order:
                    hall.workers[s].sync_once()

            with HubStore.open(hall.data / HUB_FILE, create=False) as store:
                hub_ids, hub_states = store.fact_ids(), store.entry_states()
                hub_conflicts = [s.entry_no for s in store.conflicts()]
                everything = [store.entry(e).facts for e in ENTRIES]
            for log in hall.logs:
                assert {f.fact_id for _, f in log.facts()} == hub_ids
                assert log.entry_states() == hub_states
                assert sorted(e for e, s in log.entry_states().items() if s.conflict) == hub_conflicts
            # ... and equal to folding every fact at once, in no particular arrival order.
            facts = sorted((f for group in everything for f in group), key=lambda f: f.entry_no)
            for entry_no, group in groupby(facts, key=lambda f: f.entry_no):
                assert hub_states[entry_no] == fold_entry(entry_no, list(group))
            assert all(w.status.waiting == 0 for w in hall.workers)
        finally:
            hall.close()
