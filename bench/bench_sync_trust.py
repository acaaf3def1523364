"""Sync trust benchmarks: hub ingest with every fact checked at the door and
every supervisor decision's signature verified, and the cost per fact of a
station's door (content checks, signature checks, append).

    .venv/bin/python bench/bench_sync_trust.py [--stations 4] [--per-station 5000] [--signed 0.1]

The HTTP hub runs in its own process (`station hub serve` on 127.0.0.1); the
stations are threads here, each pushing batches of 500. A share `--signed` of
each station's facts are supervisor overrides signed with the supervisor's key
(the rest pickups), so the hub verifies that many Ed25519 signatures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from argon2 import PasswordHasher

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_sync import free_port, serve

from station.core.confirmation import Signer, new_private_seed
from station.core.event import kyoto_defaults
from station.core.fact_check import STATION_SKEW, Door, check_fact
from station.core.fact_proof import supervisor_proof_problem
from station.core.models import Fact, FactKind
from station.store.confirmations import add_public_key
from station.store.event_package import EventPackage
from station.store.event_trust import know_event
from station.store.station_log import StationLog
from station.store.supervisor_keys import public_keys
from station.store.supervisors import SupervisorSignIn, enrol
from station.sync.client import HttpHub
from station.sync.hub_store import HUB_FILE, HubStore, publish_event

EVENT = "bench-2027"
PIN = "7391648205"
FAST = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)  # enrolment only; verifying costs the same


def make_package(path: Path) -> None:
    race_day = dt.date.today() + dt.timedelta(days=60)
    package = EventPackage.create(path, kyoto_defaults(EVENT, "Bench Marathon", race_day))
    add_public_key(package, Signer(new_private_seed()).public_raw)
    enrol(package, "sv-1", "Bench Supervisor", PIN, hasher=FAST)
    package.close()


def station_facts(root: Path, package: EventPackage, name: str, count: int, signed: float) -> list[Fact]:
    log = StationLog.open(root / f"{name}.sqlite", station_id=name, event_id=EVENT)
    SupervisorSignIn(package, log, hasher=FAST).sign_in("sv-1", PIN, dt.datetime.now(dt.UTC))
    every = max(1, round(1 / signed)) if signed > 0 else 0
    facts = []
    for k in range(count):
        if every and k % every == 0:
            facts.append(log.new_fact(FactKind.OVERRIDE, volunteer_id="sv-1", entry_no=f"{name}-{k}", payload={
                "exception_id": f"x-{k}", "decision": "approve_override", "supervisor_reason": "bench",
                "ground": "late_arrival_accepted", "codes": ["outside_window"]}))
        else:
            facts.append(log.new_fact(FactKind.PICKUP, volunteer_id="v", entry_no=f"{name}-{k}", payload={
                "bib": str(k), "items": ["bib", "gift"], "decided_offline": False}))
    log.close()
    return facts


def bench_hub(root: Path, stations: int, per_station: int, signed: float) -> None:
    data = root / "hub"
    data.mkdir()
    package_path = root / "event.sqlite"
    make_package(package_path)
    HubStore.open(data / HUB_FILE).close()
    publish_event(data, package_path)
    port = free_port()
    process = serve(data, port)
    package = EventPackage.open(package_path)
    try:
        with HubStore.open(data / HUB_FILE) as store:
            tokens = {f"counter-{n}": store.add_station(f"counter-{n}") for n in range(stations)}
        work = []
        for name, token in tokens.items():
            facts = station_facts(root, package, name, per_station, signed)
            work.append((HttpHub(f"http://127.0.0.1:{port}", name, token, timeout=60), facts))

        def push_all(hub: HttpHub, facts: list[Fact]) -> None:
            for start in range(0, len(facts), 500):
                hub.push(facts[start:start + 500])

        threads = [threading.Thread(target=push_all, args=w) for w in work]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        total = stations * per_station
        with HubStore.open(data / HUB_FILE) as store:
            held = store.health().facts
        print(f"hub ingest over HTTP with validation and signatures: {total} facts "
              f"({signed:.0%} signed supervisor decisions) from {stations} stations, batches of 500: "
              f"{elapsed:.2f} s = {total / elapsed:,.0f} facts/s (hub holds {held})")
        for hub, _ in work:
            hub.close()
    finally:
        process.terminate()
        process.wait(10)
        package.close()

    # The station's door, per fact.
    package = EventPackage.open(package_path)
    try:
        facts = station_facts(root, package, "counter-x", 5000, signed)
        door = Door.for_event(EVENT, package.settings.race_date, skew=STATION_SKEW)
        keys = public_keys(package)
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            for fact in facts:
                check_fact(fact, door)
            timings.append((time.perf_counter() - started) / len(facts))
        content = statistics.median(timings)
        overrides = [f for f in facts if f.kind is FactKind.OVERRIDE]
        started = time.perf_counter()
        for fact in overrides:
            assert supervisor_proof_problem(fact, keys) is None
        verify = (time.perf_counter() - started) / len(overrides)
        log = know_event(StationLog.open(root / "receiver.sqlite", station_id="counter-r", event_id=EVENT), package)
        started = time.perf_counter()
        for start in range(0, len(facts), 500):
            log.append(facts[start:start + 500], received=True)
        received = (time.perf_counter() - started) / len(facts)
        assert not log.quarantined()
        log.close()
        plain = StationLog.open(root / "plain.sqlite", station_id="counter-x", event_id=EVENT)
        started = time.perf_counter()
        for start in range(0, len(facts), 500):
            plain.append(facts[start:start + 500])  # its own facts: no door
        own = (time.perf_counter() - started) / len(facts)
        plain.close()
        print(f"station door: content checks {content * 1e6:.1f} us/fact; Ed25519 verify of a signed "
              f"decision {verify * 1e6:.0f} us; append of received facts through the door "
              f"{received * 1e6:.0f} us/fact vs {own * 1e6:.0f} us/fact without it "
              f"({signed:.0%} signed)")
    finally:
        package.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stations", type=int, default=4)
    parser.add_argument("--per-station", type=int, default=5000)
    parser.add_argument("--signed", type=float, default=0.1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench_hub(Path(tmp), args.stations, args.per_station, args.signed)


if __name__ == "__main__":
    main()
