"""Katakana readings of foreign given names from a curated list, read before
the e2k model guesses.

station/core/data/given_names.tsv holds the usual Japanese reading of about
1,430 common given names (English, French, German and Nordic, Spanish,
Portuguese, Chinese and Korean romanisations, and the commonest Italian,
Russian, Polish, Czech, Hungarian, Arabic, Turkish, Dutch, Irish, Welsh,
Vietnamese, Thai, Indonesian, Filipino and Indian ones), written for Bib Station. The
model reads English spelling well but not José (ホセ), Matthew (マシュー) or
Agnes (アグネス); the list reads them as Japanese print them.

Also here: accents folded before reading (José → jose, Øyvind → oyvind,
Müller → muller), and initials spelled letter by letter (JJ → ジェイジェイ,
A.J. → エージェイ), never read as a word.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).with_name("data") / "given_names.tsv"

# letters NFKD does not take apart
_SPECIAL = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss",
                          "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "TH", "ð": "d",
                          "Ð": "D", "ı": "i"})


def fold_diacritics(text: str) -> str:
    """Latin letters without accents ("José Müller" -> "Jose Muller"); kana (whose
    voicing marks are combining marks too), kanji and the rest unchanged."""
    if text.isascii():
        return text
    out: list[str] = []
    for c in unicodedata.normalize("NFC", text).translate(_SPECIAL):
        if c.isascii() or not unicodedata.name(c, "").startswith("LATIN"):
            out.append(c)
        else:
            out.append("".join(d for d in unicodedata.normalize("NFKD", c) if not unicodedata.combining(d)))
    return "".join(out)


@lru_cache(maxsize=1)
def curated_readings() -> dict[str, str]:
    """name (lower case, no accents) -> katakana; the first line for a name wins."""
    readings: dict[str, str] = {}
    try:
        text = _DATA.read_text(encoding="utf-8")
    except FileNotFoundError:  # pragma: no cover - a broken install; the model still reads
        return readings
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        name, reading, *_ = line.split("\t")
        readings.setdefault(name, reading)
    return readings


def curated_reader(word: str) -> str:
    """The list's reading of one name, "" when the list does not have it."""
    return curated_readings().get(fold_diacritics(word).casefold(), "")


LETTERS = {
    "a": "エー", "b": "ビー", "c": "シー", "d": "ディー", "e": "イー", "f": "エフ", "g": "ジー",
    "h": "エイチ", "i": "アイ", "j": "ジェイ", "k": "ケイ", "l": "エル", "m": "エム", "n": "エヌ",
    "o": "オー", "p": "ピー", "q": "キュー", "r": "アール", "s": "エス", "t": "ティー", "u": "ユー",
    "v": "ブイ", "w": "ダブリュー", "x": "エックス", "y": "ワイ", "z": "ゼット",
}
_DOTTED = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]?\.?$")
_NO_VOWEL = re.compile(r"^[B-DF-HJ-NP-TV-XZ]{1,4}$")


def initials(word: str) -> str | None:
    """The letters of `word` when it is initials (A.J., JJ, TJ, K), else None."""
    if _DOTTED.match(word):
        return word.replace(".", "")
    if _NO_VOWEL.match(word):  # upper case, no vowel: JJ, TJ, DJ, K
        return word
    if len(word) == 2 and word.isupper() and word.isalpha() and not curated_reader(word):
        return word  # AJ, CE: two capitals that are not a name
    return None


def spell(letters: str) -> str:
    return "".join(LETTERS[c] for c in letters.lower())
