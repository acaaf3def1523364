"""Foundation benchmarks (issue 2): roster import, appending a pickup, rebuilding derived state.

    .venv/bin/python bench/bench_foundation.py [--facts 200000] [--appends 1000]

Targets on the 2-core machine: import of 40,000 entrants <= 5 s; append and
commit of one pickup fact (synchronous=FULL) <= 10 ms p95. Rebuild from
200,000 facts is measured, with no target. Files go to a temporary folder on
the same disk as the working tree's /tmp.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from station.core.hlc import Stamp
from station.core.models import Fact, FactKind
from station.core.roster import check_roster
from station.demo import demo_export, demo_settings
from station.store.event_package import EventPackage
from station.store.roster_import import import_roster
from station.store.station_log import StationLog


def bench_import(folder: Path) -> dict[str, float]:
    raw = demo_export()
    settings = demo_settings()
    started = time.perf_counter()
    check = check_roster(raw, max_escorts=settings.max_escorts, today=dt.date(2027, 2, 21))
    checked = time.perf_counter()
    package = EventPackage.create(folder / "import.sqlite", settings)
    result = import_roster(package, check)
    done = time.perf_counter()
    assert len(result.changes.added) == 40_000, result.changes
    # The same file again: every row compared, nothing written.
    again_start = time.perf_counter()
    check = check_roster(raw, max_escorts=settings.max_escorts, today=dt.date(2027, 2, 21))
    again = import_roster(package, check)
    again_done = time.perf_counter()
    assert again.changes.unchanged == 40_000
    package.close()
    return {
        "check_s": checked - started,
        "write_s": done - checked,
        "total_s": done - started,
        "reimport_unchanged_s": again_done - again_start,
    }


def bench_append(folder: Path, count: int) -> dict[str, float]:
    log = StationLog.open(folder / "append.sqlite", station_id="counter-1", event_id="ev")
    times = []
    try:
        for i in range(count):
            started = time.perf_counter()
            log.record(FactKind.PICKUP, volunteer_id="v-1", entry_no=f"{270000 + i}",
                       payload={"items": ["bib", "gift", "shirt"]})
            times.append((time.perf_counter() - started) * 1000)
    finally:
        log.close()
    times.sort()
    return {
        "median_ms": statistics.median(times),
        "p95_ms": times[int(len(times) * 0.95) - 1],
        "max_ms": times[-1],
    }


def bench_rebuild(folder: Path, count: int) -> dict[str, float]:
    rng = random.Random(7)
    log = StationLog.open(folder / "rebuild.sqlite", station_id="counter-1", event_id="ev")
    base = dt.datetime(2027, 2, 19, 2, 30, tzinfo=dt.UTC)
    kinds = [FactKind.PICKUP, FactKind.ID_CHECKED, FactKind.BIB_PRINTED, FactKind.ESCORT_PAIRED]
    batch = []
    for i in range(count):
        station = f"counter-{rng.randint(1, 100)}"
        ms = 1_800_000_000_000 + i * 50
        batch.append(Fact(str(uuid.uuid4()), rng.choice(kinds), "ev", station, "v", base + dt.timedelta(milliseconds=i),
                          Stamp(ms, 0, station), f"{270000 + rng.randint(0, 39_999)}", {}))
        if len(batch) == 5000:
            log.append(batch)
            batch = []
    log.append(batch)
    started = time.perf_counter()
    summary = log.rebuild()
    elapsed = time.perf_counter() - started
    log.close()
    return {"facts": summary.facts, "entries": summary.picked_up, "rebuild_s": elapsed}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--facts", type=int, default=200_000)
    parser.add_argument("--appends", type=int, default=1000)
    args = parser.parse_args()
    print(f"machine: {platform.node()} {platform.machine()} python {platform.python_version()}, "
          f"cores available: {len(__import__('os').sched_getaffinity(0))}")
    with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
        folder = Path(tmp)
        imp = bench_import(folder)
        print(f"import 40,000 entrants: check {imp['check_s']:.2f} s + write {imp['write_s']:.2f} s "
              f"= {imp['total_s']:.2f} s (target <= 5 s); re-import unchanged {imp['reimport_unchanged_s']:.2f} s")
        app = bench_append(folder, args.appends)
        print(f"append+commit one pickup ({args.appends}x, synchronous=FULL, WAL): median {app['median_ms']:.2f} ms, "
              f"p95 {app['p95_ms']:.2f} ms (target <= 10 ms), max {app['max_ms']:.2f} ms")
        reb = bench_rebuild(folder, args.facts)
        print(f"rebuild derived state from {reb['facts']:,} facts ({reb['entries']:,} entries): "
              f"{reb['rebuild_s']:.2f} s")


if __name__ == "__main__":
    main()
