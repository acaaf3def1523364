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
from station.core.name_readings import curated_reader, fold_diacritics, initials, spell
from station.core.names import to_katakana as kana_as_katakana
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

_TOKEN = re.compile(r"[a-z0-9]+|[\u30a1-\u30fa\u30fc]+|[\u3400-\u9fff\uf900-\ufaff\u3005]+")


def _tokens(text: str) -> tuple[str, ...]:
    """`text` in words: normalised, accents and case folded, hiragana as katakana;
    a word ends at a space, - ' . ・ or where the script changes (トヨタ太郎 is
    two words, Sonya one)."""
    folded = kana_as_katakana(fold_diacritics(normalise(text)).casefold())  # keeps the spaces
    return tuple(_TOKEN.findall(folded))


def _read_tokens(tokens: tuple[str, ...], readers: Iterable[LatinReader | None]) -> set[tuple[str, ...]]:
    """`tokens`, and the same with their Latin words read in katakana by each reader."""
    forms = {tokens}
    for reader in readers:
        if reader is None:
            continue
        read = tuple((reader(t) or t) if t.isascii() and t.isalpha() else t for t in tokens)
        forms.add(read)
    return forms


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> int:
    """Where `needle` starts as whole words in `haystack`, or -1.

    Katakana compounds are written without spaces (ゴーゴートヨタ), so a
    one-word katakana needle also matches at the start or the end of a
    katakana word, never strictly inside one."""
    n = len(needle)
    for i in range(len(haystack) - n + 1):
        if haystack[i:i + n] == needle:
            return i
    if n == 1 and _KATAKANA_WORD.match(needle[0]):
        word = needle[0]
        for i, token in enumerate(haystack):
            if len(token) > len(word) and (token.startswith(word) or token.endswith(word)):
                return i
    return -1


_KATAKANA_WORD = re.compile(r"^[\u30a1-\u30fa\u30fc]+$")


class BannedWords:
    """The event's words that are not names, in every form they could be typed.

    Matched on whole words in every script (after normalisation: width, case,
    accents, hiragana/katakana, and katakana readings of romaji and English), so
    SONY refuses "Sony" and "ソニー" but not "Sonya" or "Sonny", and NIKE not
    "Veronike". Words shorter than three characters refuse only the whole
    nickname. A match that is the runner's own name (kanji, kana or Latin, or
    its katakana reading) is not refused: a runner named 豊田 (トヨタ) may print
    トヨタ."""

    def __init__(self, words: Iterable[str], latin_reader: LatinReader | None = None) -> None:
        self._forms: list[tuple[tuple[str, ...], str]] = []
        for word in words:
            tokens = _tokens(word)
            if tokens:
                # readings of banned words are computed once here, so checking a
                # nickname needs no model.
                readers = (romaji_reader, curated_reader, latin_reader)
                self._forms.extend((form, word) for form in _read_tokens(tokens, readers))

    def find(self, text: str, own: frozenset[str] = frozenset()) -> str | None:
        """The banned word `text` contains as whole words, if any, unless those
        words are all in `own` (the runner's own name in its folded forms)."""
        if not self._forms:
            return None
        forms = _read_tokens(_tokens(text), (romaji_reader,))
        for banned, word in self._forms:
            short = len("".join(banned)) < 3
            for form in forms:
                at = (0 if form == banned else -1) if short else _contains(form, banned)
                if at < 0:
                    continue
                if own and all(t in own for t in form[at:at + len(banned)]):
                    continue
                return word
        return None


