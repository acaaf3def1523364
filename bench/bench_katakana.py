"""The katakana table: how many foreign given names print acceptably in katakana.

    /work/main/.venv/bin/python bench/bench_katakana.py [--show-misses]

Reads tests/data/foreign_name_readings.tsv (name, accepted readings separated
by |), converts every name the way the counter does (NicknameChecker with the
e2k model, no roster kana) and reports the share whose reading is accepted,
the share among names that are not in the curated list (the model's part),
how many readings would not fit the 10-wide rule, and how many outputs hold a
character that is not katakana (must be 0).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from station.core.event import NicknameRules  # noqa: E402
from station.core.katakana import E2KReader, LatinReader  # noqa: E402
from station.core.models import Category, Entrant, Sex  # noqa: E402
from station.core.name_readings import curated_reader  # noqa: E402
from station.core.nickname import NicknameChecker, NicknameOutcome, text_width  # noqa: E402

TABLE = ROOT / "tests" / "data" / "foreign_name_readings.tsv"


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    accepted: tuple[str, ...]
    printed: str
    curated: bool

    @property
    def ok(self) -> bool:
        return self.printed in self.accepted


def load_table(path: Path = TABLE) -> list[tuple[str, tuple[str, ...]]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, readings = line.split("\t")
            rows.append((name, tuple(readings.split("|"))))
    return rows


def convert_all(reader: LatinReader | None) -> list[Row]:
    # width 40: this measures the reading; the 10-wide rule is counted apart
    checker = NicknameChecker(NicknameRules(max_width=40), latin_reader=reader)
    out = []
    for name, accepted in load_table():
        entrant = Entrant(entry_no="T1", bib="1", family_kanji="", given_kanji="", family_kana="",
                          given_kana="", family_latin="Doe", given_latin=name, sex=Sex.UNSTATED,
                          birth_date=dt.date(1990, 1, 1), nationality="", category=Category.GENERAL,
                          start_block="A", nickname=name, katakana_requested=True)
        check = checker.check(entrant)
        printed = check.printed if check.outcome in (NicknameOutcome.CONVERTED, NicknameOutcome.OK) else ""
        out.append(Row(name, accepted, printed, bool(curated_reader(name))))
    return out


def non_katakana(text: str) -> bool:
    return any(not ("\u30a1" <= c <= "\u30fa" or c in "ー・") for c in text)


def main() -> None:
    started = time.perf_counter()
    rows = convert_all(E2KReader())
    elapsed = time.perf_counter() - started
    total = len(rows)
    ok = sum(r.ok for r in rows)
    fallback = [r for r in rows if not r.curated]
    bad_chars = [r for r in rows if r.printed and non_katakana(r.printed)]
    too_wide = [r for r in rows if r.ok and text_width(r.printed) > 10]
    print(f"names: {total}; printed acceptably: {ok} ({100 * ok / total:.1f} %)")
    print(f"  in the curated list: {total - len(fallback)}, acceptable {sum(r.ok for r in rows if r.curated)}")
    print(f"  not in the list (e2k model): {len(fallback)}, acceptable {sum(r.ok for r in fallback)} "
          f"({100 * sum(r.ok for r in fallback) / max(1, len(fallback)):.1f} %)")
    print(f"  outputs with a non-katakana character: {len(bad_chars)}")
    print(f"  acceptable readings wider than 10 (a supervisor shortens them): {len(too_wide)}")
    print(f"  {elapsed:.2f} s (model load included)")
    if "--show-misses" in sys.argv:
        for r in rows:
            if not r.ok:
                print(f"  miss: {r.name} -> {r.printed or '(none)'}  accepted {'|'.join(r.accepted)}")


if __name__ == "__main__":
    main()
