"""From glyph probabilities to the one valid MRZ reading they support, or why not.

Each cell's probabilities are restricted to what the layout allows there
(digits in dates, letters in names). Where the model hesitates between two
characters, the check digits pick, and only when one valid reading is
clearly likelier than every other; a glyph no check digit covers (names,
states, sex) must be clear on its own, and a state code doubtful in one
glyph is settled only by the list of known codes.
"""

from __future__ import annotations

import itertools
from enum import StrEnum

import numpy as np

from station.core import mrz
from station.core.mrz_states import KNOWN_STATES
from station.scan.mrz_glyphs import alphabet_mask

# Deciding between readings (measured on synthetic frames, bench/bench_mrz.py):
_ALT_RATIO = 0.03      # a second choice this close to the first makes a glyph doubtful
_TWIN_RATIO = 0.01     # ... and for look-alikes (O/0, I/1 ...) even this close
_MAX_ALTS = 9          # doubtful glyphs considered, most doubtful first
_REPAIR_RATIO = 0.35   # a repair needs a second choice at least this likely
_DOMINANCE = 8.0       # the chosen reading must be this much likelier than any other valid one
_MIN_SUPPORT = 0.03    # every chosen glyph needs at least this probability
# ... and this much where no check digit covers it (names, states, sex): at 0.5
# a retrained model let CHRTSTOPHE and MLD through on real passports, at 0.8 none.
UNCHECKED_MIN_PROB = 0.8
RUN_MIN_PROB = 0.5  # each filler ending the names, when the whole run averages 0.8
_STATE_SHARE = 0.95  # a known state code put for a doubtful reading: its share among known codes
_STATE_SUPPORT = 0.3  # ... and this much of the likelihood of the glyphs' own best reading
_UNKNOWN_STATE_MIN_PROB = 0.97  # each glyph of a state code on no list (a specimen's BDR)
_FILLER_GAP_PENALTY = 0.1  # per "data after padding" a variant adds
_PADDING_RATIO = 0.35  # a letter after the names' end is padding if a filler is this likely
# Look-alikes: the partner stays a suspect the check digits may choose. Real
# passports' rounded-rectangle zero reads as U, D, N, O, Q or C.
_TWINS = {"O": "0", "0": "O", "Q": "0", "D": "0", "U": "0", "N": "0", "C": "0",
          "I": "1", "1": "I", "Z": "2", "2": "Z",
          "S": "5", "5": "S", "B": "8", "8": "B", "G": "6", "6": "G", "T": "1"}
# The letters among them, with the digit each may stand for (second look).
LOOKALIKE_DIGIT = {letter: digit for letter, digit in _TWINS.items()
                   if letter in mrz.LETTERS and digit in mrz.DIGITS}
# Document numbers and optional data are mostly digits, and at webcam
# resolution OCR-B's O and 0 differ by a pixel: where both fit, lean to 0.
# (At 0.15 a misprinted 0 read as O passed the check digit, O being 24 and
# the digit it replaced 4: 1 false accept in a 300-frame corrupted sweep.)
_O_PRIOR = 0.03
_LETTER_O = mrz.ALPHABET.index("O")
# Real passports print the zero as a rounded rectangle, which reads as U, and
# U (30) weighs the same as 0 in every check digit: the checks cannot choose.
_U_PRIOR = 0.15
_LETTER_U = mrz.ALPHABET.index("U")


class Failure(StrEnum):
    """Why a frame gave no reading, the furthest the reader got (for `station scan`)."""
    NO_BAND = "no_band"                # no group of long parallel text lines
    GLYPHS_UNSURE = "glyphs_unsure"    # a band, but glyphs the model is not sure of
    CHECKS_FAILED = "checks_failed"    # glyphs read, but no reading passes the check digits
    BAND_CUT = "band_cut"              # the band ends early (glare, the frame's edge): not a shorter format
    NOT_A_DOCUMENT = "not_a_document"  # a valid MRZ of something else (a visa)


_DOCUMENT_CODES = {mrz.MrzFormat.TD3: "P", mrz.MrzFormat.TD2: "ACI", mrz.MrzFormat.TD1: "ACI"}

_STATE_LIST = sorted(KNOWN_STATES)
_STATE_INDEX = np.array([[mrz.ALPHABET.index(ch) for ch in code] for code in _STATE_LIST])


def known_state(sure: np.ndarray) -> tuple[str, float, float]:
    """The likeliest known state code for three cells (rows: each cell's
    probabilities within what the layout allows), its share of all known
    codes' likelihood, and its likelihood against the cells' own best."""
    scores = sure[0, _STATE_INDEX[:, 0]] * sure[1, _STATE_INDEX[:, 1]] * sure[2, _STATE_INDEX[:, 2]]
    k = int(np.argmax(scores))
    share = float(scores[k] / max(scores.sum(), 1e-12))
    against_best = float(scores[k] / max(np.prod(sure.max(axis=1)), 1e-12))
    return _STATE_LIST[k], share, against_best


