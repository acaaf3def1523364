"""One check-in end to end without a counter (`station selfcheck checkin`): the
first runner who may pick up, with a passport confirmed, through the same
CheckinDesk and decision the counter uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from station.core.errors import StationError
from station.core.evidence import DocumentType, FoundBy, IdCheck, Match
from station.core.models import Entrant, Fact, FactKind
from station.core.texts import Text
from station.store.checkin import CheckinDesk
from station.store.event_package import EventPackage
from station.store.station_log import StationLog

CANDIDATES = 200  # runners tried in roster order when no entry is named

_NOT_IN_EVENT = Text("受付番号 {entry_no} は {package} にありません。", "Entry {entry_no} is not in {package}.")
_NOT_POSSIBLE = Text("受付できませんでした：{why}", "No check-in was possible: {why}")
_NO_RUNNERS = Text("この大会には選手がいません", "the event has no runners")


@dataclass(frozen=True, slots=True)
class TrialPickup:
    entrant: Entrant
    pickup: Fact


def check_in_first_possible(package: EventPackage, log: StationLog, entry_no: str | None, volunteer: str,
                            now: dt.datetime) -> TrialPickup:
    """Check in `entry_no` (or the first runner who may pick up) with a confirmed passport."""
    desk = CheckinDesk(package, log)
    passport = IdCheck(DocumentType.PASSPORT, Match.CONFIRMED, Match.CONFIRMED)
    candidates = [entry_no] if entry_no else [e.entry_no for e in first_runners(package, CANDIDATES)]
    verdict = None
    for candidate in candidates:
        case = desk.open_case(candidate, FoundBy.SEARCH)
        if case is None:
            raise StationError(_NOT_IN_EVENT(entry_no=candidate, package=package.path.name))
        evidence = desk.evidence(case, id_check=passport, handed_over=package.settings.handover_items)
        verdict, facts = desk.complete(case, evidence, volunteer, now)
        if facts:
            pickup = next(f for f in facts if f.kind is FactKind.PICKUP and f.entry_no == case.entrant.entry_no)
            return TrialPickup(case.entrant, pickup)
    why = verdict.headline.text if verdict and verdict.headline else _NO_RUNNERS
    raise StationError(_NOT_POSSIBLE(why=why))


def first_runners(package: EventPackage, how_many: int) -> list[Entrant]:
    found = []
    for entrant in package.entrants():
        if not entrant.is_escort:
            found.append(entrant)
            if len(found) >= how_many:
                break
    return found
