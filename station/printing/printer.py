"""Sending one bib to a real printer, and telling the volunteer what went wrong.

Qt reports little beyond "could not start" and "error"; where CUPS runs
(Linux, macOS) `lpstat` also tells a stopped queue, an offline printer and an
empty paper tray apart, before and after the job (printing/health.py), and
`spool_bib` + `wait_for_job` follow the CUPS job until it has left the queue,
so that a job stuck behind a printer that stopped can be cancelled and sent
to the next printer of the pool.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from station.core.errors import StationError
from station.core.event import BibLayout
from station.core.texts import Language, Text
from station.printing.face import BibFace
from station.printing.health import HealthSource, PrinterCondition, PrinterHealth, cups_health
from station.printing.layout import page_layout, paint_bib, paper_mm
from station.system_env import system_env


class PrinterProblem(StrEnum):
    NO_PRINTER = "no_printer"
    OFFLINE = "offline"
    OUT_OF_PAPER = "out_of_paper"
    PAPER_JAM = "paper_jam"
    JOB_FAILED = "job_failed"
    PAUSED = "paused"
    DOOR_OPEN = "door_open"
    TIMED_OUT = "timed_out"


# {printer}: the queue's name; {detail}: what the spooler said, in the English (log) sentence only: it is
# the spooler's words, so a Japanese window shows it on a details line after the sentence, never inside it.
_MESSAGES: dict[PrinterProblem, Text] = {
    PrinterProblem.NO_PRINTER: Text(
        "プリンター「{printer}」が見つかりません。予備のプリンターを使ってください。",
        "Printer {printer!r} is not installed; use the backup printer.",
    ),
    PrinterProblem.OFFLINE: Text(
        "プリンター「{printer}」がオフラインです。電源とケーブルを確認して再試行するか、予備のプリンターを使ってください。",
        "Printer {printer!r} is offline; check its power and cable and retry, or use the backup printer.",
    ),
    PrinterProblem.OUT_OF_PAPER: Text(
        "プリンター「{printer}」の用紙がありません。用紙を補充して再試行してください。",
        "Printer {printer!r} is out of paper; load paper and retry, or use the backup printer.",
    ),
    PrinterProblem.PAPER_JAM: Text(
        "プリンター「{printer}」で紙詰まりです。紙を取り除いて再試行してください。",
        "Printer {printer!r} has a paper jam; clear it and retry, or use the backup printer.",
    ),
    PrinterProblem.JOB_FAILED: Text(
        "プリンター「{printer}」で印刷に失敗しました。再試行するか、予備のプリンターを使ってください。",
        "Printing on {printer!r} failed ({detail}); retry, or use the backup printer.",
    ),
    PrinterProblem.PAUSED: Text(
        "プリンター「{printer}」のキューが停止しています。キューを再開するか、予備のプリンターを使ってください。",
        "Printer {printer!r} is paused; resume its queue, or use the backup printer.",
    ),
    PrinterProblem.DOOR_OPEN: Text(
        "プリンター「{printer}」のカバーが開いています。閉じて再試行してください。",
        "Printer {printer!r} has its door open; close it and retry, or use the backup printer.",
    ),
    PrinterProblem.TIMED_OUT: Text(
        "プリンター「{printer}」が時間内に印刷しませんでした。プリンターを確認してください。",
        "Printer {printer!r} did not print in time ({detail}); check the printer.",
    ),
}

PROBLEM_OF: dict[PrinterCondition, PrinterProblem] = {
    PrinterCondition.NOT_INSTALLED: PrinterProblem.NO_PRINTER,
    PrinterCondition.PAUSED: PrinterProblem.PAUSED,
    PrinterCondition.OFFLINE: PrinterProblem.OFFLINE,
    PrinterCondition.OUT_OF_PAPER: PrinterProblem.OUT_OF_PAPER,
    PrinterCondition.DOOR_OPEN: PrinterProblem.DOOR_OPEN,
    PrinterCondition.PAPER_JAM: PrinterProblem.PAPER_JAM,
}


def problem_of(health: PrinterHealth) -> PrinterProblem | None:
    """The problem a health stops a job with; None when the printer may print."""
    return PROBLEM_OF.get(health.condition)


class PrintFailed(StationError):
    def __init__(self, problem: PrinterProblem, printer: str, detail: str = "") -> None:
        self.problem = problem
        self.printer = printer
        super().__init__(_MESSAGES[problem](printer=printer, detail=detail), detail=detail)

    def text(self, language: Language | str = "en") -> str:
        return self.message_text.render(language)


@dataclass(frozen=True, slots=True)
class QueueState:
    printer: str
    problem: PrinterProblem | None  # None: ready, or nothing known (no CUPS)
    detail: str = ""


def queue_state(printer: str) -> QueueState:
    """The CUPS queue's state from `lpstat`; no problem known where there is no CUPS.
    On Windows the print spooler's (station/printing/windows_spooler.py)."""
    if sys.platform == "win32":
        from station.printing.windows_spooler import queue_state as spooler_queue_state

        return spooler_queue_state(printer)
    health = cups_health(printer)
    return QueueState(printer, problem_of(health), health.detail if problem_of(health) else "")


