"""The station's main window: which event, which counter, and the log's real state."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QMainWindow, QVBoxLayout, QWidget

from station import __version__
from station.ui.session import Snapshot, StationSession


class MainWindow(QMainWindow):
    def __init__(self, session: StationSession) -> None:
        super().__init__()
        self.session = session
        self.setWindowTitle(self.tr("Bib Station {version}").format(version=__version__))
        self.resize(900, 600)

        self.title = QLabel()
        self.title.setObjectName("eventTitle")
        font = QFont(self.title.font())
        font.setPointSize(font.pointSize() + 8)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)

        self.fields: dict[str, QLabel] = {}
        event_box = self._form(self.tr("Event"), [
            ("race_day", self.tr("Race day")),
            ("zone", self.tr("Time zone")),
            ("windows", self.tr("Check-in")),
            ("eligibility", self.tr("Eligibility")),
            ("roster", self.tr("Roster")),
            ("package", self.tr("Event package")),
        ])
        station_box = self._form(self.tr("This counter"), [
            ("station", self.tr("Station")),
            ("facts", self.tr("Facts in the log")),
            ("picked_up", self.tr("Bibs picked up")),
            ("conflicts", self.tr("Conflicts")),
            ("exceptions", self.tr("Open exceptions")),
            ("last", self.tr("Last fact")),
            ("sync", self.tr("Sync")),
            ("log", self.tr("Log file")),
        ])

        layout = QVBoxLayout()
        layout.addWidget(self.title)
        layout.addWidget(event_box)
        layout.addWidget(station_box)
        layout.addStretch(1)
        central = QWidget()
        central.setLayout(layout)
        self.setCentralWidget(central)

        session.changed.connect(self.show_snapshot)
        self.show_snapshot(session.snapshot)

    def _form(self, title: str, rows: list[tuple[str, str]]) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        for key, label in rows:
            value = QLabel()
            value.setObjectName(key)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            self.fields[key] = value
            form.addRow(label, value)
        return box

    def show_snapshot(self, snap: Snapshot) -> None:
        s = snap.settings
        self.title.setText(s.name)
        f = self.fields
        f["race_day"].setText(s.race_date.strftime("%Y-%m-%d (%a)"))
        f["zone"].setText(s.time_zone)
        f["windows"].setText("\n".join(
            f"{w.opens:%a %m-%d %H:%M} – {w.last_entry:%H:%M}" for w in s.checkin_windows
        ) or self.tr("no windows set"))
        e = s.eligibility
        f["eligibility"].setText(
            self.tr("born before {date}").format(date=e.born_before) if e.born_before
            else self.tr("{age} or older on race day").format(age=e.min_age)
        )
        f["roster"].setText(self.tr("{runners:,} runners, {escorts:,} escorts, {cancelled:,} cancelled").format(
            runners=snap.roster.runners, escorts=snap.roster.escorts, cancelled=snap.roster.cancelled))
        f["package"].setText(str(snap.package_path))
        f["station"].setText(snap.station_name)
        log = snap.log
        f["facts"].setText(f"{log.facts:,}")
        f["picked_up"].setText(self.tr("{done:,} of {total:,}").format(done=log.picked_up, total=snap.roster.total))
        f["conflicts"].setText(f"{log.conflicts:,}")
        f["exceptions"].setText(f"{log.open_exceptions:,}")
        f["last"].setText(
            s.local(log.last_fact_at).strftime("%Y-%m-%d %H:%M:%S %Z") if log.last_fact_at
            else self.tr("nothing recorded yet")
        )
        f["sync"].setText(self.tr("not configured: this station works alone"))
        f["log"].setText(str(snap.log_path))

    def closeEvent(self, event) -> None:
        self.session.close()
        super().closeEvent(event)
