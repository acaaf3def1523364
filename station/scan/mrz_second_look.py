"""Second looks at a reading the check digits accepted.

The check digits cover neither names, states and sex, nor the difference
between a letter and the digit it resembles where both are worth the same.
A reading passes only if its unchecked glyphs stay sure when cut a little
differently, and its look-alike letters in number fields look less like the
document's own printed digit than those prints look like each other.
"""

from __future__ import annotations

import numpy as np

from station.core import mrz
from station.core.mrz_states import KNOWN_STATES
from station.scan.mrz_cells import LineFit
from station.scan.mrz_decode import (
    LOOKALIKE_DIGIT,
    RUN_MIN_PROB,
    UNCHECKED_MIN_PROB,
    known_state,
    masked_sure,
)
from station.scan.mrz_glyphs import GlyphModel, alphabet_mask, normalise

# A letter read where a digit could stand, with the digit's look-alike (O for
# 0, I for 1 ...), is only believed if it looks less like the document's own
# printed digit than that digit's prints look like each other. The checks
# cannot tell them apart: a misprinted 4 printed as 0 and read O (24) passes.
_LOOKALIKE_MARGIN = 0.05


def _similarity(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a - a.mean(), b - b.mean()
    return float((a * b).sum() / max(np.sqrt((a * a).sum() * (b * b).sum()), 1e-9))


def letters_unlike_digits(fmt: mrz.MrzFormat, lines: list[tuple[np.ndarray, LineFit]],
                           text: tuple[str, ...]) -> bool:
    """Whether every look-alike letter in a number field is unlike the digit it
    could be, judged against that digit where the layout allows only digits."""
    alphabets = mrz.position_alphabets(fmt)
    suspects = [(row, col) for row, line in enumerate(text) for col, ch in enumerate(line)
                if ch in LOOKALIKE_DIGIT and LOOKALIKE_DIGIT[ch] in alphabets[row][col]]
    if not suspects:
        return True

    def cell(row: int, col: int) -> np.ndarray:
        strip, fit = lines[row]
        return normalise(fit.cut(strip, col)[None])[0]

    for row, col in suspects:
        digit = LOOKALIKE_DIGIT[text[row][col]]
        prints = [cell(r, c) for r, line in enumerate(text) for c, ch in enumerate(line)
                  if ch == digit and alphabets[r][c] == mrz.DIGITS]
        if len(prints) < 2:
            continue  # nothing to compare with
        suspect = cell(row, col)
        alike = np.mean([_similarity(suspect, p) for p in prints])
        among = np.mean([_similarity(p, q) for i, p in enumerate(prints) for q in prints[i + 1:]])
        if alike >= among - _LOOKALIKE_MARGIN:
            return False
    return True


# Cuts that must agree on a glyph no check digit covers: a pitch fraction to
# either side and a fraction of the line's height up and down. On a real
# passport the E of CHRISTOPHE, its lower bar faint, read F at 0.9 as cut and
# E when cut 1 px higher: one cut alone would have accepted a wrong name.
_CONFIRM_CUTS = ((-0.12, 0.0), (0.12, 0.0), (0.0, -0.08), (0.0, 0.08))  # besides the cut read


_CERTAIN = 0.995


def _as_read(read: list[np.ndarray], alphabets: tuple[tuple[str, ...], ...],
             text: tuple[str, ...], row: int, col: int) -> float:
    masked = np.where(alphabet_mask(alphabets[row][col]), read[row][col], 0.0)
    return float(masked[mrz.ALPHABET.index(text[row][col])] / max(masked.sum(), 1e-9))


def unchecked_hold(model: GlyphModel, fmt: mrz.MrzFormat,
                    lines: list[tuple[np.ndarray, LineFit]], read: list[np.ndarray],
                    text: tuple[str, ...]) -> bool:
    """Whether every glyph no check digit covers stays as sure as it must be
    over cuts a little to each side, above and below."""
    alphabets = mrz.position_alphabets(fmt)
    checked = mrz.checked_cells(fmt)
    # The fillers closing the names are judged as a run by decode already.
    name_row, start, end = mrz.name_span(fmt)
    names = text[name_row][start:end]
    closing = range(start + len(names.rstrip(mrz.FILLER)), end)
    states = [(row, a, b) for row, a, b in mrz.code_spans(fmt) if text[row][a:b] in KNOWN_STATES]
    in_states = {(row, col) for row, a, b in states for col in range(a, b)}
    # A glyph the network was all but certain of as read is not cut again
    # (the E it read as F was at 0.9); a state code is checked as a whole.
    cells = [(row, col) for row in range(len(lines)) for col in range(len(text[row]))
             if (row, col) not in checked and not (row == name_row and col in closing)
             and ((row, col) in in_states or _as_read(read, alphabets, text, row, col) < _CERTAIN)]
    if not cells:
        return True
    patches = []
    for dx, dy in _CONFIRM_CUTS:
        for row, col in cells:
            strip, fit = lines[row]
            patches.append(fit.cut(strip, col, dx, dy))
    probs = model.probabilities(normalise(np.stack(patches))).reshape(
        len(_CONFIRM_CUTS), len(cells), -1)
    as_read = np.stack([read[row][col] for row, col in cells])
    probs = np.concatenate([as_read[None], probs])
    verdicts = []
    for k, (row, col) in enumerate(cells):
        if (row, col) in in_states:
            continue
        masked = np.where(alphabet_mask(alphabets[row][col]), probs[:, k], 0.0)
        verdicts.append(masked[:, mrz.ALPHABET.index(text[row][col])]
                        / np.maximum(masked.sum(axis=1), 1e-9))
    for row, a, b in states:
        # A known code: its share among known codes, cut by cut.
        ks = [cells.index((row, col)) for col in range(a, b)]
        shares = []
        for cut in range(len(probs)):
            sure = masked_sure(probs[cut, ks], alphabets[row][a:b])
            code, share, _ = known_state(sure)
            shares.append(share if code == text[row][a:b] else 0.0)
        verdicts.append(np.array(shares))
    for sure in verdicts:
        # One cut may stray (a thin filler cut low catches nothing); two may not.
        rest = np.sort(sure)[1:]
        if rest[0] < RUN_MIN_PROB or rest.mean() < UNCHECKED_MIN_PROB:
            return False
    return True
