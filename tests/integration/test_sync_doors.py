"""The edges of the doors: ids that are paths, reserved station names, the
HTTP hub's answers to oversize chunked bodies and absurd cursors, a clock fed
the largest stamp."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from station.cli import cli
from station.core.errors import StationError
from station.core.hlc import MAX_COUNTER, HybridClock, Stamp
from station.core.ids import BadId, check_event_id, check_station_id, id_path
from station.store.event_package import EventPackage
from station.sync.hub_store import HUB_FILE, HubStore
from station.sync.protocol import Provisioning
from tests.integration.test_sync_hubs import HttpHubRunner


@pytest.mark.parametrize("bad", ["../stations/x", "a/b", "a\\b", "..", ".", "", "x" * 41, "a--b", "CON",
                                 "nul", "é", "a b", "-a", "a\x00"])
def test_an_id_is_a_name_never_a_path(bad):
    with pytest.raises(BadId):
        check_event_id(bad)
    with pytest.raises(BadId):
        id_path(Path("/data"), bad)


@pytest.mark.parametrize("reserved", ["organizer", "hub", "Organizer", "HUB"])
def test_reserved_names_are_never_a_station(reserved, tmp_path):
    with pytest.raises(BadId, match="reserved"):
        check_station_id(reserved)
    with HubStore.open(tmp_path / HUB_FILE) as store, pytest.raises(StationError, match="reserved"):
        store.add_station(reserved)
    result = CliRunner().invoke(cli, ["hub", "add-station", reserved, "--data", str(tmp_path)])
    assert result.exit_code != 0 and "reserved" in result.output
    with pytest.raises(BadId):
        Provisioning.parse(f"bibstation://provision?hub=http://h:1&station={reserved}&token=t")


def test_event_new_refuses_a_traversal_id_and_an_installed_package_cannot_carry_one(tmp_path, kyoto_settings):
    result = CliRunner().invoke(cli, ["event", "new", str(tmp_path / "e.sqlite"), "--id", "../stations/x",
                                      "--name", "X", "--race-date", "2027-02-21"])
    assert result.exit_code != 0 and "Event id" in result.output
    assert not (tmp_path / "e.sqlite").exists()
    # A package whose settings were edited to carry a path is refused on opening.
    path = tmp_path / "ok.sqlite"
    EventPackage.create(path, kyoto_settings).close()
    import sqlite3

    conn = sqlite3.connect(path)
    with conn:
        text = conn.execute("SELECT settings FROM event_settings").fetchone()[0]
        conn.execute("UPDATE event_settings SET settings = ?",
                     (text.replace('"kyoto-test-2027"', '"../stations/kyoto-test-2027--counter-1"'),))
    conn.close()
    with pytest.raises(BadId):
        EventPackage.open(path)


def test_a_clock_fed_the_largest_stamp_still_encodes():
    clock = HybridClock("counter-1", wall=lambda: 1_000)
    clock.observe(Stamp(1_000, MAX_COUNTER, "counter-2"))
    stamps = [clock.now() for _ in range(3)]
    assert all(Stamp.decode(s.encode()) == s for s in stamps)
    assert stamps == sorted(stamps) and stamps[0] > Stamp(1_000, MAX_COUNTER, "counter-2")
    with pytest.raises(ValueError):
        Stamp(1, MAX_COUNTER + 1, "x").encode()


@pytest.fixture
def http_hub(tmp_path: Path) -> Iterator[tuple[HttpHubRunner, dict[str, str]]]:
    data = tmp_path / "hub"
    data.mkdir()
    runner = HttpHubRunner(data)
    runner.start()
    with HubStore.open(data / HUB_FILE) as store:
        token = store.add_station("counter-1")
    yield runner, {"Authorization": f"Bearer {token}", "X-Station": "counter-1", "X-Laptop": "laptop-test-1"}
    runner.close()


def test_a_chunked_oversize_body_gets_413(http_hub):
    runner, headers = http_hub

    def chunks() -> Iterator[bytes]:
        yield b'{"facts": ['
        for _ in range(600):
            yield b'{"fact_id": "' + b"x" * 10_000 + b'"},'
        yield b"{}]}"

    answer = httpx.post(f"{runner.url}/v1/facts", content=chunks(),
                        headers=headers | {"Content-Type": "application/json"}, timeout=30)
    assert answer.status_code == 413
    small = httpx.post(f"{runner.url}/v1/facts", json={"facts": []}, headers=headers)
    assert small.status_code == 200


@pytest.mark.parametrize("after", ["NaN", "nan", "inf", str(2**70), "-1", "1e3", "0x10"])
def test_an_absurd_cursor_is_a_4xx(http_hub, after):
    runner, headers = http_hub
    answer = httpx.get(f"{runner.url}/v1/facts", params={"after": after}, headers=headers)
    assert 400 <= answer.status_code < 500, (after, answer.status_code)
    assert httpx.get(f"{runner.url}/v1/facts", params={"after": "0"}, headers=headers).status_code == 200


def test_an_oversize_field_gets_a_4xx_not_a_slowdown(http_hub):
    runner, headers = http_hub
    now = dt.datetime.now(dt.UTC)
    fact = {"fact_id": "f1", "kind": "pickup", "event_id": "ev", "station_id": "counter-1",
            "volunteer_id": "v" * 100_000, "wall_time": now.isoformat(),
            "stamp": f"{int(now.timestamp() * 1000):015d}-000000-counter-1", "entry_no": "1", "payload": "{}"}
    answer = httpx.post(f"{runner.url}/v1/facts", json={"facts": [fact]}, headers=headers)
    assert answer.status_code == 422


def test_the_quarantine_and_the_hubs_silent_stations_are_reported(tmp_path):
    from station.commands.audit import audit
    from station.commands.hub import hub
    from station.core.models import Fact, FactKind
    from station.store.station_log import StationLog

    log = StationLog.open(tmp_path / "l.sqlite", station_id="counter-1", event_id="ev")
    good = log.new_fact(FactKind.PICKUP, volunteer_id="v", entry_no="1")
    bad = Fact("odd", FactKind.PICKUP, "ev", "counter-2", "v", good.wall_time,
               Stamp(good.stamp.wall_ms, 500_000, "counter-2"), "1")
    log.append([bad], received=True)
    log.close()
    result = CliRunner().invoke(audit, ["quarantine", str(tmp_path / "l.sqlite")])
    assert result.exit_code == 0 and "bad_stamp" in result.output and "1 facts set aside" in result.output
    data = tmp_path / "hub"
    with HubStore.open(data / HUB_FILE) as store:
        store.add_station("counter-7")
    result = CliRunner().invoke(hub, ["stations", "--data", str(data)])
    assert "never heard from" in result.output and "counter-7" in result.output
