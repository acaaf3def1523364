"""Whole counter flows, driven by keyboard alone as a volunteer would (offscreen Qt).

The keyboard-wedge scanner is simulated by typing the code as one fast burst
ending in Enter (that is all such a scanner is); nothing of ours is mocked.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from station.core.confirmation import Signer, new_private_seed
from station.core.evidence import Match
from station.core.hlc import Stamp
from station.core.ledger import PickupStatus
from station.core.models import Fact, FactKind
from station.core.verdict import Outcome, ReasonCode
from station.printing.worker import BibPrinter
from station.store.confirmations import add_public_key
from station.ui.app import open_session
from station.ui.main_window import MainWindow
from station.ui.sounds import SoundPlayer
from tests.factories import make_event, row
from tests.keyboard import send_scan

JST = ZoneInfo("Asia/Tokyo")
INSIDE = dt.datetime(2027, 2, 19, 12, 0, tzinfo=JST)  # Friday, check-in open 11:30-20:00
AFTER_HOURS = dt.datetime(2027, 2, 19, 20, 1, tzinfo=JST)


class Clock:
    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment


@pytest.fixture
def event(tmp_path, kyoto_settings):
    signer = Signer(new_private_seed())
    package = make_event(tmp_path / "e.sqlite", kyoto_settings, [
        row(1),
        row(2, category="disability", disability="1"),
        row(3, escort_of="1002"),
        row(4, birth_date="2008-04-01"),  # born on the cut-off day: too young
        row(5),
    ])
    add_public_key(package, signer.public_raw)
    package.close()
    return tmp_path / "e.sqlite", signer


@pytest.fixture
def counter(qtbot, event):
    path, signer = event
    clock = Clock(INSIDE)
    sounds = SoundPlayer(enabled=False)
    session = open_session(path, "counter-3")
    faces = []  # the printer: every bib face sent to it (the CUPS path has its own tests)
    printer = BibPrinter(session.station_log, printer="test",
                         print_function=lambda face, layout, name: faces.append(face))
    window = MainWindow(session, sounds=sounds, now=clock, printer=printer)
    window.faces = faces
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    type_text(qtbot, "v17")
    key(qtbot, Qt.Key.Key_Return)
    assert window.model.volunteer_id == "V17"

    def code(entry_no: str) -> str:
        return signer.code(window.session.package.settings.event_id, entry_no, 1)

    window.code = code
    window.clock = clock
    window.sounds = sounds
    return window


def focus():
    return QApplication.focusWidget()


def type_text(qtbot, text: str) -> None:
    """A person typing: slower than a scanner, so the wedge lets it through."""
    for char in text:
        QTest.keyClick(focus(), char)
        qtbot.wait(45)
    qtbot.wait(50)


def key(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focus(), key, modifier)
    qtbot.wait(10)


def scan(qtbot, text: str) -> None:
    """A keyboard-wedge scanner: the whole code in one burst, then Enter, wherever
    the focus is, with a Shift press around every capital as a real device sends
    it (tests/keyboard.py), events 2-5 ms apart by their own timestamps."""
    send_scan(qtbot, text)


def check_id_and_hand_over(qtbot, window) -> None:
    key(qtbot, Qt.Key.Key_F4)  # name matches
    key(qtbot, Qt.Key.Key_F5)  # date of birth matches
    for index in range(1, len(window.model.checklist) + 1):
        key(qtbot, Qt.Key.Key_0 + index, Qt.KeyboardModifier.AltModifier)


def pickups(window) -> list[Fact]:
    return [f for _, f in window.session.station_log.facts() if f.kind is FactKind.PICKUP]


def test_normal_pickup_by_keyboard(qtbot, counter):
    scan(qtbot, counter.code("1001"))
    model = counter.model
    assert model.case.entrant.entry_no == "1001"
    assert model.verdict.outcome is Outcome.NEEDS_ID
    assert counter.counter.band.outcome.text() == "CHECK THE ID"
    assert not counter.counter.complete_button.isEnabled()
    check_id_and_hand_over(qtbot, counter)
    assert model.verdict.outcome is Outcome.READY and model.can_complete
    # READY is not green: nothing is recorded yet, and the band says what to do next.
    band = counter.counter.band
    assert "✔" not in band.icon.text() and "#1b7f3b" not in band.styleSheet()
    assert "Ctrl+Enter" in band.outcome.text() and "not recorded" in band.next_step.text()
    assert counter.sounds.played[-1] == "ready" and "done" not in counter.sounds.played
    key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    (pickup,) = pickups(counter)
    assert pickup.entry_no == "1001" and pickup.volunteer_id == "V17"
    assert pickup.payload["items"] == ["bib", "gift", "shirt"] and pickup.payload["found_by"] == "signed_qr"
    assert counter.session.station_log.entry_state("1001").status is PickupStatus.PICKED_UP
    # The runner's data has left the screen; the band says what was handed over.
    assert model.case is None and not counter.counter.card.isVisible()
    assert "1" in band.headline.text() and band.outcome.text() == "DONE: pickup recorded"
    assert band.icon.text() == "✔" and "#1b7f3b" in band.styleSheet()
    assert counter.fields["picked_up"].text() == "1 of 5"
    assert counter.sounds.played[-1] == "done"


def test_completing_needs_every_item_ticked(qtbot, counter):
    scan(qtbot, counter.code("1001"))
    key(qtbot, Qt.Key.Key_F4)
    key(qtbot, Qt.Key.Key_F5)
    key(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert counter.model.verdict.ready and not counter.model.can_complete
    key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert pickups(counter) == []


def test_runner_with_escort(qtbot, counter):
    scan(qtbot, counter.code("1002"))
    model = counter.model
    assert counter.counter.escorts.isVisible()
    key(qtbot, Qt.Key.Key_F4)
    key(qtbot, Qt.Key.Key_F5)
    assert model.verdict.outcome is Outcome.NEEDS_ESCORT
    assert ReasonCode.ESCORT_MISSING in model.verdict.codes
    key(qtbot, Qt.Key.Key_F7)  # the escort is here, ID checked
    assert ReasonCode.CERTIFICATE_NOT_SEEN in model.verdict.codes
    key(qtbot, Qt.Key.Key_F6)  # disability certificate seen
    assert model.checklist[-1] == "escort:1003"  # the escort's bib is in the checklist
    escort_tick = counter.counter.handover.checks["escort:1003"]
    assert escort_tick.text().startswith("Escort bib 3 (") and escort_tick.text().endswith("[Alt+4]")
    for index in range(1, 4):
        key(qtbot, Qt.Key.Key_0 + index, Qt.KeyboardModifier.AltModifier)
    assert model.verdict.ready and not model.can_complete  # the escort's bib is not ticked yet
    key(qtbot, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    assert escort_tick.isChecked() and model.can_complete
    key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert sorted(p.entry_no for p in pickups(counter)) == ["1002", "1003"]  # both bibs, one transaction
    paired = [f for _, f in counter.session.station_log.facts() if f.kind is FactKind.ESCORT_PAIRED]
    assert paired[0].payload == {"escorts": ["1003"], "certificate_seen": True}


def test_escort_alone_is_refused(qtbot, counter):
    scan(qtbot, counter.code("1003"))
    assert counter.model.verdict.outcome is Outcome.REFUSED
    assert counter.model.verdict.codes == (ReasonCode.ESCORT_ALONE,)
    band = counter.counter.band  # named as the volunteer sees them, not by entry number alone
    assert band.headline.text().startswith("山田 太郎3 (bib 3, entry 1003) is the escort of 山田 太郎2 (bib 2)")
    assert "山田 太郎2 (bib 2)" in band.next_step.text()
    assert counter.sounds.played[-1] == "stop"


def test_a_code_from_another_event_says_what_to_do(qtbot, counter):
    from station.core.confirmation import Signer, new_private_seed

    other = Signer(new_private_seed()).code("another-event-2027", "1001", 1)
    scan(qtbot, other)
    band = counter.counter.band
    assert band.headline.text() == "This confirmation is for another event."
    assert band.next_step.text().startswith("Ask the runner for this event's confirmation")


def test_already_picked_up_at_another_counter(qtbot, counter):
    log = counter.session.station_log
    # A few minutes ago (a station's door refuses stamps from its future), shown in Kyoto time.
    moment = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=3)).replace(microsecond=0)
    log.append([Fact("remote-1", FactKind.PICKUP, log.event_id, "counter-12", "V2", moment,
                     Stamp(int(moment.timestamp() * 1000), 0, "counter-12"), "1005")])
    scan(qtbot, counter.code("1005"))
    verdict = counter.model.verdict
    assert ReasonCode.ALREADY_PICKED_UP in verdict.codes and not verdict.ready
    band = counter.counter.band.headline.text() + counter.counter.band.details.text()
    assert "counter-12" in band and f"{moment.astimezone(JST):%H:%M}" in band


def test_outside_the_window(qtbot, counter):
    counter.clock.moment = AFTER_HOURS
    scan(qtbot, counter.code("1001"))
    assert counter.model.verdict.outcome is Outcome.REFUSED
    assert ReasonCode.OUTSIDE_WINDOW in counter.model.verdict.codes


def test_too_young(qtbot, counter):
    scan(qtbot, counter.code("1004"))
    assert counter.model.verdict.outcome is Outcome.REFUSED
    assert ReasonCode.BORN_TOO_LATE in counter.model.verdict.codes


def test_lost_confirmation_found_by_search(qtbot, counter):
    key(qtbot, Qt.Key.Key_F2)
    assert focus() is counter.counter.search.field
    type_text(qtbot, "yamada taro1")
    qtbot.waitUntil(lambda: counter.counter.search.results.count() > 0, timeout=2000)
    key(qtbot, Qt.Key.Key_Down)
    key(qtbot, Qt.Key.Key_Return)
    assert counter.model.case.entrant.entry_no == "1001"
    assert counter.model.case.found_by.value == "search"
    check_id_and_hand_over(qtbot, counter)
    key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert pickups(counter)[0].payload["found_by"] == "search"


def test_send_to_supervisor(qtbot, counter):
    scan(qtbot, counter.code("1001"))
    key(qtbot, Qt.Key.Key_Backtab)  # nothing special: focus moves, the case stays
    key(qtbot, Qt.Key.Key_F5, Qt.KeyboardModifier.ShiftModifier)  # date of birth differs
    assert counter.model.verdict.outcome is Outcome.SUPERVISOR
    key(qtbot, Qt.Key.Key_F9)
    note = counter.counter.note
    assert note.isVisible() and focus() is note.note  # a short note first (optional)
    assert counter.session.station_log.open_exceptions() == []
    type_text(qtbot, "licence says 1981")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: counter.model.case is None)
    (exception,) = counter.session.station_log.open_exceptions()
    assert exception.entry_no == "1001" and exception.reason == ReasonCode.BIRTH_DATE_MISMATCH.value
    (opened,) = [f for _, f in counter.session.station_log.facts() if f.kind is FactKind.EXCEPTION_OPENED]
    assert opened.payload["note"] == "licence says 1981"
    assert counter.model.case is None  # the counter is free for the next runner
    assert counter.fields["exceptions"].text() == "1"
    band = counter.counter.band  # the band confirms, and says what to tell the runner
    assert band.headline.text().startswith("Sent to the supervisor: 山田") and "(entry 1001)" in band.headline.text()
    assert "supervisor's desk" in band.next_step.text() and band.details.text() == "Note: licence says 1981"
    assert "supervisor" in counter.sounds.played and "stop" not in counter.sounds.played  # its own sound


def test_f9_can_be_taken_back(qtbot, counter):
    scan(qtbot, counter.code("1001"))
    key(qtbot, Qt.Key.Key_F9)
    key(qtbot, Qt.Key.Key_Escape)
    assert not counter.counter.note.isVisible() and counter.model.case.entrant.entry_no == "1001"
    assert counter.session.station_log.open_exceptions() == []


def test_a_forged_code_goes_to_the_supervisor(qtbot, counter):
    forged = counter.code("1001")[:-4] + ("AAAA" if not counter.code("1001").endswith("AAAA") else "BBBB")
    scan(qtbot, forged)
    assert counter.model.case is None
    assert counter.model.band.outcome in (Outcome.SUPERVISOR, Outcome.REFUSED)


def test_a_scan_at_any_moment_starts_the_next_runner(qtbot, counter):
    scan(qtbot, counter.code("1001"))
    key(qtbot, Qt.Key.Key_F4)
    scan(qtbot, counter.code("1005"))
    assert counter.model.case.entrant.entry_no == "1005"
    assert counter.model.gathered.name.value == "not_checked"


def test_typing_in_the_search_box_is_not_taken_for_a_scan(qtbot, counter):
    key(qtbot, Qt.Key.Key_F2)
    type_text(qtbot, "1001")
    key(qtbot, Qt.Key.Key_Return)
    assert counter.counter.search.field.text() == "1001"
    assert counter.model.case.entrant.entry_no == "1001" and counter.model.case.found_by.value == "search"


def test_idle_timeout_clears_the_runner(qtbot, counter):
    scan(qtbot, counter.code("1001"))
    counter.counter._idle.setInterval(50)
    counter.counter._idle.start()
    qtbot.waitUntil(lambda: counter.model.case is None, timeout=2000)
    assert counter.counter.card.name.text() == ""


def test_sign_out_and_in(qtbot, counter):
    counter.model.sign_out()
    assert counter.counter.stack.currentWidget() is counter.counter.sign_in
    scan(qtbot, counter.code("1001"))
    assert counter.model.case is None  # nobody signed in: no runner data on screen


def test_the_counter_fits_a_1366x768_laptop_screen(qtbot, counter):
    """The busiest case (a runner with an escort, every reason shown) still fits."""
    scan(qtbot, counter.code("1002"))
    assert counter.counter.escorts.isVisible() and counter.counter.band.details.text()
    hint = counter.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 768 - 40, hint  # 40 px for the taskbar


def test_complete_hands_the_bibs_to_the_print_queue(qtbot, event, tmp_path):
    """Complete prints every bib of the pair, off the counter's thread; each copy is a fact.

    The 'printer' here writes real PDFs with the bib layout (the CUPS test prints
    through the spooler); `pdftotext` reads them back."""
    import shutil
    import subprocess

    from station.printing.layout import render_pdf
    from station.printing.worker import BibPrinter

    path, signer = event
    session = open_session(path, "counter-3")
    written = []

    def to_pdf(face, layout, printer):
        written.append(render_pdf(face, layout, tmp_path / f"{printer}-{face.bib}.pdf"))

    printer = BibPrinter(session.station_log, printer="pdf", print_function=to_pdf)
    window = MainWindow(session, sounds=SoundPlayer(enabled=False), now=Clock(INSIDE), printer=printer)
    qtbot.addWidget(window)
    window.show()  # closing a shown window stops the print thread
    window.model.sign_in("V17")
    window.model.scan(signer.code(session.package.settings.event_id, "1002", 1))
    model = window.model
    model.set_name(Match.CONFIRMED)
    model.set_birth_date(Match.CONFIRMED)
    model.set_escort("1003", present=True, id_ok=True)
    model.set_certificate(True)
    for item in model.checklist:
        model.set_item(item, True)
    assert model.complete() is not None
    qtbot.waitUntil(lambda: printer.pending == 0 and len(written) == 2, timeout=10_000)
    printed = [f for _, f in session.station_log.facts() if f.kind is FactKind.BIB_PRINTED]
    assert sorted(f.entry_no for f in printed) == ["1002", "1003"]
    if shutil.which("pdftotext"):
        escort_pdf = next(p for p in written if p.name.endswith("-3.pdf"))
        text = subprocess.run(["pdftotext", str(escort_pdf), "-"], capture_output=True, text=True).stdout
        assert "GUIDE" in text and "2" in text  # the escort's bib names the runner's bib (2)
    window.close()


def test_a_code_shown_to_the_camera_starts_the_check_in(qtbot, event, tmp_path):
    """Real frames through OpenCV's VideoCapture (the webcam's path), decoded on the
    scan worker's threads; only the physical webcam is replaced, by a video file."""
    import numpy as np

    from station.scan.camera import VideoFile
    from station.scan.synth import Condition, frame, write_video
    from station.ui.scan_worker import ScanWorker

    path, signer = event
    session = open_session(path, "counter-3")
    code = signer.code(session.package.settings.event_id, "1001", 1)
    rng = np.random.default_rng(5)
    images = [frame(code, Condition.PERSPECTIVE, rng).image for _ in range(6)]
    video = tmp_path / "counter.avi"
    write_video(video, images)
    scanner = ScanWorker(VideoFile(video, realtime=False, loop=False))
    window = MainWindow(session, sounds=SoundPlayer(enabled=False), now=Clock(INSIDE), scanner=scanner)
    qtbot.addWidget(window)
    window.model.sign_in("V17")
    window.show()
    qtbot.waitUntil(lambda: window.model.case is not None, timeout=15_000)
    assert window.model.case.entrant.entry_no == "1001"
    assert window.model.case.found_by.value == "signed_qr"
    window.close()


