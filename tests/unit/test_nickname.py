"""The nickname rules: width, normalisation, refusals, banned words, katakana."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from station.core.event import NicknameRules
from station.core.katakana import E2KReader, romaji_reader, shorten_katakana, to_katakana
from station.core.models import Category, Entrant, Sex
from station.core.nickname import (
    NicknameCheck,
    NicknameChecker,
    NicknameOutcome,
    NicknameReason,
    normalise,
    text_width,
)

BANNED = ("トヨタ", "Nike", "ソニー", "株式会社", "ass")


def entrant(nickname: str = "", katakana: bool = False, **changes: object) -> Entrant:
    values: dict[str, object] = dict(
        entry_no="K0001", bib="1234", family_kanji="山田", given_kanji="太郎",
        family_kana="やまだ", given_kana="たろう", family_latin="Yamada", given_latin="Taro",
        sex=Sex.MALE, birth_date=dt.date(1990, 5, 1), nationality="JPN",
        category=Category.GENERAL, start_block="C", nickname=nickname, katakana_requested=katakana,
    )
    values.update(changes)
    return Entrant(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def reader() -> E2KReader:
    return E2KReader()


@pytest.fixture(scope="module")
def checker(reader: E2KReader) -> NicknameChecker:
    return NicknameChecker(NicknameRules(banned_words=BANNED), latin_reader=reader)


def reasons(check: NicknameCheck) -> set[NicknameReason]:
    return {p.reason for p in check.reasons}


# -- width --------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("Maximilian", 10), ("たろう", 6), ("山田太郎", 8), ("Ken太郎", 7),
        ("ジェームズ", 10), ("José", 4), ("", 0), ("J-P", 3),
    ],
)
def test_full_width_counts_two_and_half_width_one(text: str, width: int) -> None:
    assert text_width(text) == width


def test_five_full_width_or_ten_half_width_fit_one_more_does_not(checker: NicknameChecker) -> None:
    assert checker.check(entrant("やまだたろう")).outcome is NicknameOutcome.REFUSED
    assert checker.check(entrant("やまだたろ")).outcome is NicknameOutcome.OK
    assert checker.check(entrant("Maximilian")).outcome is NicknameOutcome.OK
    too_wide = checker.check(entrant("Maximiliana"))
    assert too_wide.outcome is NicknameOutcome.REFUSED
    assert reasons(too_wide) == {NicknameReason.TOO_WIDE}
    assert too_wide.width == 11


def test_mixed_scripts_add_up(checker: NicknameChecker) -> None:
    fits = checker.check(entrant("Kenたろう"))  # 3 + 6
    assert (fits.outcome, fits.printed, fits.width) == (NicknameOutcome.OK, "Kenたろう", 9)
    wide = checker.check(entrant("Ken太郎くん"))  # 3 + 8
    assert reasons(wide) == {NicknameReason.TOO_WIDE}
    assert wide.width == 11


def test_the_limit_comes_from_the_event() -> None:
    strict = NicknameChecker(NicknameRules(max_width=6))
    assert strict.check(entrant("たろう")).outcome is NicknameOutcome.OK
    assert strict.check(entrant("Taro-kun")).outcome is NicknameOutcome.REFUSED


# -- normalisation --------------------------------------------------------------

@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("ＴＡＲＯ", "TARO"),  # full-width Latin
        ("ﾀﾛｳ", "タロウ"),  # half-width katakana
        ("ｶﾞﾝﾊﾞﾚ", "ガンバレ"),  # half-width voiced marks join their kana
        ("  Taro   Yamada ", "Taro Yamada"),  # stray spaces
        ("山田\u3000太郎", "山田太郎"),  # no space between two wide characters
        ("O’Brien", "O'Brien"),
        ("１２３", "123"),
    ],
)
def test_normalise(typed: str, normal: str) -> None:
    assert normalise(typed) == normal


def test_width_is_counted_after_normalisation(checker: NicknameChecker) -> None:
    full_width_latin = "ＭＡＸＩＭＩＬＩＡＮ"  # 20 as typed, 10 once normalised
    check = checker.check(entrant(full_width_latin))
    assert (check.outcome, check.printed, check.width) == (NicknameOutcome.OK, "MAXIMILIAN", 10)
    half_width_kana = checker.check(entrant("ﾀﾛｳ"))
    assert (half_width_kana.printed, half_width_kana.width) == ("タロウ", 6)


# -- refusals ---------------------------------------------------------------------

@pytest.mark.parametrize(
    ("typed", "reason", "detail"),
    [
        ("走れ🏃", NicknameReason.EMOJI, "🏃"),
        ("Taro❤", NicknameReason.EMOJI, "❤"),
        ("Taro!", NicknameReason.SYMBOL, "!"),
        ("〒Taro", NicknameReason.SYMBOL, "〒"),
        ("Taro&Co", NicknameReason.SYMBOL, "&"),
        ("㈱ヤマダ", NicknameReason.SYMBOL, "( )"),  # NFKC opens ㈱ to (株)
        ("Ta\u200bro", NicknameReason.INVISIBLE, "U+200B"),
        ("Ta\u0007ro", NicknameReason.INVISIBLE, "U+0007"),
        ("\u202eoraT", NicknameReason.INVISIBLE, "U+202E"),
        ("김민수", NicknameReason.UNPRINTABLE_SCRIPT, "김 민 수"),
        ("Иван", NicknameReason.UNPRINTABLE_SCRIPT, "И в а н"),
        ("สมชาย", NicknameReason.UNPRINTABLE_SCRIPT, "ส ม ช า ย"),
    ],
)
def test_each_refusal_has_its_reason(
    checker: NicknameChecker, typed: str, reason: NicknameReason, detail: str
) -> None:
    check = checker.check(entrant(typed))
    assert check.outcome is NicknameOutcome.REFUSED
    assert check.printed == ""
    problem = next(p for p in check.reasons if p.reason is reason)
    assert problem.detail == detail
    assert detail in problem.text("en") and detail in problem.text("ja")
    assert problem.text("ja") != problem.text("en")


def test_all_reasons_are_reported_together(checker: NicknameChecker) -> None:
    check = checker.check(entrant("TOYOTA!!🏃🏃 runner"))
    assert reasons(check) == {
        NicknameReason.SYMBOL, NicknameReason.EMOJI, NicknameReason.NOT_A_NAME, NicknameReason.TOO_WIDE,
    }
    emoji = next(p for p in check.reasons if p.reason is NicknameReason.EMOJI)
    assert emoji.detail == "🏃"  # each character once


def test_a_font_that_lacks_a_character_refuses_it() -> None:
    no_rare_kanji = NicknameChecker(NicknameRules(), printable=lambda ch: ch != "𠮷")
    assert no_rare_kanji.check(entrant("吉田")).outcome is NicknameOutcome.OK
    check = no_rare_kanji.check(entrant("𠮷田"))
    assert reasons(check) == {NicknameReason.UNPRINTABLE_SCRIPT}


def test_names_pass(checker: NicknameChecker) -> None:
    for typed in ("Jean-Paul", "O'Brien", "J.R.", "たろう", "タロウ", "佐々木", "ユーコ", "José", "Zoë"):
        check = checker.check(entrant(typed))
        assert check.outcome is NicknameOutcome.OK, (typed, check.reasons)
        assert check.printed == normalise(typed)


def test_no_nickname_prints_nothing(checker: NicknameChecker) -> None:
    check = checker.check(entrant(""))
    assert (check.outcome, check.printed, check.width) == (NicknameOutcome.OK, "", 0)


# -- words that are not names -----------------------------------------------------

@pytest.mark.parametrize(
    "typed",
    ["ＴＯＹＯＴＡ", "toyota", "Toyota", "トヨタ", "とよた", "ﾄﾖﾀ", "TOYOTA-RUN", "ゴーゴートヨタ"],
)
def test_a_banned_word_is_caught_in_every_form(checker: NicknameChecker, typed: str) -> None:
    check = checker.check(entrant(typed))
    assert check.outcome is NicknameOutcome.REFUSED
    assert [p.detail for p in check.reasons if p.reason is NicknameReason.NOT_A_NAME] == ["トヨタ"]


def test_an_english_banned_word_is_caught_in_katakana(checker: NicknameChecker) -> None:
    # Nike is listed in English only; its katakana reading comes from the model.
    for typed in ("nike", "NIKE", "ナイキ", "ないき"):
        assert reasons(checker.check(entrant(typed))) == {NicknameReason.NOT_A_NAME}, typed


def test_a_katakana_banned_word_is_caught_in_kana_of_any_width(checker: NicknameChecker) -> None:
    assert reasons(checker.check(entrant("ｿﾆｰ"))) == {NicknameReason.NOT_A_NAME}
    assert reasons(checker.check(entrant("そにー"))) == {NicknameReason.NOT_A_NAME}
    assert reasons(checker.check(entrant("ソニー"))) == {NicknameReason.NOT_A_NAME}


def test_short_banned_words_match_only_the_whole_nickname() -> None:
    strict = NicknameChecker(NicknameRules(banned_words=("ai", "ass")))
    assert strict.check(entrant("AI")).outcome is NicknameOutcome.REFUSED
    assert strict.check(entrant("Aiko")).outcome is NicknameOutcome.OK
    # words match on word boundaries only: a name containing a banned word is a name
    assert strict.check(entrant("Cassie")).outcome is NicknameOutcome.OK
    assert strict.check(entrant("Big Ass")).outcome is NicknameOutcome.REFUSED


def test_a_katakana_conversion_into_a_banned_word_is_refused(checker: NicknameChecker) -> None:
    check = checker.check(entrant("Toyota", katakana=True))
    assert check.outcome is NicknameOutcome.REFUSED


# -- katakana conversion -------------------------------------------------------------

def test_james_becomes_james_in_katakana(checker: NicknameChecker) -> None:
    check = checker.check(entrant("James", katakana=True, family_kana="", given_kana=""))
    assert check.outcome is NicknameOutcome.CONVERTED
    assert check.printed == "ジェームズ"
    assert check.width == 10


@pytest.mark.parametrize(("name", "reading"), [("smith", "スミス"), ("george", "ジョージ"), ("brown", "ブラウン")])
def test_english_names_through_the_model(reader: E2KReader, name: str, reading: str) -> None:
    assert reader(name) == reading


def test_japanese_names_come_from_the_roster_kana(checker: NicknameChecker) -> None:
    assert checker.check(entrant("太郎", katakana=True)).printed == "タロウ"
    assert checker.check(entrant("山田", katakana=True)).printed == "ヤマダ"
    assert checker.check(entrant("たろう", katakana=True)).printed == "タロウ"
    # a Japanese name in romaji is read from the roster, not guessed
    taro = checker.check(entrant("Taro", katakana=True))
    assert (taro.outcome, taro.printed) == (NicknameOutcome.CONVERTED, "タロウ")


def test_no_nickname_with_katakana_asked_converts_the_given_name(checker: NicknameChecker) -> None:
    check = checker.check(entrant("", katakana=True))
    assert (check.outcome, check.printed) == (NicknameOutcome.CONVERTED, "タロウ")


def test_katakana_already_is_ok_not_converted(checker: NicknameChecker) -> None:
    check = checker.check(entrant("タロウ", katakana=True))
    assert (check.outcome, check.printed) == (NicknameOutcome.OK, "タロウ")


def test_mixed_scripts_convert_part_by_part(checker: NicknameChecker) -> None:
    check = checker.check(entrant("Kenたろう", katakana=True))
    assert check.printed == "ケンタロウ"
    assert check.width == 10


def test_a_reading_that_does_not_fit_goes_to_a_supervisor_uncut(checker: NicknameChecker) -> None:
    check = checker.check(entrant("Christopher", katakana=True))
    assert check.outcome is NicknameOutcome.NEEDS_SUPERVISOR
    assert check.printed == ""
    assert reasons(check) == {NicknameReason.KATAKANA_TOO_WIDE}
    assert "クリストファー" in check.reasons[0].detail
    assert check.suggestion and text_width(check.suggestion) <= 10
    assert "クリストファー".startswith(check.suggestion)
    assert check.suggestion[-1] not in "ァィゥェォャュョッー"


def test_a_long_full_name_suggests_one_name(checker: NicknameChecker) -> None:
    check = checker.check(entrant("James Smith", katakana=True, family_kana="", given_kana=""))
    assert check.outcome is NicknameOutcome.NEEDS_SUPERVISOR
    assert "ジェームズ・スミス" in check.reasons[0].detail
    assert check.suggestion == "ジェームズ"


def test_kanji_without_a_reading_goes_to_a_supervisor(checker: NicknameChecker) -> None:
    check = checker.check(entrant("花子", katakana=True))
    assert check.outcome is NicknameOutcome.NEEDS_SUPERVISOR
    assert reasons(check) == {NicknameReason.NO_READING}


def test_conversion_can_be_switched_off_by_the_event() -> None:
    plain = NicknameChecker(NicknameRules(katakana_conversion=False))
    check = plain.check(entrant("James", katakana=True))
    assert (check.outcome, check.printed) == (NicknameOutcome.OK, "James")


def test_without_the_model_romaji_still_reads() -> None:
    no_model = NicknameChecker(NicknameRules())
    assert no_model.check(entrant("Kenta", katakana=True, given_latin="")).printed == "ケンタ"
    # the curated list reads common names without the model; others need it
    assert no_model.check(entrant("James", katakana=True)).printed == "ジェームズ"
    check = no_model.check(entrant("Thaddeus", katakana=True))
    assert check.outcome is NicknameOutcome.NEEDS_SUPERVISOR


def test_kana_helpers() -> None:
    assert to_katakana("やまだ たろう") == "ヤマダタロウ"
    assert romaji_reader("toyota") == "トヨタ"
    assert romaji_reader("james") == ""  # not romaji: no half-guess
    assert shorten_katakana("クリストファー", 5) == "クリスト"
    assert shorten_katakana("タロウ", 5) == "タロウ"


def test_the_core_does_not_load_numpy_on_import() -> None:
    code = (
        "import sys, station.core.nickname, station.core.katakana;"
        "sys.exit('numpy' in sys.modules or 'e2k' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# -- properties over what runners might type ---------------------------------------

_TYPED = st.text(
    alphabet=st.sampled_from(
        [*"AbZz09 -'.・ー々あんアンｱﾝﾞﾟ山田太郎髙", "Ａ", "ｚ", "\u3000", "🏃", "!", "\u200b", "김", "é"]
    ),
    max_size=14,
)


@given(_TYPED)
@settings(max_examples=300, deadline=None)
def test_normalising_twice_changes_nothing(typed: str) -> None:
    assert normalise(normalise(typed)) == normalise(typed)


@given(_TYPED, st.booleans())
@settings(max_examples=300, deadline=None)
def test_whatever_prints_fits_and_whatever_does_not_says_why(typed: str, katakana: bool) -> None:
    check = NicknameChecker(NicknameRules(banned_words=BANNED)).check(entrant(typed, katakana))
    if check.printable:
        assert text_width(check.printed) <= 10
        assert check.reasons == ()
    else:
        assert check.printed == ""
        assert check.reasons
