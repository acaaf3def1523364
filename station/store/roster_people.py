"""One entry per person across the event: a roster row against the entrants
already in the event package (the checks within one file are in core/roster.py,
the folding rule in core/person_key.py)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from station.core.models import EntrantStatus
from station.core.person_key import Names, PersonIndex, entry_key, person_keys
from station.core.roster import NearMatch, Refusal, RosterCheck, RowProblem, names_of, paused_gc
from station.store.event_package import ENTRANT_COLUMNS

_COL = {name: i for i, name in enumerate(ENTRANT_COLUMNS)}
_NAME_COLUMNS = tuple(_COL[c] for c in ("family_kanji", "given_kanji", "family_kana", "given_kana",
                                          "family_latin", "given_latin", "birth_date"))


def check_against_event(check: RosterCheck, existing: dict[str, tuple[Any, ...]]) -> RosterCheck:
    with paused_gc():
        return _check_against_event(check, existing)


def _check_against_event(check: RosterCheck, existing: dict[str, tuple[Any, ...]]) -> RosterCheck:
    """`check` with the rows refused that name a person (or an entry number, case
    aside) already in the event under another entry, and the near matches listed.

    An entrant whose entry number is in the file is being updated by its own row,
    so it is not compared with itself."""
    if not existing or not check.entrants:
        return check
    in_file = {e.entry_no for e in check.entrants} | set(check.refused_entries)
    by_key = {entry_key(no): no for no in existing}
    index = PersonIndex()
    status: dict[str, str] = {}
    for no, row in existing.items():
        if no in in_file or row[_COL["escort_of"]]:
            continue
        index.add(no, person_keys(Names(*(str(row[i] or "") for i in _NAME_COLUMNS))))
        status[no] = row[_COL["status"]]
    problems = list(check.problems)
    near = list(check.near_matches)
    refused = set(check.refused_entries)
    entrants, lines = [], []
    for entrant, line in zip(check.entrants, check.lines, strict=True):
        owner = by_key.get(entry_key(entrant.entry_no))
        if owner is not None and owner != entrant.entry_no and owner not in in_file:
            problems.append(RowProblem(line, "", Refusal.DUPLICATE_ENTRY,
                                       f"entry number {entrant.entry_no} is entry {owner}, already in the "
                                       "event, written in another case or width"))
            refused.add(entrant.entry_no)
            continue
        if not entrant.is_escort:
            matches = index.find(entrant.entry_no, person_keys(names_of(entrant)))
            same = [m for m in matches if m.same_person and status[m.other] == EntrantStatus.ACTIVE.value]
            if same:
                problems.append(RowProblem(line, "", Refusal.SAME_PERSON,
                                           f"same person as entry {same[0].other}, already in the event "
                                           "(name and date of birth): one entry per person"))
                refused.add(entrant.entry_no)
                continue
            near.extend(NearMatch(line, entrant.entry_no, m.other, None) for m in matches)
        entrants.append(entrant)
        lines.append(line)
    if len(entrants) == len(check.entrants) and len(near) == len(check.near_matches):
        return check
    return replace(check, entrants=tuple(entrants), lines=tuple(lines), problems=tuple(problems),
                   near_matches=tuple(near), refused_entries=tuple(sorted(refused)))
