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
from station.core.models import Entrant
from station.core.nickname import NicknameChecker
from station.core.texts import Text
from station.printing.face import BibFace, bib_face
from station.printing.nicknames import nickname_checker  # noqa: F401 - the window builds its checker here
from station.printing.worker import BibPrinter, PrintFailure
from station.store.event_package import EventPackage
from station.ui.counter.model import Completed, CounterModel
from station.ui.counter.panels import Retranslating


def choose_printer(configured: str) -> str:
    """The printer from the settings, else the system's default; "" when there is none."""
    return configured or QPrinterInfo.defaultPrinterName()


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
        model.completed.connect(self.print_completed)
        if printer is not None:
            printer.failed.connect(self._failed)
            printer.printed.connect(lambda _: self._settle())

    def face(self, entrant: Entrant) -> BibFace:
        # The roster as the counter knows it now: corrections and late entries
        # synced since the package was made print as the pickup recorded them.
        runner = self.model.desk.entrant(entrant.escort_of) if entrant.escort_of else None
        return bib_face(entrant, self.package.settings, self.checker.check(entrant), runner=runner)

    def print_completed(self, done: Completed) -> None:
        if self.printer is None:
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

    def _failed(self, failure: PrintFailure) -> None:
        self.failures.append(failure)
        self.trouble.emit(failure)

    def _settle(self) -> None:
        if not self.failures:
            self.trouble.emit(None)

    def close(self) -> None:
        if self.printer is not None:
            self.printer.close()
            # Copies printed just before closing: record them before the log closes.
            QCoreApplication.sendPostedEvents(self.printer)


class PrintBanner(Retranslating):
    """A printer problem, said plainly, with the two ways out: retry or the backup printer."""

    def __init__(self, printing: CounterPrinting, language) -> None:
        super().__init__()
        self.printing = printing
        self.language = language
        self.setObjectName("printBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#printBanner { background: #fff3cd; border: 2px solid #a35a00; }")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.retry = QPushButton()
        self.backup = QPushButton()
        row = QHBoxLayout(self)
        row.addWidget(self.message, 1)
        row.addWidget(self.retry)
        row.addWidget(self.backup)
        self.retry.clicked.connect(printing.retry)
        self.backup.clicked.connect(self._backup)
        printing.trouble.connect(self.show_trouble)
        printing.unprinted.connect(self.show_unprinted)
        self.failure: PrintFailure | None = None
        self.setVisible(False)
        self.retranslate()

    def _backup(self) -> None:
        try:
            self.printing.use_backup()
        except StationError as exc:
            self.message.setText(str(exc))

    def show_unprinted(self, entry_no: str, why: Text) -> None:
        self.failure = None
        self.setVisible(True)
        self.backup.setEnabled(False)
        self.message.setText(self.tr("The bib of entry {entry} was not printed: {why}. Call the supervisor.").format(
            entry=entry_no, why=why.render(self.language())))

    def show_trouble(self, failure: PrintFailure | None) -> None:
        self.failure = failure
        self.setVisible(failure is not None)
        self.retranslate()

    def retranslate(self) -> None:
        self.retry.setText(self.tr("Print again"))
        self.backup.setText(self.tr("Use the backup printer"))
        f = self.failure
        self.backup.setEnabled(bool(f and f.backup_printer))
        if f is not None:
            text = f.message_ja if self.language() == "ja" else f.message_en
            self.message.setText(self.tr("Bib {bib} was not printed: {why}").format(bib=f.job.face.bib, why=text))
