"""The event's list of words that are not names, as the organizer keeps it.

A new event starts with the default list shipped in
station/core/data/banned_words.txt (well-known company and product names);
`station event set-banned-words EVENT FILE` replaces it with the organizer's
own file, in the same format: one word a line, `#` starts a comment, blank
lines ignored. Matching is in core/nickname.py (BannedWords).
"""

from __future__ import annotations

from pathlib import Path

from station.core.errors import StationError
from station.core.text_safety import unsafe_characters

DEFAULT_FILE = Path(__file__).with_name("data") / "banned_words.txt"
MAX_WORD_LENGTH = 40


def parse_banned_words(text: str, where: str = "the list") -> tuple[str, ...]:
    """The words of a banned-words file, in order, each once (case aside)."""
    words: list[str] = []
    seen: set[str] = set()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        bad = unsafe_characters(line)
        if bad:
            raise StationError(f"{where}, line {number}: control or invisible characters ({' '.join(bad)}); "
                               "retype the word.")
        if len(line) > MAX_WORD_LENGTH:
            raise StationError(f"{where}, line {number}: {len(line)} characters; a word has at most "
                               f"{MAX_WORD_LENGTH}.")
        if line.casefold() not in seen:
            seen.add(line.casefold())
            words.append(line)
    return tuple(words)


def read_banned_words(path: Path) -> tuple[str, ...]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise StationError(f"{path} does not exist; give a text file with one word a line.") from None
    except IsADirectoryError:
        raise StationError(f"{path} is a folder; give a text file with one word a line.") from None
    except UnicodeDecodeError:
        raise StationError(f"{path} is not UTF-8 text; save it as UTF-8 and try again.") from None
    return parse_banned_words(text, str(path))


def default_banned_words() -> tuple[str, ...]:
    return read_banned_words(DEFAULT_FILE)
