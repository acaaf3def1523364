"""Folding names so that the ways people write one name meet in one key.

A volunteer types what the runner says or shows: 山田, やまだ, ﾔﾏﾀﾞ, YAMADA,
"taro yamada", Ohno for 大野 (registered as Ono or Oono). Two folds:

- `kanji_key`: NFKC, a few common variant kanji to their everyday form
  (髙→高, 﨑→崎 ...), no spaces. Kanji are compared as written otherwise.
- `phonetic_key`: kana and Latin letters to one romanisation. Kana is read to
  Kunrei-style romaji; Latin (Hepburn, passport spellings) is folded to the same
  (shi→si, chi→ti, tsu→tu, fu→hu, ji→zi, sha→sya), long vowels collapse
  (ou, oo, oh before a consonant, uu, aa, ii, ee, ー), and m before b/m/p is n
  (Namba/Nanba). So Ohno, Ono, Oono, オオノ, おおの all give "ono".

The keys are for finding, never for deciding who someone is.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# -- kana --------------------------------------------------------------------

_HIRA_START, _HIRA_END, _KATA_OFFSET = 0x3041, 0x3096, 0x60


def to_katakana(text: str) -> str:
    """NFKC (half-width katakana to full width) and hiragana to katakana."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(
        chr(ord(c) + _KATA_OFFSET) if _HIRA_START <= ord(c) <= _HIRA_END or c in "ゝゞ" else c
        for c in text
    )


_KANA = {
    "ア": "a", "イ": "i", "ウ": "u", "エ": "e", "オ": "o",
    "カ": "ka", "キ": "ki", "ク": "ku", "ケ": "ke", "コ": "ko",
    "ガ": "ga", "ギ": "gi", "グ": "gu", "ゲ": "ge", "ゴ": "go",
    "サ": "sa", "シ": "si", "ス": "su", "セ": "se", "ソ": "so",
    "ザ": "za", "ジ": "zi", "ズ": "zu", "ゼ": "ze", "ゾ": "zo",
    "タ": "ta", "チ": "ti", "ツ": "tu", "テ": "te", "ト": "to",
    "ダ": "da", "ヂ": "zi", "ヅ": "zu", "デ": "de", "ド": "do",
    "ナ": "na", "ニ": "ni", "ヌ": "nu", "ネ": "ne", "ノ": "no",
    "ハ": "ha", "ヒ": "hi", "フ": "hu", "ヘ": "he", "ホ": "ho",
    "バ": "ba", "ビ": "bi", "ブ": "bu", "ベ": "be", "ボ": "bo",
    "パ": "pa", "ピ": "pi", "プ": "pu", "ペ": "pe", "ポ": "po",
    "マ": "ma", "ミ": "mi", "ム": "mu", "メ": "me", "モ": "mo",
    "ヤ": "ya", "ユ": "yu", "ヨ": "yo",
    "ラ": "ra", "リ": "ri", "ル": "ru", "レ": "re", "ロ": "ro",
    "ワ": "wa", "ヰ": "i", "ヱ": "e", "ヲ": "o", "ン": "n", "ヴ": "bu",
    "ァ": "a", "ィ": "i", "ゥ": "u", "ェ": "e", "ォ": "o", "ヮ": "wa", "ヵ": "ka", "ヶ": "ke",
}
_SMALL_Y = {"ャ": "a", "ュ": "u", "ョ": "o"}
_SMALL_VOWEL = {"ァ": "a", "ィ": "i", "ゥ": "u", "ェ": "e", "ォ": "o"}
_VOWELS = "aeiou"


def kana_to_romaji(text: str) -> str:
    """Katakana or hiragana to Kunrei-style romaji; other characters pass through."""
    out: list[str] = []
    sokuon = False
    for c in to_katakana(text):
        if c in _SMALL_Y and out and out[-1].endswith("i") and len(out[-1]) >= 2:
            syllable = out.pop()[:-1] + "y" + _SMALL_Y[c]  # キャ: ki + ya -> kya
        elif c in _SMALL_VOWEL and out and out[-1][-1:] in _VOWELS and len(out[-1]) >= 2:
            syllable = out.pop()[:-1] + _SMALL_VOWEL[c]  # ファ: hu + a -> ha
        elif c == "ッ":
            sokuon = True
            continue
        elif c == "ー":
            vowel = out[-1][-1:] if out and out[-1][-1:] in _VOWELS else ""
            syllable = vowel
        else:
            syllable = _KANA.get(c, c)
        if sokuon and syllable[:1].isalpha() and syllable[:1] not in _VOWELS:
            syllable = syllable[0] + syllable
        sokuon = False
        out.append(syllable)
    return "".join(out)


