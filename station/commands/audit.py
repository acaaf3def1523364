"""`station audit ...`: check the station logs' hash chains; export the audit trail.

`verify` exits with status 1 when any chain is broken, so a script (or the
organizer's checklist) can rely on it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from station.core.errors import StationError

if TYPE_CHECKING:
    from station.store.event_package import EventPackage
    from station.store.station_log import StationLog


def event_logs(event_id: str) -> list[Path]:
    """This machine's station logs for an event (a hub machine holds them all after a collection)."""
    from station.settings import Folders

    folder = Folders.current().data / "stations"
    return sorted(folder.glob(f"{event_id}--*.sqlite"))


@contextmanager
def event_with_merged_log(event_path: Path, logs: Sequence[Path]) -> Iterator[tuple[EventPackage, StationLog]]:
    """The event package and every given log (default: this machine's logs of the
    event) merged into one temporary log, for the report and the exports."""
    from station.store.event_package import EventPackage
    from station.store.merged_log import merged_log

    package = EventPackage.open(event_path)
    try:
        paths = list(logs) or event_logs(package.settings.event_id)
        if not paths:
            raise StationError("No station logs for this event on this machine; pass them with --log FILE.")
        with tempfile.TemporaryDirectory() as tmp:
            log = merged_log(paths, package.settings.event_id, Path(tmp))
            try:
                yield package, log
            finally:
                log.close()
    finally:
        package.close()


@click.group("audit")
def audit() -> None:
    """The tamper-evident audit trail: verify the logs' chains, export for the organizer."""


@audit.command("verify")
@click.argument("logs", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--event", "event_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Verify every station log of this event on this machine.")
@click.option("--purged", "purged_ok", is_flag=True,
              help="These logs were purged (`station purge`): facts whose contents can no longer be proved "
                   "do not fail the check. Nothing in a log is trusted to say so.")
def verify(logs: tuple[Path, ...], event_path: Path | None, purged_ok: bool) -> None:
    """Check each station log's own chain and its derived tables; name the first broken link of each."""
    from station.store.audit_log import verify_log

    paths = list(logs)
    if event_path is not None:
        paths += event_logs(_event_id(event_path))
    if not paths:
        raise StationError("Give the station logs to verify (LOG.sqlite ...), or --event FILE.")
    broken = 0
    for path in paths:
        report = verify_log(path, purged=purged_ok)
        if report.intact:
            what = (f"no fact deleted, added or moved ({report.unprovable} contents purged, unprovable)"
                    if report.unprovable else "intact")
            click.echo(f"{path.name}: {report.station_id}: {what}, {report.links} links, head {report.head[:16]}")
        elif report.broken is None:
            broken += 1
            for problem in report.derived:
                click.echo(f"{path.name}: {report.station_id}: DERIVED TABLES ALTERED: {problem}")
        else:
            broken += 1
            b = report.broken
            click.echo(f"{path.name}: {report.station_id}: BROKEN at position {b.position} "
                       f"(fact {b.fact_id}, {b.problem.value}): {b.text_en} / {b.text_ja}"
                       + ("" if purged_ok or b.problem.value != "altered"
                          else " (if this log was purged, run again with --purged)"))
    if broken:
        raise click.exceptions.Exit(1)


@audit.command("export")
@click.option("--event", "event_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The event package (.sqlite).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The CSV file to write.")
@click.option("--log", "logs", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="A station log to include (repeat; default: every log of the event on this machine).")
def export(event_path: Path, out: Path, logs: tuple[Path, ...]) -> None:
    """Who did what, when, to which entry and why: one CSV row per fact, without names,
    birth dates, contact details, document hashes or nicknames."""
    from station.store.audit_log import collect, export_rows, write_export
    from station.store.event_package import EventPackage

    package = EventPackage.open(event_path)
    try:
        bibs = dict(package.conn.execute("SELECT entry_no, bib FROM entrant").fetchall())
        event_id = package.settings.event_id
    finally:
        package.close()
    paths = list(logs) or event_logs(event_id)
    if not paths:
        raise StationError(f"No station logs for {event_id} on this machine; pass them with --log FILE.")
    count = write_export(out, export_rows(collect(paths), bibs))
    click.echo(f"wrote {count} facts from {len(paths)} logs to {out}")


def _event_id(event_path: Path) -> str:
    from station.store.event_package import EventPackage

    package = EventPackage.open(event_path)
    try:
        return package.settings.event_id
    finally:
        package.close()


@audit.command("quarantine")
@click.argument("logs", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--event", "event_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Every station log of this event on this machine.")
def quarantine_(logs: tuple[Path, ...], event_path: Path | None) -> None:
    """Facts a station refused at its door (set aside, never used) and its own facts the hub refused."""
    from station.store.quarantine import read_file

    paths = list(logs) + (event_logs(_event_id(event_path)) if event_path is not None else [])
    if not paths:
        raise StationError("Give the station logs (LOG.sqlite ...), or --event FILE.")
    total = 0
    for path in paths:
        rows = read_file(path)
        for at, origin, reason, fact_id, detail in rows:
            click.echo(f"{path.name}\t{at}\t{origin}\t{reason}\t{fact_id[:64]!r}\t{detail}")
        total += len(rows)
    click.echo(f"{total} facts set aside.")
