"""Foreign names, accents, initials, roster kana and the final check before printing."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest

from station.core.event import NicknameRules
from station.core.katakana import E2KReader
from station.core.models import Category, Entrant, Sex
from station.core.name_readings import curated_readings, fold_diacritics
from station.core.nickname import NicknameChecker, NicknameOutcome, NicknameReason

BANNED = ("TOYOTA", "トヨタ", "SONY", "ソニー", "NIKE", "ナイキ")


def person(nickname: str = "", katakana: bool = True, **changes: object) -> Entrant:
    values: dict[str, object] = dict(
        entry_no="K1", bib="1", family_kanji="", given_kanji="", family_kana="", given_kana="",
        family_latin="Doe", given_latin="Alex", sex=Sex.UNSTATED, birth_date=dt.date(1990, 1, 1),
        nationality="", category=Category.GENERAL, start_block="A", nickname=nickname,
        katakana_requested=katakana,
    )
    values.update(changes)
    return Entrant(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def checker() -> NicknameChecker:
    return NicknameChecker(NicknameRules(banned_words=BANNED), latin_reader=E2KReader())


@pytest.mark.parametrize("typed, printed", [
    ("José", "ホセ"), ("Zoë", "ゾーイ"), ("Matthew", "マシュー"), ("Agnes", "アグネス"),
    ("A.J.", "エージェイ"), ("Øyvind", "オイヴィン"), ("Chloé", "クロエ"), ("Jürgen", "ユルゲン"),
])
def test_accents_are_folded_and_common_names_read_from_the_list(checker, typed, printed):
    check = checker.check(person(typed))
    assert (check.outcome, check.printed) == (NicknameOutcome.CONVERTED, printed)


def test_initials_are_spelled_never_read_as_a_word(checker):
    check = checker.check(person("JJ"))
    assert check.outcome is NicknameOutcome.NEEDS_SUPERVISOR  # ジェイジェイ is 12 wide
    assert "ジェイジェイ" in check.reasons[0].detail


def test_the_roster_kana_wins_for_the_runners_own_name(checker):
    check = checker.check(person("José", given_latin="José", given_kana="ほせ"))
    assert check.printed == "ホセ"
    check = checker.check(person("Ana Páz", given_latin="Ana", family_latin="Paz",
                                 given_kana="あな", family_kana="ぱす"))
    assert check.printed == "アナ・パス"


@pytest.mark.parametrize("kana, reason", [
    ("タロウ★", NicknameReason.EMOJI), ("タロウ🏃", NicknameReason.EMOJI),
    ("タロ\u200bウ", NicknameReason.INVISIBLE), ("タロ\x07ウ", NicknameReason.INVISIBLE),
    ("タロウ\u25a1", NicknameReason.SYMBOL),
])
def test_kana_columns_go_through_the_final_check(checker, kana, reason):
    check = checker.check(person("", given_latin="", given_kana=kana))
    assert check.outcome is NicknameOutcome.REFUSED and check.printed == ""
    assert reason in {p.reason for p in check.reasons}


@pytest.mark.parametrize("typed", ["Sonya", "Sonny", "Veronike", "Cassidy"])
def test_names_containing_a_brand_are_names(checker, typed):
    for katakana in (False, True):
        check = checker.check(person(typed, katakana=katakana, given_latin=typed))
        assert check.outcome is not NicknameOutcome.REFUSED, (typed, katakana, check)
    # and not only when it is the runner's own name
    assert checker.check(person("Sonny", katakana=False)).outcome is NicknameOutcome.OK


@pytest.mark.parametrize("typed", ["Sony", "SONY", "ソニー", "Nike", "NIKE RUN", "ナイキ", "GoGo TOYOTA"])
def test_brands_are_still_refused(checker, typed):
    for katakana in (False, True):
        check = checker.check(person(typed, katakana=katakana))
        assert check.outcome is NicknameOutcome.REFUSED, (typed, katakana)
        assert NicknameReason.NOT_A_NAME in {p.reason for p in check.reasons}


def test_a_runner_may_have_his_own_name(checker):
    toyoda = dict(family_kanji="豊田", given_kanji="章男", family_kana="トヨタ", given_kana="アキオ",
                  family_latin="Toyota", given_latin="Akio")
    for typed in ("トヨタ", "とよた", "TOYOTA", "豊田"):
        for katakana in (False, True):
            check = checker.check(person(typed, katakana=katakana, **toyoda))
            assert check.printable, (typed, katakana, check)
    # someone else may not
    assert checker.check(person("トヨタ", katakana=False)).outcome is NicknameOutcome.REFUSED


def test_the_curated_list_is_large_and_only_katakana():
    readings = curated_readings()
    assert len(readings) >= 1000
    assert all(re.fullmatch(r"[a-z\-]+", name) for name in readings)
    assert all(re.fullmatch(r"[\u30a1-\u30fa\u30fc]+", r) for r in readings.values())
    for name in ("james", "jose", "francois", "jurgen", "joao", "xiaoming", "minjun", "seoyeon"):
        assert name in readings


def test_fold_diacritics_keeps_kana_and_kanji():
    assert fold_diacritics("José ガギ山田 Øyvind Straße") == "Jose ガギ山田 Oyvind Strasse"


def test_the_katakana_table():
    """The measured table (docs/BENCHMARKS.md): at least 300 names, 0 outputs with a
    non-katakana character, and the share of acceptable readings as measured."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from bench_katakana import convert_all, load_table, non_katakana

    assert len(load_table()) >= 300
    rows = convert_all(E2KReader())
    assert [r.name for r in rows if r.printed and non_katakana(r.printed)] == []
    share = sum(r.ok for r in rows) / len(rows)
    assert share >= 0.95, f"{share:.1%}"  # measured 96.7 % (docs/BENCHMARKS.md)
