"""Printer status on Windows, from the print spooler (winspool), as the same
QueueState the CUPS reader (station/printing/printer.py) gives.

Windows keeps two kinds of news about a printer: the printer's own status
flags (PRINTER_INFO_2.Status, and "Use printer offline" in its Attributes)
and the status of each queued job (JOB_INFO_1.Status). Many USB printers only
ever report through the jobs, so both are read. The reading is behind the
small `Spooler` interface: `CtypesSpooler` calls winspool.drv on Windows;
tests on Linux give `spooler_state` a fake with the same answers.
"""

from __future__ import annotations

import ctypes
import sys
from dataclasses import dataclass
from typing import Protocol

from station.printing.printer import PrinterProblem, QueueState

# winspool.h: PRINTER_INFO_2.Status
PRINTER_STATUS_PAUSED = 0x00000001
PRINTER_STATUS_ERROR = 0x00000002
PRINTER_STATUS_PAPER_JAM = 0x00000008
PRINTER_STATUS_PAPER_OUT = 0x00000010
PRINTER_STATUS_PAPER_PROBLEM = 0x00000040
PRINTER_STATUS_OFFLINE = 0x00000080
PRINTER_STATUS_NOT_AVAILABLE = 0x00001000
PRINTER_STATUS_NO_TONER = 0x00040000
PRINTER_STATUS_USER_INTERVENTION = 0x00100000
PRINTER_STATUS_DOOR_OPEN = 0x00400000
PRINTER_STATUS_SERVER_UNKNOWN = 0x00800000
# PRINTER_INFO_2.Attributes: "Use printer offline" ticked in the printer's queue window
PRINTER_ATTRIBUTE_WORK_OFFLINE = 0x00000400
# JOB_INFO_1.Status
JOB_STATUS_PAUSED = 0x00000001
JOB_STATUS_ERROR = 0x00000002
JOB_STATUS_OFFLINE = 0x00000020
JOB_STATUS_PAPEROUT = 0x00000040
JOB_STATUS_BLOCKED_DEVQ = 0x00000200
JOB_STATUS_USER_INTERVENTION = 0x00010000

# First match wins: the most specific news first.
_PRINTER_FLAGS = (
    (PRINTER_STATUS_PAPER_OUT, PrinterProblem.OUT_OF_PAPER, "out of paper"),
    (PRINTER_STATUS_PAPER_JAM, PrinterProblem.PAPER_JAM, "paper jam"),
    (PRINTER_STATUS_PAPER_PROBLEM, PrinterProblem.PAPER_JAM, "paper problem"),
    (PRINTER_STATUS_DOOR_OPEN, PrinterProblem.OFFLINE, "a door is open"),
    (PRINTER_STATUS_NO_TONER, PrinterProblem.JOB_FAILED, "no toner"),
    (PRINTER_STATUS_OFFLINE, PrinterProblem.OFFLINE, "offline"),
    (PRINTER_STATUS_NOT_AVAILABLE, PrinterProblem.OFFLINE, "not available"),
    (PRINTER_STATUS_SERVER_UNKNOWN, PrinterProblem.OFFLINE, "print server unknown"),
    (PRINTER_STATUS_PAUSED, PrinterProblem.OFFLINE, "paused in Windows"),
    (PRINTER_STATUS_USER_INTERVENTION, PrinterProblem.JOB_FAILED, "needs attention at the printer"),
    (PRINTER_STATUS_ERROR, PrinterProblem.JOB_FAILED, "printer error"),
)
_JOB_FLAGS = (
    (JOB_STATUS_PAPEROUT, PrinterProblem.OUT_OF_PAPER, "a job waits for paper"),
    (JOB_STATUS_OFFLINE, PrinterProblem.OFFLINE, "a job waits for the printer to come online"),
    (JOB_STATUS_BLOCKED_DEVQ, PrinterProblem.OFFLINE, "the printer's driver blocks the queue"),
    (JOB_STATUS_USER_INTERVENTION, PrinterProblem.JOB_FAILED, "a job needs attention at the printer"),
    (JOB_STATUS_ERROR, PrinterProblem.JOB_FAILED, "a job is in error"),
)


@dataclass(frozen=True, slots=True)
class SpoolerPrinter:
    """What the spooler says about one printer."""

    status: int  # PRINTER_STATUS_* flags
    attributes: int  # PRINTER_ATTRIBUTE_* flags
    job_statuses: tuple[int, ...]  # JOB_STATUS_* flags of each queued job


class Spooler(Protocol):
    def printer(self, name: str) -> SpoolerPrinter | None:
        """None: no such printer installed."""


