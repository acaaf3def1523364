"""A bad fact that reaches a station anyway (issue 12): its door sets it aside, and the
Station tab and the supervisors' dashboard say so, in words, in Japanese and English,
with what to do."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QApplication

from station.core.models import FactKind
from station.store.event_package import EventPackage
from station.store.station_log import StationLog
from station.store.supervisors import enrol
from station.ui.app import open_session
from station.ui.i18n import Languages
from station.ui.main_window import MainWindow
from station.ui.sounds import SoundPlayer
from tests.factories import make_event, row
from tests.ui.test_every_screen_translated import wrong_language

NOON = dt.datetime(2027, 2, 19, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
PIN = "4821397650"
COMMAND = "`station audit quarantine`"


@pytest.fixture
def window(qtbot, tmp_path, kyoto_settings):
    path = tmp_path / "e.sqlite"
    make_event(path, kyoto_settings, [row(1), row(2)]).close()
    package = EventPackage.open(path)
    enrol(package, "S1", "Sato Supervisor", PIN)
    package.close()
    languages = Languages(QApplication.instance())
    window = MainWindow(open_session(path, "counter-3"), languages=languages, sounds=SoundPlayer(enabled=False),
                        now=lambda: NOON)
    qtbot.addWidget(window)
    window.show()
    yield window
    languages.switch("en")


def fits(qtbot, window) -> None:
    """The window with the set-aside lines showing still fits a 1366×768 laptop (tests/ui/test_layout_words.py)."""
    window.resize(1366, 705)
    qtbot.wait(20)
    hint = window.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 705, hint
    aside = window.supervisor.dashboard.aside
    assert aside.height() >= aside.heightForWidth(aside.width()), "the supervisor's line is cut"


def hostile_facts(tmp_path, event_id: str):
    """Made by other stations' own logs: a pickup of another event, and a supervisor's
    decision nobody signed (written by a station that merely names a supervisor)."""
    other = StationLog.open(tmp_path / "other-event.sqlite", station_id="counter-9", event_id="another-race")
    rogue = StationLog.open(tmp_path / "rogue.sqlite", station_id="counter-7", event_id=event_id)
    try:
        wrong_event = other.new_fact(FactKind.PICKUP, volunteer_id="V9", entry_no="1001")
        unsigned = rogue.new_fact(FactKind.OVERRIDE, volunteer_id="S1", entry_no="1001",
                                 payload={"exception_id": "x-1", "decision": "approve_override",
                                          "supervisor_reason": "trust me", "ground": "roster_typo",
                                          "codes": ["name_mismatch"]})
    finally:
        other.close()
        rogue.close()
    return wrong_event, unsigned


def test_a_fact_set_aside_shows_on_the_station_tab_and_to_the_supervisors(qtbot, window, tmp_path):
    log = window.session.station_log
    field = window.info.fields["set_aside"]
    assert field.text() == "none" and window.info.names["set_aside"].text() == "Facts set aside"

    wrong_event, unsigned = hostile_facts(tmp_path, log.event_id)
    assert log.append([wrong_event], received=True) == []  # the station's own door
    assert log.append([unsigned], received=True) == []
    assert [q.reason for q in log.quarantined()] == ["wrong_event", "unsigned"]
    assert field.text() == "none"  # nothing redrawn yet ...
    window.on_sync_status(None)  # ... until sync reports (the sync relay's signal calls this)
    assert field.text() == ("2 (newest: signature missing, from station counter-7); "
                            f"tell IT staff: run {COMMAND}")

    screen = window.supervisor
    assert not screen.dashboard.aside.isVisibleTo(screen)
    window.tabs.setCurrentWidget(screen)
    screen.pin.setText(PIN)
    screen.sign_in()
    aside = screen.dashboard.aside
    assert aside.isVisible()
    assert aside.text().startswith("2 facts set aside at this station")
    assert ("Newest: signature missing (from station counter-7); "
            "fact of another event (from station counter-9)") in aside.text()
    assert f"Tell IT staff: run {COMMAND}." in aside.text()
    assert not wrong_language(aside.text() + field.text(), "en")
    fits(qtbot, window)

    window.languages.switch("ja")
    qtbot.waitUntil(lambda: window.tabs.tabText(1) == "ステーション", timeout=2000)
    assert window.info.names["set_aside"].text() == "保留した記録"
    assert field.text().startswith("2 件（最新：必要な署名がない、ステーション counter-7 から）")
    assert "IT担当者" in field.text() and COMMAND in field.text()
    assert aside.text().startswith("このステーションで保留した記録 2 件")
    assert "必要な署名がない（ステーション counter-7 から）; 別の大会の記録（ステーション counter-9 から）" \
        in aside.text()
    assert COMMAND in aside.text()
    for text in (field.text(), aside.text()):
        assert not wrong_language(text.replace(COMMAND, ""), "ja"), text
    fits(qtbot, window)


def test_a_station_with_nothing_set_aside_says_none_in_japanese(qtbot, window):
    window.languages.switch("ja")
    qtbot.waitUntil(lambda: window.tabs.tabText(1) == "ステーション", timeout=2000)
    assert window.info.fields["set_aside"].text() == "なし"
    window.supervisor.pin.setText(PIN)
    window.supervisor.sign_in()
    assert window.supervisor.dashboard.aside.text() == ""
    assert not window.supervisor.dashboard.aside.isVisibleTo(window.supervisor)
