"""Provisioning an expo's laptops: single-use codes bound to a laptop, the hub's
certificate pinned by its fingerprint, and the three ways a hub can be away
(unreachable, revoked, certificate not trusted) told apart. A real hub on
loopback over https, real station homes, the real CLI."""

from __future__ import annotations

import os
import re
import ssl
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from station import settings as settings_module
from station.cli import cli
from station.store.station_log import StationLog
from station.sync.client import HttpHub, hub_from_settings
from station.sync.hub_store import HUB_FILE, HubStore, StationExists, publish_event
from station.sync.protocol import (
    CertificateUntrusted,
    HubRevoked,
    HubUnavailable,
    ProtocolError,
    Provisioning,
)
from station.sync.tls import certificate_fingerprint, client_context, make_self_signed, pretty
from station.sync.worker import HubState, SyncWorker
from tests.factories import make_event, row
from tests.integration.test_sync_hubs import EVENT, HttpHubRunner, free_port, wait_until


@pytest.fixture
def event(tmp_path: Path, kyoto_settings) -> Path:
    path = tmp_path / "kyoto.sqlite"
    make_event(path, kyoto_settings, [row(n) for n in range(1, 11)]).close()
    return path


@pytest.fixture
def tls_hub(tmp_path: Path, event: Path):
    data = tmp_path / "hub"
    publish_event(data, event)
    cert, key = make_self_signed(data / "tls", ["127.0.0.1", "localhost"])
    runner = HttpHubRunner(data, tls=(key, cert))
    runner.start()
    yield runner, cert
    runner.close()


def run(*args: str, home: Path | None = None) -> tuple[int, str]:
    env = {"BIB_STATION_HOME": str(home)} if home else {}
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.output


def code_of(output: str) -> str:
    return re.search(r"^bibstation://\S+$", output, re.M).group(0)


def test_a_code_works_on_the_first_laptop_only_and_the_second_use_is_reported(tls_hub, tmp_path: Path):
    runner, cert = tls_hub
    status, out = run("hub", "add-station", "counter-01", "--data", str(runner.data),
                      "--advertise", runner.url, "--cert", str(cert))
    assert status == 0, out
    code = code_of(out)
    assert Provisioning.parse(code).fingerprint == certificate_fingerprint(cert)
    assert pretty(certificate_fingerprint(cert)) in out

    first, second = tmp_path / "laptop-1", tmp_path / "laptop-2"
    status, out = run("provision", code, home=first)
    assert status == 0, out
    assert "station counter-01" in out
    saved = settings_module.load(settings_module.Folders(first / "config", first / "data", first / "logs"))
    assert saved.hub_fingerprint == certificate_fingerprint(cert) and Path(saved.event_package).is_file()
    # the same laptop may provision again (a restart half-way); another laptop may not
    assert run("provision", code, home=first)[0] == 0
    status, out = run("provision", code, home=second)
    assert status == 1 and "already used by another laptop" in out

    status, out = run("hub", "stations", "--data", str(runner.data))
    assert "counter-01" in out and "in use by laptop" in out
    assert re.search(r"REFUSED counter-01\t.*code already used by another laptop", out)


def test_re_adding_a_station_name_needs_force_and_then_knocks_the_old_laptop_off(tls_hub, tmp_path: Path):
    runner, _cert = tls_hub
    args = ("hub", "add-station", "counter-02", "--data", str(runner.data), "--advertise", runner.url)
    old = code_of(run(*args)[1])
    laptop = tmp_path / "laptop"
    assert run("provision", old, home=laptop)[0] == 0
    status, out = run(*args)
    assert status == 1 and "already has a code" in out and "--force" in out
    with HubStore.open(runner.data / HUB_FILE) as store, pytest.raises(StationExists):
        store.add_station("counter-02")
    new = code_of(run(*args, "--force")[1])
    assert new != old
    assert run("provision", old, home=tmp_path / "elsewhere")[0] == 1  # the old token is gone
    status, out = run("provision", new, home=laptop)  # the set-up laptop takes the new code
    assert status == 0, out


def test_the_pinned_fingerprint_is_the_only_certificate_accepted(tls_hub, tmp_path: Path):
    runner, cert = tls_hub
    with HubStore.open(runner.data / HUB_FILE) as store:
        token = store.add_station("counter-03")
    right = HttpHub(runner.url, "counter-03", token, verify=client_context(certificate_fingerprint(cert)))
    wrong = HttpHub(runner.url, "counter-03", token, verify=client_context("00" * 32))
    system = HttpHub(runner.url, "counter-03", token, verify=client_context())  # self-signed: not trusted
    try:
        assert right.pull(0).cursor >= 0
        for hub in (wrong, system):
            with pytest.raises(CertificateUntrusted, match="Certificate not trusted"):
                hub.pull(0)
            with pytest.raises(CertificateUntrusted):
                hub.download_package(tmp_path / "event.sqlite")
    finally:
        for hub in (right, wrong, system):
            hub.close()


