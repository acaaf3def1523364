"""The bib as ZPL II for Zebra label printers on a raw queue.

The same layout rules as the drawn bib (printing/layout.py): a 5 % margin,
the coloured header with the event name and the category, the number as
large as fits with the start block's square beside it, the escort band, the
nickname, and the footer with the Code 128 of the bib and the QR code. A
thermal printer has one colour: every coloured area is solid black with its
text reversed out (white).

The bib reads landscape. A printer whose print head is narrower than the
bib's width (a 4-inch Zebra and a 100 x 150 mm label) gets the whole bib
turned a quarter (fields rotated `R`, the label fed long side first).

Japanese text needs a Unicode TrueType font on the printer (Zebra's Asian
font kit; `ZplOptions.font`); the data is sent as UTF-8 (`^CI28`).
No Qt here: ZPL is text, sent as is (`lp -o raw`, or a raw Windows queue).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass

from station.core.errors import StationError
from station.core.event import BibLayout
from station.printing.codes import QUIET_MODULES, code128, qr
from station.printing.face import BibFace
from station.system_env import system_env

PAPER_MM: dict[BibLayout, tuple[float, float]] = {  # width, height as the bib is read
    BibLayout.A5_LANDSCAPE: (210.0, 148.0),
    BibLayout.A4: (297.0, 210.0),
    BibLayout.LABEL_100X150: (150.0, 100.0),
}


@dataclass(frozen=True, slots=True)
class ZplOptions:
    dpi: int = 203  # 203 (8 dots/mm) or 300 (12 dots/mm) or 600
    head_mm: float = 104.0  # print head width: 4-inch printers; 168 for 6-inch
    font: str = "E:ANMDJ.TTF"  # the printer's Unicode font (Andale Mono Japanese); "" for font 0 only

    @property
    def dots_per_mm(self) -> float:
        return self.dpi / 25.4


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def right(self) -> float:
        return self.x + self.w


def text_width_em(text: str) -> float:
    """The width of `text` in font heights: full-width characters one, others about 0.62."""
    return sum(1.0 if unicodedata.east_asian_width(c) in ("F", "W") else 0.62 for c in text)


def _escape(text: str) -> str:
    """Field data may not hold the format or control prefix; ^FH makes _XX a hex byte."""
    out = []
    for char in text:
        if char in "^~_" or ord(char) < 0x20:
            out.append("".join(f"_{b:02X}" for b in char.encode("utf-8")))
        else:
            out.append(char)
    return "".join(out)


class _Label:
    """Fields placed in the bib's landscape dots, written for the label as fed."""

    def __init__(self, width: int, height: int, rotate: bool, font: str) -> None:
        self.width, self.height, self.rotate = width, height, rotate
        self.font = "1" if font else "0"
        self.lines: list[str] = []

    def _origin(self, box: Box) -> tuple[int, int]:
        if not self.rotate:
            return round(box.x), round(box.y)
        # A quarter turn clockwise: the bib's top edge runs down the label's right side.
        return round(self.height - box.y - box.h), round(box.x)

    def _orientation(self) -> str:
        return "R" if self.rotate else "N"

    def fill(self, box: Box) -> None:
        x, y = self._origin(box)
        w, h = (box.h, box.w) if self.rotate else (box.w, box.h)
        side = round(min(w, h))
        self.lines.append(f"^FO{x},{y}^GB{round(w)},{round(h)},{side},B,0^FS")

    def text(self, box: Box, text: str, align: str, *, reverse: bool = False) -> None:
        """`text` on one line, as large as fits `box`; align L, C or R."""
        if not text or box.w <= 0 or box.h <= 0:
            return
        # A little room to spare: a field block wraps (and overprints) a line that does not fit.
        size = max(10, int(min(box.h, 0.92 * box.w / max(text_width_em(text), 0.62))))
        x, y = self._origin(Box(box.x, box.y + (box.h - size) / 2, box.w, size))
        reverse_field = "^FR" if reverse else ""
        self.lines.append(f"^FO{x},{y}{reverse_field}^A{self.font}{self._orientation()},{size},{size}"
                          f"^FB{round(box.w)},1,0,{align},0^FH^FD{_escape(text)}^FS")

    def barcode(self, box: Box, bib: str) -> None:
        bars = code128(bib)
        module = max(2, int(box.w / (bars.modules + 2 * QUIET_MODULES)))
        height = round(0.78 * box.h)
        left = box.x + QUIET_MODULES * module
        x, y = self._origin(Box(left, box.y, bars.modules * module, height))
        self.lines.append(f"^BY{module},3,{height}^FO{x},{y}^BC{self._orientation()},{height},N,N,N"
                          f"^FD{_escape(bib)}^FS")
        self.text(Box(box.x, box.y + 0.82 * box.h, box.w, 0.18 * box.h), bib, "C")

    def qr(self, box: Box, code: str) -> None:
        modules = qr(code).size
        side = min(box.w, box.h)
        magnification = max(1, min(10, int(side / (modules + 2))))
        inset = (side - modules * magnification) / 2
        x, y = self._origin(Box(box.x + inset, box.y + inset, modules * magnification, modules * magnification))
        # ^BQ draws a model 2 code, error correction M (as on the drawn bib), no rotation of its own.
        # Printers move a QR code down by the last ^BY bar height: set a small one first.
        self.lines.append(f"^BY2,3,10^FO{x},{y}^BQN,2,{magnification}^FDMA,{_escape(code)}^FS")

    def zpl(self, font: str) -> str:
        head = ["^XA", "^CI28", f"^PW{self.height if self.rotate else self.width}",
                f"^LL{self.width if self.rotate else self.height}", "^LH0,0", "^PON"]
        if font:
            head.append(f"^CW1,{font}")
        return "\n".join([*head, *self.lines, "^XZ"]) + "\n"


