"""Printing off the counter's thread: a queue, one worker, a pool of printers, signals back.

`BibPrinter` is what the counter holds. `print_bib` returns at once; the job
waits in the worker thread's event queue (jobs run one at a time, in order).

The counter's printers form a pool, tried in order (printing/pool.py). Before
a job the worker asks each printer's health (printing/health.py); a printer
that cannot print, whose job fails, or whose job has not left the queue
within `timeout_s` (the job is then cancelled) is taken out of the pool and
the job moves to the next printer by itself. A printer that is out rejoins
when its health says it can print again. Every move, every printer taken out
and every printer back is a PRINTER_POOL fact in the station log.

The signals, all delivered on the thread that owns the log:

- `printed(PrintedCopy)`: a copy came out; `copy.where` is the printer,
  `copy.place` where to collect it ("table 3"), `copy.text(language)` says it
  ("printed at printer B, table 3"), `copy.moved_from` the printers that
  failed first. The BIB_PRINTED fact is already in the log.
- `all_failed(PrintFailure)`: no printer of the pool printed the copy;
  `failure.text(language)` / `failure.message` (a Text) say why, for each
  printer tried (`failure.attempts`). `failed` is the same signal, kept for
  the counter's banner.
- `moved(PoolChange)`: a job moved, a printer left or rejoined the pool (the
  fact is in the log); for a counter that wants to say so at once.
- `media_low(MediaStatus)`: after a copy, the printer's tray or roll is
  nearly empty (from the page counter and the size the installer entered).
- `health(tuple[PrinterHealth, ...])`: every pool printer's health, asked on
  the printer thread by `check_health()` (the Station tab asks now and then).

A reprint is a supervisor's action: it voids the last copy in the log and
prints a new one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, QThread, Signal, Slot

from station.core.errors import StationError
from station.core.event import BibLayout
from station.core.models import Fact, FactKind
from station.core.payloads import BibPrintedPayload, VoidPayload
from station.core.texts import Language, Text
from station.printing.face import BibFace
from station.printing.health import HealthSource, always_unknown, cups_health
from station.printing.media import MediaCounter
from station.printing.pool import PoolChange, PoolChangeKind, PrinterPool
from station.printing.printer import PrinterProblem, PrintFailed, SpooledJob, problem_of, spool_bib, wait_for_job
from station.printing.zpl import ZplOptions, bib_zpl, send_zpl
from station.store.station_log import StationLog

# Prints one copy on the named printer; returns the spooler's job to follow
# until it has printed, or None when the copy is as done as it gets.
PrintFunction = Callable[[BibFace, BibLayout, str], SpooledJob | None]

DEFAULT_TIMEOUT_S = 30.0


def _print_with_title(face: BibFace, layout: BibLayout, printer: str) -> SpooledJob | None:
    return spool_bib(face, layout, printer, title=f"bib-{face.bib}")


def print_function_for(zpl_printers: Mapping[str, ZplOptions]) -> PrintFunction:
    """Bibs as ZPL to the raw Zebra queues named (with each one's dpi and head),
    drawn through the driver to every other printer."""

    def print_function(face: BibFace, layout: BibLayout, printer: str) -> SpooledJob | None:
        options = zpl_printers.get(printer)
        if options is None:
            return _print_with_title(face, layout, printer)
        try:
            job_id = send_zpl(bib_zpl(face, layout, options), printer, title=f"bib-{face.bib}")
        except StationError as exc:
            raise PrintFailed(PrinterProblem.JOB_FAILED, printer, str(exc)) from None
        return SpooledJob(printer, job_id) if job_id else None

    return print_function


_NO_BACKUP = Text("予備のプリンターが設定されていません。ステーションの設定で選んでください。",
                  "No backup printer is set; choose one in the station settings.")
_NOTHING_TO_REPRINT = Text(
    "このステーションでは受付番号 {entry_no} のゼッケンを印刷していません。通常どおり印刷するか、"
    "印刷したステーションで再印刷してください。",
    "No bib was printed for entry {entry_no} at this station; print it "
    "normally, or reprint at the station that printed it.")


def _none_printed(why: tuple[Text, ...]) -> Text:
    """Every printer of the pool failed: each one's reason, in turn."""
    names = [f"p{i}" for i in range(len(why))]
    return Text("どのプリンターでも印刷できませんでした：" + "／".join(f"{{{n}}}" for n in names),
                "No printer of the pool printed it: " + " / ".join(f"{{{n}}}" for n in names),
                tuple(sorted(zip(names, why, strict=True))))


@dataclass(frozen=True, slots=True)
class PrintJob:
    job_id: str
    entry_no: str
    face: BibFace
    layout: BibLayout
    printer: str  # the printer tried first (the pool's first printer, or the one asked for)
    volunteer_id: str
    reprint_of: str | None = None  # the BIB_PRINTED fact this copy replaces


@dataclass(frozen=True, slots=True)
class Attempt:
    """One printer that did not print a job, and why."""

    printer: str
    problem: PrinterProblem
    message: Text
    detail: str = ""  # what the spooler or driver said (not a sentence of ours)



@dataclass(frozen=True, slots=True)
class PrintedCopy:
    job: PrintJob
    fact: Fact  # the BIB_PRINTED fact in the log
    place: str = ""  # where the printer stands ("table 3"), from the settings
    moved_from: tuple[Attempt, ...] = ()  # the printers that failed first

    @property
    def copy(self) -> int:
        return BibPrintedPayload.from_payload(self.fact.payload).copy or 0

    @property
    def where(self) -> str:
        """The printer the copy came out of."""
        return BibPrintedPayload.from_payload(self.fact.payload).printer or ""

    def text(self, language: str = "en") -> str:
        """Where to collect the bib: "printed at printer B, table 3"."""
        if language == "ja":
            place = f"（{self.place}）" if self.place else ""
            return f"ゼッケン{self.job.face.bib}はプリンター「{self.where}」{place}で印刷されました"
        place = f", {self.place}" if self.place else ""
        return f"bib {self.job.face.bib} printed at printer {self.where}{place}"


@dataclass(frozen=True, slots=True)
class PrintFailure:
    job: PrintJob
    problem: PrinterProblem
    message: Text
    backup_printer: str | None  # offer "use the backup printer" when there is one
    attempts: tuple[Attempt, ...] = ()  # every printer tried, in turn

    @property
    def detail(self) -> str:
        """What the spoolers said, for a details line after the sentence ("" when nothing)."""
        said = [f"{a.printer}: {a.detail}" if len(self.attempts) > 1 else a.detail
                for a in self.attempts if a.detail]
        return " / ".join(dict.fromkeys(said))


    def text(self, language: Language | str = "en") -> str:
        return self.message.render(language)


def _attempt(error: PrintFailed) -> Attempt:
    return Attempt(error.printer, error.problem, error.message_text, error.detail)


class _PrintWorker(QObject):
    """Lives in the printer thread and owns the pool; knows nothing of the log."""

    done = Signal(object, str, object)  # job, printer, tuple[Attempt, ...]
    failed = Signal(object, object)  # job, tuple[Attempt, ...]
    changed = Signal(object)  # PoolChange

    def __init__(self, print_function: PrintFunction, pool: PrinterPool, timeout_s: float) -> None:
        super().__init__()
        self._print = print_function
        self.pool = pool
        self.timeout_s = timeout_s

    checked = Signal(object)  # tuple[PrinterHealth, ...]

    @Slot()
    def check(self) -> None:
        ask = self.pool.health or always_unknown
        self.checked.emit(tuple(ask(printer) for printer in self.pool.printers))

    @Slot()
    def bring_all_back(self) -> None:
        for printer in self.pool.bring_all_back():
            self.changed.emit(PoolChange(PoolChangeKind.BACK, printer, detail="retried by hand"))

    @Slot(object)
    def run(self, job: PrintJob) -> None:
        for health in self.pool.readmit():
            self.changed.emit(PoolChange(PoolChangeKind.BACK, health.printer, detail="answers again"))
        attempts: list[Attempt] = []
        for printer in self.pool.order(prefer=job.printer):
            if attempts:
                last = attempts[-1]
                self.changed.emit(PoolChange(PoolChangeKind.MOVED, last.printer, to=printer,
                                             problem=last.problem.value, job_id=job.job_id,
                                             entry_no=job.entry_no, bib=job.face.bib))
            error = self._try(job, printer)
            if error is None:
                if self.pool.bring_back(printer):
                    self.changed.emit(PoolChange(PoolChangeKind.BACK, printer, detail="printed"))
                self.done.emit(job, printer, tuple(attempts))
                return
            attempts.append(_attempt(error))
            if self.pool.take_out(printer, error.problem.value):
                self.changed.emit(PoolChange(PoolChangeKind.OUT, printer, problem=error.problem.value,
                                             detail=(error.detail or error.text("en"))[:200],
                                             job_id=job.job_id, entry_no=job.entry_no, bib=job.face.bib))
        self.failed.emit(job, tuple(attempts))

    def _try(self, job: PrintJob, printer: str) -> PrintFailed | None:
        """None when the copy printed on `printer`; else what went wrong."""
        try:
            if self.pool.health is not None:
                health = self.pool.health(printer)
                problem = problem_of(health)
                if problem is not None:
                    return PrintFailed(problem, printer, health.detail)
            spooled = self._print(job.face, job.layout, printer)
            if spooled is not None:
                wait_for_job(spooled, timeout_s=self.timeout_s, health=self.pool.health or cups_health)
        except PrintFailed as exc:
            return exc
        except Exception as exc:  # a driver's surprise must not kill the printer thread
            return PrintFailed(PrinterProblem.JOB_FAILED, printer, str(exc))
        return None


class BibPrinter(QObject):
    printed = Signal(object)  # PrintedCopy
    all_failed = Signal(object)  # PrintFailure: no printer of the pool printed the copy
    failed = Signal(object)  # PrintFailure (the same, for the counter's banner)
    moved = Signal(object)  # PoolChange, already a fact in the log
    media_low = Signal(object)  # MediaStatus
    health = Signal(object)  # tuple[PrinterHealth, ...]
    _submit = Signal(object)
    _bring_all_back = Signal()
    _check = Signal()

    def __init__(
        self,
        log: StationLog,
        *,
        printer: str,
        backup_printer: str | None = None,
        pool: Sequence[str] = (),
        health: HealthSource | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        places: Mapping[str, str] | None = None,
        media: MediaCounter | None = None,
        layout: BibLayout = BibLayout.A5_LANDSCAPE,
        print_function: PrintFunction = _print_with_title,
        parent: QObject | None = None,
    ) -> None:
        """`pool`: the counter's printers in order; empty: `printer`, then
        `backup_printer`. `health`: asked before each job (None: the job tells)."""
        super().__init__(parent)
        self.log = log
        self.pool = PrinterPool.of(tuple(pool) or (printer, backup_printer or ""), health=health, places=places)
        self.printer = self.pool.printers[0]
        self.backup_printer = backup_printer or (self.pool.printers[1] if len(self.pool.printers) > 1 else None)
        self.layout = layout
        self.media = media
        self.pending = 0
        self._thread = QThread()
        self._thread.setObjectName("printer")
        self._worker = _PrintWorker(print_function, self.pool, timeout_s)
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run)
        self._bring_all_back.connect(self._worker.bring_all_back)
        self._check.connect(self._worker.check)
        self._worker.checked.connect(self.health)
        self._worker.done.connect(self._on_done)
        self._worker.failed.connect(self._on_failed)
        self._worker.changed.connect(self._on_changed)
        self._thread.start()

    def close(self, timeout_ms: int = 15_000) -> None:
        """Finish the jobs already queued, then stop the thread (a hung driver
        does not hang the station's shutdown for longer than `timeout_ms`)."""
        self._thread.quit()
        self._thread.wait(timeout_ms)

    def check_health(self) -> None:
        """Ask every printer of the pool, on the printer thread; answered by `health`."""
        self._check.emit()

    # -- what the counter and the supervisor do ------------------------------

    def print_bib(self, entry_no: str, face: BibFace, *, volunteer_id: str) -> PrintJob:
        job = PrintJob(str(uuid.uuid4()), entry_no, face, self.layout, self.printer, volunteer_id)
        self._enqueue(job)
        return job

    def retry(self, job: PrintJob) -> PrintJob:
        """The volunteer fixed the printer: every printer of the pool is tried again."""
        self._bring_all_back.emit()
        moved = replace(job, printer=self.printer)
        self._enqueue(moved)
        return moved

    def use_backup(self, job: PrintJob) -> PrintJob:
        if not self.backup_printer:
            raise StationError(_NO_BACKUP)
        self._bring_all_back.emit()
        moved = replace(job, printer=self.backup_printer)
        self._enqueue(moved)
        return moved
    def reprint(self, entry_no: str, face: BibFace, *, supervisor_id: str, reason: str) -> PrintJob:
        """Void the last printed copy in the log, then print a new one."""
        copies = [f for f in self.log.facts_for(entry_no) if f.kind is FactKind.BIB_PRINTED]
        if not copies:
            raise StationError(_NOTHING_TO_REPRINT(entry_no=entry_no))
        last = copies[-1]
        self.log.record(FactKind.VOID, volunteer_id=supervisor_id, entry_no=entry_no,
                        payload=VoidPayload(voids=last.fact_id, what="bib_copy",
                                            copy=BibPrintedPayload.from_payload(last.payload).copy,
                                            reason=reason).to_payload())
        job = PrintJob(str(uuid.uuid4()), entry_no, face, self.layout, self.printer,
                       supervisor_id, reprint_of=last.fact_id)
        self._enqueue(job)
        return job

    # -- results, back on the thread that owns the log ------------------------

    def _enqueue(self, job: PrintJob) -> None:
        self.pending += 1
        self._submit.emit(job)

    @Slot(object, str, object)
    def _on_done(self, job: PrintJob, printer: str, attempts: tuple[Attempt, ...]) -> None:
        self.pending -= 1
        copy = self.log.entry_state(job.entry_no).printed_copies + 1
        printed = BibPrintedPayload(copy=copy, printer=printer, layout=job.layout.value, bib=job.face.bib,
                                    job_id=job.job_id, reprint_of=job.reprint_of or None,
                                    moved_from=tuple(a.printer for a in attempts) or None)
        fact = self.log.record(FactKind.BIB_PRINTED, volunteer_id=job.volunteer_id,
                               entry_no=job.entry_no, payload=printed.to_payload())
        self.printed.emit(PrintedCopy(replace(job, printer=printer), fact, self.pool.place(printer), attempts))
        if self.media is not None:
            try:
                status = self.media.printed(printer)
            except (OSError, StationError):  # the counter is a help; printing goes on without it
                return
            if status.low:
                self.media_low.emit(status)

    @Slot(object, object)
    def _on_failed(self, job: PrintJob, attempts: tuple[Attempt, ...]) -> None:
        self.pending -= 1
        if not attempts:  # cannot happen with a non-empty pool; said plainly all the same
            attempts = (_attempt(PrintFailed(PrinterProblem.NO_PRINTER, job.printer)),)
        last = attempts[-1]
        message = last.message if len(attempts) == 1 else _none_printed(tuple(a.message for a in attempts))
        backup = self.backup_printer if self.backup_printer not in {a.printer for a in attempts} else None
        failure = PrintFailure(job, last.problem, message, backup, attempts)
        self.all_failed.emit(failure)
        self.failed.emit(failure)

    @Slot(object)
    def _on_changed(self, change: PoolChange) -> None:
        self.log.record(FactKind.PRINTER_POOL, volunteer_id=self.log.station_id, entry_no=change.entry_no,
                        payload=change.payload())
        self.moved.emit(change)
