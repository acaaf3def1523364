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
from station.core.event import DEFAULT_TIME_ZONE

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
@click.option("--time-zone", default=DEFAULT_TIME_ZONE, show_default=True)
@click.option("--max-escorts", type=click.IntRange(0, 2), default=1, show_default=True)
@click.option("--min-age", type=int, help="Eligibility by age on race day (instead of Kyoto's cut-off).")
@click.option("--banned-words", "banned_file", type=click.Path(path_type=Path),
              help="Words that are not names (one a line). Default: the shipped list of company "
                   "and product names.")
@click.option("--chip-tag-pattern", help="What the timing chips' tags look like (a regular expression; "
              "default: 24 hexadecimal characters, an EPC-96 tag).")
def event_new(path: Path, event_id: str, name: str, race_date: dt.datetime, time_zone: str,
              max_escorts: int, min_age: int | None, banned_file: Path | None,
              chip_tag_pattern: str | None) -> None:
    """Create an event package with Kyoto's default rules (windows, cut-off)."""
    from dataclasses import replace

    from station.core.banned_words import default_banned_words, read_banned_words
    from station.core.event import Eligibility, EligibilityKind, kyoto_defaults
    from station.store.event_package import EventPackage

    settings = kyoto_defaults(event_id, name, race_date.date()).with_changes(
        time_zone=time_zone, max_escorts=max_escorts
    )
    banned = read_banned_words(banned_file) if banned_file else default_banned_words()
    settings = settings.with_changes(nickname=replace(settings.nickname, banned_words=banned))
    if min_age is not None:
        settings = settings.with_changes(
            eligibility=Eligibility(EligibilityKind.MIN_AGE_ON_RACE_DAY, min_age=min_age)
        )
    if chip_tag_pattern:
        settings = settings.with_changes(chip_tag_pattern=chip_tag_pattern)
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
        click.echo(f"  chip tags: {s.chip_tag_pattern}")
        click.echo(f"  roster: {counts.runners} runners, {counts.escorts} escorts, {counts.cancelled} cancelled")
        if s.block_colours:
            click.echo("  block colours: " + ", ".join(f"{b} {c}" for b, c in s.block_colours))
        banned = s.nickname.banned_words
        click.echo(f"  banned words ({len(banned)}): {', '.join(banned) if banned else 'none'}")
    finally:
        package.close()


@event.command("set-block-colours")
@click.argument("path", type=click.Path(path_type=Path))
@click.argument("colours", nargs=-1, required=True)
def event_set_block_colours(path: Path, colours: tuple[str, ...]) -> None:
    """Set start-block colours on the bib: BLOCK=#RRGGBB ... (e.g. K=#ad1457 S1=#0277bd).

    Blocks not named keep their colour (the default palette gives one to every
    letter A-Z); BLOCK= with no colour goes back to the default."""
    from station.store.event_package import EventPackage

    package = EventPackage.open(path)
    try:
        own = dict(package.settings.block_colours)
        for pair in colours:
            block, sep, colour = pair.partition("=")
            block = block.strip().upper()
            if not sep or not block:
                raise StationError(f"{pair!r}: write BLOCK=#RRGGBB, e.g. K=#ad1457.")
            if colour.strip():
                own[block] = colour.strip()
            else:
                own.pop(block, None)
        package.save_settings(package.settings.with_changes(block_colours=tuple(sorted(own.items()))))
    finally:
        package.close()
    click.echo(f"{path}: block colours " + (", ".join(f"{b} {c}" for b, c in sorted(own.items())) or "default"))


@event.command("set-banned-words")
@click.argument("path", type=click.Path(path_type=Path))
@click.argument("file", type=click.Path(path_type=Path), required=False)
@click.option("--default", "use_default", is_flag=True, help="Go back to the shipped default list.")
def event_set_banned_words(path: Path, file: Path | None, use_default: bool) -> None:
    """Replace the event's words that are not names with FILE (one word a line, # comments).

    Do it before the event package goes to the counters."""
    from dataclasses import replace

    from station.core.banned_words import default_banned_words, read_banned_words
    from station.store.event_package import EventPackage

    if (file is None) == (not use_default):
        raise StationError("Give a FILE of words (one a line) or --default, not both and not neither.")
    words = default_banned_words() if use_default else read_banned_words(file)  # type: ignore[arg-type]
    package = EventPackage.open(path)
    try:
        settings = package.settings
        package.save_settings(settings.with_changes(nickname=replace(settings.nickname, banned_words=words)))
    finally:
        package.close()
    click.echo(f"{path}: {len(words)} banned words" + (" (the default list)" if use_default else ""))


# -- roster import ----------------------------------------------------------


@cli.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--event", "event_path", required=True, type=click.Path(path_type=Path),
              help="The event package to import into.")
@click.option("--encoding", help="Force the file's encoding (utf-8, utf-8-sig, cp932). Default: detect.")
@click.option("--columns", "columns_file",
              help="TOML file mapping this export's headers to fields, or inline pairs such as "
                   "'種目=ignore,Runner ID=entry_no' (see docs/ROSTER_FORMAT.md).")
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
@click.option("--cancel-missing", is_flag=True,
              help="Cancel entrants that are in the event but not in this file.")
@click.option("--duplicates", "list_duplicates", is_flag=True,
              help="List every possible same person (near match), not only the first ones.")
