"""Supervisor dashboard refresh on a busy log.

    .venv/bin/python bench/bench_dashboard.py [--entrants 48000] [--pickups 40000] [--stations 40]

Builds an event package (entrants spread over categories and start blocks) and
a station log holding 40,000 pickups from 40 counters over the two Kyoto
check-in days, plus ID checks, prints, 200 open exceptions and their claims,
then times `Dashboard.snapshot` (a cold first refresh and the median / p95 of
later ones) and the exception queue. Target: refresh <= 200 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from station.core.event import kyoto_defaults
from station.core.hlc import Stamp
from station.core.models import Category, Entrant, Fact, FactKind, Sex
from station.store.dashboard import Dashboard
from station.store.event_package import ENTRANT_COLUMNS, EventPackage, entrant_to_row
from station.store.exceptions import ExceptionQueue
from station.store.sqlite import transaction
from station.store.station_log import StationLog

EVENT = "bench-2027"


def build(folder: Path, entrants: int, pickups: int, stations: int) -> tuple[EventPackage, StationLog, dt.datetime]:
    rng = random.Random(7)
    settings = kyoto_defaults(EVENT, "Bench Marathon", dt.date(2027, 2, 21))
    package = EventPackage.create(folder / "event.sqlite", settings)
    categories = list(Category)
    blocks = list("ABCDEFGHIJ")
    rows = [
        entrant_to_row(Entrant(f"{n:06d}", f"{n:06d}", "山田", "花子", "", "", "", "", Sex.FEMALE,
                               dt.date(1980, 1, 1), "JPN", rng.choice(categories), rng.choice(blocks)))
        for n in range(entrants)
    ]
    with transaction(package.conn, package.path):
        package.conn.executemany(
            f"INSERT INTO entrant ({', '.join(ENTRANT_COLUMNS)}) VALUES ({', '.join('?' * len(ENTRANT_COLUMNS))})",
            rows)

    log = StationLog.open(folder / "sup-1.sqlite", station_id="sup-1", event_id=EVENT)
    opens = [w.opens.replace(tzinfo=settings.zone).astimezone(dt.UTC) for w in settings.checkin_windows]
    spans = [(w.last_entry - w.opens).total_seconds() for w in settings.checkin_windows]
    facts = []
    order = rng.sample(range(entrants), pickups)
    for n, who in enumerate(order):
        day = n * len(opens) // pickups
        at = opens[day] + dt.timedelta(seconds=rng.uniform(0, spans[day]))
        station = f"counter-{rng.randrange(stations):02d}"
        entry = f"{who:06d}"
        ms = int(at.timestamp() * 1000)
        for k, kind in enumerate((FactKind.ID_CHECKED, FactKind.BIB_PRINTED, FactKind.PICKUP)):
            facts.append(Fact(str(uuid.UUID(int=rng.getrandbits(128))), kind, EVENT, station, "vol",
                              at + dt.timedelta(milliseconds=k), Stamp(ms + k, 0, station), entry,
                              {"bib": entry} if kind is FactKind.PICKUP else {}))
    for n in range(200):
        entry = f"{rng.randrange(entrants):06d}"
        at = opens[1] + dt.timedelta(minutes=n)
        station = f"counter-{rng.randrange(stations):02d}"
        facts.append(Fact(str(uuid.uuid4()), FactKind.EXCEPTION_OPENED, EVENT, station, "vol", at,
                          Stamp(int(at.timestamp() * 1000), 0, station), entry,
                          {"reason": "name_mismatch", "codes": ["name_mismatch"], "note": ""}))
    facts.sort(key=Fact.order_key)
    for start in range(0, len(facts), 5000):
        log.append(facts[start:start + 5000])
    now = opens[1] + dt.timedelta(seconds=spans[1] * 0.9)
    return package, log, now


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entrants", type=int, default=48_000)
    parser.add_argument("--pickups", type=int, default=40_000)
    parser.add_argument("--stations", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        package, log, now = build(Path(tmp), args.entrants, args.pickups, args.stations)
        facts = log.summary().facts
        print(f"built {facts} facts ({args.pickups} pickups, {args.stations} counters), "
              f"{args.entrants} entrants in {time.perf_counter() - t0:.1f} s")

        start = time.perf_counter()
        dashboard = Dashboard(log, package)
        roster = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        snap = dashboard.snapshot(now)
        cold = (time.perf_counter() - start) * 1000
        idle = sorted(timed(lambda: dashboard.snapshot(now), args.repeat))
        # A live hall: between two refreshes ~50 facts arrive (a couple of seconds of 40 counters).
        rng = random.Random(3)
        times = []
        for round_ in range(args.repeat):
            batch = []
            for k in range(50):
                station = f"counter-{rng.randrange(args.stations):02d}"
                at = now + dt.timedelta(seconds=round_, milliseconds=k)
                batch.append(Fact(str(uuid.uuid4()), FactKind.PICKUP, EVENT, station, "vol", at,
                                  Stamp(int(at.timestamp() * 1000), k, station), f"{rng.randrange(args.entrants):06d}"))
            log.append(batch)
            times += timed(lambda: dashboard.snapshot(now), 1)
        times.sort()
        queue = ExceptionQueue(log, package)
        qtimes = sorted(timed(lambda: queue.queue(now), 10))
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"dashboard opened (roster's categories and blocks read once): {roster:.1f} ms")
        print(f"dashboard first refresh (reads every pickup and entry state): {cold:.1f} ms")
        print(f"dashboard refresh, nothing new: median {statistics.median(idle):.1f} ms, max {idle[-1]:.1f} ms")
        print(f"dashboard refresh after 50 new facts: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
              f"max {times[-1]:.1f} ms over {args.repeat}")
        print(f"exception queue (200 open): median {statistics.median(qtimes):.1f} ms")
        print(f"  picked up {snap.picked_up}, hours {len(snap.per_hour)}, counters {len(snap.per_counter)}, "
              f"remaining {snap.projection.remaining}, pace {snap.projection.pace_per_hour:.0f}/h, "
              f"needed {snap.projection.needed_per_hour or 0:.0f}/h -> {snap.projection.fit.value}, "
              f"open exceptions {len(snap.exceptions)}")
        verdict = "OK" if p95 <= 200 and cold <= 200 else "OVER TARGET"
        print(f"target <= 200 ms: {verdict}")
        log.close()
        package.close()


if __name__ == "__main__":
    main()
