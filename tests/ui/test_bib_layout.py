"""The bib as drawn: real PDFs read back with poppler, real images read back with zxing."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
import zxingcpp

from station.core.errors import StationError
from station.core.event import BibLayout, EventSettings, NicknameRules, kyoto_defaults
from station.core.models import Category, Entrant, FactKind, Sex
from station.core.nickname import NicknameChecker
from station.printing.face import BLOCK_COLOURS, BibFace, bib_face
from station.printing.layout import paper_mm, render_image, render_pdf
from station.printing.printer import PrinterProblem
from station.printing.printer import print_bib as print_on_printer
from station.printing.worker import BibPrinter, PrintedCopy, PrintFailure
from station.store.station_log import StationLog

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext, pdfinfo) is not installed"
)

# PDF points of each layout, landscape (1 pt = 1/72 in)
POINTS = {
    BibLayout.A5_LANDSCAPE: (595, 420),
    BibLayout.A4: (842, 595),
    BibLayout.LABEL_100X150: (425, 283),
}


@pytest.fixture
def settings() -> EventSettings:
    base = kyoto_defaults("kyoto-2027", "京都マラソン2027", dt.date(2027, 2, 21))
    return base.with_changes(nickname=NicknameRules(banned_words=("トヨタ",)))


def entrant(bib: str = "12345", nickname: str = "やまちゃん", **changes: object) -> Entrant:
    values: dict[str, object] = dict(
        entry_no=f"E{bib}", bib=bib, family_kanji="山田", given_kanji="太郎",
        family_kana="やまだ", given_kana="たろう", family_latin="Yamada", given_latin="Taro",
        sex=Sex.MALE, birth_date=dt.date(1990, 5, 1), nationality="JPN",
        category=Category.GENERAL, start_block="C", nickname=nickname,
    )
    values.update(changes)
    return Entrant(**values)  # type: ignore[arg-type]


def face_of(person: Entrant, settings: EventSettings, runner: Entrant | None = None) -> BibFace:
    return bib_face(person, settings, NicknameChecker(settings.nickname).check(person), runner=runner)


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", out)  # the font maps 一 to the Kangxi radical ⼀


def pdf_points(path: Path) -> tuple[int, int]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    found = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert found, info
    return round(float(found.group(1))), round(float(found.group(2)))


@pytest.mark.parametrize("layout", list(BibLayout))
def test_each_layout_prints_its_paper_size_with_the_text(
    qapp, tmp_path: Path, settings: EventSettings, layout: BibLayout
) -> None:
    pdf = render_pdf(face_of(entrant(), settings), layout, tmp_path / f"{layout.value}.pdf")
    assert pdf_points(pdf) == POINTS[layout]
    text = pdf_text(pdf)
    for expected in ("12345", "やまちゃん", "京都マラソン2027", "一般 GENERAL", "C", "BLOCK"):
        assert expected in text, (expected, text)


def test_the_label_is_100_by_150_mm(qapp) -> None:
    size = paper_mm(BibLayout.LABEL_100X150)
    assert (round(size.width()), round(size.height())) == (150, 100)


def test_a_latin_nickname_and_katakana_conversion(qapp, tmp_path: Path, settings: EventSettings) -> None:
    james = entrant("20001", "James", family_latin="Smith", given_latin="James", family_kana="",
                    given_kana="", family_kanji="", given_kanji="", nationality="GBR")
    text = pdf_text(render_pdf(face_of(james, settings), BibLayout.A5_LANDSCAPE, tmp_path / "j.pdf"))
    assert "James" in text


def test_a_refused_nickname_is_not_printed(qapp, tmp_path: Path, settings: EventSettings) -> None:
    refused = entrant("30001", "TOYOTA")
    face = face_of(refused, settings)
    assert face.nickname == ""
    text = pdf_text(render_pdf(face, BibLayout.A5_LANDSCAPE, tmp_path / "r.pdf"))
    assert "30001" in text
    assert "TOYOTA" not in text


def test_an_escort_bib_says_guide_and_names_the_runner(qapp, tmp_path: Path, settings: EventSettings) -> None:
    runner = entrant("40001", "", category=Category.DISABILITY, disability=True)
    escort = entrant("40002", "", escort_of=runner.entry_no, start_block="A")
    face = face_of(escort, settings, runner=runner)
    assert face.escorting_bib == "40001"
    text = pdf_text(render_pdf(face, BibLayout.A5_LANDSCAPE, tmp_path / "e.pdf"))
    assert "伴走" in text and "GUIDE" in text
    assert "40001" in text and "40002" in text


def test_an_escort_bib_needs_its_runner(settings: EventSettings) -> None:
    escort = entrant("40002", "", escort_of="E40001")
    with pytest.raises(StationError, match="escort"):
        face_of(escort, settings)


def test_the_barcode_and_qr_code_scan(qapp, settings: EventSettings) -> None:
    image = render_image(face_of(entrant(), settings), BibLayout.A5_LANDSCAPE, dpi=200)
    found = {(code.format, code.text) for code in zxingcpp.read_barcodes(image)}
    assert (zxingcpp.BarcodeFormat.Code128, "12345") in found
    assert (zxingcpp.BarcodeFormat.QRCode, "kyoto-2027:12345") in found


def test_the_block_colour_fills_the_block_square(qapp, settings: EventSettings) -> None:
    face = face_of(entrant(start_block="D"), settings)
    image = render_image(face, BibLayout.A5_LANDSCAPE, dpi=60)
    # the block square sits at the right of the number row
    pixel = image.pixelColor(int(image.width() * 0.93), int(image.height() * 0.30))
    assert pixel.name() == BLOCK_COLOURS["D"]


# -- the printer worker --------------------------------------------------------

def _to_pdf_or_printer(folder: Path):
    """A printer called "file" writes PDFs into `folder`; any other name is a real printer."""

    def print_function(face: BibFace, layout: BibLayout, printer: str) -> None:
        if printer == "file":
            copies = len(list(folder.glob("*.pdf")))
            render_pdf(face, layout, folder / f"{face.bib}-{copies + 1}.pdf")
        else:
            print_on_printer(face, layout, printer, title=f"bib-{face.bib}")

    return print_function


@pytest.fixture
def station_log(tmp_path: Path):
    log = StationLog.open(tmp_path / "station.sqlite", station_id="counter-1", event_id="kyoto-2027")
    yield log
    log.close()


def test_printed_copies_become_facts_and_a_reprint_voids_the_last(
    qtbot, tmp_path: Path, settings: EventSettings, station_log: StationLog
) -> None:
    printer = BibPrinter(station_log, printer="file", print_function=_to_pdf_or_printer(tmp_path))
    try:
        face = face_of(entrant(), settings)
        with qtbot.waitSignal(printer.printed, timeout=10_000) as first:
            printer.print_bib("E12345", face, volunteer_id="vol-7")
        copy: PrintedCopy = first.args[0]
        assert copy.copy == 1
        assert copy.fact.kind is FactKind.BIB_PRINTED
        assert copy.fact.payload["printer"] == "file"
        assert copy.fact.payload["layout"] == "a5_landscape"
        with qtbot.waitSignal(printer.printed, timeout=10_000) as second:
            printer.reprint("E12345", face, supervisor_id="sup-1", reason="damaged")
        reprinted: PrintedCopy = second.args[0]
        assert reprinted.copy == 2
        assert reprinted.fact.payload["reprint_of"] == copy.fact.fact_id
    finally:
        printer.close()
    facts = station_log.facts_for("E12345")
    assert [f.kind for f in facts] == [FactKind.BIB_PRINTED, FactKind.VOID, FactKind.BIB_PRINTED]
    void = facts[1]
    assert void.payload["voids"] == copy.fact.fact_id
    assert void.volunteer_id == "sup-1"
    assert station_log.entry_state("E12345").printed_copies == 2
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["12345-1.pdf", "12345-2.pdf"]


def test_a_reprint_needs_an_earlier_copy(qtbot, tmp_path: Path, settings: EventSettings,
                                         station_log: StationLog) -> None:
    printer = BibPrinter(station_log, printer="file", print_function=_to_pdf_or_printer(tmp_path))
    try:
        with pytest.raises(StationError, match="No bib was printed"):
            printer.reprint("E12345", face_of(entrant(), settings), supervisor_id="sup-1", reason="lost")
    finally:
        printer.close()


def test_a_missing_printer_fails_and_the_job_moves_to_the_backup_by_itself(
    qtbot, tmp_path: Path, settings: EventSettings, station_log: StationLog
) -> None:
    printer = BibPrinter(station_log, printer="No Such Printer 9", backup_printer="file",
                         print_function=_to_pdf_or_printer(tmp_path))
    try:
        with qtbot.waitSignal(printer.printed, timeout=10_000) as printed:
            job = printer.print_bib("E12345", face_of(entrant(), settings), volunteer_id="vol-7")
        copy: PrintedCopy = printed.args[0]
        assert copy.job.job_id == job.job_id
        assert copy.where == "file"
        assert [a.printer for a in copy.moved_from] == ["No Such Printer 9"]
        assert copy.moved_from[0].problem is PrinterProblem.NO_PRINTER
        assert "予備" in copy.moved_from[0].message.render("ja")
        assert copy.fact.payload["moved_from"] == ["No Such Printer 9"]
        assert printer.pending == 0
    finally:
        printer.close()
    facts = station_log.facts_for("E12345")
    assert [f.kind for f in facts] == [FactKind.PRINTER_POOL, FactKind.PRINTER_POOL, FactKind.BIB_PRINTED]
    assert facts[0].payload["change"] == "out" and facts[0].payload["printer"] == "No Such Printer 9"
    assert facts[1].payload == {"change": "moved", "printer": "No Such Printer 9", "to": "file",
                                "problem": "no_printer", "job_id": job.job_id, "bib": "12345"}


def test_when_no_printer_prints_the_failure_names_each(
    qtbot, tmp_path: Path, settings: EventSettings, station_log: StationLog
) -> None:
    printer = BibPrinter(station_log, printer="No Such Printer 9", backup_printer="No Such Printer 10",
                         print_function=_to_pdf_or_printer(tmp_path))
    try:
        with qtbot.waitSignal(printer.all_failed, timeout=10_000) as failed:
            job = printer.print_bib("E12345", face_of(entrant(), settings), volunteer_id="vol-7")
    finally:
        printer.close()
    failure: PrintFailure = failed.args[0]
    assert failure.job == job
    assert failure.problem is PrinterProblem.NO_PRINTER
    assert [a.printer for a in failure.attempts] == ["No Such Printer 9", "No Such Printer 10"]
    assert "No Such Printer 9" in failure.message.render("en") and "No Such Printer 10" in failure.message.render("en")
    assert failure.backup_printer is None  # the backup failed too: nothing to offer
    assert not any(f.kind is FactKind.BIB_PRINTED for f in station_log.facts_for("E12345"))


def test_the_counter_does_not_wait_for_the_printer(
    qtbot, tmp_path: Path, settings: EventSettings, station_log: StationLog
) -> None:
    import threading

    release = threading.Event()
    started = threading.Event()

    def slow_printer(face: BibFace, layout: BibLayout, printer: str) -> None:
        started.set()
        release.wait(10)  # a printer that takes its time

    printer = BibPrinter(station_log, printer="slow", print_function=slow_printer)
    try:
        printer.print_bib("E12345", face_of(entrant(), settings), volunteer_id="vol-7")
        assert started.wait(5)
        assert printer.pending == 1  # print_bib returned while the printer is busy
        with qtbot.waitSignal(printer.printed, timeout=10_000):
            release.set()
    finally:
        release.set()
        printer.close()



def test_the_counter_preview_draws_the_same_bib(qtbot, settings: EventSettings) -> None:
    from station.ui.bib_preview import BibPreview

    preview = BibPreview()
    qtbot.addWidget(preview)
    preview.resize(630, 444)
    face = face_of(entrant(start_block="E"), settings)
    preview.show_bib(face, BibLayout.A5_LANDSCAPE)
    assert preview.toolTip() == "12345 やまちゃん"
    image = preview.grab().toImage()
    found = {(code.format, code.text) for code in zxingcpp.read_barcodes(image)}
    assert (zxingcpp.BarcodeFormat.Code128, "12345") in found
    block = image.pixelColor(int(image.width() * 0.92), int(image.height() * 0.30))
    assert block.name() == BLOCK_COLOURS["E"]


def test_the_font_map_says_what_the_bib_can_print() -> None:
    from station.printing.glyphs import bib_font_prints

    for ch in "Aaé09あアー・々山髙﨑":
        assert bib_font_prints(ch), ch
    for ch in "김𠮷🏃":
        assert not bib_font_prints(ch), ch
    checker = NicknameChecker(NicknameRules(), printable=bib_font_prints)
    assert checker.check(entrant(nickname="𠮷田")).outcome.value == "refused"
    assert checker.check(entrant(nickname="髙橋")).outcome.value == "ok"
