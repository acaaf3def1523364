"""Reading a station log's audit chain from the file, and the organizer's export.

`verify_log` opens any station log read-only (it may be a copy on a USB stick,
and it may have been tampered with: no migration, no writes) and checks the
chain of the station that wrote it (station/core/audit.py).
"""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from station.core.audit import ChainReport, Link, verify_chain
from station.core.errors import StationError
from station.core.models import Fact, FactKind
from station.core.payloads import (
    BibPrintedPayload,
    DecidedPayload,
    ExceptionClaimedPayload,
    ExceptionOpenedPayload,
    ExceptionResolvedPayload,
    PickupPayload,
    PrinterPoolPayload,
    RosterUpdatePayload,
    VoidPayload,
    payload_of,
)
from station.core.scrub import scrub
from station.store import fact_rows
from station.store.station_log import document_uses


def _open_readonly(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise StationError(f"{path} does not exist; give the path of a station log (.sqlite).")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        conn.execute("SELECT 1 FROM station_info LIMIT 1")
    except sqlite3.DatabaseError as exc:
        raise StationError(f"{path} is not a station log ({exc}); give a station's .sqlite log.") from exc
    return conn


def log_station(conn: sqlite3.Connection) -> tuple[str, str]:
    info = dict(conn.execute("SELECT key, value FROM station_info").fetchall())
    return info.get("station_id", "?"), info.get("event_id", "?")


def chain_links(conn: sqlite3.Connection, station_id: str) -> Iterator[Link]:
    """Every position that holds either one of the station's facts or a chain
    row, in the file's order, so a fact without a link and a link without its
    fact both show up."""
    try:
        chain = {row[0]: row[1:] for row in conn.execute(
            "SELECT seq, fact_id, prev_hash, hash FROM fact_chain")}
    except sqlite3.OperationalError as exc:
        raise StationError("This log has no audit chain table; was it made by an older Bib Station? "
                           "Open it once with this version.") from exc
    facts = {row[0]: fact_rows.from_row(row[1:]) for row in conn.execute(
        f"SELECT seq, {fact_rows.SELECT} FROM fact "
        "WHERE station_id = ? OR seq IN (SELECT seq FROM fact_chain)", (station_id,))}
    for position in sorted(chain.keys() | facts.keys()):
        fact = facts.get(position)
        row = chain.get(position)
        if row is None:
            if fact is not None and fact.station_id != station_id:
                continue  # another station's fact, chained in its own log
            yield Link(position, fact, None, None, None)
        else:
            yield Link(position, fact, row[0], row[1], row[2])


def verify_log(path: Path, *, purged: bool = False) -> ChainReport:
    """Check the station's chain and the derived tables, trusting no row the
    log itself could add: a `purged_at` mark is not read; only the operator says
    a log was purged (`purged`), and even then an altered fact passes only in
    purged form and is counted as unprovable. The derived tables are compared
    with a rebuild from the facts."""
    conn = _open_readonly(path)
    try:
        station_id, _ = log_station(conn)
        report = verify_chain(station_id, chain_links(conn, station_id),
                              purged_form=(lambda fact: scrub(fact.payload) == fact.payload) if purged else None)
        return replace(report, derived=tuple(derived_differences(conn)))
    finally:
        conn.close()


def derived_differences(conn: sqlite3.Connection) -> Iterator[str]:
    """Where the derived tables differ from what the facts give (a reset or edited
    entry state could let a bib be handed out again)."""
    from station.core.ledger import fold_entry, open_exceptions
    from station.store.station_log import _STATE_COLUMNS, _state_row

    facts = [fact_rows.from_row(r) for r in conn.execute(f"SELECT {fact_rows.SELECT} FROM fact")]
    by_entry: dict[str, list[Fact]] = {}
    for fact in facts:
        if fact.entry_no is not None:
            by_entry.setdefault(fact.entry_no, []).append(fact)
    rebuilt = {no: _state_row(fold_entry(no, group)) for no, group in by_entry.items()}
    stored = {row[0]: tuple(row) for row in conn.execute(
        f"SELECT {', '.join(_STATE_COLUMNS)} FROM entry_state")}
    differ = sorted(no for no in rebuilt.keys() | stored.keys() if rebuilt.get(no) != stored.get(no))
    if differ:
        yield f"entry_state differs from the facts for {len(differ)} entries: {', '.join(differ[:10])}"
    exceptions = set(open_exceptions(f for f in facts if f.kind in (
        FactKind.EXCEPTION_OPENED, FactKind.EXCEPTION_RESOLVED)))
    held = {r[0] for r in conn.execute("SELECT exception_id FROM open_exception")}
    if held != exceptions:
        yield f"open_exception differs from the facts ({len(held ^ exceptions)} cases)"
    uses = set(document_uses(facts))
    kept = set(conn.execute("SELECT document_hash, entry_no FROM document_use").fetchall())
    if kept != uses:
        yield f"document_use differs from the facts ({len(kept ^ uses)} rows)"


# -- the organizer's export ----------------------------------------------------------

EXPORT_COLUMNS = (
    "wall_time_utc", "station", "done_by", "kind", "entry_no", "bib", "exception_id",
    "reason", "decision", "supervisor_reason", "decided_offline", "fact_id", "chain_hash",
)


def export_rows(facts: Iterable[tuple[Fact, str]], bibs: dict[str, str]) -> Iterator[tuple[Any, ...]]:
    """One row per fact: who did what to which entry and why, with its chain
    hash. No names, birth dates, contact details, document hashes, nicknames
    or volunteers' notes: the entry number and bib are enough to look a runner
    up in the organizer's own roster, which is where personal data belongs."""
    for fact, chain_hash in facts:
        p = payload_of(fact)
        bib = p.bib if isinstance(p, (PickupPayload, BibPrintedPayload, PrinterPoolPayload)) else None
        decided = p if isinstance(p, (DecidedPayload, ExceptionResolvedPayload)) else None
        exception_id = fact.fact_id if isinstance(p, ExceptionOpenedPayload) else \
            p.exception_id if isinstance(p, (DecidedPayload, ExceptionResolvedPayload, ExceptionClaimedPayload)) \
            else None
        reason = p.change if isinstance(p, RosterUpdatePayload) else \
            p.reason if isinstance(p, (ExceptionOpenedPayload, VoidPayload)) else None
        yield (
            fact.wall_time.isoformat(timespec="seconds"), fact.station_id, fact.volunteer_id,
            fact.kind.value, fact.entry_no or "", bibs.get(fact.entry_no or "", bib or ""),
            exception_id or "", reason or "",
            (decided.decision if decided else None) or "", (decided.supervisor_reason if decided else None) or "",
            "yes" if isinstance(p, PickupPayload) and p.decided_offline else "", fact.fact_id, chain_hash,
        )


def collect(logs: Iterable[Path]) -> list[tuple[Fact, str]]:
    """Every fact of the given logs once, in merge order, with the chain hash
    from the log of the station that wrote it ('' when that log was not given)."""
    seen: dict[str, Fact] = {}
    hashes: dict[str, str] = {}
    for path in logs:
        conn = _open_readonly(path)
        try:
            for row in conn.execute(f"SELECT {fact_rows.SELECT} FROM fact"):
                fact = fact_rows.from_row(row)
                seen.setdefault(fact.fact_id, fact)
            hashes.update(conn.execute("SELECT fact_id, hash FROM fact_chain").fetchall())
        finally:
            conn.close()
    ordered = sorted(seen.values(), key=Fact.order_key)
    return [(f, hashes.get(f.fact_id, "")) for f in ordered]


def write_export(out: Path, rows: Iterable[tuple[Any, ...]]) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with out.open("w", encoding="utf-8-sig", newline="") as fh:  # BOM: Excel in Japan reads UTF-8
        writer = csv.writer(fh)
        writer.writerow(EXPORT_COLUMNS)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count
