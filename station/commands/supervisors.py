"""`station supervisors ...`: enrol supervisors (argon2id PIN hash) in the event package.

The PIN is typed twice at a hidden prompt, never passed on the command line
(where it would stay in the shell's history and the process list).
"""

from __future__ import annotations

from pathlib import Path

import click

_event_option = click.option(
    "--event", "event_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
    help="The event package (.sqlite).",
)


@click.group("supervisors")
def supervisors() -> None:
    """Supervisors who may resolve exceptions: add, list, remove."""


@supervisors.command("add")
@_event_option
@click.option("--id", "supervisor_id", required=True, help="A short id, e.g. sv-sato.")
@click.option("--name", required=True, help="The name shown on the supervisor screen.")
def add(event_path: Path, supervisor_id: str, name: str) -> None:
    """Add a supervisor, or give an existing one a new PIN (asked twice, hidden)."""
    from station.store.event_package import EventPackage
    from station.store.supervisors import PIN_MIN_DIGITS, check_pin, enrol

    pin = click.prompt(f"PIN ({PIN_MIN_DIGITS}+ digits)", hide_input=True, confirmation_prompt=True)
    check_pin(pin)
    package = EventPackage.open(event_path)
    try:
        enrol(package, supervisor_id, name, pin)
    finally:
        package.close()
    click.echo(f"supervisor {supervisor_id} ({name}) enrolled in {event_path.name}; "
               "send the updated package to the stations.")


@supervisors.command("list")
@_event_option
def list_(event_path: Path) -> None:
    """The supervisors in the package (ids and names; never PINs)."""
    from station.store.event_package import EventPackage
    from station.store.supervisors import supervisors as enrolled

    package = EventPackage.open(event_path)
    try:
        for supervisor_id, name in enrolled(package):
            click.echo(f"{supervisor_id}\t{name}")
    finally:
        package.close()


@supervisors.command("remove")
@_event_option
@click.option("--id", "supervisor_id", required=True)
def remove_(event_path: Path, supervisor_id: str) -> None:
    """Remove a supervisor from the package."""
    from station.core.errors import StationError
    from station.store.event_package import EventPackage
    from station.store.supervisors import remove

    package = EventPackage.open(event_path)
    try:
        if not remove(package, supervisor_id):
            raise StationError(f"No supervisor {supervisor_id} in {event_path.name}; see `station supervisors list`.")
    finally:
        package.close()
    click.echo(f"supervisor {supervisor_id} removed")
