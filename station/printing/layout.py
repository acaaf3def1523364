"""The bib drawn with QPainter: one function for the screen preview, a PDF and a printer.

Everything is laid out in tenths of a millimetre on the paper and scaled to
whatever device the painter is on, so the preview is the printed bib.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
)

from station.core.errors import StationError
from station.core.event import BibLayout
from station.printing.codes import QUIET_MODULES, code128, qr
from station.printing.face import BibFace
from station.printing.glyphs import BIB_FONT_FILE
from station.resources import asset

UNITS_PER_MM = 10

# Every layout is landscape: the number reads across the runner's chest.
_PAPER: dict[BibLayout, tuple[QPageSize.PageSizeId | QSizeF, QPageLayout.Orientation]] = {
    BibLayout.A5_LANDSCAPE: (QPageSize.PageSizeId.A5, QPageLayout.Orientation.Landscape),
    BibLayout.A4: (QPageSize.PageSizeId.A4, QPageLayout.Orientation.Landscape),
    BibLayout.LABEL_100X150: (QSizeF(100, 150), QPageLayout.Orientation.Landscape),
}

_font_family: str | None = None


def bib_font_family() -> str:
    """The shipped Japanese font, registered once with Qt (needs a QGuiApplication)."""
    global _font_family
    if _font_family is None:
        if QGuiApplication.instance() is None:
            raise RuntimeError("bib_font_family needs a QGuiApplication")
        path = asset("fonts", BIB_FONT_FILE)
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            raise StationError(f"The bib font {path} is missing or damaged; reinstall Bib Station.")
        _font_family = families[0]
    return _font_family


def page_layout(layout: BibLayout) -> QPageLayout:
    size, orientation = _PAPER[layout]
    if isinstance(size, QSizeF):
        page_size = QPageSize(size, QPageSize.Unit.Millimeter, f"Label {layout.value}",
                              QPageSize.SizeMatchPolicy.ExactMatch)
    else:
        page_size = QPageSize(size)
    return QPageLayout(page_size, orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)


def paper_mm(layout: BibLayout) -> QSizeF:
    """Width and height of the paper as the bib is read (landscape)."""
    return page_layout(layout).fullRect(QPageLayout.Unit.Millimeter).size()


# Every Latin-1 glyph, drawn unseen before anything else when printing; see paint_bib.
_LATIN_PRIMER = "".join(map(chr, range(0x21, 0x7F))) + "".join(map(chr, range(0xA1, 0x100)))


def paint_bib(painter: QPainter, target: QRectF, face: BibFace, paper: QSizeF,
              *, for_postscript: bool = False) -> None:
    """Draw `face` into `target` (device coordinates), keeping `paper`'s proportions.

    `for_postscript`: CUPS turns our PDF into PostScript with cairo, which
    loses the text of Japanese glyphs drawn between two Latin ones (they
    become unsearchable Type 3 shapes; the print looks right, a PDF printer's
    file has no text). Drawing every Latin glyph first, under the white
    background, keeps cairo's Latin font complete and the text intact."""
    width, height = paper.width() * UNITS_PER_MM, paper.height() * UNITS_PER_MM
    scale = min(target.width() / width, target.height() / height)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.translate(target.x() + (target.width() - width * scale) / 2,
                      target.y() + (target.height() - height * scale) / 2)
    painter.scale(scale, scale)
    drawing = _Drawing(painter, bib_font_family(), width, height)
    if for_postscript:
        drawing.primer()
    drawing.bib(face)
    painter.restore()


