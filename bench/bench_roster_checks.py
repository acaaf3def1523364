"""Roster checks (issue 14): import of 40,000 rows with the new checks, and the
same-person check of 40,000 new rows against an event that already holds 40,000.

    /work/main/.venv/bin/python bench/bench_roster_checks.py [--repeat 3]

Target on the 2-core machine: the 40,000-row import (CSV reading with its line
account, dates, name validation, same-person folding within the file, writing)
<= 5 s. The second file (40,000 other entrants: the demo rows with new entry
numbers and bibs, dates of birth shifted so that most are other people, every
50th row left as it was so that some are the same person) is checked against
the event's 40,000: the time of that check alone, and of the whole import.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from station.core.roster import check_roster
from station.demo import ENTRANTS, HEADER, SEED, demo_export, demo_rows, demo_settings
from station.store.event_package import ENTRANT_COLUMNS, EventPackage
from station.store.roster_import import import_roster
from station.store.roster_people import check_against_event

TODAY = dt.date(2027, 2, 21)


def second_file() -> bytes:
    rows = demo_rows(ENTRANTS, SEED)
    col = {name: i for i, name in enumerate(HEADER)}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for n, row in enumerate(rows):
        row = list(row)
        row[col["entry_no"]] = f"X{row[col['entry_no']]}"
        row[col["bib"]] = str(100_000 + n)
        if row[col["escort_of"]]:
            row[col["escort_of"]] = f"X{row[col['escort_of']]}"
        if n % 50:
            born = dt.date.fromisoformat(row[col["birth_date"]])
            row[col["birth_date"]] = (born - dt.timedelta(days=1 + n % 300)).isoformat()
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def run_once(folder: Path, first: bytes, second: bytes) -> dict[str, float]:
    settings = demo_settings()
    started, cpu_started = time.perf_counter(), time.process_time()
    check = check_roster(first, max_escorts=settings.max_escorts, today=TODAY)
    checked = time.perf_counter()
    package = EventPackage.create(folder / f"e{time.monotonic_ns()}.sqlite", settings)
    result = import_roster(package, check)
    done, cpu_done = time.perf_counter(), time.process_time()
    assert len(result.changes.added) == ENTRANTS, result.changes

    check2 = check_roster(second, max_escorts=settings.max_escorts, today=TODAY)
    existing = {row[0]: row for row in package.conn.execute(
        f"SELECT {', '.join(ENTRANT_COLUMNS)} FROM entrant")}
    event_start, event_cpu = time.perf_counter(), time.process_time()
    against = check_against_event(check2, existing)
    event_done, event_cpu_done = time.perf_counter(), time.process_time()
    whole_start = time.perf_counter()
    result2 = import_roster(package, check2, dry_run=True)
    whole_done = time.perf_counter()
    package.close()
    same = sum(1 for p in against.problems if p.code == "same_person") - sum(
        1 for p in check2.problems if p.code == "same_person")
    return {
        "check_s": checked - started,
        "write_s": done - checked,
        "total_s": done - started,
        "total_cpu_s": cpu_done - cpu_started,
        "event_check_s": event_done - event_start,
        "event_check_cpu_s": event_cpu_done - event_cpu,
        "second_import_dry_s": whole_done - whole_start,
        "same_person_refused": float(same),
        "near_matches": float(len(against.near_matches) - len(check2.near_matches)),
        "second_added": float(len(result2.changes.added)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    first, second = demo_export(), second_file()
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            runs.append(run_once(Path(tmp), first, second))
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    print(f"load average at the end: {load}")
    print(f"machine: {platform.machine()} {platform.python_implementation()} {platform.python_version()}, "
          f"{len(first) / 1e6:.1f} MB CSV, {args.repeat} runs (median)")
    for key in runs[0]:
        print(f"  {key}: {statistics.median(r[key] for r in runs):.3f}")


if __name__ == "__main__":
    main()
