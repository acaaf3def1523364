"""The export checker: every encoding, every header style, every refusal reason."""

from __future__ import annotations

import datetime as dt

import pytest

from station.core.errors import RosterFileError
from station.core.models import Category, Sex
from station.core.roster import Refusal, check_roster, decode
from tests.factories import csv_bytes, row

TODAY = dt.date(2026, 11, 21)


def check(rows, *, max_escorts=1, **kwargs):
    return check_roster(csv_bytes(rows, **{k: v for k, v in kwargs.items() if k in ("encoding",)}),
                        max_escorts=max_escorts, today=TODAY,
                        **{k: v for k, v in kwargs.items() if k not in ("encoding",)})


def codes(result) -> dict[int, set[Refusal]]:
    found: dict[int, set[Refusal]] = {}
    for p in result.problems:
        found.setdefault(p.line, set()).add(p.code)
    return found


# -- encodings -----------------------------------------------------------------


@pytest.mark.parametrize("encoding, detected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp932", "cp932"), ("utf-16", "utf-16"),
])
def test_every_encoding_is_detected(encoding, detected):
    raw = csv_bytes([row(1, family_kanji="髙橋", nickname="①はやい"), row(2)], encoding=encoding)
    result = check_roster(raw, max_escorts=1, today=TODAY)
    assert result.encoding == detected
    assert not result.problems
    assert result.entrants[0].family_kanji == "髙橋"  # a CP932-only kanji survives
    assert result.entrants[0].nickname == "①はやい"


def test_shift_jis_is_read_as_cp932_which_has_the_nec_extensions():
    text, used = decode("受付番号,㈱\n".encode("cp932"))
    assert used == "cp932" and "㈱" in text


def test_forcing_the_wrong_encoding_names_the_line_and_the_fix():
    raw = csv_bytes([row(1), row(2, family_kanji="佐藤")], encoding="cp932")
    with pytest.raises(RosterFileError, match=r"not utf-8 \(first bad byte on line 2\).*--encoding cp932"):
        check_roster(raw, max_escorts=1, encoding="utf-8", today=TODAY)


def test_forcing_an_unknown_encoding_is_a_clear_error():
    with pytest.raises(RosterFileError, match="Unknown encoding 'klingon'"):
        check_roster(csv_bytes([row(1)]), max_escorts=1, encoding="klingon", today=TODAY)


def test_forcing_sjis_by_its_common_names_works():
    raw = csv_bytes([row(1)], encoding="cp932")
    assert check_roster(raw, max_escorts=1, encoding="Shift-JIS", today=TODAY).encoding == "cp932"


def test_bytes_that_are_neither_utf8_nor_cp932_are_refused():
    with pytest.raises(RosterFileError, match="Cannot tell the file's encoding"):
        decode(b"entry_no\n\x81\x7f\xff\xfe\x80")


# -- headers ---------------------------------------------------------------------

JA = ["受付番号", "ナンバーカード番号", "姓", "名", "セイ", "メイ", "生年月日", "種目", "性別", "伴走対象受付番号"]


def test_japanese_headers_with_full_width_brackets_and_spaces():
    header = ["受付番号", "ＢＩＢ　Ｎｏ．", "姓（漢字）", "名（漢字）", "生年月日", "種目", "性別"]
    raw = csv_bytes([{"a": "1001", "b": "5", "c": "田中", "d": "花子", "e": "1990/4/1", "f": "一般", "g": "女"}],
                    header=header)
    result = check_roster(raw, max_escorts=1, today=TODAY)
    assert not result.problems
    e = result.entrants[0]
    assert (e.entry_no, e.bib, e.name_kanji, e.birth_date, e.category, e.sex) == (
        "1001", "5", "田中 花子", dt.date(1990, 4, 1), Category.GENERAL, Sex.FEMALE)


def test_missing_required_column_names_what_was_looked_for():
    raw = csv_bytes([{"a": "1001", "b": "田中", "c": "1990-04-01", "d": "一般"}],
                    header=["受付番号", "姓", "生年月日", "種目"])
    with pytest.raises(RosterFileError, match=r"no column for bib number \(looked for ナンバーカード番号"):
        check_roster(raw, max_escorts=1, today=TODAY)