def spooler_state(name: str, spooler: Spooler) -> QueueState:
    """The spooler's news as the counter's QueueState (None problem: ready)."""
    try:
        info = spooler.printer(name)
    except OSError as exc:
        return QueueState(name, None, f"the print spooler did not answer: {exc}")
    if info is None:
        return QueueState(name, PrinterProblem.NO_PRINTER, "not installed in Windows")
    for flag, problem, words in _PRINTER_FLAGS:
        if info.status & flag:
            return QueueState(name, problem, words)
    if info.attributes & PRINTER_ATTRIBUTE_WORK_OFFLINE:
        return QueueState(name, PrinterProblem.OFFLINE, "'Use printer offline' is ticked in Windows")
    for job in info.job_statuses:
        for flag, problem, words in _JOB_FLAGS:
            if job & flag:
                return QueueState(name, problem, words)
    return QueueState(name, None)


# -- winspool.drv through ctypes (Windows only) -------------------------------------------

_PTR = ctypes.c_void_p
_DWORD = ctypes.c_uint32


class PRINTER_INFO_2W(ctypes.Structure):  # the Windows names
    _fields_ = [(name, _PTR) for name in (
        "pServerName", "pPrinterName", "pShareName", "pPortName", "pDriverName", "pComment", "pLocation",
        "pDevMode", "pSepFile", "pPrintProcessor", "pDatatype", "pParameters", "pSecurityDescriptor")] + [
        (name, _DWORD) for name in (
            "Attributes", "Priority", "DefaultPriority", "StartTime", "UntilTime", "Status", "cJobs", "AveragePPM")]


class SYSTEMTIME(ctypes.Structure):
    _fields_ = [(name, ctypes.c_uint16) for name in (
        "wYear", "wMonth", "wDayOfWeek", "wDay", "wHour", "wMinute", "wSecond", "wMilliseconds")]


class JOB_INFO_1W(ctypes.Structure):
    _fields_ = [("JobId", _DWORD)] + [(name, _PTR) for name in (
        "pPrinterName", "pMachineName", "pUserName", "pDocument", "pDatatype", "pStatus")] + [
        (name, _DWORD) for name in ("Status", "Priority", "Position", "TotalPages", "PagesPrinted")] + [
        ("Submitted", SYSTEMTIME)]


ERROR_INVALID_PRINTER_NAME = 1801
MAX_JOBS_READ = 64


class CtypesSpooler:
    """GetPrinterW level 2 and EnumJobsW level 1 on the local spooler."""

    def __init__(self) -> None:
        if sys.platform != "win32":
            raise OSError("the Windows print spooler exists only on Windows")
        self._winspool = ctypes.WinDLL("winspool.drv", use_last_error=True)  # type: ignore[attr-defined]

    def printer(self, name: str) -> SpoolerPrinter | None:
        w = self._winspool
        handle = ctypes.c_void_p()
        if not w.OpenPrinterW(ctypes.c_wchar_p(name), ctypes.byref(handle), None):
            if ctypes.get_last_error() == ERROR_INVALID_PRINTER_NAME:  # type: ignore[attr-defined]
                return None
            raise ctypes.WinError(ctypes.get_last_error())  # type: ignore[attr-defined]
        try:
            info = PRINTER_INFO_2W.from_buffer_copy(self._call(w.GetPrinterW, handle, 2))
            jobs: tuple[int, ...] = ()
            if info.cJobs:
                needed, returned = _DWORD(), _DWORD()
                w.EnumJobsW(handle, 0, MAX_JOBS_READ, 1, None, 0, ctypes.byref(needed), ctypes.byref(returned))
                buffer = ctypes.create_string_buffer(max(needed.value, 1))
                if w.EnumJobsW(handle, 0, MAX_JOBS_READ, 1, buffer, needed, ctypes.byref(needed),
                               ctypes.byref(returned)):
                    array = (JOB_INFO_1W * returned.value).from_buffer(buffer)
                    jobs = tuple(job.Status for job in array)
            return SpoolerPrinter(info.Status, info.Attributes, jobs)
        finally:
            w.ClosePrinter(handle)

    @staticmethod
    def _call(function, handle, level: int) -> bytes:
        needed = _DWORD()
        function(handle, level, None, 0, ctypes.byref(needed))
        buffer = ctypes.create_string_buffer(max(needed.value, ctypes.sizeof(PRINTER_INFO_2W)))
        if not function(handle, level, buffer, needed, ctypes.byref(needed)):
            raise ctypes.WinError(ctypes.get_last_error())  # type: ignore[attr-defined]
        return buffer.raw


def queue_state(name: str) -> QueueState:
    """The printer's state from the local Windows spooler."""
    try:
        spooler = CtypesSpooler()
    except OSError as exc:
        return QueueState(name, None, str(exc))
    return spooler_state(name, spooler)
