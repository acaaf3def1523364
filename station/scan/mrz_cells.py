"""Where each glyph of an MRZ line is: the cells of a straightened line.

The band finder gives a straight strip per line; this module places the
line's character cells on it (an even grid refined from the column profile,
bent a run of cells at a time where a curved page or a slanted view moves
them), cuts them for the glyph model, and cuts again the cells the model
doubts, in case the glyph sits off its cell.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass

import numpy as np

from station.scan import mrz_band
from station.scan.mrz_glyphs import GlyphModel, normalise, raw_cell

# Where a line's cells may start and how wide they may be, around the band
# finder's guess (in canonical pitches), and the weight of ink outside the line.
_FIT_PITCHES = np.linspace(0.97, 1.03, 13)
_FIT_OFFSETS = np.linspace(-0.7, 0.7, 15)
_FIT_OUTSIDE = 0.3


@dataclass(frozen=True)
class LineFit:
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

    def moved(self, cell: int, dx: float, dy: float, chars: int) -> LineFit:
        drift = np.zeros(chars) if self.drift is None else self.drift.copy()
        lift = np.zeros(chars) if self.lift is None else self.lift.copy()
        drift[cell] += dx * self.pitch
        lift[cell] += dy * (self.bottom - self.top)
        return dataclasses.replace(self, drift=drift, lift=lift)


# A curved page or a slanted view bends the grid: each run of this many cells
# may move up to this fraction of a pitch from the straight fit.
_SEGMENT_CELLS = 11
_SEGMENT_SLACK = np.linspace(-0.35, 0.35, 15)


def _bend(cols: np.ndarray, fit: LineFit, chars: int) -> np.ndarray | None:
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


def fit_line(strip: np.ndarray, centre_y: float, chars: int) -> LineFit:
    ink = 255.0 - strip.astype(np.float32)
    ink -= np.percentile(ink, 30)
    np.clip(ink, 0, None, out=ink)
    rows = ink.mean(axis=1)
    rows = np.convolve(rows, np.ones(3) / 3, mode="same")
    c = round(centre_y)
    peak = rows[max(0, c - 8):c + 9].max() if rows.size else 0
    level = 0.35 * peak
    first = c
    while first > 0 and rows[first - 1] > level:
        first -= 1
    last = c
    while last < len(rows) - 1 and rows[last + 1] > level:
        last += 1
    top, bottom = float(first), float(last)
    if last - first + 1 < 0.5 * mrz_band.PITCH or last - first + 1 > 1.6 * mrz_band.PITCH:
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
    fit = LineFit(float(top), float(bottom) + 1, float(starts[k]), float(steps[k]))
    return dataclasses.replace(fit, drift=_bend(cols, fit, chars))


def line_probabilities(model: GlyphModel, strip: np.ndarray, fit: LineFit,
                        chars: int, shifts: tuple[float, ...] | None = None) -> np.ndarray:
    shifts = shifts or model.shifts
    patches = [fit.cut(strip, i, shift) for shift in shifts for i in range(chars)]
    probs = model.probabilities(normalise(np.stack(patches)))
    return probs.reshape(len(shifts), chars, -1).mean(axis=0)


# A glyph the model doubts may sit off its cell (the first glyph of a slanted
# or wide print, a line that sags): try it cut this far to each side and
# above and below, and keep the cut the model is surest of.
_RECUT_BELOW = 0.9
_RECUTS = ((-0.2, 0.0), (0.2, 0.0), (0.0, -0.12), (0.0, 0.12))


def recut_doubtful(model: GlyphModel, strip: np.ndarray, fit: LineFit, probs: np.ndarray,
                   chars: int, checked: np.ndarray) -> tuple[LineFit, np.ndarray]:
    """Doubtful cells cut again, keeping the cut the model is surest of.

    Only a cell some check digit covers (`checked`, one flag per cell) may
    change its reading so, and its cell moves there. Elsewhere the surest of
    four cuts could read a faint E as F with nothing to notice: such a cell
    keeps its place and may only grow surer of what it read as cut.
    """
    doubtful = np.flatnonzero(probs.max(axis=1) < _RECUT_BELOW)
    if doubtful.size == 0:
        return fit, probs
    patches = [fit.cut(strip, int(i), dx, dy) for dx, dy in _RECUTS for i in doubtful]
    tried = model.probabilities(normalise(np.stack(patches))).reshape(
        len(_RECUTS), len(doubtful), -1)
    probs = probs.copy()
    for k, cell in enumerate(doubtful):
        if checked[cell]:
            best = int(np.argmax(tried[:, k].max(axis=1)))
        else:
            agree = tried[:, k].argmax(axis=1) == probs[cell].argmax()
            if not agree.any():
                continue
            best = int(np.argmax(np.where(agree, tried[:, k].max(axis=1), -1.0)))
        if tried[best, k].max() > probs[cell].max():
            if checked[cell]:
                fit = fit.moved(int(cell), *_RECUTS[best], chars)
            probs[cell] = tried[best, k]
    return fit, probs