def test_a_mapping_file_names_unknown_headers():
    raw = csv_bytes([{"a": "1001", "b": "5", "c": "Smith", "d": "1990-04-01", "e": "general"}],
                    header=["Runner ID", "ｾﾞｯｹﾝNo", "Surname", "DOB", "Category"])
    result = check_roster(raw, max_escorts=1, today=TODAY, columns={"Runner ID": "entry_no", "ｾﾞｯｹﾝNo": "bib"})
    assert [(e.entry_no, e.bib, e.family_latin) for e in result.entrants] == [("1001", "5", "Smith")]


def test_unknown_columns_are_reported_and_ignored():
    raw = csv_bytes([dict(row(1), extra="x")], header=[*row(1).keys(), "Favourite colour"])
    result = check_roster(raw, max_escorts=1, today=TODAY)
    assert result.ignored_columns == ("Favourite colour",) and len(result.entrants) == 1


def test_tab_separated_exports_are_read():
    raw = csv_bytes([row(1)]).replace(b",", b"\t")
    assert len(check_roster(raw, max_escorts=1, today=TODAY).entrants) == 1


def test_empty_file_is_a_clear_error():
    with pytest.raises(RosterFileError, match="empty"):
        check_roster(b"", max_escorts=1, today=TODAY)


# -- values and refusals -----------------------------------------------------------


def test_values_are_normalised():
    result = check([row(1, entry_no="１００１", bib="０７", family_latin="ＳＭＩＴＨ", sex="男性",
                        birth_date="1985年4月1日", katakana_requested="希望", category="陸連登録",
                        start_block="ｃ")])
    e = result.entrants[0]
    assert (e.entry_no, e.bib, e.family_latin, e.sex, e.birth_date, e.katakana_requested, e.category,
            e.start_block) == ("1001", "07", "SMITH", Sex.MALE, dt.date(1985, 4, 1), True, Category.ATHLETE, "C")


@pytest.mark.parametrize("changes, code, column", [
    ({"bib": ""}, Refusal.MISSING_BIB, "bib"),
    ({"bib": "12 3"}, Refusal.BAD_VALUE, "bib"),
    ({"entry_no": ""}, Refusal.MISSING_VALUE, "entry_no"),
    ({"birth_date": ""}, Refusal.MISSING_VALUE, "birth_date"),
    ({"birth_date": "1990-02-30"}, Refusal.IMPOSSIBLE_DATE, "birth_date"),
    ({"birth_date": "2027-01-01"}, Refusal.IMPOSSIBLE_DATE, "birth_date"),
    ({"birth_date": "1899-12-31"}, Refusal.IMPOSSIBLE_DATE, "birth_date"),
    ({"birth_date": "yesterday"}, Refusal.IMPOSSIBLE_DATE, "birth_date"),
    ({"category": "ultra"}, Refusal.UNKNOWN_CATEGORY, "category"),
    ({"category": ""}, Refusal.MISSING_VALUE, "category"),
    ({"sex": "Q"}, Refusal.BAD_VALUE, "sex"),
    ({"disability": "maybe"}, Refusal.BAD_VALUE, "disability"),
    ({"katakana_requested": "perhaps"}, Refusal.BAD_VALUE, "katakana_requested"),
])
def test_each_bad_value_is_refused_with_line_column_and_reason(changes, code, column):
    result = check([row(1), row(2, **changes), row(3)])
    assert [p.line for p in result.problems] == [3]
    assert result.problems[0].code is code
    assert result.problems[0].column == column
    assert [e.entry_no for e in result.entrants] == ["1001", "1003"]


def test_no_family_name_in_any_script():
    result = check([row(1, family_kanji="", family_kana="", family_latin="")])
    assert codes(result) == {2: {Refusal.MISSING_VALUE}}


def test_wrong_column_count():
    raw = csv_bytes([row(1), row(2)]) + b"1003,3,too,few\r\n"
    result = check_roster(raw, max_escorts=1, today=TODAY)
    assert codes(result) == {4: {Refusal.WRONG_COLUMN_COUNT}}


