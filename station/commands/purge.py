"""`station purge --event E`: remove an event's personal data once it is over.

What goes (APPI / GDPR: keep only what is needed, as long as it is needed):

- event package: entrants' names (kanji, kana, Latin), birth dates, phone
  numbers, e-mail addresses, nicknames, nationality and the disability flag;
  the search keys built from names; the supervisors (names and PIN hashes);
  roster facts' payloads beyond their change code;
- station logs and the hub: fact payload fields that can carry personal data
  (volunteers' notes, supervisors' written reasons, nicknames, ID document
  hashes; anything not on the short list of codes below), the derived
  document-use table, failed sign-ins;
- SQLite's migration backups beside those files (`*.schemaN.bak`), which are
  full copies.

What stays: entry numbers and bibs (meaningless without the organizer's own
registration system), category, start block, sex, status, and every fact's
kind, time, counter and volunteer id, so counts per hour, per counter, per
category and per block, and the exceptions' codes and decisions can still be
reported. The package also keeps `anonymous_count`: entrants by category,
block, sex, nationality, disability and status, counted before the purge.

How, given that facts are append-only by trigger: there is exactly one path
that changes past facts, this one. Per file, in ONE exclusive transaction, it
saves the append-only triggers' SQL, drops them, rewrites the payloads,
recreates the triggers from the saved SQL and marks the file purged
(station_info / package_info 'purged_at'); nobody can write to the file
while its triggers are away, and a failure rolls everything back. Then
VACUUM rebuilds the file (with secure_delete on) so the old values do not
survive in free pages, and the WAL is truncated.

The audit chain's hashes cover the original payloads, so a purged log cannot
prove its old contents any more; `station audit verify` then says "purged" and
still checks that no fact was deleted, added or moved. Export the audit trail
(`station audit export`) before purging if the organizer must keep it.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import click

from station.core.errors import StationError
from station.core.scrub import scrub

_PERSONAL_COLUMNS = {
    "family_kanji": "''", "given_kanji": "''", "family_kana": "''", "given_kana": "''",
    "family_latin": "''", "given_latin": "''", "birth_date": "'1900-01-01'", "phone": "''",
    "email": "''", "nickname": "''", "nationality": "''", "disability": "0",
}
_COUNTED = ("category", "start_block", "sex", "nationality", "disability", "status")


def _scrub_table(conn: sqlite3.Connection, table: str) -> int:
    changed = 0
    rows = conn.execute(f"SELECT rowid, payload FROM {table}").fetchall()
    for rowid, payload in rows:
        data = json.loads(payload)
        clean = scrub(data)
        if clean != data:
            conn.execute(f"UPDATE {table} SET payload = ? WHERE rowid = ?",
                         (json.dumps(clean, ensure_ascii=False, sort_keys=True, separators=(",", ":")), rowid))
            changed += 1
    return changed


def _rewrite(path: Path, work) -> int:
    """Run `work(conn)` with the append-only triggers lifted, in one exclusive transaction; then vacuum."""
    if not path.is_file():
        raise StationError(f"{path} does not exist; check the path.")
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("BEGIN EXCLUSIVE")
        try:
            triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
            for name, _ in triggers:
                conn.execute(f'DROP TRIGGER "{name}"')
            changed = work(conn)
            for _, sql in triggers:
                conn.execute(sql)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.DatabaseError as exc:
        raise StationError(f"Could not purge {path} ({exc}); close every station using it and try again.") from exc
    finally:
        conn.close()
    for backup in path.parent.glob(f"{path.name}.schema*.bak"):
        backup.unlink()
    return changed


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def purge_package(path: Path) -> int:
    """Returns how many entrants were anonymised."""
    from station.store.event_package import EventPackage

    EventPackage.open(path).close()  # a real package, migrated (it gains anonymous_count)

    def work(conn: sqlite3.Connection) -> int:
        if not conn.execute("SELECT 1 FROM package_info WHERE key = 'purged_at'").fetchone():
            for column in _COUNTED:
                conn.execute(
                    "INSERT OR REPLACE INTO anonymous_count (dimension, value, entrants) "
                    f"SELECT ?, CAST({column} AS TEXT), count(*) FROM entrant GROUP BY {column}", (column,))
        sets = ", ".join(f"{column} = {value}" for column, value in _PERSONAL_COLUMNS.items())
        count = conn.execute(f"UPDATE entrant SET {sets}").rowcount
        for table in ("search_key", "search_variant", "search_meta", "supervisor"):
            conn.execute(f"DELETE FROM {table}")
        conn.execute("UPDATE revoked_confirmation SET reason = ''")  # free text, may name the runner
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'supervisor_key'").fetchone():
            conn.execute("DELETE FROM supervisor_key")
        _scrub_table(conn, "roster_fact")
        conn.execute("INSERT OR REPLACE INTO package_info (key, value) VALUES ('purged_at', ?)", (_now(),))
        return count

    return _rewrite(path, work)


def purge_log(path: Path) -> int:
    """Returns how many facts had personal fields removed."""
    def work(conn: sqlite3.Connection) -> int:
        changed = _scrub_table(conn, "fact")
        _rebuild_open_exceptions(conn)  # its reasons came from the payloads just scrubbed
        conn.execute("DELETE FROM document_use")
        conn.execute("DELETE FROM sign_in_failure")
        conn.execute("INSERT OR REPLACE INTO station_info (key, value) VALUES ('purged_at', ?)", (_now(),))
        return changed

    try:
        probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        version = probe.execute("PRAGMA user_version").fetchone()[0]
        probe.close()
    except sqlite3.DatabaseError as exc:
        raise StationError(f"{path} is not a station log ({exc}).") from exc
    if version < 4:
        raise StationError(f"{path} was written by an older Bib Station; open it once with this version first.")
    return _rewrite(path, work)


def _rebuild_open_exceptions(conn: sqlite3.Connection) -> None:
    from station.core.ledger import open_exceptions
    from station.core.models import FactKind
    from station.store import fact_rows
    from station.store.station_log import _write_exception

    rows = conn.execute(f"SELECT {fact_rows.SELECT} FROM fact WHERE kind IN (?, ?)",
                        (FactKind.EXCEPTION_OPENED.value, FactKind.EXCEPTION_RESOLVED.value)).fetchall()
    conn.execute("DELETE FROM open_exception")
    for exc in open_exceptions(fact_rows.from_row(r) for r in rows).values():
        _write_exception(conn, exc)
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'quarantine'").fetchone():
        conn.execute("DELETE FROM quarantine")  # what arrived, as it arrived


def purge_hub(data_dir: Path) -> int:
    from station.sync.hub_store import HUB_FILE, PACKAGE_FILE

    hub_file = data_dir / HUB_FILE
    if not hub_file.is_file():
        raise StationError(f"No hub in {data_dir} ({HUB_FILE} is missing); give the hub's data folder.")
    changed = _rewrite(hub_file, lambda conn: _scrub_table(conn, "fact"))
    if (data_dir / PACKAGE_FILE).is_file():
        purge_package(data_dir / PACKAGE_FILE)
    return changed


def purge_all(package: Path, logs: Iterable[Path], hub: Path | None,
              pdf_dirs: Iterable[Path] = ()) -> list[str]:
    from station.settings import Folders
    from station.store.event_package import EventPackage
    from station.store.purge_sweep import sweep

    opened = EventPackage.open(package)
    event_id = opened.settings.event_id
    opened.close()
    lines = [f"{package}: {purge_package(package)} entrants anonymised"]
    lines += [f"{log}: personal fields removed from {purge_log(log)} facts" for log in logs]
    if hub is not None:
        lines.append(f"{hub}: personal fields removed from {purge_hub(hub)} facts on the hub")
    folders = Folders.current()
    logging_off()
    swept = sweep(event_id, folders.data, folders.logs, pdf_dirs, purge_package, skip=[package])
    return lines + swept.lines()


def logging_off() -> None:
    """Close our log files so they can be removed (the purge is the last thing this run does)."""
    import logging

    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, logging.FileHandler):
            handler.close()
            root.removeHandler(handler)


@click.command("purge")
@click.option("--event", "event_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The event package (.sqlite).")
@click.option("--logs", "logs", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="A station log to purge (repeat; default: every log of the event on this machine).")
@click.option("--hub", "hub", type=click.Path(file_okay=False, path_type=Path),
              help="A hub's data folder to purge as well.")
@click.option("--pdf-dir", "pdf_dirs", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="Another folder where printed bib PDFs may lie (repeat); the temp folder and "
                   "CUPS-PDF's folders are always swept.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def purge(event_path: Path, logs: tuple[Path, ...], hub: Path | None, pdf_dirs: tuple[Path, ...],
          yes: bool) -> None:
    """Remove the event's personal data from the package, station logs and hub; keep anonymous counts.

    This cannot be undone. Export the audit trail first if the organizer needs it."""
    from station.commands.audit import event_logs
    from station.store.event_package import EventPackage

    package = EventPackage.open(event_path)
    event_id = package.settings.event_id
    package.close()
    paths = list(logs) or event_logs(event_id)
    click.echo(f"This removes the personal data of event {event_id} from {event_path}, "
               f"{len(paths)} station log(s){' and the hub in ' + str(hub) if hub else ''}. It cannot be undone.")
    if not yes:
        typed = click.prompt("Type the event id to confirm", default="", show_default=False)
        if typed.strip() != event_id:
            raise StationError("The event id did not match; nothing was purged.")
    for line in purge_all(event_path, paths, hub, pdf_dirs):
        click.echo(line)
