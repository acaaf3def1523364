"""Applying a checked roster to an event package: one transaction, only the differences.

The first import adds every accepted entrant; importing a corrected file later
adds, changes or reinstates only the entrants that differ, and each change is
a roster-update fact in the package's own log, so sync can carry corrections
down to the counters. Entrants missing from the new file are kept unless the
organizer asks to cancel them (a partial export must not cancel half the race).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from station.core.bibs import EMPTY_LEDGER, CardLedger
from station.core.models import Entrant, EntrantStatus, Fact
from station.core.payloads import RosterUpdatePayload
from station.core.roster import Refusal, RosterCheck, RowProblem
from station.store import fact_rows
from station.store.event_package import ENTRANT_COLUMNS, EventPackage, entrant_from_row, entrant_to_row
from station.store.import_checks import CardNotice, card_notices, refuse_escort_rows
from station.store.organizer_facts import roster_updates
from station.store.roster_people import check_against_event
from station.store.sqlite import transaction


@dataclass(frozen=True, slots=True)
class RosterChanges:
    added: tuple[str, ...]
    changed: tuple[str, ...]
    reinstated: tuple[str, ...]
    cancelled: tuple[str, ...]
    unchanged: int
    missing_kept: tuple[str, ...]  # in the event, not in the file, left as they are
    cancel_blocked: bool = False  # --cancel-missing asked, but refused rows made it unsafe

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.reinstated or self.cancelled)


@dataclass(frozen=True, slots=True)
class ImportResult:
    check: RosterCheck
    changes: RosterChanges
    written: bool
    card_notices: tuple[CardNotice, ...] = ()  # corrections touching cards already handed out


def import_roster(
    package: EventPackage,
    check: RosterCheck,
    *,
    cancel_missing: bool = False,
    dry_run: bool = False,
    volunteer_id: str = "import",
    progress: Callable[[int], None] | None = None,
    cards: CardLedger = EMPTY_LEDGER,
) -> ImportResult:
    """`cards`: the number cards that already left the building (station/store/cards.py
    read from the hub file or a station log); corrections touching them are named."""
    # Existing entrants as raw rows: comparing tuples is what makes re-importing
    # 40,000 unchanged entrants cheap.
    existing = {row[0]: row for row in package.conn.execute(
        f"SELECT {', '.join(ENTRANT_COLUMNS)} FROM entrant")}
    check = check_against_event(check, existing)
    problems = list(check.problems)
    rows = {e.entry_no: entrant_to_row(e) for e in check.entrants}
    accepted = _refuse_taken_bibs(check, existing, problems)
    lines = dict(zip((e.entry_no for e in check.entrants), check.lines, strict=True))
    accepted, escort_refusals = refuse_escort_rows(
        accepted, lines, lambda no: entrant_from_row(existing[no]) if no in existing else None,
        package.escorts_of, package.settings.max_escorts, problems)
    notices = tuple(card_notices(accepted, lines, cards))
    in_file = {e.entry_no for e in accepted}

    added, changed, reinstated = [], [], []
    facts_payload: list[tuple[str | None, RosterUpdatePayload]] = []
    unchanged = 0
    for entrant in accepted:
        new, old = rows[entrant.entry_no], existing.get(entrant.entry_no)
        if old is None:
            added.append(entrant)
            if existing:  # a late entry: the stations learn it from this fact
                plain = dict(zip(ENTRANT_COLUMNS, new, strict=True))
                facts_payload.append((entrant.entry_no, RosterUpdatePayload(change="added", entrant=plain)))
        elif old[_STATUS] == EntrantStatus.CANCELLED.value:
            reinstated.append(entrant)
            facts_payload.append((entrant.entry_no, _diff("reinstated", old, new)))
        elif old != new:
            changed.append(entrant)
            facts_payload.append((entrant.entry_no, _diff("changed", old, new)))
        else:
            unchanged += 1
    if added and not existing:
        # The first roster reaches the stations inside the event package itself;
        # one fact records that it was loaded, from which file.
        facts_payload.append((None, RosterUpdatePayload(change="loaded", entrants=len(added),
                                                         sha256=check.digest)))
    # A row refused for an entrant already in the event leaves that entrant
    # as it was; only entrants absent from the file count as missing.
    named = in_file | set(check.refused_entries) | set(rows)
    missing = sorted(no for no, row in existing.items()
                     if no not in named and row[_STATUS] == EntrantStatus.ACTIVE.value)
    # A refused row may be an entrant whose entry number could not be read:
    # cancelling "missing" entrants is only safe on a file with no refusals.
    cancel_blocked = cancel_missing and bool(problems)
    cancelled = missing if cancel_missing and not cancel_blocked else []
    facts_payload.extend((no, RosterUpdatePayload(change="cancelled")) for no in cancelled)
    facts_payload.extend(escort_refusals)

    changes = RosterChanges(
        added=tuple(e.entry_no for e in added),
        changed=tuple(e.entry_no for e in changed),
        reinstated=tuple(e.entry_no for e in reinstated),
        cancelled=tuple(cancelled),
        unchanged=unchanged,
        missing_kept=tuple(missing) if not cancelled else (),
        cancel_blocked=cancel_blocked,
    )
    final_check = replace(check, problems=tuple(sorted(problems, key=lambda p: (p.line, p.column))))
    if dry_run or not (changes.any or escort_refusals):
        return ImportResult(final_check, changes, written=False, card_notices=notices)

    conn = package.conn
    placeholders = ", ".join("?" * len(ENTRANT_COLUMNS))
    updates = ", ".join(f"{c} = ?" for c in ENTRANT_COLUMNS[1:])
    with transaction(conn, package.path):
        moving = [e.entry_no for e in (*changed, *reinstated)]
        # Bibs may swap between entrants in one correction; park them first so
        # the UNIQUE constraint never sees two rows holding one bib mid-way.
        conn.executemany("UPDATE entrant SET bib = '~' || entry_no WHERE entry_no = ?",
                         [(no,) for no in moving])
        conn.executemany(f"INSERT INTO entrant ({', '.join(ENTRANT_COLUMNS)}) VALUES ({placeholders})",
                         (rows[e.entry_no] for e in added))
        conn.executemany(f"UPDATE entrant SET {updates} WHERE entry_no = ?",
                         ((*rows[e.entry_no][1:], e.entry_no) for e in (*changed, *reinstated)))
        conn.executemany("UPDATE entrant SET status = 'cancelled' WHERE entry_no = ?",
                         [(no,) for no in cancelled])
        facts = roster_updates(package, facts_payload, volunteer_id)
        batch: list[Fact] = []
        for fact in facts:
            batch.append(fact)
            if len(batch) == 1000:
                fact_rows.insert(conn, "roster_fact", batch)
                if progress:
                    progress(len(batch))
                batch = []
        fact_rows.insert(conn, "roster_fact", batch)
        if progress:
            progress(len(batch))
    return ImportResult(final_check, changes, written=True, card_notices=notices)


def _refuse_taken_bibs(check: RosterCheck, existing: dict[str, tuple[Any, ...]],
                       problems: list[RowProblem]) -> list[Entrant]:
    """Refuse rows whose bib belongs to an entrant this import leaves alone.

    A refused row leaves its own entrant alone too, which can free no bib but
    may take one, so repeat until nothing more is refused."""
    rows = list(zip(check.entrants, check.lines, strict=True))
    while True:
        keep = {e.entry_no for e, _ in rows}
        taken = {row[_BIB]: no for no, row in existing.items() if no not in keep}
        kept = []
        for entrant, line in rows:
            owner = taken.get(entrant.bib)
            if owner is not None:
                problems.append(RowProblem(line, "", Refusal.DUPLICATE_BIB,
                                           f"bib {entrant.bib} belongs to entry {owner}, already in the event"))
            elif entrant.escort_of and entrant.escort_of not in keep and entrant.escort_of not in existing:
                problems.append(RowProblem(line, "", Refusal.ESCORT_UNKNOWN_ENTRY,
                                           f"escort of entry {entrant.escort_of}, which is refused"))
            else:
                kept.append((entrant, line))
        if len(kept) == len(rows):
            return [e for e, _ in kept]
        rows = kept


_BIB = ENTRANT_COLUMNS.index("bib")
_STATUS = ENTRANT_COLUMNS.index("status")


def _diff(change: str, old: tuple[Any, ...], new: tuple[Any, ...]) -> RosterUpdatePayload:
    """The change with the changed fields' new and previous values (status is the change itself)."""
    changed = [i for i, name in enumerate(ENTRANT_COLUMNS)
               if name not in ("entry_no", "status") and old[i] != new[i]]
    return RosterUpdatePayload(change=change, fields={ENTRANT_COLUMNS[i]: new[i] for i in changed},
                               previous={ENTRANT_COLUMNS[i]: old[i] for i in changed})
