"""The nickname checker the counter and the command line share, with the bib font's own test.

`station nicknames check`, the counter's print path and `station selfcheck
checkin` all use this one, so the bib prints what the organizer saw.
"""

from __future__ import annotations

from station.core.nickname import NicknameChecker
from station.printing.glyphs import bib_font_prints
from station.store.event_package import EventPackage


def nickname_checker(package: EventPackage) -> NicknameChecker:
    try:
        from station.core.katakana import E2KReader

        reader = E2KReader()
    except ImportError:  # without e2k, English names are read as romaji
        reader = None
    return NicknameChecker(package.settings.nickname, latin_reader=reader, printable=bib_font_prints)
