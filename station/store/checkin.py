"""The counter's one path from a scanned code to recorded facts.

`CheckinDesk` gathers what `station.core.rules.decide` needs (the entrant, the
log's history of the entry and of its escorts, earlier uses of the same ID
document), and records a completed check-in as facts in one transaction. The
counter screen, the command line and the tests all go through it.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Protocol

from station.core.chips import ChipRefusal, check_chip_tag
from station.core.confirmation import CodeCheck, CodeOutcome, check_code, is_confirmation
from station.core.errors import StationError
from station.core.event import EventSettings
from station.core.evidence import Evidence, FoundBy, IdCheck
from station.core.models import Entrant, Fact, FactKind
from station.core.payloads import EscortPairedPayload, ExceptionOpenedPayload, IdCheckedPayload, PickupPayload
from station.core.rules import EntryRecord, EscortRecord, decide
from station.core.texts import Text
from station.core.verdict import Reason, ReasonCode, Verdict
from station.store.cards import ledger_for
from station.store.case_standing import pending_case
from station.store.confirmations import key_ring
from station.store.current_escorts import current_escorts, refused_escorts
from station.store.event_package import EventPackage
from station.store.exceptions import ExceptionQueue
from station.store.roster_updates import current_entrant, revoked_serial
from station.store.search import RosterSearch
from station.store.station_log import StationLog

# Codes whose refusal is a supervisor's business rather than the volunteer's.
SUPERVISOR_CODES = frozenset({CodeOutcome.FORGED, CodeOutcome.REVOKED, CodeOutcome.RETIRED_KEY,
                              CodeOutcome.UNKNOWN_KEY, CodeOutcome.WRONG_EVENT})


_SAY_WHY = Text("責任者へ送る理由を選んでください。", "Say why the case goes to the supervisor.")


class HubDecision(StrEnum):
    """How a pickup was decided: with the hub's view, or by this station alone
    (the pickup fact then says "decided_offline")."""

    HUB_CHECKED = "hub_checked"
    DECIDED_OFFLINE = "decided_offline"


class HubLink(Protocol):
    """What the desk needs from sync (station.sync.worker.SyncWorker has it)."""

    def ask_before_pickup(self, counter_log: StationLog, entry_no: str, timeout: float = 0.8) -> HubDecision: ...

    def nudge(self) -> None: ...


HUB_TIMEOUT_S = 0.8  # a volunteer never waits longer on the network


@dataclass(frozen=True, slots=True)
class Case:
    """One runner at the counter: who, what the log says, and their escorts."""

    entrant: Entrant
    found_by: FoundBy
    record: EntryRecord
    escorts: tuple[EscortRecord, ...] = ()
    code: CodeCheck | None = None

    @property
    def confirmation_revoked(self) -> bool:
        return self.code is not None and self.code.outcome is CodeOutcome.REVOKED


@dataclass(frozen=True, slots=True)
class Scan:
    """What a scanned code turned out to be; `case` is None when it names nobody we can serve."""

    code: CodeCheck
    case: Case | None


class CheckinDesk:
    def __init__(self, package: EventPackage, log: StationLog, search: RosterSearch | None = None,
                 hub: HubLink | None = None) -> None:
        self.package = package
        self.log = log
        self.hub = hub
        self.search = search or RosterSearch(package)
        self.ring = key_ring(package)

    @property
    def rules(self) -> EventSettings:
        return self.package.settings

    def scan(self, payload: bytes | str) -> Scan:
        code = check_code(payload, self.ring, allow_unsigned=self.rules.allow_unsigned_codes)
        if (code.outcome is CodeOutcome.VALID and code.serial is not None and code.entry_no
                and code.serial <= revoked_serial(self.log, code.entry_no)):
            # revoked by the organizer after this station's package was made
            code = replace(code, outcome=CodeOutcome.REVOKED)
        named = code.accepted or code.outcome is CodeOutcome.REVOKED
        if not named or code.entry_no is None:
            return Scan(code, None)
        found_by = FoundBy.SIGNED_QR if code.outcome is not CodeOutcome.UNSIGNED else FoundBy.UNSIGNED_CODE
        return Scan(code, self.open_case(code.entry_no, found_by, code))

    def open_case(self, entry_no: str, found_by: FoundBy, code: CodeCheck | None = None) -> Case | None:
        entrant = current_entrant(self.package, self.log, entry_no)
        if entrant is None:
            return None
        escorts = tuple(
            EscortRecord(escort, self.log.entry_state(escort.entry_no), self._own_runner_entry(escort))
            for escort in current_escorts(self.package, self.log, entrant.entry_no)
        )
        return Case(entrant, found_by, EntryRecord(entrant, self.log.entry_state(entry_no)), escorts, code)

    def _own_runner_entry(self, escort: Entrant) -> EntryRecord | None:
        """An escort who is also a registered runner: their runner entry."""
        own = self.search.own_runner_entry(escort)
        return EntryRecord(own, self.log.entry_state(own.entry_no)) if own else None

    def chip_holder(self, tag: str) -> str | None:
        """The entry a timing chip was already handed over with, if any."""
        return self.log.chip_holder(tag)

    def chip_refusal(self, tag: str) -> ChipRefusal | None:
        """Why `tag` may not be paired as a timing chip (None: it may)."""
        text = tag.strip()
        named = text if self.entrant(text) is not None else None
        by_bib = self.package.entrant_by_bib(text) if named is None else None
        if by_bib is not None:
            named = by_bib.entry_no  # a bib's own number
        return check_chip_tag(text, self.rules.chip_tag_pattern, names_entry=named,
                              is_confirmation=is_confirmation(text))

    def refresh(self, case: Case) -> Case:
        """The same case with the log's latest history (sync may have brought news)."""
        return self.open_case(case.entrant.entry_no, case.found_by, case.code) or case

    def evidence(self, case: Case, **fields: Any) -> Evidence:
        return Evidence(found_by=case.found_by, confirmation_revoked=case.confirmation_revoked, **fields)

    def entrant(self, entry_no: str) -> Entrant | None:
        """The entrant as this counter knows it now (package plus synced updates)."""
        return current_entrant(self.package, self.log, entry_no)

    def decide(self, case: Case, evidence: Evidence, now: dt.datetime) -> Verdict:
        # Reasons a supervisor approved for this runner, with a written ground.
        waived = ExceptionQueue(self.log, self.package).approved_codes(case.entrant.entry_no, now)
        return self._decide(case, evidence, now, waived)

    def _decide(self, case: Case, evidence: Evidence, now: dt.datetime, waived: frozenset[str]) -> Verdict:
        uses = {}
        for document_hash in evidence.document_hashes():
            entries = self.log.document_uses(document_hash)
            uses[document_hash] = [e for e in map(self.entrant, entries) if e is not None]
        people = [case.entrant, *(e.entrant for e in case.escorts),
                  *(e.own_entry.entrant for e in case.escorts if e.own_entry is not None)]
        cards = ledger_for(self.log.conn, (p.bib for p in people), (p.entry_no for p in people))
        no = case.entrant.entry_no
        withdrawn = refused_escorts(self.package, self.log, no, {e.entrant.entry_no for e in case.escorts})
        return decide(case.entrant, evidence, now, case.record.history, self.rules,
                      escorts=case.escorts, document_uses=uses, policy=self.rules.counter, waived=waived,
                      cards=cards, pending=pending_case(self.log, no), withdrawn_escorts=withdrawn)

    def complete(self, case: Case, evidence: Evidence, volunteer_id: str,
                 now: dt.datetime) -> tuple[Verdict, tuple[Fact, ...]]:
        """Ask the hub about the entries (when it is reachable, briefly), decide
        again on the freshest history and, if READY, append the pickup, ID-check
        and escort facts in one transaction. Returns the verdict that was
        applied and the facts written (none when it was not READY)."""
        offline = False
        if self.hub is not None and hasattr(self.hub, "claim_before_pickup"):
            # Online the hub serialises pickups: claim the runner and escorts at once.
            # The claim brings the hub's news, the organizer's corrections too: when
            # they change the numbers about to be printed, claim again for the new
            # ones, so the pickups of those numbers are known before deciding.
            # One budget for every attempt, as for the question below.
            claimed: tuple[str, ...] | None = None
            deadline = time.monotonic() + HUB_TIMEOUT_S
            while True:
                entries, bibs = self._claimed_people(case, evidence)
                if bibs == claimed:
                    break
                left = deadline - time.monotonic()
                if left <= 0.05:
                    offline = True  # the numbers changed again and no time is left: decided alone, and said so
                    break
                claim = self.hub.claim_before_pickup(self.log, entries, left, bibs)
                offline = claim.decision == "decided_offline"  # station.sync.worker.Decision
                if claim.holder is not None and claim.holder != self.log.station_id:
                    # A pickup already made there is the better answer.
                    known = self.decide(self.refresh(case), evidence, now)
                    if not known.ready:
                        return known, ()
                    held = Reason.of(ReasonCode.BEING_HANDED_OUT, entry_no=claim.entry_no, station=claim.holder)
                    return Verdict.of((held,)), ()
                if offline:
                    break
                claimed = bibs
                case = self.refresh(case)
        elif self.hub is not None:
            # One budget for the whole question (runner and escorts), not one each.
            deadline = time.monotonic() + HUB_TIMEOUT_S
            for entry_no in (case.entrant.entry_no, *evidence.escort_entries):
                left = deadline - time.monotonic()
                if left <= 0.05:
                    offline = True
                    break
                decision = self.hub.ask_before_pickup(self.log, entry_no, left)
                offline = offline or decision is HubDecision.DECIDED_OFFLINE
        else:
            offline = True  # a station without a hub decides alone, and says so
        case = self.refresh(case)
        verdict = self.decide(case, evidence, now)
        if not verdict.ready:
            return verdict, ()
        facts = self._completion_facts(case, evidence, verdict, volunteer_id, decided_offline=offline)
        self.log.append(facts)
        if self.hub is not None:
            self.hub.nudge()  # push the pickup at once, so other counters learn of it
        return verdict, tuple(facts)

    @staticmethod
    def _claimed_people(case: Case, evidence: Evidence) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The entries a pickup hands out and their bibs: the runner, the escorts
        present and, when an escort is also a registered runner, that runner entry
        (its bib is handed over too)."""
        present = set(evidence.escort_entries)
        escorts = [e for e in case.escorts if e.entrant.entry_no in present]
        people = [case.entrant, *(e.entrant for e in escorts),
                  *(e.own_entry.entrant for e in escorts if e.own_entry is not None)]
        unique = list({p.entry_no: p for p in people}.values())
        return tuple(p.entry_no for p in unique), tuple(p.bib for p in unique)

    def _completion_facts(self, case: Case, evidence: Evidence, verdict: Verdict,
                          volunteer_id: str, *, decided_offline: bool) -> list[Fact]:
        new = self.log.new_fact
        runner = case.entrant.entry_no
        facts: list[Fact] = []
        checks: list[tuple[str, IdCheck | None]] = [(runner, evidence.id_check)]
        checks += [(e.entry_no, e.id_check) for e in evidence.escorts]
        for entry_no, check in checks:
            if check is not None:
                checked = IdCheckedPayload(
                    document=check.document.value, name=check.name.value, birth_date=check.birth_date.value,
                    original=check.original, document_hash=check.document_hash,
                )
                facts.append(new(FactKind.ID_CHECKED, volunteer_id=volunteer_id, entry_no=entry_no,
                                 payload=checked.to_payload()))
        if evidence.escorts:
            paired = EscortPairedPayload(escorts=tuple(evidence.escort_entries),
                                         certificate_seen=evidence.certificate_seen)
            facts.append(new(FactKind.ESCORT_PAIRED, volunteer_id=volunteer_id, entry_no=runner,
                             payload=paired.to_payload()))
        for handover in verdict.handovers:
            pickup = PickupPayload(
                bib=handover.bib, role=handover.role.value, runner=runner, found_by=evidence.found_by.value,
                items=tuple(evidence.handed_over), decided_offline=decided_offline,
                chip=evidence.chip_tag if evidence.chip_tag and handover.entry_no == runner else None,
            )
            facts.append(new(FactKind.PICKUP, volunteer_id=volunteer_id, entry_no=handover.entry_no,
                             payload=pickup.to_payload()))
        return facts

    def send_to_supervisor(self, case: Case | None, reason: str, volunteer_id: str, *,
                           note: str = "", codes: Sequence[str] = ()) -> Fact:
        """Open an exception for the supervisor's queue and free the counter."""
        if not reason:
            raise StationError(_SAY_WHY)
        fact = self.log.record(
            FactKind.EXCEPTION_OPENED, volunteer_id=volunteer_id,
            entry_no=case.entrant.entry_no if case else None,
            payload=ExceptionOpenedPayload(reason=reason, note=note, codes=tuple(codes)).to_payload(),
        )
        if self.hub is not None:
            self.hub.nudge()
        return fact
