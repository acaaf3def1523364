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
    from station import settings as settings_module
    from station.ui.app import open_session

    settings = settings_module.load()
    name = station_name or settings.station_name
    session = open_session(event_path, name)
    try:
        if sync:
            _sync_once(settings, session.station_log)
        pickup, pdf = _check_in_and_print(session.package, session.station_log, entry_no, pdf_path,
                                          volunteer, at)
        if sync:
            _sync_once(settings, session.station_log)
            click.echo(f"synced with {settings.hub}")
    finally:
        session.package.close()
        session.station_log.close()
    click.echo(f"checked in entry {pickup.entry_no} (bib {pickup.payload['bib']}) at {name}; "
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


def _check_in_and_print(package, station_log, entry_no: str | None, pdf_path: Path, volunteer: str,
                        at: dt.datetime | None):
    from zoneinfo import ZoneInfo

    from PySide6.QtWidgets import QApplication

    from station.core.evidence import DocumentType, FoundBy, IdCheck, Match
    from station.core.models import FactKind
    from station.printing.face import bib_face
    from station.printing.layout import render_pdf
    from station.store.checkin import CheckinDesk
    from station.ui.counter.printing import nickname_checker

    rules = package.settings
    local = at or (rules.checkin_windows[0].opens + dt.timedelta(hours=1) if rules.checkin_windows
                   else dt.datetime.now())
    now = local.replace(tzinfo=ZoneInfo(rules.time_zone))
    desk = CheckinDesk(package, station_log)
    passport = IdCheck(DocumentType.PASSPORT, Match.CONFIRMED, Match.CONFIRMED)
    candidates = [entry_no] if entry_no else [e.entry_no for e in _first_runners(package, 200)]
    verdict = None
    for candidate in candidates:
        case = desk.open_case(candidate, FoundBy.SEARCH)
        if case is None:
            raise StationError(f"Entry {candidate} is not in {package.path.name}.")
        evidence = desk.evidence(case, id_check=passport, handed_over=rules.handover_items)
        verdict, facts = desk.complete(case, evidence, volunteer, now)
        if facts:
            break
    else:
        why = verdict.headline.text_en if verdict else "the event has no runners"
        raise StationError(f"No check-in was possible: {why}")
    pickup = next(f for f in facts if f.kind is FactKind.PICKUP and f.entry_no == case.entrant.entry_no)
    if QApplication.instance() is None:
        app = QApplication(sys.argv[:1])  # noqa: F841 - QPdfWriter and the bib font need one
    face = bib_face(case.entrant, rules, nickname_checker(package).check(case.entrant))
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    return pickup, render_pdf(face, rules.bib_layout, pdf_path, title=f"Bib {face.bib}")


def _first_runners(package, how_many: int):
    found = []
    for entrant in package.entrants():
        if not entrant.is_escort:
            found.append(entrant)
            if len(found) >= how_many:
                break
    return found
