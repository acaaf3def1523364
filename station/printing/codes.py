"""The bib's machine-readable marks as plain geometry, drawn later as vector shapes.

zxing-cpp computes the patterns (the same library reads them at the counter,
and writes the confirmation and provisioning QR codes: one encoder for all);
we draw them ourselves so the same bars come out on screen, in a PDF and on
any printer, sharp at any size.
"""

from __future__ import annotations

from dataclasses import dataclass

import zxingcpp

QUIET_MODULES = 10  # Code128 needs ten blank modules on each side to scan


@dataclass(frozen=True, slots=True)
class Bars:
    """Code128 bars as (first module, width in modules) over `modules` in all."""

    bars: tuple[tuple[int, int], ...]
    modules: int


def _modules(text: str, kind: zxingcpp.BarcodeFormat, **options) -> list[list[bool]]:
    """Dark (True) modules, one entry per module, without the quiet zone."""
    image = zxingcpp.create_barcode(text, kind, **options).to_image(scale=1, add_quiet_zones=False)
    rows = memoryview(image).tolist()  # type: ignore[arg-type]
    return [[value < 128 for value in row] for row in rows]


def code128(text: str) -> Bars:
    pattern = "".join("1" if dark else "0" for dark in _modules(text, zxingcpp.BarcodeFormat.Code128)[0])
    bars = []
    start = None
    for i, module in enumerate(pattern + "0"):
        if module == "1" and start is None:
            start = i
        elif module == "0" and start is not None:
            bars.append((start, i - start))
            start = None
    return Bars(tuple(bars), len(pattern))


@dataclass(frozen=True, slots=True)
class QrModules:
    """Dark modules of a QR code as horizontal runs (row, first column, length)."""

    runs: tuple[tuple[int, int, int], ...]
    size: int  # modules per side, without the quiet zone


def qr(text: str) -> QrModules:
    matrix = _modules(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append((y, start, x - start))
            else:
                x += 1
    return QrModules(tuple(runs), len(matrix))