# -- Latin -------------------------------------------------------------------------

_HEPBURN = (
    ("tch", "tt"),  # matchi -> matti (っち)
    ("shi", "si"), ("sh", "sy"),
    ("chi", "ti"), ("ch", "ty"),
    ("tsu", "tu"),
    ("ji", "zi"), ("j", "zy"),
    ("fu", "hu"),
    ("dzu", "zu"),
    ("wo", "o"),
)
_M_BEFORE_LABIAL = re.compile(r"m(?=[bmp])")
_OH = re.compile(r"oh(?![aeiouy])")  # Ohno, Satoh; not Ohara (o-ha-ra)
_LONG = re.compile(r"ou|oo|uu|aa|ii|ee")
_NOT_LETTER = re.compile(r"[^a-z]")


def fold_latin(text: str) -> str:
    """Latin letters (any case, macrons, Hepburn or Kunrei) to the phonetic key."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    text = _NOT_LETTER.sub("", "".join(c for c in text if not unicodedata.combining(c)))
    for written, key in _HEPBURN:
        text = text.replace(written, key)
    text = _M_BEFORE_LABIAL.sub("n", text)
    text = _OH.sub("o", text)
    while True:
        shorter = _LONG.sub(lambda m: m.group(0)[0], text)
        if shorter == text:
            return text
        text = shorter


def is_kana(c: str) -> bool:
    return "\u3041" <= c <= "\u30ff" or "\uff66" <= c <= "\uff9f"


def is_kanji(c: str) -> bool:
    return (
        "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or "\uf900" <= c <= "\ufaff"
        or c in "々〆ヶ" or "\U00020000" <= c <= "\U0003134f"
    )


@lru_cache(maxsize=65536)  # names repeat: a roster has far fewer names than entrants
def phonetic_key(text: str) -> str:
    """Kana, Latin or a mix of them to one key; "" when nothing phonetic is left."""
    text = unicodedata.normalize("NFKC", text)
    return fold_latin(kana_to_romaji(text)) if any(is_kana(c) for c in text) else fold_latin(text)


# -- kanji -------------------------------------------------------------------------

# Variant forms people register on purpose; searching, a volunteer types the
# everyday form. Both sides fold, so the registration keeps its own spelling.
_KANJI_VARIANTS = str.maketrans({
    "髙": "高", "﨑": "崎", "嵜": "崎", "邊": "辺", "邉": "辺", "齋": "斎", "齊": "斉",
    "濵": "浜", "濱": "浜", "澤": "沢", "櫻": "桜", "廣": "広", "國": "国", "德": "徳",
    "眞": "真", "冨": "富", "槗": "橋", "𠮷": "吉", "曾": "曽", "惠": "恵",
})


@lru_cache(maxsize=65536)
def kanji_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).translate(_KANJI_VARIANTS).split())


# -- query tokens ---------------------------------------------------------------------


def has_kanji(text: str) -> bool:
    return any(is_kanji(c) for c in text)


def split_name(text: str) -> list[str]:
    """A typed name in words: spaces (also full-width), commas, the dot between
    Japanese names; "Yamada, Taro" and "Taro YAMADA" both give two words."""
    text = unicodedata.normalize("NFKC", text)
    return [word for word in re.split(r"[\s,、・.]+", text) if word]


def name_key(word: str) -> str:
    """One typed word to the key space it is searched in (kanji or phonetic)."""
    return kanji_key(word) if has_kanji(word) else phonetic_key(word)


def name_prefix_key(word: str) -> str:
    """The key to match as a prefix while the volunteer is still typing: a
    word cut inside a Hepburn spelling ("j" of "jiro", "sh" of "shota", "ts"
    of "tsuda") is cut back to what every completion shares."""
    key = name_key(word)
    if has_kanji(word) or any(is_kana(c) for c in word):
        return key
    letters = _NOT_LETTER.sub("", unicodedata.normalize("NFKC", word).casefold())
    if letters.endswith(("j", "sh", "ch")) and key.endswith("y"):
        return key[:-1]
    if letters.endswith("ts") and key.endswith("ts"):
        return key[:-1]
    return key


# -- fuzzy ------------------------------------------------------------------------------


def deletions(key: str) -> set[str]:
    """The key and every key with one letter removed: two keys within one edit
    (or one swap of neighbours) share at least one of these."""
    return {key} | {key[:i] + key[i + 1:] for i in range(len(key))}


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein (optimal string alignment); stops early past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def fuzzy_limit(key: str) -> int:
    """Edits tolerated for a key of this length: none for 1-2 letters (too many
    names would match), one for longer keys."""
    return 0 if len(key) <= 2 else 1