def masked_sure(probs: np.ndarray, allowed: tuple[str, ...]) -> np.ndarray:
    """Each cell's probabilities within what the layout allows there, summing to 1."""
    masked = np.stack([np.where(alphabet_mask(a), p, 0.0) for p, a in zip(probs, allowed,
                                                                          strict=True)])
    return masked / np.maximum(masked.sum(axis=1, keepdims=True), 1e-9)


def _trailing_fillers(fmt: mrz.MrzFormat, probs: list[np.ndarray]) -> frozenset[tuple[int, int]]:
    """Cells at the end of the name field where the model's first choice is a filler."""
    row, start, end = mrz.name_span(fmt)
    filler = mrz.ALPHABET.index(mrz.FILLER)
    cells = []
    for col in range(end - 1, start - 1, -1):
        if int(np.argmax(probs[row][col])) != filler:
            break
        cells.append((row, col))
    return frozenset(cells)


def decode(fmt: mrz.MrzFormat,
            probs: list[np.ndarray]) -> tuple[mrz.MrzRecord, float, float] | Failure:
    """The one check-digit-valid reading the glyph probabilities support, or why not."""
    if not all(np.isfinite(p).all() for p in probs):
        return Failure.GLYPHS_UNSURE  # a damaged model: no comparison below would refuse
    alphabets = mrz.position_alphabets(fmt)
    checked = mrz.checked_cells(fmt)
    trailing = _trailing_fillers(fmt, probs)
    states = {(row, col) for row, a, b in mrz.code_spans(fmt) for col in range(a, b)}
    chosen: list[list[str]] = []
    picked: list[float] = []
    unchecked_probs: list[float] = []
    filler_run: list[float] = []  # the fillers that end the name field
    alternatives: list[tuple[float, int, int, str]] = []
    for row, p in enumerate(probs):
        line = []
        for col in range(p.shape[0]):
            masked = np.where(alphabet_mask(alphabets[row][col]), p[col], 0.0)
            if alphabets[row][col] == mrz.ALPHABET:
                masked = masked.copy()
                masked[_LETTER_O] *= _O_PRIOR
                masked[_LETTER_U] *= _U_PRIOR
            order = np.argsort(masked)[::-1]
            first, second = order[0], order[1]
            line.append(mrz.ALPHABET[first])
            if (row, col) in states:
                continue  # judged as a whole code below (a 0 where a letter must be is an O)
            picked.append(float(masked[first]))
            if (row, col) not in checked:
                sure = float(masked[first] / max(masked.sum(), 1e-9))
                if (row, col) in trailing:
                    filler_run.append(sure)
                else:
                    unchecked_probs.append(sure)
                continue  # no check digit can choose between alternatives here
            ratio = masked[second] / max(masked[first], 1e-9)
            if ratio > _ALT_RATIO:
                alternatives.append((float(ratio), row, col, mrz.ALPHABET[second]))
            twin = _TWINS.get(mrz.ALPHABET[first])
            if twin and twin != mrz.ALPHABET[second] and twin in alphabets[row][col]:
                # O/0, I/1 ...: the partner stays a suspect even when ranked lower.
                twin_ratio = masked[mrz.ALPHABET.index(twin)] / max(masked[first], 1e-9)
                if twin_ratio > _TWIN_RATIO:
                    alternatives.append((float(twin_ratio), row, col, twin))
        chosen.append(line)
    # Issuing state and nationality. A known code read clearly stands; a code
    # on no list (a specimen's BDR) only if every glyph is all but certain
    # (NLD read MLD at 0.85 is not). Otherwise the known code the glyphs
    # favour over every other known code by far (UTD with a doubtful D is
    # UTO, no other code begins UT), and only if the glyphs give it a fair
    # part of their own best reading: ISL read for IRL with S at 0.6 and R at
    # 0.12 is refused, as is BDI for a BDR whose R is doubtful.
    for row, a, b in mrz.code_spans(fmt):
        code_sure = masked_sure(probs[row][a:b], alphabets[row][a:b])
        as_read = "".join(chosen[row][a:b])
        clear = code_sure.max(axis=1).min()
        if clear >= (UNCHECKED_MIN_PROB if as_read in KNOWN_STATES
                     else _UNKNOWN_STATE_MIN_PROB):
            continue
        code, share, against_best = known_state(code_sure)
        if share < _STATE_SHARE or against_best < _STATE_SUPPORT:
            return Failure.GLYPHS_UNSURE
        chosen[row][a:b] = list(code)
    # Names, states, sex: a glyph the model doubts is refused here, since
    # nothing else would catch it.
    # The fillers closing the name field are judged together: each must be
    # likely, the run as a whole as sure as a letter.
    if filler_run and (min(filler_run) < RUN_MIN_PROB or np.mean(filler_run) < UNCHECKED_MIN_PROB):
        return Failure.GLYPHS_UNSURE
    if min(unchecked_probs, default=1.0) < UNCHECKED_MIN_PROB or not _tidy_names(fmt, chosen, probs):
        return Failure.GLYPHS_UNSURE
    # A cell where the model saw nothing the layout allows (an S where only
    # digits go, at 1%) is not evidence for any digit; forcing it is guessing.
    if min(picked) < _MIN_SUPPORT:
        return Failure.GLYPHS_UNSURE
    alternatives.sort(reverse=True)
    ranked = _valid_variants(chosen, alternatives[:_MAX_ALTS], 3)
    if not ranked:
        return Failure.CHECKS_FAILED
    best_score, best = ranked[0]
    # A repair needs the model's support (its second choices, nearly as likely),
    # and the winner must clearly beat any other valid reading: O/0 swapped at
    # two neighbouring places (weights 7 and 3) keeps the check digit.
    if best_score < _REPAIR_RATIO:
        return Failure.CHECKS_FAILED
    if len(ranked) > 1 and ranked[1][0] * _DOMINANCE > best_score:
        return Failure.GLYPHS_UNSURE
    if best.document_code.startswith("V"):
        # A visa (MRV-A/B) has the TD3/TD2 shape but is no identity document.
        return Failure.NOT_A_DOCUMENT
    if best.lines[0][0] not in _DOCUMENT_CODES[fmt]:
        # Doc 9303: TD3 is a passport (P); TD1 and TD2 cards start A, C or I.
        # A passport read as a two-line card is a TD3 band cut short.
        return Failure.BAND_CUT
    return best, float(np.mean(picked)), float(np.min(picked))


