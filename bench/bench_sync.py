"""Sync benchmarks: hub ingest rate, pickup-to-refusal time across 100 stations,
and the first download of a 40,000-entrant event package.

    .venv/bin/python bench/bench_sync.py [--stations 100] [--trials 40] [--entrants 40000]

The HTTP hub runs in its own process (`station hub serve` on 127.0.0.1), as it
would on its own machine; the stations are threads in this process, each with
its own log file and sync worker.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from station.core.event import kyoto_defaults
from station.core.ledger import PickupStatus
from station.core.models import Category, Entrant, FactKind, Sex
from station.store.event_package import ENTRANT_COLUMNS, EventPackage, entrant_to_row
from station.store.sqlite import transaction
from station.store.station_log import StationLog
from station.sync.client import HttpHub
from station.sync.hub_store import HUB_FILE, HubStore, publish_event
from station.sync.sqlite_hub import SqliteHub
from station.sync.worker import SyncWorker

EVENT = "bench-2027"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(data: Path, port: int) -> subprocess.Popen:
    code = ("import sys; from station.commands.hub import hub; "
            "hub(['serve', '--data', sys.argv[1], '--port', sys.argv[2], '--rate', '200'])")
    process = subprocess.Popen([sys.executable, "-c", code, str(data), str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=0.5).status_code == 200:
                return process
        time.sleep(0.1)
    process.kill()
    raise SystemExit("the hub did not start")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


# -- 1. ingest ---------------------------------------------------------------------------------


def bench_ingest(root: Path, url: str, data: Path, stations: int = 4, per_station: int = 5000) -> None:
    logs, hubs = [], []
    with HubStore.open(data / HUB_FILE) as store:
        tokens = {f"ingest-{n}": store.add_station(f"ingest-{n}") for n in range(stations)}
    batches = []
    for name, token in tokens.items():
        log = StationLog.open(root / f"{name}.sqlite", station_id=name, event_id=EVENT)
        facts = [log.new_fact(FactKind.PICKUP, volunteer_id="v", entry_no=f"{name}-{k}")
                 for k in range(per_station)]
        logs.append(log)
        hub = HttpHub(url, name, token, timeout=30)
        hubs.append(hub)
        batches.append((hub, facts))

    def push_all(hub: HttpHub, facts: list) -> None:
        for start in range(0, len(facts), 500):
            hub.push(facts[start:start + 500])

    threads = [threading.Thread(target=push_all, args=b) for b in batches]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    total = stations * per_station
    print(f"hub ingest over HTTP: {total} facts from {stations} stations in batches of 500: "
          f"{elapsed:.2f} s = {total / elapsed:,.0f} facts/s")

    # The same facts once more: all duplicates, nothing written.
    started = time.perf_counter()
    for hub, facts in batches[:1]:
        push_all(hub, facts)
    elapsed = time.perf_counter() - started
    print(f"re-push of {per_station} facts already on the hub: {per_station / elapsed:,.0f} facts/s")

    shared = root / "shared-hub"
    shared.mkdir()
    HubStore.open(shared / HUB_FILE, shared=True).close()
    hub = SqliteHub(shared / HUB_FILE, "ingest-0")
    facts = batches[0][1]
    started = time.perf_counter()
    for start in range(0, len(facts), 500):
        hub.push(facts[start:start + 500])
    elapsed = time.perf_counter() - started
    print(f"central-SQLite hub ingest (local disk, rollback journal): {len(facts) / elapsed:,.0f} facts/s")
    for h in hubs:
        h.close()
    for log in logs:
        log.close()


# -- 2. pickup at A -> B refuses ---------------------------------------------------------------


def bench_refusal(root: Path, url: str, data: Path, stations: int, trials: int, pull_every: float) -> None:
    names = [f"counter-{n:03d}" for n in range(stations)]
    with HubStore.open(data / HUB_FILE) as store:
        tokens = {name: store.add_station(name) for name in names}
    logs = {n: StationLog.open(root / f"{n}.sqlite", station_id=n, event_id=EVENT) for n in names}
    hubs = {n: HttpHub(url, n, tokens[n], timeout=5) for n in names}
    workers = {n: SyncWorker(logs[n], hubs[n], pull_every=pull_every, max_backoff=2) for n in names}
    # Each station reads its own log through its own connection, as the counter would.
    readers = {n: StationLog.open(root / f"{n}.sqlite", station_id=n, event_id=EVENT) for n in names}
    for worker in workers.values():
        worker.start()
        time.sleep(pull_every / stations)  # counters start at different moments
    time.sleep(pull_every * 2)

    rng = random.Random(7)
    seen, asked = [], []
    for trial in range(trials):
        a, b = rng.sample(names, 2)
        entry = f"T-{trial:04d}"
        started = time.perf_counter()
        logs[a].record(FactKind.PICKUP, volunteer_id="v", entry_no=entry)
        workers[a].nudge()
        while readers[b].entry_state(entry).status is not PickupStatus.PICKED_UP:
            if time.perf_counter() - started > 30:
                raise SystemExit(f"trial {trial}: station {b} never saw the pickup")
            time.sleep(0.005)
        seen.append(time.perf_counter() - started)
        # The other path: the runner walks to counter C at once, which asks the
        # hub before handing out (the pre-pickup check), before any pull.
        a, c = rng.sample(names, 2)
        entry = f"U-{trial:04d}"
        started = time.perf_counter()
        logs[a].record(FactKind.PICKUP, volunteer_id="v", entry_no=entry)
        workers[a].nudge()
        while True:
            workers[c].ask_before_pickup(readers[c], entry, timeout=0.8)
            if readers[c].entry_state(entry).status is PickupStatus.PICKED_UP:
                break
            if time.perf_counter() - started > 30:
                raise SystemExit(f"trial {trial}: station {c} never saw the pickup by asking")
        asked.append(time.perf_counter() - started)
        time.sleep(rng.uniform(0, pull_every / 2))

    offline = sum(not w.status.online for w in workers.values())
    for worker in workers.values():
        worker.close()
    for group in (logs, readers):
        for log in group.values():
            log.close()
    for hub in hubs.values():
        hub.close()
    print(f"pickup at A -> B refuses (B learns by pulling every {pull_every:g} s), "
          f"{stations} stations, {trials} trials: p50 {statistics.median(seen):.3f} s, "
          f"p95 {pct(seen, 95):.3f} s, max {max(seen):.3f} s")
    print(f"pickup at A -> C refuses (C asks the hub before handing out, asking again until "
          f"A's push lands): p50 {statistics.median(asked) * 1000:.0f} ms, "
          f"p95 {pct(asked, 95) * 1000:.0f} ms; "
          f"stations offline at the end: {offline}")


# -- 3. the first package download ---------------------------------------------------------------


def build_package(path: Path, entrants: int) -> None:
    from faker import Faker

    fake = Faker("ja_JP")
    Faker.seed(2027)
    settings = kyoto_defaults(EVENT, "Bench Marathon 2027", dt.date(2027, 2, 21))
    package = EventPackage.create(path, settings)
    rows = []
    for k in range(entrants):
        sex = Sex.FEMALE if k % 3 == 0 else Sex.MALE
        rows.append(entrant_to_row(Entrant(
            entry_no=f"{100000 + k}", bib=f"{k + 1}",
            family_kanji=fake.last_name(), given_kanji=fake.first_name(),
            family_kana=fake.last_kana_name(), given_kana=fake.first_kana_name(),
            family_latin=fake.last_romanized_name(), given_latin=fake.first_romanized_name(),
            sex=sex, birth_date=fake.date_of_birth(minimum_age=19, maximum_age=80),
            nationality="JP", category=Category.GENERAL, start_block="ABCDEFGHJK"[k % 10],
            shirt_size="SML"[k % 3], phone=fake.phone_number(), email=fake.email(),
        )))
    with transaction(package.conn, path):
        package.conn.executemany(
            f"INSERT INTO entrant ({', '.join(ENTRANT_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(ENTRANT_COLUMNS))})", rows)
    package.close()


def bench_download(root: Path, url: str, data: Path, entrants: int) -> None:
    source = root / "event-40k.sqlite"
    started = time.perf_counter()
    build_package(source, entrants)
    print(f"built a {entrants:,}-entrant event package ({source.stat().st_size / 1e6:.1f} MB) "
          f"in {time.perf_counter() - started:.1f} s")
    publish_event(data, source)
    with HubStore.open(data / HUB_FILE) as store:
        token = store.add_station("newcomer")
    updates: list[tuple[int, int | None]] = []
    hub = HttpHub(url, "newcomer", token, timeout=30)
    started = time.perf_counter()
    dest = hub.download_package(root / "downloaded" / "event.sqlite", lambda d, t: updates.append((d, t)))
    elapsed = time.perf_counter() - started
    hub.close()
    opened = EventPackage.open(dest)
    count = opened.counts().total
    opened.close()
    print(f"first download of the event package over HTTP: {dest.stat().st_size / 1e6:.1f} MB, "
          f"{count:,} entrants, {elapsed:.2f} s, {len(updates)} progress updates")
    shared = SqliteHub(data / HUB_FILE, "newcomer")
    started = time.perf_counter()
    shared.download_package(root / "downloaded-share" / "event.sqlite")
    print(f"first download from the shared folder (local disk here): {time.perf_counter() - started:.2f} s")


@contextlib.contextmanager
def running_hub(root: Path, name: str) -> Iterator[tuple[str, Path]]:
    """A fresh hub per benchmark, so none pays for another's facts."""
    data = root / name
    data.mkdir()
    HubStore.open(data / HUB_FILE).close()
    port = free_port()
    process = serve(data, port)
    try:
        yield f"http://127.0.0.1:{port}", data
    finally:
        process.terminate()
        process.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stations", type=int, default=100)
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--pull-every", type=float, default=1.0)
    parser.add_argument("--entrants", type=int, default=40000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with running_hub(root, "hub-ingest") as (url, data):
            bench_ingest(root, url, data)
        with running_hub(root, "hub-refusal") as (url, data):
            bench_refusal(root, url, data, args.stations, args.trials, args.pull_every)
        with running_hub(root, "hub-download") as (url, data):
            bench_download(root, url, data, args.entrants)


if __name__ == "__main__":
    main()
