"""Synthetic webcam frames of ID documents with an OCR-B MRZ.

Documents are drawn with Qt (offscreen) at 10 px/mm with a tinted, patterned
background, a photo, visual-zone text and the MRZ in Debian's OCR-B font, then
warped into a 1280x720 desk scene at small angles with perspective, blur,
noise and JPEG. "easy": the document fills the frame; "hard": held too far
from a 720p camera. Data are random but valid (check digits from
station.core.mrz).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cv2
import numpy as np

from station.core import mrz

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

OCRB = Path("/usr/share/fonts/opentype/ocr-b/OCRB.otf")
PX_PER_MM = 10.0
FRAME_W, FRAME_H = 1280, 720

# Document size (mm) and where the MRZ's first line starts (mm from the left,
# from the bottom edge to the last baseline), per ICAO 9303.
_DOC = {
    mrz.MrzFormat.TD3: (125.0, 88.0),
    mrz.MrzFormat.TD2: (105.0, 74.0),
    mrz.MrzFormat.TD1: (85.6, 54.0),
}
_FAMILY = ["ERIKSSON", "TANAKA", "OBRIEN", "SCHMIDT", "NGUYEN", "GARCIA<LOPEZ", "OHNO",
           "MUELLER", "DUPONT", "KOWALSKA", "SATO", "VAN<DER<BERG", "SILVA", "OKAFOR"]
_GIVEN = ["ANNA<MARIA", "HIROSHI", "SEAN", "KLAUS", "MINH", "JUAN<CARLOS", "YUKI", "LEA",
          "JEAN<PIERRE", "AGNIESZKA", "TARO", "PIETER", "JOAO", "CHIDI<EMEKA"]
_STATES = ["UTO", "JPN", "DEU", "FRA", "USA", "GBR", "AUS", "CAN", "NLD", "KOR", "D<<"]


@dataclass(frozen=True)
class SyntheticFrame:
    image: np.ndarray            # 1280x720 BGR
    lines: tuple[str, ...]       # the MRZ as printed
    format: mrz.MrzFormat
    corrupted: bool = False      # printed with a wrong character: must never be accepted


def random_mrz(rng: np.random.Generator, fmt: mrz.MrzFormat) -> tuple[str, ...]:
    today = dt.date(2026, 11, 21)
    birth = dt.date(1940, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365 * 65)))
    expiry = today + dt.timedelta(days=int(rng.integers(-200, 3650)))
    letters = np.array(list(mrz.LETTERS))
    digits = np.array(list(mrz.DIGITS))
    number = "".join(rng.choice(letters, int(rng.integers(0, 3)))) + "".join(
        rng.choice(digits, 7))
    number = number[:9]
    state = str(rng.choice(_STATES))
    code = {mrz.MrzFormat.TD3: "P", mrz.MrzFormat.TD2: "I", mrz.MrzFormat.TD1: "I"}[fmt]
    optional = "".join(rng.choice(digits, int(rng.integers(0, 8)))) if rng.random() < 0.5 else ""
    return mrz.compose(
        fmt, document_code=code, issuing_state=state,
        family=str(rng.choice(_FAMILY)).split("<"), given=str(rng.choice(_GIVEN)).split("<"),
        document_number=number, nationality=state, birth=birth,
        sex=str(rng.choice(["M", "F", "<"])), expiry=expiry, optional_data=optional,
    )


def corrupt(lines: tuple[str, ...], rng: np.random.Generator) -> tuple[str, ...]:
    """Change one digit the check digits cover to another, clearly different digit."""
    fmt = mrz.detect_format(lines)
    assert fmt is not None
    row = 0 if fmt is mrz.MrzFormat.TD1 and rng.random() < 0.3 else 1
    line = list(lines[row])
    spots = [i for i, c in enumerate(line) if c.isdigit()]
    if fmt is mrz.MrzFormat.TD1 and row == 0:
        spots = [i for i in spots if 5 <= i < 15]
    i = int(rng.choice(spots))
    line[i] = str((int(line[i]) + int(rng.integers(1, 9))) % 10)
    out = list(lines)
    out[row] = "".join(line)
    return tuple(out)


@cache
def _qt() -> tuple[object, str]:
    """The application object (kept alive by the cache) and the OCR-B family."""
    from PySide6.QtGui import QFontDatabase, QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([])
    font_id = QFontDatabase.addApplicationFont(str(OCRB))
    if font_id < 0:
        raise RuntimeError(f"{OCRB} missing: apt-get install fonts-ocr-b")
    return app, QFontDatabase.applicationFontFamilies(font_id)[0]


def render_document(lines: tuple[str, ...], rng: np.random.Generator) -> np.ndarray:
    fmt = mrz.detect_format(lines)
    assert fmt is not None
    w_mm, h_mm = _DOC[fmt]
    w, h = int(w_mm * PX_PER_MM), int(h_mm * PX_PER_MM)
    tint = rng.integers(200, 250, 3).astype(np.uint8)
    doc = np.empty((h, w, 3), np.uint8)
    doc[:] = tint
    mrz_top = h - (len(lines) * 4.3 + 4.5) * PX_PER_MM
    # Guilloche-like security pattern above the MRZ, then the photo.
    line_colour = tuple(int(max(0, t - 45)) for t in tint)
    xs = np.arange(0, w, 4, dtype=np.float64)
    for k in range(40):
        ys = mrz_top * (0.5 + 0.45 * np.sin(xs / (40 + k) + rng.uniform(0, 6.28)))
        pts = np.stack([xs, ys], axis=1).astype(np.int32)
        cv2.polylines(doc, [pts], False, line_colour, 1, cv2.LINE_AA)
    cv2.rectangle(doc, (int(w * 0.05), int(h * 0.18)), (int(w * 0.32), int(mrz_top - h * 0.04)),
                  (75, 80, 90), -1)
    visual = ["PASSPORT / PASSEPORT"] + [
        "".join(rng.choice(list("ABCDEFGHIJ KLMNOPRSTU 0123456789"), 18)) for _ in range(6)]
    ink = tuple(int(v) for v in rng.integers(0, 50, 3))
    _draw_text(doc, visual, lines, ink, mrz_top)
    return doc


# PySide6 6.12 on Python 3.11 drops a reference to None on every call of a
# method returning void (setPen, setFont, fill, drawLine ...); Python aborts
# when None's count reaches zero. We hold the lost references here.
_NONE_REFS: list[None] = []


def _draw_text(doc: np.ndarray, visual: list[str], lines: tuple[str, ...],
               ink: tuple[int, int, int], mrz_top: float) -> None:
    """Draw the visual zone and the MRZ (OCR-B at 10 characters per inch) onto `doc`."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter

    before = sys.getrefcount(None)
    _, family = _qt()
    h, w = doc.shape[:2]
    rgb = np.ascontiguousarray(cv2.cvtColor(doc, cv2.COLOR_BGR2RGB))
    img = QImage(rgb.data, w, h, w * 3, QImage.Format.Format_RGB888)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QColor(30, 30, 60))
    label = QFont("DejaVu Sans")
    label.setPixelSize(int(2.6 * PX_PER_MM))
    p.setFont(label)
    for i, text in enumerate(visual):
        x = w * (0.05 if i == 0 else 0.38)
        y = h * 0.12 if i == 0 else h * 0.25 + (i - 1) * 3.8 * PX_PER_MM
        p.drawText(QPointF(x, y), text)
    font = QFont(family)
    font.setPixelSize(100)
    adv = QFontMetricsF(font).horizontalAdvance("A")
    font.setPixelSize(round(100 * 2.54 * PX_PER_MM / adv))
    p.setFont(font)
    p.setPen(QColor(*ink))
    pitch = QFontMetricsF(font).horizontalAdvance("A")
    x0 = (w - pitch * len(lines[0])) / 2
    for r, text in enumerate(lines):
        baseline = h - (len(lines) - 1 - r) * 4.3 * PX_PER_MM - 4.0 * PX_PER_MM
        p.drawText(QPointF(x0, baseline), text)  # monospaced: one call per line
    p.end()
    doc[:] = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    _NONE_REFS.extend([None] * max(0, before - sys.getrefcount(None)))


