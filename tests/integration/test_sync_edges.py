"""Sync at the edges: the HTTP hub's guards, hubs killed mid-write, and the
`station hub` commands. Shares the harness of test_sync_hubs.py."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import ssl
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from station.commands.hub import hub as hub_cli
from station.core.hlc import HybridClock
from station.core.models import Fact, FactKind
from station.store.station_log import StationLog
from station.sync.client import HttpHub
from station.sync.hub_store import HUB_FILE, HubStore
from station.sync.protocol import CertificateUntrusted, HubUnavailable, ProtocolError, Provisioning
from station.sync.sqlite_hub import SqliteHub
from station.sync.worker import SyncWorker
from tests.integration.test_sync_hubs import (
    EVENT,
    HttpHubRunner,
    free_port,
    publish_roster_update,
    wait_until,
)

# -- HTTP-only details --------------------------------------------------------------------


@pytest.fixture
def http_hub(tmp_path: Path) -> Iterator[HttpHubRunner]:
    data = tmp_path / "hub"
    data.mkdir()
    runner = HttpHubRunner(data, per_second=1.0, burst=3)
    runner.start()
    yield runner
    runner.close()


def test_http_hub_refuses_strangers_floods_and_huge_requests(http_hub):
    client = http_hub.connect("counter-a")
    other = http_hub.connect("counter-b")
    with httpx.Client(base_url=http_hub.url) as raw:
        assert "/v1/facts" in raw.get("/openapi.json").json()["paths"]
        assert raw.get("/health").json()["status"] == "ok"
        stolen = dict(other._headers, **{"X-Station": "counter-a"})  # B's token, A's name
        assert raw.get("/v1/facts", headers=stolen).status_code == 401
        assert raw.get("/v1/facts").status_code == 401
        big = raw.post("/v1/facts", content=b"{" + b" " * (5 * 1024 * 1024) + b"}",
                       headers=dict(client._headers, **{"content-type": "application/json"}))
        assert big.status_code == 413
    with pytest.raises(ProtocolError):
        client._send("GET", "/v1/facts", params={"after": -1})
    with pytest.raises(HubUnavailable, match="429"):
        for _ in range(6):
            client.pull(0)


def _serve_in_subprocess(data: Path, port: int) -> subprocess.Popen:
    code = (
        "import sys; from station.commands.hub import hub; "
        "hub(['serve', '--data', sys.argv[1], '--port', sys.argv[2]])"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(data), str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )

    def up() -> bool:
        with contextlib.suppress(httpx.TransportError):
            return httpx.get(f"http://127.0.0.1:{port}/health", timeout=0.5).status_code == 200
        return False

    wait_until(up, "the hub subprocess to serve", timeout=30)
    return process


def _many_facts(log: StationLog, count: int) -> None:
    facts = [log.new_fact(FactKind.ID_CHECKED, volunteer_id="v", entry_no=f"E-{k:05d}") for k in range(count)]
    log.append(facts)


def test_http_hub_killed_in_the_middle_of_a_push(tmp_path: Path):
    data = tmp_path / "hub"
    HubStore.open(data / HUB_FILE).close()
    port = free_port()
    with HubStore.open(data / HUB_FILE) as store:
        token = store.add_station("counter-a")
    log = StationLog.open(tmp_path / "a.sqlite", station_id="counter-a", event_id=EVENT)
    _many_facts(log, 3000)
    client = HttpHub(f"http://127.0.0.1:{port}", "counter-a", token, timeout=5.0)
    worker = SyncWorker(log, client)
    process = _serve_in_subprocess(data, port)
    try:
        outcome: list[BaseException | None] = []

        def push() -> None:
            try:
                worker.sync_once()
                outcome.append(None)
            except BaseException as exc:
                outcome.append(exc)

        pusher = threading.Thread(target=push)
        pusher.start()

        def some_arrived() -> bool:
            with HubStore.open(data / HUB_FILE, create=False) as store:
                return store.health().facts > 0

        wait_until(some_arrived, "the first batch to arrive")
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        pusher.join(30)
        assert isinstance(outcome[0], HubUnavailable)
        with HubStore.open(data / HUB_FILE, create=False) as store:
            assert 0 < store.health().facts < 3000

        process = _serve_in_subprocess(data, port)
        worker.sync_once()
        with HubStore.open(data / HUB_FILE, create=False) as store:
            assert store.fact_ids() == {f.fact_id for _, f in log.facts()}
            assert store.health().facts == 3000
        assert worker.status.waiting == 0
    finally:
        process.kill()
        process.wait()
        worker.close()
        client.close()
        log.close()


def test_sqlite_hub_writer_killed_in_the_middle_of_a_batch(tmp_path: Path):
    data = tmp_path / "hub"
    HubStore.open(data / HUB_FILE, shared=True).close()
    log = StationLog.open(tmp_path / "a.sqlite", station_id="counter-a", event_id=EVENT)
    _many_facts(log, 2000)
    # Another station's process writes half a batch into the hub file and dies there.
    code = (
        "import sys, time, sqlite3\n"
        "from pathlib import Path\n"
        "from station.store import fact_rows\n"
        "from station.store.station_log import StationLog\n"
        "from station.sync.hub_store import HubStore\n"
        "src = sqlite3.connect(sys.argv[2])\n"
        "rows = src.execute(f'SELECT {fact_rows.SELECT} FROM fact LIMIT 1000').fetchall()\n"
        "hub = HubStore.open(Path(sys.argv[1]), shared=True, create=False)\n"
        "hub.conn.execute('BEGIN IMMEDIATE')\n"
        "fact_rows.insert(hub.conn, 'fact', [fact_rows.from_row(r) for r in rows])\n"
        "print('half-written', flush=True)\n"
        "time.sleep(60)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(data / HUB_FILE), str(tmp_path / "a.sqlite")],
        stdout=subprocess.PIPE, text=True,
    )
    client = SqliteHub(data / HUB_FILE, "counter-a", busy_timeout_ms=200)
    worker = SyncWorker(log, client)
    try:
        assert process.stdout.readline().strip() == "half-written"
        with pytest.raises(HubUnavailable):  # the dying writer holds the lock
            worker.sync_once()
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        worker.sync_once()  # the hot journal is rolled back, then our batches go in whole
        with HubStore.open(data / HUB_FILE, create=False) as store:
            assert store.health().facts == 2000
            assert store.fact_ids() == {f.fact_id for _, f in log.facts()}
            assert len(store.entry_states()) == 2000
    finally:
        process.kill()
        process.wait()
        process.stdout.close()
        worker.close()
        log.close()


def test_cli_provisions_and_revokes_a_station(tmp_path: Path):
    data = tmp_path / "hub"
    runner = CliRunner()
    result = runner.invoke(hub_cli, ["add-station", "counter-12", "--data", str(data),
                                     "--url", "http://hall-hub:8765"])
    assert result.exit_code == 0, result.output
    code = result.output.strip().splitlines()[-1]
    provisioning = Provisioning.parse(code)
    assert provisioning.hub == "http://hall-hub:8765" and provisioning.station == "counter-12"
    png = data / "stations" / "counter-12.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with HubStore.open(data / HUB_FILE, create=False) as store:
        assert store.authenticate("counter-12", provisioning.token)
        assert not store.authenticate("counter-12", provisioning.token + "x")
        assert provisioning.token not in (data / HUB_FILE).read_bytes().decode("latin-1")
    result = runner.invoke(hub_cli, ["revoke-station", "counter-12", "--data", str(data)])
    assert result.exit_code == 0, result.output
    with HubStore.open(data / HUB_FILE, create=False) as store:
        assert not store.authenticate("counter-12", provisioning.token)
    listed = runner.invoke(hub_cli, ["stations", "--data", str(data)])
    assert "counter-12" in listed.output and "revoked" in listed.output


def test_cli_publishes_the_event_and_lists_conflicts(tmp_path: Path, kyoto_settings):
    data = tmp_path / "hub"
    HubStore.open(data / HUB_FILE).close()
    package_fact = publish_roster_update(data, tmp_path, kyoto_settings, "E-3", "cancelled")
    with HubStore.open(data / HUB_FILE) as store:
        assert package_fact.fact_id in store.fact_ids()  # the organizer's update is on the hub
        store.ingest([Fact(str(uuid.uuid4()), FactKind.PICKUP, EVENT, s, "v", dt.datetime.now(dt.UTC),
                           HybridClock(s).now(), "E-4") for s in ("counter-1", "counter-2")], station=None)
    runner = CliRunner()
    package = next(tmp_path.glob("event-*.sqlite"))
    again = runner.invoke(hub_cli, ["publish-event", "--data", str(data), "--event", str(package)])
    assert again.exit_code == 0 and "0 new roster facts" in again.output
    listed = runner.invoke(hub_cli, ["conflicts", "--data", str(data)])
    assert "E-4\tdouble_pickup\t2 pickups" in listed.output and "1 conflicts." in listed.output


def _certificates(folder: Path) -> tuple[Path, Path, Path]:
    """An organizer CA and a hub certificate for 127.0.0.1 signed by it."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key, hub_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Organizer test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                         critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "hall hub")]))
            .issuer_name(ca_name).public_key(hub_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    paths = folder / "ca.pem", folder / "hub.key", folder / "hub.crt"
    paths[0].write_bytes(ca.public_bytes(pem))
    paths[1].write_bytes(hub_key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    paths[2].write_bytes(leaf.public_bytes(pem))
    return paths


def test_http_hub_over_tls(tmp_path: Path):
    ca, key, cert = _certificates(tmp_path)
    data = tmp_path / "hub"
    data.mkdir()
    runner = HttpHubRunner(data, tls=(key, cert))
    runner.start()
    try:
        with HubStore.open(data / HUB_FILE) as store:
            token = store.add_station("counter-a")
        trusted = HttpHub(runner.url, "counter-a", token, verify=ssl.create_default_context(cafile=ca))
        stranger = HttpHub(runner.url, "counter-a", token)  # does not know the organizer's CA
        try:
            assert runner.url.startswith("https://")
            assert trusted.pull(0).facts == ()
            with pytest.raises(CertificateUntrusted):
                stranger.pull(0)
        finally:
            trusted.close()
            stranger.close()
    finally:
        runner.close()


def test_sync_and_the_hub_run_without_qt():
    modules = ["station.sync.protocol", "station.sync.hub_store", "station.sync.client",
               "station.sync.sqlite_hub", "station.sync.http_hub", "station.sync.worker",
               "station.store.sync_state", "station.commands.hub"]
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + (
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