def test_scanning_the_escorts_confirmation_adds_the_escort(qtbot, counter):
    scan(qtbot, counter.code("1002"))
    scan(qtbot, counter.code("1003"))  # the escort's own confirmation, not a new runner
    model = counter.model
    assert model.case.entrant.entry_no == "1002"
    assert model.gathered.escorts["1003"].present
    assert ReasonCode.ESCORT_MISSING not in model.verdict.codes
    assert ReasonCode.ESCORT_ID_NOT_CHECKED in model.verdict.codes  # seen, ID still to check
    key(qtbot, Qt.Key.Key_F7)
    assert ReasonCode.ESCORT_ID_NOT_CHECKED not in model.verdict.codes


def test_a_separate_timing_chip_is_paired_by_scanning_its_tag(qtbot, tmp_path, kyoto_settings):
    signer = Signer(new_private_seed())
    settings = kyoto_settings.with_changes(handover_items=("bib", "chip", "gift"))
    package = make_event(tmp_path / "chip.sqlite", settings, [row(1)])
    add_public_key(package, signer.public_raw)
    package.close()
    window = MainWindow(open_session(tmp_path / "chip.sqlite", "counter-3"), sounds=SoundPlayer(enabled=False),
                        now=Clock(INSIDE))
    qtbot.addWidget(window)
    model = window.model
    model.sign_in("V1")
    model.scan(signer.code(settings.event_id, "1001", 1))
    model.set_name(Match.CONFIRMED)
    model.set_birth_date(Match.CONFIRMED)
    model.set_item("bib", True)
    model.set_item("gift", True)
    model.set_item("chip", True)  # ticking is not enough: the tag pairs chip and bib
    assert not model.can_complete
    model.scan("E2801160600002084A1B2C3D")  # the chip's tag, from the same scanner
    assert model.case.entrant.entry_no == "1001" and model.gathered.chip_tag == "E2801160600002084A1B2C3D"
    assert model.can_complete
    model.complete()
    (pickup,) = [f for _, f in window.session.station_log.facts() if f.kind is FactKind.PICKUP]
    assert pickup.payload["chip"] == "E2801160600002084A1B2C3D" and "chip" in pickup.payload["items"]


