"""Banned words as event settings: the shipped default, `set-banned-words`, `event show`,
and `station nicknames check` using them."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from station.cli import EXIT_ERROR, cli
from station.core.banned_words import default_banned_words
from tests.factories import csv_bytes, row


def invoke(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def new_event(tmp_path: Path, *extra: str) -> Path:
    path = tmp_path / "e.sqlite"
    result = invoke("event", "new", path, "--id", "e-2027", "--name", "E", "--race-date", "2027-02-21", *extra)
    assert result.exit_code == 0, result.output
    return path


def test_a_new_event_has_the_default_list_and_show_lists_it(tmp_path):
    path = new_event(tmp_path)
    shown = invoke("event", "show", path)
    defaults = default_banned_words()
    assert f"banned words ({len(defaults)}):" in shown.output
    assert "TOYOTA" in shown.output and "ソニー" in shown.output and len(defaults) >= 50


def test_set_banned_words_replaces_the_list_and_nicknames_follow(tmp_path):
    path = new_event(tmp_path)
    rows = [row(1, nickname="ACME"), row(2, nickname="ソニー"), row(3, nickname="Sonya")]
    roster = tmp_path / "r.csv"
    roster.write_bytes(csv_bytes(rows))
    assert invoke("import", roster, "--event", path).exit_code == 0
    before = invoke("nicknames", "check", "--event", path)
    assert "1002" in before.output and "1001" not in before.output  # ソニー refused by default, ACME fine
    assert "1003" not in before.output  # Sonya is a name
    words = tmp_path / "words.txt"
    words.write_text("# ours\nACME\n\nacme\n", encoding="utf-8")
    result = invoke("event", "set-banned-words", path, words)
    assert result.exit_code == 0 and "1 banned words" in result.output, result.output
    assert "banned words (1): ACME" in invoke("event", "show", path).output
    after = invoke("nicknames", "check", "--event", path)
    assert "1001" in after.output and "1002" not in after.output
    back = invoke("event", "set-banned-words", path, "--default")
    assert back.exit_code == 0 and "default list" in back.output


def test_bad_banned_word_files_are_one_line_errors(tmp_path):
    path = new_event(tmp_path)
    bad = tmp_path / "bad.txt"
    bad.write_text("OK\nevil\u202e\n", encoding="utf-8")
    result = invoke("event", "set-banned-words", path, bad)
    assert result.exit_code == EXIT_ERROR and "line 2" in result.output
    missing = invoke("event", "set-banned-words", path, tmp_path / "nope.txt")
    assert missing.exit_code == EXIT_ERROR and "does not exist" in missing.output
    neither = invoke("event", "set-banned-words", path)
    assert neither.exit_code == EXIT_ERROR
    own = tmp_path / "own.txt"
    own.write_text("ACME\n", encoding="utf-8")
    custom = new_event(tmp_path / "b", "--banned-words", str(own)) if (tmp_path / "b").mkdir() is None else None
    assert custom is not None and "banned words (1): ACME" in invoke("event", "show", custom).output


def test_nicknames_check_reads_foreign_names_and_refuses_bad_kana(tmp_path):
    import csv
    import io

    path = new_event(tmp_path)
    kata = {"katakana_requested": "1", "nickname": "", "given_kanji": "", "family_kanji": ""}
    rows = [
        row(1, **dict(kata, given_latin="José", given_kana="ホセ")),
        row(2, **dict(kata, given_latin="Zoë", given_kana="")),
        row(3, **dict(kata, given_latin="Matthew", given_kana="")),
        row(4, **dict(kata, given_latin="", given_kana="ハナ★")),
        row(5, **dict(kata, given_latin="", given_kana="ユキ🏃")),
        row(6, nickname="トヨタ", family_kanji="豊田", family_kana="トヨタ", family_latin="Toyota"),
        row(7, nickname="トヨタ"),
        row(8, nickname="Sonya"),
    ]
    roster = tmp_path / "r.csv"
    roster.write_bytes(csv_bytes(rows))
    imported = invoke("import", roster, "--event", path)
    assert imported.exit_code == 0, imported.output
    result = invoke("nicknames", "check", "--event", path, "--csv", "--all")
    table = {r[0]: r for r in csv.reader(io.StringIO(result.output.lstrip("\ufeff")))}
    assert table["1001"][3:5] == ["converted", "ホセ"]
    assert table["1002"][3:5] == ["converted", "ゾーイ"]
    assert table["1003"][3:5] == ["converted", "マシュー"]
    assert table["1004"][3:5] == ["refused", ""] and "★" in table["1004"][6]
    assert table["1005"][3:5] == ["refused", ""]
    assert table["1006"][3:5] == ["ok", "トヨタ"]  # his own name
    assert table["1007"][3] == "refused"  # someone else's company
    assert table["1008"][3:5] == ["ok", "Sonya"]
