"""A printer pool on real CUPS: two CUPS-PDF queues (pool-a, pool-b, each writing
into its own folder), the first stopped with `cupsdisable` in the middle of a
run; and a queue whose printer takes the job and never finishes it.

`scripts/setup-cups-pdf.sh` makes the queues (the fixture runs it as root);
the fixtures put every queue back as it was.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.core.event import BibLayout
from station.core.models import FactKind
from station.printing.face import BibFace
from station.printing.health import PrinterCondition, cups_health
from station.printing.printer import PrinterProblem, SpooledJob, cups_jobs, spool_bib
from station.printing.worker import BibPrinter, PrintedCopy
from station.store.station_log import StationLog
from tests.integration.test_print_cups import pdf_text
from tests.ui.test_printer_pool import face

ROOT = Path(__file__).resolve().parents[2]
POOL = ("pool-a", "pool-b")
POOL_OUT = Path(os.environ.get("BIB_STATION_CUPS_PDF_POOL_OUT", "/var/spool/cups-pdf"))


def _cups(*args: str) -> None:
    subprocess.run(list(args), capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def pool_queues() -> Iterator[tuple[str, str]]:
    if shutil.which("lpstat") is None or shutil.which("pdftotext") is None:
        pytest.skip("CUPS or poppler-utils is not installed; run scripts/setup-cups-pdf.sh as root")
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("adding and stopping CUPS queues needs root")
    setup = subprocess.run(["sh", str(ROOT / "scripts" / "setup-cups-pdf.sh")], capture_output=True,
                           text=True, check=False, env={**os.environ, "BIB_STATION_POOL_PRINTERS": " ".join(POOL)})
    if setup.returncode != 0:
        pytest.skip(f"CUPS cannot run here: {setup.stderr.strip() or setup.stdout.strip()}")
    yield POOL
    for queue in POOL:
        _cups("cancel", "-a", queue)
        _cups("cupsenable", queue)
        _cups("cupsaccept", queue)


@pytest.fixture
def station_log(tmp_path: Path) -> Iterator[StationLog]:
    log = StationLog.open(tmp_path / "station.sqlite", station_id="counter-1", event_id="kyoto-2027")
    yield log
    log.close()


@pytest.fixture
def run_id() -> str:
    return uuid.uuid4().hex[:8]


def titled(run: str):  # -> a PrintFunction
    def print_function(bib_face: BibFace, layout: BibLayout, printer: str) -> SpooledJob | None:
        return spool_bib(bib_face, layout, printer, title=f"pooltest-{run}-{bib_face.bib}")

    return print_function


def pdf_of(queue: str, run: str, bib: str) -> Path:
    return POOL_OUT / queue / f"pooltest-{run}-{bib}.pdf"


def print_one(qtbot, printer: BibPrinter, bib: str) -> PrintedCopy:
    with qtbot.waitSignal(printer.printed, timeout=60_000) as printed:
        printer.print_bib(f"E{bib}", face(bib), volunteer_id="vol-1")
    return printed.args[0]


def test_the_first_printer_stopped_mid_run_every_bib_comes_out_of_the_second(
    qtbot, pool_queues: tuple[str, str], station_log: StationLog, run_id: str
) -> None:
    first, second = pool_queues
    printer = BibPrinter(station_log, printer="", pool=pool_queues, health=cups_health, timeout_s=30,
                         places={second: "table 3"}, print_function=titled(run_id))
    try:
        before = [print_one(qtbot, printer, bib) for bib in ("5101", "5102")]
        _cups("cupsdisable", first)  # the printer jams, or a volunteer pauses it
        after = [print_one(qtbot, printer, bib) for bib in ("5103", "5104", "5105", "5106")]
        _cups("cupsenable", first)  # fixed: it answers again
        back = print_one(qtbot, printer, "5107")
    finally:
        _cups("cupsenable", first)
        printer.close()

    assert [c.where for c in before] == [first, first]
    assert [c.where for c in after] == [second] * 4
    assert back.where == first
    # Where to collect it, as the counter shows it.
    assert after[0].text("en") == f"bib 5103 printed at printer {second}, table 3"
    assert "table 3" in after[0].text("ja") and second in after[0].text("ja")
    assert [a.problem for a in after[0].moved_from] == [PrinterProblem.PAUSED]
    # Every bib came out where the log says, and only there.
    for copy in [*before, *after, back]:
        bib = copy.job.face.bib
        other = second if copy.where == first else first
        deadline = time.monotonic() + 30
        while not pdf_of(copy.where, run_id, bib).exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert bib in pdf_text(pdf_of(copy.where, run_id, bib))
        assert not pdf_of(other, run_id, bib).exists()
    # Each move and each change of the pool is a fact.
    pool_facts = [f for _, f in station_log.facts() if f.kind is FactKind.PRINTER_POOL]
    assert [(f.payload["change"], f.payload["printer"], f.payload.get("to"), f.entry_no) for f in pool_facts] == [
        ("out", first, None, "E5103"), ("moved", first, second, "E5103"), ("back", first, None, None)]
    assert pool_facts[0].payload["problem"] == "paused"
    assert pool_facts[1].payload["job_id"] == after[0].job.job_id
    printed = [f for _, f in station_log.facts() if f.kind is FactKind.BIB_PRINTED]
    assert [f.payload["printer"] for f in printed] == [first, first, second, second, second, second, first]
    assert printed[2].payload["moved_from"] == [first]


class SilentPrinter:
    """A network printer that takes the connection and never finishes the job."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(8)
        self.port = self.server.getsockname()[1]
        self.connections: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        self.server.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections.append(conn)  # never read, never closed: the job hangs

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        for conn in self.connections:
            conn.close()
        self.server.close()