def print_bib(face: BibFace, layout: BibLayout, printer_name: str, *, title: str) -> None:
    """Print one copy; raises PrintFailed with what the volunteer can do."""
    _check_before(printer_name)
    _paint_job(face, layout, printer_name, title)
    after = queue_state(printer_name)
    if after.problem is not None:
        raise PrintFailed(after.problem, printer_name, after.detail)


def _check_before(printer_name: str) -> None:
    if printer_name not in QPrinterInfo.availablePrinterNames():
        raise PrintFailed(PrinterProblem.NO_PRINTER, printer_name)
    before = queue_state(printer_name)
    if before.problem is not None:
        raise PrintFailed(before.problem, printer_name, before.detail)


def _paint_job(face: BibFace, layout: BibLayout, printer_name: str, title: str) -> None:
    printer = QPrinter(QPrinterInfo.printerInfo(printer_name), QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)
    printer.setPageLayout(page_layout(layout))
    printer.setDocName(title)
    printer.setCopyCount(1)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed(PrinterProblem.JOB_FAILED, printer_name, "the printer did not accept the job")
    try:
        paint_bib(painter, QRectF(printer.paperRect(QPrinter.Unit.DevicePixel)), face,
                  paper_mm(layout), for_postscript=True)
    finally:
        painter.end()
    if printer.printerState() in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted):
        raise PrintFailed(PrinterProblem.JOB_FAILED, printer_name, "Qt reported an error")


# -- following a CUPS job until it has left the queue -------------------------


@dataclass(frozen=True, slots=True)
class SpooledJob:
    """A job CUPS holds: `wait_for_job` follows it until it has printed."""

    printer: str
    job_id: str  # CUPS's request id, "QUEUE-123"


_JOB_LINE = re.compile(r"^(\S+-\d+)\s")


def cups_jobs(printer: str, which: str = "all") -> set[str]:
    """The request ids `lpstat -W WHICH -o PRINTER` lists ("all", "not-completed", "completed")."""
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return set()
    try:
        run = subprocess.run([lpstat, "-W", which, "-o", printer], capture_output=True, text=True,
                             timeout=5, check=False, env=system_env())
    except (OSError, subprocess.TimeoutExpired):
        return set()
    return {m.group(1) for line in run.stdout.splitlines() if (m := _JOB_LINE.match(line))
            and m.group(1).rsplit("-", 1)[0] == printer}


def cancel_job(job: SpooledJob) -> None:
    """Take a stuck job off its queue, so it does not print later as a second copy."""
    cancel = shutil.which("cancel")
    if cancel is not None:
        subprocess.run([cancel, job.job_id], capture_output=True, text=True, timeout=5, check=False,
                       env=system_env())


def spool_bib(face: BibFace, layout: BibLayout, printer_name: str, *, title: str) -> SpooledJob | None:
    """Hand one copy to the spooler; the CUPS job to follow, or None where there is
    no CUPS (the job is then as done as the driver says)."""
    _check_before(printer_name)
    if shutil.which("lpstat") is None:
        _paint_job(face, layout, printer_name, title)
        return None
    known = cups_jobs(printer_name)
    _paint_job(face, layout, printer_name, title)
    new = cups_jobs(printer_name) - known
    if not new:  # already gone through and forgotten (or CUPS keeps no history): done
        return None
    return SpooledJob(printer_name, max(new, key=lambda job_id: int(job_id.rsplit("-", 1)[1])))


def wait_for_job(job: SpooledJob, *, timeout_s: float, health: HealthSource = cups_health,
                 poll_s: float = 0.2) -> None:
    """Return when the job has left the queue (printed); raise PrintFailed, after
    cancelling the job, when the printer stops meanwhile or `timeout_s` passes."""
    deadline = time.monotonic() + timeout_s
    while True:
        if job.job_id not in cups_jobs(job.printer, "not-completed"):
            return
        state = health(job.printer)
        problem = problem_of(state)
        if problem is not None:
            cancel_job(job)
            raise PrintFailed(problem, job.printer, state.detail)
        if time.monotonic() >= deadline:
            cancel_job(job)
            raise PrintFailed(PrinterProblem.TIMED_OUT, job.printer, f"job {job.job_id} waited {timeout_s:g} s")
        time.sleep(poll_s)
