"""`station export` on 40,000 runners (goal: each export <= 2 s).

    .venv/bin/python bench/bench_export.py [--repeat 3]

Builds the demo roster (40,000 entrants, escorts included; the same seeded
rows as `station demo`) into a temporary event package, and one station log
holding the hall's facts after the expo: 90 % picked up (each with an ID
check and, for runners, a chip tag), 400 exceptions, half of them decided.
Then times each export, from the opened files to the written file, as the
command runs it (the log is one file, as on a synced station).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from station.core.models import FactKind
from station.core.roster import check_roster
from station.demo import RACE_DATE, demo_export, demo_settings
from station.store.event_package import EventPackage
from station.store.exports import ChipLayout, ExportFormat, ExportKind, PersonalData, export, write
from station.store.roster_import import import_roster
from station.store.station_log import StationLog


def build(folder: Path) -> tuple[Path, Path]:
    settings = demo_settings()
    package_path = folder / "event.sqlite"
    package = EventPackage.create(package_path, settings)
    import_roster(package, check_roster(demo_export(), max_escorts=settings.max_escorts, today=RACE_DATE),
                  volunteer_id="bench")
    entries = package.conn.execute("SELECT entry_no, bib, escort_of FROM entrant").fetchall()
    package.close()
    log_path = folder / "hall.sqlite"
    log = StationLog.open(log_path, station_id="counter-01", event_id=settings.event_id)
    rng = random.Random(7)
    batch = []
    for n, (entry_no, bib, escort_of) in enumerate(entries):
        if rng.random() > 0.9:
            continue
        new = log.new_fact
        batch.append(new(FactKind.ID_CHECKED, volunteer_id=f"v{n % 40}", entry_no=entry_no, payload={
            "document": rng.choice(["passport", "drivers_licence", "my_number", "residence_card"]),
            "name": "match", "birth_date": "match", "original": True, "document_hash": f"h{n:08d}"}))
        payload = {"bib": bib, "role": "escort" if escort_of else "runner", "runner": escort_of or entry_no,
                   "found_by": "qr", "items": ["bib"], "decided_offline": False}
        if not escort_of:
            payload["chip"] = f"CHIP{n:06d}"
        batch.append(new(FactKind.PICKUP, volunteer_id=f"v{n % 40}", entry_no=entry_no, payload=payload))
        if len(batch) >= 5000:
            log.append(batch)
            batch = []
    for n in range(400):
        entry_no = entries[rng.randrange(len(entries))][0]
        opened = new(FactKind.EXCEPTION_OPENED, volunteer_id="v1", entry_no=entry_no,
                     payload={"reason": "no_id", "note": "", "codes": ["id_missing"]})
        batch.append(opened)
        if n % 2:
            batch.append(new(FactKind.EXCEPTION_RESOLVED, volunteer_id="sup-1", entry_no=entry_no,
                             payload={"exception_id": opened.fact_id, "decision": "refuse",
                                      "supervisor_reason": "no ID"}))
    log.append(batch)
    log.close()
    return package_path, log_path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        package_path, log_path = build(folder)
        print(f"built 40,000 entrants and the hall's log in {time.perf_counter() - started:.1f} s")
        cases = [
            ("chips, generic, CSV", ExportKind.CHIPS, ChipLayout.GENERIC, ExportFormat.CSV, PersonalData()),
            ("chips, RACE RESULT with names, CSV", ExportKind.CHIPS, ChipLayout.RACE_RESULT, ExportFormat.CSV,
             PersonalData(names=True)),
            ("pickups, CSV", ExportKind.PICKUPS, ChipLayout.GENERIC, ExportFormat.CSV, PersonalData()),
            ("pickups, JSON", ExportKind.PICKUPS, ChipLayout.GENERIC, ExportFormat.JSON, PersonalData()),
            ("exceptions, CSV", ExportKind.EXCEPTIONS, ChipLayout.GENERIC, ExportFormat.CSV, PersonalData()),
        ]
        for name, kind, layout, fmt, personal in cases:
            times = []
            cpu = []
            rows = 0
            for n in range(args.repeat):
                t0 = time.perf_counter()
                c0 = time.process_time()
                package = EventPackage.open(package_path)
                log = StationLog.open(log_path, station_id="counter-01", event_id=package.settings.event_id)
                try:
                    table = export(kind, package, log, layout=layout, personal=personal)
                finally:
                    log.close()
                    package.close()
                write(table, folder / f"out-{n}.{fmt.value}", fmt)
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
                rows = len(table.rows)
            print(f"{name}: {rows} rows, wall median {statistics.median(times):.2f} s, max {max(times):.2f} s; "
                  f"CPU median {statistics.median(cpu):.2f} s")


if __name__ == "__main__":
    main()
