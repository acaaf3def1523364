"""The counter's search box on the 40,000-entrant demo: the plain page of 20
(`search`) against `find`, which also counts the matches (up to 500) and narrows
by a typed date of birth or start block.

    .venv/bin/python bench/bench_search_count.py [--package demo.sqlite]

Without --package it builds the demo event in a temporary folder first (slow).
Queries: 100 demo entrants' family name, full name, Latin family name, family
name + date of birth (19800514), the date alone, Latin name + "block X".
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from station.store.event_package import EventPackage
from station.store.search import RosterSearch


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--package", type=Path)
    args = parser.parse_args()
    if args.package is None:
        from station.demo import ensure_demo

        args.package = ensure_demo(Path(tempfile.mkdtemp(prefix="bench-demo-"))).package
    package = EventPackage.open(args.package)
    search = RosterSearch(package)
    random.seed(1)
    queries = []
    for e in random.sample(list(package.entrants())[:2000], 100):
        queries += [e.family_kanji, f"{e.family_kanji} {e.given_kanji}", e.family_latin,
                    f"{e.family_kanji} {e.birth_date:%Y%m%d}", e.birth_date.isoformat(),
                    f"{e.family_latin} block {e.start_block[:1] or 'A'}"]
    for name, run in (("search (page of 20)", lambda q: search.search(q, limit=20)),
                      ("find (count to 500, narrowing)", lambda q: search.find(q, limit=20))):
        times = []
        for query in queries:
            start = time.perf_counter()
            run(query)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(f"{name}: {len(queries)} queries, median {statistics.median(times):.1f} ms, "
              f"p95 {times[int(len(times) * 0.95)]:.1f} ms, max {times[-1]:.1f} ms")
    package.close()


if __name__ == "__main__":
    main()
