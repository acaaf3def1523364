"""A participation confirmation as pictures: the QR code as a PNG (for the
mailing and phone screens) and a printable A5 sheet, drawn in the shipped
Japanese font. Used by `station confirmations issue` and the demo builder."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from station.core.errors import StationError

PNG_MODULE_PX = 10  # 41 modules + 8 quiet = 490 px: sharp on a phone and in print
QUIET_MODULES = 4
SHEET_QR_MM = 60.0


def qr_modules(code: str):
    """The code's modules, 0 dark and 255 light, at error correction M."""
    import numpy as np
    import zxingcpp

    barcode = zxingcpp.create_barcode(code, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    return np.array(barcode.to_image(scale=1, add_quiet_zones=False), dtype=np.uint8)


def _qr_picture(code: str, quiet: int = QUIET_MODULES):
    import cv2
    import numpy as np

    modules = np.pad(qr_modules(code), quiet, constant_values=255)
    return cv2.resize(modules, None, fx=PNG_MODULE_PX, fy=PNG_MODULE_PX, interpolation=cv2.INTER_NEAREST)


def qr_png(code: str) -> bytes:
    import cv2

    picture = _qr_picture(code)
    ok, png = cv2.imencode(".png", picture, [cv2.IMWRITE_PNG_BILEVEL, 1, cv2.IMWRITE_PNG_COMPRESSION, 6])
    if not ok:
        raise StationError("Could not encode a QR picture; is OpenCV installed correctly?")
    return png.tobytes()


@dataclass(frozen=True, slots=True)
class _Text:
    ja: str
    en: str


_INSTRUCTIONS = _Text(
    "受付でこのQRコードと本人確認書類（原本）を提示してください。コピーや写真の本人確認書類は使えません。",
    "At check-in, show this QR code together with your original ID document. "
    "Copies or photos of an ID are not accepted.",
)


class SheetWriter:
    """One A5 PDF page per entrant, drawn with QPainter in the shipped Japanese font."""

    def __init__(self, event_name: str) -> None:
        _ensure_gui_application()
        from PySide6.QtGui import QFont

        from station.printing.layout import bib_font_family

        self.event_name = event_name
        family = bib_font_family()
        self._fonts: dict[tuple[float, bool], QFont] = {}
        for size, bold in ((13, True), (11, False), (18, True), (10, False), (9, False), (7, False)):
            font = QFont(family)
            font.setPointSizeF(size)
            font.setBold(bold)
            self._fonts[(size, bold)] = font

    def write(self, path: Path, entrant, code: str, serial: int) -> None:
        from PySide6.QtCore import QMarginsF, QRectF, Qt
        from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

        writer = QPdfWriter(str(path))
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A5), QPageLayout.Orientation.Portrait,
                                         QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))
        writer.setResolution(300)
        writer.setTitle(f"{self.event_name} {entrant.entry_no}")
        writer.setCreator("Bib Station")
        mm = 300 / 25.4
        painter = QPainter(writer)
        try:
            width = writer.width()

            def text(y_mm: float, size: float, content: str, *, bold: bool = False, h_mm: float = 12) -> None:
                painter.setFont(self._fonts[(size, bold)])
                painter.drawText(QRectF(12 * mm, y_mm * mm, width - 24 * mm, h_mm * mm),
                                 int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap), content)

            text(10, 13, self.event_name, bold=True)
            text(20, 11, "参加確認書 / Participation confirmation")
            text(32, 18, entrant.display_name, bold=True)
            if entrant.name_latin and entrant.name_latin != entrant.display_name:
                text(42, 11, entrant.name_latin)
            text(50, 11, f"受付番号 Entry No. {entrant.entry_no}")
            # One image per code, 10 pixels a module, so that a PDF viewer's
            # smoothing cannot blur the module edges.
            picture = _qr_picture(code, quiet=0)
            image = QImage(picture.data, picture.shape[1], picture.shape[0], picture.strides[0],
                           QImage.Format.Format_Grayscale8)
            left = (width - SHEET_QR_MM * mm) / 2
            painter.drawImage(QRectF(left, 62 * mm, SHEET_QR_MM * mm, SHEET_QR_MM * mm), image)
            text(128, 10, _INSTRUCTIONS.ja, h_mm=16)
            text(145, 9, _INSTRUCTIONS.en, h_mm=16)
            text(196, 7, f"serial {serial}")
        finally:
            painter.end()


def _ensure_gui_application() -> None:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    if QGuiApplication.instance() is not None:
        return
    # A batch command on a server has no display; PDFs need none.
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # A QApplication, not the lighter QGuiApplication: a window (or pytest-qt)
    # started later in the same process needs the widget kind, and Qt allows one.
    _ensure_gui_application.app = QApplication([])  # type: ignore[attr-defined]
