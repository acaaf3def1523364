from __future__ import annotations

from pathlib import Path

import pytest

from station.core.errors import RosterFileError
from station.core.roster_columns import FIELDS, load_mapping_file, normalise_header, resolve_header

DOC = Path(__file__).resolve().parents[2] / "docs" / "ROSTER_FORMAT.md"


def test_the_documented_column_map_lists_every_header_the_code_knows():
    doc = DOC.read_text(encoding="utf-8")
    for field, (_, headers) in FIELDS.items():
        assert f"`{field}`" in doc
        for header in headers:
            assert f"`{header}`" in doc, f"{header} ({field}) is not in docs/ROSTER_FORMAT.md"


def test_normalisation_ignores_width_case_spaces_and_brackets():
    assert normalise_header("ＢＩＢ　Ｎｏ．") == normalise_header("bib no") == "bibno"
    assert normalise_header("姓（ローマ字）") == normalise_header("姓(ローマ字)")


def test_the_first_column_for_a_field_wins_and_later_ones_are_ignored():
    index, ignored = resolve_header(["受付番号", "bib", "生年月日", "種目", "姓", "Bib Number"])
    assert index["bib"] == 1 and ignored == ["Bib Number"]


def test_mapping_file(tmp_path):
    path = tmp_path / "map.toml"
    path.write_text('[columns]\n"Runner ID" = "entry_no"\n', encoding="utf-8")
    assert load_mapping_file(path) == {"Runner ID": "entry_no"}


@pytest.mark.parametrize("text, message", [
    ('[columns]\n"Runner ID" = "runner"\n', "unknown field 'runner'"),
    ("columns = 3\n", r"needs a \[columns\] table"),
    ("[columns\n", "not valid TOML"),
])
def test_bad_mapping_files_say_what_is_wrong(tmp_path, text, message):
    path = tmp_path / "map.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RosterFileError, match=message):
        load_mapping_file(path)


def test_missing_mapping_file(tmp_path):
    with pytest.raises(RosterFileError, match="does not exist"):
        load_mapping_file(tmp_path / "nope.toml")
