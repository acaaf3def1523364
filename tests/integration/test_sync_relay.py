"""The Qt relay turns the sync engine's status into signals (a real engine, a real hub file)."""

from __future__ import annotations

from pathlib import Path

from station.core.models import FactKind
from station.store.event_package import EventPackage
from station.store.station_log import StationLog
from station.sync.hub_store import HUB_FILE, HubStore, publish_event
from station.sync.sqlite_hub import SqliteHub
from station.sync.worker import SyncWorker
from station.ui.sync_worker import SyncStatusRelay


def test_relay_reports_online_waiting_and_download(qtbot, tmp_path: Path, kyoto_settings):
    data = tmp_path / "hub"
    HubStore.open(data / HUB_FILE, shared=True).close()
    package = EventPackage.create(tmp_path / "event.sqlite", kyoto_settings)
    package.close()
    publish_event(data, tmp_path / "event.sqlite")
    log = StationLog.open(tmp_path / "a.sqlite", station_id="counter-a", event_id=kyoto_settings.event_id)
    worker = SyncWorker(log, SqliteHub(data / HUB_FILE, "counter-a"))
    relay = SyncStatusRelay(worker)
    try:
        log.record(FactKind.PICKUP, volunteer_id="v", entry_no="E-1")
        with qtbot.waitSignal(relay.online_changed, timeout=5000) as online:
            worker.sync_once()
        assert online.args == [True]
        assert relay.worker.status.waiting == 0

        data.rename(tmp_path / "hub-away")
        log.record(FactKind.PICKUP, volunteer_id="v", entry_no="E-2")
        with qtbot.waitSignals([relay.online_changed, relay.waiting_changed], timeout=5000):
            relay.start()
            worker.nudge()
        assert worker.status.waiting == 1 and not worker.status.online
        relay.stop()
        (tmp_path / "hub-away").rename(data)

        progress: list[tuple[int, int]] = []
        relay.package_progress.connect(lambda done, total: progress.append((done, total)))
        with qtbot.waitSignal(relay.package_ready, timeout=10000) as ready:
            relay.download_package(tmp_path / "station" / "event.sqlite")
        size = Path(ready.args[0]).stat().st_size
        assert (size, size) in progress
    finally:
        worker.close()
        log.close()
