"""The roster search on a real event package file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from station.core.models import Category, Entrant, Sex
from station.core.names import edit_distance, kana_to_romaji, name_prefix_key, phonetic_key
from station.core.roster import check_roster
from station.store.event_package import ENTRANT_COLUMNS, EventPackage, entrant_to_row
from station.store.roster_import import import_roster
from station.store.search import MatchKind, RosterSearch, entrant_keys
from station.store.sqlite import transaction

HEADER = ("entry_no,bib,family_kanji,given_kanji,family_kana,given_kana,family_latin,given_latin,"
          "sex,birth_date,category,escort_of\n")
ROSTER = HEADER + """E0001,1001,山田,太郎,ヤマダ,タロウ,Yamada,Taro,M,1980-05-05,general,
E0002,1002,大野,花子,オオノ,ハナコ,Ono,Hanako,F,1985-01-02,general,
E0003,1003,小野,健,オノ,ケン,Ono,Ken,M,1990-03-04,general,
E0004,0123,髙橋,一郎,タカハシ,イチロウ,Takahashi,Ichiro,M,1970-07-07,general,
E0005,1005,,,スミス,ジョン,Smith,John,M,1966-06-06,general,
E0006,1006,山田,次郎,ヤマダ,ジロウ,Yamada,Jiro,M,1982-02-02,disability,
E0007,1007,佐藤,優,サトウ,ユウ,Satoh,Yu,F,1995-05-15,general,
E0009,1009,小野寺,誠,オノデラ,マコト,Onodera,Makoto,M,1979-09-09,general,
E0011,1011,阿野,光,アノ,ヒカル,Ano,Hikaru,M,1988-08-08,general,
E0012,1012,鈴木,一郎,スズキ,イチロウ,Suzuki,Ichiro,M,1975-01-01,general,E0006
E0013,1013,鈴木,一郎,スズキ,イチロウ,Suzuki,Ichiro,M,1975-01-01,general,
"""


@pytest.fixture
def package(tmp_path: Path, kyoto_settings) -> EventPackage:
    package = EventPackage.create(tmp_path / "event.sqlite", kyoto_settings)
    check = check_roster(ROSTER.encode(), max_escorts=1, today=dt.date(2026, 11, 1))
    assert not check.problems, check.problems
    import_roster(package, check)
    yield package
    package.close()


@pytest.fixture
def search(package: EventPackage) -> RosterSearch:
    return RosterSearch(package)


def entries(search: RosterSearch, text: str, limit: int = 20) -> list[str]:
    return [hit.entrant.entry_no for hit in search.search(text, limit)]


def test_kanji_family_name_and_whole_name(search):
    assert entries(search, "山田") == ["E0001", "E0006"]
    assert entries(search, "山田太郎") == ["E0001"]
    assert entries(search, "山田　太郎") == ["E0001"]  # full-width space


@pytest.mark.parametrize("text", ["やまだ たろう", "ヤマダ タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ", "やまだたろう", "たろう やまだ"])
def test_kana_in_any_width_and_script(search, text):
    assert entries(search, text)[0] == "E0001"


@pytest.mark.parametrize("text", ["taro YAMADA", "Yamada, Taro", "YAMADA TARO", "yamada taro"])
def test_latin_in_any_case_and_order(search, text):
    hits = search.search(text)
    assert [h.entrant.entry_no for h in hits] == ["E0001"]
    assert hits[0].match is MatchKind.NAME


@pytest.mark.parametrize("text", ["Ohno", "Ono", "Oono", "おおの", "オーノ", "ONO"])
def test_long_vowels_meet(search, text):
    assert set(entries(search, text)[:2]) == {"E0002", "E0003"}


def test_ranking_exact_then_prefix_then_typo(search):
    hits = search.search("ono")
    assert [(h.entrant.entry_no, h.match) for h in hits] == [
        ("E0002", MatchKind.NAME),
        ("E0003", MatchKind.NAME),
        ("E0009", MatchKind.NAME_PREFIX),  # Onodera
        ("E0011", MatchKind.NAME_FUZZY),  # Ano, one letter off
    ]
    assert hits[-1].edits == 1


@pytest.mark.parametrize(("text", "expected"), [("Yamdaa", "E0001"), ("Tkahashi", "E0004"),
                                                 ("Takabashi", "E0004"), ("Smiht", "E0005")])
def test_typos(search, text, expected):
    hits = search.search(text)
    assert expected in [h.entrant.entry_no for h in hits]
    assert all(h.match is MatchKind.NAME_FUZZY for h in hits if h.entrant.entry_no == expected)


@pytest.mark.parametrize("text", ["Takahasi", "Takahashii", "たかはし"])
def test_other_romanisations_are_exact(search, text):
    hits = search.search(text)
    assert [(h.entrant.entry_no, h.match) for h in hits] == [("E0004", MatchKind.NAME)]


def test_bib_and_entry_number_come_first(search):
    hits = search.search("1001")
    assert hits[0].entrant.entry_no == "E0001" and hits[0].match is MatchKind.BIB
    assert entries(search, "123") == ["E0004"]  # bib 0123 without its leading zero
    assert entries(search, "0123") == ["E0004"]
    assert entries(search, "１００５") == ["E0005"]  # full-width digits
    hit = search.search("e0007")[0]
    assert hit.entrant.entry_no == "E0007" and hit.match is MatchKind.ENTRY_NO


def test_a_number_nobody_has_finds_nothing(search):
    assert search.search("9999") == []
    assert search.search("") == [] and search.search("   ") == []


def test_prefix_while_typing(search):
    assert entries(search, "yama") == ["E0001", "E0006"]
    assert entries(search, "yamada t") == ["E0001"]
    assert entries(search, "yamada j") == ["E0006"]
    assert entries(search, "j yamada") == ["E0006"]
    assert entries(search, "suzuki ich") == ["E0012", "E0013"]
    assert entries(search, "山") == ["E0001", "E0006"]


def test_variant_kanji_and_foreign_names(search):
    assert entries(search, "高橋") == ["E0004"]
    assert entries(search, "John Smith") == ["E0005"]
    assert entries(search, "じょん すみす") == ["E0005"]
    assert entries(search, "Satou") == ["E0007"]  # registered as Satoh


def test_limit(search):
    assert len(search.search("o", limit=2)) <= 2
    assert entries(search, "ichiro", limit=1) == ["E0004"]


def test_hits_carry_the_whole_entrant(search):
    hit = search.search("鈴木 一郎")[0]
    assert hit.entrant.family_kanji == "鈴木" and hit.entrant.birth_date == dt.date(1975, 1, 1)


def test_a_roster_change_rebuilds_the_keys(package, search):
    newcomer = Entrant("E0099", "1099", "大谷", "翔", "オオタニ", "ショウ", "Ohtani", "Sho", Sex.MALE,
                       dt.date(1994, 7, 5), "JP", Category.GENERAL, "A")
    with transaction(package.conn, package.path):
        package.conn.execute(
            f"INSERT INTO entrant ({', '.join(ENTRANT_COLUMNS)}) VALUES ({', '.join('?' * len(ENTRANT_COLUMNS))})",
            entrant_to_row(newcomer),
        )
    assert not search.is_fresh()
    fresh = RosterSearch(package)
    assert fresh.is_fresh()
    assert entries(fresh, "Otani Shou") == ["E0099"]


def test_a_correction_through_the_importer_is_found_under_the_new_name(package):
    corrected = ROSTER.replace("E0007,1007,佐藤,優,サトウ,ユウ,Satoh,Yu", "E0007,1007,加藤,優,カトウ,ユウ,Kato,Yu")
    import_roster(package, check_roster(corrected.encode(), max_escorts=1, today=dt.date(2026, 11, 1)))
    search = RosterSearch(package)
    assert entries(search, "加藤") == ["E0007"]
    assert "E0007" not in entries(search, "佐藤")


def test_the_keys_survive_reopening(package, tmp_path):
    RosterSearch(package)
    path = package.path
    package.close()
    reopened = EventPackage.open(path)
    try:
        assert reopened.conn.execute("PRAGMA user_version").fetchone()[0] >= 3
        search = RosterSearch(reopened, refresh=False)
        assert search.is_fresh()
        assert entries(search, "Onodera") == ["E0009"]
    finally:
        reopened.close()


def test_escort_who_also_runs_is_found(search, package):
    escort = package.entrant("E0012")
    assert escort is not None and escort.is_escort
    own = search.own_runner_entry(escort)
    assert own is not None and own.entry_no == "E0013"
    runner = package.entrant("E0013")
    assert search.own_runner_entry(runner) is None


def test_keys_of_one_entrant():
    e = Entrant("E1", "7", "大野", "花子", "オオノ", "ハナコ", "Ohno", "Hanako", Sex.FEMALE,
                dt.date(1985, 1, 2), "JP", Category.GENERAL, "B")
    keys = {(token, part) for token, _, part in entrant_keys(e)}
    assert {("ono", "f"), ("大野", "f"), ("hanako", "g"), ("onohanako", "n"), ("7", "b"), ("e1", "e")} <= keys


# -- the folding the keys rest on (pure functions, station/core/names.py) ----------


@pytest.mark.parametrize(
    ("spellings", "key"),
    [
        (["Ohno", "Ono", "Oono", "ONO", "Ōno", "オオノ", "おおの", "ｵｵﾉ", "オーノ"], "ono"),
        (["Satoh", "Sato", "Satou", "サトウ", "さとう"], "sato"),
        (["Shinichi", "Shin'ichi", "Siniti", "シンイチ"], "siniti"),
        (["Hattori", "ハットリ"], "hattori"),
        (["Namba", "Nanba", "ナンバ"], "nanba"),
        (["Junya", "Jun'ya", "ジュンヤ"], "zyunya"),
        (["Ryuji", "Ryūji", "Ryuuji", "リュウジ"], "ryuzi"),
        (["Tsuchiya", "ツチヤ"], "tutiya"),
        (["Fujita", "Huzita", "フジタ"], "huzita"),
    ],
)
def test_spellings_of_one_name_share_a_key(spellings, key):
    assert {phonetic_key(s) for s in spellings} == {key}


def test_ohara_keeps_its_h():
    assert phonetic_key("Ohara") == phonetic_key("オハラ") == "ohara"


def test_kana_reading_details():
    assert kana_to_romaji("きゃりー") == "kyarii"
    assert kana_to_romaji("ファン") == "han"
    assert kana_to_romaji("マッチ") == "matti"


def test_prefix_key_of_a_word_cut_mid_spelling():
    assert name_prefix_key("j") == "z"
    assert name_prefix_key("sh") == "s"
    assert name_prefix_key("ts") == "t"
    assert name_prefix_key("yama") == "yama"


def test_edit_distance_counts_a_swap_as_one():
    assert edit_distance("yamada", "yamdaa") == 1
    assert edit_distance("suzuki", "suzuky") == 1
    assert edit_distance("tanaka", "sato", limit=2) == 3


# -- how many matched, and narrowing by date of birth (the counter's search box) --------


def test_find_says_how_many_matched_beyond_the_page(search):
    result = search.find("yamada", limit=1)
    assert len(result.hits) == 1 and result.total == 2 and result.more and not result.capped


@pytest.mark.parametrize("typed", ["yamada 1982-02-02", "1982-02-02 yamada", "山田 19820202", "yamada 1982/2/2",
                                   "やまだ　１９８２－０２－０２"])
def test_a_typed_date_of_birth_narrows_the_names(search, typed):
    result = search.find(typed)
    assert [h.entrant.entry_no for h in result.hits] == ["E0006"] and result.total == 1
    assert result.birth_date == dt.date(1982, 2, 2)


def test_a_date_of_birth_alone_lists_everyone_born_that_day(search):
    result = search.find("19750101")
    assert sorted(h.entrant.entry_no for h in result.hits) == ["E0012", "E0013"] and result.total == 2


def test_an_impossible_date_is_not_a_date(search):
    assert search.find("19821302").birth_date is None
    assert search.find("suzuki 1975-02-30").birth_date is None