@click.option("--pickups", "pickups_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The hub file (hub.sqlite) or a station log: name corrections that move a handed-out bib.")
def import_(file: Path, event_path: Path, encoding: str | None, columns_file: str | None,
            dry_run: bool, cancel_missing: bool, list_duplicates: bool, pickups_path: Path | None) -> None:
    """Import (or re-import) a registration export into an event package.

    Exit status: 0 all rows accepted, 3 some rows refused (the rest imported
    unless --dry-run), 1 nothing imported (the message says why).
    """
    from station.core.roster import check_roster
    from station.core.roster_columns import load_mapping_file, parse_mapping
    from station.store.event_package import EventPackage
    from station.store.import_checks import runner_entries
    from station.store.roster_import import import_roster
    from station.store.search import RosterSearch

    columns = None
    if columns_file:
        inline = "=" in columns_file and not Path(columns_file).exists()
        columns = parse_mapping(columns_file) if inline else load_mapping_file(Path(columns_file))
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise StationError(f"{file} does not exist; check the path.") from None
    except IsADirectoryError:
        raise StationError(f"{file} is a folder; give the CSV file.") from None
    cards = _handed_out_cards(pickups_path) if pickups_path else None
    package = EventPackage.open(event_path)
    try:
        total = raw.count(b"\n")
        with click.progressbar(length=total, label="checking", file=sys.stderr) as bar:
            check = check_roster(raw, max_escorts=package.settings.max_escorts, encoding=encoding,
                                 columns=columns, progress=bar.update, known_runners=runner_entries(package))
        with click.progressbar(length=len(check.entrants), label="writing ", file=sys.stderr) as bar:
            result = import_roster(package, check, cancel_missing=cancel_missing, dry_run=dry_run,
                                   progress=bar.update, **({"cards": cards} if cards else {}))
        if result.written:  # so that counters do not pay for it when they start
            RosterSearch(package, refresh=False).rebuild()
    finally:
        package.close()
    _print_import(file, result, dry_run, list_duplicates)
    if result.check.problems:
        sys.exit(EXIT_ROWS_REFUSED)


_NEAR_SHOWN = 20


def _handed_out_cards(path: Path):
    import sqlite3

    from station.store.cards import full_ledger
    from station.store.sqlite import connect

    if not path.is_file():
        raise StationError(f"{path} does not exist; give the hub file (hub.sqlite) or a station log.")
    try:
        conn = connect(path, wal=False, create=False)
        try:
            return full_ledger(conn)
        finally:
            conn.close()
    except (StationError, sqlite3.DatabaseError):
        raise StationError(f"{path} is not a hub file or station log; give hub.sqlite or the counter's log "
                           "(--pickups).") from None


def _print_import(file: Path, result, dry_run: bool, list_duplicates: bool = False) -> None:
    check, changes = result.check, result.changes
    click.echo(f"{file.name}: {check.rows_read} rows read ({check.encoding}), "
               f"{len(check.refused_lines)} refused")
    if check.file_lines:
        spanning = check.file_lines - check.blank_lines - check.rows_read - 1
        click.echo(f"  {check.file_lines} lines: header, {check.rows_read} rows"
                   + (f" ({spanning} more lines inside quoted cells)" if spanning > 0 else "")
                   + (f", {check.blank_lines} blank" if check.blank_lines else ""))
    for problem in check.problems:
        click.echo(f"  {problem}")
    if check.ignored_columns:
        click.echo(f"  columns not used: {', '.join(check.ignored_columns)}")
    if check.near_matches:
        near = check.near_matches
        click.echo(f"  {len(near)} possible same person(s), imported as they are; check them "
                   "(one entry per person):")
        for match in near if list_duplicates else near[:_NEAR_SHOWN]:
            click.echo(f"    {match}")
        if not list_duplicates and len(near) > _NEAR_SHOWN:
            click.echo(f"    ... and {len(near) - _NEAR_SHOWN} more (--duplicates lists them all)")
    if dry_run and check.date_forms:
        click.echo("  dates of birth read as (check one of each form):")
        for form in check.date_forms:
            click.echo(f"    line {form.line}: {form.example} -> {form.parsed.isoformat()}"
                       f"  ({form.rows} rows written as {form.shape})")
    verb = "would apply" if dry_run else ("applied" if result.written else "nothing to apply")
    click.echo(
        f"{verb}: {len(changes.added)} added, {len(changes.changed)} changed, "
        f"{len(changes.reinstated)} reinstated, {len(changes.cancelled)} cancelled, "
        f"{changes.unchanged} unchanged"
    )
    if result.card_notices:
        click.echo(f"  {len(result.card_notices)} correction(s) touch number cards already handed out "
                   "(needs a supervisor):")
        for notice in result.card_notices:
            click.echo(f"  {notice}")
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
    from station.commands.export import export_command
    from station.commands.hub import hub
    from station.commands.keys import keys
    from station.commands.nicknames import nicknames
    from station.commands.printer import printer
    from station.commands.provision import provision
    from station.commands.purge import purge
    from station.commands.report import report
    from station.commands.scan import scan
    from station.commands.selfcheck import checkin, selfcheck
    from station.commands.supervisors import supervisors

    for command in (keys, confirmations, scan, nicknames, hub, supervisors, audit, report, purge, selfcheck,
                    checkin, printer, export_command, provision):
        cli.add_command(command)


_add_commands()


def main() -> None:
    cli(prog_name="station")