def _valid_variants(
    chosen: list[list[str]], alternatives: list[tuple[float, int, int, str]], most: int
) -> list[tuple[float, mrz.MrzRecord]]:
    """Valid readings within `most` swaps, scored by their likelihood relative to `chosen`."""
    found: dict[tuple[str, ...], tuple[float, mrz.MrzRecord]] = {}
    fmt = mrz.detect_format(["".join(r) for r in chosen])
    if fmt is None:
        return []
    base_gaps = _filler_gaps(fmt, ["".join(r) for r in chosen])
    for size in range(0, most + 1):
        for combo in itertools.combinations(alternatives, size):
            if len({(row, col) for _, row, col, _ in combo}) < size:
                continue  # two alternatives for one cell
            rows = [list(r) for r in chosen]
            score = 1.0
            for ratio, row, col, ch in combo:
                rows[row][col] = ch
                score *= ratio
            candidate = mrz.parse(["".join(r) for r in rows])
            if not candidate.valid:
                continue
            # Relative to the plain reading: a variant adding data after padding
            # ranks lower, one removing it ranks higher.
            score *= _FILLER_GAP_PENALTY ** (_filler_gaps(candidate.format, candidate.lines)
                                             - base_gaps)
            if score > found.get(candidate.lines, (0.0, None))[0]:
                found[candidate.lines] = (score, candidate)
    return sorted(found.values(), key=lambda item: item[0], reverse=True)


def _filler_gaps(fmt: mrz.MrzFormat, lines: tuple[str, ...] | list[str]) -> int:
    """Data after a filler inside a document number or optional field ("12<<<U").

    The check digits cannot tell a filler from A, K or U (values 0, 10, 20, 30),
    but such data after padding is rare; this ranks readings, it forbids nothing.
    """
    gaps = 0
    for row, line in enumerate(lines):
        alphabets = mrz.position_alphabets(fmt)[row]
        for col in range(1, len(line)):
            if alphabets[col] == mrz.ALPHABET and alphabets[col - 1] == mrz.ALPHABET \
                    and line[col - 1] == mrz.FILLER and line[col] != mrz.FILLER:
                gaps += 1
    return gaps


def _tidy_names(fmt: mrz.MrzFormat, chosen: list[list[str]], probs: list[np.ndarray]) -> bool:
    """Make the name field well formed, or say it cannot be (then refuse the reading).

    Letters after the names' end become fillers only where the model found a
    filler nearly as likely (a stray mark in the padding): the check digits
    will not catch a wrong name, and at 2 % the M of ANNA<MARIA read as a
    filler turned MARIA into padding.
    """
    row, start, end = mrz.name_span(fmt)
    field = "".join(chosen[row][start:end])
    stop = start + mrz.names_end(field)
    if stop == start:
        return False
    filler = mrz.ALPHABET.index(mrz.FILLER)
    for col in range(stop, end):
        ch = chosen[row][col]
        if ch == mrz.FILLER:
            continue
        p = probs[row][col]
        if p[filler] < _PADDING_RATIO * p[mrz.ALPHABET.index(ch)]:
            return False
        chosen[row][col] = mrz.FILLER
    return True
