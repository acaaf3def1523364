"""Read the MRZ of a passport or ID card from a webcam frame.

Pipeline: find the band on the frame's black ink (station.scan.mrz_band),
straighten it, place each line's cells (station.scan.mrz_cells), glance at
every format and orientation with the small dense model, read the likeliest
with the glyph network, and trust the result only through its check digits
(station.scan.mrz_decode) and a second look at what they do not cover
(station.scan.mrz_second_look). When in doubt the frame is refused: the next
frame comes 30 ms later, a wrong reading would stay.

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
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import cv2
import numpy as np

from station.core import mrz
from station.scan import mrz_band
from station.scan.mrz_cells import LineFit, fit_line, line_probabilities, recut_doubtful
from station.scan.mrz_decode import Failure, decode
from station.scan.mrz_glyphs import GlyphModel, glance_path
from station.scan.mrz_second_look import letters_unlike_digits, unchecked_hold

__all__ = ["Advice", "Failure", "MrzAttempt", "MrzReader", "MrzReading", "MrzSighting",
           "MrzTracker", "black_ink"]

# Text lines are found with fixed-size kernels, so large print is looked for
# on reduced copies; the usual distance first.
_SCALES = (0.5, 1.0, 0.33)
_TURNED_SCALES = (0.5, 0.33)  # a sideways document fills the frame's height: large print
_LEVEL_FROM_DEG = 8.0  # a longest line tilted more than this: level the frame and look again
_GROUPS_PER_SCALE = 2


@dataclass(frozen=True)
class MrzReading:
    record: mrz.MrzRecord
    confidence: float          # mean probability of the chosen glyphs
    weakest: float             # lowest probability among them (names are not check-digit covered)
    quad: tuple[tuple[float, float], ...]  # where the band is in the frame




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


@dataclass(frozen=True)
class MrzAttempt:
    reading: MrzReading | None
    failure: Failure | None            # None exactly when there is a reading
    band_found: bool
    # Without a reading: where an MRZ-like band is and what the volunteer should do.
    sighting: MrzSighting | None = None


_GLANCE_MIN = 0.8
# Cells the network doubts are cut again only when the cells as cut gave nothing.
_RECUT_AFTER = (Failure.GLYPHS_UNSURE, Failure.CHECKS_FAILED)

# Below this character pitch (pixels) a 720p webcam no longer resolves OCR-B.
_MIN_PITCH_PX = 7.5


def _moved(attempt: MrzAttempt,
           where: Callable[[float, float], Sequence[float]]) -> MrzAttempt:
    """A reading made on a turned copy of the frame, its band placed back in the frame."""
    assert attempt.reading is not None
    quad = tuple((float(p[0]), float(p[1])) for p in (where(x, y) for x, y in attempt.reading.quad))
    return MrzAttempt(dataclasses.replace(attempt.reading, quad=quad), None, True)


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
        """The reading, or how far the reader got, why it stopped and what the
        volunteer should do (one pass over the frame: the camera's loop calls it)."""
        gray = black_ink(frame)
        result, tilt, first = self._attempt(gray, _SCALES)
        if result.reading is not None:
            return result
        result = self._retry(gray, result, tilt)
        if result.reading is not None or first is None:
            return result
        return dataclasses.replace(result, sighting=self._sighting(gray, first))

    def _retry(self, gray: np.ndarray, result: MrzAttempt, tilt: float) -> MrzAttempt:
        """A frame not read as it is: levelled if its lines are tilted, turned a
        quarter if it shows no band at all."""
        if abs(tilt) > _LEVEL_FROM_DEG:
            # Held at an angle (up to ~30 degrees): level the frame on the long
            # lines seen and look again; only frames with tilted lines pay for it.
            h, w = gray.shape[:2]
            m = cv2.getRotationMatrix2D((w / 2, h / 2), tilt, 1.0)
            c, s_ = abs(m[0, 0]), abs(m[0, 1])
            size = (int(w * c + h * s_), int(w * s_ + h * c))
            m[:, 2] += (size[0] - w) / 2, (size[1] - h) / 2
            level = cv2.warpAffine(gray, m, size, flags=cv2.INTER_LINEAR,
                                   borderMode=cv2.BORDER_REPLICATE)
            levelled, _, _ = self._attempt(level, _SCALES)
            if levelled.reading is not None:
                back = cv2.invertAffineTransform(m)
                return _moved(levelled, lambda x, y: tuple(back @ (x, y, 1.0)))
            if levelled.band_found:
                result = max(result, levelled, key=lambda a: _PROGRESS.index(a.failure))
        if result.failure is Failure.NO_BAND:
            # A document held sideways (a page spread, a card turned 90 degrees):
            # one more look at the frame turned a quarter; the band's own half-turn
            # retry covers the other side. Only frames with no band at all pay for it.
            turned, _, _ = self._attempt(cv2.rotate(gray, cv2.ROTATE_90_CLOCKWISE), _TURNED_SCALES)
            h = gray.shape[0]
            if turned.reading is not None:
                return _moved(turned, lambda x, y: (y, h - 1 - x))
            if turned.band_found:
                return turned
        return result

    def _attempt(self, gray: np.ndarray, scales: tuple[float, ...]
                 ) -> tuple[MrzAttempt, float, list[mrz_band.TextLine] | None]:
        """Our reading of a frame as it is, the tilt (degrees) of its longest
        line, and the first band-like group of lines seen."""
        furthest = Failure.NO_BAND
        longest, tilt = 0.0, 0.0
        first: list[mrz_band.TextLine] | None = None
        for scale in scales:
            lines = mrz_band.find_text_lines(gray, scale)
            for line in lines:
                if line.length > longest:
                    longest = line.length
                    tilt = float(np.degrees(np.arctan2(line.direction[1], line.direction[0])))
            for group in mrz_band.group_lines(lines)[:_GROUPS_PER_SCALE]:
                first = first or group
                result = self._read_group(gray, group)
                if isinstance(result, MrzReading):
                    return MrzAttempt(result, None, True), tilt, first
                furthest = max(furthest, result, key=_PROGRESS.index)
        return MrzAttempt(None, furthest, furthest is not Failure.NO_BAND), tilt, first

    def sight(self, frame: np.ndarray) -> MrzSighting | None:
        """Where an MRZ-like band is and what the volunteer should do, without reading it."""
        gray = black_ink(frame)
        for scale in _SCALES:
            groups = mrz_band.group_lines(mrz_band.find_text_lines(gray, scale))
            if groups:
                return self._sighting(gray, groups[0])
        return None

    @staticmethod
    def _sighting(gray: np.ndarray, group: list[mrz_band.TextLine]) -> MrzSighting:
        fmt = mrz_band.formats_for(len(group))[0]
        band = mrz_band.rectify(gray, group, fmt.shape[1])
        pitch = group[0].length / (fmt.shape[1] - 1 + 0.7)
        h, w = gray.shape[:2]
        inside = all(4 < x < w - 4 and 4 < y < h - 4 for x, y in band.quad)
        advice = (Advice.FURTHER if not inside else
                  Advice.CLOSER if pitch < _MIN_PITCH_PX else Advice.HOLD_STILL)
        quad = tuple((float(x), float(y)) for x, y in band.quad)
        return MrzSighting(quad, float(pitch), advice)

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
                    line_probabilities(self._glance, strip, fit, chars, (0.0,)).max(axis=1).mean()
                    for strip, fit in lines]))
                if glance >= _GLANCE_MIN:
                    candidates.append((glance, fmt, band, lines))
        candidates.sort(key=lambda c: c[0], reverse=True)
        furthest = Failure.GLYPHS_UNSURE
        for rank, (_, fmt, band, lines) in enumerate(candidates):
            chars = fmt.shape[1]
            probs = [line_probabilities(self._model, strip, fit, chars) for strip, fit in lines]
            decoded = decode(fmt, probs)
            if rank == 0 and isinstance(decoded, Failure) and decoded in _RECUT_AFTER:
                # Only when the cells as cut gave nothing: recut cells can
                # also pick up a neighbour's stroke, which the checks catch.
                checked = mrz.checked_cells(fmt)
                for row, (strip, fit) in enumerate(lines):
                    covered = np.array([(row, col) in checked for col in range(chars)])
                    fit, probs[row] = recut_doubtful(self._model, strip, fit, probs[row], chars,
                                                     covered)
                    lines[row] = (strip, fit)
                decoded = decode(fmt, probs)
            if not isinstance(decoded, Failure) and not (
                    unchecked_hold(self._model, fmt, lines, probs, decoded[0].lines)
                    and letters_unlike_digits(fmt, lines, decoded[0].lines)):
                decoded = Failure.GLYPHS_UNSURE
            if isinstance(decoded, Failure):
                furthest = max(furthest, decoded, key=_PROGRESS.index)
                continue
            record, confidence, weakest = decoded
            quad = tuple((float(x), float(y)) for x, y in band.quad)
            return MrzReading(record, confidence, weakest, quad)
        return furthest

    def _band_lines(self, band: mrz_band.Band, rows: int,
                    chars: int) -> list[tuple[np.ndarray, LineFit]]:
        lines = []
        for row in range(rows):
            strip, centre = mrz_band.line_strip(band, row)
            lines.append((strip, fit_line(strip, centre, chars)))
        return lines


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
