"""The MRZ glyph classifier: 37 OCR-B glyphs, one small MLP in NumPy.

Weights come from scripts/train_mrz_glyphs.py (trained on cuts of OCR-B drawn
from Debian's public-domain font plus the rounded-rectangle zero, stroke
weights and widths real passports use). The training script cuts its cells
with `cell_patch` so the classifier sees exactly what the reader gives it.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray

    @classmethod
    def load(cls, path: Path | None = None) -> GlyphModel:
        with np.load(path or model_path()) as data:
            if str(data["alphabet"]) != ALPHABET:
                raise ValueError("glyph model was trained for another alphabet")
            return cls(*(data[k].astype(np.float32) for k in ("w1", "b1", "w2", "b2")))

    def logits(self, patches: np.ndarray) -> np.ndarray:
        # cv2.gemm, not NumPy's matmul: a multi-threaded BLAS spins for tens of
        # milliseconds on a busy two-core counter PC for this tiny product.
        x = np.ascontiguousarray(patches.reshape(len(patches), -1), dtype=np.float32)
        h = np.maximum(cv2.gemm(x, self.w1, 1.0, None, 0.0) + self.b1, 0.0)
        return cv2.gemm(h, self.w2, 1.0, None, 0.0) + self.b2

    def probabilities(self, patches: np.ndarray) -> np.ndarray:
        z = self.logits(patches)
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


def alphabet_mask(allowed: str) -> np.ndarray:
    return np.array([c in allowed for c in ALPHABET], dtype=bool)
