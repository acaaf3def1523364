"""Bib printing benchmarks.

    .venv/bin/python bench/bench_bib.py [--entrants 40000] [--renders 50]

1. Layout and render of one bib to PDF (target <= 300 ms): the first one
   (font registration included) and the median of the following ones.
2. Nickname checks of a generated roster (target >= 1,000 per second): all
   checks with the English-to-katakana model loaded, first pass (every new
   English word read by the model once) and second pass (cached, as at the
   counter after `station nicknames check` has run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from faker import Faker
from PySide6.QtGui import QGuiApplication

from station.core.event import BibLayout, NicknameRules, kyoto_defaults
from station.core.katakana import E2KReader
from station.core.models import Category, Entrant, Sex
from station.core.nickname import NicknameChecker
from station.printing.face import bib_face
from station.printing.glyphs import bib_font_prints
from station.printing.layout import render_pdf

SETTINGS = kyoto_defaults("bench-2027", "京都マラソン2027 KYOTO MARATHON", dt.date(2027, 2, 21))
BANNED = ("トヨタ", "ソニー", "Nike", "adidas", "株式会社", "マクドナルド")


def roster(count: int, seed: int = 7) -> list[Entrant]:
    """Nicknames as runners type them: kana, kanji, romaji, English, full-width,
    half-width kana, a few emoji and brand names, some asking for katakana."""
    rng = random.Random(seed)
    ja, en = Faker("ja_JP"), Faker("en_US")
    Faker.seed(seed)
    people = []
    for i in range(count):
        japanese = rng.random() < 0.8
        if japanese:
            family, given = ja.last_name(), ja.first_name()
            family_kana, given_kana = ja.last_kana_name(), ja.first_kana_name()
            family_latin, given_latin = ja.last_romanized_name(), ja.first_romanized_name()
        else:
            family, given, family_kana, given_kana = "", "", "", ""
            family_latin, given_latin = en.last_name(), en.first_name()
        roll = rng.random()
        katakana = False
        if japanese:
            nickname = rng.choice([given, given_kana, given_kana + "ちゃん", given_latin,
                                   given_latin.upper().translate(_FULL_WIDTH), f"{given}🏃",
                                   rng.choice(BANNED), ""])
        else:
            nickname = rng.choice([given_latin, f"{given_latin} {family_latin}", given_latin.upper(), ""])
            katakana = roll < 0.5
        people.append(Entrant(
            entry_no=f"E{i:06d}", bib=str(10000 + i), family_kanji=family, given_kanji=given,
            family_kana=family_kana, given_kana=given_kana, family_latin=family_latin,
            given_latin=given_latin, sex=Sex.FEMALE, birth_date=dt.date(1980, 1, 1),
            nationality="JPN" if japanese else "USA", category=Category.GENERAL,
            start_block="ABCDEFGH"[i % 8], nickname=nickname, katakana_requested=katakana,
        ))
    return people


_FULL_WIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}


def bench_render(renders: int) -> None:
    app = QGuiApplication([])  # noqa: F841
    person = roster(1)[0]
    face = bib_face(person, SETTINGS, NicknameChecker(SETTINGS.nickname).check(person))
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        render_pdf(face, BibLayout.A5_LANDSCAPE, Path(folder) / "first.pdf")
        first = time.perf_counter() - start
        times = []
        for i in range(renders):
            start = time.perf_counter()
            render_pdf(face, BibLayout.A5_LANDSCAPE, Path(folder) / f"bib{i}.pdf")
            times.append(time.perf_counter() - start)
    print(f"bib layout + render to PDF (A5): first {first * 1000:.1f} ms, "
          f"median {statistics.median(times) * 1000:.1f} ms, "
          f"max {max(times) * 1000:.1f} ms over {renders} (target <= 300 ms)")


def bench_nicknames(count: int) -> None:
    people = roster(count)
    start = time.perf_counter()
    reader = E2KReader()
    load = time.perf_counter() - start
    checker = NicknameChecker(NicknameRules(banned_words=BANNED), latin_reader=reader,
                              printable=bib_font_prints)
    bib_font_prints("a")  # the font's character map is read once, like at startup
    for label in ("first pass", "second pass"):
        start = time.perf_counter()
        outcomes: dict[str, int] = {}
        for person in people:
            outcome = checker.check(person).outcome.value
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        took = time.perf_counter() - start
        print(f"nickname checks, {label}: {count} in {took:.2f} s = {count / took:,.0f}/s "
              f"(target >= 1,000/s); {dict(sorted(outcomes.items()))}")
    print(f"  (e2k model load {load * 1000:.0f} ms, not counted)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entrants", type=int, default=40_000)
    parser.add_argument("--renders", type=int, default=50)
    args = parser.parse_args()
    bench_render(args.renders)
    bench_nicknames(args.entrants)


if __name__ == "__main__":
    main()
