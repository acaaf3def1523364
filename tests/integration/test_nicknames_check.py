"""`station nicknames check` on a real event package."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from click.testing import CliRunner

from station.commands.nicknames import nicknames
from station.core.event import NicknameRules, kyoto_defaults
from station.core.models import Category, Entrant, EntrantStatus, Sex
from station.store.event_package import ENTRANT_COLUMNS, EventPackage, entrant_to_row


def entrant(n: int, nickname: str, katakana: bool = False, **changes: object) -> Entrant:
    values: dict[str, object] = dict(
        entry_no=f"E{n:05d}", bib=str(1000 + n), family_kanji="山田", given_kanji="太郎",
        family_kana="やまだ", given_kana="たろう", family_latin="Yamada", given_latin="Taro",
        sex=Sex.MALE, birth_date=dt.date(1990, 5, 1), nationality="JPN",
        category=Category.GENERAL, start_block="C", nickname=nickname, katakana_requested=katakana,
    )
    values.update(changes)
    return Entrant(**values)  # type: ignore[arg-type]


def make_package(path: Path) -> Path:
    settings = kyoto_defaults("kyoto-2027", "Kyoto 2027", dt.date(2027, 2, 21)).with_changes(
        nickname=NicknameRules(banned_words=("トヨタ",))
    )
    package = EventPackage.create(path, settings)
    people = [
        entrant(1, "たろう"),  # fine
        entrant(2, "ＴＯＹＯＴＡ"),  # banned
        entrant(3, "James", True, given_latin="James", family_latin="Smith", given_kana="", family_kana=""),
        entrant(4, "Christopher", True),  # too long in katakana
        entrant(5, "走る🏃"),  # emoji
        entrant(6, "ﾀﾛｳ"),  # normalised
        entrant(7, "🏃", status=EntrantStatus.CANCELLED),  # cancelled: not listed
        entrant(8, ""),  # no nickname
    ]
    placeholders = ", ".join("?" * len(ENTRANT_COLUMNS))
    with package.conn:
        package.conn.execute("BEGIN")
        package.conn.executemany(
            f"INSERT INTO entrant ({', '.join(ENTRANT_COLUMNS)}) VALUES ({placeholders})",
            [entrant_to_row(p) for p in people],
        )
    package.close()
    return path


def test_check_lists_what_will_not_print_as_typed(tmp_path: Path) -> None:
    path = make_package(tmp_path / "event.sqlite")
    result = CliRunner().invoke(nicknames, ["check", "--event", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    by_entry = {line.split()[0]: line for line in lines[1:] if line.startswith("E0")}
    assert set(by_entry) == {"E00002", "E00003", "E00004", "E00005", "E00006"}
    assert "refused" in by_entry["E00002"] and "トヨタ" in by_entry["E00002"]
    assert "converted" in by_entry["E00003"] and "ジェームズ" in by_entry["E00003"]
    assert "needs_supervisor" in by_entry["E00004"] and "クリスト" in by_entry["E00004"]
    assert "Emoji" in by_entry["E00005"]
    assert "normalised" in by_entry["E00006"] and "タロウ" in by_entry["E00006"]
    assert "5 nicknames to look at" in result.output


def test_check_writes_csv_in_japanese(tmp_path: Path) -> None:
    path = make_package(tmp_path / "event.sqlite")
    result = CliRunner().invoke(nicknames, ["check", "--event", str(path), "--csv", "--lang", "ja"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(result.output.lstrip("\ufeff"))))
    assert [r["entry_no"] for r in rows] == ["E00002", "E00003", "E00004", "E00005", "E00006"]
    refused = rows[0]
    assert refused["outcome"] == "refused"
    assert "名前ではない語" in refused["reasons"]
    supervisor = rows[2]
    assert supervisor["printed"] == "" and supervisor["suggestion"] == "クリスト"


def test_check_all_includes_names_that_print_unchanged(tmp_path: Path) -> None:
    path = make_package(tmp_path / "event.sqlite")
    result = CliRunner().invoke(nicknames, ["check", "--event", str(path), "--all", "--csv"])
    entries = [r["entry_no"] for r in csv.DictReader(io.StringIO(result.output.lstrip("\ufeff")))]
    assert "E00001" in entries and "E00007" not in entries and "E00008" not in entries
