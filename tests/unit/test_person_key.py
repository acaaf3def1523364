"""The same-person rule on folded names (core/person_key.py)."""

from __future__ import annotations

from station.core.person_key import Names, PersonIndex, entry_key, person_keys


def names(kanji: str = "", kana: str = "", latin: str = "", born: str = "1990-01-01") -> Names:
    fk, _, gk = kanji.partition(" ")
    fa, _, ga = kana.partition(" ")
    fl, _, gl = latin.partition(" ")
    return Names(fk, gk, fa, ga, fl, gl, born)


def same(a: Names, b: Names) -> bool:
    return person_keys(a).same_person(person_keys(b))


def test_kanji_decide_when_both_have_them():
    assert same(names("髙﨑 桃子", "タカサキ モモコ"), names("高崎 桃子", "たかさき ももこ"))
    assert same(names("中村 桃子"), names("中村　桃子"))
    assert not same(names("佐藤 一郎", "サトウ イチロウ"), names("佐東 一郎", "サトウ イチロウ"))


def test_without_kanji_every_shared_script_must_agree():
    assert same(names("中村 桃子", "ナカムラ モモコ", "Nakamura Momoko"), names("", "ﾅｶﾑﾗ ﾓﾓｺ", "MOMOKO NAKAMURA"))
    assert not same(names("", "ヤマダ", "Yamada Zoe"), names("", "ヤマダ", "Yamada Matthew"))
    assert not same(names("", "", "Ann Lee"), names("", "", "Ann Lee", born="1990-01-02"))
    assert not same(names("山田 太郎"), names("", "", "Yamada Taro"))  # no script shared: only near


def test_near_matches_are_found_by_sound_and_listed_after_the_same_person():
    index = PersonIndex()
    index.add("a", person_keys(names("", "", "Ohno Kenji")))
    index.add("b", person_keys(names("", "オオノ ケンジ")))
    found = index.find("c", person_keys(names("", "", "Ono Kenji")))
    assert {m.other for m in found} == {"a", "b"} and not any(m.same_person for m in found)


def test_entry_numbers_fold_case_and_width():
    assert entry_key("a100") == entry_key("A100") == entry_key("Ａ１００")
