"""The bib on the counter screen, drawn by the same code that prints it."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from station.core.event import BibLayout
from station.printing.face import BibFace
from station.printing.layout import paint_bib, paper_mm


class BibPreview(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._face: BibFace | None = None
        self._layout = BibLayout.A5_LANDSCAPE
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("bib preview")

    @property
    def face(self) -> BibFace | None:
        return self._face

    def show_bib(self, face: BibFace | None, layout: BibLayout | None = None) -> None:
        self._face = face
        if layout is not None:
            self._layout = layout
        self.setToolTip(f"{face.bib} {face.nickname}".strip() if face else "")
        self.update()

    def sizeHint(self) -> QSize:
        paper = paper_mm(self._layout)
        return QSize(420, round(420 * paper.height() / paper.width()))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), self.palette().window())
            if self._face is None:
                return
            margin = 6
            target = QRectF(self.rect()).adjusted(margin, margin, -margin, -margin)
            paint_bib(painter, target, self._face, paper_mm(self._layout))
        finally:
            painter.end()
