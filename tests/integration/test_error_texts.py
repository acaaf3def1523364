"""Errors a volunteer or a supervisor can see in the window are bilingual (issue 18).

Each error is raised through the real code path (the store, the printer, the
first-run provisioning); its Japanese rendering carries no English word and its
English rendering is the sentence the station said before the conversion.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from station.core.errors import NotAnEventPackage, StationError
from station.core.evidence import DocumentType, FoundBy, IdCheck, Match
from station.core.roster import check_roster
from station.core.supervision import Decision, Resolution
from station.core.texts import Language
from station.printing.printer import PrinterProblem, PrintFailed
from station.printing.worker import BibPrinter, _none_printed
from station.store.checkin import CheckinDesk
from station.store.event_package import EventPackage
from station.store.exceptions import ExceptionQueue
from station.store.roster_import import import_roster
from station.store.station_log import StationLog
from station.store.supervisors import check_pin, enrol
from station.sync.protocol import Provisioning
from station.sync.provisioning import provision_from_file
from tests.factories import csv_bytes, make_event, row
from tests.unit.test_texts_catalogue import assert_english, assert_japanese


def said(error: StationError, english: str) -> None:
    """Japanese without English words; English unchanged (and what `str(error)` says)."""
    text = error.message_text
    assert_japanese(text)
    assert_english(text)
    assert text.render(Language.EN) == english
    assert str(error) == english


def test_supervisor_pin_and_enrolment_errors(tmp_path, kyoto_settings):
    for pin, english in [
        ("12a45678", "A supervisor PIN is digits only; type it again."),
        ("1234", "A supervisor PIN has 10 to 12 digits; choose another."),
        ("7777777777", "That PIN is too easy to guess (all the same digit or a run); choose another."),
    ]:
        with pytest.raises(StationError) as caught:
            check_pin(pin)
        said(caught.value, english)
    package = EventPackage.create(tmp_path / "e.sqlite", kyoto_settings)
    try:
        with pytest.raises(StationError) as caught:
            enrol(package, " ", "Sato", "7391648205")
        said(caught.value, "A supervisor needs an id and a name.")
    finally:
        package.close()


def test_event_package_errors_the_first_run_dialog_shows(tmp_path, kyoto_settings):
    missing = tmp_path / "missing.sqlite"
    with pytest.raises(StationError) as caught:
        EventPackage.open(missing)
    said(caught.value, f"Event package {missing} does not exist; check the path.")
    with pytest.raises(StationError) as caught:
        provision_from_file(missing, "counter-1")
    said(caught.value, f"{missing} does not exist; choose the event package (.sqlite) file.")

    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (x)")
    conn.close()
    with pytest.raises(NotAnEventPackage) as caught:
        EventPackage.open(other)
    said(caught.value, f"{other} is a SQLite file but not an event package; "
                       "choose the .sqlite file the organizer sent.")

    wrong = tmp_path / "wrong.sqlite"
    conn = sqlite3.connect(wrong)
    conn.execute("CREATE TABLE package_info (key TEXT, value TEXT)")
    conn.execute("INSERT INTO package_info VALUES ('format', 'something-else')")
    conn.commit()
    conn.close()
    with pytest.raises(NotAnEventPackage) as caught:
        EventPackage.open(wrong)
    said(caught.value, f"{wrong} is not a Bib Station event package.")

    path = tmp_path / "e.sqlite"
    package = EventPackage.create(path, kyoto_settings)
    try:
        with pytest.raises(StationError) as caught:
            package.save_settings(replace(kyoto_settings, event_id="another-2027"))
        said(caught.value, "An event package's event id cannot change.")
        with pytest.raises(StationError) as caught:
            EventPackage.create(path, kyoto_settings)
        said(caught.value, f"{path} already exists; choose another file name.")
    finally:
        package.close()


def test_a_log_of_another_station(tmp_path, kyoto_settings):
    path = tmp_path / "log.sqlite"
    StationLog.open(path, station_id="counter-1", event_id=kyoto_settings.event_id).close()
    with pytest.raises(StationError) as caught:
        StationLog.open(path, station_id="counter-2", event_id=kyoto_settings.event_id)
    said(caught.value, f"{path} is the log of station 'counter-1' for event '{kyoto_settings.event_id}', "
                       f"not of 'counter-2' for '{kyoto_settings.event_id}'; choose the right log file.")


def test_reprint_refusals_on_the_supervisor_screen(tmp_path, kyoto_settings):
    noon = dt.datetime(2027, 2, 19, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    package = make_event(tmp_path / "e.sqlite", kyoto_settings, [row(1, bib="5"), row(2, bib="6"), row(3, bib="7")])
    log = StationLog.open(tmp_path / "l.sqlite", station_id="counter-1", event_id=kyoto_settings.event_id)
    try:
        desk = CheckinDesk(package, log)
        passport = IdCheck(DocumentType.PASSPORT, Match.CONFIRMED, Match.CONFIRMED)
        cases = [desk.open_case(entry, FoundBy.SEARCH) for entry in ("1001", "1003")]
        for case in cases:
            assert desk.complete(case, desk.evidence(case, id_check=passport), "V", noon)[1]
        queue = ExceptionQueue(log, package)
        held, carried = (desk.send_to_supervisor(desk.refresh(case), "already_picked_up", "V",
                                               codes=["already_picked_up"]) for case in cases)
        # 1001 (card 5) now has 6, which 1002 took; 1003 (card 7) now has 8, which nobody took
        second = desk.open_case("1002", FoundBy.SEARCH)
        assert desk.complete(second, desk.evidence(second, id_check=passport), "V", noon)[1]
        corrected = [row(1, bib="6"), row(2, bib="5"), row(3, bib="8")]
        import_roster(package, check_roster(csv_bytes(corrected), max_escorts=1))
        with pytest.raises(StationError) as caught:
            queue.resolve(held.fact_id, Resolution(Decision.REPRINT_BIB, "lost bib", "S1"))
        said(caught.value, "A reprint would print number 6, which already left with entry 1002; "
                           "ask the organizer for a new number for entry 1001.")
        with pytest.raises(StationError) as caught:
            queue.resolve(carried.fact_id, Resolution(Decision.REPRINT_BIB, "lost bib", "S1"))
        said(caught.value, "Entry 1003 took card 7 but the roster now says 8; "
                           "ask the organizer to put 7 back before reprinting.")
    finally:
        log.close()
        package.close()


def test_printer_errors_on_the_print_banner(qtbot, tmp_path: Path, kyoto_settings):
    log = StationLog.open(tmp_path / "l.sqlite", station_id="counter-1", event_id=kyoto_settings.event_id)
    printer = BibPrinter(log, printer="file", print_function=lambda *_: None)
    try:
        with pytest.raises(StationError) as caught:
            printer.use_backup(None)  # type: ignore[arg-type]  # refused before the job is looked at
        said(caught.value, "No backup printer is set; choose one in the station settings.")
        with pytest.raises(StationError) as caught:
            printer.reprint("1001", None, supervisor_id="S1", reason="lost")  # type: ignore[arg-type]
        said(caught.value, "No bib was printed for entry 1001 at this station; print it "
                           "normally, or reprint at the station that printed it.")
    finally:
        printer.close()
        log.close()


@pytest.mark.parametrize("problem", list(PrinterProblem))
def test_every_printer_problem_is_said_in_both_languages(problem):
    error = PrintFailed(problem, "Brother QL-820", "job 7 waited 30 s")
    assert_japanese(error.message_text)
    assert_english(error.message_text)
    assert error.text("ja") == error.message_text.render(Language.JA) != error.text("en") == str(error)
    assert "'Brother QL-820'" in error.text("en") and "「Brother QL-820」" in error.text("ja")


def test_a_paper_jam_reads_as_before():
    assert PrintFailed(PrinterProblem.PAPER_JAM, "B").text("en") == (
        "Printer 'B' has a paper jam; clear it and retry, or use the backup printer.")
    assert PrintFailed(PrinterProblem.PAPER_JAM, "B").text("ja") == (
        "プリンター「B」で紙詰まりです。紙を取り除いて再試行してください。")


def test_a_failure_on_every_printer_of_the_pool_names_each_in_one_language():
    why = tuple(PrintFailed(problem, name).message_text
                for problem, name in [(PrinterProblem.OFFLINE, "A"), (PrinterProblem.OUT_OF_PAPER, "B")])
    text = _none_printed(why)
    assert_japanese(text)
    assert_english(text)
    assert text.render(Language.EN) == "No printer of the pool printed it: " + " / ".join(
        w.render(Language.EN) for w in why)


def test_a_wrong_or_damaged_provisioning_code():
    with pytest.raises(StationError) as caught:
        Provisioning.parse("https://example.org/not-a-code")
    said(caught.value, "This is not a Bib Station provisioning code; scan the code printed by "
                       "`station hub add-station`.")
    with pytest.raises(StationError) as caught:
        Provisioning.parse("bibstation://provision?hub=h&station=counter-1&token=t&fp=zz")
    said(caught.value, "The code's certificate fingerprint is damaged; scan the code again.")
