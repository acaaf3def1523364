"""Sending one bib to a real printer, and telling the volunteer what went wrong.

Qt reports little beyond "could not start" and "error"; where CUPS runs
(Linux, macOS) `lpstat` also tells a stopped queue, an offline printer and an
empty paper tray apart, before and after the job.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from station.core.errors import StationError
from station.core.event import BibLayout
from station.printing.face import BibFace
from station.printing.layout import page_layout, paint_bib, paper_mm
from station.system_env import system_env


class PrinterProblem(StrEnum):
    NO_PRINTER = "no_printer"
    OFFLINE = "offline"
    OUT_OF_PAPER = "out_of_paper"
    PAPER_JAM = "paper_jam"
    JOB_FAILED = "job_failed"


_MESSAGES: dict[PrinterProblem, tuple[str, str]] = {
    PrinterProblem.NO_PRINTER: (
        "プリンター「{printer}」が見つかりません。予備のプリンターを使ってください。",
        "Printer {printer!r} is not installed; use the backup printer.",
    ),
    PrinterProblem.OFFLINE: (
        "プリンター「{printer}」がオフラインです。電源とケーブルを確認して再試行するか、予備のプリンターを使ってください。",
        "Printer {printer!r} is offline; check its power and cable and retry, or use the backup printer.",
    ),
    PrinterProblem.OUT_OF_PAPER: (
        "プリンター「{printer}」の用紙がありません。用紙を補充して再試行してください。",
        "Printer {printer!r} is out of paper; load paper and retry, or use the backup printer.",
    ),
    PrinterProblem.PAPER_JAM: (
        "プリンター「{printer}」で紙詰まりです。紙を取り除いて再試行してください。",
        "Printer {printer!r} has a paper jam; clear it and retry, or use the backup printer.",
    ),
    PrinterProblem.JOB_FAILED: (
        "プリンター「{printer}」で印刷に失敗しました（{detail}）。再試行するか、予備のプリンターを使ってください。",
        "Printing on {printer!r} failed ({detail}); retry, or use the backup printer.",
    ),
}


class PrintFailed(StationError):
    def __init__(self, problem: PrinterProblem, printer: str, detail: str = "") -> None:
        self.problem = problem
        self.printer = printer
        self.detail = detail
        super().__init__(self.text("en"))

    def text(self, language: str = "en") -> str:
        ja, en = _MESSAGES[self.problem]
        return (ja if language == "ja" else en).format(printer=self.printer, detail=self.detail)


@dataclass(frozen=True, slots=True)
class QueueState:
    printer: str
    problem: PrinterProblem | None  # None: ready, or nothing known (no CUPS)
    detail: str = ""


_ALERTS = (
    (("media-empty", "media-needed", "out of paper"), PrinterProblem.OUT_OF_PAPER),
    (("media-jam", "paper jam"), PrinterProblem.PAPER_JAM),
    (("offline", "unable to connect", "connecting-to-device", "not responding"), PrinterProblem.OFFLINE),
)


def queue_state(printer: str) -> QueueState:
    """The CUPS queue's state from `lpstat`; no problem known where there is no CUPS.
    On Windows the print spooler's (station/printing/windows_spooler.py)."""
    if sys.platform == "win32":
        from station.printing.windows_spooler import queue_state as spooler_queue_state

        return spooler_queue_state(printer)
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return QueueState(printer, None)
    try:
        run = subprocess.run([lpstat, "-l", "-p", printer], capture_output=True, text=True,
                             timeout=5, check=False, env=system_env())
    except (OSError, subprocess.TimeoutExpired) as exc:
        return QueueState(printer, None, str(exc))
    text = (run.stdout + run.stderr).lower()
    if run.returncode != 0 or "invalid destination" in text or "unknown destination" in text:
        return QueueState(printer, PrinterProblem.NO_PRINTER, run.stderr.strip())
    for words, problem in _ALERTS:
        if any(word in text for word in words):
            return QueueState(printer, problem, run.stdout.strip())
    if " disabled " in f" {text} ":
        return QueueState(printer, PrinterProblem.OFFLINE, run.stdout.strip())
    return QueueState(printer, None)


def print_bib(face: BibFace, layout: BibLayout, printer_name: str, *, title: str) -> None:
    """Print one copy; raises PrintFailed with what the volunteer can do."""
    if printer_name not in QPrinterInfo.availablePrinterNames():
        raise PrintFailed(PrinterProblem.NO_PRINTER, printer_name)
    before = queue_state(printer_name)
    if before.problem is not None:
        raise PrintFailed(before.problem, printer_name, before.detail)
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
    after = queue_state(printer_name)
    if after.problem is not None:
        raise PrintFailed(after.problem, printer_name, after.detail)
