"""The Station tab's printers: each pool printer's health and pages left.

The health is asked on the printer thread (BibPrinter.check_health, answered
by its `health` signal) every `REFRESH_MS` and when the tab is shown, so the
window never waits on `lpstat` or the spooler.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout

from station.core.texts import Language
from station.printing.health import PrinterHealth, condition_text
from station.printing.media import MediaStatus
from station.printing.worker import BibPrinter
from station.ui.error_text import DETAILS

REFRESH_MS = 15_000


class PrinterStatusBox(QGroupBox):
    def __init__(self, printer: BibPrinter, language: Callable[[], str]) -> None:
        super().__init__()
        self.setObjectName("printerStatus")
        self.printer = printer
        self.language = language
        self.healths: tuple[PrinterHealth, ...] = ()
        self.lines = QLabel()
        self.lines.setObjectName("printerHealth")
        self.lines.setWordWrap(True)
        self.lines.setTextFormat(self.lines.textFormat().PlainText)
        layout = QVBoxLayout(self)
        layout.addWidget(self.lines)
        printer.health.connect(self.show_health)
        printer.media_low.connect(lambda _: self.show_health(self.healths))
        printer.moved.connect(lambda _: printer.check_health())
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(printer.check_health)
        self._timer.start()
        self.retranslate()
        printer.check_health()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.printer.check_health()

    def media(self, name: str) -> MediaStatus | None:
        return self.printer.media.status(name) if self.printer.media is not None else None

    def show_health(self, healths: tuple[PrinterHealth, ...]) -> None:
        self.healths = healths
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Printers (in the order they are tried)"))
        language = self.language()
        if not self.healths:
            self.lines.setText(self.tr("Asking the printers…"))
            return
        lines: list[str] = []
        for n, health in enumerate(self.healths, start=1):
            place = self.printer.pool.place(health.printer)
            out = health.printer in self.printer.pool.out
            english = Language.of(language) is Language.EN
            # In Japanese what the spooler said (English) is on a details line, never inside the sentence.
            said = (health.text(language) if english
                    else f"{health.printer}: {condition_text(health.condition, language)}")
            line = f"{n}. {said}" + (f" — {place}" if place else "")
            if out:
                line += " " + self.tr("(out of the pool until it answers again)")
            media = self.media(health.printer)
            if media is not None:
                line += "\n    " + media.text(language, named=False)
            if health.detail and not english:
                line += "\n    " + DETAILS(detail=" ".join(health.detail.split())).render(language)
            lines.append(line)
        self.lines.setText("\n".join(lines))
        low = any(m is not None and m.low for m in (self.media(h.printer) for h in self.healths))
        bad = any(not h.can_print for h in self.healths)
        self.lines.setStyleSheet("color: #a00000;" if low or bad else "")
