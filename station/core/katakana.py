"""Katakana readings of names: from the roster's kana, from romaji, and from
English spelling through a model.

The English-to-katakana model (the `e2k` package) needs NumPy, which the core
does not import. It sits behind the small `LatinReader` interface: the core
only calls whatever reader it is given, and `E2KReader` imports `e2k` when it
is built, never when this module is imported, so tests of the rules and the
hub run without it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Protocol

import jaconv

# A reading longer than this is a runaway decode, not a name.
_E2K_MAX_LEN = 32

_SMALL_KANA = frozenset("ァィゥェォャュョッヮヵヶー゛゜")


class LatinReader(Protocol):
    """Reads one Latin word aloud in katakana ("james" -> "ジェームズ").

    Returns "" when it cannot read the word."""

    def __call__(self, word: str) -> str: ...


class E2KReader:
    """English spelling to katakana with the `e2k` model (shipped in the
    package, runs on NumPy). Building one loads the model (about 0.1 s);
    words are cached because rosters repeat given names a lot."""

    def __init__(self, model: str = "turbo") -> None:
        from e2k import C2K  # NumPy stays out of the core's import time

        self._c2k = C2K(max_len=_E2K_MAX_LEN, model=model)
        self._read = lru_cache(maxsize=20_000)(self._read_uncached)

    def __call__(self, word: str) -> str:
        return self._read(word.lower())

    def _read_uncached(self, word: str) -> str:
        if not word.isascii() or not word.isalpha():
            return ""
        reading = str(self._c2k(word))
        # A decode that ran to the length limit was cut by the model: no answer
        # is better than a cut name.
        if len(reading) >= _E2K_MAX_LEN or not is_katakana(reading):
            return ""
        return reading


def romaji_reader(word: str) -> str:
    """Hepburn romaji to katakana ("toyota" -> "トヨタ"); "" unless the word
    really is romaji (it reads back to the same letters), so "james" does not
    become ジャメッ."""
    word = word.lower()
    kana = jaconv.alphabet2kata(word)
    if not kana or not is_katakana(kana) or jaconv.kata2alphabet(kana) != word:
        return ""
    return kana


def to_katakana(kana: str) -> str:
    """The roster's kana (hiragana or katakana, any width) as full-width katakana."""
    text = unicodedata.normalize("NFKC", kana)
    return jaconv.hira2kata(text).replace(" ", "").replace("\u3000", "")


_KATAKANA_RE = re.compile(r"^[\u30a0-\u30ff]+$")


def is_katakana(text: str) -> bool:
    return bool(_KATAKANA_RE.match(text))


def read_latin(text: str, reader: Callable[[str], str],
               spell_initials: Callable[[str], str | None] | None = None) -> str:
    """A Latin name (one or more words) in katakana, words joined with the
    nakaguro as Japanese prints foreign names ("John Smith" -> "ジョン・スミス");
    "" if any word cannot be read. `spell_initials` reads a word that is
    initials (A.J., JJ) letter by letter, or returns None."""
    words = [w for w in re.split(r"[\s\-]+", text) if w]
    readings = []
    for word in words:
        spelled = spell_initials(word) if spell_initials else None
        if spelled:
            readings.append(spelled)
            continue
        letters = "".join(ch for ch in word if ch.isalpha())
        reading = reader(letters) if letters else ""
        if not reading:
            return ""
        readings.append(reading)
    return "・".join(readings)


def shorten_katakana(reading: str, max_chars: int) -> str:
    """A suggestion, never printed by itself: the reading cut to `max_chars`
    at a mora boundary (not before a small kana or a long-vowel mark)."""
    if len(reading) <= max_chars:
        return reading
    cut = max_chars
    while cut > 1 and reading[cut] in _SMALL_KANA:
        cut -= 1
    return reading[:cut].rstrip("・")
