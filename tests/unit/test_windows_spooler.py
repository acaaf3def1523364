"""The Windows spooler's news read as the counter's printer problems (a fake spooler on Linux)."""

from __future__ import annotations

import ctypes

import pytest

from station.printing import windows_spooler as ws
from station.printing.printer import PrinterProblem


class FakeSpooler:
    def __init__(self, printers: dict[str, ws.SpoolerPrinter], fail: bool = False) -> None:
        self.printers = printers
        self.fail = fail

    def printer(self, name: str) -> ws.SpoolerPrinter | None:
        if self.fail:
            raise OSError("RPC server unavailable")
        return self.printers.get(name)


@pytest.mark.parametrize(("status", "attributes", "jobs", "problem"), [
    (0, 0, (), None),
    (ws.PRINTER_STATUS_PAUSED, 0, (), PrinterProblem.OFFLINE),
    (ws.PRINTER_STATUS_OFFLINE, 0, (), PrinterProblem.OFFLINE),
    (ws.PRINTER_STATUS_PAPER_OUT | ws.PRINTER_STATUS_ERROR, 0, (), PrinterProblem.OUT_OF_PAPER),
    (ws.PRINTER_STATUS_PAPER_JAM, 0, (), PrinterProblem.PAPER_JAM),
    (0, ws.PRINTER_ATTRIBUTE_WORK_OFFLINE, (), PrinterProblem.OFFLINE),
    # a USB printer that only tells through its jobs
    (0, 0, (0, ws.JOB_STATUS_PAPEROUT), PrinterProblem.OUT_OF_PAPER),
    (0, 0, (ws.JOB_STATUS_OFFLINE,), PrinterProblem.OFFLINE),
    (0, 0, (ws.JOB_STATUS_ERROR,), PrinterProblem.JOB_FAILED),
    (0, 0, (ws.JOB_STATUS_PAUSED,), None),  # a job paused by hand is not a printer fault
])
def test_spooler_flags_become_printer_problems(status, attributes, jobs, problem) -> None:
    spooler = FakeSpooler({"Brother QL": ws.SpoolerPrinter(status, attributes, jobs)})
    state = ws.spooler_state("Brother QL", spooler)
    assert state.printer == "Brother QL"
    assert state.problem is problem
    assert bool(state.detail) == (problem is not None)


def test_a_missing_printer_and_a_silent_spooler() -> None:
    assert ws.spooler_state("gone", FakeSpooler({})).problem is PrinterProblem.NO_PRINTER
    silent = ws.spooler_state("any", FakeSpooler({}, fail=True))
    assert silent.problem is None and "spooler did not answer" in silent.detail


def test_the_structures_have_the_64_bit_windows_layout() -> None:
    if ctypes.sizeof(ctypes.c_void_p) != 8:
        pytest.skip("a 32-bit Python")
    assert ctypes.sizeof(ws.PRINTER_INFO_2W) == 136
    assert ws.PRINTER_INFO_2W.Status.offset == 124
    assert ctypes.sizeof(ws.JOB_INFO_1W) == 96
    assert ws.JOB_INFO_1W.Status.offset == 56


def test_off_windows_the_adapter_says_so_instead_of_guessing() -> None:
    state = ws.queue_state("Brother QL")
    assert state.problem is None and "only on Windows" in state.detail