def _desk(rng: np.random.Generator) -> np.ndarray:
    base = rng.integers(40, 140, 3).astype(np.float32)
    desk = np.ones((FRAME_H, FRAME_W, 3), np.float32) * base
    xs = np.arange(FRAME_W, dtype=np.float32)[None, :]
    desk += (rng.uniform(-30, 30) * xs / FRAME_W)[..., None]
    for _ in range(8):  # clutter: a keyboard edge, papers, cables
        c = tuple(int(v) for v in rng.integers(0, 255, 3))
        x, y = int(rng.integers(0, FRAME_W)), int(rng.integers(0, FRAME_H))
        cv2.rectangle(desk, (x, y), (x + int(rng.integers(20, 300)), y + int(rng.integers(5, 80))),
                      c, -1)
    return desk


def place(doc: np.ndarray, rng: np.random.Generator, hard: bool,
          tilt: float | None = None) -> np.ndarray:
    h, w = doc.shape[:2]
    target_w = rng.uniform(430, 560) if hard else rng.uniform(1000, 1200)
    scale = min(target_w / w, (FRAME_H * 0.84) / h)
    if tilt is not None:  # held at this angle: the whole document must stay in the frame
        c, s_ = abs(np.cos(np.deg2rad(tilt))), abs(np.sin(np.deg2rad(tilt)))
        scale = min(scale, 0.95 * FRAME_W / (w * c + h * s_), 0.95 * FRAME_H / (w * s_ + h * c))
    angle = np.deg2rad(rng.uniform(-7, 7) if tilt is None else tilt)
    cx = FRAME_W / 2 + (rng.uniform(-300, 300) if hard else rng.uniform(-20, 20))
    cy = FRAME_H / 2 + (rng.uniform(-150, 150) if hard else rng.uniform(-15, 15))
    corners = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]])
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    dst = (corners * scale) @ rot.T + [cx, cy]
    dst += rng.normal(0, 0.012 * target_w, dst.shape)  # perspective: corners off a little
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    m = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    desk = _desk(rng)
    warped = cv2.warpPerspective(doc.astype(np.float32), m, (FRAME_W, FRAME_H),
                                 flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones((h, w), np.float32), m, (FRAME_W, FRAME_H))
    frame = desk * (1 - mask[..., None]) + warped * mask[..., None]
    # Uneven light, blur, sensor noise, JPEG (MJPG webcams).
    xs = np.arange(FRAME_W, dtype=np.float32)[None, :]
    frame *= (1 + rng.uniform(-0.15, 0.15) * (xs / FRAME_W - 0.5))[..., None]
    sigma = rng.uniform(0.4, 1.0) if hard else rng.uniform(0.5, 1.4)
    frame = cv2.GaussianBlur(frame, (0, 0), sigma)
    frame += rng.normal(0, rng.uniform(2, 7), frame.shape)
    frame = np.clip(frame, 0, 255).astype(np.uint8)
    quality = int(rng.integers(55, 90))
    _, buf = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)


def make_frame(seed: int, *, hard: bool = False, corrupted: bool = False,
               fmt: mrz.MrzFormat | None = None, view: int = 0, tilt: float | None = None,
               turn: int = 0) -> SyntheticFrame:
    """One frame; `view` > 0 shows the same document again (another pose, noise);
    `tilt` holds it at that many degrees, `turn` quarter-turns it (2: upside down)."""
    rng = np.random.default_rng(seed)
    fmt = fmt or list(mrz.MrzFormat)[seed % 3]
    lines = random_mrz(rng, fmt)
    printed = corrupt(lines, rng) if corrupted else lines
    if view:
        rng = np.random.default_rng([seed, view])
    doc = np.ascontiguousarray(np.rot90(render_document(printed, rng), turn))
    return SyntheticFrame(place(doc, rng, hard, tilt), lines, fmt, corrupted)


def frame_sequence(seed: int, count: int = 3, **kwargs: object) -> list[SyntheticFrame]:
    """The same document in `count` consecutive frames, as a camera sees it held still-ish."""
    return [make_frame(seed, view=v + 1, **kwargs) for v in range(count)]  # type: ignore[arg-type]