def test_the_counter_previews_the_bib_as_it_will_print(qtbot, counter):
    scan(qtbot, counter.code("1001"))
    preview = counter.bib_preview
    assert preview.isVisible() and preview.face.bib == "1"
    assert not counter.counter.camera.isVisible()  # the bib takes the camera's place while serving
    key(qtbot, Qt.Key.Key_Escape)
    assert not preview.isVisible() and preview.face is None and counter.counter.camera.isVisible()


def test_a_runner_with_items_handed_over_is_never_dropped_unrecorded(qtbot, counter):
    """Scanning the next runner, searching, Esc or the idle timeout must not throw
    away a runner whose bib may already have crossed the counter: the counter asks."""
    scan(qtbot, counter.code("1001"))
    check_id_and_hand_over(qtbot, counter)
    model, question = counter.model, counter.counter.question
    scan(qtbot, counter.code("1005"))
    assert model.case.entrant.entry_no == "1001" and model.asking and question.isVisible()
    assert "1001" not in question.title.text() and "Bib 1" in question.ticked.text()
    key(qtbot, Qt.Key.Key_Escape)  # go back
    assert not question.isVisible() and model.case.entrant.entry_no == "1001"
    assert "not recorded" in model.band.headline("en")
    model.choose("1005")
    assert model.case.entrant.entry_no == "1001" and question.isVisible()
    question.back.click()
    counter.counter.on_idle()
    assert model.case.entrant.entry_no == "1001" and question.isVisible()
    question.back.click()
    key(qtbot, Qt.Key.Key_Escape)
    assert model.case is not None and question.isVisible()
    key(qtbot, Qt.Key.Key_2)  # nothing was handed over: cancel
    qtbot.waitUntil(lambda: not model.asking)
    assert model.case is None and pickups(counter) == []


