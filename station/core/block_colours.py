"""Start-block colours on the bib, for every block an event has.

The default palette gives each letter A-Z its own colour, dark enough for
white letters and distinct in greyscale print as far as 26 colours can be
(A-J keep the colours Japanese marathons usually give them). An event may
set its own colours per block (EventSettings.block_colours); a block neither
names (a number, "AA", "S1") takes a palette colour picked from its name,
never the grey that means "no block".
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

DEFAULT_BLOCK_COLOURS: dict[str, str] = {
    "A": "#d7263d", "B": "#f46036", "C": "#a87c00", "D": "#2e7d32", "E": "#1b65c2",
    "F": "#6a1b9a", "G": "#c2185b", "H": "#6d4c41", "I": "#00838f", "J": "#455a64",
    "K": "#ad1457", "L": "#283593", "M": "#558b2f", "N": "#e65100", "O": "#4527a0",
    "P": "#00695c", "Q": "#8d6e63", "R": "#b71c1c", "S": "#0277bd", "T": "#827717",
    "U": "#6a4f4b", "V": "#7b1fa2", "W": "#2e7d6b", "X": "#bf360c", "Y": "#5d4037", "Z": "#1a237e",
}
NO_BLOCK_COLOUR = "#546e7a"  # grey: the entrant has no start block


def block_colour(event_colours: Mapping[str, str], block: str) -> str:
    block = block.strip().upper()
    if not block:
        return NO_BLOCK_COLOUR
    own = {k.strip().upper(): v for k, v in event_colours.items()}
    if block in own:
        return own[block]
    if block[0] in own:
        return own[block[0]]
    if block[0] in DEFAULT_BLOCK_COLOURS:
        return DEFAULT_BLOCK_COLOURS[block[0]]
    palette = list(DEFAULT_BLOCK_COLOURS.values())
    return palette[hashlib.sha256(block.encode()).digest()[0] % len(palette)]
