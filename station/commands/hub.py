"""`station hub ...`: run the sync hub and manage the stations allowed to use it."""

from __future__ import annotations

import json
import logging
import socket
import sys
from pathlib import Path

import click

from station.core.errors import StationError
from station.sync.hub_store import HUB_FILE, HubStore, publish_event
from station.sync.protocol import SQLITE_PREFIX, Provisioning

DEFAULT_PORT = 8765
SERVE_FILE = "serve.json"  # how `hub serve` last served (scheme, port, certificate), for add-station
log = logging.getLogger(__name__)

_data_option = click.option(
    "--data", "data", required=True, type=click.Path(file_okay=False, path_type=Path),
    help="The hub's folder (hub.sqlite and the published event package live here).",
)


@click.group("hub")
def hub() -> None:
    """Run the sync hub that every counter's log meets at, and manage its stations."""


@hub.command("serve")
@_data_option
@click.option("--host", default="0.0.0.0", show_default=True,
              help="Address to listen on: all of this laptop's networks by default; 127.0.0.1 for this laptop only.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=int)
@click.option("--event", "event", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Publish this event package (stations download it; its roster updates flow down).")
@click.option("--tls", is_flag=True,
              help="Serve https with the hub's own certificate (made in DATA/tls on first use); "
                   "the codes from add-station pin its fingerprint.")
@click.option("--ssl-keyfile", type=click.Path(dir_okay=False, exists=True), help="TLS private key (PEM), "
              "e.g. from the organizer's CA.")
@click.option("--ssl-certfile", type=click.Path(dir_okay=False, exists=True), help="TLS certificate (PEM).")
@click.option("--rate", default=20.0, show_default=True, help="Requests per second allowed per station.")
@click.option("--verbose", is_flag=True, help="Log every HTTP request (debug level) in the hub's log.")
@click.option("--key", "key_path", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="With --event: the organizer's private key, to sign the roster updates it publishes.")
def serve(data: Path, host: str, port: int, event: Path | None, tls: bool, ssl_keyfile: str | None,
          ssl_certfile: str | None, rate: float, verbose: bool, key_path: Path | None) -> None:
    """Serve the HTTP hub (FastAPI on uvicorn) until Ctrl+C."""
    import uvicorn

    from station.sync.http_hub import create_app
    from station.sync.tls import certificate_fingerprint, pretty

    data.mkdir(parents=True, exist_ok=True)
    HubStore.open(data / HUB_FILE).close()
    if event is not None:
        from station.commands.keys import load_private_seed

        seed = load_private_seed(key_path) if key_path is not None else None
        new = publish_event(data, event, private_seed=seed)
        click.echo(f"Published {event.name}: {new} new roster facts.")
    if bool(ssl_keyfile) != bool(ssl_certfile):
        raise StationError("Give both --ssl-keyfile and --ssl-certfile (or --tls for the hub's own certificate).")
    if tls and not ssl_certfile:
        cert, key = _own_certificate(data)
        ssl_certfile, ssl_keyfile = str(cert), str(key)
    scheme = "https" if ssl_certfile else "http"
    _remember(data, scheme=scheme, port=port, cert=ssl_certfile)
    click.echo(f"Hub serving {scheme}://{host}:{port} from {data} (API docs at /docs).")
    click.echo(f"Stations reach it at {advertised_url(data, None)}")
    if ssl_certfile:
        click.echo(f"Certificate SHA-256 fingerprint: {pretty(certificate_fingerprint(Path(ssl_certfile)))}")
    if verbose:
        from station.logs import HUB_LOG_NAME, setup_logging

        setup_logging(level=logging.DEBUG, name=HUB_LOG_NAME)
    log.info("hub serving %s://%s:%s from %s", scheme, host, port, data)
    # The log file has everything; the operator's window gets uvicorn's warnings and errors
    # (a port already in use, a bad certificate) instead of a silent exit.
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    console.setFormatter(logging.Formatter("hub: %(message)s"))
    logging.getLogger("uvicorn.error").addHandler(console)
    uvicorn.run(
        create_app(data, per_second=rate, burst=max(10, int(rate * 3))),
        host=host, port=port, ssl_keyfile=ssl_keyfile, ssl_certfile=ssl_certfile,
        log_config=None, log_level="debug" if verbose else "info", access_log=verbose, ws="none",
    )


def _own_certificate(data: Path) -> tuple[Path, Path]:
    from station.sync.tls import CERT_FILE, KEY_FILE, TLS_FOLDER, lan_address, make_self_signed

    folder = data / TLS_FOLDER
    if (folder / CERT_FILE).is_file() and (folder / KEY_FILE).is_file():
        return folder / CERT_FILE, folder / KEY_FILE
    names = [lan_address(), socket.gethostname(), "localhost", "127.0.0.1"]
    cert, key = make_self_signed(folder, names)
    click.echo(f"Made the hub's certificate {cert} (stations pin its fingerprint; keep {key} private).")
    return cert, key


def _remember(data: Path, *, scheme: str, port: int, cert: str | None) -> None:
    """What add-station needs to write codes while the hub runs: scheme, port, certificate."""
    (data / SERVE_FILE).write_text(json.dumps({"scheme": scheme, "port": port, "cert": cert or ""}), encoding="utf-8")


def advertised_url(data: Path, advertise: str | None) -> str:
    """The address other laptops reach the hub by: --advertise, else this laptop's LAN address
    with the scheme and port `hub serve` uses (or will use: http, 8765)."""
    from station.sync.tls import hub_certificate, lan_address

    if advertise:
        return advertise.rstrip("/")
    served = _served(data)
    scheme = served.get("scheme") or ("https" if hub_certificate(data) else "http")
    port = served.get("port") or DEFAULT_PORT
    return f"{scheme}://{lan_address()}:{port}"


def _served(data: Path) -> dict:
    try:
        return json.loads((data / SERVE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _fingerprint(data: Path, url: str, cert: Path | None) -> str:
    from station.sync.tls import certificate_fingerprint, hub_certificate

    if not url.startswith("https://"):
        return ""
    cert = cert or (Path(_served(data)["cert"]) if _served(data).get("cert") else None) or hub_certificate(data)
    if cert is None:
        raise StationError(
            f"{url} is https but this hub has no certificate yet: start `station hub serve --tls` once, "
            "or pass --cert with the certificate the hub serves."
        )
    return certificate_fingerprint(cert)


@hub.command("publish-event")
@_data_option
@click.option("--event", "event", required=True,
              type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--shared", is_flag=True,
              help="A new hub file on a network share (central SQLite hub); existing files keep their mode.")
@click.option("--key", "key_path", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="The organizer's private key (`station keys new`): signs the roster updates; "
                   "an event with keys accepts only signed ones.")
def publish(data: Path, event: Path, shared: bool, key_path: Path | None) -> None:
    """Publish (or re-publish) the event package: its roster updates flow down to the stations."""
    from station.commands.keys import load_private_seed

    seed = load_private_seed(key_path) if key_path is not None else None
    new = publish_event(data, event, shared=True if shared else None, private_seed=seed)
    click.echo(f"Published {event.name} to {data}: {new} new roster facts.")


_advertise_options = [
    click.option("--advertise", "--url", "advertise", default=None,
                 help="How stations reach this hub [default: http(s)://<this laptop's LAN address>:8765]; "
                      "use sqlite:///path/hub.sqlite for a hub file on a shared folder."),
    click.option("--cert", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
                 help="The certificate the hub serves, to pin [default: the one `hub serve` uses]."),
]


def _with_advertise(function):
    for option in reversed(_advertise_options):
        function = option(function)
    return function


def _issue(data: Path, name: str, url: str, fingerprint: str, *, force: bool) -> str:
    shared = True if url.startswith(SQLITE_PREFIX) else None
    with HubStore.open(data / HUB_FILE, shared=shared) as store:
        token = store.add_station(name, force=force)
    log.info("issued a code for station %s (%s)", name, url)
    return Provisioning(url, name, token, fingerprint).code()


@hub.command("add-station")
@click.argument("name")
@_data_option
@_with_advertise
@click.option("--force", is_flag=True, help="NAME already has a code: replace it (its laptop is knocked off).")
@click.option("--qr", "qr_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the QR code [default: DATA/stations/NAME.png].")
def add_station(name: str, data: Path, advertise: str | None, cert: Path | None, force: bool,
                qr_path: Path | None) -> None:
    """Issue a single-use provisioning code for station NAME (text and QR)."""
    from station.printing.confirmation_sheet import qr_png
    from station.sync.hub_store import StationExists
    from station.sync.tls import pretty

    url = advertised_url(data, advertise)
    fingerprint = _fingerprint(data, url, cert)
    try:
        code = _issue(data, name, url, fingerprint, force=force)
    except StationExists as exc:
        if not (sys.stdin.isatty() and click.confirm(f"{exc}\nReplace its code now?", default=False)):
            raise
        code = _issue(data, name, url, fingerprint, force=True)
    qr_path = qr_path or data / "stations" / f"{name}.png"
    qr_path.parent.mkdir(parents=True, exist_ok=True)
    qr_path.write_bytes(qr_png(code))
    click.echo(f"Station {name} may now sync with {url}.")
    if fingerprint:
        click.echo(f"Stations pin the hub's certificate {pretty(fingerprint)}.")
    click.echo(f"Provisioning code (single use: the first laptop to use it keeps it; scan {qr_path} "
               f"at the station, or paste):\n{code}")


@hub.command("add-stations")
@_data_option
@_with_advertise
@click.option("--count", type=click.IntRange(1, 500), required=True, help="How many stations.")
@click.option("--prefix", default="counter", show_default=True, help="Names are PREFIX-01, PREFIX-02 ...")
@click.option("--start", type=click.IntRange(1), default=1, show_default=True, help="The first number.")
@click.option("--sheet", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The printable sheet [default: DATA/stations/codes-PREFIX.html].")
def add_stations(data: Path, advertise: str | None, cert: Path | None, count: int, prefix: str, start: int,
                 sheet: Path | None) -> None:
    """Issue COUNT provisioning codes at once and write a printable sheet of them (one per laptop)."""
    from station.commands.code_sheet import write_sheet

    url = advertised_url(data, advertise)
    fingerprint = _fingerprint(data, url, cert)
    width = max(2, len(str(start + count - 1)))
    names = [f"{prefix}-{n:0{width}d}" for n in range(start, start + count)]
    with HubStore.open(data / HUB_FILE, create=False) as store:
        taken = sorted({row[0] for row in store.stations()} & set(names))
    if taken:
        raise StationError(
            f"{len(taken)} of these names already have codes ({', '.join(taken[:5])}...); "
            "choose another --prefix or --start, or re-issue one with `station hub add-station NAME --force`."
        )
    codes = [(name, _issue(data, name, url, fingerprint, force=False)) for name in names]
    sheet = sheet or data / "stations" / f"codes-{prefix}.html"
    write_sheet(sheet, codes, url, fingerprint)
    click.echo(f"{count} stations may now sync with {url}: {names[0]} to {names[-1]}.")
    click.echo(f"Printable sheet of their codes (each single use; cut and hand one to each laptop): {sheet}")


@hub.command("revoke-station")
@click.argument("name")
@_data_option
def revoke_station(name: str, data: Path) -> None:
    """Refuse station NAME from now on (a lost or stolen laptop)."""
    with HubStore.open(data / HUB_FILE, create=False) as store:
        store.revoke_station(name)
    click.echo(f"Station {name} is revoked; its facts already on the hub stay.")


@hub.command("stations")
@_data_option
def stations(data: Path) -> None:
    """List the stations this hub knows."""
    with HubStore.open(data / HUB_FILE, create=False) as store:
        rows, refusals = store.station_rows(), store.refusals()
        summary = store.summary()
    for row in rows:
        state = f"revoked {row.revoked_at}" if row.revoked_at else (
            f"in use by laptop {row.laptop[:8]} since {row.bound_at}" if row.laptop else "code not used yet")
        click.echo(f"{row.name}\tissued {row.issued_at}\t{state}")
    for name, laptop, at, reason in refusals:
        click.echo(f"REFUSED {name}\t{at}\tlaptop {laptop[:8]}: {reason}")
    if summary.silent:
        click.echo(f"never heard from (provisioned, no facts sent): {', '.join(summary.silent)}")
    if summary.unknown:
        click.echo(f"never heard of (facts only relayed by others): {', '.join(summary.unknown)}")


@hub.command("conflicts")
@_data_option
def conflicts(data: Path) -> None:
    """Entries whose merged facts conflict (two pickups, a pickup after a void)."""
    with HubStore.open(data / HUB_FILE, create=False) as store:
        found = store.conflicts()
        reused = _document_reuse(store, data)
    for state in found:
        where = state.pickup.station_id if state.pickup else "-"
        click.echo(f"{state.entry_no}\t{state.conflict}\t{state.pickups} pickups\tfirst at {where}")
    for reuse in reused:  # issue 11: one document shown for two entries at counters that were apart
        click.echo(f"{', '.join(reuse.entries)}\tdocument_used_elsewhere\tdocument {reuse.document_key}…")
    click.echo(f"{len(found) + len(reused)} conflicts.")


def _document_reuse(store: HubStore, data: Path) -> list:
    from station.store.event_package import EventPackage
    from station.sync.hub_store import PACKAGE_FILE

    package = EventPackage.open(data / PACKAGE_FILE) if (data / PACKAGE_FILE).is_file() else None
    try:
        return store.document_reuse(package)
    finally:
        if package is not None:
            package.close()
