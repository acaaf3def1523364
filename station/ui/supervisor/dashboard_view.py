"""The supervisor's dashboard: pickups per hour (a bar chart drawn here), per
counter, who is left by category and start block, exceptions waiting, silent
counters, and whether the remaining runners fit in the remaining window."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station.core.words import category_words, refusal_words
from station.store.dashboard import Fit, Snapshot
from station.store.quarantine import NOBODY, SetAside
from station.ui.counter.panels import Retranslating


class HourChart(QWidget):
    """Bars of pickups per hour, in the event's time zone; the count on each bar."""

    def __init__(self) -> None:
        super().__init__()
        self.setMinimumHeight(150)
        self.hours: list[tuple[str, int]] = []

    def show_hours(self, hours: list[tuple[str, int]]) -> None:
        self.hours = hours
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), QColor("#ffffff"))
            if not self.hours:
                painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No pickups yet"))
                return
            top = max(n for _, n in self.hours) or 1
            slot = self.width() / len(self.hours)
            base = self.height() - 18
            for i, (label, count) in enumerate(self.hours):
                height = (base - 18) * count / top
                bar = QRectF(i * slot + slot * 0.15, base - height, slot * 0.7, height)
                painter.fillRect(bar, QColor("#1565c0"))
                painter.drawText(QRectF(i * slot, base - height - 16, slot, 16),
                                 Qt.AlignmentFlag.AlignCenter, str(count))
                painter.drawText(QRectF(i * slot, base, slot, 18), Qt.AlignmentFlag.AlignCenter, label)
        finally:
            painter.end()


class DashboardView(Retranslating):
    def __init__(self, settings, language: Callable[[], str] = lambda: "en") -> None:
        super().__init__()
        self.settings = settings
        self.language = language
        self.snapshot: Snapshot | None = None
        self.set_aside = NOBODY
        self.chart = HourChart()
        self.chart_box = QGroupBox()
        QVBoxLayout(self.chart_box).addWidget(self.chart)
        self.projection = QLabel()
        self.projection.setObjectName("projection")
        self.projection.setWordWrap(True)
        font = self.projection.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.projection.setFont(font)
        self.counters = QTableWidget(0, 3)
        self.remaining = QTableWidget(0, 4)
        self.silent = QLabel()
        self.silent.setObjectName("silentStations")
        self.silent.setWordWrap(True)
        for table in (self.counters, self.remaining):
            table.verticalHeader().setVisible(False)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        grid = QGridLayout(self)
        grid.addWidget(self.projection, 0, 0, 1, 2)
        grid.addWidget(self.chart_box, 1, 0, 1, 2)
        grid.addWidget(self.counters, 2, 0)
        grid.addWidget(self.remaining, 2, 1)
        grid.addWidget(self.silent, 3, 0, 1, 2)
        # Facts this station refused at its door (station/store/quarantine.py): shown while there are any.
        self.aside = QLabel()
        self.aside.setObjectName("setAside")
        self.aside.setWordWrap(True)
        self.aside.setStyleSheet("color: #b00020;")
        self.aside.setVisible(False)
        grid.addWidget(self.aside, 4, 0, 1, 2)
        self.retranslate()

    def retranslate(self) -> None:
        self.chart_box.setTitle(self.tr("Pickups per hour"))
        self.counters.setHorizontalHeaderLabels([self.tr("Counter"), self.tr("Pickups"), self.tr("Last heard")])
        self.remaining.setHorizontalHeaderLabels(
            [self.tr("Category"), self.tr("Block"), self.tr("Remaining"), self.tr("Entrants")])
        if self.snapshot is not None:
            self.show_snapshot(self.snapshot)
        self.show_set_aside(self.set_aside)

    def show_set_aside(self, aside: SetAside) -> None:
        self.set_aside = aside
        self.aside.setVisible(aside.count > 0)
        reasons = "; ".join(self.tr("{reason} (from station {station})").format(
            reason=refusal_words(a.reason).render(self.language()), station=a.station_id) for a in aside.newest)
        self.aside.setText(self.tr(
            "{count:,} facts set aside at this station: refused at its door, never counted. Newest: {reasons}. "
            "Tell IT staff: run `station audit quarantine`.").format(count=aside.count, reasons=reasons)
            if aside.count else "")

    def show_snapshot(self, snap: Snapshot) -> None:
        self.snapshot = snap
        local = self.settings.local
        self.chart.show_hours([(f"{local(h.hour):%H}", h.pickups) for h in snap.per_hour][-12:])
        self.counters.setRowCount(len(snap.per_counter))
        for row, c in enumerate(snap.per_counter):
            last = f"{local(c.last_heard):%H:%M}" + (" ⚠" if c.silent else "")
            for col, value in enumerate((c.station_id, str(c.pickups), last)):
                self.counters.setItem(row, col, QTableWidgetItem(value))
        self.remaining.setRowCount(len(snap.remaining))
        for row, r in enumerate(snap.remaining):
            category = category_words(r.category).render(self.language())
            for col, value in enumerate((category, r.start_block or "-", str(r.remaining), str(r.total))):
                self.remaining.setItem(row, col, QTableWidgetItem(value))
        self.silent.setText(self.tr("Silent counters (nothing heard for 10 minutes): {names}").format(
            names=", ".join(snap.silent_stations)) if snap.silent_stations else "")
        p = snap.projection
        hours, minutes = divmod(int(p.time_left.total_seconds()) // 60, 60)
        words = {
            Fit.FITS: self.tr("On pace: {remaining:,} runners left, {pace:.0f}/h now, {needed:.0f}/h needed, "
                              "{h}h{m:02d} of check-in left"),
            Fit.AT_RISK: self.tr("AT RISK: {remaining:,} runners left need {needed:.0f}/h, pace is {pace:.0f}/h, "
                                 "{h}h{m:02d} left; open more counters"),
            Fit.NO_PACE_YET: self.tr("{remaining:,} runners left; no pickups in the last half hour to measure a pace"),
            Fit.ALL_SERVED: self.tr("Every runner has picked up."),
            Fit.CLOSED: self.tr("Check-in is closed; {remaining:,} runners did not pick up"),
        }[p.fit]
        self.projection.setText(words.format(remaining=p.remaining, pace=p.pace_per_hour,
                                             needed=p.needed_per_hour or 0, h=hours, m=minutes))
        self.projection.setStyleSheet("color: #b00020;" if p.fit is Fit.AT_RISK else "")
