"""Synthetic camera frames: a confirmation's QR on paper or on a phone screen.

Used by the tests and by bench/bench_qr.py, so both measure the same pictures.
Every frame is 1280x720 BGR, what the counter's webcam is asked for. The
degradations are the ones a counter sees: the sheet held at an angle
(perspective), out of focus or moving (blur), a cheap sensor (noise), a glossy
sheet or phone under hall lights (glare), a dim screen (low contrast), a code
held far away (small), and a phone screen's bright-on-dark surround.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

import cv2
import numpy as np
import zxingcpp

WIDTH, HEIGHT = 1280, 720


class Condition(StrEnum):
    CLEAN = "clean"
    PERSPECTIVE = "perspective"
    BLUR = "blur"
    NOISE = "noise"
    LOW_CONTRAST = "low_contrast"
    GLARE = "glare"
    SMALL = "small"
    PHONE = "phone"


HARD = (
    Condition.PERSPECTIVE,
    Condition.BLUR,
    Condition.NOISE,
    Condition.LOW_CONTRAST,
    Condition.GLARE,
    Condition.SMALL,
    Condition.PHONE,
)


@dataclass(frozen=True, slots=True)
class SynthFrame:
    image: np.ndarray  # BGR uint8, HEIGHT x WIDTH
    payload: bytes  # what a correct decoder returns
    condition: Condition


def qr_modules(text: str | bytes) -> np.ndarray:
    """The QR's modules (0 dark, 255 light), error correction M, no quiet zone."""
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    return np.array(barcode.to_image(scale=1, add_quiet_zones=False), dtype=np.uint8)


def qr_picture(text: str | bytes, module_px: int, quiet: int = 4) -> np.ndarray:
    modules = qr_modules(text)
    modules = np.pad(modules, quiet, constant_values=255)
    return cv2.resize(modules, None, fx=module_px, fy=module_px, interpolation=cv2.INTER_NEAREST)


def frame(payload: str | bytes, condition: Condition, rng: np.random.Generator) -> SynthFrame:
    raw = payload.encode() if isinstance(payload, str) else payload
    hard = condition is not Condition.CLEAN
    image = _background(rng)
    if condition is Condition.PHONE:
        card, code_box = _phone(raw, rng)
    else:
        card, code_box = _paper(raw, rng)
    code_px = {
        Condition.SMALL: rng.uniform(58, 90),
        Condition.PHONE: rng.uniform(110, 200),
    }.get(condition, rng.uniform(150, 300) if hard else 260.0)
    tilt = 0.3 if condition is Condition.PERSPECTIVE else (0.08 if hard else 0.0)
    centre = _place(image, card, code_box, code_px, tilt, rng)
    if condition is Condition.BLUR:
        image = _blur(image, rng)
    elif condition is Condition.NOISE:
        image = _noise(image, rng, sigma=rng.uniform(26, 46))
    elif condition is Condition.LOW_CONTRAST:
        low, span = rng.uniform(60, 120), rng.uniform(16, 34)
        image = (low + image.astype(np.float32) * (span / 255)).astype(np.uint8)
        image = _noise(image, rng, sigma=3)
    elif condition is Condition.GLARE:
        image = _glare(image, rng, centre, code_px)
    elif hard:
        image = _noise(image, rng, sigma=6)
    if hard:
        _, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(55, 90))])
        image = cv2.imdecode(jpeg, cv2.IMREAD_COLOR)
    return SynthFrame(image, raw, condition)


def hard_set(payloads: list[str], count: int = 320, seed: int = 20270221) -> Iterator[SynthFrame]:
    """`count` frames cycling through the hard conditions, reproducible by seed."""
    rng = np.random.default_rng(seed)
    for i in range(count):
        yield frame(payloads[i % len(payloads)], HARD[i % len(HARD)], rng)


def empty_frame(rng: np.random.Generator) -> np.ndarray:
    """A counter with nobody holding anything up: what most frames are."""
    return _noise(_background(rng), rng, sigma=6)


# -- pieces ---------------------------------------------------------------------


def _background(rng: np.random.Generator) -> np.ndarray:
    base = rng.uniform(60, 170, size=3)
    row = np.clip(base[None, :] + np.linspace(-30, 30, WIDTH)[:, None], 0, 255).astype(np.uint8)
    image = np.empty((HEIGHT, WIDTH, 3), np.uint8)
    image[:] = row[None, :, :]
    for _ in range(int(rng.integers(3, 8))):  # things on the counter
        x, y = int(rng.integers(0, WIDTH)), int(rng.integers(0, HEIGHT))
        w, h = int(rng.integers(40, 300)), int(rng.integers(20, 200))
        colour = tuple(int(c) for c in rng.integers(0, 255, size=3))
        cv2.rectangle(image, (x, y), (x + w, y + h), colour, -1)
    return image


def _paper(raw: bytes, rng: np.random.Generator) -> tuple[np.ndarray, tuple[int, int, int]]:
    code = qr_picture(raw, 8)
    side = code.shape[0]
    sheet = np.full((side + 260, side + 200), int(rng.integers(225, 252)), np.uint8)
    top, left = 150, 100
    sheet[top:top + side, left:left + side] = code
    for row in range(3):  # printed text above the code
        y = 30 + row * 36
        cv2.line(sheet, (40, y), (sheet.shape[1] - int(rng.integers(40, 200)), y), 40, 9)
    return cv2.cvtColor(sheet, cv2.COLOR_GRAY2BGR), (left, top, side)


