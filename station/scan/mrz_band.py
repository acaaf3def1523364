"""Find the MRZ in a webcam frame and straighten it, from the text lines themselves.

An MRZ is two or three long, parallel, equally long lines of equally spaced
glyphs near the bottom of a document; nothing else on a card looks like that.
We find candidate text lines (blackhat + horizontal closing), group the
parallel equal-length ones, and map the group's end points onto a canonical
grid with a perspective transform, so each line becomes a straight strip
with a known character pitch.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from station.core.mrz import MrzFormat

PITCH = 24.0        # canonical character pitch after rectification (px)
LINE_STEP = 40.0    # canonical distance between baselines (px): ~4.2 mm at 2.54 mm pitch
# OCR-B ink starts ~0.15 of a pitch into the first cell and ends ~0.86 into the last.
_INK_LEFT, _INK_RIGHT = 0.15, 0.86


@dataclass(frozen=True)
class TextLine:
    centre: np.ndarray     # (x, y) in frame pixels
    direction: np.ndarray  # unit vector along the line
    left: np.ndarray       # end points on the centre line
    right: np.ndarray
    height: float

    @property
    def length(self) -> float:
        return float(np.linalg.norm(self.right - self.left))


@dataclass(frozen=True)
class Band:
    """A rectified MRZ candidate: `image` holds `rows` straight lines."""
    image: np.ndarray               # grayscale, canonical geometry
    rows: int
    chars: int
    quad: np.ndarray                # the band's corners in the frame (for the overlay)


def _line_mask(gray: np.ndarray) -> np.ndarray:
    # Blackhat keeps thin dark strokes and drops photos and shadows.
    blackhat = cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT,
                                cv2.getStructuringElement(cv2.MORPH_RECT, (11, 11)))
    level, _ = cv2.threshold(blackhat, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    _, mask = cv2.threshold(blackhat, max(level, 28), 255, cv2.THRESH_BINARY)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE,
                            cv2.getStructuringElement(cv2.MORPH_RECT, (13, 1)))
    # Thin curves (guilloche, cables) go; text bars at least 5 px tall stay.
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN,
                            cv2.getStructuringElement(cv2.MORPH_RECT, (3, 5)))


def find_text_lines(gray: np.ndarray, scale: float = 1.0,
                    min_length: float = 120.0) -> list[TextLine]:
    """Long text lines, found at `scale` (the closing bridges gaps of a fixed size,
    so large print is looked for on a reduced copy); coordinates in `gray`."""
    small = gray if scale == 1.0 else cv2.resize(gray, None, fx=scale, fy=scale,
                                                   interpolation=cv2.INTER_AREA)
    found = _find_lines(small, min_length * scale)
    if scale == 1.0:
        return found
    k = 1.0 / scale
    return [TextLine(t.centre * k, t.direction, t.left * k, t.right * k, t.height * k)
            for t in found]


def _find_lines(gray: np.ndarray, min_length: float) -> list[TextLine]:
    pieces = sorted(_pieces(gray), key=lambda t: t.left[0])
    lines = [
        t for t in _join_collinear(pieces)
        if t.length >= min_length and t.length / max(t.height, 1.0) >= 20
    ]
    return lines


def _pieces(gray: np.ndarray) -> list[TextLine]:
    """Bar-shaped components of the text mask: whole lines or pieces of them."""
    mask = _line_mask(gray)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    pieces = []
    for label in range(1, count):
        x, y, w, h, area = stats[label]
        if max(w, h) < 20 or area < 60:
            continue
        ys, xs = np.nonzero(labels[y:y + h, x:x + w] == label)
        pts = np.stack([xs + x, ys + y], axis=1).astype(np.float32)
        vx, vy, cx, cy = cv2.fitLine(pts, cv2.DIST_L2, 0, 0.01, 0.01).ravel()
        d = np.array([vx, vy], np.float64)
        if d[0] < 0:
            d = -d
        if abs(d[1]) > 0.55:  # more than ~33 degrees: not a document held at the counter
            continue
        c = np.array([cx, cy], np.float64)
        rel = pts - c
        along = rel @ d
        across = rel @ np.array([-d[1], d[0]])
        lo, hi = float(along.min()), float(along.max())
        length = hi - lo
        thick = area / max(length, 1.0)  # mean height of a bar
        spread = float(np.abs(across).max())
        if thick < 3.5 or length < 2.5 * thick or spread > 1.2 * thick:
            continue  # too thin, too short, or not bar-shaped (two lines fused, a blob)
        pieces.append(TextLine(c, d, c + lo * d, c + hi * d, thick))
    return pieces


def _join_collinear(pieces: list[TextLine]) -> list[TextLine]:
    """Join pieces of one text line broken at wide gaps (narrow glyphs, word gaps).

    A short piece that joins nothing is dropped: its fitted direction is
    unreliable, and as a chain of its own it would block the real line.
    """
    chains: list[TextLine] = []
    for piece in pieces:
        for i, chain in enumerate(chains):
            d = chain.direction if chain.length > piece.length else piece.direction
            normal = np.array([-d[1], d[0]])
            gap = float((piece.left - chain.right) @ d)
            h = max(chain.height, piece.height)
            drift = abs(float((piece.centre - chain.centre) @ normal))
            if -0.5 * h < gap < 3.0 * h and drift < 0.4 * h and \
                    abs(piece.height - chain.height) < 0.5 * h:
                left, right = chain.left, piece.right
                axis = (right - left) / np.linalg.norm(right - left)
                weight = chain.length / (chain.length + piece.length)
                height = weight * chain.height + (1 - weight) * piece.height
                chains[i] = TextLine((left + right) / 2, axis, left, right, height)
                break
        else:
            if piece.length >= 5 * piece.height:
                chains.append(piece)
    return chains


def _offset(a: TextLine, b: TextLine) -> float:
    """Signed distance of b's centre from a's line, downwards positive."""
    normal = np.array([-a.direction[1], a.direction[0]])
    return float((b.centre - a.centre) @ normal)


def group_lines(lines: list[TextLine]) -> list[list[TextLine]]:
    """Groups of 2-3 parallel, equally long, evenly spaced lines, best first."""
    groups = []
    for a in lines:
        members = [a]
        for b in lines:
            if b is a:
                continue
            if abs(b.length - a.length) > 0.12 * a.length:
                continue
            if float(a.direction @ b.direction) < 0.995:
                continue
            h = max(a.height, b.height)
            off = _offset(a, b)
            along = float((b.left - a.left) @ a.direction)
            if 0 < off < 5.0 * h and abs(along) < 2.0 * h:
                members.append(b)
        members.sort(key=lambda t: _offset(a, t))
        # Keep an evenly spaced chain starting at a.
        chain = [members[0]]
        for m in members[1:]:
            if len(chain) == 3:
                break
            step = _offset(chain[-1], m)
            if step > 1.2 * chain[-1].height:
                chain.append(m)
        if len(chain) >= 2:
            groups.append(chain)
    # Three-line groups are the most specific; then longer lines first.
    groups.sort(key=lambda g: (len(g), g[0].length), reverse=True)
    return groups


def formats_for(rows: int) -> tuple[MrzFormat, ...]:
    return (MrzFormat.TD1,) if rows == 3 else (MrzFormat.TD3, MrzFormat.TD2)


def rectify(gray: np.ndarray, group: list[TextLine], chars: int) -> Band:
    """Warp the group onto the canonical grid for lines of `chars` characters."""
    rows = len(group)
    # All lines of an MRZ start and end at the same columns, but a narrow first
    # or last glyph (1, I) makes one line look shorter: use the outermost ends.
    d = group[0].direction
    lo = min(float(t.left @ d) for t in group)
    hi = max(float(t.right @ d) for t in group)
    ends = [(t.left + (lo - float(t.left @ d)) * t.direction,
             t.right + (hi - float(t.right @ d)) * t.direction) for t in group]
    (first_left, first_right), (last_left, last_right) = ends[0], ends[-1]
    margin = 1.0 * PITCH
    top = 0.8 * LINE_STEP
    xl = margin + _INK_LEFT * PITCH
    xr = margin + (chars - 1 + _INK_RIGHT) * PITCH
    y_first, y_last = top, top + (rows - 1) * LINE_STEP
    src = np.array([first_left, first_right, last_right, last_left], np.float32)
    dst = np.array([[xl, y_first], [xr, y_first], [xr, y_last], [xl, y_last]], np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    width = int(2 * margin + chars * PITCH)
    height = int(2 * top + (rows - 1) * LINE_STEP)
    image = cv2.warpPerspective(gray, m, (width, height), flags=cv2.INTER_LINEAR,
                                borderMode=cv2.BORDER_REPLICATE)
    corners = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    quad = cv2.perspectiveTransform(corners[None], np.linalg.inv(m))[0]
    return Band(image, rows, chars, quad)


def line_strip(band: Band, row: int) -> tuple[np.ndarray, float]:
    """One line of the band and the y of its centre within the strip."""
    top = 0.8 * LINE_STEP + row * LINE_STEP
    y0 = int(max(0, top - 0.6 * LINE_STEP))
    y1 = int(min(band.image.shape[0], top + 0.6 * LINE_STEP))
    return band.image[y0:y1], top - y0
