"""Supervisor mode: sign in with a PIN, take cases from the queue, decide with a
written reason, and watch the hall on the dashboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station.core.supervision import Decision, Ground, Resolution
from station.core.texts import Language, Text, word
from station.core.words import code_words
from station.core.words import waited as waited_words
from station.store.exceptions import Queue
from station.ui.counter.panels import Retranslating
from station.ui.supervisor.dashboard_view import DashboardView
from station.ui.supervisor.model import SupervisorModel


def reason_words(code: str, language: Language | str) -> str:
    """A reason code in words, from the one catalogue (the counter's own reasons too)."""
    return code_words(code).render(language)


def waited(seconds: float, language: Language | str = Language.EN) -> str:
    return waited_words(seconds).render(language)


class SupervisorScreen(Retranslating):
    def __init__(self, model: SupervisorModel, language) -> None:
        super().__init__()
        self.model = model
        self.language = language
        self._last_message: Text | None = None
        self.stack = QStackedWidget()
        # sign-in page
        self.sign_in_page = QWidget()
        self.who = QComboBox()
        self.who.setObjectName("supervisorId")
        self.pin = QLineEdit()
        self.pin.setObjectName("supervisorPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(12)
        self.sign_in_button = QPushButton()
        self.sign_in_title = QLabel()
        form = QFormLayout(self.sign_in_page)
        form.addRow(self.sign_in_title)
        self.who_label, self.pin_label = QLabel(), QLabel()
        form.addRow(self.who_label, self.who)
        form.addRow(self.pin_label, self.pin)
        form.addRow(self.sign_in_button)
        # work page
        self.work = QWidget()
        self.queue_box = QGroupBox()
        self.table = QTableWidget(0, 7)
        self.table.setObjectName("exceptionQueue")
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)  # the note takes what is left
        self.summary = QLabel()
        self.summary.setObjectName("queueSummary")
        self.claim_button = QPushButton()
        self.decision = QComboBox()
        self.decision.setObjectName("decision")
        self.ground = QComboBox()
        self.ground.setObjectName("ground")
        self.nickname = QLineEdit()
        self.keep = QComboBox()
        self.keep.setObjectName("keepPickup")
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reasonText")
        self.reason.setMaximumHeight(60)
        self.resolve_button = QPushButton()
        self.sign_out_button = QPushButton()
        self.decide_box = QGroupBox()
        decide = QFormLayout(self.decide_box)
        self.decision_label, self.ground_label = QLabel(), QLabel()
        self.nickname_label, self.reason_label = QLabel(), QLabel()
        self.keep_label = QLabel()
        decide.addRow(self.decision_label, self.decision)
        decide.addRow(self.ground_label, self.ground)
        decide.addRow(self.nickname_label, self.nickname)
        decide.addRow(self.keep_label, self.keep)
        decide.addRow(self.reason_label, self.reason)
        decide.addRow(self.resolve_button)
        queue = QVBoxLayout(self.queue_box)
        queue.addWidget(self.summary)
        queue.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.claim_button)
        buttons.addWidget(self.sign_out_button)
        queue.addLayout(buttons)
        queue.addWidget(self.decide_box)
        self.dashboard = DashboardView(model.package.settings, language)
        columns = QHBoxLayout(self.work)
        columns.addWidget(self.queue_box, 3)  # the queue's notes need the room more than the dashboard
        columns.addWidget(self.dashboard, 2)
        self.message = QLabel()
        self.message.setObjectName("supervisorMessage")
        self.message.setWordWrap(True)
        self.stack.addWidget(self.sign_in_page)
        self.stack.addWidget(self.work)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.stack, 1)

        self.sign_in_button.clicked.connect(self.sign_in)
        self.pin.returnPressed.connect(self.sign_in)
        self.sign_out_button.clicked.connect(model.sign_out)
        self.claim_button.clicked.connect(self.claim)
        self.resolve_button.clicked.connect(self.resolve)
        self.table.itemSelectionChanged.connect(self.show_choices)
        model.session_changed.connect(self.show_session)
        model.queue_changed.connect(self.show_queue)
        model.dashboard_changed.connect(self.dashboard.show_snapshot)
        model.set_aside_changed.connect(self.dashboard.show_set_aside)
        model.message.connect(self.show_message)
        self.retranslate()
        self.show_session(None)

    def show_message(self, text: Text) -> None:
        self._last_message = text
        self.message.setText(text.render(self.language()))

    def retranslate(self) -> None:
        if self._last_message is not None:
            self.message.setText(self._last_message.render(self.language()))
        self.sign_in_title.setText(self.tr("Supervisors only: choose your name and type your PIN"))
        self.who_label.setText(self.tr("Supervisor"))
        self.pin_label.setText(self.tr("PIN"))
        self.sign_in_button.setText(self.tr("Sign in"))
        self.queue_box.setTitle(self.tr("Exceptions from every counter"))
        self.table.setHorizontalHeaderLabels([self.tr("Waiting"), self.tr("Runner"), self.tr("Bib"),
                                              self.tr("Counter"), self.tr("Reason"), self.tr("Taken by"),
                                              self.tr("Note")])
        self.claim_button.setText(self.tr("Take this case"))
        self.sign_out_button.setText(self.tr("Leave supervisor mode"))
        self.decide_box.setTitle(self.tr("Decision (recorded with your name)"))
        self.decision_label.setText(self.tr("Decision"))
        self.ground_label.setText(self.tr("Ground for an override"))
        self.nickname_label.setText(self.tr("New nickname"))
        self.keep_label.setText(self.tr("Pickup that counts"))
        self.reason_label.setText(self.tr("Written reason"))
        self.resolve_button.setText(self.tr("Record the decision"))
        self.show_queue(self.model.queue)
        self.show_choices()

    def show_session(self, session) -> None:
        self.stack.setCurrentWidget(self.work if session else self.sign_in_page)
        if session is None:
            self.who.clear()
            for supervisor_id, name in self.model.supervisors():
                self.who.addItem(f"{name} ({supervisor_id})", supervisor_id)
            self.pin.clear()

    def sign_in(self) -> None:
        if self.who.currentData() is not None:
            self.model.sign_in(self.who.currentData(), self.pin.text())
        self.pin.clear()

    def selected(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        cell = self.table.item(rows[0].row(), 0) if rows else None
        return cell.data(Qt.ItemDataRole.UserRole) if cell is not None else None

    def show_queue(self, queue: Queue) -> None:
        chosen = self.selected()
        self.table.setRowCount(len(queue.items))
        for row, item in enumerate(queue.items):
            values = (waited(item.waiting.total_seconds(), self.language()), item.runner or "-", item.bib or "-",
                      item.station_id, reason_words(item.reason, self.language()),
                      item.claim.supervisor_id if item.claim else "",
                      item.note.render(self.language()))  # a volunteer's note as typed, a station's in words
            for col, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value)  # the whole note or reason, however narrow the column
                cell.setData(Qt.ItemDataRole.UserRole, item.exception_id)
                self.table.setItem(row, col, cell)
            if item.exception_id == chosen:
                self.table.selectRow(row)
        if queue.oldest is not None and queue.newest is not None:
            self.summary.setText(self.tr("{count} open · oldest waiting {oldest} · newest {newest}").format(
                count=len(queue.items), oldest=waited(queue.oldest.waiting.total_seconds(), self.language()),
                newest=waited(queue.newest.waiting.total_seconds(), self.language())))
        else:
            self.summary.setText(self.tr("No open exceptions."))

    def show_choices(self) -> None:
        exception_id = self.selected()
        self.decision.clear()
        self.ground.clear()
        self.keep.clear()
        if exception_id is None:
            return
        case, decisions, grounds = self.model.choices(exception_id)
        zone = self.model.package.settings.local
        for pickup in self.model.pickups(case.entry_no) if case.entry_no else ():
            self.keep.addItem(f"{pickup.station_id} {zone(pickup.wall_time):%m-%d %H:%M} ({pickup.volunteer_id})",
                              pickup.fact_id)
        for decision in decisions:
            self.decision.addItem(self.choice_words(decision), decision.value)
        self.ground.addItem("-", None)
        for ground in grounds:
            self.ground.addItem(self.choice_words(ground), ground.value)

    def choice_words(self, choice: Decision | Ground) -> str:
        """A decision or ground as the screen offers it; one it has no words of its own
        for is said in the catalogue's words, never by its code."""
        own = self.decision_words().get(choice) if isinstance(choice, Decision) else self.ground_words().get(choice)
        if own is not None:
            return own
        catalogue = word(choice)
        return catalogue.render(self.language()) if catalogue is not None else choice.value

    def decision_words(self) -> dict[Decision, str]:
        return {
            Decision.APPROVE_OVERRIDE: self.tr("Approve: hand over despite the reason (give the ground)"),
            Decision.REFUSE: self.tr("Refuse: hand nothing over"),
            Decision.FIX_NICKNAME: self.tr("Fix the nickname and print"),
            Decision.REPRINT_BIB: self.tr("Reprint a damaged or lost bib (voids the old one)"),
            Decision.REPAIR_ESCORTS: self.tr("Re-pair the escorts"),
            Decision.VOID_BIB: self.tr("Void the bib"),
            Decision.RESOLVE_DOUBLE_PICKUP: self.tr("Resolve a double pickup (choose the one that counts)"),
        }

    def ground_words(self) -> dict[Ground, str]:
        return {
            Ground.NAME_CHANGED_BY_MARRIAGE: self.tr("Name changed by marriage"),
            Ground.ROMANISATION_OR_KANJI_VARIANT: self.tr("Romanisation or kanji variant"),
            Ground.ROSTER_TYPO: self.tr("Typo in the registration; the ID is right"),
            Ground.ID_WITHOUT_MRZ_CHECKED_BY_HAND: self.tr("ID without MRZ checked by hand"),
            Ground.COPY_OF_ID_ACCEPTED: self.tr("Copy of the ID accepted (e.g. police report of a loss)"),
            Ground.LATE_ARRIVAL_ACCEPTED: self.tr("Late arrival accepted by the organizer"),
            Ground.FOUND_BY_NAME_WITH_ID: self.tr("Found by name with an original ID"),
            Ground.CERTIFICATE_CONFIRMED_OTHERWISE: self.tr("Disability confirmed otherwise"),
        }

    def claim(self) -> None:
        exception_id = self.selected()
        if exception_id:
            self.model.claim(exception_id)

    def resolve(self) -> None:
        exception_id = self.selected()
        if exception_id is None or self.model.session is None or self.decision.currentData() is None:
            return
        ground = self.ground.currentData()  # Qt gives enum data back as plain strings
        resolution = Resolution(
            decision=Decision(self.decision.currentData()), reason_text=self.reason.toPlainText().strip(),
            supervisor_id=self.model.session.supervisor_id, ground=Ground(ground) if ground else None,
            nickname=self.nickname.text() if self.nickname.text() else None,
            keep_pickup=self.keep.currentData() if self.keep.count() else None,
        )
        if self.model.resolve(exception_id, resolution):
            self.reason.clear()
            self.nickname.clear()
