"""Complete hands over to printing: each bib of a completed check-in goes to the
print queue, and printer trouble reaches the volunteer with what to do.

The counter never waits on the printer: BibPrinter runs the jobs on its own
thread and answers with signals.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton

from station.core.errors import StationError
from station.core.models import Entrant, FactKind
from station.core.nickname import NicknameCheck, NicknameChecker, NicknameOutcome, text_width
from station.core.payloads import OverridePayload
from station.core.supervision import Decision
from station.core.texts import Text
from station.printing.face import BibFace, bib_face
from station.printing.nicknames import nickname_checker  # noqa: F401 - the window builds its checker here
from station.printing.worker import BibPrinter, PrintFailure
from station.store.event_package import EventPackage
from station.ui.counter.model import Completed, CounterModel
from station.ui.counter.panels import Retranslating
from station.ui.error_text import shown


def choose_printer(configured: str) -> str:
    """The printer from the settings, else the system's default; "" when there is none."""
    return configured or QPrinterInfo.defaultPrinterName()


_NO_PRINTER = Text("このパソコンにプリンターが設定されていません", "no printer is set up on this laptop")
_NOT_IN_ROSTER = Text("受付番号 {entry_no} はこの受付の名簿にありません",
                      "entry {entry_no} is not in this counter's roster")


