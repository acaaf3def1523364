"""Supervisor mode in the window: PIN sign-in (and lockout), the queue fed by the
counter, claiming and deciding, the dashboard following the log."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from station.core.evidence import Match
from station.core.models import FactKind
from station.store.event_package import EventPackage
from station.store.supervisors import enrol
from station.ui.app import open_session
from station.ui.main_window import MainWindow
from station.ui.sounds import SoundPlayer
from tests.factories import make_event, row

NOON = dt.datetime(2027, 2, 19, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


@pytest.fixture
def window(qtbot, tmp_path, kyoto_settings):
    path = tmp_path / "e.sqlite"
    make_event(path, kyoto_settings, [row(1), row(2), row(3)]).close()
    package = EventPackage.open(path)
    enrol(package, "S1", "Sato Supervisor", "4821397650")
    package.close()
    window = MainWindow(open_session(path, "counter-3"), sounds=SoundPlayer(enabled=False), now=lambda: NOON)
    qtbot.addWidget(window)
    window.show()
    return window


def raise_exception(window) -> str:
    model = window.model
    model.sign_in("V1")
    model.choose("1001")
    model.set_birth_date(Match.MISMATCH)
    return model.send_to_supervisor(note="DOB on licence is 1980-06-05")


def test_a_wrong_pin_is_refused_and_repeated_ones_lock_out(qtbot, window):
    screen = window.supervisor
    assert screen.stack.currentWidget() is screen.sign_in_page
    for _ in range(5):
        screen.pin.setText("111129")
        screen.sign_in()
    assert screen.stack.currentWidget() is screen.sign_in_page
    assert "Too many wrong PINs" in screen.message.text()
    screen.pin.setText("4821397650")  # even the right PIN waits out the lockout
    screen.sign_in()
    assert window.supervisor_model.session is None


def test_the_queue_shows_the_counters_case_and_a_decision_closes_it(qtbot, window):
    exception_id = raise_exception(window)
    screen, model = window.supervisor, window.supervisor_model
    screen.pin.setText("4821397650")
    screen.sign_in()
    assert model.session is not None and screen.stack.currentWidget() is screen.work
    assert screen.table.rowCount() == 1 and screen.table.item(0, 3).text() == "counter-3"
    assert screen.table.item(0, 4).text() == "date of birth mismatch"  # the reason in words, not its code
    screen.table.selectRow(0)
    screen.claim()
    assert screen.table.item(0, 5).text() == "S1"
    screen.decision.setCurrentIndex(screen.decision.findData("refuse"))
    screen.resolve()  # no written reason: the ruling refuses, the screen says why
    assert screen.table.rowCount() == 1 and "reason" in screen.message.text().lower()
    screen.reason.setPlainText("Date of birth differs on the licence: registration is a false statement.")
    screen.resolve()
    assert screen.table.rowCount() == 0
    resolved = [f for _, f in window.session.station_log.facts() if f.kind is FactKind.EXCEPTION_RESOLVED]
    assert resolved[0].payload["exception_id"] == exception_id and resolved[0].volunteer_id == "S1"


def test_the_dashboard_follows_the_log(qtbot, window):
    counter = window.model
    counter.sign_in("V1")
    counter.choose("1002")
    counter.set_name(Match.CONFIRMED)
    counter.set_birth_date(Match.CONFIRMED)
    for item in counter.items:
        counter.set_item(item, True)
    assert counter.complete() is not None
    window.supervisor.pin.setText("4821397650")
    window.supervisor.sign_in()
    snapshot = window.supervisor.dashboard.snapshot
    assert snapshot is not None and snapshot.picked_up == 1
    assert window.supervisor.dashboard.counters.item(0, 0).text() == "counter-3"
    assert window.supervisor.dashboard.projection.text()


def test_supervisor_signs_out_after_inactivity(qtbot, window):
    window.supervisor.pin.setText("4821397650")
    window.supervisor.sign_in()
    model = window.supervisor_model
    later = NOON + dt.timedelta(hours=3)
    model._now = lambda: later
    model.tick()
    assert model.session is None
    assert window.supervisor.stack.currentWidget() is window.supervisor.sign_in_page
    assert window.tabs.tabText(2) in ("Supervisor", "責任者")


def test_the_raising_counter_sees_the_decision(qtbot, window):
    raise_exception(window)
    screen = window.supervisor
    screen.pin.setText("4821397650")
    screen.sign_in()
    screen.table.selectRow(0)
    screen.decision.setCurrentIndex(screen.decision.findData("refuse"))
    screen.reason.setPlainText("The licence shows another date of birth.")
    screen.resolve()
    window.show_outcomes()
    assert window.notice.isVisible()
    assert "S1" in window.notice.text() and "another date of birth" in window.notice.text()


def test_a_double_pickup_found_by_sync_reaches_the_queue_and_is_resolved(qtbot, window):
    from station.core.hlc import Stamp
    from station.core.ledger import Conflict
    from station.core.models import Fact

    log = window.session.station_log
    # (minutes ago: a station's door refuses stamps from its future)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    moments = [now - dt.timedelta(minutes=m) for m in (2, 1)]
    log.append([Fact(f"p-{i}", FactKind.PICKUP, log.event_id, station, "V9", at,
                     Stamp(int(at.timestamp() * 1000), 0, station), "1003")
                for i, (station, at) in enumerate(zip(("counter-7", "counter-8"), moments, strict=True))])
    assert log.entry_state("1003").conflict is Conflict.DOUBLE_PICKUP
    screen = window.supervisor
    screen.pin.setText("4821397650")
    screen.sign_in()
    assert screen.table.rowCount() == 1 and screen.table.item(0, 4).text() != ""
    screen.table.selectRow(0)
    screen.decision.setCurrentIndex(screen.decision.findData("resolve_double_pickup"))
    screen.keep.setCurrentIndex(screen.keep.findData("p-1"))  # the bib counter-8 handed out counts
    screen.reason.setPlainText("Runner came to counter 8; counter 7 gave the bib to a look-alike, bib recovered.")
    screen.resolve()
    state = log.entry_state("1003")
    assert state.conflict is None and state.pickup.station_id == "counter-8"
    assert screen.table.rowCount() == 0


def test_a_reprint_decision_voids_the_old_copy_and_prints_a_new_one(qtbot, window, tmp_path):
    from station.core.ledger import PickupStatus
    from station.core.supervision import Decision, Resolution

    counter = window.model
    counter.sign_in("V1")
    counter.choose("1002")
    counter.set_name(Match.CONFIRMED)
    counter.set_birth_date(Match.CONFIRMED)
    for item in counter.items:
        counter.set_item(item, True)
    counter.complete()
    window.printing.printed_elsewhere()  # this window has no printer: the counter waits until told
    counter.choose("1002")
    exception_id = counter.send_to_supervisor(note="bib torn in the rain")
    printed = []
    window.supervisor_model.reprint.connect(lambda entry, who: printed.append((entry, who)))
    window.supervisor.pin.setText("4821397650")
    window.supervisor.sign_in()
    assert window.supervisor_model.resolve(exception_id, Resolution(
        Decision.REPRINT_BIB, "Bib torn; old number card voided.", "S1"))
    log = window.session.station_log
    assert log.entry_state("1002").status is PickupStatus.PICKED_UP  # the new copy is in the runner's hands
    assert printed == [("1002", "S1")]
    voids = [f for _, f in log.facts() if f.kind is FactKind.VOID]
    assert voids and voids[0].entry_no == "1002"


def test_leaving_supervisor_mode_forgets_the_signing_key(qtbot, window):
    log = window.session.station_log
    screen = window.supervisor
    screen.pin.setText("4821397650")
    screen.sign_in()
    assert "S1" in log.supervisor_seeds
    screen.sign_out_button.click()
    assert "S1" not in log.supervisor_seeds
