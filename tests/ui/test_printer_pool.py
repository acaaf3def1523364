"""The print worker's pool: a job moves on by itself, a failing printer is out
until it answers again, and every change is a fact (fake printers; the real
CUPS failover is in tests/integration/test_print_pool_cups.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.core.event import BibLayout, kyoto_defaults
from station.core.models import Category, Entrant, FactKind, Sex
from station.core.nickname import NicknameChecker
from station.printing.face import BibFace, bib_face
from station.printing.health import PrinterCondition, PrinterHealth
from station.printing.pool import PoolChange
from station.printing.printer import PrinterProblem, PrintFailed, SpooledJob
from station.printing.worker import BibPrinter, PrintedCopy, PrintFailure
from station.store.station_log import StationLog


def face(bib: str) -> BibFace:
    settings = kyoto_defaults("kyoto-2027", "京都マラソン2027 Kyoto Marathon", dt.date(2027, 2, 21))
    person = Entrant(entry_no=f"E{bib}", bib=bib, family_kanji="", given_kanji="", family_kana="",
                     given_kana="", family_latin="Smith", given_latin="Ann", sex=Sex.FEMALE,
                     birth_date=dt.date(1985, 3, 3), nationality="GBR", category=Category.GENERAL,
                     start_block="B", nickname="ANN")
    return bib_face(person, settings, NicknameChecker(settings.nickname).check(person))


@pytest.fixture
def station_log(tmp_path: Path) -> Iterator[StationLog]:
    log = StationLog.open(tmp_path / "station.sqlite", station_id="counter-1", event_id="kyoto-2027")
    yield log
    log.close()


class FakePrinters:
    """Printers whose health the test sets; a jammed one raises when it prints."""

    def __init__(self) -> None:
        self.state: dict[str, PrinterCondition] = {}
        self.jammed: set[str] = set()
        self.printed: list[tuple[str, str]] = []  # (printer, bib)

    def health(self, printer: str) -> PrinterHealth:
        return PrinterHealth(printer, self.state.get(printer, PrinterCondition.READY))

    def print(self, face: BibFace, layout: BibLayout, printer: str) -> SpooledJob | None:
        if printer in self.jammed:
            raise PrintFailed(PrinterProblem.PAPER_JAM, printer)
        self.printed.append((printer, face.bib))
        return None


def test_a_paused_printer_is_out_until_it_answers_and_every_change_is_a_fact(
    qtbot, station_log: StationLog
) -> None:
    fake = FakePrinters()
    printer = BibPrinter(station_log, printer="", pool=["A", "B", "C"], health=fake.health,
                         places={"B": "table 3"}, print_function=fake.print)
    changes: list[PoolChange] = []
    printer.moved.connect(changes.append)
    try:
        with qtbot.waitSignal(printer.printed, timeout=10_000) as first:
            printer.print_bib("E1", face("1"), volunteer_id="vol-1")
        fake.state["A"] = PrinterCondition.PAUSED
        with qtbot.waitSignal(printer.printed, timeout=10_000) as second:
            printer.print_bib("E2", face("2"), volunteer_id="vol-1")
        with qtbot.waitSignal(printer.printed, timeout=10_000) as third:
            printer.print_bib("E3", face("3"), volunteer_id="vol-1")
        fake.state["A"] = PrinterCondition.READY
        with qtbot.waitSignal(printer.printed, timeout=10_000) as fourth:
            printer.print_bib("E4", face("4"), volunteer_id="vol-1")
    finally:
        printer.close()
    copies: list[PrintedCopy] = [s.args[0] for s in (first, second, third, fourth)]
    assert [c.where for c in copies] == ["A", "B", "B", "A"]
    assert fake.printed == [("A", "1"), ("B", "2"), ("B", "3"), ("A", "4")]
    assert copies[1].text("en") == "bib 2 printed at printer B, table 3"
    assert copies[1].text("ja") == "ゼッケン2はプリンター「B」（table 3）で印刷されました"
    assert [a.problem for a in copies[1].moved_from] == [PrinterProblem.PAUSED]
    assert copies[2].moved_from == ()  # A was out already: B straight away
    pool_facts = [f for _, f in station_log.facts() if f.kind is FactKind.PRINTER_POOL]
    assert [(f.payload["change"], f.payload["printer"], f.payload.get("to")) for f in pool_facts] == [
        ("out", "A", None), ("moved", "A", "B"), ("back", "A", None)]
    assert [c.change.value for c in changes] == ["out", "moved", "back"]
    assert pool_facts[1].entry_no == "E2"


def test_a_job_that_fails_on_the_printer_moves_and_all_failed_says_why(
    qtbot, station_log: StationLog
) -> None:
    fake = FakePrinters()
    fake.jammed = {"A", "B"}
    printer = BibPrinter(station_log, printer="", pool=["A", "B"], health=fake.health,
                         print_function=fake.print)
    try:
        with qtbot.waitSignal(printer.all_failed, timeout=10_000) as failed:
            printer.print_bib("E1", face("1"), volunteer_id="vol-1")
        failure: PrintFailure = failed.args[0]
        assert [(a.printer, a.problem) for a in failure.attempts] == [
            ("A", PrinterProblem.PAPER_JAM), ("B", PrinterProblem.PAPER_JAM)]
        assert "紙詰まり" in failure.text("ja") and "paper jam" in failure.text("en")
        # The volunteer clears B's jam and presses "Print again": every printer is tried again.
        fake.jammed = {"A"}
        with qtbot.waitSignal(printer.printed, timeout=10_000) as printed:
            printer.retry(failure.job)
    finally:
        printer.close()
    assert printed.args[0].where == "B"
    assert [f.kind for f in station_log.facts_for("E1")].count(FactKind.BIB_PRINTED) == 1
    changes = [f.payload["change"] for _, f in station_log.facts() if f.kind is FactKind.PRINTER_POOL]
    # out A, moved A->B, out B; retry: back A, back B; then A fails again and the job moves to B.
    assert changes == ["out", "moved", "out", "back", "back", "out", "moved"]


def test_the_station_tab_shows_each_printer_and_the_pages_left(qtbot, station_log: StationLog,
                                                               tmp_path: Path) -> None:
    from station.printing.media import MediaCounter
    from station.ui.printer_status import PrinterStatusBox

    fake = FakePrinters()
    fake.state["A"] = PrinterCondition.OUT_OF_PAPER
    media = MediaCounter(tmp_path / "pages.json", {"B": 12})
    printer = BibPrinter(station_log, printer="", pool=["A", "B"], health=fake.health, places={"B": "table 3"},
                         media=media, print_function=fake.print)
    box = PrinterStatusBox(printer, lambda: "en")
    qtbot.addWidget(box)
    lows: list[object] = []
    printer.media_low.connect(lows.append)
    try:
        qtbot.waitUntil(lambda: "out of paper" in box.lines.text(), timeout=5000)
        assert "1. A: out of paper" in box.lines.text()
        assert "2. B: ready — table 3" in box.lines.text()
        assert "about 12 of 12 left" in box.lines.text()
        for n in range(7):
            with qtbot.waitSignal(printer.printed, timeout=10_000):
                printer.print_bib(f"E{n}", face(str(n)), volunteer_id="vol-1")
        qtbot.waitUntil(lambda: "(out of the pool" in box.lines.text(), timeout=5000)
        qtbot.waitUntil(lambda: "about 5 of 12 left" in box.lines.text(), timeout=5000)
        assert "running low" in box.lines.text()
        assert len(lows) == 1 and lows[0].remaining == 5
        assert "color: #a00000" in box.lines.styleSheet()
    finally:
        printer.close()
