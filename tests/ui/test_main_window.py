"""The first window opens on the demo event and shows the real local state."""

from __future__ import annotations

import pytest

from station.core.models import FactKind
from station.ui.app import open_session
from station.ui.main_window import MainWindow


@pytest.mark.slow
def test_main_window_opens_on_the_demo_event(qtbot, demo_package):
    session = open_session(demo_package, "counter-3")
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    f = window.fields
    assert "Kyoto Marathon 2027" in window.title.text()
    assert f["roster"].text().startswith("39,770 runners, 230 escorts")
    assert f["station"].text() == "counter-3"
    assert f["facts"].text() == "0"
    assert f["picked_up"].text() == "0 of 40,000"
    assert f["zone"].text() == "Asia/Tokyo"
    assert "Fri 02-19 11:30 – 20:00" in f["windows"].text()

    # The window follows the log: a pickup recorded elsewhere shows after a refresh.
    session.station_log.record(FactKind.PICKUP, volunteer_id="v-1", entry_no="270001")
    with qtbot.waitSignal(session.changed, timeout=1000):
        session.refresh()
    assert f["facts"].text() == "1" and f["picked_up"].text() == "1 of 40,000"
    assert f["last"].text().endswith("JST")


@pytest.mark.slow
def test_the_demo_event_ships_with_its_confirmations(demo_package):
    import csv

    from station.core.confirmation import CodeOutcome
    from station.store.checkin import CheckinDesk
    from station.store.event_package import EventPackage
    from station.store.station_log import StationLog

    folder = demo_package.parent / "confirmations"
    with (folder / "confirmations.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 40_000 and len({r["code"] for r in rows}) == 40_000
    assert len(list(folder.glob("*.png"))) == len(list(folder.glob("*.pdf"))) == 40
    package = EventPackage.open(demo_package)
    log = StationLog.open(demo_package.parent / "check.sqlite", station_id="counter-9",
                          event_id=package.settings.event_id)
    try:
        desk = CheckinDesk(package, log)
        for row in (rows[0], rows[-1]):  # a runner and an escort
            scan = desk.scan(row["code"])
            assert scan.code.outcome is CodeOutcome.VALID and scan.case.entrant.entry_no == row["entry_no"]
        assert desk.scan(rows[0]["code"][:-3] + "AAA").code.outcome is not CodeOutcome.VALID
    finally:
        log.close()
        package.close()
