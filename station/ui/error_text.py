"""An error as a window shows it: the sentence in the window's language, then,
on a separate line, the raw technical detail (what the OS, the spooler or an
HTTP server said) when there is one.

The detail is never a parameter of the Japanese sentence (station/core/errors.py);
the English sentence may already name it (it is also the log's language), and
then it is not said twice.
"""

from __future__ import annotations

from station.core.errors import StationError
from station.core.texts import Language, Text

DETAILS = Text("詳細：{detail}", "Details: {detail}")


def shown(error: StationError | Text, language: Language | str, detail: str = "") -> str:
    """The error's sentence in `language`, and its details line (if any) after it."""
    if isinstance(error, StationError):
        text, detail = error.message_text, detail or error.detail
    else:
        text = error
    sentence = text.render(language)
    detail = " ".join(detail.split())  # one line, whatever the server or the OS sent
    if detail and detail not in sentence:
        return f"{sentence}\n{DETAILS(detail=detail).render(language)}"
    return sentence


def sentence_of(shown_text: str) -> str:
    """The sentence of a shown error without its details line (for checks and tests)."""
    return shown_text.split("\n", 1)[0]
