"""The pickup claim: two counters completing the same runner within 0-50 ms.

    .venv/bin/python bench/bench_claim.py [--trials 1000] [--hub http|sqlite|both]

Each trial takes a new runner; counter A completes the check-in at t0 and
counter B at t0 + U(0, 50) ms, each through CheckinDesk.complete (claim at the
hub, decide on the freshest log, record the pickup) with its sync worker
running. Reported: double hand-outs (both counters recorded a pickup; goal 0)
and the claim's round trip, which is what the claim adds to a pickup (p50/p95;
goal p95 <= 150 ms on loopback). The HTTP hub runs in its own process
(`station hub serve` on 127.0.0.1); the SQLite hub is a hub file in a local
folder (a network share adds its own round trips).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_sync import free_port, pct, serve  # the hub in its own process, as bench_sync_trust does

from station.core.event import kyoto_defaults
from station.core.evidence import DocumentType, FoundBy, IdCheck, Match
from station.core.roster import check_roster
from station.demo import HEADER
from station.store.checkin import CheckinDesk
from station.store.event_package import EventPackage
from station.store.roster_import import import_roster
from station.store.station_log import StationLog
from station.sync.client import HttpHub, Hub
from station.sync.hub_store import HUB_FILE, HubStore
from station.sync.sqlite_hub import SqliteHub
from station.sync.worker import ClaimDecision, SyncWorker

EVENT = "bench-claim-2027"
NOON = dt.datetime(2027, 2, 19, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
PASSPORT = IdCheck(DocumentType.PASSPORT, Match.CONFIRMED, Match.CONFIRMED)


class TimedWorker:
    """The sync worker, with each claim's round trip written down."""

    def __init__(self, worker: SyncWorker) -> None:
        self.worker = worker
        self.times: list[float] = []
        self.offline = 0

    def claim_before_pickup(self, counter_log: StationLog, entries: Sequence[str],
                            timeout: float = 0.8, bibs: Sequence[str] = ()) -> ClaimDecision:
        started = time.perf_counter()
        decision = self.worker.claim_before_pickup(counter_log, entries, timeout, bibs)
        self.times.append(time.perf_counter() - started)
        self.offline += decision.decision == "decided_offline"
        return decision

    def nudge(self) -> None:
        self.worker.nudge()


def make_event(path: Path, runners: int) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for n in range(1, runners + 1):
        values = {"entry_no": str(10000 + n), "bib": str(n), "family_kanji": "山田", "given_kanji": f"太郎{n}",
                  "family_kana": "ヤマダ", "given_kana": f"タロウ{n}", "family_latin": "Yamada",
                  "given_latin": f"Taro{n}", "sex": "M", "birth_date": "1980-05-05", "nationality": "JPN",
                  "category": "general", "start_block": "C"}
        writer.writerow([values.get(h, "") for h in HEADER])
    settings = kyoto_defaults(EVENT, "Claim bench", dt.date(2027, 2, 21))
    package = EventPackage.create(path, settings)
    try:
        check = check_roster(out.getvalue().encode(), max_escorts=1)
        assert not check.problems, check.problems[:3]
        import_roster(package, check)
    finally:
        package.close()


def run_trials(root: Path, kind: str, hubs: dict[str, Hub], trials: int, seed: int) -> dict[str, float]:
    package = EventPackage.open(root / "event.sqlite")
    rng = random.Random(seed)
    counters = []
    for name, hub in hubs.items():
        log = StationLog.open(root / f"{kind}-{name}.sqlite", station_id=name, event_id=EVENT)
        worker = SyncWorker(log, hub, pull_every=1.0)
        worker.sync_once()
        worker.start()
        timed = TimedWorker(worker)
        counters.append((log, worker, timed, CheckinDesk(package, log, hub=timed)))
    doubles = refused = served = 0
    try:
        for trial in range(trials):
            entry_no = str(10001 + trial)
            delay = rng.uniform(0.0, 0.050)
            results: dict[int, bool] = {}

            def complete(index: int, wait: float, entry_no: str = entry_no,
                         results: dict[int, bool] = results) -> None:
                desk = counters[index][3]
                case = desk.open_case(entry_no, FoundBy.SEARCH)
                assert case is not None
                evidence = desk.evidence(case, id_check=PASSPORT, handed_over=("bib",))
                time.sleep(wait)
                _, facts = desk.complete(case, evidence, "bench", NOON)
                results[index] = bool(facts)

            threads = [threading.Thread(target=complete, args=(0, 0.0)),
                       threading.Thread(target=complete, args=(1, delay))]
            for t in threads:
                t.start()
            for t in threads:
                t.join(30)
            handed = sum(results.values())
            doubles += handed > 1
            served += handed == 1
            refused += handed == 0
    finally:
        for log, worker, _, _ in counters:
            worker.close()
            log.close()
        package.close()
    times = [t for _, _, timed, _ in counters for t in timed.times]
    return {"trials": trials, "doubles": doubles, "served_once": served, "nobody": refused,
            "offline": sum(timed.offline for _, _, timed, _ in counters),
            "p50_ms": pct(times, 50) * 1000, "p95_ms": pct(times, 95) * 1000,
            "mean_ms": statistics.fmean(times) * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--hub", choices=("http", "sqlite", "both"), default="both")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make_event(root / "event.sqlite", args.trials)
        if args.hub in ("http", "both"):
            data = root / "http-hub"
            data.mkdir()
            with HubStore.open(data / HUB_FILE) as store:
                tokens = {name: store.add_station(name) for name in ("counter-a", "counter-b")}
            port = free_port()
            process = serve(data, port)
            try:
                hubs: dict[str, Hub] = {name: HttpHub(f"http://127.0.0.1:{port}", name, token)
                                        for name, token in tokens.items()}
                report("HTTP hub", run_trials(root, "http", hubs, args.trials, args.seed))
            finally:
                process.terminate()
                process.wait(10)
        if args.hub in ("sqlite", "both"):
            data = root / "sqlite-hub"
            data.mkdir()
            with HubStore.open(data / HUB_FILE, shared=True) as store:
                tokens = {name: store.add_station(name) for name in ("counter-a", "counter-b")}
            hubs = {name: SqliteHub(data / HUB_FILE, name, token=token) for name, token in tokens.items()}
            report("SQLite hub", run_trials(root, "sqlite", hubs, args.trials, args.seed))


def report(title: str, result: dict[str, float]) -> None:
    print(f"{title}: {result['trials']:.0f} trials, double hand-outs {result['doubles']:.0f}, "
          f"served once {result['served_once']:.0f}, served by nobody {result['nobody']:.0f}, "
          f"claims unanswered {result['offline']:.0f}; claim p50 {result['p50_ms']:.1f} ms, "
          f"p95 {result['p95_ms']:.1f} ms (mean {result['mean_ms']:.1f} ms)")


if __name__ == "__main__":
    main()
