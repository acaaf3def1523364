"""`station hub ...`: run the sync hub and manage the stations allowed to use it."""

from __future__ import annotations

import socket
from pathlib import Path

import click

from station.sync.hub_store import HUB_FILE, HubStore, publish_event
from station.sync.protocol import SQLITE_PREFIX, Provisioning

DEFAULT_PORT = 8765

_data_option = click.option(
    "--data", "data", required=True, type=click.Path(file_okay=False, path_type=Path),
    help="The hub's folder (hub.sqlite and the published event package live here).",
)


@click.group("hub")
def hub() -> None:
    """Run the sync hub that every counter's log meets at, and manage its stations."""


@hub.command("serve")
@_data_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 to serve the whole hall network.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=int)
@click.option("--event", "event", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Publish this event package (stations download it; its roster updates flow down).")
@click.option("--ssl-keyfile", type=click.Path(dir_okay=False, exists=True), help="TLS private key (PEM).")
@click.option("--ssl-certfile", type=click.Path(dir_okay=False, exists=True), help="TLS certificate (PEM).")
@click.option("--rate", default=20.0, show_default=True, help="Requests per second allowed per station.")
def serve(data: Path, host: str, port: int, event: Path | None, ssl_keyfile: str | None,
          ssl_certfile: str | None, rate: float) -> None:
    """Serve the HTTP hub (FastAPI on uvicorn) until Ctrl+C."""
    import uvicorn

    from station.sync.http_hub import create_app

    data.mkdir(parents=True, exist_ok=True)
    HubStore.open(data / HUB_FILE).close()
    if event is not None:
        new = publish_event(data, event)
        click.echo(f"Published {event.name}: {new} new roster facts.")
    scheme = "https" if ssl_certfile else "http"
    click.echo(f"Hub serving {scheme}://{host}:{port} from {data} (API docs at /docs).")
    uvicorn.run(
        create_app(data, per_second=rate, burst=max(10, int(rate * 3))),
        host=host, port=port, ssl_keyfile=ssl_keyfile, ssl_certfile=ssl_certfile,
        log_level="info", ws="none",
    )


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


@hub.command("add-station")
@click.argument("name")
@_data_option
@click.option("--url", default=None,
              help=f"How stations reach this hub [default: http://<this host>:{DEFAULT_PORT}]; "
                   "use sqlite:///path/hub.sqlite for a hub file on a shared folder.")
@click.option("--qr", "qr_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the QR code [default: DATA/stations/NAME.png].")
def add_station(name: str, data: Path, url: str | None, qr_path: Path | None) -> None:
    """Issue a token for station NAME and print its provisioning code (text and QR)."""
    import qrcode

    url = url or f"http://{socket.gethostname()}:{DEFAULT_PORT}"
    shared = True if url.startswith(SQLITE_PREFIX) else None
    with HubStore.open(data / HUB_FILE, shared=shared) as store:
        token = store.add_station(name)
    code = Provisioning(url, name, token).code()
    qr_path = qr_path or data / "stations" / f"{name}.png"
    qr_path.parent.mkdir(parents=True, exist_ok=True)
    qrcode.make(code).save(qr_path)
    click.echo(f"Station {name} may now sync with {url}.")
    click.echo(f"Provisioning code (scan {qr_path} at the station, or paste):\n{code}")


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
        for name, issued, revoked in store.stations():
            click.echo(f"{name}\tissued {issued}\t{'revoked ' + revoked if revoked else 'active'}")
        summary = store.summary()
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