def test_a_ready_runner_is_recorded_when_the_volunteer_says_it_was_handed_over(qtbot, counter):
    scan(qtbot, counter.code("1001"))
    key(qtbot, Qt.Key.Key_F4)
    key(qtbot, Qt.Key.Key_F5)
    assert counter.model.verdict.outcome is Outcome.READY and not counter.model.gathered.items
    scan(qtbot, counter.code("1005"))  # READY, nothing ticked: still asked
    assert counter.model.asking and counter.model.case.entrant.entry_no == "1001"
    key(qtbot, Qt.Key.Key_1)  # yes, handed over
    qtbot.waitUntil(lambda: not counter.model.asking)
    (pickup,) = pickups(counter)
    assert pickup.entry_no == "1001" and pickup.payload["items"] == ["bib", "gift", "shirt"]
    assert counter.model.case.entrant.entry_no == "1005"  # and then the scan goes ahead
    assert counter.sounds.played.count("done") == 1


def test_sign_out_and_closing_ask_first(qtbot, counter):
    scan(qtbot, counter.code("1001"))
    check_id_and_hand_over(qtbot, counter)
    counter.sign_out_button.click()
    assert counter.model.volunteer_id == "V17" and counter.counter.question.isVisible()
    counter.counter.question.cancel.click()
    assert counter.model.volunteer_id == "" and pickups(counter) == []
    key_in = counter.model
    key_in.sign_in("V17")
    scan(qtbot, counter.code("1005"))
    check_id_and_hand_over(qtbot, counter)
    done = []
    counter.model.completed.connect(done.append)
    assert counter.close() is False  # the close waits for the answer
    assert counter.isVisible() and counter.counter.question.isVisible()
    counter.counter.question.record.click()
    qtbot.waitUntil(lambda: not counter.isVisible())
    assert [d.entries for d in done] == [("1005",)]  # recorded, then the window closed


