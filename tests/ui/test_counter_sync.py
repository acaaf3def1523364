"""Two counters meet at a real hub (a central SQLite hub file): a bib picked up at
one is refused at the other, and a pickup decided without the hub says so."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from station.core.evidence import DocumentType, FoundBy, IdCheck, Match
from station.core.models import FactKind
from station.core.verdict import ReasonCode
from station.store.checkin import CheckinDesk
from station.store.event_package import EventPackage
from station.store.station_log import StationLog
from station.sync.hub_store import HUB_FILE, HubStore
from station.sync.sqlite_hub import SqliteHub
from station.sync.worker import SyncWorker
from station.ui.app import open_session
from station.ui.main_window import MainWindow
from station.ui.sounds import SoundPlayer
from station.ui.sync_worker import SyncStatusRelay
from tests.factories import make_event, row

NOON = dt.datetime(2027, 2, 19, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


@pytest.fixture
def hall(tmp_path, kyoto_settings):
    event = tmp_path / "e.sqlite"
    make_event(event, kyoto_settings, [row(1), row(2)]).close()
    hub_dir = tmp_path / "share"
    hub_dir.mkdir()
    HubStore.open(hub_dir / HUB_FILE, shared=True).close()
    return event, hub_dir


def connect(hub_dir, station: str) -> SqliteHub:
    with HubStore.open(hub_dir / HUB_FILE) as store:
        token = store.add_station(station)
    return SqliteHub(hub_dir / HUB_FILE, station, token=token)


def hub_has(hub_dir, fact_id: str) -> bool:
    with HubStore.open(hub_dir / HUB_FILE, create=False) as store:
        return fact_id in store.fact_ids()


def check_in(model) -> None:
    model.set_name(Match.CONFIRMED)
    model.set_birth_date(Match.CONFIRMED)
    for item in model.items:
        model.set_item(item, True)


def test_a_bib_picked_up_at_one_counter_is_refused_at_the_other(qtbot, hall):
    event, hub_dir = hall
    # Counter 2: online, but pulling only once a minute, so only asking the hub can tell it.
    package = EventPackage.open(event)
    other_log = StationLog.open(event.parent / "counter-2.sqlite", station_id="counter-2",
                                event_id=package.settings.event_id)
    other = SyncWorker(other_log, connect(hub_dir, "counter-2"), pull_every=60)
    other.start()
    qtbot.waitUntil(lambda: other.status.online, timeout=10_000)

    session = open_session(event, "counter-1")
    relay = SyncStatusRelay(SyncWorker(session.station_log, connect(hub_dir, "counter-1"), pull_every=0.2))
    window = MainWindow(session, sounds=SoundPlayer(enabled=False), now=lambda: NOON, sync=relay)
    qtbot.addWidget(window)
    window.show()
    relay.start()
    qtbot.waitUntil(lambda: window.sync_label.text().startswith("● Online"), timeout=10_000)
    window.model.sign_in("V1")
    window.model.choose("1001")
    check_in(window.model)
    assert window.model.complete() is not None
    (pickup,) = [f for _, f in session.station_log.facts() if f.kind is FactKind.PICKUP]
    assert pickup.payload["decided_offline"] is False  # the hub was asked first
    qtbot.waitUntil(lambda: hub_has(hub_dir, pickup.fact_id), timeout=10_000)  # pushed at once

    assert other_log.entry_state("1001").pickups == 0  # counter 2 has not pulled it
    desk = CheckinDesk(package, other_log, hub=other)
    case = desk.open_case("1001", FoundBy.SEARCH)
    evidence = desk.evidence(case, id_check=IdCheck(DocumentType.PASSPORT, Match.CONFIRMED, Match.CONFIRMED),
                             handed_over=("bib", "gift", "shirt"))
    assert desk.decide(case, evidence, NOON).ready  # what counter 2 alone believes
    verdict, facts = desk.complete(case, evidence, "V2", NOON)
    assert facts == () and ReasonCode.ALREADY_PICKED_UP in verdict.codes
    assert "counter-1" in verdict.headline.text_en
    other.close()
    other_log.close()
    package.close()
    window.close()


def test_without_the_hub_the_counter_decides_alone_and_says_so(qtbot, hall):
    event, hub_dir = hall
    session = open_session(event, "counter-1")
    relay = SyncStatusRelay(SyncWorker(session.station_log, connect(hub_dir, "counter-1"), pull_every=0.2,
                                       first_backoff=0.2))
    window = MainWindow(session, sounds=SoundPlayer(enabled=False), now=lambda: NOON, sync=relay)
    qtbot.addWidget(window)
    window.show()
    relay.start()
    qtbot.waitUntil(lambda: relay.worker.status.online, timeout=10_000)
    away = hub_dir.with_name("share-away")
    hub_dir.rename(away)  # the share is gone (Wi-Fi down)
    qtbot.waitUntil(lambda: "Offline" in window.sync_label.text(), timeout=10_000)

    window.model.sign_in("V1")
    window.model.choose("1002")
    check_in(window.model)
    assert window.model.complete() is not None  # the counter never stops for the network
    (pickup,) = [f for _, f in session.station_log.facts() if f.kind is FactKind.PICKUP]
    assert pickup.payload["decided_offline"] is True
    qtbot.waitUntil(lambda: relay.worker.status.waiting >= 1, timeout=5_000)

    away.rename(hub_dir)  # back: the pickup goes up without anyone doing anything
    qtbot.waitUntil(lambda: hub_dir.exists() and hub_has(hub_dir, pickup.fact_id), timeout=15_000)
    qtbot.waitUntil(lambda: relay.worker.status.online and relay.worker.status.waiting == 0, timeout=15_000)
    window.close()