def test_duplicate_bib_and_entry_name_the_first_line():
    result = check([row(1), row(2, bib="1"), row(3, entry_no="1001")])
    assert codes(result) == {3: {Refusal.DUPLICATE_BIB}, 4: {Refusal.DUPLICATE_ENTRY}}
    assert "already on line 2" in result.problems[0].message
    assert "already on line 2" in result.problems[1].message


def test_the_same_person_twice_is_refused():
    first = row(1)
    twin = row(2, **{k: first[k] for k in ("family_kanji", "given_kanji", "birth_date")})
    # Latin-only rows (no kanji, no kana): the Latin name decides
    latin_only = {"family_kanji": "", "given_kanji": "", "family_kana": "", "given_kana": ""}
    same_latin = row(3, **latin_only, family_latin="Smith", given_latin="Anna")
    again_latin = row(4, **latin_only, family_latin="SMITH", given_latin="anna")
    result = check([first, twin, same_latin, again_latin])
    assert codes(result) == {3: {Refusal.SAME_PERSON}, 5: {Refusal.SAME_PERSON}}


def test_same_name_different_birthday_is_another_person():
    result = check([row(1), row(2, given_kanji="太郎1", birth_date="1981-01-01")])
    assert not result.problems


def test_same_latin_spelling_different_kanji_is_another_person():
    result = check([row(1, given_kanji="翔太", given_latin="Shota"),
                    row(2, given_kanji="祥太", given_latin="Shota", given_kana="ショウタ")])
    assert not result.problems


def test_escort_links_are_checked():
    rows = [
        row(1, disability="1", category="disability"),
        row(2, escort_of="1001"),          # fine
        row(3, escort_of="1001"),          # one escort too many (max 1)
        row(4, escort_of="9999"),          # unknown entry
        row(5, escort_of="1002"),          # escort of an escort
        row(6, escort_of="1006"),          # escort of itself
    ]
    result = check(rows, max_escorts=1)
    assert codes(result) == {
        4: {Refusal.TOO_MANY_ESCORTS}, 5: {Refusal.ESCORT_UNKNOWN_ENTRY},
        6: {Refusal.ESCORT_OF_ESCORT}, 7: {Refusal.ESCORT_OF_ESCORT},
    }
    assert [e.entry_no for e in result.entrants] == ["1001", "1002"]
    assert result.entrants[1].is_escort


def test_two_escorts_where_the_event_allows_two():
    rows = [row(1, disability="1"), row(2, escort_of="1001"), row(3, escort_of="1001")]
    assert not check(rows, max_escorts=2).problems


def test_an_escort_of_a_refused_runner_says_so():
    result = check([row(1, birth_date="1990-02-30"), row(2, escort_of="1001")])
    escort_problem = next(p for p in result.problems if p.line == 3)
    assert escort_problem.code is Refusal.ESCORT_UNKNOWN_ENTRY and "refused" in escort_problem.message


def test_an_escort_may_share_a_runner_entrants_name_and_birthday():
    """An escort who is also a registered runner has two rows: that is not one person entering twice."""
    runner = row(1)
    guide = row(2, disability="1")
    escort_row = row(3, escort_of="1002", **{k: runner[k] for k in ("family_kanji", "given_kanji", "birth_date")})
    assert not check([runner, guide, escort_row]).problems


def test_a_quoted_field_over_two_lines_keeps_line_numbers_right():
    raw = csv_bytes([row(1, nickname="two\nlines"), row(2, bib="")])
    result = check_roster(raw, max_escorts=1, today=TODAY)
    # the line break itself is refused in a nickname (unsafe_text), on the line the row starts
    assert [(p.line, p.code) for p in result.problems] == [(2, Refusal.UNSAFE_TEXT), (4, Refusal.MISSING_BIB)]


def test_progress_is_reported_for_every_row():
    seen = []
    check_roster(csv_bytes([row(i) for i in range(1, 1203)]), max_escorts=1, today=TODAY, progress=seen.append)
    assert sum(seen) == 1202