def test_scanning_the_same_runner_again_keeps_the_checks(qtbot, counter):
    scan(qtbot, counter.code("1001"))
    key(qtbot, Qt.Key.Key_F4)
    scan(qtbot, counter.code("1001"))
    assert counter.model.gathered.name is Match.CONFIRMED


def test_refused_cases_offer_nothing_to_hand_over(qtbot, counter):
    scan(qtbot, counter.code("1004"))  # too young
    assert counter.model.verdict.outcome is Outcome.REFUSED
    assert not counter.counter.handover.isVisible() and not counter.bib_preview.isVisible()


def test_a_recording_failure_is_said_on_the_band_and_the_case_stays(qtbot, counter, monkeypatch):
    from station.core.errors import DatabaseLocked

    scan(qtbot, counter.code("1001"))
    check_id_and_hand_over(qtbot, counter)

    def locked(facts):
        raise DatabaseLocked("the station log is locked by another program; close it and try again.")

    monkeypatch.setattr(counter.session.station_log, "append", locked)
    key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert counter.model.case.entrant.entry_no == "1001"
    assert counter.counter.band.headline.text().startswith("Not recorded: the station log is locked")


def test_a_badge_scanned_at_sign_in_signs_the_volunteer_in(qtbot, counter):
    counter.model.sign_out()
    scan(qtbot, "V42-B")
    assert counter.model.volunteer_id == "V42-B"


