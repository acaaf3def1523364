"""Read the MRZ of a passport or ID card from a webcam frame.

Pipeline: find the band (station.scan.mrz_band), straighten it, place the
character cells at the fixed pitch of the known line length (refined from the
column profile), classify each cell with the OCR-B glyph model restricted to
what the layout allows there (digits in dates, letters in names), and trust
the result only through its check digits. Where the model hesitates between
two characters, the check digits pick, and only when one valid reading is
clearly likelier than every other; a glyph no check digit covers (names,
states, sex) must be clear on its own. When in doubt the frame is refused:
the next frame comes 30 ms later, a wrong reading would stay.

Documents are held as they come: a band upside down is read turned half
round, lines tilted up to ~30 degrees are levelled first, and a frame with no
band at all gets one look turned a quarter. A two-line reading whose
document code says passport is a TD3 band cut short, not a TD2 card; visas
are refused. `MrzReader.attempt` says why a frame gave nothing (no band,
glyphs unsure, check digits failed ...), for `station scan`.

A single frame is never enough: `MrzTracker` accepts a reading once the same
valid result has appeared in two of the last three frames.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import deque
from dataclasses import dataclass
from enum import StrEnum

import cv2
import numpy as np

from station.core import mrz
from station.scan import mrz_band
from station.scan.mrz_glyphs import GlyphModel, alphabet_mask, glance_path, normalise, raw_cell

# Text lines are found with fixed-size kernels, so large print is looked for
# on reduced copies; the usual distance first.
_SCALES = (0.5, 1.0, 0.33)
_TURNED_SCALES = (0.5, 0.33)  # a sideways document fills the frame's height: large print
_LEVEL_FROM_DEG = 8.0  # a longest line tilted more than this: level the frame and look again
_GROUPS_PER_SCALE = 2

# Deciding between readings (measured on synthetic frames, bench/bench_mrz.py):
_ALT_RATIO = 0.03      # a second choice this close to the first makes a glyph doubtful
_TWIN_RATIO = 0.01     # ... and for look-alikes (O/0, I/1 ...) even this close
_MAX_ALTS = 9          # doubtful glyphs considered, most doubtful first
_REPAIR_RATIO = 0.35   # a repair needs a second choice at least this likely
_DOMINANCE = 8.0       # the chosen reading must be this much likelier than any other valid one
_MIN_SUPPORT = 0.03    # every chosen glyph needs at least this probability
# ... and this much where no check digit covers it (names, states, sex): at 0.5
# a retrained model let CHRTSTOPHE and MLD through on real passports, at 0.8 none.
_UNCHECKED_MIN_PROB = 0.8
_RUN_MIN_PROB = 0.5  # each filler ending the names, when the whole run averages 0.8
_STATE_SUPPORT = 0.05  # a known state code needs this much of the glyphs' own best reading
_FILLER_GAP_PENALTY = 0.1  # per "data after padding" a variant adds
# Look-alikes: the partner stays a suspect the check digits may choose. Real
# passports' rounded-rectangle zero reads as U, D, N, O, Q or C.
_TWINS = {"O": "0", "0": "O", "Q": "0", "D": "0", "U": "0", "N": "0", "C": "0",
          "I": "1", "1": "I", "Z": "2", "2": "Z",
          "S": "5", "5": "S", "B": "8", "8": "B", "G": "6", "6": "G", "T": "1"}
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


@dataclass(frozen=True)
class MrzReading:
    record: mrz.MrzRecord
    confidence: float          # mean probability of the chosen glyphs
    weakest: float             # lowest probability among them (names are not check-digit covered)
    quad: tuple[tuple[float, float], ...]  # where the band is in the frame


class Failure(StrEnum):
    """Why a frame gave no reading, the furthest the reader got (for `station scan`)."""
    NO_BAND = "no_band"                # no group of long parallel text lines
    GLYPHS_UNSURE = "glyphs_unsure"    # a band, but glyphs the model is not sure of
    CHECKS_FAILED = "checks_failed"    # glyphs read, but no reading passes the check digits
    BAND_CUT = "band_cut"              # the band ends early (glare, the frame's edge): not a shorter format
    NOT_A_DOCUMENT = "not_a_document"  # a valid MRZ of something else (a visa)


@dataclass(frozen=True)
class MrzAttempt:
    reading: MrzReading | None
    failure: Failure | None            # None exactly when there is a reading
    band_found: bool


class Advice(StrEnum):
    """What the on-screen guide tells the volunteer when an MRZ is seen but not read."""
    CLOSER = "closer"          # characters too small for the camera
    HOLD_STILL = "hold_still"  # size is fine: blur, glare or angle
    FURTHER = "further"        # the zone runs off the frame


@dataclass(frozen=True)
class MrzSighting:
    quad: tuple[tuple[float, float], ...]
    pitch_px: float            # character spacing in the frame
    advice: Advice


# Where a line's cells may start and how wide they may be, around the band
# finder's guess (in canonical pitches), and the weight of ink outside the line.
_FIT_PITCHES = np.linspace(0.97, 1.03, 13)
_FIT_OFFSETS = np.linspace(-0.7, 0.7, 15)
_FIT_OUTSIDE = 0.3

_GLANCE_MIN = 0.8

# Below this character pitch (pixels) a 720p webcam no longer resolves OCR-B.
_MIN_PITCH_PX = 7.5


@dataclass(frozen=True)
class _LineFit:
    top: float
    bottom: float
    offset: float   # x of the first cell's left edge
    pitch: float
    drift: np.ndarray | None = None  # per cell, x moved from the even grid (a curved page)
    lift: np.ndarray | None = None   # per cell, y moved from the line's band (a slanted view)

    def centre(self, cell: int) -> float:
        x = self.offset + (cell + 0.5) * self.pitch
        return x if self.drift is None else x + float(self.drift[cell])

    def cut(self, strip: np.ndarray, cell: int, dx: float = 0.0, dy: float = 0.0) -> np.ndarray:
        """The cell's pixels, moved dx pitches sideways and dy line heights down."""
        y = dy * (self.bottom - self.top) + (0.0 if self.lift is None else float(self.lift[cell]))
        return raw_cell(strip, self.centre(cell) + dx * self.pitch, self.top + y, self.bottom + y,
                        self.pitch)

    def moved(self, cell: int, dx: float, dy: float, chars: int) -> _LineFit:
        drift = np.zeros(chars) if self.drift is None else self.drift.copy()
        lift = np.zeros(chars) if self.lift is None else self.lift.copy()
        drift[cell] += dx * self.pitch
        lift[cell] += dy * (self.bottom - self.top)
        return dataclasses.replace(self, drift=drift, lift=lift)