class CounterPrinting(QObject):
    """Turns completed check-ins into print jobs and reports how they went."""

    trouble = Signal(object)  # PrintFailure | None (None: the trouble is over)
    unprinted = Signal(str, object)  # entry, why (a Text): a bib that could not even be queued

    def __init__(self, model: CounterModel, package: EventPackage, printer: BibPrinter | None,
                 checker: NicknameChecker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.package = package
        self.printer = printer
        self.checker = checker
        self.failures: list[PrintFailure] = []
        self.unprinted_entries: dict[str, str] = {}  # entry -> bib, while it is not printed
        model.completed.connect(self.print_completed)
        if printer is not None:
            printer.failed.connect(self._failed)
            printer.printed.connect(self._printed)
        self.unprinted.connect(self._hold_unqueued)

    def face(self, entrant: Entrant) -> BibFace:
        # The roster as the counter knows it now: corrections and late entries
        # synced since the package was made print as the pickup recorded them.
        runner = self.model.desk.entrant(entrant.escort_of) if entrant.escort_of else None
        return bib_face(entrant, self.package.settings, self.nickname(entrant), runner=runner)

    def nickname(self, entrant: Entrant) -> NicknameCheck:
        """What the bib prints: the supervisor's fix when there is one, else the event's check."""
        fixed = supervisor_nickname(self.model.desk.log.facts_for(entrant.entry_no))
        if fixed is None:
            return self.checker.check(entrant)
        checked = self.checker.check_text(fixed) if fixed else None
        if checked is not None and checked.printable:
            return checked
        return NicknameCheck(NicknameOutcome.OK, fixed, fixed, text_width(fixed))  # the supervisor decided

    def nickname_problem(self, entrant: Entrant) -> NicknameCheck | None:
        """A nickname the runner asked for that will not print (before anything prints)."""
        wanted = entrant.nickname or entrant.katakana_requested
        check = self.nickname(entrant)
        return check if wanted and not check.printable else None

    def print_completed(self, done: Completed) -> None:
        if self.printer is None:
            # No printer set up: said, and a state of its own until printed elsewhere or the supervisor has it.
            self.unprinted_entries.update(zip(done.entries, done.bibs, strict=False))
            self.model.hold_for_print(done.bibs, _NO_PRINTER)
            return
        for entry_no in done.entries:
            entrant = self.model.desk.entrant(entry_no)
            try:
                if entrant is None:
                    raise StationError(_NOT_IN_ROSTER(entry_no=entry_no))
                self.printer.print_bib(entry_no, self.face(entrant), volunteer_id=self.model.volunteer_id)
            except StationError as exc:  # said on the banner, never silently skipped
                self.unprinted.emit(entry_no, exc.message_text)

    def print_reprint(self, entry_no: str, supervisor_id: str) -> None:
        """The new copy a supervisor's reprint decision hands over (the old one is void)."""
        if self.printer is None:
            return
        entrant = self.model.desk.entrant(entry_no)
        if entrant is None:
            self.unprinted.emit(entry_no, _NOT_IN_ROSTER(entry_no=entry_no))
            return
        self.printer.print_bib(entry_no, self.face(entrant), volunteer_id=supervisor_id)

    def retry(self) -> None:
        self._resend(use_backup=False)

    def use_backup(self) -> None:
        self._resend(use_backup=True)

    def _resend(self, *, use_backup: bool) -> None:
        failures, self.failures = self.failures, []
        for failure in failures:
            (self.printer.use_backup if use_backup else self.printer.retry)(failure.job)
        self.trouble.emit(None)

    def printed_elsewhere(self) -> None:
        """The volunteer printed the bib at another counter: this counter moves on."""
        self.failures.clear()
        self.unprinted_entries.clear()
        self.trouble.emit(None)
        self.model.release_print_hold()

    def to_supervisor(self) -> None:
        """The supervisor takes over every bib that did not print."""
        entries = list(self.unprinted_entries)
        self.failures.clear()
        self.unprinted_entries.clear()
        self.trouble.emit(None)
        for entry_no in entries:
            self.model.print_to_supervisor(entry_no)

    def _failed(self, failure: PrintFailure) -> None:
        self.failures.append(failure)
        self.unprinted_entries[failure.job.entry_no] = failure.job.face.bib
        self.trouble.emit(failure)
        self.model.hold_for_print(tuple(self.unprinted_entries.values()), failure.message,
                                  detail=failure.detail)

    def _hold_unqueued(self, entry_no: str, why: Text) -> None:
        entrant = self.model.desk.entrant(entry_no)
        self.unprinted_entries[entry_no] = entrant.bib if entrant else entry_no
        self.model.hold_for_print(tuple(self.unprinted_entries.values()), why)

    def _printed(self, copy) -> None:
        self.unprinted_entries.pop(copy.job.entry_no, None)
        self._settle()

    def _settle(self) -> None:
        if not self.failures and not self.unprinted_entries:
            self.trouble.emit(None)
            self.model.release_print_hold()

    def close(self) -> None:
        if self.printer is not None:
            self.printer.close()
            # Copies printed just before closing: record them before the log closes.
            QCoreApplication.sendPostedEvents(self.printer)


def supervisor_nickname(facts) -> str | None:
    """The nickname a supervisor's latest "fix the nickname" decision set ('' prints
    none), or None when no supervisor fixed it."""
    fixed = None
    for fact in facts:
        if fact.kind is FactKind.OVERRIDE:
            override = OverridePayload.from_payload(fact.payload)
            if override.decision == Decision.FIX_NICKNAME.value:
                fixed = override.nickname
    return fixed


class PrintBanner(Retranslating):
    """A bib that did not print, said plainly, with the ways out: print again, the
    backup printer, printed at another counter, or the supervisor. Shown for as
    long as the counter is held on it (a missing printer included)."""

    def __init__(self, printing: CounterPrinting, language) -> None:
        super().__init__()
        self.printing = printing
        self.language = language
        self.setObjectName("printBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#printBanner { background: #fff3cd; border: 2px solid #a35a00; }")
        self.message = QLabel()
        self.message.setObjectName("printMessage")
        self.message.setWordWrap(True)
        self.retry = QPushButton()
        self.backup = QPushButton()
        self.elsewhere = QPushButton()
        self.elsewhere.setObjectName("printedElsewhere")
        self.supervisor = QPushButton()
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 2, 6, 2)
        row.addWidget(self.message, 1)
        for button in (self.retry, self.backup, self.elsewhere, self.supervisor):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            row.addWidget(button)
        self.retry.clicked.connect(printing.retry)
        self.backup.clicked.connect(self._backup)
        self.elsewhere.clicked.connect(printing.printed_elsewhere)
        self.supervisor.clicked.connect(printing.to_supervisor)
        printing.trouble.connect(self.show_trouble)
        printing.model.band_changed.connect(lambda _: self.show_trouble(self.failure))
        self.failure: PrintFailure | None = None
        self.setVisible(False)
        self.retranslate()

    def _backup(self) -> None:
        try:
            self.printing.use_backup()
        except StationError as exc:
            self.message.setText(exc.message_text.render(self.language()))

    def show_trouble(self, failure: PrintFailure | None) -> None:
        self.failure = failure
        self.setVisible(self.printing.model.print_hold is not None)
        self.retranslate()

    def retranslate(self) -> None:
        self.retry.setText(self.tr("Print again"))
        self.backup.setText(self.tr("Use the backup printer"))
        self.elsewhere.setText(self.tr("Printed elsewhere"))
        self.supervisor.setText(self.tr("Supervisor [F9]"))
        f = self.failure
        self.retry.setEnabled(bool(self.printing.failures))
        self.backup.setEnabled(bool(f and f.backup_printer))
        hold = self.printing.model.print_hold
        if f is not None:
            # the sentence in the window's language; what the spooler said on a details line after it
            text = shown(f.message, self.language(), f.detail)
            self.message.setText(self.tr("Bib {bib} was not printed: {why}").format(bib=f.job.face.bib, why=text))
        elif hold is not None:
            self.message.setText(hold.headline(self.language()))
