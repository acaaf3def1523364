"""The one way core says something to a person: a bilingual `Text`, rendered where shown.

- `Language` is the only language type (`ja`, `en`); code that still passes
  the strings "ja"/"en" keeps working (`Language.of`).
- `Text` holds a Japanese and an English template with `{named}` parameters
  and the parameter values. Nothing is rendered until a screen, a printout or
  the command line asks for one language (`text.render(language)`), so a
  parameter that is a word is rendered in the same language as the sentence.
- A parameter is one of:
  - a name, a number or a code (`str`, `int`, a date): shown as it is;
  - an enum member (a conflict, a bib role, a decision, a ground, a reason
    code, ...): shown through the word catalogue `station/core/words.py`;
  - another `Text` (a clause such as "picked up at counter 3 02/19 14:03");
  - a tuple of the above: a list, joined with "、" in Japanese and ", " in English.

Sentence templates live beside the codes they explain (the verdict's reason
table, the supervision blockers, the code outcomes); the words that fill them
live in the one catalogue. A test renders every one of them in Japanese and
fails on an English word (tests/unit/test_texts_catalogue.py), and the reverse.

Old style, still accepted until converted: `(en, ja)` and `(ja, en)` pairs
(`Text.en_ja`, `Text.ja_en`) and the `text_ja`/`text_en` properties the
result types keep.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Union


class Language(StrEnum):
    JA = "ja"
    EN = "en"

    @classmethod
    def of(cls, value: Language | str) -> Language:
        """A language from its code; unknown codes are a programming error."""
        return value if isinstance(value, Language) else cls(value)

    @property
    def list_separator(self) -> str:
        return "、" if self is Language.JA else ", "


Param = Union[str, int, float, dt.date, Enum, "Text", tuple["Param", ...]]


@dataclass(frozen=True, slots=True)
class Text:
    """A sentence in both languages with its parameters, not yet rendered."""

    ja: str
    en: str
    params: tuple[tuple[str, Param], ...] = ()

    @classmethod
    def en_ja(cls, en: str, ja: str, **params: Param) -> Text:
        """From an old-style (en, ja) pair."""
        return cls(ja, en, _sorted(params))

    @classmethod
    def ja_en(cls, ja: str, en: str, **params: Param) -> Text:
        """From an old-style (ja, en) pair."""
        return cls(ja, en, _sorted(params))

    @classmethod
    def same(cls, words: str) -> Text:
        """A text that reads the same in both languages (a name, a code)."""
        return cls(words, words)

    def __call__(self, **params: Param) -> Text:
        """The same templates with these parameters added (or replaced)."""
        merged = dict(self.params)
        merged.update(params)
        return Text(self.ja, self.en, _sorted(merged))

    def template(self, language: Language | str) -> str:
        return self.ja if Language.of(language) is Language.JA else self.en

    def render(self, language: Language | str) -> str:
        lang = Language.of(language)
        values = {name: render_param(value, lang) for name, value in self.params}
        return self.template(lang).format_map(values)

    def param(self, name: str) -> Param | None:
        return dict(self.params).get(name)

    def __str__(self) -> str:  # logs and exception messages: English
        return self.render(Language.EN)

    # the old style: two rendered strings
    @property
    def text_ja(self) -> str:
        return self.render(Language.JA)

    @property
    def text_en(self) -> str:
        return self.render(Language.EN)


NOTHING = Text("", "")  # an empty text (no next step, no clause)


def sentences(*texts: Text) -> Text:
    """Sentences one after the other (no space between them in Japanese)."""
    names = [f"s{i}" for i in range(len(texts))]
    return Text("".join(f"{{{n}}}" for n in names), " ".join(f"{{{n}}}" for n in names),
                _sorted(dict(zip(names, texts, strict=True))))


def render_param(value: Param, language: Language) -> str:
    if isinstance(value, Text):
        return value.render(language)
    if isinstance(value, Enum):
        text = word(value)
        return text.render(language) if text is not None else str(value.value)
    if isinstance(value, tuple | list | frozenset):
        return language.list_separator.join(render_param(v, language) for v in value)
    return str(value)


def word(member: Enum) -> Text | None:
    """The catalogue's words for an enum member, or None when it has none."""
    # The catalogue imports the enums of core's modules, which import this module;
    # so it is looked up at render time, when every module is loaded.
    from station.core.words import WORDS, key

    return WORDS.get(key(member))


def plain(value: Param) -> str:
    """A parameter as a code for logs, facts and `Reason.param`: enum values, not words."""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Text):
        return value.render(Language.EN)
    if isinstance(value, tuple | list | frozenset):
        return ", ".join(plain(v) for v in value)
    return str(value)


def _sorted(params: Mapping[str, Param]) -> tuple[tuple[str, Param], ...]:
    return tuple(sorted(params.items()))
