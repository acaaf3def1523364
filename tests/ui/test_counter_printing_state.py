"""A bib that did not print is a state of its own at the counter; nicknames that
will not print are said before anything prints; a supervisor's fix is what prints."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from station.core.evidence import Match
from station.core.models import FactKind
from station.core.supervision import Decision, Resolution
from station.printing.printer import PrinterProblem, PrintFailed
from station.printing.worker import BibPrinter
from station.store.confirmations import add_public_key
from station.ui.app import open_session
from station.ui.main_window import MainWindow
from station.ui.sounds import SoundPlayer
from tests.factories import make_event, row
from tests.ui.test_counter_flows import INSIDE, Clock

TOO_LONG = "とてもながいニックネーム"  # wider than 5 full-width characters


class Printer:
    """The physical printer: out of paper until refilled."""

    def __init__(self) -> None:
        self.paper = False
        self.faces = []

    def __call__(self, face, layout, name) -> None:
        if not self.paper:
            raise PrintFailed(PrinterProblem.OUT_OF_PAPER, name)
        self.faces.append(face)


@pytest.fixture
def event(tmp_path, kyoto_settings):
    from station.core.confirmation import Signer, new_private_seed

    signer = Signer(new_private_seed())
    package = make_event(tmp_path / "e.sqlite", kyoto_settings,
                         [row(1, nickname="たろう"), row(2, nickname=TOO_LONG), row(5)])
    add_public_key(package, signer.public_raw)
    package.close()
    return tmp_path / "e.sqlite"


def open_window(qtbot, path, printer=None) -> MainWindow:
    session = open_session(path, "counter-3")
    worker = BibPrinter(session.station_log, printer="bibs", print_function=printer) if printer else None
    sounds = SoundPlayer(enabled=False)
    window = MainWindow(session, sounds=sounds, now=Clock(INSIDE), printer=worker)
    window.sounds = sounds
    qtbot.addWidget(window)
    window.show()
    window.model.sign_in("V17")
    return window


def check_in(window, entry_no: str) -> None:
    model = window.model
    model.choose(entry_no)
    model.set_name(Match.CONFIRMED)
    model.set_birth_date(Match.CONFIRMED)
    for item in model.checklist:
        model.set_item(item, True)
    assert model.complete() is not None


def test_a_failed_print_holds_the_counter_until_printed(qtbot, event):
    printer = Printer()
    window = open_window(qtbot, event, printer)
    check_in(window, "1001")
    model, band = window.model, window.counter.band
    qtbot.waitUntil(lambda: model.print_hold is not None, timeout=5000)
    assert band.outcome.text() == "BIB NOT PRINTED: the runner waits" and "✔" not in band.icon.text()
    assert "Bib 1 was not printed" in band.headline.text() and "Printed elsewhere" in band.next_step.text()
    assert window.print_banner.isVisible() and window.sounds.played[-1] == "problem"
    model.choose("1005")  # the next runner waits
    assert model.case is None and model.band.print_problem
    model.next_runner()
    assert model.print_hold is not None
    printer.paper = True
    window.print_banner.retry.click()
    qtbot.waitUntil(lambda: model.print_hold is None, timeout=5000)
    assert not window.print_banner.isVisible() and [f.bib for f in printer.faces] == ["1"]
    model.choose("1005")
    assert model.case.entrant.entry_no == "1005"


def test_no_printer_is_said_and_printed_elsewhere_releases(qtbot, event):
    window = open_window(qtbot, event, printer=None)
    check_in(window, "1001")
    model = window.model
    assert model.print_hold is not None and "no printer is set up" in model.band.headline("en")
    assert window.print_banner.isVisible() and not window.print_banner.retry.isEnabled()
    window.print_banner.elsewhere.click()
    assert model.print_hold is None and not window.print_banner.isVisible()
    model.choose("1005")
    assert model.case.entrant.entry_no == "1005"


def test_f9_sends_an_unprinted_bib_to_the_supervisor(qtbot, event):
    window = open_window(qtbot, event, printer=None)
    check_in(window, "1001")
    window.counter.to_supervisor()  # F9 while the bib is not printed
    opened = [f for _, f in window.session.station_log.facts() if f.kind is FactKind.EXCEPTION_OPENED]
    assert [(f.entry_no, f.payload["reason"]) for f in opened] == [("1001", "print_failed")]
    assert window.model.print_hold is None and "supervisor" in window.model.band.headline("en")
    assert not window.counter.note.isVisible()
    from station.ui.supervisor.screen import reason_words

    assert reason_words("print_failed", "en") == "the bib could not be printed"  # the queue says it in words


def test_a_nickname_that_will_not_print_is_said_before_printing(qtbot, event):
    window = open_window(qtbot, event, Printer())
    flag = window.counter.nickname_flag
    window.model.choose("1001")
    assert not flag.isVisible()
    window.model.choose("1002")
    assert flag.isVisible() and TOO_LONG in flag.text() and "F9" in flag.text()
    assert flag.font().pointSizeF() >= 12
    assert window.bib_preview.face.nickname == ""  # the preview shows it would print blank


def test_the_supervisors_nickname_fix_is_what_prints(qtbot, event):
    printer = Printer()
    printer.paper = True
    window = open_window(qtbot, event, printer)
    model = window.model
    model.choose("1002")
    exception_id = model.send_to_supervisor(note="nickname too long")
    queue = window.supervisor_model.exceptions
    queue.resolve(exception_id, Resolution(Decision.FIX_NICKNAME, "Shortened with the runner.", "S1",
                                           nickname="ながい"))
    check_in(window, "1002")
    qtbot.waitUntil(lambda: bool(printer.faces), timeout=5000)
    assert printer.faces[0].nickname == "ながい"
    assert not window.counter.nickname_flag.isVisible()
    QApplication.processEvents()
