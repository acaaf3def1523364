"""The nickname on the bib: what may be printed, how wide it is, and its katakana.

The width rule (Kyoto's "five full-width or ten half-width characters"):
every character counts 2 when its Unicode East Asian Width is Wide or
Full-width and 1 otherwise (Narrow, Half-width, Neutral, Ambiguous); the sum
must not pass `NicknameRules.max_width` (10). Mixed text simply adds up:
"Ken太郎くん" is 3 + 8 = 11 and does not fit.

What the runner typed is normalised before counting: NFKC (full-width Latin
and digits become half-width, half-width katakana become full-width), curly
apostrophes and dash variants become ASCII, runs of spaces become one, spaces
at the ends and between two wide characters go (Japanese needs none).

Refused, each with a reason: emoji, symbols and punctuation (except
- ' . ・ ー 々), control and invisible characters, letters outside Latin, kana
and kanji or outside the bib font, text too wide, and words on the event's
list of words that are not names, matched after normalisation in every form:
width, case, hiragana/katakana and katakana readings of romaji and English
("ＴＯＹＯＴＡ", "toyota" and "トヨタ" all match "トヨタ").

Katakana conversion (when the entrant asked and the event offers it) reads
kanji through the roster's kana, kana as katakana, and Latin words through
the roster's kana when they are the entrant's own name, else a `LatinReader`
(the e2k model), else romaji. A reading that does not fit is never cut: the
check says NEEDS_SUPERVISOR and carries a suggestion.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from station.core.event import NicknameRules
from station.core.katakana import (
    LatinReader,
    read_latin,
    romaji_reader,
    shorten_katakana,
    to_katakana,
)
from station.core.models import Entrant
from station.core.texts import Language, Text


class NicknameOutcome(StrEnum):
    OK = "ok"  # printed as typed (after normalisation)
    CONVERTED = "converted"  # printed in katakana
    REFUSED = "refused"  # the organizer must change it
    NEEDS_SUPERVISOR = "needs_supervisor"  # katakana does not fit or has no reading


class NicknameReason(StrEnum):
    EMOJI = "emoji"
    SYMBOL = "symbol"
    INVISIBLE = "invisible"
    UNPRINTABLE_SCRIPT = "unprintable_script"
    TOO_WIDE = "too_wide"
    NOT_A_NAME = "not_a_name"
    NO_READING = "no_reading"
    KATAKANA_TOO_WIDE = "katakana_too_wide"


_MESSAGES: dict[NicknameReason, Text] = {k: Text(ja, en) for k, (ja, en) in {
    NicknameReason.EMOJI: ("絵文字は印刷できません: {detail}", "Emoji cannot be printed: {detail}"),
    NicknameReason.SYMBOL: ("記号は使えません: {detail}", "Symbols are not allowed: {detail}"),
    NicknameReason.INVISIBLE: (
        "制御文字・見えない文字が含まれています: {detail}",
        "Contains control or invisible characters: {detail}",
    ),
    NicknameReason.UNPRINTABLE_SCRIPT: (
        "ゼッケンの書体で印刷できない文字です: {detail}",
        "The bib font cannot print: {detail}",
    ),
    NicknameReason.TOO_WIDE: (
        "長すぎます（幅 {detail}）。全角5文字・半角10文字までです",
        "Too long (width {detail}); at most 5 full-width or 10 half-width characters",
    ),
    NicknameReason.NOT_A_NAME: (
        "名前ではない語（会社名・商品名など）: {detail}",
        "Not a name (company, product or banned word): {detail}",
    ),
    NicknameReason.NO_READING: (
        "カタカナの読みが分かりません: {detail}",
        "No katakana reading for: {detail}",
    ),
    NicknameReason.KATAKANA_TOO_WIDE: (
        "カタカナにすると長すぎます: {detail}",
        "Too long in katakana: {detail}",
    ),
}.items()}


@dataclass(frozen=True, slots=True)
class NicknameProblem:
    reason: NicknameReason
    detail: str = ""  # the characters, word or width concerned

    @property
    def message(self) -> Text:
        return _MESSAGES[self.reason](detail=self.detail)

    def text(self, language: Language | str = Language.EN) -> str:
        """The old style: rendered in one language."""
        return self.message.render(language)


@dataclass(frozen=True, slots=True)
class NicknameCheck:
    outcome: NicknameOutcome
    typed: str  # as in the roster
    printed: str  # what goes on the bib; "" when refused or waiting for a supervisor
    width: int  # of `printed`, or of the text that was refused
    reasons: tuple[NicknameProblem, ...] = ()
    suggestion: str = ""  # for a supervisor, when the katakana does not fit

    @property
    def printable(self) -> bool:
        return self.outcome in (NicknameOutcome.OK, NicknameOutcome.CONVERTED)


# -- width and normalisation ------------------------------------------------

def char_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


_SAME_AS = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-",
    "\u2012": "-", "\u2013": "-", "\u2212": "-", "\uff65": "・", "\u00b7": "・",
})
_SPACES = re.compile(r" {2,}")


def normalise(typed: str) -> str:
    text = unicodedata.normalize("NFKC", typed).translate(_SAME_AS)
    text = text.replace("\t", " ").replace("\u3000", " ")
    text = _SPACES.sub(" ", text).strip(" ")
    if " " not in text:
        return text
    kept = []
    for i, ch in enumerate(text):
        if ch == " " and char_width(text[i - 1]) == 2 and char_width(text[i + 1]) == 2:
            continue
        kept.append(ch)
    return "".join(kept)


# -- what the bib font and the rules allow ----------------------------------

_ALLOWED_MARKS = frozenset(" -'.・ー々")
_NAME_SCRIPTS = ("LATIN ", "HIRAGANA ", "KATAKANA ", "CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH")
_EMOJI_RANGES = ((0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2B00, 0x2BFF), (0xFE00, 0xFE0F),
                 (0x20E3, 0x20E3), (0xE0000, 0xE007F))


def _is_emoji(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in _EMOJI_RANGES)


def _character_problem(ch: str, printable: Callable[[str], bool] | None) -> NicknameReason | None:
    if ch in _ALLOWED_MARKS:
        return None
    if ch.isascii() and ch.isalnum():
        return None
    cp = ord(ch)
    if _is_emoji(cp) or (cp == 0x200D):  # ZWJ only ever glues emoji together
        return NicknameReason.EMOJI
    category = unicodedata.category(ch)
    if category[0] == "C" or category[0] == "Z":
        return NicknameReason.INVISIBLE
    if category[0] in "SP":
        return NicknameReason.SYMBOL
    if (category[0] == "L" and unicodedata.name(ch, "").startswith(_NAME_SCRIPTS)
            and (printable is None or printable(ch))):
        return None
    return NicknameReason.UNPRINTABLE_SCRIPT


def _shown(ch: str) -> str:
    category = unicodedata.category(ch)
    return f"U+{ord(ch):04X}" if category[0] in "CZM" else ch


# -- words that are not names ------------------------------------------------

_MATCH_DROP = str.maketrans("", "", " -'.・")


def _fold(text: str) -> str:
    """The form words are compared in: normalised, no case, katakana, no separators."""
    return to_katakana(normalise(text).casefold()).translate(_MATCH_DROP)


_LATIN_RUN = re.compile(r"[a-z]+")


def _read_with(reader: LatinReader) -> Callable[[re.Match[str]], str]:
    return lambda m: reader(m.group()) or m.group()


def _readings(folded: str, latin_reader: LatinReader | None) -> set[str]:
    """`folded` and the same with its Latin words read in katakana."""
    forms = {folded}
    for reader in (romaji_reader, latin_reader):
        if reader is not None:
            forms.add(_LATIN_RUN.sub(_read_with(reader), folded))
    return forms


class BannedWords:
    """The event's words that are not names, in every form they could be typed.

    Words of three or more characters match anywhere inside a nickname
    ("TOYOTA-RUN"); shorter ones only the whole nickname, so that a short
    word does not refuse every name that happens to contain it."""

    def __init__(self, words: Iterable[str], latin_reader: LatinReader | None = None) -> None:
        self._forms: list[tuple[str, str]] = []
        for word in words:
            folded = _fold(word)
            if folded:
                # English readings of banned words are computed once here, so
                # checking a nickname needs no model.
                self._forms.extend((form, word) for form in _readings(folded, latin_reader))

    def find(self, text: str) -> str | None:
        """The banned word `text` contains, if any."""
        if not self._forms:
            return None
        forms = _readings(_fold(text), None)
        for banned, word in self._forms:
            for form in forms:
                if banned == form or (len(banned) >= 3 and banned in form):
                    return word
        return None


# -- the check ----------------------------------------------------------------

class NicknameChecker:
    """Decides every nickname of an event the same way, at the counter and
    in `station nicknames check`."""

    def __init__(
        self,
        rules: NicknameRules,
        *,
        latin_reader: LatinReader | None = None,
        printable: Callable[[str], bool] | None = None,
    ) -> None:
        self.rules = rules
        self.latin_reader = latin_reader
        self.printable = printable
        self.banned = BannedWords(rules.banned_words, latin_reader)

    def check(self, entrant: Entrant) -> NicknameCheck:
        convert = entrant.katakana_requested and self.rules.katakana_conversion
        typed = entrant.nickname
        if convert and not normalise(typed):
            typed = entrant.given_kanji or entrant.given_latin or entrant.given_kana
        return self.check_text(typed, entrant=entrant if convert else None)

    def check_text(self, typed: str, *, entrant: Entrant | None = None) -> NicknameCheck:
        """Check `typed`; with `entrant`, convert it to katakana using their kana."""
        text = normalise(typed)
        problems = self._refusals(text, check_width=entrant is None)
        if problems:
            return NicknameCheck(NicknameOutcome.REFUSED, typed, "", text_width(text), problems)
        if entrant is None or not text:
            return NicknameCheck(NicknameOutcome.OK, typed, text, text_width(text))
        return self._convert(typed, text, entrant)

    def _refusals(self, text: str, *, check_width: bool) -> tuple[NicknameProblem, ...]:
        found: dict[NicknameReason, list[str]] = {}
        for ch in text:
            reason = _character_problem(ch, self.printable)
            if reason is not None:
                shown = _shown(ch)
                if shown not in found.setdefault(reason, []):
                    found[reason].append(shown)
        problems = [NicknameProblem(reason, " ".join(chars)) for reason, chars in found.items()]
        word = self.banned.find(text)
        if word is not None:
            problems.append(NicknameProblem(NicknameReason.NOT_A_NAME, word))
        width = text_width(text)
        if check_width and width > self.rules.max_width:
            problems.append(NicknameProblem(NicknameReason.TOO_WIDE, f"{width}/{self.rules.max_width}"))
        return tuple(problems)

    def _convert(self, typed: str, text: str, entrant: Entrant) -> NicknameCheck:
        reading = katakana_reading(text, entrant, self.latin_reader)
        if not reading:
            problem = NicknameProblem(NicknameReason.NO_READING, text)
            return NicknameCheck(NicknameOutcome.NEEDS_SUPERVISOR, typed, "", text_width(text), (problem,))
        width = text_width(reading)
        word = self.banned.find(reading)
        if word is not None:
            problem = NicknameProblem(NicknameReason.NOT_A_NAME, word)
            return NicknameCheck(NicknameOutcome.REFUSED, typed, "", width, (problem,))
        if width > self.rules.max_width:
            problem = NicknameProblem(NicknameReason.KATAKANA_TOO_WIDE, f"{reading} ({width}/{self.rules.max_width})")
            return NicknameCheck(
                NicknameOutcome.NEEDS_SUPERVISOR, typed, "", width, (problem,),
                suggestion=self._suggest(reading),
            )
        outcome = NicknameOutcome.OK if reading == text else NicknameOutcome.CONVERTED
        return NicknameCheck(outcome, typed, reading, width)

    def _suggest(self, reading: str) -> str:
        limit = self.rules.max_width
        for part in reading.split("・"):  # one of the names alone, the first that fits
            if part and text_width(part) <= limit:
                return part
        joined = reading.replace("・", "")
        if text_width(joined) <= limit:
            return joined
        return shorten_katakana(joined, limit // 2)


def katakana_reading(text: str, entrant: Entrant, latin_reader: LatinReader | None) -> str:
    """`text` (normalised) in katakana, or "" when some part has no reading."""
    for kanji, kana in _roster_kanji(entrant):
        text = text.replace(kanji, kana)
    if any(unicodedata.name(ch, "").startswith("CJK ") for ch in text):
        return ""  # a kanji the roster gives no reading for
    own = {
        entrant.given_latin.casefold(): entrant.given_kana,
        entrant.family_latin.casefold(): entrant.family_kana,
    }
    own.pop("", None)

    def read_word(word: str) -> str:
        kana = own.get(word.casefold())
        if kana:
            return to_katakana(kana)
        for reader in (latin_reader, romaji_reader):
            reading = reader(word) if reader else ""
            if reading:
                return reading
        return ""

    parts = []
    for run in re.finditer(r"[A-Za-z][A-Za-z' .\-]*[A-Za-z]|[A-Za-z]|[^A-Za-z]+", text):
        chunk = run.group()
        if chunk[0].isascii() and chunk[0].isalpha():
            reading = read_latin(chunk, read_word)
        else:
            reading = to_katakana(chunk.strip())
        if not reading and chunk.strip():
            return ""
        parts.append(reading)
    return "".join(parts)


def _roster_kanji(entrant: Entrant) -> list[tuple[str, str]]:
    """Kanji with the roster's kana for them, longest first."""
    pairs = [
        (entrant.family_kanji + entrant.given_kanji, entrant.family_kana + entrant.given_kana),
        (entrant.family_kanji, entrant.family_kana),
        (entrant.given_kanji, entrant.given_kana),
    ]
    return [(k, v) for k, v in pairs if k and v]
