"""The MRZ glyph classifier: 37 OCR-B glyphs, a small convolutional network in NumPy.

Weights come from scripts/train_mrz_cnn.py, fitted on cells that
scripts/train_mrz_glyphs.py draws from Debian's public-domain OCR-B plus the
rounded-rectangle zero, stroke weights and widths real passports use, printed
and photographed badly. The cells are cut with `cell_patch`, so the
classifier sees exactly what the reader gives it. The same class runs the
earlier dense-only model (`glance_path`), which the reader uses for a quick
look before it spends the network's time on a band.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from station.core.mrz import ALPHABET
from station.resources import asset

CELL_W = 16
CELL_H = 24
# Cells reach this far above and below the line's ink band (fraction of its height).
CELL_MARGIN = 0.18


def model_path() -> Path:
    return asset("models", "mrz_glyphs.npz")


def glance_path() -> Path:
    """The small dense model (scripts/train_mrz_glyphs.py) the reader glances
    with before it spends the network's time on a candidate band."""
    return asset("models", "mrz_glance.npz")


def cell_patch(line: np.ndarray, cx: float, top: float, bottom: float, pitch: float) -> np.ndarray:
    """One character cell, resampled to CELL_H x CELL_W, ink bright, normalised.

    `line` is a grayscale strip with dark ink; (cx, top..bottom) is where the
    glyph is believed to be, `pitch` the character spacing.
    """
    return normalise(raw_cell(line, cx, top, bottom, pitch)[None])[0]


def raw_cell(line: np.ndarray, cx: float, top: float, bottom: float, pitch: float) -> np.ndarray:
    h = bottom - top
    y0, y1 = top - CELL_MARGIN * h, bottom + CELL_MARGIN * h
    x0, x1 = cx - pitch / 2, cx + pitch / 2
    # An affine map samples sub-pixel positions without rounding the cell edges.
    m = np.array(
        [[(x1 - x0) / CELL_W, 0, x0], [0, (y1 - y0) / CELL_H, y0]], dtype=np.float64
    )
    return cv2.warpAffine(
        line, m, (CELL_W, CELL_H), flags=cv2.INTER_AREA | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_REPLICATE,
    )


def normalise(patches: np.ndarray) -> np.ndarray:
    """Cells (n, CELL_H, CELL_W) as the model wants them: ink bright, zero mean, unit-ish std."""
    p = 255.0 - patches.astype(np.float32)
    p -= p.mean(axis=(1, 2), keepdims=True)
    return p / (p.std(axis=(1, 2), keepdims=True) + 8.0)


@dataclass(frozen=True)
class GlyphModel:
    """Two 3x3 convolution layers with pooling, then two dense layers (the
    network of scripts/train_mrz_cnn.py); or, for a model file without the
    convolutions (the earlier multilayer perceptron), the dense layers alone."""
    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray
    k1: np.ndarray | None = None  # convolution kernels, rows ky, kx, channel
    c1: np.ndarray | None = None
    k2: np.ndarray | None = None
    c2: np.ndarray | None = None
    _dense_in: np.ndarray = field(init=False, repr=False, compare=False)

    @classmethod
    def load(cls, path: Path | None = None) -> GlyphModel:
        with np.load(path or model_path()) as data:
            if str(data["alphabet"]) != ALPHABET:
                raise ValueError("glyph model was trained for another alphabet")
            names = ("w1", "b1", "w2", "b2") + (("k1", "c1", "k2", "c2") if "k1" in data else ())
            return cls(*(data[k].astype(np.float32) for k in names))

    def __post_init__(self) -> None:
        # The trainer flattens its feature maps channel first; ours are channel
        # last: reorder the dense weights once, here.
        w1 = self.w1
        if self.k2 is not None:
            c2, h, w = self.k2.shape[1], CELL_H // 4, CELL_W // 4
            w1 = np.ascontiguousarray(
                self.w1.reshape(c2, h, w, -1).transpose(1, 2, 0, 3).reshape(c2 * h * w, -1))
        object.__setattr__(self, "_dense_in", w1)

    @property
    def shifts(self) -> tuple[float, ...]:
        """Where the reader cuts each cell, in pitches off its centre, to average.

        The dense layers alone see a glyph a pixel off as another picture, so
        their answers are averaged over three cuts; the convolutions see
        strokes wherever they fall, and averaging only blurs their certainty
        (measured on the real pictures: a third fewer sure glyphs with it).
        """
        return (0.0,) if self.k1 is not None else (-0.1, 0.0, 0.1)

    def logits(self, patches: np.ndarray) -> np.ndarray:
        # NumPy's matmul on one BLAS thread (station/__init__.py): cv2.gemm took
        # 2.7 ms where it takes 0.1 ms for the network's 88-cell dense layer.
        x = np.ascontiguousarray(patches, dtype=np.float32)
        if self.k1 is not None:
            assert self.c1 is not None and self.k2 is not None and self.c2 is not None
            x = _conv3x3_pool(x[..., None], self.k1, self.c1)
            x = _conv3x3_pool(x, self.k2, self.c2)
        x = np.ascontiguousarray(x.reshape(len(x), -1))
        h = np.maximum(x @ self._dense_in + self.b1, 0.0)
        return h @ self.w2 + self.b2

    def probabilities(self, patches: np.ndarray) -> np.ndarray:
        z = self.logits(patches)
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


def _conv3x3_pool(x: np.ndarray, kernels: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """Same-size 3x3 convolution of (n, h, w, c) cells as one matrix product, then
    2x2 max pooling, bias and ReLU (which commute with the max, so they run on
    a quarter of the values)."""
    n, h, w, c = x.shape
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    # Patch rows in the kernels' order: ky, kx, channel.
    cols = np.concatenate([padded[:, dy:dy + h, dx:dx + w] for dy in range(3) for dx in range(3)],
                          axis=3).reshape(n * h * w, 9 * c)
    out = (cols @ kernels).reshape(n, h, w, -1)
    out = np.maximum(out[:, 0::2], out[:, 1::2])
    out = np.maximum(out[:, :, 0::2], out[:, :, 1::2])
    return np.maximum(out + bias, 0.0)


def alphabet_mask(allowed: str) -> np.ndarray:
    return np.array([c in allowed for c in ALPHABET], dtype=bool)