def bib_zpl(face: BibFace, layout: BibLayout, options: ZplOptions | None = None) -> str:
    """One bib as a ZPL II label (one ^XA ... ^XZ format)."""
    options = options or ZplOptions()
    width_mm, height_mm = PAPER_MM[layout]
    rotate = width_mm > options.head_mm
    if rotate and height_mm > options.head_mm:
        raise StationError(f"A {layout.value} bib is {height_mm:g} mm high even when turned; this printer's "
                           f"head is {options.head_mm:g} mm. Use the 100x150 label layout or a wider printer.")
    w, h = width_mm * options.dots_per_mm, height_mm * options.dots_per_mm
    label = _Label(round(w), round(h), rotate, options.font)

    margin = 0.05 * h
    inner = Box(margin, margin, w - 2 * margin, h - 2 * margin)
    iw, ih = inner.w, inner.h
    header = Box(inner.x, inner.y, iw, 0.13 * ih)
    label.fill(header)
    pad = 0.2 * header.h
    text_box = Box(header.x + pad, header.y + pad, header.w - 2 * pad, header.h - 2 * pad)
    label.text(Box(text_box.x, text_box.y, 0.66 * text_box.w, text_box.h), face.event_name, "L", reverse=True)
    label.text(Box(text_box.x + 0.7 * text_box.w, text_box.y, 0.3 * text_box.w, text_box.h), face.category,
               "R", reverse=True)

    y = header.bottom + 0.03 * ih
    number_height = (0.36 if face.is_escort else 0.42) * ih
    block_side = 0.8 * number_height
    label.text(Box(inner.x, y, iw - block_side - 0.04 * iw, number_height), face.bib, "C")
    block = Box(inner.right - block_side, y + (number_height - block_side) / 2, block_side, block_side)
    label.fill(block)
    label.text(Box(block.x + 0.06 * block_side, block.y + 0.02 * block_side, 0.88 * block_side,
                   0.68 * block_side), face.start_block or "-", "C", reverse=True)
    label.text(Box(block.x + 0.08 * block_side, block.bottom - 0.27 * block_side, 0.84 * block_side,
                   0.2 * block_side), "ブロック BLOCK", "C", reverse=True)
    y += number_height

    if face.is_escort:
        band = Box(inner.x, y, iw, 0.13 * ih)
        label.fill(band)
        label.text(Box(band.x + pad, band.y + 0.15 * band.h, band.w - 2 * pad, 0.7 * band.h),
                   f"伴走 GUIDE　ランナー RUNNER {face.escorting_bib}", "C", reverse=True)
        y = band.bottom

    footer_height = 0.2 * ih
    if face.nickname:
        label.text(Box(inner.x + 0.05 * iw, y + 0.02 * ih, 0.9 * iw, inner.bottom - footer_height - y - 0.07 * ih),
                   face.nickname, "C")
    footer = Box(inner.x, inner.bottom - footer_height, iw, footer_height)
    label.barcode(Box(footer.x, footer.y, 0.45 * iw, footer_height), face.bib)
    if face.code:
        label.qr(Box(footer.right - footer_height, footer.y, footer_height, footer_height), face.code)
    return label.zpl(options.font)


_REQUEST = re.compile(r"request id is (\S+-\d+)")


def send_zpl(zpl: str, printer: str, *, title: str) -> str | None:
    """Send ZPL to a raw CUPS queue (`lp -o raw`); the CUPS request id ("QUEUE-12"),
    to follow until printed. Raises StationError saying what to do."""
    lp = shutil.which("lp")
    if lp is None:
        raise StationError("`lp` is not installed (CUPS); on Windows send ZPL through a raw spooler queue.")
    try:
        run = subprocess.run([lp, "-d", printer, "-o", "raw", "-t", title], input=zpl.encode("utf-8"),
                             capture_output=True, timeout=10, check=False, env=system_env())
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise StationError(f"Printer {printer!r} did not take the ZPL job ({exc}).") from None
    if run.returncode != 0:
        raise StationError(f"Printer {printer!r} did not take the ZPL job: "
                           f"{run.stderr.decode(errors='replace').strip()}")
    found = _REQUEST.search(run.stdout.decode(errors="replace"))
    return found.group(1) if found else None
