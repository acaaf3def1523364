"""QR codes in a camera frame, read as bytes with zxing-cpp.

Bytes, not text: Japanese registration systems write Shift_JIS payloads, and
OpenCV's text-returning QR calls raise on them; the confirmation parser
decides what the bytes mean.

zxing-cpp reads most frames on the first pass in a few milliseconds. When it
locates a code but cannot read it (too small, blurred, washed out), we retry
on an enlarged crop of that code with sharpening, local contrast or
smoothing. When it located nothing at all, it looks again at half size and
with its global binarizer (glare and print noise fool the local one; a code
filling the frame outgrows its window). Measured in bench/bench_qr.py on
synthetic frames and on zxing-cpp's own sample photos.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp

Point = tuple[int, int]


@dataclass(frozen=True, slots=True)
class FoundCode:
    payload: bytes
    corners: tuple[Point, Point, Point, Point]  # top-left, top-right, bottom-right, bottom-left


def gray(frame: np.ndarray) -> np.ndarray:
    if frame.ndim == 2:
        return frame
    if frame.ndim == 3 and frame.shape[2] == 1:
        return frame[:, :, 0]
    if frame.ndim == 3 and frame.shape[2] == 4:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2GRAY)
    return cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)


def read_codes(
    image: np.ndarray, *, binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage
) -> tuple[FoundCode, ...]:
    """One zxing-cpp pass over a gray or BGR picture."""
    return tuple(_found(b) for b in _zxing(image, binarizer, errors=False) if b.valid)


def _zxing(image: np.ndarray, binarizer: zxingcpp.Binarizer, *, errors: bool) -> list:
    return zxingcpp.read_barcodes(
        np.ascontiguousarray(image),
        formats=zxingcpp.BarcodeFormat.QRCode,
        try_rotate=True,
        try_downscale=True,
        try_invert=True,  # some phone apps show light modules on dark
        binarizer=binarizer,
        return_errors=errors,
    )


def _corners(barcode: zxingcpp.Barcode) -> np.ndarray:
    p = barcode.position
    return np.array(
        [(c.x, c.y) for c in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)], np.float64
    )


def _found(barcode: zxingcpp.Barcode, scale: float = 1.0, offset=(0, 0)) -> FoundCode:
    points = _corners(barcode) / scale + np.array(offset)
    corners = tuple((round(x), round(y)) for x, y in points)
    return FoundCode(bytes(barcode.bytes), corners)  # type: ignore[arg-type]


_CLAHE = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(4, 4))


def _sharpen(image: np.ndarray) -> np.ndarray:
    soft = cv2.GaussianBlur(image, (0, 0), 2.0)
    return cv2.addWeighted(image, 2.0, soft, -1.0, 0)


def _smooth(image: np.ndarray) -> np.ndarray:
    return cv2.GaussianBlur(image, (0, 0), 1.5)


# Tried in order on the crop around a code zxing located but could not read.
RETRIES: tuple[tuple[Callable[[np.ndarray], np.ndarray], zxingcpp.Binarizer], ...] = tuple(
    (prepare, binarizer)
    for prepare in (lambda z: z, _sharpen, _CLAHE.apply, _smooth)
    for binarizer in (zxingcpp.Binarizer.LocalAverage, zxingcpp.Binarizer.GlobalHistogram)
)
CROP_PX = 400  # a located code's crop is enlarged to about this size


class QrReader:
    """Our pipeline: one zxing-cpp pass over the frame; where it located a code
    but could not read it, retries on an enlarged crop of just that code.

    A frame with nothing in it (most frames at a counter) costs one full pass
    and the fallback's three cheaper ones.
    """

    def __init__(self, *, retries: bool = True, fallback: bool = True) -> None:
        self.retries = retries
        self.fallback = fallback

    def __call__(self, frame: np.ndarray) -> tuple[FoundCode, ...]:
        picture = gray(frame)
        seen = _zxing(picture, zxingcpp.Binarizer.LocalAverage, errors=self.retries)
        found = tuple(_found(b) for b in seen if b.valid)
        if found or not self.retries:
            return found
        for barcode in seen[:3]:
            found = self._retry(picture, barcode)
            if found:
                return found
        if not seen and self.fallback:
            return self._fallback(picture)
        return ()

    def _fallback(self, picture: np.ndarray) -> tuple[FoundCode, ...]:
        """Nothing located at all: look again where zxing's finder was fooled
        (glare, print noise, a code too big for its window), cheapest first."""
        half = cv2.resize(picture, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
        for image, scale, binarizer in (
            (half, 0.5, zxingcpp.Binarizer.LocalAverage),
            (half, 0.5, zxingcpp.Binarizer.GlobalHistogram),
            (picture, 1.0, zxingcpp.Binarizer.GlobalHistogram),
        ):
            found = [b for b in _zxing(image, binarizer, errors=False) if b.valid]
            if found:
                return tuple(_found(b, scale) for b in found)
        return ()

    def _retry(self, picture: np.ndarray, barcode: zxingcpp.Barcode) -> tuple[FoundCode, ...]:
        points = _corners(barcode)
        (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
        margin = 0.35 * max(x1 - x0, y1 - y0) + 10
        height, width = picture.shape[:2]
        left, top = int(max(0, x0 - margin)), int(max(0, y0 - margin))
        right, bottom = int(min(width, x1 + margin)), int(min(height, y1 + margin))
        crop = picture[top:bottom, left:right]
        if crop.size == 0:
            return ()
        scale = max(1.0, CROP_PX / max(crop.shape))
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        for prepare, binarizer in RETRIES:
            found = [b for b in _zxing(prepare(crop), binarizer, errors=False) if b.valid]
            if found:
                return tuple(_found(b, scale, (left, top)) for b in found)
        return ()
