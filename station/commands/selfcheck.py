"""`station selfcheck` and `station checkin`: is this laptop ready, and does a
whole check-in work on it?

`checkin` is a maintenance command (hidden from --help): it checks in one
entrant of an event package through the same CheckinDesk the counter uses,
records the pickup in this station's log, and prints the bib to a PDF
instead of a printer. CI runs it from the built bundle; IT staff can run it
on a test event to see the whole path work without a webcam or a volunteer.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from station.core.errors import StationError
from station.core.payloads import PickupPayload

_MARK = {"ok": "ok", "warn": "WARN", "fail": "FAIL"}


@click.command("selfcheck")
@click.option("--event", "event_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The event package to check (default: the one in the settings).")
@click.option("--skip", multiple=True, metavar="CHECK",
              help="Leave out a check, e.g. --skip camera (repeatable).")
def selfcheck(event_path: Path | None, skip: tuple[str, ...]) -> None:
    """Check this laptop: event package, data folder, camera, printer, hub, fonts, models.

    Prints one line per check and what to do about each problem; exits 1
    when any check fails (a warning alone exits 0).
    """
    from station import settings as settings_module
    from station.selfcheck import CHECKS, Machine, failed, run_checks

    unknown = set(skip) - {name for name, _ in CHECKS}
    if unknown:
        raise StationError(f"No check named {', '.join(sorted(unknown))}; "
                           f"the checks are: {', '.join(name for name, _ in CHECKS)}.")
    settings = settings_module.load()
    path = event_path or (Path(settings.event_package) if settings.event_package else None)
    machine = Machine(settings, settings_module.Folders.current(), path)
    click.echo(f"Bib Station self-check of {settings.station_name}")
    width = max(len(name) for name, _ in CHECKS)
    results = run_checks(machine, skip=skip, each=lambda r: click.echo(
        f"  {r.name:<{width}}  {_MARK[r.outcome]:<4}  {r.detail}"))
    todo = [r for r in results if r.todo]
    if todo:
        click.echo("What to do:")
        for r in todo:
            click.echo(f"  {r.name}: {r.todo}")
    if failed(results):
        click.echo("Some checks failed: this laptop is not ready to be a counter yet.")
        sys.exit(1)
    click.echo("This laptop is ready to be a counter.")


@click.command("checkin", hidden=True)
@click.option("--event", "event_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--entry", "entry_no", help="The entry to check in (default: the first runner who may pick up).")
@click.option("--pdf", "pdf_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Print the bib to this PDF file.")
@click.option("--station", "station_name", help="This counter's name (default from settings).")
@click.option("--volunteer", default="selfcheck", show_default=True)
@click.option("--at", "at", type=click.DateTime(["%Y-%m-%dT%H:%M"]),
              help="The counter's clock in the event's time zone (default: an hour after the first window opens).")
@click.option("--sync", "sync", is_flag=True,
              help="Sync with the hub in the settings before (pull) and after (push) the check-in.")
def checkin(event_path: Path, entry_no: str | None, pdf_path: Path, station_name: str | None,
            volunteer: str, at: dt.datetime | None, sync: bool) -> None:
    """Check one entrant in end to end (passport confirmed) and print the bib to a PDF."""
    from zoneinfo import ZoneInfo

    from station import settings as settings_module
    from station.printing.bib_pdf import bib_pdf
    from station.store.opening import open_station
    from station.store.trial_checkin import check_in_first_possible

    settings = settings_module.load()
    name = station_name or settings.station_name
    package, station_log = open_station(event_path, name)
    try:
        if sync:
            _sync_once(settings, station_log)
        rules = package.settings
        local = at or (rules.checkin_windows[0].opens + dt.timedelta(hours=1) if rules.checkin_windows
                       else dt.datetime.now())
        done = check_in_first_possible(package, station_log, entry_no, volunteer,
                                       local.replace(tzinfo=ZoneInfo(rules.time_zone)))
        pdf = bib_pdf(done.entrant, package, pdf_path)
        if sync:
            _sync_once(settings, station_log)
            click.echo(f"synced with {settings.hub}")
    finally:
        package.close()
        station_log.close()
    pickup = done.pickup
    click.echo(f"checked in entry {pickup.entry_no} (bib {PickupPayload.from_payload(pickup.payload).bib}) at {name}; "
               f"pickup fact {pickup.fact_id}; bib printed to {pdf}")


def _sync_once(settings, station_log) -> None:
    from station.sync.client import hub_from_settings
    from station.sync.worker import SyncWorker

    if not settings.hub:
        raise StationError("No hub in the settings: provision this station first (`station provision CODE`).")
    worker = SyncWorker(station_log, hub_from_settings(settings, station_id=station_log.station_id))
    try:
        worker.sync_once()
    finally:
        worker.close()
        worker.hub.close()
