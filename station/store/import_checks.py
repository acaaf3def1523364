"""Issue 11's checks on a roster import that need the event as it stands:
escort rows (an escort is another person; max_escorts counted over the whole
event) and corrections that touch number cards already handed out.

Kept apart from store/roster_import.py (which reads and applies the file) so
that each can change without the other; `import_roster` calls both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from station.core.bibs import CardLedger, check_card
from station.core.models import Entrant, EntrantStatus
from station.core.payloads import RosterUpdatePayload
from station.core.person_key import person_keys
from station.core.roster import Refusal, RowProblem, names_of
from station.store.event_package import EventPackage

ESCORT_REFUSED = "escort_refused"  # the roster fact a counter reads (store/current_escorts.py)


@dataclass(frozen=True, slots=True)
class CardNotice:
    """A correction that touches a number card that already left the building."""

    line: int
    entry_no: str
    bib: str  # the number the file gives the entry
    holder: str | None  # another entry already took `bib`
    carried: str | None  # the entry already took this other number

    def __str__(self) -> str:
        if self.holder is not None:
            return (f"line {self.line}: entry {self.entry_no} would receive number card {self.bib}, which "
                    f"already left the building with entry {self.holder}. SUPERVISOR: the counters send "
                    f"entry {self.entry_no} to the supervisor and never print {self.bib} for it; give entry "
                    f"{self.entry_no} a new number in the roster (card {self.bib} stays with {self.holder}).")
        return (f"line {self.line}: entry {self.entry_no} already took number card {self.carried}; the file now "
                f"gives it {self.bib}. SUPERVISOR: the counters send entry {self.entry_no} to the supervisor; "
                f"put {self.carried} back in the roster for this runner, or void card {self.carried} "
                f"and reprint.")


def card_notices(accepted: Sequence[Entrant], lines: Mapping[str, int], cards: CardLedger) -> list[CardNotice]:
    notices = []
    for entrant in accepted:
        problem = check_card(cards, entrant.entry_no, entrant.bib)
        if problem is not None:
            notices.append(CardNotice(lines.get(entrant.entry_no, 0), entrant.entry_no, entrant.bib,
                                      problem.holder, problem.carried))
    return sorted(notices, key=lambda n: (n.line, n.entry_no))


def refuse_escort_rows(
    accepted: Sequence[Entrant],
    lines: Mapping[str, int],
    existing: Callable[[str], Entrant | None],
    existing_escorts: Callable[[str], Sequence[Entrant]],
    max_escorts: int,
    problems: list[RowProblem],
) -> tuple[list[Entrant], list[tuple[str | None, RosterUpdatePayload]]]:
    """Refuse escort rows that are the runner themself, duplicate another escort
    of the same runner (same person, by the rule of "one entry per person"), or
    go over max_escorts counting the escorts already in the event. Returns the
    rows kept and one "escort_refused" roster fact payload per refused row, so
    counters can say the runner's escort was refused."""
    in_file = {e.entry_no: e for e in accepted}
    kept: list[Entrant] = []
    facts: list[tuple[str | None, RosterUpdatePayload]] = []
    taken: dict[str, list[Entrant]] = {}  # runner -> escorts kept so far (event + file)

    def escorts_now(runner_no: str) -> list[Entrant]:
        if runner_no not in taken:
            # Escorts already in the event that this file does not re-list
            # (a re-listed one is judged by its row here).
            taken[runner_no] = [e for e in existing_escorts(runner_no)
                                if e.entry_no not in in_file and e.status is EntrantStatus.ACTIVE]
        return taken[runner_no]

    for entrant in sorted(accepted, key=lambda e: lines.get(e.entry_no, 0)):
        runner_no = entrant.escort_of
        if runner_no is None:
            kept.append(entrant)
            continue
        runner = in_file.get(runner_no) or existing(runner_no)
        line = lines.get(entrant.entry_no, 0)
        others = escorts_now(runner_no)
        problem: RowProblem | None = None
        if runner is not None and _same_person(runner, entrant):
            problem = RowProblem(line, "", Refusal.ESCORT_IS_RUNNER,
                                 f"escort {entrant.entry_no} is the runner {runner_no} themself (same name and "
                                 "date of birth): an escort is another person")
        elif any(_same_person(o, entrant) for o in others):
            twin = next(o for o in others if _same_person(o, entrant))
            problem = RowProblem(line, "", Refusal.DUPLICATE_ESCORT,
                                 f"escort {entrant.entry_no} is the same person as escort {twin.entry_no} "
                                 f"of entry {runner_no}: one person, one escort bib")
        elif entrant.status is EntrantStatus.ACTIVE and len(others) >= max_escorts:
            problem = RowProblem(line, "", Refusal.TOO_MANY_ESCORTS,
                                 f"entry {runner_no} already has {len(others)} escort(s) in the event "
                                 f"({', '.join(o.entry_no for o in others)}); the event allows {max_escorts}")
        if problem is None:
            others.append(entrant)
            kept.append(entrant)
            continue
        problems.append(problem)
        facts.append((runner_no, RosterUpdatePayload(change=ESCORT_REFUSED, escort=entrant.entry_no, line=line,
                                                     why=problem.code.value)))
    return kept, facts


def runner_entries(package: EventPackage) -> frozenset[str]:
    """Runner entries already in the event (a partial file may add escorts to them)."""
    return frozenset(r[0] for r in package.conn.execute("SELECT entry_no FROM entrant WHERE escort_of IS NULL"))


def _same_person(a: Entrant, b: Entrant) -> bool:
    """One person by the event's "one entry per person" rule (core/person_key.py)."""
    return person_keys(names_of(a)).same_person(person_keys(names_of(b)))