class _Drawing:
    def __init__(self, painter: QPainter, family: str, width: float, height: float) -> None:
        self.p = painter
        self.family = family
        self.width = width
        self.height = height

    def primer(self) -> None:
        font = QFont(self.family)
        font.setPixelSize(10)
        self.p.setFont(font)
        self.p.setPen(QPen(QColor("white")))
        self.p.drawText(QPointF(0, 10), _LATIN_PRIMER)

    def bib(self, face: BibFace) -> None:
        p, w, h = self.p, self.width, self.height
        p.fillRect(QRectF(0, 0, w, h), QColor("white"))
        margin = 0.05 * h  # clear of the safety pins and the printer's dead edge
        inner = QRectF(margin, margin, w - 2 * margin, h - 2 * margin)
        iw, ih = inner.width(), inner.height()
        colour = QColor(face.block_colour)

        header = QRectF(inner.x(), inner.y(), iw, 0.13 * ih)
        p.fillRect(header, colour)
        pad = 0.2 * header.height()
        text_box = header.adjusted(pad, pad, -pad, -pad)
        self.text(QRectF(text_box.x(), text_box.y(), 0.66 * text_box.width(), text_box.height()),
                  face.event_name, QColor("white"), Qt.AlignmentFlag.AlignLeft, bold=True)
        self.text(QRectF(text_box.x() + 0.7 * text_box.width(), text_box.y(),
                         0.3 * text_box.width(), text_box.height()),
                  face.category, QColor("white"), Qt.AlignmentFlag.AlignRight)

        y = header.bottom() + 0.03 * ih
        number_height = (0.36 if face.is_escort else 0.42) * ih
        block_side = 0.8 * number_height
        number = QRectF(inner.x(), y, iw - block_side - 0.04 * iw, number_height)
        self.text(number, face.bib, QColor("black"), Qt.AlignmentFlag.AlignCenter, bold=True)
        block = QRectF(inner.right() - block_side, y + (number_height - block_side) / 2,
                       block_side, block_side)
        p.fillRect(block, colour)
        self.text(block.adjusted(0.06 * block_side, 0.02 * block_side, -0.06 * block_side, -0.3 * block_side),
                  face.start_block or "-", QColor("white"), Qt.AlignmentFlag.AlignCenter, bold=True)
        self.text(QRectF(block.x() + 0.08 * block_side, block.bottom() - 0.27 * block_side,
                         0.84 * block_side, 0.2 * block_side),
                  "ブロック BLOCK", QColor("white"), Qt.AlignmentFlag.AlignCenter)
        y += number_height

        if face.is_escort:
            band = QRectF(inner.x(), y, iw, 0.13 * ih)
            p.fillRect(band, QColor("black"))
            self.text(band.adjusted(pad, 0.15 * band.height(), -pad, -0.15 * band.height()),
                      f"伴走 GUIDE　ランナー RUNNER {face.escorting_bib}", QColor("#ffeb3b"),
                      Qt.AlignmentFlag.AlignCenter, bold=True)
            y = band.bottom()

        footer_height = 0.2 * ih
        nickname = QRectF(inner.x() + 0.05 * iw, y + 0.02 * ih, 0.9 * iw,
                          inner.bottom() - footer_height - y - 0.07 * ih)
        if face.nickname:
            self.text(nickname, face.nickname, QColor("black"), Qt.AlignmentFlag.AlignCenter, bold=True)

        footer = QRectF(inner.x(), inner.bottom() - footer_height, iw, footer_height)
        self.barcode(QRectF(footer.x(), footer.y(), 0.45 * iw, footer_height), face.bib)
        if face.code:
            self.qr(QRectF(footer.right() - footer_height, footer.y(), footer_height, footer_height),
                    face.code)

    def text(self, box: QRectF, text: str, colour: QColor, align: Qt.AlignmentFlag,
             *, bold: bool = False) -> None:
        """`text` as large as fits `box` on one line.

        The shipped font has one weight; bold is the glyphs' outline stroked
        over real text, so a PDF keeps searchable, copyable text."""
        if not text or box.width() <= 0 or box.height() <= 0:
            return
        font = QFont(self.family)
        font.setPixelSize(1000)
        metrics = QFontMetricsF(font)
        advance = metrics.horizontalAdvance(text)
        stroke = 0.035 if bold else 0.0
        size = min(1000 * box.height() / metrics.height(),
                   1000 * box.width() / (max(advance, 1.0) * (1 + stroke)))
        font.setPixelSize(max(1, int(size)))
        metrics = QFontMetricsF(font)
        advance = metrics.horizontalAdvance(text)
        if align & Qt.AlignmentFlag.AlignLeft:
            x = box.x()
        elif align & Qt.AlignmentFlag.AlignRight:
            x = box.right() - advance
        else:
            x = box.center().x() - advance / 2
        baseline = QPointF(x, box.center().y() + (metrics.ascent() - metrics.descent()) / 2)
        self.p.setFont(font)
        self.p.setPen(QPen(colour))
        self.p.drawText(baseline, text)
        if bold:
            outline = QPainterPath()
            outline.addText(baseline, font, text)
            pen = QPen(colour, stroke * font.pixelSize())
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            self.p.strokePath(outline, pen)

    def barcode(self, box: QRectF, bib: str) -> None:
        bars = code128(bib)
        total = bars.modules + 2 * QUIET_MODULES
        module = box.width() / total
        bar_height = 0.78 * box.height()
        x0 = box.x() + QUIET_MODULES * module
        self.dark_rects([QRectF(x0 + start * module, box.y(), length * module, bar_height)
                         for start, length in bars.bars])
        caption = QRectF(box.x(), box.y() + 0.82 * box.height(), box.width(), 0.18 * box.height())
        self.text(caption, bib, QColor("black"), Qt.AlignmentFlag.AlignCenter)

    def qr(self, box: QRectF, code: str) -> None:
        modules = qr(code)
        side = min(box.width(), box.height())
        cell = side / (modules.size + 2)  # a two-module quiet zone inside the box
        x0, y0 = box.x() + cell, box.y() + cell
        self.dark_rects([QRectF(x0 + column * cell, y0 + row * cell, length * cell, cell)
                         for row, column, length in modules.runs])

    def dark_rects(self, rects: list[QRectF]) -> None:
        """One call for all of a code's modules: fewer, larger PDF operations, and
        no hairline gaps between neighbours at any scale."""
        self.p.save()
        self.p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        self.p.setPen(Qt.PenStyle.NoPen)
        self.p.setBrush(QColor("black"))
        self.p.drawRects(rects)
        self.p.restore()


# -- targets -------------------------------------------------------------------

def render_pdf(face: BibFace, layout: BibLayout, path: Path, *, title: str = "") -> Path:
    writer = QPdfWriter(str(path))
    writer.setPageLayout(page_layout(layout))
    writer.setTitle(title or f"Bib {face.bib}")
    writer.setCreator("Bib Station")
    painter = QPainter()
    if not painter.begin(writer):
        raise StationError(f"Cannot write {path}; check the folder exists and is writable.")
    try:
        paint_bib(painter, QRectF(writer.pageLayout().fullRectPixels(writer.resolution())), face,
                  paper_mm(layout))
    finally:
        painter.end()
    return path


def render_image(face: BibFace, layout: BibLayout, *, dpi: int = 150) -> QImage:
    paper = paper_mm(layout)
    image = QImage(round(paper.width() / 25.4 * dpi), round(paper.height() / 25.4 * dpi),
                   QImage.Format.Format_RGB32)
    image.setDotsPerMeterX(round(dpi / 0.0254))
    image.setDotsPerMeterY(round(dpi / 0.0254))
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        paint_bib(painter, QRectF(image.rect()), face, paper)
    finally:
        painter.end()
    return image