def own_name_words(entrant: Entrant, reader: Callable[[str], str] | None = None) -> frozenset[str]:
    """The words of the runner's own name, as `BannedWords` compares them: each
    name field, its kana in katakana, and the katakana reading of its Latin
    words (by `reader`)."""
    words: set[str] = set()
    for field in (entrant.family_kanji, entrant.given_kanji, entrant.family_kana, entrant.given_kana,
                  entrant.family_latin, entrant.given_latin):
        tokens = _tokens(field)
        words.update(tokens)
        if len(tokens) > 1:
            words.add("".join(tokens))
        if reader is not None:
            words.update(r for t in tokens if t.isascii() and (r := reader(t)))
    for kanji, kana in ((entrant.family_kanji, entrant.family_kana), (entrant.given_kanji, entrant.given_kana)):
        if kanji and kana:
            words.add(to_katakana(normalise(kana)).replace(" ", ""))
    return frozenset(words)


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
        return self.check_text(typed, entrant=entrant if convert else None, owner=entrant)

    def check_text(self, typed: str, *, entrant: Entrant | None = None,
                   owner: Entrant | None = None) -> NicknameCheck:
        """Check `typed`; with `entrant`, convert it to katakana using their kana.
        `owner` (default `entrant`) is whose nickname it is: their own name is
        never a banned word."""
        owner = owner or entrant
        text = normalise(typed)
        problems = self._refusals(text, check_width=entrant is None, owner=owner)
        if problems:
            result = NicknameCheck(NicknameOutcome.REFUSED, typed, "", text_width(text), problems)
        elif entrant is None or not text:
            result = NicknameCheck(NicknameOutcome.OK, typed, text, text_width(text))
        else:
            result = self._convert(typed, text, entrant)
        return self._final(result)

    def _final(self, result: NicknameCheck) -> NicknameCheck:
        """The one last look at what will be printed, whatever it came from (typed,
        converted, or the roster's kana columns): nothing but letters the rules and
        the bib font allow, and in katakana output nothing but katakana."""
        printed = result.printed
        if not printed:
            return result
        problems = final_problems(printed, self.printable,
                                  katakana_only=result.outcome is NicknameOutcome.CONVERTED)
        if not problems:
            return result
        return NicknameCheck(NicknameOutcome.REFUSED, result.typed, "", text_width(printed), problems)

    def _refusals(self, text: str, *, check_width: bool, owner: Entrant | None = None) -> tuple[NicknameProblem, ...]:
        found: dict[NicknameReason, list[str]] = {}
        for ch in text:
            reason = _character_problem(ch, self.printable)
            if reason is not None:
                shown = _shown(ch)
                if shown not in found.setdefault(reason, []):
                    found[reason].append(shown)
        problems = [NicknameProblem(reason, " ".join(chars)) for reason, chars in found.items()]
        word = self._banned(text, owner)
        if word is not None:
            problems.append(NicknameProblem(NicknameReason.NOT_A_NAME, word))
        width = text_width(text)
        if check_width and width > self.rules.max_width:
            problems.append(NicknameProblem(NicknameReason.TOO_WIDE, f"{width}/{self.rules.max_width}"))
        return tuple(problems)

    def _banned(self, text: str, owner: Entrant | None, typed: str = "") -> str | None:
        """The banned word in `text`, unless it is the owner's own name; for a
        katakana reading, `typed` is what was read: a given name from the
        curated list (Sonny -> ソニー) is a name, whatever it sounds like."""
        word = self.banned.find(text)
        if word is None or owner is None:
            return word
        # only on a hit: the runner's own name, read the way the conversion reads it
        own = own_name_words(owner, self._read_word)
        names = {r for t in _tokens(typed) if t.isascii() and (r := curated_reader(t))}
        return self.banned.find(text, own | names)

    def _read_word(self, word: str) -> str:
        for reader in (curated_reader, self.latin_reader, romaji_reader):
            reading = reader(word) if reader else ""
            if reading:
                return reading
        return ""

    def _convert(self, typed: str, text: str, entrant: Entrant) -> NicknameCheck:
        reading = katakana_reading(text, entrant, self.latin_reader)
        if not reading:
            problem = NicknameProblem(NicknameReason.NO_READING, text)
            return NicknameCheck(NicknameOutcome.NEEDS_SUPERVISOR, typed, "", text_width(text), (problem,))
        width = text_width(reading)
        word = self._banned(reading, entrant, text)
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
    """`text` (normalised) in katakana, or "" when some part has no reading.

    Accents are folded first (José reads as Jose). A Latin word that is the
    entrant's own name reads through the roster's kana; then the curated list
    of given names; then the model; then romaji. Initials are spelled (JJ)."""
    for kanji, kana in _roster_kanji(entrant):
        text = text.replace(kanji, kana)
    if any(unicodedata.name(ch, "").startswith("CJK ") for ch in text):
        return ""  # a kanji the roster gives no reading for
    text = fold_diacritics(text)
    own: dict[str, str] = {}
    for latin, kana in ((entrant.given_latin, entrant.given_kana), (entrant.family_latin, entrant.family_kana)):
        key = " ".join(fold_diacritics(latin).casefold().split())
        if key and kana:
            own[key] = to_katakana(kana)
    if entrant.given_latin and entrant.family_latin and entrant.given_kana and entrant.family_kana:
        given, family = (" ".join(fold_diacritics(x).casefold().split())
                         for x in (entrant.given_latin, entrant.family_latin))
        own[f"{given} {family}"] = f"{to_katakana(entrant.given_kana)}・{to_katakana(entrant.family_kana)}"
        own[f"{family} {given}"] = f"{to_katakana(entrant.family_kana)}・{to_katakana(entrant.given_kana)}"

    def read_word(word: str) -> str:
        kana = own.get(word.casefold())
        if kana:
            return kana
        for reader in (curated_reader, latin_reader, romaji_reader):
            reading = reader(word) if reader else ""
            if reading:
                return reading
        return ""

    parts = []
    for run in re.finditer(r"[A-Za-z][A-Za-z' .\-]*[A-Za-z]\.?|[A-Za-z]\.?|[^A-Za-z]+", text):
        chunk = run.group()
        if chunk[0].isascii() and chunk[0].isalpha():
            whole = own.get(" ".join(chunk.casefold().replace("-", " ").split()))
            reading = whole or read_latin(chunk, read_word, spell_initials=_initials_reading)
        else:
            reading = to_katakana(chunk.strip())
        if not reading and chunk.strip():
            return ""
        parts.append(reading)
    return "".join(parts)


