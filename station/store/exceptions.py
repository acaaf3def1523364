"""The supervisors' exception queue, read from the station's log.

After sync a station's log holds every station's facts, so any station shows
every open exception in the hall. Claiming and resolving are facts like any
other: a claim is EXCEPTION_CLAIMED, and when two supervisors on two stations
claim the same case before their claims meet, the earliest in the merge order
(clock stamp, then fact id) holds it, on every station alike once synced.
A resolution is EXCEPTION_RESOLVED plus its consequences (OVERRIDE, VOID,
ESCORT_PAIRED), written in one transaction, and only when
station.core.supervision.rule_on allows it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from enum import StrEnum

from station.core.bibs import check_card
from station.core.errors import StationError
from station.core.hlc import Stamp
from station.core.ledger import PickupStatus
from station.core.models import Fact, FactKind
from station.core.payloads import (
    EscortPairedPayload,
    ExceptionClaimedPayload,
    ExceptionOpenedPayload,
    ExceptionResolvedPayload,
    OverridePayload,
    Payload,
    PickupPayload,
    VoidPayload,
)
from station.core.rules import window_bounds
from station.core.supervision import CaseFacts, Decision, Resolution, Ruling, approval_expires, rule_on
from station.core.texts import Text, sentences
from station.core.words import case_note
from station.store import fact_rows
from station.store.cards import ledger_for
from station.store.event_package import EventPackage
from station.store.roster_updates import current_entrant
from station.store.station_log import StationLog

_NO_CASE = Text("この記録には案件 {exception_id} がありません。一覧を更新してください。",
                "No exception {exception_id} in this log; refresh the queue.")
_ALREADY_RESOLVED = Text("案件 {exception_id} は解決済みです。一覧を更新してください。",
                         "Exception {exception_id} is already resolved; refresh the queue.")
_HELD = Text("責任者 {supervisor}（{station}で担当）が対応中です。別の案件を選んでください。",
             "Supervisor {supervisor} is handling this case (claimed at {station}); choose another one.")
_REPRINT_NUMBER_TAKEN = Text(
    "再印刷するとナンバー {bib} が印刷されますが、このナンバーは受付番号 {holder} の方が受け取り済みです。"
    "受付番号 {entry_no} の新しいナンバーを主催者に依頼してください。",
    "A reprint would print number {bib}, which already left with entry {holder}; "
    "ask the organizer for a new number for entry {entry_no}.")
_REPRINT_CARD_CARRIED = Text(
    "受付番号 {entry_no} の方はナンバーカード {carried} を受け取りましたが、名簿では現在 {bib} になっています。"
    "再印刷の前に、{carried} を戻すよう主催者に依頼してください。",
    "Entry {entry_no} took card {carried} but the roster now says {bib}; "
    "ask the organizer to put {carried} back before reprinting.")


class ResolutionRefused(StationError):
    """rule_on said no; `ruling.blockers` carries every reason, in JA and EN."""

    def __init__(self, ruling: Ruling) -> None:
        super().__init__(sentences(*(b.text for b in ruling.blockers)))
        self.ruling = ruling


@dataclass(frozen=True, slots=True)
class Claim:
    exception_id: str
    supervisor_id: str
    station_id: str
    fact_id: str
    stamp: Stamp

    def key(self) -> tuple[str, str]:
        return self.stamp.encode(), self.fact_id


@dataclass(frozen=True, slots=True)
class QueueItem:
    exception_id: str
    entry_no: str | None
    bib: str
    runner: str  # the display name ('' when the case names nobody)
    station_id: str  # the counter that raised it
    volunteer_id: str
    reason: str
    codes: tuple[str, ...]
    note: Text  # the volunteer's note as typed, or a station's own note in words (core.words.case_note)
    opened_at: dt.datetime
    waiting: dt.timedelta
    claim: Claim | None


@dataclass(frozen=True, slots=True)
class Queue:
    items: tuple[QueueItem, ...]  # oldest first

    @property
    def oldest(self) -> QueueItem | None:
        return self.items[0] if self.items else None

    @property
    def newest(self) -> QueueItem | None:
        return self.items[-1] if self.items else None


class ClaimOutcome(StrEnum):
    CLAIMED = "claimed"
    ALREADY_YOURS = "already_yours"
    HELD_BY_OTHER = "held_by_other"


@dataclass(frozen=True, slots=True)
class ClaimResult:
    outcome: ClaimOutcome
    holder: Claim


@dataclass(frozen=True, slots=True)
class CaseOutcome:
    """What the counter that raised a case sees once it is resolved."""

    exception_id: str
    entry_no: str | None
    station_id: str  # the counter that raised it
    decision: Decision
    supervisor_id: str
    reason_text: str
    resolved_at: dt.datetime
    fact_id: str


class ExceptionQueue:
    def __init__(self, log: StationLog, package: EventPackage | None = None) -> None:
        self.log = log
        self.package = package

    # -- reading --------------------------------------------------------------------

    def queue(self, now: dt.datetime) -> Queue:
        rows = self.log.conn.execute(
            "SELECT o.exception_id, o.entry_no, o.reason, o.station_id, o.opened_at, "
            "f.volunteer_id, f.payload FROM open_exception o JOIN fact f ON f.fact_id = o.exception_id "
            "ORDER BY o.stamp, o.exception_id"
        ).fetchall()
        claims = self.claims()
        items = []
        for exception_id, entry_no, reason, station_id, opened, volunteer, payload in rows:
            what = ExceptionOpenedPayload.from_payload(json.loads(payload))
            entrant = self.package.entrant(entry_no) if self.package and entry_no else None
            opened_at = dt.datetime.fromisoformat(opened)
            items.append(QueueItem(
                exception_id, entry_no, entrant.bib if entrant else "",
                entrant.display_name if entrant else "", station_id, volunteer, reason,
                what.codes or (), case_note(what.note or ""), opened_at,
                max(now - opened_at, dt.timedelta(0)), claims.get(exception_id),
            ))
        return Queue(tuple(items))

    def claims(self) -> dict[str, Claim]:
        """The claim that holds each case: the earliest in merge order."""
        rows = self.log.conn.execute(
            "SELECT json_extract(payload, '$.exception_id'), volunteer_id, station_id, fact_id, stamp "
            "FROM fact WHERE kind = ? ORDER BY stamp, fact_id", (FactKind.EXCEPTION_CLAIMED.value,)
        )
        held: dict[str, Claim] = {}
        for exception_id, supervisor, station, fact_id, stamp in rows:
            held.setdefault(exception_id, Claim(exception_id, supervisor, station, fact_id, Stamp.decode(stamp)))
        return held

    def holder(self, exception_id: str) -> Claim | None:
        return self.claims().get(exception_id)

    def case_facts(self, exception_id: str) -> CaseFacts:
        opened = self._opened(exception_id)
        state = self.log.entry_state(opened.entry_no) if opened.entry_no else None
        what = ExceptionOpenedPayload.from_payload(opened.payload)
        return CaseFacts(
            exception_id, opened.entry_no, what.reason or "", what.codes or (),
            state.status if state else PickupStatus.WAITING, state.conflict if state else None,
            resolved=self.outcome(exception_id) is not None,
        )

    def outcome(self, exception_id: str) -> CaseOutcome | None:
        """The resolution that counts: the claim holder's if there is one, else the earliest."""
        outcomes = self._outcomes(exception_id)
        if not outcomes:
            return None
        holder = self.holder(exception_id)
        by_holder = [o for o in outcomes if holder and o.supervisor_id == holder.supervisor_id]
        return (by_holder or outcomes)[0]

    def outcomes_for_counter(self, station_id: str) -> list[CaseOutcome]:
        """Resolved cases this counter raised, oldest resolution first."""
        opened = {r[0] for r in self.log.conn.execute(
            "SELECT fact_id FROM fact WHERE kind = ? AND station_id = ?",
            (FactKind.EXCEPTION_OPENED.value, station_id))}
        found = [self.outcome(exception_id) for exception_id in sorted(opened)]
        return sorted((o for o in found if o is not None), key=lambda o: (o.resolved_at, o.fact_id))

    def approved_codes(self, entry_no: str, now: dt.datetime | None = None) -> frozenset[str]:
        """Reason codes a supervisor's approved override lifts for this entry
        (only overrides from the resolution that counts). The counter drops
        these from a new verdict for the entry; LOCKED codes are never among them.
        With `now`: only approvals that have not expired (an approval ends at the
        latest with the check-in window it was given in; supervision.approval_expires)."""
        codes: set[str] = set()
        for fact in self.log.facts_for(entry_no):
            if now is not None and now >= self._expiry(fact.wall_time):
                continue
            if fact.kind is not FactKind.OVERRIDE:
                continue
            override = OverridePayload.from_payload(fact.payload)
            if override.decision == Decision.APPROVE_OVERRIDE.value:
                outcome = self.outcome(override.exception_id or "")
                if outcome is not None and outcome.decision is Decision.APPROVE_OVERRIDE \
                        and outcome.supervisor_id == fact.volunteer_id:
                    codes.update(override.codes or ())
        return frozenset(codes)

    def _expiry(self, given_at: dt.datetime) -> dt.datetime:
        if self.package is None:
            return dt.datetime.max.replace(tzinfo=dt.UTC)
        rules = self.package.settings
        windows = [window_bounds(w, rules, rules.counter) for w in rules.checkin_windows]
        return approval_expires(given_at, windows, rules.zone)

    def _outcomes(self, exception_id: str) -> list[CaseOutcome]:
        rows = self.log.conn.execute(
            "SELECT r.fact_id, r.volunteer_id, r.wall_time, r.payload, o.entry_no, o.station_id "
            "FROM fact r JOIN fact o ON o.fact_id = json_extract(r.payload, '$.exception_id') "
            "WHERE r.kind = ? AND json_extract(r.payload, '$.exception_id') = ? ORDER BY r.stamp, r.fact_id",
            (FactKind.EXCEPTION_RESOLVED.value, exception_id),
        ).fetchall()
        out = []
        for fact_id, supervisor, wall, payload, entry_no, station in rows:
            resolved = ExceptionResolvedPayload.from_payload(json.loads(payload))
            out.append(CaseOutcome(
                resolved.exception_id, entry_no, station, Decision(resolved.decision or ""), supervisor,
                resolved.supervisor_reason or "", dt.datetime.fromisoformat(wall), fact_id,
            ))
        return out

    def _opened(self, exception_id: str) -> Fact:
        facts = [f for f in self._facts_by_id(exception_id) if f.kind is FactKind.EXCEPTION_OPENED]
        if not facts:
            raise StationError(_NO_CASE(exception_id=exception_id))
        return facts[0]

    def _facts_by_id(self, fact_id: str) -> list[Fact]:
        rows = self.log.conn.execute(f"SELECT {fact_rows.SELECT} FROM fact WHERE fact_id = ?", (fact_id,))
        return [fact_rows.from_row(r) for r in rows]

    # -- writing --------------------------------------------------------------------

    def claim(self, exception_id: str, supervisor_id: str) -> ClaimResult:
        opened = self._opened(exception_id)
        if self.outcome(exception_id) is not None:
            raise StationError(_ALREADY_RESOLVED(exception_id=exception_id))
        holder = self.holder(exception_id)
        if holder is not None:
            mine = holder.supervisor_id == supervisor_id
            return ClaimResult(ClaimOutcome.ALREADY_YOURS if mine else ClaimOutcome.HELD_BY_OTHER, holder)
        self.log.append([self._claim_fact(opened, supervisor_id)])
        holder = self.holder(exception_id)
        assert holder is not None
        mine = holder.supervisor_id == supervisor_id
        return ClaimResult(ClaimOutcome.CLAIMED if mine else ClaimOutcome.HELD_BY_OTHER, holder)

    def _claim_fact(self, opened: Fact, supervisor_id: str) -> Fact:
        return self.log.new_fact(FactKind.EXCEPTION_CLAIMED, volunteer_id=supervisor_id,
                                 entry_no=opened.entry_no,
                                 payload=ExceptionClaimedPayload(exception_id=opened.fact_id).to_payload())

    def resolve(self, exception_id: str, resolution: Resolution) -> tuple[Fact, ...]:
        """Record the decision and its consequences in one transaction, or raise
        ResolutionRefused (the rules say no) / StationError (another supervisor
        holds the case). An unclaimed case is claimed on the way."""
        opened = self._opened(exception_id)
        holder = self.holder(exception_id)
        if holder is not None and holder.supervisor_id != resolution.supervisor_id:
            raise StationError(_HELD(supervisor=holder.supervisor_id, station=holder.station_id))
        case = self.case_facts(exception_id)
        ruling = rule_on(case, resolution)
        if not ruling.allowed:
            raise ResolutionRefused(ruling)
        reprint_bib = self._reprint_card(opened) if resolution.decision is Decision.REPRINT_BIB else None
        facts: list[Fact] = []
        if holder is None:
            facts.append(self._claim_fact(opened, resolution.supervisor_id))
        facts.append(self._new(opened, resolution, _resolved_payload(opened, resolution)))
        facts += self._consequences(opened, case, resolution, reprint_bib)
        self.log.append(facts)
        return tuple(facts)

    def _reprint_card(self, opened: Fact) -> str | None:
        """The number a reprint prints (the entry's roster bib now), refused when
        that number left with another entry or the entry took another card
        (issue 11: a number card is never printed for a second entry)."""
        if self.package is None or opened.entry_no is None:
            return None
        entrant = current_entrant(self.package, self.log, opened.entry_no)
        if entrant is None:
            return None
        problem = check_card(ledger_for(self.log.conn, [entrant.bib], [entrant.entry_no]),
                             entrant.entry_no, entrant.bib)
        if problem is not None and problem.holder is not None:
            raise StationError(_REPRINT_NUMBER_TAKEN(bib=entrant.bib, holder=problem.holder,
                                                     entry_no=entrant.entry_no))
        if problem is not None and problem.carried is not None:
            raise StationError(_REPRINT_CARD_CARRIED(entry_no=entrant.entry_no, carried=problem.carried,
                                                     bib=entrant.bib))
        return entrant.bib

    def _new(self, opened: Fact, r: Resolution, payload: Payload) -> Fact:
        return self.log.new_fact(payload.KIND, volunteer_id=r.supervisor_id, entry_no=opened.entry_no,
                                 payload=payload.to_payload())

    def _consequences(self, opened: Fact, case: CaseFacts, r: Resolution, reprint_bib: str | None) -> list[Fact]:
        """The facts a decision causes; each carries the case, the decision and its reason.
        `reprint_bib`: the number a reprint hands over (so the card ledger learns its owner)."""
        d = r.decision
        case_id, decision, why = opened.fact_id, d.value, r.reason_text
        if d is Decision.APPROVE_OVERRIDE:
            ground = r.ground.value if r.ground else ""  # rule_on refused an override without one
            return [self._new(opened, r, OverridePayload(
                exception_id=case_id, decision=decision, supervisor_reason=why,
                ground=ground, codes=tuple(sorted(case.all_codes))))]
        if d is Decision.FIX_NICKNAME:
            return [self._new(opened, r, OverridePayload(
                exception_id=case_id, decision=decision, supervisor_reason=why, nickname=r.nickname))]
        if d is Decision.REPRINT_BIB:
            out = []
            if case.status is PickupStatus.PICKED_UP:  # void the copy in the runner's hands first
                out.append(self._new(opened, r, VoidPayload(
                    exception_id=case_id, decision=decision, supervisor_reason=why, what="bib", reason="reprint")))
            out.append(self._new(opened, r, OverridePayload(
                exception_id=case_id, decision=decision, supervisor_reason=why, reprint=True)))
            # The new copy goes into the runner's hands: a pickup the ledger accepts after the void.
            out.append(self._new(opened, r, PickupPayload(
                exception_id=case_id, decision=decision, supervisor_reason=why, reprint=True, items=("bib",),
                bib=reprint_bib)))
            return out
        if d is Decision.REPAIR_ESCORTS:
            return [self._new(opened, r, EscortPairedPayload(
                exception_id=case_id, decision=decision, supervisor_reason=why,
                escorts=tuple(r.escorts), by_supervisor=True))]
        if d is Decision.VOID_BIB:
            return [self._new(opened, r, VoidPayload(
                exception_id=case_id, decision=decision, supervisor_reason=why, what="bib", reason="supervisor"))]
        if d is Decision.RESOLVE_DOUBLE_PICKUP:
            return [self._new(opened, r, OverridePayload(
                exception_id=case_id, decision=decision, supervisor_reason=why, keep_pickup=r.keep_pickup))]
        return []  # REFUSE: the resolution itself says it


def _resolved_payload(opened: Fact, r: Resolution) -> ExceptionResolvedPayload:
    return ExceptionResolvedPayload(
        exception_id=opened.fact_id, decision=r.decision.value, supervisor_reason=r.reason_text,
        ground=r.ground.value if r.ground is not None else None, nickname=r.nickname,
        escorts=tuple(r.escorts) or None, keep_pickup=r.keep_pickup or None)