# A curved page or a slanted view bends the grid: each run of this many cells
# may move up to this fraction of a pitch from the straight fit.
_SEGMENT_CELLS = 11
_SEGMENT_SLACK = np.linspace(-0.35, 0.35, 15)


def _bend(cols: np.ndarray, fit: _LineFit, chars: int) -> np.ndarray | None:
    """Per-cell drift from the straight grid, fitted a run of cells at a time."""
    if chars < 2 * _SEGMENT_CELLS:
        return None
    xs = np.arange(len(cols), dtype=np.float64)
    runs = max(2, round(chars / _SEGMENT_CELLS))
    edges = np.linspace(0, chars, runs + 1).round().astype(int)
    anchors, moves = [], []
    for a, b in itertools.pairwise(edges):
        cells = np.arange(a, b)
        shifts = _SEGMENT_SLACK[:, None] * fit.pitch
        gaps = fit.offset + cells[None, :] * fit.pitch + shifts
        centres = gaps + fit.pitch / 2
        score = np.interp(gaps, xs, cols).mean(axis=1) - np.interp(centres, xs, cols).mean(axis=1)
        anchors.append((a + b - 1) / 2)
        moves.append(float(_SEGMENT_SLACK[int(np.argmin(score))] * fit.pitch))
    return np.interp(np.arange(chars), anchors, moves)