def test_full_width_volunteer_codes_are_read_as_ascii(counter):
    counter.model.sign_in("ｖ１７")
    assert counter.model.volunteer_id == "V17"


@pytest.mark.skipif(not __import__("pathlib").Path("/usr/share/fonts/opentype/ocr-b/OCRB.otf").exists(),
                    reason="apt-get install fonts-ocr-b (the passport frames are drawn with it)")
def test_a_passport_shown_to_the_camera_fills_the_id_panel(qtbot, tmp_path, kyoto_settings):
    """The MRZ read through the camera path (a video replayed through VideoCapture;
    only the webcam itself is replaced): date of birth compared, the read name shown
    beside the registered one for the volunteer, the document kept as a keyed hash."""
    import numpy as np

    from station.core import mrz
    from station.scan.camera import VideoFile
    from station.scan.synth import write_video
    from station.ui.scan_worker import ScanWorker
    from tests.mrz_frames import place, render_document

    make_event(tmp_path / "p.sqlite", kyoto_settings, [
        row(1, family_kanji="", given_kanji="", family_kana="", given_kana="", family_latin="Smith",
            given_latin="Anna Maria", birth_date="1988-03-14", nationality="GBR", sex="F")]).close()
    lines = mrz.compose(mrz.MrzFormat.TD3, document_code="P", issuing_state="GBR", family=["SMITH"],
                        given=["ANNA", "MARIA"], document_number="123456789", nationality="GBR",
                        birth=dt.date(1988, 3, 14), sex="F", expiry=dt.date(2031, 5, 1))
    rng = np.random.default_rng(11)
    frames = [place(render_document(lines, rng), rng, False) for _ in range(8)]
    video = tmp_path / "passport.avi"
    write_video(video, frames, fps=4)

    session = open_session(tmp_path / "p.sqlite", "counter-3")
    window = MainWindow(session, sounds=SoundPlayer(enabled=False), now=Clock(INSIDE),
                        scanner=ScanWorker(VideoFile(video, realtime=True, loop=True)))
    qtbot.addWidget(window)
    window.show()
    model = window.model
    model.sign_in("V1")
    model.choose("1001")
    assert model.gathered.document.value == "passport"  # a runner from abroad: the passport is expected
    assert window.counter.camera.isVisible()  # the camera stays in view to aim the passport
    qtbot.waitUntil(lambda: model.gathered.mrz is not None, timeout=30_000)
    assert window.bib_preview.isVisible() and window.counter.camera.advice.text() == ""
    assert model.gathered.mrz.outcome.value == "match"
    assert model.gathered.birth_date is Match.CONFIRMED
    assert model.gathered.name is Match.NOT_CHECKED  # names are the volunteer's to confirm
    assert model.gathered.document_hash and "123456789" not in model.gathered.document_hash
    assert "SMITH" in window.counter.id_panel.mrz.text()
    window.close()