@pytest.fixture
def hung_queue(pool_queues: tuple[str, str]) -> Iterator[str]:
    silent = SilentPrinter()
    name = "pool-hung"
    ppd = "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"
    subprocess.run(["lpadmin", "-p", name, "-v", f"socket://127.0.0.1:{silent.port}", "-m", ppd, "-E"],
                   check=True, capture_output=True)
    assert cups_health(name).condition is PrinterCondition.READY
    yield name
    _cups("cancel", "-a", name)
    _cups("lpadmin", "-x", name)
    silent.close()


def test_a_job_that_never_finishes_is_cancelled_and_printed_at_the_next_printer(
    qtbot, pool_queues: tuple[str, str], hung_queue: str, station_log: StationLog, run_id: str
) -> None:
    second = pool_queues[1]
    printer = BibPrinter(station_log, printer="", pool=[hung_queue, second], health=cups_health, timeout_s=3,
                         print_function=titled(run_id))
    try:
        started = time.monotonic()
        copy = print_one(qtbot, printer, "5201")
        took = time.monotonic() - started
    finally:
        printer.close()
    assert copy.where == second
    assert [a.problem for a in copy.moved_from] == [PrinterProblem.TIMED_OUT]
    assert 3 <= took < 30
    assert cups_jobs(hung_queue, "not-completed") == set()  # cancelled: it will not print later
    moved = [f for _, f in station_log.facts() if f.kind is FactKind.PRINTER_POOL and f.payload["change"] == "moved"]
    assert [(f.payload["printer"], f.payload["to"], f.payload["problem"]) for f in moved] == [
        (hung_queue, second, "timed_out")]
    assert "5201" in pdf_text(pdf_of(second, run_id, "5201"))


def test_a_printer_stopped_while_it_holds_the_job_loses_it_to_the_next_at_once(
    qtbot, pool_queues: tuple[str, str], hung_queue: str, station_log: StationLog, run_id: str
) -> None:
    second = pool_queues[1]
    printer = BibPrinter(station_log, printer="", pool=[hung_queue, second], health=cups_health, timeout_s=60,
                         print_function=titled(run_id))
    try:
        with qtbot.waitSignal(printer.printed, timeout=60_000) as printed:
            printer.print_bib("E5301", face("5301"), volunteer_id="vol-1")
            qtbot.waitUntil(lambda: bool(cups_jobs(hung_queue, "not-completed")), timeout=10_000)
            stopped = time.monotonic()
            _cups("cupsdisable", hung_queue)
        took = time.monotonic() - stopped
    finally:
        printer.close()
    copy: PrintedCopy = printed.args[0]
    assert copy.where == second
    # CUPS forgets the stop reason of a queue stopped mid-job ("reason unknown"): paused.
    assert [a.problem for a in copy.moved_from] == [PrinterProblem.PAUSED]
    assert took < 30  # far below the 60 s timeout: the stop was seen while waiting
    assert cups_jobs(hung_queue, "not-completed") == set()


def test_selfcheck_and_printer_status_tell_each_pool_printer(pool_queues: tuple[str, str]) -> None:
    from dataclasses import replace

    from click.testing import CliRunner

    from station import settings as settings_module
    from station.commands.printer import printer as printer_command
    from station.printing.media import MediaCounter, counter_file
    from station.selfcheck import Machine, Outcome, check_printer

    first, second = pool_queues
    folders = settings_module.Folders.current()
    settings = replace(settings_module.load(), printer_pool=pool_queues, media_pages={second: 50},
                       printer_places={second: "table 3"})
    settings_module.save(settings)
    counter = MediaCounter(counter_file(folders.data), settings.media_pages)
    for _ in range(46):
        counter.printed(second)
    machine = Machine(settings, folders, None)
    runner = CliRunner()
    try:
        low = check_printer(machine)
        assert low.outcome is Outcome.WARN and f"{second}: ready; about 4 of 50 left" in low.detail, low
        assert "station printer loaded" in low.todo
        loaded = runner.invoke(printer_command, ["loaded", second])
        assert loaded.exit_code == 0, loaded.output
        assert "about 50 of 50 left" in loaded.output
        assert check_printer(machine).outcome is Outcome.OK
        _cups("cupsdisable", first)
        half = check_printer(machine)
        assert half.outcome is Outcome.WARN and f"{first}: paused" in half.detail, half
        status = runner.invoke(printer_command, ["status"])
        assert status.exit_code == 0, status.output
        assert f"1. {first}: paused" in status.output and f"2. {second}: ready — table 3" in status.output
        _cups("cupsdisable", second)
        none = check_printer(machine)
        assert none.outcome is Outcome.FAIL and "cupsenable" in none.todo
        assert runner.invoke(printer_command, ["status"]).exit_code == 1
        from station.cli import cli

        wrong = runner.invoke(cli, ["printer", "loaded", "nope"])
        assert wrong.exit_code == 1 and "not one of this counter's printers" in wrong.output
    finally:
        _cups("cupsenable", first)
        _cups("cupsenable", second)
