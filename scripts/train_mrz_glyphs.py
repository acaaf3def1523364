"""Draw the MRZ glyph cells from OCR-B cuts we draw ourselves, and train the
reader's quick-look model (a small dense network) on them.

    apt-get install fonts-ocr-b
    # the quick-look model (assets/models/mrz_glance.npz), NumPy only:
    PYTHONPATH=. nice -n 10 .venv/bin/python scripts/train_mrz_glyphs.py --out assets/models/mrz_glance.npz
    # the cells for the convolutional network (scripts/train_mrz_cnn.py trains it):
    PYTHONPATH=. nice -n 10 .venv/bin/python scripts/train_mrz_glyphs.py --lines 1200 --cells cells.npz

Deterministic (one seed; up to BLAS summation order), about 2 minutes on a
quiet two-core machine (15 on a loaded one). Lines of random MRZ characters
are drawn with Qt in several cuts of OCR-B (`Cut`): Debian's public-domain
font as it is, and with the rounded-rectangle zero real passports print,
other stroke weights and glyph widths. They are printed and photographed
badly (`degrade`): ink bleed, security-print guilloche behind the text,
lamination glare, moire, stroke weight, vertical stretch, rotation, 5.5-30 px
capitals, blur, noise, JPEG; then
straightened onto the reader's 24 px pitch and cut into cells with the
reader's own `cell_patch`, jittered by the errors the band finder makes.
No third-party weights, no real pictures.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from station.core.mrz import ALPHABET
from station.scan import mrz_band
from station.scan.mrz_glyphs import CELL_H, CELL_W, cell_patch

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DEFAULT_FONT = Path("/usr/share/fonts/opentype/ocr-b/OCRB.otf")
RENDER_PX = 48
LINE_LEN = 44
SEED = 9303
_NONE_REFS: list[None] = []


@dataclass(frozen=True)
class Cut:
    """One cut of OCR-B, as a passport printer might set it.

    Debian's font is one cut; real passports print the zero as a rounded
    rectangle (straight sides, tight corners) rather than the font's oval,
    with other stroke weights and glyph widths. We draw those ourselves.
    """
    rounded_zero: bool = False
    zero_width: float = 0.68     # of the pitch
    zero_radius: float = 0.35    # of the zero's width
    weight: float = 0.0          # px at RENDER_PX added (+) or taken (-) round every stroke
    width: float = 1.0           # horizontal scale of the glyphs (the pitch stays)


def random_cut(rng: np.random.Generator) -> Cut:
    if rng.random() < 0.15:
        return Cut()
    return Cut(
        rounded_zero=bool(rng.random() < 0.85),
        zero_width=float(rng.uniform(0.58, 0.74)),
        zero_radius=float(rng.uniform(0.28, 0.5)),
        weight=float(rng.uniform(-1.8, 2.6)),
        width=float(rng.uniform(0.84, 1.08)),
    )


def render_lines(font_path: Path, texts: list[str],
                 cuts: list[Cut] | None = None) -> tuple[list[np.ndarray], dict[str, float]]:
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import (
        QBrush,
        QColor,
        QFont,
        QFontDatabase,
        QFontMetricsF,
        QGuiApplication,
        QImage,
        QPainter,
        QPainterPath,
        QPen,
        QTransform,
    )

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - fonts need it
    font_id = QFontDatabase.addApplicationFont(str(font_path))
    if font_id < 0:
        raise SystemExit(f"cannot load font {font_path}")
    font = QFont(QFontDatabase.applicationFontFamilies(font_id)[0])
    font.setPixelSize(RENDER_PX)
    metrics = QFontMetricsF(font)
    pitch = metrics.horizontalAdvance("A")
    cap = metrics.tightBoundingRect("E").height()
    zero_box = metrics.tightBoundingRect("0")
    # The font's stroke: the left bar of H at mid height.
    stroke = 0.115 * RENDER_PX
    margin = 2 * pitch
    width = int(margin * 2 + pitch * LINE_LEN)
    height = int(RENDER_PX * 3)
    baseline = RENDER_PX * 1.8
    images = []
    before = sys.getrefcount(None)
    for n, text in enumerate(texts):
        cut = cuts[n] if cuts else Cut()
        img = QImage(width, height, QImage.Format.Format_Grayscale8)
        img.fill(QColor(255, 255, 255))
        painter = QPainter(img)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        ink = QPainterPath()
        for i, ch in enumerate(text):
            x = margin + i * pitch
            glyph = QPainterPath()
            if ch == "0" and cut.rounded_zero:
                w = cut.zero_width * pitch
                left = x + (pitch - w) / 2
                top = baseline + zero_box.y()
                h = zero_box.height()
                r = cut.zero_radius * w
                glyph.addRoundedRect(QRectF(left, top, w, h), r, r)
                inner = QRectF(left + stroke, top + stroke, w - 2 * stroke, h - 2 * stroke)
                ri = max(r - stroke, 0.5)
                glyph.addRoundedRect(inner, ri, ri)
                glyph.setFillRule(Qt.FillRule.OddEvenFill)
            else:
                glyph.addText(x, baseline, font, ch)
                centre = x + pitch / 2
                glyph = QTransform().translate(centre, 0).scale(cut.width, 1.0) \
                    .translate(-centre, 0).map(glyph)
            ink.addPath(glyph)
        painter.fillPath(ink, QBrush(QColor(0, 0, 0)))
        if abs(cut.weight) > 0.2:
            colour = QColor(0, 0, 0) if cut.weight > 0 else QColor(255, 255, 255)
            painter.strokePath(ink, QPen(colour, abs(cut.weight)))
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


def _security_print(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """A guilloche-like background at render resolution: 1 paper, < 1 ink."""
    h, w = shape
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    phase = rng.uniform(0, 2 * np.pi, 4)
    f = rng.uniform(0.02, 0.09, 4)
    wave = np.sin(f[0] * xs + 3 * np.sin(f[1] * ys + phase[0]) + phase[1]) \
        + np.sin(f[2] * ys + 2 * np.sin(f[3] * xs + phase[2]) + phase[3])
    lines = np.exp(-(wave ** 2) / rng.uniform(0.02, 0.2))
    return 1.0 - rng.uniform(0.1, 0.45) * lines


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
    if rng.random() < 0.3:
        # Ink bleed: the print spreads and its corners round off.
        soft = cv2.GaussianBlur(img, (0, 0), rng.uniform(1.0, 3.0)).astype(np.float32)
        img = np.where(soft < rng.uniform(90, 230), 0, 255).astype(np.uint8)
    background = _security_print(img.shape, rng) if rng.random() < 0.4 else None
    target_cap = rng.uniform(5.5, 30.0)
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
    if background is not None:
        img = np.minimum(img, paper * background)
    small = cv2.warpAffine(img, m, out_size, flags=cv2.INTER_AREA,
                           borderMode=cv2.BORDER_REPLICATE)
    ys, xs = np.mgrid[0:small.shape[0], 0:small.shape[1]].astype(np.float32)
    small += rng.uniform(-25, 25) * (xs / small.shape[1]) + rng.uniform(-15, 15) * (
        ys / small.shape[0])
    if rng.random() < 0.3:
        # Lamination glare: a bright patch washing part of the line out.
        gx, gy = rng.uniform(0, small.shape[1]), rng.uniform(-0.5, 1.5) * small.shape[0]
        rx, ry = rng.uniform(0.05, 0.4) * small.shape[1], rng.uniform(0.3, 1.5) * small.shape[0]
        blob = np.exp(-(((xs - gx) / rx) ** 2 + ((ys - gy) / ry) ** 2))
        small += rng.uniform(0.3, 0.8) * blob * (255 - small)
    if rng.random() < 0.25:
        # Moire: the camera's pixel grid beating with a printed screen.
        period = rng.uniform(2.2, 6.0)
        theta = rng.uniform(0, np.pi)
        small *= 1 + rng.uniform(0.05, 0.2) * np.sin(
            2 * np.pi * (xs * np.cos(theta) + ys * np.sin(theta)) / period)
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
    # Zeros are what real passports print differently: give them a larger share.
    texts = ["".join("0" if rng.random() < 0.08 else c for c in t) for t in texts]
    cuts = [random_cut(rng) for _ in texts]
    images, geo = render_lines(font, texts, cuts)
    xs, ys = [], []
    labels = np.array([[ALPHABET.index(c) for c in t] for t in texts])
    for li, img in enumerate(images):
        for _ in range(augment_per_line):
            small, centers, cap, pitch = degrade(img, geo, rng)
            # The reader straightens the band onto a 24 px pitch (bilinear) before
            # it cuts cells: do the same, so the cells look alike.
            k = mrz_band.PITCH / pitch
            small = cv2.resize(small, None, fx=k, fy=k, interpolation=cv2.INTER_LINEAR)
            centers, cap, pitch = centers * k, cap * k, pitch * k
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
    parser.add_argument("--out", type=Path, default=Path("assets/models/mrz_glance.npz"))
    parser.add_argument("--lines", type=int, default=480)
    parser.add_argument("--augment", type=int, default=8)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--epochs", type=int, default=16)
    parser.add_argument("--cells", type=Path,
                        help="only draw the training and validation cells into this .npz "
                             "(for scripts/train_mrz_cnn.py) and stop")
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
    if args.cells:
        np.savez(args.cells, x=x.astype(np.float16), y=y.astype(np.uint8),
                 xv=xv.astype(np.float16), yv=yv.astype(np.uint8))
        print(f"wrote {args.cells}")
        return
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
