"""The real pictures in ../shared/data (never copied into the project).

    mrz-dev/GROUND_TRUTH.txt: `file | format | how read | document id | line / line [/ line]`
    qr-dev/qrcode-N/NAME.png (.jpg) with NAME.txt or NAME.bin: the exact payload

Used by bench/bench_mrz.py, bench/bench_qr.py and the real-picture tests,
which skip when the folder is absent. A reading of an MRZ whose print fails
the ICAO checks, of a visa, of a non-OCR-B print or of a picture without an
MRZ is a false accept.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from station.core import mrz

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
MRZ_DIR = DATA / "mrz-dev"
QR_DIR = DATA / "qr-dev"
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".bmp", ".pgm", ".pbm")


@dataclass(frozen=True)
class MrzPicture:
    path: Path
    format: str               # TD1, TD2, TD3, VISA-A, TD1-OTHERFONT, NONE ...
    document: str
    lines: tuple[str, ...]    # as printed; () without an MRZ
    valid: bool               # the print passes ICAO 9303: the only kind the station may accept

    @property
    def kind(self) -> str:
        return self.format if self.valid else "control"


@dataclass(frozen=True)
class QrPicture:
    path: Path
    payload: bytes


def mrz_pictures(root: Path = MRZ_DIR) -> list[MrzPicture]:
    out = []
    for raw in (root / "GROUND_TRUTH.txt").read_text(encoding="utf-8").splitlines():
        if not raw.strip():
            continue
        name, fmt, _how, doc, text = (part.strip() for part in raw.split("|", 4))
        lines = tuple(t.strip() for t in text.split("/")) if text != "-" else ()
        valid = fmt in ("TD1", "TD2", "TD3") and bool(lines) and mrz.parse(lines).valid
        out.append(MrzPicture(root / name, fmt, doc, lines, valid))
    return out


def qr_pictures(root: Path = QR_DIR) -> list[QrPicture]:
    out = []
    for image in sorted(root.rglob("*")):
        if image.suffix.lower() not in _IMAGE_SUFFIXES:
            continue
        for suffix in (".bin", ".txt"):
            expected = image.with_suffix(suffix)
            if expected.exists():
                out.append(QrPicture(image, expected.read_bytes()))
                break
    return out


def webcam_scale(image, document_px: int = 500):
    """The picture as a 1280x720 webcam would show it with the document about
    `document_px` wide: scaled down (never up) and centred on a desk with a
    webcam's noise and uneven light (fixed seed, so every run sees the same)."""
    import cv2
    import numpy as np

    h, w = image.shape[:2]
    k = min(1.0, document_px / w, 700 / h)
    small = cv2.resize(image, None, fx=k, fy=k, interpolation=cv2.INTER_AREA) if k < 1 else image
    rng = np.random.default_rng(720)
    xs = np.linspace(-1, 1, 1280, dtype=np.float32)[None, :]
    ys = np.linspace(-1, 1, 720, dtype=np.float32)[:, None]
    desk = 105 + 25 * xs - 15 * ys + cv2.GaussianBlur(
        rng.normal(0, 18, (720, 1280)).astype(np.float32), (0, 0), 2.0)
    desk += rng.normal(0, 3, desk.shape)
    frame = np.clip(desk, 0, 255).astype(np.uint8)
    if image.ndim == 3:
        frame = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    sh, sw = small.shape[:2]
    y, x = (720 - sh) // 2, (1280 - sw) // 2
    frame[y:y + sh, x:x + sw] = small
    return frame