def _phone(raw: bytes, rng: np.random.Generator) -> tuple[np.ndarray, tuple[int, int, int]]:
    code = qr_picture(raw, 8, quiet=2)
    side = code.shape[0]
    screen_w, screen_h = side + 60, int((side + 60) * 1.9)
    body = np.full((screen_h + 80, screen_w + 30, 3), 20, np.uint8)
    screen = np.full((screen_h, screen_w, 3), (250, 245, 240), np.uint8)
    top, left = (screen_h - side) // 2, 30
    screen[top:top + side, left:left + side] = cv2.cvtColor(code, cv2.COLOR_GRAY2BGR)
    cv2.rectangle(screen, (0, 0), (screen_w, 90), (200, 120, 40), -1)  # the app's header bar
    # A backlit screen: dark modules are never black, plus a faint pixel grid.
    screen = (40 + screen.astype(np.float32) * 0.82).astype(np.uint8)
    screen[::3, :, :] = (screen[::3, :, :] * 0.93).astype(np.uint8)
    body[40:40 + screen_h, 15:15 + screen_w] = screen
    return body, (15 + left, 40 + top, side)


def _place(image, card, code_box, code_px, tilt, rng) -> tuple[float, float]:
    """Warp the card so that its code is about `code_px` wide, at an angle, into the frame."""
    left, top, side = code_box
    scale = code_px / side
    h, w = card.shape[:2]
    cw, ch = w * scale, h * scale
    cx = rng.uniform(min(cw / 2, WIDTH / 2), max(WIDTH - cw / 2, WIDTH / 2))
    cy = rng.uniform(min(ch / 2, HEIGHT / 2), max(HEIGHT - ch / 2, HEIGHT / 2))
    # Keep the code itself inside the frame even when the card overhangs.
    code_cx, code_cy = (left + side / 2) * scale, (top + side / 2) * scale
    cx += np.clip(cx - cw / 2 + code_cx, code_px, WIDTH - code_px) - (cx - cw / 2 + code_cx)
    cy += np.clip(cy - ch / 2 + code_cy, code_px, HEIGHT - code_px) - (cy - ch / 2 + code_cy)
    angle = rng.uniform(-0.5, 0.5)
    corners = np.array([[-cw / 2, -ch / 2], [cw / 2, -ch / 2], [cw / 2, ch / 2], [-cw / 2, ch / 2]])
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    corners = corners @ rotation.T
    corners += rng.uniform(-tilt, tilt, size=(4, 2)) * np.array([cw, ch])
    corners += np.array([cx, cy])
    source = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    matrix = cv2.getPerspectiveTransform(source, corners.astype(np.float32))
    warped = cv2.warpPerspective(card, matrix, (WIDTH, HEIGHT), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), matrix, (WIDTH, HEIGHT))
    cv2.copyTo(warped, (mask > 127).astype(np.uint8), image)
    centre = cv2.perspectiveTransform(np.float32([[[left + side / 2, top + side / 2]]]), matrix)
    return float(centre[0, 0, 0]), float(centre[0, 0, 1])


def _blur(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    if rng.random() < 0.5:
        sigma = rng.uniform(1.8, 3.0)
        return cv2.GaussianBlur(image, (0, 0), sigma)
    length = int(rng.integers(9, 16))  # a hand moving the sheet
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1 / length
    centre = (length / 2 - 0.5, length / 2 - 0.5)
    rotation = cv2.getRotationMatrix2D(centre, float(rng.uniform(0, 180)), 1.0)
    kernel = cv2.warpAffine(kernel, rotation, (length, length))
    return cv2.filter2D(image, -1, kernel / max(kernel.sum(), 1e-6))


_NOISE_MARGIN = 64
_noise_field: np.ndarray | None = None


def _noise(image: np.ndarray, rng: np.random.Generator, sigma: float) -> np.ndarray:
    # Drawing 2.7 million normal samples per frame dominates the frame's cost;
    # a random window of one fixed field, scaled, looks the same to a decoder.
    global _noise_field
    if _noise_field is None:
        field = np.random.default_rng(0).standard_normal(
            (HEIGHT + _NOISE_MARGIN, WIDTH + _NOISE_MARGIN, 3), dtype=np.float32
        )
        _noise_field = field
    dy, dx = (int(v) for v in rng.integers(0, _NOISE_MARGIN, size=2))
    window = _noise_field[dy:dy + HEIGHT, dx:dx + WIDTH, : image.shape[2]]
    return cv2.add(image, window * np.float32(sigma), dtype=cv2.CV_8U)


def _glare(image, rng, centre: tuple[float, float], code_px: float) -> np.ndarray:
    """A light's reflection over part of the code."""
    cx = centre[0] + rng.uniform(-0.5, 0.5) * code_px
    cy = centre[1] + rng.uniform(-0.5, 0.5) * code_px
    rx, ry = rng.uniform(0.25, 0.5) * code_px, rng.uniform(0.2, 0.4) * code_px
    xs = np.exp(-(((np.arange(WIDTH, dtype=np.float32) - cx) / rx) ** 2))
    ys = np.exp(-(((np.arange(HEIGHT, dtype=np.float32) - cy) / ry) ** 2))
    spot = (np.outer(ys, xs) * rng.uniform(160, 240)).astype(np.uint8)
    lit = cv2.add(image, cv2.merge([spot, spot, spot]))
    return _noise(lit, rng, sigma=4)


def write_video(path, images: list[np.ndarray], fps: float = 15.0) -> None:
    """An MJPG .avi, which every OpenCV build can write and read back."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (WIDTH, HEIGHT))
    if not writer.isOpened():
        raise RuntimeError(f"OpenCV cannot write {path}")
    try:
        for image in images:
            writer.write(image)
    finally:
        writer.release()
