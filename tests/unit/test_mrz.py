"""ICAO 9303 parsing, check digits and look-alike repair, on the specification's specimens."""

from __future__ import annotations

import datetime as dt

import pytest

from station.core import mrz
from station.core.models import Sex
from station.core.mrz_states import KNOWN_STATES

TODAY = dt.date(2010, 1, 1)  # the specimens' documents were valid then

TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
       "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
TD2 = ("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
       "D231458907UTO7408122F1204159<<<<<<<6")
TD1 = ("I<UTOD231458907<<<<<<<<<<<<<<<",
       "7408122F1204159UTO<<<<<<<<<<<6",
       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<")


@pytest.mark.parametrize(("data", "digit"), [
    ("L898902C3", "6"), ("740812", "2"), ("120415", "9"), ("ZE184226B<<<<<", "1"),
    ("D23145890", "7"), ("<<<<<<", "0"),
])
def test_check_digits_of_the_specimens(data, digit):
    assert mrz.check_digit(data) == digit


def test_td3_passport_specimen():
    record = mrz.parse(TD3, today=TODAY)
    assert record.format is mrz.MrzFormat.TD3
    assert record.valid and record.is_passport
    assert record.document_code == "P" and record.issuing_state == "UTO"
    assert record.family_names == ("ERIKSSON",)
    assert record.given_names == ("ANNA", "MARIA")
    assert record.document_number == "L898902C3"
    assert record.nationality == "UTO"
    assert record.birth_date == dt.date(1974, 8, 12)
    assert record.expiry_date == dt.date(2012, 4, 15)
    assert record.sex is Sex.FEMALE
    assert record.optional_data == "ZE184226B"


def test_td2_card_specimen():
    record = mrz.parse(TD2, today=TODAY)
    assert record.format is mrz.MrzFormat.TD2 and record.valid
    assert record.document_number == "D23145890"
    assert record.given_names == ("ANNA", "MARIA")
    assert not record.is_passport


def test_td1_card_specimen():
    record = mrz.parse(TD1, today=TODAY)
    assert record.format is mrz.MrzFormat.TD1 and record.valid
    assert record.document_number == "D23145890"
    assert record.birth_date == dt.date(1974, 8, 12)
    assert record.family_names == ("ERIKSSON",)


def test_td1_long_document_number_continues_in_optional_data():
    lines = mrz.compose(
        mrz.MrzFormat.TD1, document_code="I", issuing_state="UTO", family=["ERIKSSON"],
        given=["ANNA"], document_number="D23145890", nationality="UTO",
        birth=dt.date(1974, 8, 12), sex="F", expiry=dt.date(2012, 4, 15))
    # Spec example: number D23145890734 -> "D23145890<" + "7349" (check 9) in optional data.
    line1 = "I<UTOD23145890<7349<<<<<<<<<<<"
    head = lines[1][:29]
    composite = mrz.check_digit(line1[5:30] + head[0:7] + head[8:15] + head[18:29])
    record = mrz.parse((line1, head + composite, lines[2]), today=TODAY)
    assert record.checks.document_number
    assert record.document_number == "D23145890734"
    assert record.valid


def test_two_digit_years_birth_in_the_past_expiry_ahead():
    lines = mrz.compose(
        mrz.MrzFormat.TD3, document_code="P", issuing_state="JPN", family=["TANAKA"],
        given=["TARO"], document_number="TK1234567", nationality="JPN",
        birth=dt.date(1950, 3, 1), sex="M", expiry=dt.date(2031, 3, 1))
    record = mrz.parse(lines, today=dt.date(2026, 11, 21))
    assert record.birth_date == dt.date(1950, 3, 1)
    assert record.expiry_date == dt.date(2031, 3, 1)
    child = mrz.compose(
        mrz.MrzFormat.TD3, document_code="P", issuing_state="JPN", family=["TANAKA"],
        given=["HANA"], document_number="TK1234568", nationality="JPN",
        birth=dt.date(2015, 6, 30), sex="F", expiry=dt.date(2025, 6, 30))
    record = mrz.parse(child, today=dt.date(2026, 11, 21))
    assert record.birth_date == dt.date(2015, 6, 30)
    assert record.expiry_date == dt.date(2025, 6, 30)


@pytest.mark.parametrize("fmt", list(mrz.MrzFormat))
def test_composed_lines_parse_back_valid(fmt):
    lines = mrz.compose(
        fmt, document_code="P" if fmt is mrz.MrzFormat.TD3 else "I", issuing_state="D",
        family=["VAN", "DER", "BERG"], given=["LEA"], document_number="C01X00T47",
        nationality="D", birth=dt.date(1964, 8, 12), sex="<", expiry=dt.date(2030, 1, 31),
        optional_data="123")
    assert tuple(len(line) for line in lines) == (fmt.shape[1],) * fmt.shape[0]
    record = mrz.parse(lines, today=TODAY)
    assert record.valid
    assert record.family_names == ("VAN", "DER", "BERG")
    assert record.sex is Sex.UNSTATED
    assert record.issuing_state == "D"


@pytest.mark.parametrize(("row", "col", "wrong"), [
    (1, 14, "3"),   # birth date digit: birth check and composite fail
    (1, 0, "K"),    # document number: its check fails
    (1, 22, "9"),   # expiry
    (1, 30, "X"),   # optional data (TD3 has its own check)
])
def test_a_changed_character_fails_its_check(row, col, wrong):
    lines = list(TD3)
    lines[row] = lines[row][:col] + wrong + lines[row][col + 1:]
    record = mrz.parse(lines, today=TODAY)
    assert not record.valid


def test_impossible_dates_are_not_valid_even_with_matching_check_digit():
    line2 = "L898902C36UTO741312" + mrz.check_digit("741312") + "F1204159ZE184226B<<<<<1"
    composite = mrz.check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    record = mrz.parse((TD3[0], line2 + composite), today=TODAY)
    assert record.checks.birth_date and not record.checks.dates_valid
    assert record.birth_date is None and not record.valid


def test_wrong_shape_is_refused():
    with pytest.raises(ValueError):
        mrz.parse(("P<UTO", "L898902C3"))
    with pytest.raises(ValueError):
        mrz.parse((TD3[0], TD3[1][:-1] + "*"))


def test_look_alikes_repaired_where_the_layout_fixes_the_kind():
    # O for 0 in the birth date, 5 for S in the name, I for 1 in the expiry.
    bad = ("P<UTOERIK5SON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
           "L898902C36UTO74O8122F12O4I59ZE184226B<<<<<10")
    record = mrz.repair(bad, today=TODAY)
    assert record is not None and record.valid
    assert record.lines == TD3
    assert record.repairs == 4


def test_look_alike_in_document_number_repaired_only_by_the_check_digit():
    bad = (TD3[0], "L8989O2C36UTO7408122F1204159ZE184226B<<<<<10")  # O for 0
    record = mrz.repair(bad, today=TODAY)
    assert record is not None and record.document_number == "L898902C3"


def test_a_real_misprint_is_not_repaired_into_something_valid():
    bad = (TD3[0], "L898902C36UTO7408172F1204159ZE184226B<<<<<10")  # 2 -> 7: no look-alike
    assert mrz.repair(bad, today=TODAY) is None


def test_position_alphabets_follow_the_layout():
    grid = mrz.position_alphabets(mrz.MrzFormat.TD3)
    assert grid[1][13] == mrz.DIGITS          # birth date
    assert "0" not in grid[0][10]             # names
    assert grid[0][0] == "PV"
    assert grid[1][0] == mrz.ALPHABET         # document number: anything


def test_names_shape():
    assert mrz.names_well_formed("ERIKSSON<<ANNA<MARIA<<<<")
    assert not mrz.names_well_formed("ERIKSSON<<ANNA<<<<<<C")
    assert not mrz.names_well_formed("<<<<<<<<")


def test_check_digit_cells_hold_only_digits_or_a_filler():
    # TD3 position 43 (the personal number's check) and TD1's document-number
    # check: a letter there can only be a misread zero (O, D, U ...).
    td3 = mrz.position_alphabets(mrz.MrzFormat.TD3)
    td1 = mrz.position_alphabets(mrz.MrzFormat.TD1)
    assert td3[1][42] == mrz.DIGITS + mrz.FILLER
    assert td1[0][14] == mrz.DIGITS + mrz.FILLER


def test_known_states_are_iso_codes_and_doc9303s_own():
    for code in ("JPN", "FRA", "ROU", "TWN", "D<<", "UTO", "XXA", "GBD", "RKS", "EUE"):
        assert code in KNOWN_STATES
    for code in ("UTD", "UTQ", "XYZ", "BDR"):
        assert code not in KNOWN_STATES


def test_code_spans_are_the_issuing_state_and_the_nationality():
    lines = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
             "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
    for row, start, end in mrz.code_spans(mrz.MrzFormat.TD3):
        assert lines[row][start:end] == "UTO"
    td1 = ("I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
           "ERIKSSON<<ANNA<MARIA<<<<<<<<<<")
    assert [td1[r][a:b] for r, a, b in mrz.code_spans(mrz.MrzFormat.TD1)] == ["UTO", "UTO"]
