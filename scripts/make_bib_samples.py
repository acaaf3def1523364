"""Write PNGs of sample bibs into docs/bibs/ (the same drawing code as the printer).

    .venv/bin/python scripts/make_bib_samples.py [--dpi 120] [--out docs/bibs]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QGuiApplication

from station.core.event import BibLayout, NicknameRules, kyoto_defaults
from station.core.katakana import E2KReader
from station.core.models import Category, Entrant, Sex
from station.core.nickname import NicknameChecker
from station.printing.face import bib_face
from station.printing.glyphs import bib_font_prints
from station.printing.layout import render_image

ROOT = Path(__file__).resolve().parents[1]


def person(bib: str, **values: object) -> Entrant:
    base: dict[str, object] = dict(
        entry_no=f"E{bib}", bib=bib, family_kanji="", given_kanji="", family_kana="", given_kana="",
        family_latin="", given_latin="", sex=Sex.FEMALE, birth_date=dt.date(1988, 7, 7),
        nationality="JPN", category=Category.GENERAL, start_block="A",
    )
    base.update(values)
    return Entrant(**base)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dpi", type=int, default=120)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "bibs")
    args = parser.parse_args()
    app = QGuiApplication([])  # noqa: F841  fonts need it

    settings = kyoto_defaults("kyoto-2027", "京都マラソン2027 KYOTO MARATHON", dt.date(2027, 2, 21))
    settings = settings.with_changes(nickname=NicknameRules(banned_words=("トヨタ",)))
    checker = NicknameChecker(settings.nickname, latin_reader=E2KReader(), printable=bib_font_prints)

    hanako = person("10235", family_kanji="京田", given_kanji="花子", family_kana="きょうた",
                    given_kana="はなこ", family_latin="Kyota", given_latin="Hanako",
                    nickname="はなちゃん", start_block="C")
    james = person("31507", family_latin="Smith", given_latin="James", nationality="GBR",
                   sex=Sex.MALE, nickname="James", katakana_requested=True, start_block="E")
    latin = person("27718", family_latin="Rossi", given_latin="Maximilian", nationality="ITA",
                   sex=Sex.MALE, nickname="Maximilian", start_block="D")
    runner = person("50012", family_kanji="大原", given_kanji="誠", family_kana="おおはら",
                    given_kana="まこと", category=Category.DISABILITY, disability=True,
                    nickname="まこと", start_block="B", sex=Sex.MALE)
    escort = person("50013", family_kanji="小林", given_kanji="健", family_kana="こばやし",
                    given_kana="けん", escort_of=runner.entry_no, start_block="B", sex=Sex.MALE)

    samples = [
        ("japanese-nickname-a5", hanako, None, BibLayout.A5_LANDSCAPE),
        ("katakana-conversion-a5", james, None, BibLayout.A5_LANDSCAPE),
        ("latin-nickname-a5", latin, None, BibLayout.A5_LANDSCAPE),
        ("escort-a5", escort, runner, BibLayout.A5_LANDSCAPE),
        ("label-100x150", hanako, None, BibLayout.LABEL_100X150),
        ("a4", james, None, BibLayout.A4),
    ]
    args.out.mkdir(parents=True, exist_ok=True)
    for name, entrant, guided, layout in samples:
        face = bib_face(entrant, settings, checker.check(entrant), runner=guided)
        path = args.out / f"{name}.png"
        if not render_image(face, layout, dpi=args.dpi).save(str(path)):
            raise SystemExit(f"could not write {path}")
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