def _initials_reading(word: str) -> str | None:
    letters = initials(word)
    return spell(letters) if letters else None


_KATAKANA_OUTPUT = re.compile(r"^[\u30a1-\u30fa\u30fc\u30fb]+$")


def final_problems(printed: str, printable: Callable[[str], bool] | None = None, *,
                   katakana_only: bool = False) -> tuple[NicknameProblem, ...]:
    """What may not be printed in `printed`: emoji, symbols such as ★, control and
    zero-width characters, letters the bib font lacks; with `katakana_only`, any
    character that is not katakana, ー or ・."""
    found: dict[NicknameReason, list[str]] = {}
    for ch in printed:
        reason = _character_problem(ch, printable)
        if reason is None and katakana_only and not _KATAKANA_OUTPUT.match(ch):
            reason = NicknameReason.UNPRINTABLE_SCRIPT
        if reason is not None:
            shown = _shown(ch)
            if shown not in found.setdefault(reason, []):
                found[reason].append(shown)
    return tuple(NicknameProblem(reason, " ".join(chars)) for reason, chars in found.items())


def _roster_kanji(entrant: Entrant) -> list[tuple[str, str]]:
    """Kanji with the roster's kana for them, longest first."""
    pairs = [
        (entrant.family_kanji + entrant.given_kanji, entrant.family_kana + entrant.given_kana),
        (entrant.family_kanji, entrant.family_kana),
        (entrant.given_kanji, entrant.given_kana),
    ]
    return [(k, v) for k, v in pairs if k and v]