def _fit_line(strip: np.ndarray, centre_y: float, chars: int) -> _LineFit:
    ink = 255.0 - strip.astype(np.float32)
    ink -= np.percentile(ink, 30)
    np.clip(ink, 0, None, out=ink)
    rows = ink.mean(axis=1)
    rows = np.convolve(rows, np.ones(3) / 3, mode="same")
    c = round(centre_y)
    peak = rows[max(0, c - 8):c + 9].max() if rows.size else 0
    level = 0.35 * peak
    top = c
    while top > 0 and rows[top - 1] > level:
        top -= 1
    bottom = c
    while bottom < len(rows) - 1 and rows[bottom + 1] > level:
        bottom += 1
    height = bottom - top + 1
    if height < 0.5 * mrz_band.PITCH or height > 1.6 * mrz_band.PITCH:
        # The profile was fooled (a neighbouring line, a smudge): trust the geometry.
        top, bottom = c - 0.45 * mrz_band.PITCH, c + 0.45 * mrz_band.PITCH
    cols = ink[int(top):int(bottom) + 1].mean(axis=0)
    cols = np.convolve(cols, np.ones(3) / 3, mode="same")
    xs = np.arange(len(cols), dtype=np.float64)
    p0 = mrz_band.PITCH
    n_p, n_o = len(_FIT_PITCHES), len(_FIT_OFFSETS)
    pitches = p0 * _FIT_PITCHES[:, None]
    offsets = p0 * _FIT_OFFSETS[None, :]
    # Keep the line centred on where the band finder put it while the pitch varies.
    starts = (p0 + offsets + chars * (p0 - pitches) / 2).ravel()
    steps = np.broadcast_to(pitches, (n_p, n_o)).ravel()
    gaps = starts[:, None] + np.arange(chars + 1)[None, :] * steps[:, None]
    # Little ink between glyphs, some through every glyph's middle (even '<' and '1'),
    # and none in the cells just before the first glyph and after the last: the
    # band finder can be a column off (a mark beside the band, a faint last glyph).
    centres = gaps[:, :-1] + steps[:, None] / 2
    outside = np.stack([starts - steps / 2, gaps[:, -1] + steps / 2], axis=1)
    scores = (np.interp(gaps, xs, cols).mean(axis=1) - np.interp(centres, xs, cols).mean(axis=1)
              + _FIT_OUTSIDE * np.interp(outside, xs, cols).mean(axis=1))
    k = int(np.argmin(scores))
    fit = _LineFit(float(top), float(bottom) + 1, float(starts[k]), float(steps[k]))
    return dataclasses.replace(fit, drift=_bend(cols, fit, chars))


def _line_probabilities(model: GlyphModel, strip: np.ndarray, fit: _LineFit,
                        chars: int, shifts: tuple[float, ...] | None = None) -> np.ndarray:
    shifts = shifts or model.shifts
    patches = [fit.cut(strip, i, shift) for shift in shifts for i in range(chars)]
    probs = model.probabilities(normalise(np.stack(patches)))
    return probs.reshape(len(shifts), chars, -1).mean(axis=0)


# A letter read where a digit could stand, with the digit's look-alike (O for
# 0, I for 1 ...), is only believed if it looks less like the document's own
# printed digit than that digit's prints look like each other. The checks
# cannot tell them apart: a misprinted 4 printed as 0 and read O (24) passes.
_LOOKALIKE_DIGIT = {"O": "0", "Q": "0", "D": "0", "U": "0", "C": "0", "I": "1", "Z": "2",
                    "S": "5", "B": "8", "G": "6"}
_LOOKALIKE_MARGIN = 0.05


