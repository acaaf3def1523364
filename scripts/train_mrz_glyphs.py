"""Train the 37-glyph MRZ classifier from Debian's OCR-B font.

    apt-get install fonts-ocr-b
    .venv/bin/python scripts/train_mrz_glyphs.py [--font PATH] [--out assets/models/mrz_glyphs.npz]

Deterministic (one seed), NumPy only, about a minute on two cores. Lines of
random MRZ characters are rendered with Qt, degraded the way a webcam degrades
them (stroke weight, vertical stretch, rotation, scale down to 7-30 px
characters, blur, noise, JPEG) and cut into cells with the reader's own
`cell_patch`, jittered by the errors the band finder makes.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import cv2
import numpy as np

from station.core.mrz import ALPHABET
from station.scan.mrz_glyphs import CELL_H, CELL_W, cell_patch

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DEFAULT_FONT = Path("/usr/share/fonts/opentype/ocr-b/OCRB.otf")
RENDER_PX = 48
LINE_LEN = 44
SEED = 9303
_NONE_REFS: list[None] = []


def render_lines(font_path: Path, texts: list[str]) -> tuple[list[np.ndarray], dict[str, float]]:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetricsF, QGuiApplication, QImage, QPainter

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - fonts need it
    font_id = QFontDatabase.addApplicationFont(str(font_path))
    if font_id < 0:
        raise SystemExit(f"cannot load font {font_path}")
    font = QFont(QFontDatabase.applicationFontFamilies(font_id)[0])
    font.setPixelSize(RENDER_PX)
    metrics = QFontMetricsF(font)
    pitch = metrics.horizontalAdvance("A")
    cap = metrics.tightBoundingRect("E").height()
    margin = 2 * pitch
    width = int(margin * 2 + pitch * LINE_LEN)
    height = int(RENDER_PX * 3)
    baseline = RENDER_PX * 1.8
    images = []
    before = sys.getrefcount(None)
    for text in texts:
        img = QImage(width, height, QImage.Format.Format_Grayscale8)
        img.fill(QColor(255, 255, 255))
        painter = QPainter(img)
        painter.setFont(font)
        painter.setPen(QColor(0, 0, 0))
        for i, ch in enumerate(text):
            painter.drawText(QPointF(margin + i * pitch, baseline), ch)
        painter.end()
        ptr = img.constBits()
        arr = np.frombuffer(ptr, dtype=np.uint8).reshape(height, img.bytesPerLine())[:, :width]
        images.append(arr.copy())
    # PySide6 6.12 on Python 3.11 drops a reference to None on every call of a
    # void method (fill, setFont, setPen ...); hold the lost ones so Python
    # does not abort when None's count reaches zero.
    _NONE_REFS.extend([None] * max(0, before - sys.getrefcount(None)))
    geometry = {"pitch": pitch, "cap": cap, "margin": margin, "baseline": baseline}
    return images, geometry


def degrade(
    img: np.ndarray, geo: dict[str, float], rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, float, float]:
    """A webcam-like copy of one rendered line, plus where its cells now are."""
    n = LINE_LEN
    centers = np.stack(
        [geo["margin"] + (np.arange(n) + 0.5) * geo["pitch"],
         np.full(n, geo["baseline"] - geo["cap"] / 2)], axis=1)
    # Stroke weight: ink is dark, so erode thickens and dilate thins.
    k = int(rng.integers(0, 5))
    if k == 1:
        img = cv2.erode(img, np.ones((3, 3), np.uint8))
    elif k == 2:
        img = cv2.dilate(img, np.ones((2, 2), np.uint8))
    elif k == 3:
        img = cv2.erode(img, np.ones((2, 2), np.uint8))
    target_cap = rng.uniform(7.0, 30.0)
    scale = target_cap / geo["cap"]
    stretch = rng.uniform(0.88, 1.18)
    angle = rng.uniform(-1.5, 1.5)
    h, w = img.shape
    centre = (w / 2, h / 2)
    rot = cv2.getRotationMatrix2D(centre, angle, 1.0)
    sm = np.array([[scale, 0, 0], [0, scale * stretch, 0]])
    m = sm @ np.vstack([rot, [0, 0, 1]])
    out_size = (int(w * scale) + 1, int(h * scale * stretch) + 1)
    img = img.astype(np.float32)
    paper, ink = rng.uniform(150, 255), rng.uniform(0, 110)
    img = ink + (paper - ink) * img / 255.0
    small = cv2.warpAffine(img, m, out_size, flags=cv2.INTER_AREA,
                           borderMode=cv2.BORDER_REPLICATE)
    ys, xs = np.mgrid[0:small.shape[0], 0:small.shape[1]].astype(np.float32)
    small += rng.uniform(-25, 25) * (xs / small.shape[1]) + rng.uniform(-15, 15) * (
        ys / small.shape[0])
    sigma = rng.uniform(0.0, 1.3)
    if sigma > 0.3:
        small = cv2.GaussianBlur(small, (0, 0), sigma)
    small += rng.normal(0, rng.uniform(0, 12), small.shape)
    small = np.clip(small, 0, 255).astype(np.uint8)
    quality = int(rng.integers(30, 96))
    _, buf = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, quality])
    small = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
    moved = np.hstack([centers, np.ones((n, 1))]) @ m.T
    cap = geo["cap"] * scale * stretch
    pitch = geo["pitch"] * scale
    return small, moved, cap, pitch


def make_set(
    font: Path, lines: int, augment_per_line: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    texts = ["".join(rng.choice(list(ALPHABET), LINE_LEN)) for _ in range(lines)]
    images, geo = render_lines(font, texts)
    xs, ys = [], []
    labels = np.array([[ALPHABET.index(c) for c in t] for t in texts])
    for li, img in enumerate(images):
        for _ in range(augment_per_line):
            small, centers, cap, pitch = degrade(img, geo, rng)
            for i, (cx, cy) in enumerate(centers):
                # The band finder's errors: position, height and pitch.
                jx = np.clip(rng.normal(0, 0.09), -0.28, 0.28) * pitch
                jh = cap * rng.uniform(0.92, 1.1)
                jy = np.clip(rng.normal(0, 0.05), -0.12, 0.12) * cap
                jp = pitch * rng.uniform(0.92, 1.08)
                xs.append(cell_patch(small, cx + jx, cy + jy - jh / 2, cy + jy + jh / 2, jp))
                ys.append(labels[li, i])
    return np.stack(xs).astype(np.float32), np.array(ys, dtype=np.int64)


def train(x: np.ndarray, y: np.ndarray, rng: np.random.Generator, hidden: int, epochs: int):
    n, d = x.shape[0], CELL_W * CELL_H
    x = x.reshape(n, d)
    k = len(ALPHABET)
    w1 = rng.normal(0, np.sqrt(2 / d), (d, hidden)).astype(np.float32)
    b1 = np.zeros(hidden, np.float32)
    w2 = rng.normal(0, np.sqrt(2 / hidden), (hidden, k)).astype(np.float32)
    b2 = np.zeros(k, np.float32)
    params = [w1, b1, w2, b2]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    lr, beta1, beta2, step, batch = 2e-3, 0.9, 0.999, 0, 256
    for epoch in range(epochs):
        order = rng.permutation(n)
        if epoch == epochs - 3:
            lr /= 4
        total = 0.0
        for s in range(0, n, batch):
            idx = order[s:s + batch]
            xb, yb = x[idx], y[idx]
            h_pre = xb @ w1 + b1
            h = np.maximum(h_pre, 0)
            z = h @ w2 + b2
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            total += -np.log(p[np.arange(len(yb)), yb] + 1e-9).sum()
            p[np.arange(len(yb)), yb] -= 1
            p /= len(yb)
            gw2 = h.T @ p + 1e-4 * w2
            gb2 = p.sum(0)
            dh = (p @ w2.T) * (h_pre > 0)
            gw1 = xb.T @ dh + 1e-4 * w1
            gb1 = dh.sum(0)
            step += 1
            for i, g in enumerate((gw1, gb1, gw2, gb2)):
                m[i] = beta1 * m[i] + (1 - beta1) * g
                v[i] = beta2 * v[i] + (1 - beta2) * g * g
                mh = m[i] / (1 - beta1**step)
                vh = v[i] / (1 - beta2**step)
                params[i] -= lr * mh / (np.sqrt(vh) + 1e-8)
        print(f"epoch {epoch + 1}/{epochs} loss {total / n:.4f}", flush=True)
    return params


def accuracy(params, x: np.ndarray, y: np.ndarray) -> float:
    w1, b1, w2, b2 = params
    h = np.maximum(x.reshape(len(x), -1) @ w1 + b1, 0)
    return float(((h @ w2 + b2).argmax(1) == y).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--font", type=Path, default=DEFAULT_FONT)
    parser.add_argument("--extra-font", type=Path, action="append", default=[],
                        help="more OCR-B cuts to share the training lines with")
    parser.add_argument("--out", type=Path, default=Path("assets/models/mrz_glyphs.npz"))
    parser.add_argument("--lines", type=int, default=300)
    parser.add_argument("--augment", type=int, default=8)
    parser.add_argument("--hidden", type=int, default=160)
    parser.add_argument("--epochs", type=int, default=12)
    args = parser.parse_args()
    if not args.font.exists():
        raise SystemExit(f"{args.font} not found: apt-get install fonts-ocr-b")
    cv2.setRNGSeed(SEED)
    rng = np.random.default_rng(SEED)
    started = time.perf_counter()
    fonts = [args.font, *args.extra_font]
    parts = [make_set(f, args.lines // len(fonts), args.augment, rng) for f in fonts]
    x = np.concatenate([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    xv, yv = make_set(args.font, 40, 4, np.random.default_rng(SEED + 1))
    print(f"{len(x)} training cells, {len(xv)} validation cells "
          f"({time.perf_counter() - started:.1f} s)", flush=True)
    params = train(x, y, rng, args.hidden, args.epochs)
    print(f"train accuracy {accuracy(params, x, y):.4f}, "
          f"validation accuracy {accuracy(params, xv, yv):.4f}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    w1, b1, w2, b2 = params
    np.savez_compressed(
        args.out, alphabet=np.array(ALPHABET), cell=np.array([CELL_H, CELL_W]),
        w1=w1.astype(np.float16), b1=b1, w2=w2.astype(np.float16), b2=b2,
    )
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB) "
          f"in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
