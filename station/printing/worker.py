"""Printing off the counter's thread: a queue, one worker, signals back.

`BibPrinter` is what the counter holds. `print_bib` returns at once; the job
waits in the worker thread's event queue (jobs run one at a time, in order).
When a copy is printed, the printer records a BIB_PRINTED fact in the
station log, on the thread that owns the log, and says `printed`; when it
fails, it says `failed` with what the volunteer can do: `retry` or
`use_backup`. A reprint is a supervisor's action: it voids the last copy
in the log and prints a new one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, QThread, Signal, Slot

from station.core.errors import StationError
from station.core.event import BibLayout
from station.core.models import Fact, FactKind
from station.printing.face import BibFace
from station.printing.printer import PrinterProblem, PrintFailed
from station.printing.printer import print_bib as print_on_printer
from station.store.station_log import StationLog

PrintFunction = Callable[[BibFace, BibLayout, str], None]


def _print_with_title(face: BibFace, layout: BibLayout, printer: str) -> None:
    print_on_printer(face, layout, printer, title=f"bib-{face.bib}")


@dataclass(frozen=True, slots=True)
class PrintJob:
    job_id: str
    entry_no: str
    face: BibFace
    layout: BibLayout
    printer: str
    volunteer_id: str
    reprint_of: str | None = None  # the BIB_PRINTED fact this copy replaces


@dataclass(frozen=True, slots=True)
class PrintedCopy:
    job: PrintJob
    fact: Fact  # the BIB_PRINTED fact in the log

    @property
    def copy(self) -> int:
        return int(self.fact.payload["copy"])


@dataclass(frozen=True, slots=True)
class PrintFailure:
    job: PrintJob
    problem: PrinterProblem
    message_ja: str
    message_en: str
    backup_printer: str | None  # offer "use the backup printer" when there is one


class _PrintWorker(QObject):
    """Lives in the printer thread; knows nothing of the log."""

    done = Signal(object)
    failed = Signal(object, object)

    def __init__(self, print_function: PrintFunction) -> None:
        super().__init__()
        self._print = print_function

    @Slot(object)
    def run(self, job: PrintJob) -> None:
        try:
            self._print(job.face, job.layout, job.printer)
        except PrintFailed as exc:
            self.failed.emit(job, exc)
        except Exception as exc:  # a driver's surprise must not kill the printer thread
            self.failed.emit(job, PrintFailed(PrinterProblem.JOB_FAILED, job.printer, str(exc)))
        else:
            self.done.emit(job)


class BibPrinter(QObject):
    printed = Signal(object)  # PrintedCopy
    failed = Signal(object)  # PrintFailure
    _submit = Signal(object)

    def __init__(
        self,
        log: StationLog,
        *,
        printer: str,
        backup_printer: str | None = None,
        layout: BibLayout = BibLayout.A5_LANDSCAPE,
        print_function: PrintFunction = _print_with_title,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.log = log
        self.printer = printer
        self.backup_printer = backup_printer
        self.layout = layout
        self.pending = 0
        self._thread = QThread()
        self._thread.setObjectName("printer")
        self._worker = _PrintWorker(print_function)
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run)
        self._worker.done.connect(self._on_done)
        self._worker.failed.connect(self._on_failed)
        self._thread.start()

    def close(self, timeout_ms: int = 15_000) -> None:
        """Finish the jobs already queued, then stop the thread (a hung driver
        does not hang the station's shutdown for longer than `timeout_ms`)."""
        self._thread.quit()
        self._thread.wait(timeout_ms)

    # -- what the counter and the supervisor do ------------------------------

    def print_bib(self, entry_no: str, face: BibFace, *, volunteer_id: str) -> PrintJob:
        job = PrintJob(str(uuid.uuid4()), entry_no, face, self.layout, self.printer, volunteer_id)
        self._enqueue(job)
        return job

    def retry(self, job: PrintJob) -> PrintJob:
        self._enqueue(job)
        return job

    def use_backup(self, job: PrintJob) -> PrintJob:
        if not self.backup_printer:
            raise StationError("No backup printer is set; choose one in the station settings.")
        moved = replace(job, printer=self.backup_printer)
        self._enqueue(moved)
        return moved

    def reprint(self, entry_no: str, face: BibFace, *, supervisor_id: str, reason: str) -> PrintJob:
        """Void the last printed copy in the log, then print a new one."""
        copies = [f for f in self.log.facts_for(entry_no) if f.kind is FactKind.BIB_PRINTED]
        if not copies:
            raise StationError(f"No bib was printed for entry {entry_no} at this station; print it "
                               "normally, or reprint at the station that printed it.")
        last = copies[-1]
        self.log.record(FactKind.VOID, volunteer_id=supervisor_id, entry_no=entry_no,
                        payload={"voids": last.fact_id, "what": "bib_copy",
                                 "copy": last.payload.get("copy"), "reason": reason})
        job = PrintJob(str(uuid.uuid4()), entry_no, face, self.layout, self.printer,
                       supervisor_id, reprint_of=last.fact_id)
        self._enqueue(job)
        return job

    # -- results, back on the thread that owns the log ------------------------

    def _enqueue(self, job: PrintJob) -> None:
        self.pending += 1
        self._submit.emit(job)

    @Slot(object)
    def _on_done(self, job: PrintJob) -> None:
        self.pending -= 1
        copy = self.log.entry_state(job.entry_no).printed_copies + 1
        payload: dict[str, object] = {"copy": copy, "printer": job.printer, "layout": job.layout.value,
                                      "bib": job.face.bib, "job_id": job.job_id}
        if job.reprint_of:
            payload["reprint_of"] = job.reprint_of
        fact = self.log.record(FactKind.BIB_PRINTED, volunteer_id=job.volunteer_id,
                               entry_no=job.entry_no, payload=payload)
        self.printed.emit(PrintedCopy(job, fact))

    @Slot(object, object)
    def _on_failed(self, job: PrintJob, error: PrintFailed) -> None:
        self.pending -= 1
        backup = self.backup_printer if self.backup_printer != job.printer else None
        self.failed.emit(PrintFailure(job, error.problem, error.text("ja"), error.text("en"), backup))
