"""`station provision CODE`: set this laptop up (again) from a hub's provisioning code."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("provision")
@click.argument("code")
@click.option("--ca-file", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="The organizer's CA certificate (PEM), when the hub's certificate comes from their own CA.")
def provision(code: str, ca_file: Path | None) -> None:
    """Join the hub the CODE names (from `station hub add-station`): download the event and keep
    the hub, token and station name. A station already set up takes the new code the same way."""
    from station.sync.provisioning import provision_from_code
    from station.sync.tls import pretty

    settings = provision_from_code(code, ca_file=str(ca_file.resolve()) if ca_file else None)
    click.echo(f"This laptop is now station {settings.station_name}, syncing with {settings.hub}.")
    if settings.hub_ca_file:
        click.echo(f"It trusts the hub's certificate through {settings.hub_ca_file}.")
    elif settings.hub_fingerprint:
        click.echo(f"It trusts only the hub certificate {pretty(settings.hub_fingerprint)}.")
    click.echo(f"event package: {settings.event_package}")
