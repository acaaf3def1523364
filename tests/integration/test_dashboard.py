"""The dashboard's numbers from a real log and event package, first and incremental refreshes alike."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from station.core.hlc import Stamp
from station.core.models import Category, Entrant, Fact, FactKind, Sex
from station.store.dashboard import Dashboard, Fit, time_left
from station.store.event_package import ENTRANT_COLUMNS, EventPackage, entrant_to_row
from station.store.sqlite import transaction
from station.store.station_log import StationLog

JST = dt.timezone(dt.timedelta(hours=9))


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment on Friday (19th) or Saturday (20th) in Kyoto, as UTC."""
    return dt.datetime(2027, 2, day, hour, minute, tzinfo=JST).astimezone(dt.UTC)


@pytest.fixture
def package(tmp_path, kyoto_settings):
    pkg = EventPackage.create(tmp_path / "event.sqlite", kyoto_settings)
    people = [("G", "A")] * 4 + [("G", "B")] * 3 + [("Y", "A")] * 2
    rows = []
    for n, (category, block) in enumerate(people):
        rows.append(entrant_to_row(Entrant(
            f"{n:04d}", f"B{n:04d}", "山田", "花子", "", "", "", "", Sex.FEMALE, dt.date(1990, 1, 1), "JPN",
            Category.GENERAL if category == "G" else Category.YOUTH, block)))
    with transaction(pkg.conn, pkg.path):
        pkg.conn.executemany(
            f"INSERT INTO entrant ({', '.join(ENTRANT_COLUMNS)}) VALUES ({', '.join('?' * len(ENTRANT_COLUMNS))})",
            rows)
    yield pkg
    pkg.close()


@pytest.fixture
def log(tmp_path, kyoto_settings):
    station_log = StationLog.open(tmp_path / "sup.sqlite", station_id="sup-1", event_id=kyoto_settings.event_id)
    yield station_log
    station_log.close()


def fact(kind: FactKind, station: str, when: dt.datetime, entry: str | None, **payload) -> Fact:
    return Fact(str(uuid.uuid4()), kind, "kyoto-test-2027", station, "v", when,
                Stamp(int(when.timestamp() * 1000), 0, station), entry, payload)


def test_numbers_follow_the_log(package, log):
    log.append([
        fact(FactKind.PICKUP, "counter-1", at(19, 12, 5), "0000"),
        fact(FactKind.PICKUP, "counter-1", at(19, 12, 40), "0001"),
        fact(FactKind.PICKUP, "counter-2", at(19, 13, 10), "0004"),
        fact(FactKind.ROSTER_UPDATE, "organizer", at(19, 9), "0007", change="cancelled"),
        fact(FactKind.EXCEPTION_OPENED, "counter-2", at(19, 13, 20), "0005", reason="name_mismatch"),
    ])
    board = Dashboard(log, package, silent_after=dt.timedelta(minutes=10))
    now = at(19, 13, 25)
    snap = board.snapshot(now)
    assert [(h.hour.hour, h.pickups) for h in snap.per_hour] == [(12, 2), (13, 1)]
    assert snap.per_hour[0].hour.utcoffset() == dt.timedelta(hours=9)  # shown in Kyoto time
    assert [(c.station_id, c.pickups, c.silent) for c in snap.per_counter] == [
        ("counter-1", 2, True), ("counter-2", 1, False)]  # counter-1 silent for 45 minutes
    assert snap.silent_stations == ("counter-1",)
    remaining = {(r.category, r.start_block): (r.remaining, r.total) for r in snap.remaining}
    assert remaining == {("general", "A"): (2, 4), ("general", "B"): (2, 3), ("youth", "A"): (1, 1)}
    (waiting,) = snap.exceptions
    assert waiting.reason == "name_mismatch" and waiting.age == dt.timedelta(minutes=5)

    # Later facts, a late one from an offline counter among them: the running totals follow.
    log.append([fact(FactKind.PICKUP, "counter-3", at(19, 12, 30), "0002"),
                fact(FactKind.PICKUP, "counter-2", at(19, 13, 30), "0008"),
                fact(FactKind.VOID, "counter-2", at(19, 13, 31), "0008")])
    snap = board.snapshot(at(19, 13, 35))
    assert [(h.hour.hour, h.pickups) for h in snap.per_hour] == [(12, 3), (13, 2)]
    remaining = {(r.category, r.start_block): r.remaining for r in snap.remaining}
    assert remaining == {("general", "A"): 1, ("general", "B"): 2, ("youth", "A"): 0}  # voided still served
    fresh = Dashboard(log, package).snapshot(at(19, 13, 35))
    assert (fresh.per_hour, fresh.per_counter, fresh.remaining) == (snap.per_hour, snap.per_counter, snap.remaining)


def test_projection(package, log, kyoto_settings):
    # Friday 11:30-20:00 and Saturday 10:30-19:00, last entry + 1 minute grace.
    assert time_left(at(19, 19, 0), kyoto_settings) == dt.timedelta(hours=9, minutes=32)
    assert time_left(at(20, 20, 0), kyoto_settings) == dt.timedelta(0)
    board = Dashboard(log, package, pace_window=dt.timedelta(minutes=30))
    assert board.snapshot(at(20, 18, 0)).projection.fit is Fit.NO_PACE_YET
    log.append([fact(FactKind.PICKUP, "counter-1", at(20, 17, 50 + n), f"000{n}") for n in range(3)])
    projection = board.snapshot(at(20, 18, 0)).projection
    assert projection.remaining == 6 and projection.pace_per_hour == 6.0
    assert projection.fit is Fit.FITS and projection.needed_per_hour == pytest.approx(6 / (61 / 60))
    projection = board.snapshot(at(20, 18, 10)).projection  # 6 an hour is not 6 in 51 minutes
    assert projection.fit is Fit.AT_RISK
    assert board.snapshot(at(20, 19, 30)).projection.fit is Fit.CLOSED
    log.append([fact(FactKind.PICKUP, "counter-1", at(20, 18, 58), f"000{n}") for n in range(3, 9)])
    assert board.snapshot(at(20, 19, 30)).projection.fit is Fit.ALL_SERVED
