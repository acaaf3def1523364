"""Printer pool failover on real CUPS: from the failure to the bib at the backup.

    sudo scripts/setup-cups-pdf.sh      # CUPS-PDF queues pool-a and pool-b
    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_print_failover.py [--rounds 20]

Needs root (it stops and starts CUPS queues and adds one, "pool-hung"); puts
every queue back as it was. Two ways a printer fails, `--rounds` times each
(goal: p95 <= 5 s from the failure to the copy written by the backup):

1. stopped between jobs: `cupsdisable pool-a`, then a job for the pool
   [pool-a, pool-b]: the health check before the job sees pool-a paused.
2. stopped while it holds the job: a network printer that takes the job and
   never finishes it (a TCP socket that never reads) is stopped with
   `cupsdisable` while the job waits in its queue; the worker, following the
   job, sees the stop, cancels the job and sends it to pool-b.

The time ends when the print worker says `printed` (the CUPS job at pool-b
has completed: CUPS-PDF has written the PDF, which is checked).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from station.core.event import BibLayout, kyoto_defaults
from station.core.models import Category, Entrant, Sex
from station.core.nickname import NicknameChecker
from station.printing.face import BibFace, bib_face
from station.printing.health import cups_health
from station.printing.printer import SpooledJob, cups_jobs, spool_bib
from station.printing.worker import BibPrinter, PrintedCopy
from station.store.station_log import StationLog

ROOT = Path(__file__).resolve().parents[1]
POOL_OUT = Path(os.environ.get("BIB_STATION_CUPS_PDF_POOL_OUT", "/var/spool/cups-pdf"))
SETTINGS = kyoto_defaults("bench-2027", "京都マラソン2027 KYOTO MARATHON", dt.date(2027, 2, 21))
RUN = uuid.uuid4().hex[:6]


def face(bib: str) -> BibFace:
    person = Entrant(entry_no=f"E{bib}", bib=bib, family_kanji="", given_kanji="", family_kana="",
                     given_kana="", family_latin="Smith", given_latin="Ann", sex=Sex.FEMALE,
                     birth_date=dt.date(1985, 3, 3), nationality="GBR", category=Category.GENERAL,
                     start_block="B", nickname="ANN")
    return bib_face(person, SETTINGS, NicknameChecker(SETTINGS.nickname).check(person))


def titled(bib_face: BibFace, layout: BibLayout, printer: str) -> SpooledJob | None:
    return spool_bib(bib_face, layout, printer, title=f"failover-{RUN}-{bib_face.bib}")


def cups(*args: str) -> None:
    subprocess.run(list(args), capture_output=True, text=True, check=False)


def wait_printed(printer: BibPrinter, start: Callable[[], float], timeout_s: float = 60) -> tuple[PrintedCopy, float]:
    """Run `start()` (which returns the failure instant) and wait for the copy."""
    got: list[tuple[PrintedCopy, float]] = []
    loop = QEventLoop()

    def on_printed(copy: PrintedCopy) -> None:
        got.append((copy, time.monotonic()))
        loop.quit()

    printer.printed.connect(on_printed)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    failed_at = start()
    if not got:
        loop.exec()
    printer.printed.disconnect(on_printed)
    if not got:
        raise SystemExit("no copy came out within the time; see /var/log/cups/error_log")
    copy, at = got[0]
    return copy, at - failed_at


def report(name: str, times: list[float]) -> None:
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"{name}: n={len(times)} median {statistics.median(times):.2f} s, p95 {p95:.2f} s, "
          f"max {times[-1]:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    if shutil.which("lpstat") is None or os.geteuid() != 0:
        raise SystemExit("needs CUPS and root: run scripts/setup-cups-pdf.sh as root first")
    subprocess.run(["sh", str(ROOT / "scripts" / "setup-cups-pdf.sh")], check=True, capture_output=True,
                   env={**os.environ, "BIB_STATION_POOL_PRINTERS": "pool-a pool-b"})
    app = QApplication.instance() or QApplication(sys.argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-failover-"))
    log = StationLog.open(folder / "station.sqlite", station_id="bench-1", event_id="bench-2027")
    bib = iter(range(60000, 70000))

    # 1. stopped between jobs
    between: list[float] = []
    printer = BibPrinter(log, printer="", pool=["pool-a", "pool-b"], health=cups_health, timeout_s=30,
                         print_function=titled)
    try:
        for _ in range(args.rounds):
            cups("cupsenable", "pool-a")
            warm, _ = wait_printed(printer, lambda: (printer.print_bib("E0", face(str(next(bib))),
                                                                       volunteer_id="bench"), time.monotonic())[1])
            assert warm.where == "pool-a", warm.where
            number = str(next(bib))

            def fail_then_print(number: str = number) -> float:
                cups("cupsdisable", "pool-a")
                at = time.monotonic()
                printer.print_bib(f"E{number}", face(number), volunteer_id="bench")
                return at

            copy, took = wait_printed(printer, fail_then_print)
            assert copy.where == "pool-b" and (POOL_OUT / "pool-b" / f"failover-{RUN}-{number}.pdf").exists()
            between.append(took)
    finally:
        cups("cupsenable", "pool-a")
        printer.close()
        QCoreApplication.sendPostedEvents(printer)

    # 2. stopped while it holds the job
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(64)  # connections wait in the backlog: taken, never read
    port = server.getsockname()[1]
    cups("lpadmin", "-p", "pool-hung", "-v", f"socket://127.0.0.1:{port}", "-m",
         "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd", "-E")
    holding: list[float] = []
    printer = BibPrinter(log, printer="", pool=["pool-hung", "pool-b"], health=cups_health, timeout_s=60,
                         print_function=titled)
    try:
        for _ in range(args.rounds):
            cups("cupsenable", "pool-hung")
            number = str(next(bib))

            def print_then_fail(number: str = number) -> float:
                printer.print_bib(f"E{number}", face(number), volunteer_id="bench")
                deadline = time.monotonic() + 20
                while not cups_jobs("pool-hung", "not-completed") and time.monotonic() < deadline:
                    app.processEvents()
                    time.sleep(0.02)
                cups("cupsdisable", "pool-hung")
                return time.monotonic()

            copy, took = wait_printed(printer, print_then_fail)
            assert copy.where == "pool-b", copy.where
            assert (POOL_OUT / "pool-b" / f"failover-{RUN}-{number}.pdf").exists()
            holding.append(took)
    finally:
        printer.close()
        QCoreApplication.sendPostedEvents(printer)
        cups("cancel", "-a", "pool-hung")
        cups("lpadmin", "-x", "pool-hung")
        server.close()
        log.close()

    load = os.getloadavg()[0]
    print(f"printer pool failover, {args.rounds} rounds each, load {load:.1f}")
    report("1. stopped between jobs -> printed at the backup", between)
    report("2. stopped while holding the job -> printed at the backup", holding)


if __name__ == "__main__":
    main()
