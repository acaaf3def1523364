"""Text from a roster that is safe to store, print and hand to a spreadsheet.

- `unsafe_characters`: control characters, format characters such as the
  bidi overrides (U+202E shows "evil" as "live"), zero-width characters,
  the BOM and private-use code points: none belongs in a name.
- `csv_cell`: a value written to a CSV that a spreadsheet opens must not start
  a formula (=, +, -, @, a tab or carriage return, or their full-width forms);
  such a cell is written with a leading apostrophe, which Excel and LibreOffice
  show as text (OWASP's advice for CSV injection).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

# Cc control, Cf format (bidi, zero-width, soft hyphen, BOM), Co private use,
# Cs surrogates, Cn unassigned; line and paragraph separators.
_UNSAFE_CATEGORIES = frozenset(("Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"))
MAX_NAME_LENGTH = 50  # characters in one name field
MAX_NICKNAME_LENGTH = 40  # characters typed (the width rule then decides what prints)


def unsafe_characters(text: str) -> list[str]:
    """The characters of `text` that may not be in a name, shown as U+XXXX, each once."""
    if text.isprintable():  # no C* or Z* but the space: the common case, fast
        return []
    found: list[str] = []
    for ch in text:
        if ch in "\t":
            continue
        if unicodedata.category(ch) in _UNSAFE_CATEGORIES:
            shown = f"U+{ord(ch):04X}"
            if shown not in found:
                found.append(shown)
    return found


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def csv_cell(value: object) -> str:
    """`value` as a CSV cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def csv_row(values: Sequence[object]) -> list[str]:
    return [csv_cell(v) for v in values]


def csv_rows(rows: Iterable[Sequence[object]]) -> Iterable[list[str]]:
    return (csv_row(r) for r in rows)
