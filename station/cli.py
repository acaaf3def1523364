"""The command line: a thin face over the store and the core.

Each command parses its arguments, calls one function, and prints. A user's
mistake (a missing file, a wrong encoding, a locked database) is a
StationError: one line on stderr and a non-zero exit, never a traceback. The
traceback of anything unexpected goes to the log file only.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from pathlib import Path

import click

from station import __version__
from station.core.errors import StationError

log = logging.getLogger(__name__)

EXIT_ERROR = 1
EXIT_ROWS_REFUSED = 3


class StationGroup(click.Group):
    """Runs `app` when no command is given; turns StationErrors into one line."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0].startswith("-") and args[0] not in ("--help", "-h", "--version", "--licences",
                                                                      "--licenses")):
            args = ["app", *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        from station.logs import log_name_for, setup_logging

        log_name = log_name_for(sys.argv[1:])
        try:
            setup_logging(name=log_name)
            log.info("station %s: %s", __version__, " ".join(sys.argv[1:]))
            return super().invoke(ctx)
        except StationError as exc:
            log.warning("refused: %s", exc)
            click.echo(f"error: {exc}", err=True)
            ctx.exit(EXIT_ERROR)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("stopped.", err=True)
            ctx.exit(130)
        except Exception:
            path = setup_logging(name=log_name)
            log.exception("unexpected error in %s", " ".join(sys.argv))
            click.echo(f"error: something unexpected went wrong; the details are in {path}", err=True)
            ctx.exit(EXIT_ERROR)


def _show_licences(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from station.notices import bundled_notices

    click.echo_via_pager(bundled_notices()) if sys.stdout.isatty() else click.echo(bundled_notices())
    ctx.exit(0)


@click.group(cls=StationGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="station")
@click.option("--licences", "--licenses", is_flag=True, expose_value=False, is_eager=True, callback=_show_licences,
              help="Show the licences of Bib Station and the third-party software it ships, then exit.")
def cli() -> None:
    """Bib Station: runner check-in and bib pickup at a marathon expo.

    Without a command, opens the counter window (`station app`).
    """


# -- the window -------------------------------------------------------------


@cli.command()
@click.option("--event", "event_path", type=click.Path(path_type=Path),
              help="Event package (.sqlite). Default: the one opened last.")
@click.option("--station", "station_name", help="This counter's name, e.g. counter-12.")
def app(event_path: Path | None, station_name: str | None) -> None:
    """Open the counter window (on a new laptop: set it up first)."""
    _run_window(event_path, station_name)


@cli.command()
@click.option("--rebuild", is_flag=True, help="Build the demo event again from scratch.")
@click.option("--no-window", is_flag=True, help="Only build the demo event and print where it is.")
@click.option("--station", "station_name", help="This counter's name (default from settings).")
def demo(rebuild: bool, no_window: bool, station_name: str | None) -> None:
    """Build (once) and open the demo event: 40,000 entrants, Kyoto rules."""
    from station import settings as settings_module
    from station.demo import ensure_demo

    folders = settings_module.Folders.current()
    result = ensure_demo(folders.demo, rebuild=rebuild, progress=lambda text: click.echo(text, err=True))
    click.echo(f"demo event: {result.package}" + ("" if result.built else " (already built)"))
    if not no_window:
        _run_window(result.package, station_name or settings_module.load().station_name)


def _run_window(event_path: Path | None, station_name: str | None) -> None:
    from station.logs import setup_logging
    from station.ui.first_run import launch

    setup_logging()
    sys.exit(launch(event_path, station_name))


# -- the event package ------------------------------------------------------


@cli.group()
def event() -> None:
    """Create and inspect event packages."""


@event.command("new")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--id", "event_id", required=True, help="Short id, e.g. kyoto-2027.")
@click.option("--name", required=True, help="The event's name as shown at the counter.")
@click.option("--race-date", required=True, type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD")
@click.option("--time-zone", default="Asia/Tokyo", show_default=True)
@click.option("--max-escorts", type=click.IntRange(0, 2), default=1, show_default=True)
@click.option("--min-age", type=int, help="Eligibility by age on race day (instead of Kyoto's cut-off).")
def event_new(path: Path, event_id: str, name: str, race_date: dt.datetime, time_zone: str,
              max_escorts: int, min_age: int | None) -> None:
    """Create an event package with Kyoto's default rules (windows, cut-off)."""
    from station.core.event import Eligibility, EligibilityKind, kyoto_defaults
    from station.store.event_package import EventPackage

    settings = kyoto_defaults(event_id, name, race_date.date()).with_changes(
        time_zone=time_zone, max_escorts=max_escorts
    )
    if min_age is not None:
        settings = settings.with_changes(
            eligibility=Eligibility(EligibilityKind.MIN_AGE_ON_RACE_DAY, min_age=min_age)
        )
    EventPackage.create(path, settings).close()
    click.echo(f"created {path}")


@event.command("show")
@click.argument("path", type=click.Path(path_type=Path))
def event_show(path: Path) -> None:
    """Print an event package's settings and roster size."""
    from station.store.event_package import EventPackage

    package = EventPackage.open(path)
    try:
        s, counts = package.settings, package.counts()
        click.echo(f"{s.name} [{s.event_id}]  race day {s.race_date}  ({s.time_zone})")
        for window in s.checkin_windows:
            click.echo(f"  check-in {window.opens:%a %Y-%m-%d %H:%M} - last entry {window.last_entry:%H:%M}")
        click.echo(f"  eligibility: {s.eligibility.kind} {s.eligibility.born_before or s.eligibility.min_age}")
        click.echo(f"  roster: {counts.runners} runners, {counts.escorts} escorts, {counts.cancelled} cancelled")
    finally:
        package.close()


# -- roster import ----------------------------------------------------------


@cli.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--event", "event_path", required=True, type=click.Path(path_type=Path),
              help="The event package to import into.")
@click.option("--encoding", help="Force the file's encoding (utf-8, utf-8-sig, cp932). Default: detect.")
@click.option("--columns", "columns_file", type=click.Path(path_type=Path),
              help="TOML file mapping this export's headers to fields (see docs/ROSTER_FORMAT.md).")
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
@click.option("--cancel-missing", is_flag=True,
              help="Cancel entrants that are in the event but not in this file.")
def import_(file: Path, event_path: Path, encoding: str | None, columns_file: Path | None,
            dry_run: bool, cancel_missing: bool) -> None:
    """Import (or re-import) a registration export into an event package.

    Exit status: 0 all rows accepted, 3 some rows refused (the rest imported
    unless --dry-run), 1 nothing imported (the message says why).
    """
    from station.core.roster import check_roster
    from station.core.roster_columns import load_mapping_file
    from station.store.event_package import EventPackage
    from station.store.roster_import import import_roster
    from station.store.search import RosterSearch

    columns = load_mapping_file(columns_file) if columns_file else None
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise StationError(f"{file} does not exist; check the path.") from None
    except IsADirectoryError:
        raise StationError(f"{file} is a folder; give the CSV file.") from None
    package = EventPackage.open(event_path)
    try:
        total = raw.count(b"\n")
        with click.progressbar(length=total, label="checking", file=sys.stderr) as bar:
            check = check_roster(raw, max_escorts=package.settings.max_escorts, encoding=encoding,
                                 columns=columns, progress=bar.update)
        with click.progressbar(length=len(check.entrants), label="writing ", file=sys.stderr) as bar:
            result = import_roster(package, check, cancel_missing=cancel_missing, dry_run=dry_run,
                                   progress=bar.update)
        if result.written:  # so that counters do not pay for it when they start
            RosterSearch(package, refresh=False).rebuild()
    finally:
        package.close()
    _print_import(file, result, dry_run)
    if result.check.problems:
        sys.exit(EXIT_ROWS_REFUSED)


def _print_import(file: Path, result, dry_run: bool) -> None:
    check, changes = result.check, result.changes
    click.echo(f"{file.name}: {check.rows_read} rows read ({check.encoding}), "
               f"{len(check.refused_lines)} refused")
    for problem in check.problems:
        click.echo(f"  {problem}")
    if check.ignored_columns:
        click.echo(f"  columns not used: {', '.join(check.ignored_columns)}")
    verb = "would apply" if dry_run else ("applied" if result.written else "nothing to apply")
    click.echo(
        f"{verb}: {len(changes.added)} added, {len(changes.changed)} changed, "
        f"{len(changes.reinstated)} reinstated, {len(changes.cancelled)} cancelled, "
        f"{changes.unchanged} unchanged"
    )
    if changes.cancel_blocked:
        click.echo(f"  NOT cancelling the {len(changes.missing_kept)} entrants missing from this file: some "
                   "rows were refused (a refused row may be one of them); fix those rows and import again")
    elif changes.missing_kept:
        click.echo(f"  {len(changes.missing_kept)} entrants in the event are not in this file; "
                   "they are kept (use --cancel-missing to cancel them)")


# -- the station log --------------------------------------------------------


@cli.command()
@click.option("--event", "event_path", required=True, type=click.Path(path_type=Path))
@click.option("--station", "station_name", help="The counter whose log to rebuild (default: this one).")
def rebuild(event_path: Path, station_name: str | None) -> None:
    """Recompute a station's derived tables (pickup state, open exceptions) from its log."""
    from station import settings as settings_module
    from station.store.event_package import EventPackage
    from station.store.station_log import StationLog

    package = EventPackage.open(event_path)
    event_id = package.settings.event_id
    package.close()
    name = station_name or settings_module.load().station_name
    path = settings_module.Folders.current().station_log(event_id, name)
    if not path.exists():
        raise StationError(f"Station {name} has no log for {event_id} yet ({path}).")
    station_log = StationLog.open(path, station_id=name, event_id=event_id)
    try:
        summary = station_log.rebuild()
    finally:
        station_log.close()
    click.echo(f"rebuilt {path.name}: {summary.facts} facts, {summary.picked_up} picked up, "
               f"{summary.conflicts} conflicts, {summary.open_exceptions} open exceptions")


def _add_commands() -> None:
    from station.commands.audit import audit
    from station.commands.confirmations import confirmations
    from station.commands.hub import hub
    from station.commands.keys import keys
    from station.commands.nicknames import nicknames
    from station.commands.provision import provision
    from station.commands.purge import purge
    from station.commands.report import report
    from station.commands.scan import scan
    from station.commands.selfcheck import checkin, selfcheck
    from station.commands.supervisors import supervisors

    for command in (keys, confirmations, scan, nicknames, hub, supervisors, audit, report, purge, selfcheck,
                    checkin, provision):
        cli.add_command(command)


_add_commands()


def main() -> None:
    cli(prog_name="station")
