"""Who a roster row is, for "one entry per person", across the whole event.

A person's name is folded in each script the row has, so the ways one
person's name gets written meet:

- kanji: NFKC, variant kanji to the everyday form (髙→高, 﨑→崎, 邊→辺 ...),
  no spaces (`中村` + `桃子` and `中村　桃子` in one field are one name);
- kana: NFKC (half-width to full-width), hiragana to katakana, no spaces
  or dots;
- Latin: NFKC, accents dropped, case ignored, the words in any order
  (`Yamada Taro` and `TARO YAMADA` are one name);

with the date of birth. Two rows are **the same person** (the later one is
refused) when they have the same date of birth and, if both have kanji, the
same folded kanji name (kana and Latin are only readings of it); otherwise
the same folded name in every script both rows have (kana, Latin; at least
one). So a row without kanji is the same person as one with kanji when their
kana and Latin agree. Two runners written 佐藤 and 佐東 are different people
even though both read サトウ, and so are two rows without kanji whose kana
agree but whose Latin names differ. Rows that share a date of birth and a folded name
in some script, or sound the same (Ohno/Ono, a kana-only row against a
Latin-only row), but are not the same by that rule are **near matches**:
listed for the organizer, never refused and never merged.

Entry numbers are compared without case or width (`a100`, `Ａ１００` and
`A100` are one entry number).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import jaconv

from station.core.names import kanji_key, phonetic_key, split_name


@dataclass(frozen=True, slots=True)
class Names:
    """The name fields of one row, as written, and its date of birth (ISO)."""

    family_kanji: str
    given_kanji: str
    family_kana: str
    given_kana: str
    family_latin: str
    given_latin: str
    birth_date: str


@dataclass(frozen=True, slots=True)
class PersonKeys:
    birth_date: str
    kanji: str
    kana: str
    latin: str
    sounds: tuple[str, ...]  # phonetic keys, family+given and given+family

    def same_person(self, other: PersonKeys) -> bool:
        if self.birth_date != other.birth_date:
            return False
        if self.kanji and other.kanji:  # kanji decide: kana and Latin are readings of them
            return self.kanji == other.kanji
        shared = False
        for mine, theirs in ((self.kana, other.kana), (self.latin, other.latin)):
            if mine and theirs:
                if mine != theirs:
                    return False
                shared = True
        return shared

    def lookups(self) -> Iterator[tuple[str, str, str]]:
        if self.kanji:
            yield (self.birth_date, "kanji", self.kanji)
        if self.kana:
            yield (self.birth_date, "kana", self.kana)
        if self.latin:
            yield (self.birth_date, "latin", self.latin)
        for sound in self.sounds:
            yield (self.birth_date, "sound", sound)


def entry_key(entry_no: str) -> str:
    """An entry number without case or width."""
    return unicodedata.normalize("NFKC", entry_no).strip().casefold()


_KANA_DROP = str.maketrans("", "", " \u3000・･.")


def fold_kanji(text: str) -> str:
    return kanji_key(text)


@lru_cache(maxsize=65536)  # names repeat: a roster has far fewer names than rows
def fold_kana(text: str) -> str:
    if not text:
        return ""
    return jaconv.hira2kata(unicodedata.normalize("NFKC", text)).translate(_KANA_DROP)


@lru_cache(maxsize=65536)
def fold_latin_name(*parts: str) -> str:
    words: list[str] = []
    for part in parts:
        text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", part).casefold())
        text = "".join(c for c in text if not unicodedata.combining(c))
        words.extend(w for w in split_name(text.replace("-", " ").replace("'", "")) if w)
    return " ".join(sorted(words))


def person_keys(names: Names) -> PersonKeys:
    kanji, kana, latin, sounds = _name_keys(names.family_kanji, names.given_kanji, names.family_kana,
                                            names.given_kana, names.family_latin, names.given_latin)
    return PersonKeys(names.birth_date, kanji, kana, latin, sounds)


@lru_cache(maxsize=65536)
def _name_keys(family_kanji: str, given_kanji: str, family_kana: str, given_kana: str,
               family_latin: str, given_latin: str) -> tuple[str, str, str, tuple[str, ...]]:
    kanji = fold_kanji(family_kanji + given_kanji) if family_kanji or given_kanji else ""
    kana = fold_kana(family_kana + given_kana)
    latin = fold_latin_name(family_latin, given_latin) if family_latin or given_latin else ""
    sounds: set[str] = set()
    for family, given in ((family_kana, given_kana), (family_latin, given_latin)):
        f, g = phonetic_key(family), phonetic_key(given)
        if f or g:
            sounds.add(f + g)
            sounds.add(g + f)
    return kanji, kana, latin, tuple(sorted(sounds))


@dataclass(frozen=True, slots=True)
class Match:
    """`ref` (the row being checked) against `other`, an earlier row or an entrant in the event."""

    ref: str
    other: str
    same_person: bool


class PersonIndex:
    """Rows seen so far, found again by any of their keys."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str, str], list[tuple[str, PersonKeys]]] = {}

    def add(self, ref: str, keys: PersonKeys) -> None:
        for key in keys.lookups():
            self._by_key.setdefault(key, []).append((ref, keys))

    def find(self, ref: str, keys: PersonKeys) -> list[Match]:
        """Every earlier row that is the same person or a near match, each once,
        the same-person ones first."""
        seen: dict[str, Match] = {}
        for key in keys.lookups():
            for other, other_keys in self._by_key.get(key, ()):
                if other not in seen:
                    seen[other] = Match(ref, other, keys.same_person(other_keys))
        return sorted(seen.values(), key=lambda m: not m.same_person)


def index_of(people: Iterable[tuple[str, Names]]) -> PersonIndex:
    index = PersonIndex()
    for ref, names in people:
        index.add(ref, person_keys(names))
    return index
