"""A real print: QPrinter -> CUPS -> CUPS-PDF, and the PDF that CUPS wrote read back.

`scripts/setup-cups-pdf.sh` (run as root by .ci/run) installs CUPS and CUPS-PDF
and adds the queue; the fixture runs it again when it can (idempotent), and
skips only where CUPS cannot run at all.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import time
import unicodedata
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.core.event import BibLayout, EventSettings, kyoto_defaults
from station.core.models import Category, Entrant, FactKind, Sex
from station.core.nickname import NicknameChecker
from station.printing.face import BibFace, bib_face
from station.printing.printer import PrinterProblem, PrintFailed, print_bib, queue_state
from station.printing.worker import BibPrinter
from station.store.station_log import StationLog

ROOT = Path(__file__).resolve().parents[2]
QUEUE = os.environ.get("BIB_STATION_PRINTER", "BibStationPDF")
OUT_DIR = Path(os.environ.get("BIB_STATION_CUPS_PDF_OUT", "/var/spool/cups-pdf/out"))
POINTS = {  # what CUPS-PDF writes: the paper as fed, portrait
    BibLayout.A5_LANDSCAPE: (420, 595),
    BibLayout.A4: (595, 842),
    BibLayout.LABEL_100X150: (283, 425),
}


def _cups_running() -> bool:
    run = subprocess.run(["lpstat", "-r"], capture_output=True, text=True, check=False)
    return "is running" in run.stdout


@pytest.fixture(scope="module")
def cups_queue() -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed (pdftotext); run scripts/setup-cups-pdf.sh")
    if shutil.which("lpstat") is None or not (shutil.which("cupsd") or Path("/usr/sbin/cupsd").exists()):
        pytest.skip("CUPS is not installed here; run scripts/setup-cups-pdf.sh as root to test printing")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        setup = subprocess.run(["sh", str(ROOT / "scripts" / "setup-cups-pdf.sh")],
                               capture_output=True, text=True, check=False)
        if setup.returncode != 0:
            pytest.skip(f"CUPS cannot run here: {setup.stderr.strip() or setup.stdout.strip()}")
    if not _cups_running():
        pytest.skip("the CUPS scheduler is not running; run scripts/setup-cups-pdf.sh as root")
    if queue_state(QUEUE).problem is PrinterProblem.NO_PRINTER:
        pytest.skip(f"no CUPS queue {QUEUE}; run scripts/setup-cups-pdf.sh as root")
    return QUEUE


@pytest.fixture
def settings() -> EventSettings:
    return kyoto_defaults("kyoto-2027", "京都マラソン2027 Kyoto Marathon", dt.date(2027, 2, 21))


def runner(bib: str, nickname: str, **changes: object) -> Entrant:
    values: dict[str, object] = dict(
        entry_no=f"E{bib}", bib=bib, family_kanji="", given_kanji="", family_kana="", given_kana="",
        family_latin="Smith", given_latin="James", sex=Sex.MALE, birth_date=dt.date(1985, 3, 3),
        nationality="GBR", category=Category.GENERAL, start_block="B", nickname=nickname,
        katakana_requested=True,
    )
    values.update(changes)
    return Entrant(**values)  # type: ignore[arg-type]


def face_of(person: Entrant, settings: EventSettings) -> BibFace:
    from station.core.katakana import E2KReader

    check = NicknameChecker(settings.nickname, latin_reader=E2KReader()).check(person)
    return bib_face(person, settings, check)


def wait_for_pdf(title: str, timeout: float = 60) -> Path:
    """CUPS-PDF names the file after the job title once Ghostscript is done."""
    path = OUT_DIR / f"{title}.pdf"
    deadline = time.monotonic() + timeout
    last_size = -1
    while time.monotonic() < deadline:
        if path.exists():
            size = path.stat().st_size
            if size > 0 and size == last_size:
                return path
            last_size = size
        time.sleep(0.3)
    log = Path("/var/log/cups/error_log")
    tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
    raise AssertionError(f"CUPS-PDF wrote no {path} within {timeout} s; jobs: "
                         f"{subprocess.run(['lpstat', '-o'], capture_output=True, text=True).stdout}\n{tail}")


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", out)


def pdf_points(path: Path) -> tuple[int, int]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    found = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert found, info
    return round(float(found.group(1))), round(float(found.group(2)))


def unique_title(bib: str) -> str:
    return f"bibtest-{bib}-{uuid.uuid4().hex[:8]}"


@pytest.mark.parametrize("layout", list(BibLayout))
def test_a_bib_printed_through_cups_has_the_paper_size_number_and_nickname(
    qapp, cups_queue: str, settings: EventSettings, layout: BibLayout
) -> None:
    face = face_of(runner("7301", "James"), settings)
    assert face.nickname == "ジェームズ"
    title = unique_title("7301")
    print_bib(face, layout, cups_queue, title=title)
    pdf = wait_for_pdf(title)
    width, height = pdf_points(pdf)
    expected_width, expected_height = POINTS[layout]
    assert abs(width - expected_width) <= 2 and abs(height - expected_height) <= 2, (width, height)
    text = pdf_text(pdf)
    assert "7301" in text
    assert "ジェームズ" in text
    assert "京都マラソン2027" in text


def test_a_japanese_nickname_survives_cups(qapp, cups_queue: str, settings: EventSettings) -> None:
    person = runner("7302", "やまちゃん", family_kanji="山田", given_kanji="太郎",
                    family_kana="やまだ", given_kana="たろう", katakana_requested=False)
    title = unique_title("7302")
    print_bib(face_of(person, settings), BibLayout.A5_LANDSCAPE, cups_queue, title=title)
    text = pdf_text(wait_for_pdf(title))
    assert "7302" in text and "やまちゃん" in text


@pytest.fixture
def station_log(tmp_path: Path) -> Iterator[StationLog]:
    log = StationLog.open(tmp_path / "station.sqlite", station_id="counter-1", event_id="kyoto-2027")
    yield log
    log.close()


def _titled_by_entry(face: BibFace, layout: BibLayout, printer: str) -> None:
    print_bib(face, layout, printer, title=f"bibtest-worker-{face.bib}-{face.code.split(':')[-1]}")


def test_the_worker_prints_through_cups_and_records_the_copy(
    qtbot, cups_queue: str, settings: EventSettings, station_log: StationLog
) -> None:
    bib = f"8{uuid.uuid4().int % 100000:05d}"
    face = face_of(runner(bib, "James"), settings)
    printer = BibPrinter(station_log, printer=cups_queue, print_function=_titled_by_entry)
    try:
        with qtbot.waitSignal(printer.printed, timeout=30_000) as printed:
            printer.print_bib(f"E{bib}", face, volunteer_id="vol-1")
    finally:
        printer.close()
    fact = printed.args[0].fact
    assert fact.kind is FactKind.BIB_PRINTED
    assert fact.payload == {"copy": 1, "printer": cups_queue, "layout": "a5_landscape", "bib": bib,
                            "job_id": printed.args[0].job.job_id}
    text = pdf_text(wait_for_pdf(f"bibtest-worker-{bib}-{bib}"))
    assert bib in text


@pytest.fixture
def stopped_queue(cups_queue: str) -> Iterator[str]:
    """A second CUPS-PDF queue, disabled as CUPS does when a printer goes offline."""
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        pytest.skip("adding a CUPS queue needs root")
    name = "BibStationStopped"
    subprocess.run(["lpadmin", "-p", name, "-v", "cups-pdf:/", "-m", "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd",
                    "-E"], check=True, capture_output=True)
    subprocess.run(["cupsdisable", "-r", "offline: printer not responding", name], check=True)
    yield name
    subprocess.run(["lpadmin", "-x", name], check=False)


def test_a_stopped_printer_is_reported_and_the_backup_prints(
    qtbot, cups_queue: str, stopped_queue: str, settings: EventSettings, station_log: StationLog
) -> None:
    assert queue_state(stopped_queue).problem is PrinterProblem.OFFLINE
    with pytest.raises(PrintFailed) as raised:
        print_bib(face_of(runner("7303", "James"), settings), BibLayout.A5_LANDSCAPE, stopped_queue,
                  title="never")
    assert raised.value.problem is PrinterProblem.OFFLINE

    bib = f"9{uuid.uuid4().int % 100000:05d}"
    face = face_of(runner(bib, "James"), settings)
    printer = BibPrinter(station_log, printer=stopped_queue, backup_printer=cups_queue,
                         print_function=_titled_by_entry)
    try:
        with qtbot.waitSignal(printer.printed, timeout=30_000) as printed:
            printer.print_bib(f"E{bib}", face, volunteer_id="vol-1")  # moves to the backup by itself
    finally:
        printer.close()
    copy = printed.args[0]
    assert copy.where == cups_queue
    assert [a.problem for a in copy.moved_from] == [PrinterProblem.OFFLINE]
    assert "オフライン" in copy.moved_from[0].message.render("ja")
    assert [f.kind for f in station_log.facts_for(f"E{bib}")] == [
        FactKind.PRINTER_POOL, FactKind.PRINTER_POOL, FactKind.BIB_PRINTED]
    assert bib in pdf_text(wait_for_pdf(f"bibtest-worker-{bib}-{bib}"))