def test_a_supervisor_case_open_at_another_counter_is_said_and_nothing_handed_over(qtbot, counter):
    log = counter.session.station_log
    # a case opened minutes ago (a station sets aside facts stamped in its future)
    moment = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    log.append([Fact("case-elsewhere", FactKind.EXCEPTION_OPENED, log.event_id, "counter-12", "V9", moment,
                     Stamp(int(moment.timestamp() * 1000), 0, "counter-12"), "1001",
                     {"reason": "name_mismatch", "note": "", "codes": ["name_mismatch"]})])
    scan(qtbot, counter.code("1001"))
    check_id_and_hand_over(qtbot, counter)
    model = counter.model
    assert model.band.outcome is Outcome.SUPERVISOR and "counter-12, " in model.band.headline("en")
    assert not model.can_complete and not counter.counter.handover.isVisible()


def test_each_outcome_class_has_its_own_sound():
    from station.resources import asset
    from station.ui.sounds import SOUND_FOR

    classes = {"ready": Outcome.READY, "attention": Outcome.NEEDS_ID, "stop": Outcome.REFUSED,
               "supervisor": Outcome.SUPERVISOR, "done": "done", "problem": "problem"}
    assert {name: SOUND_FOR[key] for name, key in classes.items()} == {n: n for n in classes}
    sounds = {name: asset("sounds", f"{name}.wav").read_bytes() for name in classes}
    assert len(set(sounds.values())) == len(classes)  # six different sounds