def test_an_organizer_ca_file_is_trusted_instead_of_a_pin(tmp_path: Path):
    missing = tmp_path / "nowhere.pem"
    with pytest.raises(Exception, match="does not exist"):
        client_context("", str(missing))
    cert, _key = make_self_signed(tmp_path / "ca", ["127.0.0.1"])
    context = client_context("00" * 32, str(cert))  # the CA file wins over a pin
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


def test_revoked_certificate_and_unreachable_are_three_states_in_status_and_log(
        tls_hub, tmp_path: Path, caplog: pytest.LogCaptureFixture):
    runner, cert = tls_hub
    with HubStore.open(runner.data / HUB_FILE) as store:
        token = store.add_station("counter-04")
    log = StationLog.open(tmp_path / "log.sqlite", station_id="counter-04", event_id=EVENT)
    settings = settings_module.Settings(station_name="counter-04", hub=runner.url, hub_token=token,
                                        hub_fingerprint=certificate_fingerprint(cert))

    def state_with(settings) -> HubState:
        worker = SyncWorker(log, hub_from_settings(settings), first_backoff=0.05, max_backoff=0.1)
        worker.start()
        try:
            wait_until(lambda: worker.status.hub_state is not None, "a sync attempt")
            return worker.status.hub_state
        finally:
            worker.close()
            worker.hub.close()

    caplog.set_level("INFO")
    assert state_with(settings) is HubState.ONLINE
    assert state_with(replace(settings, hub_fingerprint="11" * 32)) is HubState.UNTRUSTED
    assert state_with(replace(settings, hub=f"https://127.0.0.1:{free_port()}")) is HubState.UNREACHABLE
    with HubStore.open(runner.data / HUB_FILE) as store:
        store.revoke_station("counter-04")
    assert state_with(settings) is HubState.REVOKED
    log.close()
    text = caplog.text
    for state in ("online", "untrusted", "unreachable", "revoked"):
        assert f": {state}" in text, state
    hub = HttpHub(runner.url, "counter-04", token, verify=client_context(certificate_fingerprint(cert)))
    try:
        with pytest.raises(HubRevoked, match="Revoked"):
            hub.pull(0)
    finally:
        hub.close()


def test_a_code_with_a_damaged_fingerprint_is_refused():
    good = Provisioning("https://10.0.0.5:8765", "counter-05", "t", "ab" * 32)
    assert Provisioning.parse(good.code()) == good
    with pytest.raises(ProtocolError, match="fingerprint"):
        Provisioning.parse(good.code().replace("ab" * 32, "zz" * 32))


def test_forty_codes_on_a_printable_sheet_each_for_its_own_station(tls_hub):
    runner, cert = tls_hub
    status, out = run("hub", "add-stations", "--count", "40", "--data", str(runner.data),
                      "--advertise", runner.url, "--cert", str(cert))
    assert status == 0, out
    sheet = runner.data / "stations" / "codes-counter.html"
    text = sheet.read_text(encoding="utf-8")
    codes = re.findall(r"<tt>(bibstation://[^<]+)</tt>", text)
    assert len(codes) == 40 and text.count("data:image/png;base64,") == 40
    names = [Provisioning.parse(c.replace("&amp;", "&")).station for c in codes]
    assert names == [f"counter-{n:02d}" for n in range(1, 41)]
    with HubStore.open(runner.data / HUB_FILE) as store:
        assert len(store.stations()) == 40
    status, out = run("hub", "add-stations", "--count", "2", "--data", str(runner.data), "--advertise", runner.url)
    assert status == 1 and "already have codes" in out


def test_add_station_advertises_the_lan_address_and_the_hub_listens_on_every_network(tmp_path: Path):
    from station.commands.hub import advertised_url, serve
    from station.sync.tls import lan_address

    url = advertised_url(tmp_path, None)
    assert url == f"http://{lan_address()}:8765"
    assert not url.startswith(("http://127.", "http://localhost"))
    assert advertised_url(tmp_path, "https://hub.expo.lan:9000/") == "https://hub.expo.lan:9000"
    host = next(p for p in serve.params if p.name == "host")
    assert host.default == "0.0.0.0"


def test_an_unreachable_hub_is_said_so(tmp_path: Path):
    hub = HttpHub(f"http://127.0.0.1:{free_port()}", "counter-06", "t", timeout=1.0)
    try:
        with pytest.raises(HubUnavailable, match="Hub unreachable"):
            hub.pull(0)
    finally:
        hub.close()
    assert os.environ["BIB_STATION_HOME"]
