"""The counter screen: find the runner, check, hand over, next. All by keyboard.

Shortcuts (shown on screen): F2 search · F3 document type · F4 / Shift+F4 name
matches / differs · F5 / Shift+F5 date of birth matches / differs · F6
certificate · F7, F8 escorts · F11 document number (typed, kept as a keyed hash
only) · Alt+1… items handed over · Ctrl+Enter complete · F9 send to supervisor ·
Esc next runner. A scan at any moment starts the next
runner, whatever has the focus.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from station.core.evidence import DocumentType, Match
from station.core.texts import Text
from station.core.typed_code import typed_code
from station.core.verdict import Outcome
from station.store.search import RosterSearch
from station.ui.counter.camera_view import CameraView
from station.ui.counter.model import CounterModel
from station.ui.counter.note import SupervisorNote
from station.ui.counter.panels import (
    EntrantCard,
    EscortPanel,
    HandoverPanel,
    IdPanel,
    Retranslating,
    VerdictBand,
    category_words,
)
from station.ui.counter.question import HandoverQuestion
from station.ui.counter.wedge import KeyboardWedge
from station.ui.scan_worker import ScanWorker
from station.ui.sounds import DONE, PRINT_PROBLEM, SoundPlayer


class SignIn(Retranslating):
    """A volunteer starts a shift with a short code; every fact carries it."""

    def __init__(self, model: CounterModel) -> None:
        super().__init__()
        self.model = model
        self.title = QLabel()
        font = self.title.font()
        font.setPointSize(20)
        self.title.setFont(font)
        self.code = QLineEdit()
        self.code.setObjectName("volunteerCode")
        self.code.setMaxLength(12)
        self.code.setFont(font)
        self.code.setMinimumWidth(240)
        # A scanner types key by key; a Japanese input method would compose them instead.
        self.code.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.error = QLabel()
        self.error.setObjectName("signInError")
        self.error.setStyleSheet("color: #b00020;")
        self.button = QPushButton()
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (self.title, self.code, self.error, self.button):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.code.returnPressed.connect(self.sign_in)
        self.button.clicked.connect(self.sign_in)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Volunteer sign-in: type your volunteer code and press Enter"))
        self.code.setPlaceholderText(self.tr("e.g. V123"))
        self.button.setText(self.tr("Start my shift"))

    def sign_in(self) -> None:
        try:
            self.model.sign_in(self.code.text())
        except ValueError:
            self.error.setText(self.tr("A volunteer code is 2 to 12 letters or digits, as on your name badge."))
            return
        self.code.clear()
        self.error.clear()


class SearchPanel(Retranslating):
    """Lost confirmation: find the runner by name (any script, typos), bib or entry number."""

    def __init__(self, model: CounterModel, search: RosterSearch) -> None:
        super().__init__()
        self.model = model
        self.search = search
        self.scan_field = QLineEdit()
        self.scan_field.setObjectName("scanField")
        self.scan_field.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.field = QLineEdit()
        self.field.setObjectName("searchField")
        self.results = QListWidget()
        self.results.setObjectName("searchResults")
        self.results.setMinimumHeight(60)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.count = QLabel()
        self.count.setObjectName("searchCount")
        self.count.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scan_field)
        layout.addWidget(self.label)
        layout.addWidget(self.field)
        layout.addWidget(self.count)
        layout.addWidget(self.results, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(120)
        self._debounce.timeout.connect(self.run)
        self.field.textEdited.connect(lambda _: self._debounce.start())
        self.field.returnPressed.connect(self.choose_first)
        self.field.installEventFilter(self)
        self.scan_field.returnPressed.connect(self.typed_code)
        self.results.itemActivated.connect(self.choose)
        model.case_changed.connect(lambda case: case is None and self.reset())
        self.retranslate()

    def retranslate(self) -> None:
        self.scan_field.setPlaceholderText(self.tr("Scanner input: scan, or type a confirmation code and Enter"))
        self.label.setText(self.tr("Search [F2]: name (kanji, kana, Latin), bib or entry number; ↓ then Enter"))
        self.field.setPlaceholderText(self.tr("e.g. やまだ たろう / Yamada Taro / 12345"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Down:
            self.results.setFocus()
            self.results.setCurrentRow(0)
            return True
        return False

    def run(self) -> None:
        self.results.clear()
        self.count.clear()
        text = self.field.text().strip()
        if not text:
            return
        found = self.search.find(text, limit=20)
        for hit in found.hits:
            e = hit.entrant
            role = self.tr(" (escort)") if e.is_escort else ""
            block = self.tr("Block {block}").format(block=e.start_block or "-")
            item = QListWidgetItem(f"{e.bib}  {e.name_kanji or e.name_latin}  {e.name_kana}  {e.name_latin}  "
                                   f"{e.birth_date.isoformat()}  {block}  {category_words(e)}{role}")
            item.setData(Qt.ItemDataRole.UserRole, e.entry_no)
            self.results.addItem(item)
        self.count.setText(self.count_words(found))

    def count_words(self, found) -> str:
        """How many matched, and how to narrow when the list does not show them all."""
        if found.total == 0:
            return self.tr("Nobody found. Check the spelling, try the kana or Latin name, "
                           "or the bib or entry number.")
        if not found.more:
            return self.tr("{n} found.").format(n=found.total)
        total = self.tr("{n} or more").format(n=found.total) if found.capped else str(found.total)
        return self.tr("{total} found, the first {shown} shown. To narrow, add the date of birth "
                       "(e.g. 19800514), the block (e.g. block D) or more of the name.").format(
            total=total, shown=len(found.hits))

    def choose_first(self) -> None:
        self._debounce.stop()
        self.run()
        if self.results.count():
            self.choose(self.results.item(0))

    def choose(self, item: QListWidgetItem) -> None:
        self.model.choose(item.data(Qt.ItemDataRole.UserRole))

    def typed_code(self) -> None:
        text = self.scan_field.text().strip()
        self.scan_field.clear()
        if text:
            self.model.scan(typed_code(text))

    def reset(self) -> None:
        self.field.clear()
        self.results.clear()


class CounterScreen(Retranslating):
    def __init__(self, model: CounterModel, search: RosterSearch, *, language: callable,
                 sounds: SoundPlayer | None = None, idle_timeout_s: int = 90,
                 scanner: ScanWorker | None = None, camera_problem: Text | None = None) -> None:
        super().__init__()
        self.model = model
        self.camera = CameraView(scanner, problem=camera_problem, language=language)
        if scanner is not None:
            # The camera's worker says a code once per showing; a new runner may show the same again.
            # A bound method of this (main-thread) widget: the slot runs on the UI thread.
            # The worker submits a code once per showing: a confirmation still held
            # up after Complete must leave the view before it counts again.
            scanner.code_scanned.connect(self.scanned)
            scanner.mrz_read.connect(self.mrz_read)
            # Read MRZs only while a runner whose document has one is at the counter.
            model.evidence_changed.connect(
                lambda g: scanner.read_mrz(model.case is not None and g.document.has_mrz and g.mrz is None))
        self.sounds = sounds or SoundPlayer(enabled=False)
        self.stack = QStackedWidget()
        self.sign_in = SignIn(model)
        self.desk = QWidget()
        self.band = VerdictBand(model, language)
        self.card = EntrantCard(model)
        self.id_panel = IdPanel(model)
        self.escorts = EscortPanel(model)
        self.handover = HandoverPanel(model)
        self.search = SearchPanel(model, search)
        self.complete_button = QPushButton()
        self.complete_button.setObjectName("completeButton")
        self.supervisor_button = QPushButton()
        self.next_button = QPushButton()
        self.help = QLabel()
        self.help.setObjectName("shortcutHelp")
        self.help.setWordWrap(True)

        # A nickname the runner asked for that will not print: said before anything prints.
        self.nickname_flag = QLabel()
        self.nickname_flag.setObjectName("nicknameFlag")
        self.nickname_flag.setWordWrap(True)
        self.nickname_flag.setStyleSheet("background: #fde7e9; color: #7b1f00; border: 2px solid #b00020;"
                                         " padding: 3px; font-weight: bold; font-size: 12pt;")
        self.nickname_flag.setVisible(False)
        right = QVBoxLayout()
        right.setSpacing(4)
        for widget in (self.card, self.nickname_flag, self.id_panel):
            right.addWidget(widget)
        # Escorts and what crosses the counter side by side: the window fits 1366×705.
        pair = QHBoxLayout()
        pair.addWidget(self.escorts, 1)
        pair.addWidget(self.handover, 1)
        right.addLayout(pair)
        right.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.complete_button, 2)
        buttons.addWidget(self.supervisor_button, 1)
        buttons.addWidget(self.next_button, 1)
        right.addLayout(buttons)
        # One slot: the camera while waiting for the next runner, the bib (as it
        # will print) while serving one; the camera keeps reading codes behind it.
        self.picture_slot = QStackedWidget()
        self.picture_slot.addWidget(self.camera)
        self.picture_slot.setFixedHeight(184)
        model.case_changed.connect(self.show_picture)
        model.band_changed.connect(lambda _: self.show_picture(model.case))
        model.evidence_changed.connect(lambda _: self.show_picture(model.case))
        left = QVBoxLayout()
        left.addWidget(self.picture_slot)
        left.addWidget(self.search, 1)
        columns = QHBoxLayout()
        columns.addLayout(left, 2)
        columns.addLayout(right, 3)
        desk = QVBoxLayout(self.desk)
        desk.setContentsMargins(4, 4, 4, 4)
        desk.setSpacing(4)
        desk.addWidget(self.band)
        desk.addLayout(columns, 1)
        desk.addWidget(self.help)
        self.stack.addWidget(self.sign_in)
        self.stack.addWidget(self.desk)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        self.id_panel.number_kept.connect(self.focus_search)
        self.complete_button.clicked.connect(self.complete)
        self.supervisor_button.clicked.connect(self.to_supervisor)
        self.next_button.clicked.connect(model.next_runner)
        model.volunteer_changed.connect(self.show_volunteer)
        model.band_changed.connect(self.on_band)
        model.evidence_changed.connect(lambda _: self.update_buttons())
        model.case_changed.connect(lambda _: self.update_buttons())
        # While serving, every control shows its own key: the list of keys waits between runners.
        model.case_changed.connect(lambda case: self.help.setVisible(case is None))
        model.case_changed.connect(lambda _: self.restart_idle())  # a camera scan is activity too
        model.evidence_changed.connect(lambda _: self.restart_idle())
        model.completed.connect(lambda _: self.sounds.play(DONE))  # the chime: recorded
        self.question = HandoverQuestion(model, self.handover.item_words, self)
        self.note = SupervisorNote(model, self)
        self.note.finished.connect(lambda _: self.on_question(None))  # the keys come back to the counter
        # Answered: the keys go back to the counter (not to the hidden question).
        model.question_asked.connect(self.on_question)

        self.wedge = KeyboardWedge(self)
        self.wedge.scanned.connect(self.scanned)
        QApplication.instance().installEventFilter(self.wedge)
        self._shortcuts()
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(idle_timeout_s * 1000)
        self._idle.timeout.connect(self.on_idle)
        QApplication.instance().installEventFilter(self)
        self._last_outcome: Outcome | None = None
        self.print_to_supervisor: Callable[[], None] | None = None  # set by the window that owns the printing
        self.retranslate()
        self.show_volunteer(model.volunteer_id)

    # -- layout texts ---------------------------------------------------------------

    def retranslate(self) -> None:
        self.complete_button.setText(self.tr("Complete and hand over [Ctrl+Enter]"))
        self.supervisor_button.setText(self.tr("Send to supervisor [F9]"))
        self.next_button.setText(self.tr("Next runner [Esc]"))
        self.help.setText(self.tr(
            "F2 search · F3 document · F4/Shift+F4 name ✓/✗ · F5/Shift+F5 date of birth ✓/✗ · "
            "F6 certificate · F7/F8 escorts · F11 document number · Alt+1… items · Ctrl+Enter complete · "
            "F9 supervisor · Esc next runner · a scan starts the next runner at any time"))
        self.update_buttons()

    def _shortcuts(self) -> None:
        m = self.model
        bindings = {
            "F2": self.focus_search,
            "F3": self.next_document,
            "F4": lambda: m.toggle_name(Match.CONFIRMED),
            "Shift+F4": lambda: m.toggle_name(Match.MISMATCH),
            "F5": lambda: m.toggle_birth_date(Match.CONFIRMED),
            "Shift+F5": lambda: m.toggle_birth_date(Match.MISMATCH),
            "F6": lambda: m.set_certificate(not m.gathered.certificate_seen),
            "F7": lambda: m.toggle_escort(0),
            "F8": lambda: m.toggle_escort(1),
            "Ctrl+Return": self.complete,
            "Ctrl+Enter": self.complete,
            "F9": self.to_supervisor,
            "F11": self.id_panel.focus_number,
            "Esc": m.next_runner,
        }
        for index in range(1, 10):  # the runner's items, then the escorts' bibs
            bindings[f"Alt+{index}"] = lambda i=index - 1: m.toggle_checklist(i)
        self.shortcuts = {}
        for keys, action in bindings.items():
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(action)
            self.shortcuts[keys] = shortcut

    # -- actions ----------------------------------------------------------------------

    def add_bib_preview(self, preview: QWidget) -> None:
        self.picture_slot.addWidget(preview)
        self.show_picture(self.model.case)

    def show_nickname_problem(self, typed: str, why: str) -> None:
        """Set by the window (which owns the nickname check); "" hides it."""
        self.nickname_flag.setVisible(bool(typed or why))
        self.nickname_flag.setText(self.tr(
            "Nickname \"{nickname}\" will not print ({why}). Ask the supervisor before handing over [F9], "
            "or the bib prints without it.").format(nickname=typed, why=why) if typed or why else "")

    def show_picture(self, case) -> None:
        g = self.model.gathered
        aiming = g.document.has_mrz and g.mrz is None  # the camera is needed to aim the passport
        if case is not None and self.model.may_hand_over and not aiming and self.picture_slot.count() > 1:
            self.picture_slot.setCurrentIndex(1)
        else:
            self.picture_slot.setCurrentWidget(self.camera)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, lambda: self.show_volunteer(self.model.volunteer_id))

    def show_volunteer(self, volunteer: str) -> None:
        self.stack.setCurrentWidget(self.desk if volunteer else self.sign_in)
        if volunteer:
            self.focus_search()
            self._idle.start()
        else:
            self.sign_in.code.setFocus()

    def scanned(self, code: str | bytes) -> None:
        if self.model.volunteer_id:
            self.model.scan(code)
        else:  # a volunteer's badge scanned on the sign-in page
            self.sign_in.code.setText(code.decode("utf-8", "replace") if isinstance(code, bytes) else code)
            self.sign_in.sign_in()

    def on_question(self, case) -> None:
        if case is None and self.model.volunteer_id and self.isVisible():
            self.window().activateWindow()  # the question had the keyboard
            self.focus_search()

    def mrz_read(self, record) -> None:
        self.model.set_mrz(record)

    def focus_search(self) -> None:
        self.search.field.setFocus()
        self.search.field.selectAll()

    def next_document(self) -> None:
        documents = list(DocumentType)
        current = documents.index(self.model.gathered.document)
        self.model.set_document(documents[(current + 1) % len(documents)])

    def complete(self) -> None:
        if self.model.can_complete:
            self.model.complete()
        elif self.model.verdict is not None and self.model.verdict.ready:
            self.band.next_step.setText(self.tr("Tick each item as you hand it over (Alt+1…), then Ctrl+Enter."))
            self.sounds.play(Outcome.NEEDS_ID)

    def to_supervisor(self) -> None:
        """F9: ask for a short note first; the band confirms once it is sent."""
        if self.model.print_hold is not None and self.print_to_supervisor is not None:
            self.print_to_supervisor()  # the bib that did not print goes to the supervisor
            return
        if self.model.volunteer_id and (self.model.case is not None or self.model.code is not None):
            self.note.ask()

    def update_buttons(self) -> None:
        has_case = self.model.case is not None
        self.complete_button.setEnabled(self.model.can_complete)
        self.supervisor_button.setEnabled(has_case or self.model.code is not None)
        ready = self.model.verdict is not None and self.model.verdict.ready
        self.complete_button.setStyleSheet(
            "background: #1b7f3b; color: white; font-weight: bold;" if self.model.can_complete else "")
        self.complete_button.setToolTip(
            self.tr("Tick every item as you hand it over.") if ready and not self.model.can_complete else "")

    def on_band(self, band) -> None:
        outcome = band.outcome if band else None
        if band is not None and band.print_problem:
            if self._last_outcome != PRINT_PROBLEM:
                self.sounds.play(PRINT_PROBLEM)
            outcome = PRINT_PROBLEM
        elif outcome is not None and outcome != self._last_outcome:
            self.sounds.play(outcome)
        self._last_outcome = outcome
        self.update_buttons()

    # -- idle ---------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress) and self.model.volunteer_id:
            self._idle.start()
        return False

    def restart_idle(self) -> None:
        if self.model.volunteer_id:
            self._idle.start()

    def on_idle(self) -> None:
        """Nobody touched the counter for a while: the runner's data leaves the screen;
        a runner who may already hold the bib is asked about first."""
        if self.model.ask_before(self.model.clear):
            self.model.clear()

    def closeEvent(self, event) -> None:
        app = QApplication.instance()
        app.removeEventFilter(self.wedge)
        app.removeEventFilter(self)
        self.camera.stop()
        super().closeEvent(event)
