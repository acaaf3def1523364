"""The counter's status line tells revoked, certificate not trusted and unreachable apart."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from station.sync.hub_store import HUB_FILE, HubStore, publish_event
from station.sync.worker import HubState, SyncWorker
from station.ui.app import open_session
from station.ui.main_window import MainWindow
from station.ui.sounds import SoundPlayer
from station.ui.sync_worker import SyncStatusRelay
from tests.factories import make_event, row
from tests.integration.test_sync_hubs import HttpHubRunner

NOON = dt.datetime(2027, 2, 19, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


def test_revoked_untrusted_and_unreachable_read_differently(qtbot, tmp_path, kyoto_settings):
    event = tmp_path / "e.sqlite"
    make_event(event, kyoto_settings, [row(1), row(2)]).close()
    data = tmp_path / "hub"
    publish_event(data, event)
    runner = HttpHubRunner(data)
    runner.start()
    session = open_session(event, "counter-1")
    relay = SyncStatusRelay(SyncWorker(session.station_log, runner.connect("counter-1"), pull_every=0.2,
                                       first_backoff=0.1, max_backoff=0.3))
    window = MainWindow(session, sounds=SoundPlayer(enabled=False), now=lambda: NOON, sync=relay)
    qtbot.addWidget(window)
    window.show()
    relay.start()
    try:
        qtbot.waitUntil(lambda: window.sync_label.text().startswith("● Online"), timeout=10_000)
        with HubStore.open(data / HUB_FILE) as store:
            store.revoke_station("counter-1")
        qtbot.waitUntil(lambda: relay.worker.status.hub_state is HubState.REVOKED, timeout=10_000)
        window.show_sync()
        revoked = window.sync_label.text()
        assert revoked.startswith("● Revoked by the hub") and "new code" in revoked

        relay.worker._set_status(hub_state=HubState.UNTRUSTED, online=False)  # what a wrong pin gives
        window.show_sync()
        assert window.sync_label.text().startswith("● Hub certificate not trusted")

        relay.worker._set_status(hub_state=HubState.UNREACHABLE, online=False)
        window.show_sync()
        assert window.sync_label.text().startswith("● Offline: deciding alone")
        assert len({revoked, window.sync_label.text()}) == 2
    finally:
        window.close()
        runner.close()
