"""The station's main window: the counter, and the station's own state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Slot
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station import __version__
from station.core.texts import Text
from station.core.words import refusal_words
from station.printing.worker import BibPrinter
from station.store.checkin import CheckinDesk
from station.store.search import RosterSearch
from station.ui.bib_preview import BibPreview
from station.ui.counter.model import CounterModel
from station.ui.counter.panels import Retranslating
from station.ui.counter.printing import CounterPrinting, PrintBanner, nickname_checker
from station.ui.counter.screen import CounterScreen
from station.ui.i18n import Languages
from station.ui.printer_status import PrinterStatusBox
from station.ui.scan_worker import ScanWorker
from station.ui.session import Snapshot, StationSession
from station.ui.sounds import SoundPlayer
from station.ui.supervisor.model import SupervisorModel
from station.ui.supervisor.screen import SupervisorScreen
from station.ui.sync_worker import SyncStatusRelay


class MainWindow(QMainWindow):
    def __init__(self, session: StationSession, *, languages: Languages | None = None,
                 sounds: SoundPlayer | None = None, now: Callable[[], dt.datetime] | None = None,
                 idle_timeout_s: int = 90, printer: BibPrinter | None = None,
                 scanner: ScanWorker | None = None, camera_problem: Text | None = None,
                 sync: SyncStatusRelay | None = None, sync_problem: Text | None = None) -> None:
        super().__init__()
        # Nothing a volunteer reads is under 12 pt (arm's length); the counter's larger
        # texts set their own sizes. The application's font, set before any widget is
        # made, so that style-sheeted labels and dialogs follow it too.
        app = QApplication.instance()
        assert isinstance(app, QApplication), "the window needs the QApplication"
        if 0 < app.font().pointSize() < 12:
            base = QFont(app.font())
            base.setPointSize(12)
            app.setFont(base)
        self.session = session
        self.languages = languages or Languages(QApplication.instance())
        self.resize(1280, 760)
        search = RosterSearch(session.package)
        self.sync = sync
        self.sync_problem = sync_problem
        self._closing = False
        desk = CheckinDesk(session.package, session.station_log, search, hub=sync.worker if sync else None)
        self.model = CounterModel(desk, now=now, parent=self)
        self.counter = CounterScreen(self.model, search,
                                     language=lambda: self.languages.current, sounds=sounds,
                                     idle_timeout_s=idle_timeout_s, scanner=scanner,
                                     camera_problem=camera_problem)
        self.printing = CounterPrinting(self.model, session.package, printer, nickname_checker(session.package),
                                        parent=self)
        self.print_banner = PrintBanner(self.printing, lambda: self.languages.current)
        self.counter.print_to_supervisor = self.printing.to_supervisor
        self.bib_preview = BibPreview()
        self.bib_preview.setObjectName("bibPreview")
        self.bib_preview.setFixedSize(260, 184)
        self.counter.add_bib_preview(self.bib_preview)
        self.model.case_changed.connect(self.preview_bib)
        self.model.band_changed.connect(lambda _: self.preview_bib(self.model.case))
        self.info = StationInfo(session, lambda: self.languages.current)
        if printer is not None:  # the pool's printers, their health and pages left
            info_layout = self.info.layout()
            assert isinstance(info_layout, QVBoxLayout)
            info_layout.insertWidget(3, PrinterStatusBox(printer, lambda: self.languages.current))
        self.sync_label = QLabel()
        self.sync_label.setObjectName("syncLabel")
        if sync is not None:
            # Emitted on the sync thread: a bound method of this window runs on the UI thread.
            sync.status_changed.connect(self.on_sync_status)
        self.title = self.info.title
        self.fields = self.info.fields
        self.tabs = QTabWidget()
        self.supervisor_model = SupervisorModel(session.package, session.station_log, now=now, parent=self)
        self.supervisor = SupervisorScreen(self.supervisor_model, lambda: self.languages.current)
        self.supervisor_model.reprint.connect(self.printing.print_reprint)
        # What the supervisor decided on the cases this counter raised.
        self.notice = QLabel()
        self.notice.setObjectName("supervisorNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("background: #e8eaf6; border: 2px solid #5e1a8c; padding: 4px;")
        self.notice.setVisible(False)
        self.seen_outcomes = {o.fact_id for o in self.outcomes()}
        self._outcome_timer = QTimer(self)
        self._outcome_timer.setInterval(3000)
        self._outcome_timer.timeout.connect(self.show_outcomes)
        self._outcome_timer.start()
        self.tabs.addTab(self.counter, "")
        # The Station tab scrolls: its facts must never make the counter taller than a laptop's screen.
        self.info_scroll = QScrollArea()
        self.info_scroll.setWidgetResizable(True)
        self.info_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.info_scroll.setWidget(self.info)
        self.tabs.addTab(self.info_scroll, "")
        self.tabs.addTab(self.supervisor, "")
        self.who = QLabel()
        self.who.setObjectName("volunteerLabel")
        self.language_button = QPushButton()
        self.language_button.setObjectName("languageButton")
        self.language_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.language_button.clicked.connect(self.toggle_language)
        self.sign_out_button = QPushButton()
        self.sign_out_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.sign_out_button.clicked.connect(self.model.sign_out)
        # The station's state sits in the tab bar's corner (one row less: the window fits 1366×705);
        # the event and counter name are in the window title and on the Station tab.
        self.event_label = QLabel()
        corner = QWidget()
        top = QHBoxLayout(corner)
        top.setContentsMargins(0, 0, 0, 2)
        top.addWidget(self.sync_label)
        top.addWidget(self.who)
        top.addWidget(self.sign_out_button)
        top.addWidget(self.language_button)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(self.print_banner)
        layout.addWidget(self.notice)
        layout.addWidget(self.tabs, 1)
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        self.setCentralWidget(central)
        QShortcut(QKeySequence("Ctrl+L"), self, activated=self.toggle_language)
        self.model.volunteer_changed.connect(lambda _: self.retranslate())
        self.model.completed.connect(lambda _: session.refresh())
        session.changed.connect(lambda _: self.show_sync())
        self.model.sent_to_supervisor.connect(lambda _: session.refresh())
        self.retranslate()

    def outcomes(self):
        return self.supervisor_model.exceptions.outcomes_for_counter(self.session.station_log.station_id)

    def show_outcomes(self) -> None:
        """A supervisor decided a case this counter sent (here or at another station, via sync)."""
        if self._closing:
            return
        new = [o for o in self.outcomes() if o.fact_id not in self.seen_outcomes]
        if not new:
            return
        self.seen_outcomes.update(o.fact_id for o in new)
        lines = []
        for o in new:
            entrant = self.model.desk.entrant(o.entry_no) if o.entry_no else None
            lines.append(self.tr("Supervisor {who} decided on {runner}: {decision}. {reason}").format(
                who=o.supervisor_id, runner=f"{entrant.display_name} ({o.entry_no})" if entrant else o.entry_no or "-",
                decision=self.supervisor.choice_words(o.decision), reason=o.reason_text))
        self.notice.setText("\n".join(lines))
        self.notice.setVisible(True)
        QTimer.singleShot(60_000, self.notice, lambda: self.notice.setVisible(False))  # dropped with the window

    def preview_bib(self, case) -> None:
        """The runner's bib as it will print, nickname and all (escorts' bibs print too);
        nothing for a runner who will not get one."""
        problem = self.printing.nickname_problem(case.entrant) if case is not None else None
        if problem is not None:
            language = self.languages.current
            self.counter.show_nickname_problem(
                problem.typed or case.entrant.nickname,
                "; ".join(r.text(language) for r in problem.reasons) or problem.outcome.value)
        else:
            self.counter.show_nickname_problem("", "")
        if case is None or not self.model.may_hand_over:
            self.bib_preview.show_bib(None)
            return
        layout = self.session.package.settings.bib_layout
        self.bib_preview.show_bib(self.printing.face(case.entrant), layout)

    def toggle_language(self) -> None:
        self.languages.switch("en" if self.languages.current == "ja" else "ja")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        snap = self.session.snapshot
        self.event_label.setText(self.tr("{event}  ·  counter {station}").format(
            event=snap.settings.name, station=snap.station_name))
        self.setWindowTitle(self.tr("Bib Station {version}").format(version=__version__)
                            + "  —  " + self.event_label.text())
        volunteer = self.model.volunteer_id
        self.who.setText(self.tr("Volunteer {code}").format(code=volunteer) if volunteer else "")
        self.sign_out_button.setVisible(bool(volunteer))
        self.sign_out_button.setText(self.tr("Sign out"))
        self.language_button.setText("English [Ctrl+L]" if self.languages.current == "ja" else "日本語 [Ctrl+L]")
        self.tabs.setTabText(0, self.tr("Counter"))
        self.tabs.setTabText(1, self.tr("Station"))
        self.tabs.setTabText(2, self.tr("Supervisor"))
        self.show_sync()

    def sync_words(self) -> tuple[str, str]:
        """The sync state in words, and its colour."""
        if self.sync is None and self.sync_problem is not None:
            return self.tr("Hub not set up ({problem}): this station works alone").format(
                problem=self.sync_problem.render(self.languages.current)), "#b00020"
        if self.sync is None:
            return self.tr("No hub: this station works alone"), "#37474f"
        status = self.sync.worker.status
        last = (self.session.package.settings.local(status.last_sync).strftime("%H:%M:%S")
                if status.last_sync else self.tr("never"))
        if status.online:
            return self.tr("● Online · last sync {last} · {waiting} waiting to send").format(
                last=last, waiting=status.waiting), "#1b7f3b"
        state = getattr(status.hub_state, "value", "")
        if state == "revoked":
            return self.tr("● Revoked by the hub: deciding alone · ask for a new code"), "#b00020"
        if state == "untrusted":
            return self.tr("● Hub certificate not trusted: deciding alone · ask for a new code"), "#b00020"
        if state == "refused":
            # The hub's own words (English) go to the log, not onto a volunteer's screen.
            return self.tr("● Refused by the hub: deciding alone · ask IT staff (the reason is in the log)"), "#b00020"
        return self.tr("● Offline: deciding alone · last sync {last} · {waiting} waiting to send").format(
            last=last, waiting=status.waiting), "#b00020"

    @Slot(object)
    def on_sync_status(self, _status) -> None:
        if self._closing:  # a status queued before the close; the log is gone
            return
        self.session.refresh()  # pulled facts change the counts
        self.show_sync()

    def show_sync(self) -> None:
        words, colour = self.sync_words()
        self.sync_label.setText(words)
        self.sync_label.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.info.fields["sync"].setText(words)

    def closeEvent(self, event) -> None:
        # A runner who may already hold the bib: ask first; the window closes after the answer.
        if not self._closing and not self.model.ask_before(self.close):
            event.ignore()
            return
        self._closing = True
        self._outcome_timer.stop()
        self.supervisor_model.sign_out()  # stops its refresh timer before the log closes
        if self.sync is not None:
            self.sync.close()  # what could not be pushed goes at the next start
        self.counter.close()  # stops the camera
        self.printing.close()  # finishes the queued bibs before the log closes
        self.session.close()
        super().closeEvent(event)


class StationInfo(Retranslating):
    """Which event, which counter, and the log's real state."""

    def __init__(self, session: StationSession, language: Callable[[], str] = lambda: "en") -> None:
        super().__init__()
        self.session = session
        self.language = language  # for the core's words (a set-aside fact's reason)

        self.title = QLabel()
        self.title.setObjectName("eventTitle")
        font = QFont(self.title.font())
        font.setPointSize(font.pointSize() + 8)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)

        self.fields: dict[str, QLabel] = {}
        self.names: dict[str, QLabel] = {}
        self.event_box = self._form(["race_day", "zone", "windows", "eligibility", "roster", "package"])
        self.station_box = self._form(["station", "facts", "picked_up", "conflicts", "exceptions", "last",
                                       "set_aside", "sync", "log"])
        # A station already set up takes a new provisioning code (another hub, name or event).
        self.new_code_button = QPushButton()
        self.new_code_button.setObjectName("newCodeButton")
        self.new_code_button.clicked.connect(self.take_new_code)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.event_box)
        layout.addWidget(self.station_box)
        layout.addWidget(self.new_code_button, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

        session.changed.connect(self.show_snapshot)
        self.retranslate()

    def row_names(self) -> dict[str, str]:
        return {
            "race_day": self.tr("Race day"), "zone": self.tr("Time zone"), "windows": self.tr("Check-in"),
            "eligibility": self.tr("Eligibility"), "roster": self.tr("Roster"),
            "package": self.tr("Event package"), "station": self.tr("Station"),
            "facts": self.tr("Facts in the log"),
            # The log holds every counter's facts once sync has run: these are the hall's.
            "picked_up": self.tr("Bibs picked up (whole hall, as known here)"),
            "conflicts": self.tr("Conflicts"), "exceptions": self.tr("Open exceptions"),
            "last": self.tr("Last fact"), "sync": self.tr("Sync"), "log": self.tr("Log file"),
            "set_aside": self.tr("Facts set aside"),
        }

    def take_new_code(self) -> None:
        from station.ui.first_run import take_new_code

        take_new_code(self)

    def retranslate(self) -> None:
        self.new_code_button.setText(self.tr("Set up with a new code…"))
        self.event_box.setTitle(self.tr("Event"))
        self.station_box.setTitle(self.tr("This counter"))
        for key, words in self.row_names().items():
            self.names[key].setText(words)
        sync = self.fields["sync"].text()
        self.show_snapshot(self.session.snapshot)
        self.fields["sync"].setText(sync)

    def _form(self, keys: list[str]) -> QGroupBox:
        box = QGroupBox()
        form = QFormLayout(box)
        for key in keys:
            value = QLabel()
            value.setObjectName(key)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            self.fields[key] = value
            self.names[key] = QLabel()
            form.addRow(self.names[key], value)
        return box

    def weekday(self, day: dt.date) -> str:
        """The day of the week in the screen's language (strftime's %a is always English here)."""
        return (self.tr("Mon"), self.tr("Tue"), self.tr("Wed"), self.tr("Thu"), self.tr("Fri"), self.tr("Sat"),
                self.tr("Sun"))[day.weekday()]

    def show_snapshot(self, snap: Snapshot) -> None:
        s = snap.settings
        self.title.setText(s.name)
        f = self.fields
        f["race_day"].setText(f"{s.race_date:%Y-%m-%d} ({self.weekday(s.race_date)})")
        f["zone"].setText(s.time_zone)
        f["windows"].setText("\n".join(
            f"{self.weekday(w.opens)} {w.opens:%m-%d %H:%M} – {w.last_entry:%H:%M}" for w in s.checkin_windows
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
        f["log"].setText(str(snap.log_path))
        aside = snap.set_aside
        newest = aside.newest[0] if aside.newest else None
        f["set_aside"].setText(self.tr("none") if newest is None else self.tr(
            "{count:,} (newest: {reason}, from station {station}); tell IT staff: run `station audit quarantine`"
        ).format(count=aside.count, reason=refusal_words(newest.reason).render(self.language()),
                 station=newest.station_id))
        f["set_aside"].setStyleSheet("color: #b00020; font-weight: bold;" if newest else "")
