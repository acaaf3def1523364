"""The bib's machine-readable marks as plain geometry, drawn later as vector shapes.

python-barcode and qrcode compute the patterns; we draw them ourselves so the
same bars come out on screen, in a PDF and on any printer, sharp at any size.
"""

from __future__ import annotations

from dataclasses import dataclass

import qrcode
from barcode import Code128
from qrcode.constants import ERROR_CORRECT_M

QUIET_MODULES = 10  # Code128 needs ten blank modules on each side to scan


@dataclass(frozen=True, slots=True)
class Bars:
    """Code128 bars as (first module, width in modules) over `modules` in all."""

    bars: tuple[tuple[int, int], ...]
    modules: int


def code128(text: str) -> Bars:
    pattern = Code128(text).build()[0]
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
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
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