def _similarity(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a - a.mean(), b - b.mean()
    return float((a * b).sum() / max(np.sqrt((a * a).sum() * (b * b).sum()), 1e-9))


def _letters_unlike_digits(fmt: mrz.MrzFormat, lines: list[tuple[np.ndarray, _LineFit]],
                           text: tuple[str, ...]) -> bool:
    """Whether every look-alike letter in a number field is unlike the digit it
    could be, judged against that digit where the layout allows only digits."""
    alphabets = mrz.position_alphabets(fmt)
    suspects = [(row, col) for row, line in enumerate(text) for col, ch in enumerate(line)
                if ch in _LOOKALIKE_DIGIT and _LOOKALIKE_DIGIT[ch] in alphabets[row][col]]
    if not suspects:
        return True

    def cell(row: int, col: int) -> np.ndarray:
        strip, fit = lines[row]
        return normalise(fit.cut(strip, col)[None])[0]

    for row, col in suspects:
        digit = _LOOKALIKE_DIGIT[text[row][col]]
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


# A glyph the model doubts may sit off its cell (the first glyph of a slanted
# or wide print, a line that sags): try it cut this far to each side and
# above and below, and keep the cut the model is surest of.
_RECUT_BELOW = 0.9
_RECUT_AFTER = (Failure.GLYPHS_UNSURE, Failure.CHECKS_FAILED)
_RECUTS = ((-0.2, 0.0), (0.2, 0.0), (0.0, -0.12), (0.0, 0.12))


def _recut_doubtful(model: GlyphModel, strip: np.ndarray, fit: _LineFit, probs: np.ndarray,
                    chars: int) -> tuple[_LineFit, np.ndarray]:
    doubtful = np.flatnonzero(probs.max(axis=1) < _RECUT_BELOW)
    if doubtful.size == 0:
        return fit, probs
    patches = [fit.cut(strip, int(i), dx, dy) for dx, dy in _RECUTS for i in doubtful]
    tried = model.probabilities(normalise(np.stack(patches))).reshape(
        len(_RECUTS), len(doubtful), -1)
    probs = probs.copy()
    for k, cell in enumerate(doubtful):
        best = int(np.argmax(tried[:, k].max(axis=1)))
        if tried[best, k].max() > probs[cell].max():
            fit = fit.moved(int(cell), *_RECUTS[best], chars)
            probs[cell] = tried[best, k]
    return fit, probs


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


def _unchecked_hold(model: GlyphModel, fmt: mrz.MrzFormat,
                    lines: list[tuple[np.ndarray, _LineFit]], read: list[np.ndarray],
                    text: tuple[str, ...]) -> bool:
    """Whether every glyph no check digit covers stays as sure as it must be
    over cuts a little to each side, above and below."""
    alphabets = mrz.position_alphabets(fmt)
    checked = mrz.checked_cells(fmt)
    # The fillers closing the names are judged as a run by _decode already.
    name_row, start, end = mrz.name_span(fmt)
    names = text[name_row][start:end]
    closing = range(start + len(names.rstrip(mrz.FILLER)), end)
    states = [(row, a, b) for row, a, b in mrz.code_spans(fmt) if text[row][a:b] in mrz.KNOWN_STATES]
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
            sure = _masked_sure(probs[cut, ks], alphabets[row][a:b])
            code, share, _ = _known_state(sure)
            shares.append(share if code == text[row][a:b] else 0.0)
        verdicts.append(np.array(shares))
    for sure in verdicts:
        # One cut may stray (a thin filler cut low catches nothing); two may not.
        rest = np.sort(sure)[1:]
        if rest[0] < _RUN_MIN_PROB or rest.mean() < _UNCHECKED_MIN_PROB:
            return False
    return True


_DOCUMENT_CODES = {mrz.MrzFormat.TD3: "P", mrz.MrzFormat.TD2: "ACI", mrz.MrzFormat.TD1: "ACI"}

_STATE_LIST = sorted(mrz.KNOWN_STATES)
_STATE_INDEX = np.array([[mrz.ALPHABET.index(ch) for ch in code] for code in _STATE_LIST])


def _known_state(sure: np.ndarray) -> tuple[str, float, float]:
    """The likeliest known state code for three cells (rows: each cell's
    probabilities within what the layout allows), its share of all known
    codes' likelihood, and its likelihood against the cells' own best."""
    scores = sure[0, _STATE_INDEX[:, 0]] * sure[1, _STATE_INDEX[:, 1]] * sure[2, _STATE_INDEX[:, 2]]
    k = int(np.argmax(scores))
    share = float(scores[k] / max(scores.sum(), 1e-12))
    against_best = float(scores[k] / max(np.prod(sure.max(axis=1)), 1e-12))
    return _STATE_LIST[k], share, against_best


def _masked_sure(probs: np.ndarray, allowed: tuple[str, ...]) -> np.ndarray:
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


def _moved(attempt: MrzAttempt, where) -> MrzAttempt:
    """A reading made on a turned copy of the frame, its band placed back in the frame."""
    assert attempt.reading is not None
    quad = tuple(tuple(float(v) for v in where(x, y)) for x, y in attempt.reading.quad)
    return MrzAttempt(dataclasses.replace(attempt.reading, quad=quad), None, True)


def _decode(fmt: mrz.MrzFormat,
            probs: list[np.ndarray]) -> tuple[mrz.MrzRecord, float, float] | Failure:
    """The one check-digit-valid reading the glyph probabilities support, or why not."""
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
    # Issuing state and nationality: as read where every glyph is clear (a
    # specimen's BDR stays BDR); where one is not, the known code the glyphs
    # clearly favour (UTD with a doubtful D is UTO), or nothing.
    for row, a, b in mrz.code_spans(fmt):
        code_sure = _masked_sure(probs[row][a:b], alphabets[row][a:b])
        if code_sure.max(axis=1).min() >= _UNCHECKED_MIN_PROB:
            continue
        code, share, against_best = _known_state(code_sure)
        if share < _UNCHECKED_MIN_PROB or against_best < _STATE_SUPPORT:
            return Failure.GLYPHS_UNSURE
        chosen[row][a:b] = list(code)
    # Names, states, sex: a glyph the model doubts is refused here, since
    # nothing else would catch it.
    # The fillers closing the name field are judged together: each must be
    # likely, the run as a whole as sure as a letter.
    if filler_run and (min(filler_run) < _RUN_MIN_PROB or np.mean(filler_run) < _UNCHECKED_MIN_PROB):
        return Failure.GLYPHS_UNSURE
    if min(unchecked_probs, default=1.0) < _UNCHECKED_MIN_PROB or not _tidy_names(fmt, chosen, probs):
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
    assert fmt is not None
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

    Letters after the names' end become fillers only where the model also
    found a filler plausible: the check digits will not catch a wrong name.
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
        if p[filler] < 0.02 * p[mrz.ALPHABET.index(ch)]:
            return False
        chosen[row][col] = mrz.FILLER
    return True


def black_ink(frame: np.ndarray) -> np.ndarray:
    """The frame as the MRZ is printed: black ink dark, every colour light.

    Doc 9303 prints the MRZ in black; security print, stamps and a pen mark
    round the zone are coloured. The brightest channel of a pixel keeps black
    dark and turns red, blue and pastel nearly paper-white, where the usual
    luminance would keep a red line as dark as a glyph's stroke.
    """
    if frame.ndim == 2:
        return frame
    b, g, r = cv2.split(frame)[:3]  # NumPy's max over the last axis is ~30x slower
    return cv2.max(cv2.max(b, g), r)


class MrzReader:
    """Stateless per frame; one instance holds the loaded glyph model."""

    def __init__(self, model: GlyphModel | None = None, glance: GlyphModel | None = None) -> None:
        self._model = model or GlyphModel.load()
        self._glance = glance or GlyphModel.load(glance_path())

    def read(self, frame: np.ndarray) -> MrzReading | None:
        return self.attempt(frame).reading

    def attempt(self, frame: np.ndarray) -> MrzAttempt:
        """The reading, or how far the reader got and why it stopped."""
        gray = black_ink(frame)
        result, tilt = self._attempt(gray, _SCALES)
        if result.reading is None and abs(tilt) > _LEVEL_FROM_DEG:
            # Held at an angle (up to ~30 degrees): level the frame on the long
            # lines seen and look again; only frames with tilted lines pay for it.
            h, w = gray.shape[:2]
            m = cv2.getRotationMatrix2D((w / 2, h / 2), tilt, 1.0)
            c, s_ = abs(m[0, 0]), abs(m[0, 1])
            size = (int(w * c + h * s_), int(w * s_ + h * c))
            m[:, 2] += (size[0] - w) / 2, (size[1] - h) / 2
            level = cv2.warpAffine(gray, m, size, flags=cv2.INTER_LINEAR,
                                   borderMode=cv2.BORDER_REPLICATE)
            levelled, _ = self._attempt(level, _SCALES)
            if levelled.reading is not None:
                back = cv2.invertAffineTransform(m)
                return _moved(levelled, lambda x, y: tuple(back @ (x, y, 1.0)))
            if levelled.band_found:
                result = max(result, levelled, key=lambda a: _PROGRESS.index(a.failure))
        if result.failure is Failure.NO_BAND:
            # A document held sideways (a page spread, a card turned 90 degrees):
            # one more look at the frame turned a quarter; the band's own half-turn
            # retry covers the other side. Only frames with no band at all pay for it.
            turned, _ = self._attempt(cv2.rotate(gray, cv2.ROTATE_90_CLOCKWISE), _TURNED_SCALES)
            h = gray.shape[0]
            if turned.reading is not None:
                return _moved(turned, lambda x, y: (y, h - 1 - x))
            if turned.band_found:
                return turned
        return result

    def _attempt(self, gray: np.ndarray, scales: tuple[float, ...]) -> tuple[MrzAttempt, float]:
        """Our reading of a frame as it is, and the tilt (degrees) of its longest line."""
        furthest = Failure.NO_BAND
        longest, tilt = 0.0, 0.0
        for scale in scales:
            lines = mrz_band.find_text_lines(gray, scale)
            for line in lines:
                if line.length > longest:
                    longest = line.length
                    tilt = float(np.degrees(np.arctan2(line.direction[1], line.direction[0])))
            for group in mrz_band.group_lines(lines)[:_GROUPS_PER_SCALE]:
                result = self._read_group(gray, group)
                if isinstance(result, MrzReading):
                    return MrzAttempt(result, None, True), tilt
                furthest = max(furthest, result, key=_PROGRESS.index)
        return MrzAttempt(None, furthest, furthest is not Failure.NO_BAND), tilt

    def sight(self, frame: np.ndarray) -> MrzSighting | None:
        """Where an MRZ-like band is and what the volunteer should do, without reading it."""
        gray = black_ink(frame)
        for scale in _SCALES:
            groups = mrz_band.group_lines(mrz_band.find_text_lines(gray, scale))
            if not groups:
                continue
            group = groups[0]
            fmt = mrz_band.formats_for(len(group))[0]
            band = mrz_band.rectify(gray, group, fmt.shape[1])
            pitch = group[0].length / (fmt.shape[1] - 1 + 0.7)
            h, w = gray.shape[:2]
            inside = all(4 < x < w - 4 and 4 < y < h - 4 for x, y in band.quad)
            advice = (Advice.FURTHER if not inside else
                      Advice.CLOSER if pitch < _MIN_PITCH_PX else Advice.HOLD_STILL)
            quad = tuple((float(x), float(y)) for x, y in band.quad)
            return MrzSighting(quad, float(pitch), advice)
        return None

    def _read_group(self, gray: np.ndarray,
                    group: list[mrz_band.TextLine]) -> MrzReading | Failure:
        # Every way the band could be read: each format its line count allows,
        # upright and turned half round (a document held upside down; the
        # canonical band is symmetric, so only the pixels turn). The small
        # model glances at each; the network reads the likeliest first.
        # A wrong format or the band the wrong way round reads as glyphs the
        # small model doubts (its mean below 0.8; every band the network read
        # on the real pictures scored 0.93 or more there).
        candidates = []
        for fmt in mrz_band.formats_for(len(group)):
            rows, chars = fmt.shape
            band = mrz_band.rectify(gray, group, chars)
            for image in (band.image, cv2.rotate(band.image, cv2.ROTATE_180)):
                lines = self._band_lines(dataclasses.replace(band, image=image), rows, chars)
                glance = float(np.mean([
                    _line_probabilities(self._glance, strip, fit, chars, (0.0,)).max(axis=1).mean()
                    for strip, fit in lines]))
                if glance >= _GLANCE_MIN:
                    candidates.append((glance, fmt, band, lines))
        candidates.sort(key=lambda c: c[0], reverse=True)
        furthest = Failure.GLYPHS_UNSURE
        for rank, (_, fmt, band, lines) in enumerate(candidates):
            chars = fmt.shape[1]
            probs = [_line_probabilities(self._model, strip, fit, chars) for strip, fit in lines]
            decoded = _decode(fmt, probs)
            if rank == 0 and isinstance(decoded, Failure) and decoded in _RECUT_AFTER:
                # Only when the cells as cut gave nothing: recut cells can
                # also pick up a neighbour's stroke, which the checks catch.
                for row, (strip, fit) in enumerate(lines):
                    fit, probs[row] = _recut_doubtful(self._model, strip, fit, probs[row], chars)
                    lines[row] = (strip, fit)
                decoded = _decode(fmt, probs)
            if not isinstance(decoded, Failure) and not (
                    _unchecked_hold(self._model, fmt, lines, probs, decoded[0].lines)
                    and _letters_unlike_digits(fmt, lines, decoded[0].lines)):
                decoded = Failure.GLYPHS_UNSURE
            if isinstance(decoded, Failure):
                furthest = max(furthest, decoded, key=_PROGRESS.index)
                continue
            record, confidence, weakest = decoded
            quad = tuple((float(x), float(y)) for x, y in band.quad)
            return MrzReading(record, confidence, weakest, quad)
        return furthest

    def _band_lines(self, band: mrz_band.Band, rows: int,
                    chars: int) -> list[tuple[np.ndarray, _LineFit]]:
        lines = []
        for row in range(rows):
            strip, centre = mrz_band.line_strip(band, row)
            lines.append((strip, _fit_line(strip, centre, chars)))
        return lines

    def _band_probabilities(self, band: mrz_band.Band, rows: int, chars: int) -> list[np.ndarray]:
        return [_line_probabilities(self._model, strip, fit, chars)
                for strip, fit in self._band_lines(band, rows, chars)]


_PROGRESS = (Failure.NO_BAND, Failure.GLYPHS_UNSURE, Failure.CHECKS_FAILED, Failure.BAND_CUT,
             Failure.NOT_A_DOCUMENT)


class MrzTracker:
    """Accept a reading once the same valid MRZ appears in 2 of the last 3 frames."""

    def __init__(self, window: int = 3, needed: int = 2) -> None:
        self._recent: deque[tuple[str, ...] | None] = deque(maxlen=window)
        self._needed = needed

    def update(self, reading: MrzReading | None) -> MrzReading | None:
        key = reading.record.lines if reading is not None and reading.record.valid else None
        self._recent.append(key)
        if key is not None and sum(1 for k in self._recent if k == key) >= self._needed:
            return reading
        return None

    def reset(self) -> None:
        self._recent.clear()
