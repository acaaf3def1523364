"""Roster files as exports really are, through `station import`: stray quotes,
header-only files, half-width kana in CP932, trailing empty columns."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from station.cli import EXIT_ERROR, EXIT_ROWS_REFUSED, cli
from station.core.csv_reader import QuoteError, read_csv
from station.demo import HEADER
from tests.factories import csv_bytes, row


@pytest.fixture
def event(tmp_path: Path) -> Path:
    path = tmp_path / "e.sqlite"
    result = CliRunner().invoke(cli, ["event", "new", str(path), "--id", "e-2027", "--name", "E",
                                      "--race-date", "2027-02-21"])
    assert result.exit_code == 0, result.output
    return path


def run_import(event: Path, tmp_path: Path, data: bytes, *extra: str):
    path = tmp_path / "roster.csv"
    path.write_bytes(data)
    return CliRunner().invoke(cli, ["import", str(path), "--event", str(event), *extra])


def entrants(event: Path) -> int:
    conn = sqlite3.connect(event)
    try:
        return int(conn.execute("SELECT count(*) FROM entrant").fetchone()[0])
    finally:
        conn.close()


def fifty_rows_with(line6: str) -> bytes:
    """A header and 50 rows; line 6 of the file replaced by `line6`."""
    lines = csv_bytes([row(i) for i in range(1, 51)]).decode().split("\r\n")
    lines[5] = line6
    return "\r\n".join(lines).encode()


def test_a_stray_quote_refuses_the_file_naming_its_line(event, tmp_path):
    good = csv_bytes([row(5)]).decode().split("\r\n")[1]
    stray = good.replace("山田", '"山田', 1)  # opens a quote that never closes
    result = run_import(event, tmp_path, fifty_rows_with(stray))
    assert result.exit_code == EXIT_ERROR, result.output
    assert "Line 6" in result.output and "never closes" in result.output
    assert entrants(event) == 0


def test_a_stray_quote_closed_by_another_far_below_is_refused(event, tmp_path):
    lines = csv_bytes([row(i) for i in range(1, 51)]).decode().split("\r\n")
    lines[5] = lines[5].replace("山田", '"山田', 1)
    lines[30] = lines[30].replace("Yamada", 'Yamada"', 1)  # closes it, 25 rows later
    result = run_import(event, tmp_path, "\r\n".join(lines).encode())
    assert result.exit_code == EXIT_ERROR, result.output
    assert "Line 6" in result.output
    assert entrants(event) == 0


def test_a_closing_quote_followed_by_text_is_refused():
    with pytest.raises(QuoteError) as caught:
        read_csv('a,b,c\n1,"two"x,3\n')
    assert caught.value.line == 2


def test_a_nickname_over_two_lines_that_closes_sensibly_is_read(event, tmp_path):
    data = csv_bytes([row(1), row(2, nickname="two\nlines"), row(3)])
    result = run_import(event, tmp_path, data)
    # the row is read (and refused only for its nickname's line break, a control character)
    assert "3 rows read" in result.output, result.output
    assert entrants(event) >= 2


def test_every_line_is_accounted_for():
    text = 'a,b,c\n\n1,"x\ny",3\n4,5,6\n\n'
    parsed = read_csv(text)
    assert parsed.accounted and len(parsed.records) == 2 and parsed.blank_lines == 2
    assert parsed.records[0].line == 3 and parsed.records[0].last_line == 4
    assert parsed.records[1].line == 5


def test_quotes_inside_an_unquoted_field_are_characters():
    parsed = read_csv('a,b,c\n1,O"Brien,3\n')
    assert parsed.records[0].fields == ("1", 'O"Brien', "3")


def test_a_header_only_file_exits_one_as_the_readme_says(event, tmp_path):
    result = run_import(event, tmp_path, (",".join(HEADER) + "\r\n").encode())
    assert result.exit_code == EXIT_ERROR, result.output
    assert "no entrants" in result.output
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "1 when nothing was\nimported" in readme or "1 when nothing was imported" in readme


def test_a_small_cp932_file_of_half_width_kana_is_cp932(event, tmp_path):
    text = ",".join(["entry_no", "bib", "family_kana", "given_kana", "birth_date", "category"]) + "\r\n"
    text += "A1,1,ﾓｳ,ﾐｷ,1980-01-01,general\r\n"
    data = text.encode("cp932")
    assert data.decode("utf-8")  # the trap: these bytes are valid UTF-8 too
    result = run_import(event, tmp_path, data)
    assert result.exit_code == 0, result.output
    assert "(cp932)" in result.output
    conn = sqlite3.connect(event)
    kana = conn.execute("SELECT family_kana, given_kana FROM entrant").fetchone()
    conn.close()
    assert kana in (("モウ", "ミキ"), ("ﾓｳ", "ﾐｷ"))


def test_a_utf8_file_with_accents_stays_utf8(event, tmp_path):
    data = csv_bytes([row(1, given_latin="José", family_latin="Müller")])
    result = run_import(event, tmp_path, data)
    assert "(utf-8)" in result.output and result.exit_code == 0, result.output


def test_trailing_empty_header_columns_are_harmless(event, tmp_path):
    lines = csv_bytes([row(1), row(2)]).decode().split("\r\n")
    lines = [lines[0] + ",,,"] + [line + ",," for line in lines[1:2]] + lines[2:]
    result = run_import(event, tmp_path, "\r\n".join(lines).encode())
    assert result.exit_code == 0, result.output
    assert "applied: 2 added" in result.output


# -- columns ----------------------------------------------------------------------


def kyoto_export(extra_header: list[str] | None = None, extra: list[str] | None = None) -> bytes:
    header = ["受付番号", "ナンバーカード番号", "姓", "名", "セイ", "メイ", "生年月日", "種目", "部門",
              *(extra_header or [])]
    rows = [["K1", "101", "山田", "花子", "ヤマダ", "ハナコ", "1980-01-01", "マラソン", "一般", *(extra or [])],
            ["K2", "102", "鈴木", "一郎", "スズキ", "イチロウ", "1981-02-02", "マラソン", "登録", *(extra or [])]]
    return "\r\n".join(",".join(r) for r in [header, *rows]).encode("utf-8")


def test_kyoto_style_shumoku_and_bumon_both_present(event, tmp_path):
    result = run_import(event, tmp_path, kyoto_export(["メモ"], ["x"]))
    assert result.exit_code == 0, result.output
    assert "applied: 2 added" in result.output
    assert "columns not used: 種目, メモ" in result.output  # reported, not fatal
    conn = sqlite3.connect(event)
    cats = sorted(r[0] for r in conn.execute("SELECT category FROM entrant"))
    conn.close()
    assert cats == ["athlete", "general"]


def test_category_header_katakana_is_known(event, tmp_path):
    data = kyoto_export().decode().replace("部門", "カテゴリー").encode()
    result = run_import(event, tmp_path, data)
    assert result.exit_code == 0, result.output


def test_columns_override_wins_and_ignore_drops_a_column(event, tmp_path, ):
    # Here 部門 holds something else; the organizer maps 種目 to the category instead.
    data = kyoto_export().decode().replace("マラソン", "一般").replace(",一般\r", ",foo\r").replace(",登録", ",bar")
    data = data.replace(",一般\n", ",foo\n")
    mapping = tmp_path / "map.toml"
    mapping.write_text('[columns]\n"種目" = "category"\n"部門" = "ignore"\n', encoding="utf-8")
    result = run_import(event, tmp_path, data.encode(), "--columns", str(mapping))
    assert result.exit_code == 0, result.output
    assert "columns not used" not in result.output
    inline = run_import(event, tmp_path, data.encode(), "--dry-run", "--columns", "種目=category,部門=ignore")
    assert inline.exit_code == 0, inline.output


def test_unknown_columns_mapping_target_is_a_clear_error(event, tmp_path):
    result = run_import(event, tmp_path, kyoto_export(), "--columns", "種目=race")
    assert result.exit_code == EXIT_ERROR and "unknown field 'race'" in result.output


# -- dates and codes ----------------------------------------------------------------


@pytest.mark.parametrize("written, expected", [
    ("H12.4.1", "2000-04-01"), ("平成12年4月1日", "2000-04-01"), ("S55.5.5", "1980-05-05"),
    ("R1.5.1", "2019-05-01"), ("令和元年5月1日", "2019-05-01"), ("昭和55年5月5日", "1980-05-05"),
    ("M45.7.29", "1912-07-29"), ("大正2年1月1日", "1913-01-01"),
    ("36617", "2000-04-01"), ("2000/4/1 0:00", "2000-04-01"), ("2000-04-01T00:00:00", "2000-04-01"),
    ("2000-04-01 00:00:00", "2000-04-01"), ("2000/04/01（土）", "2000-04-01"), ("2000/04/01 (Sat)", "2000-04-01"),
    ("2000\u201004\u201001", "2000-04-01"), ("２０００年４月１日", "2000-04-01"), ("2000.4.1", "2000-04-01"),
])
def test_date_forms_are_read_and_shown_in_the_dry_run(event, tmp_path, written, expected):
    result = run_import(event, tmp_path, csv_bytes([row(1, birth_date=written)]), "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"{written.strip()} -> {expected}" in result.output


@pytest.mark.parametrize("written, why", [
    ("H31.5.1", "outside 平成"), ("2000/04/02（土）", "is a Sunday"), ("S55.2.30", "impossible date"),
    ("2000", "not a date"),
])
def test_impossible_or_unknown_dates_are_refused(event, tmp_path, written, why):
    result = run_import(event, tmp_path, csv_bytes([row(1), row(2, birth_date=written)]))
    assert result.exit_code == EXIT_ROWS_REFUSED, result.output
    assert "line 3, column birth_date" in result.output and why in result.output
    assert "impossible_date" in result.output


@pytest.mark.parametrize("written, sex", [("1", "M"), ("2", "F"), ("9", "X"), ("0", "X"),
                                          ("男子", "M"), ("女子", "F")])
def test_sex_codes(event, tmp_path, written, sex):
    result = run_import(event, tmp_path, csv_bytes([row(1, sex=written)]))
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(event)
    stored = conn.execute("SELECT sex FROM entrant").fetchone()[0]
    conn.close()
    assert stored == sex


# -- one entry per person -------------------------------------------------------------

ONE = {"family_kanji": "中村", "given_kanji": "桃子", "family_kana": "ナカムラ", "given_kana": "モモコ",
       "family_latin": "Nakamura", "given_latin": "Momoko", "birth_date": "1990-03-03", "sex": "F"}


@pytest.mark.parametrize("changes", [
    pytest.param({"family_kanji": "", "given_kanji": ""}, id="without-kanji"),
    pytest.param({"family_kanji": "中村　桃子", "given_kanji": ""}, id="one-field-ideographic-space"),
    pytest.param({"family_kanji": "中村 ", "given_kanji": " 桃子"}, id="spaces"),
    pytest.param({"family_kana": "なかむら", "given_kana": "ももこ"}, id="hiragana"),
    pytest.param({"family_kana": "ﾅｶﾑﾗ", "given_kana": "ﾓﾓｺ"}, id="half-width"),
    pytest.param({"family_kanji": "", "given_kanji": "", "family_kana": "", "given_kana": "",
                  "family_latin": "MOMOKO", "given_latin": "nakamura"}, id="latin-order-swapped"),
    pytest.param({"family_kanji": "", "given_kanji": "", "family_kana": "", "given_kana": "",
                  "family_latin": "Nakamura", "given_latin": "Mómoko"}, id="latin-accent"),
    pytest.param({"birth_date": "H2.3.3"}, id="era-date"),
])
def test_the_same_person_written_another_way_is_refused(event, tmp_path, changes):
    latin_only = {"family_kanji": "", "given_kanji": "", "family_kana": "", "given_kana": ""}
    first = dict(ONE, **(latin_only if "family_latin" in changes else {}))
    data = csv_bytes([row(1, **first), row(2, **dict(ONE, **changes))])
    result = run_import(event, tmp_path, data)
    assert result.exit_code == EXIT_ROWS_REFUSED, result.output
    assert "line 3: same person as line 2" in result.output
    assert "applied: 1 added" in result.output


def test_itaiji_and_nfd_are_the_same_person(event, tmp_path):
    import unicodedata

    a = dict(ONE, family_kanji="髙﨑", family_kana="タカサキ")
    b = dict(ONE, family_kanji="高崎", family_kana=unicodedata.normalize("NFD", "タカサキ"))
    c = dict(ONE, family_kanji="", given_kanji="", family_kana=unicodedata.normalize("NFD", "たかさき"))
    result = run_import(event, tmp_path, csv_bytes([row(1, **a), row(2, **b), row(3, **c)]))
    assert "line 3: same person as line 2" in result.output
    assert "line 4: same person as line 2" in result.output


def test_entry_numbers_differing_in_case_are_one_entry(event, tmp_path):
    result = run_import(event, tmp_path, csv_bytes([row(1, entry_no="a100"), row(2, entry_no="A100")]))
    assert "line 3, column entry_no: entry number A100 is already on line 2" in result.output
    # and across files: A100 in the event, ａ１００ arrives later
    later = run_import(event, tmp_path, csv_bytes([row(3, entry_no="A100")]))
    assert "is entry a100, already in the event" in later.output
    assert later.exit_code == EXIT_ROWS_REFUSED


def test_a_person_already_in_the_event_arriving_in_a_later_file(event, tmp_path):
    assert run_import(event, tmp_path, csv_bytes([row(1, **ONE)])).exit_code == 0
    again = dict(ONE, family_kanji="", given_kanji="", family_kana="なかむら", given_kana="ももこ")
    result = run_import(event, tmp_path, csv_bytes([row(1, **ONE), row(7, **again)]))
    assert result.exit_code == EXIT_ROWS_REFUSED, result.output
    assert "same person as line 2" in result.output  # within the file
    later = run_import(event, tmp_path, csv_bytes([row(7, **again)]))
    assert "line 2: same person as entry 1001, already in the event" in later.output
    assert entrants(event) == 1
    # re-importing the first file is an update of entry 1001, not a second person
    assert run_import(event, tmp_path, csv_bytes([row(1, **ONE)])).exit_code == 0


def test_near_matches_are_listed_never_refused(event, tmp_path):
    rows = [row(1, **ONE),
            row(2, **dict(ONE, family_kanji="中邑")),  # another kanji, same reading: near
            row(3, **dict(ONE, family_kanji="", given_kanji="", family_kana="", given_kana="",
                          family_latin="Nakamuura", given_latin="Momoko"))]  # another spelling: same sound
    result = run_import(event, tmp_path, csv_bytes(rows))
    assert result.exit_code == 0, result.output
    assert "applied: 3 added" in result.output
    assert "3 possible same person(s)" in result.output  # 3~2, 4~2, 4~3
    assert "line 3 (entry 1002) may be the same person as entry 1001 (line 2)" in result.output
    many = [row(i, **dict(ONE, family_kanji=f"中{chr(0x4e00 + i)}")) for i in range(1, 30)]
    listing = run_import(event, tmp_path, csv_bytes(many), "--dry-run")
    assert "more (--duplicates lists them all)" in listing.output
    full = run_import(event, tmp_path, csv_bytes(many), "--dry-run", "--duplicates")
    assert "more (--duplicates" not in full.output
    assert full.output.count("may be the same person") > 20


# -- name fields and CSV output ----------------------------------------------------------


@pytest.mark.parametrize("field, value, code", [
    ("given_latin", "evil\u202e", "unsafe_text"),  # RTL override: shows as "live"
    ("family_kanji", "山\u200b田", "unsafe_text"),
    ("family_kana", "ヤマ\x07ダ", "unsafe_text"),
    ("nickname", "a\u2066b", "unsafe_text"),
    ("nickname", "two\nlines", "unsafe_text"),
    ("family_latin", "X" * 51, "too_long"),
])
def test_name_fields_are_validated(event, tmp_path, field, value, code):
    result = run_import(event, tmp_path, csv_bytes([row(1), row(2, **{field: value})]))
    assert result.exit_code == EXIT_ROWS_REFUSED, result.output
    assert f"line 3, column {field}" in result.output and f"[{code}]" in result.output


def test_spreadsheet_formulas_are_escaped_in_mailing_and_nicknames_csv(event, tmp_path):
    import csv
    import io

    formula = "=HYPERLINK(\"http://x\")"
    data = csv_bytes([row(1, family_kanji=formula, nickname="@SUM(A1)", email="+1@x.jp"),
                      row(2, nickname="-2+3")])
    assert run_import(event, tmp_path, data).exit_code == 0
    out = tmp_path / "conf"
    made = CliRunner().invoke(cli, ["keys", "new", "--out", str(tmp_path / "keys")])
    key_id = made.output.split("key id:")[1].split()[0]
    private = tmp_path / "keys" / f"{key_id}.private.pem"
    public = tmp_path / "keys" / f"{key_id}.public.pem"
    assert CliRunner().invoke(cli, ["keys", "add", "--event", str(event), "--public", str(public)]).exit_code == 0
    result = CliRunner().invoke(cli, ["confirmations", "issue", "--event", str(event), "--key", str(private),
                                      "--out", str(out), "--no-pdf"])
    assert result.exit_code == 0, result.output
    with (out / "mailing.csv").open(encoding="utf-8-sig", newline="") as fh:
        cells = [c for r in csv.reader(fh) for c in r]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells), cells
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    nick = CliRunner().invoke(cli, ["nicknames", "check", "--event", str(event), "--csv", "--all"])
    cells = [c for r in csv.reader(io.StringIO(nick.output.lstrip("\ufeff"))) for c in r]
    assert "'@SUM(A1)" in cells and "'-2+3" in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


def test_the_report_accounts_for_every_line(event, tmp_path):
    lines = csv_bytes([row(1), row(2, nickname='x'), row(3)]).decode().split("\r\n")
    lines.insert(2, "")
    lines[3] = lines[3].replace(",x,", ',"x\r\ny",')  # a quoted cell over two lines
    result = run_import(event, tmp_path, "\r\n".join(lines).encode())
    assert "3 rows read" in result.output
    assert "6 lines: header, 3 rows (1 more lines inside quoted cells), 1 blank" in result.output


@pytest.mark.parametrize("quoting", [0, 1])  # csv.QUOTE_MINIMAL, csv.QUOTE_ALL
def test_well_formed_csv_reads_as_the_standard_module_does(quoting):
    import csv
    import io

    rows = [["a", "b", "c", "d"], ['O"Brien', "x,y", "", "ｶﾅ"], ["two\nlines", 'say "hi"', " sp ", "末尾,"],
            ["", "", "", ""], ["1", "2", "3", "4"]]
    out = io.StringIO()
    csv.writer(out, quoting=quoting, lineterminator="\r\n").writerows(rows)
    parsed = read_csv(out.getvalue())
    expected = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert [list(r.fields) for r in parsed.records] == [r for r in expected[1:] if any(r)]
    assert parsed.accounted
