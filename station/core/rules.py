"""The one check-in decision: (entrant, evidence, now, history, event rules) -> Verdict.

The counter, the supervisor screen, the hub and the tests all call `decide`.
It is pure: no clock, no database; everything it needs is passed in.

Order of checks, and which reasons stop the flow
------------------------------------------------
1. The entry itself. An escort scanned on their own (ESCORT_ALONE) stops at
   once: the pair is always decided from the runner's entry. Then, all
   reported together: cancelled entry, a conflict in the log, already picked
   up (with where and when), voided bib, revoked confirmation, an unsigned
   code where the event does not accept one. Any of these STOPS: asking for an
   ID would waste the runner's time.
2. Time and eligibility: outside every check-in window; born on or after the
   cut-off / too young on race day. Reported together; any of them STOPS.
3. Identity: not in person (REFUSED), date of birth or name mismatch and the
   same document already shown for another entry (SUPERVISOR) STOP. Missing
   or copied ID (NEEDS_ID) does not stop, so that the escort step below is
   reported at the same time and the volunteer sees everything still missing.
4. Escorts (a runner with escorts in the roster): too many, not this runner's
   escort, escort cancelled/already picked up/in conflict, escort missing,
   certificate not seen, escort's ID not checked or mismatched.
5. Nothing blocks: READY, with every bib to hand over (the runner's, each
   escort's, and the runner bib of an escort who is also a registered runner).

The verdict's outcome is the most severe outcome among its reasons
(READY < NEEDS_ESCORT < NEEDS_ID < REFUSED < SUPERVISOR).

The "last entry" boundary
-------------------------
A window is open from `opens` (inclusive) until the END of the minute named
as last entry: with "last entry 19:00", 19:00:30 and 19:00:59.9 are in,
19:01:00 is out. People read the hall clock, the posters and the laptop to the
minute, and station clocks drift by seconds; a runner at the counter while
every clock says 19:00 must not be refused by a second hand nobody sees.
`CounterPolicy.last_entry_grace` sets this (0 makes 19:00:00 itself closed).
Times are compared as instants: window times are event-local (the event's
time zone), `now` is any aware datetime, so the laptop's zone never matters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from station.core.bibs import EMPTY_LEDGER, CardLedger, check_card
from station.core.event import CheckinWindow, CounterPolicy, EligibilityKind, EventSettings
from station.core.evidence import Evidence, FoundBy, IdCheck, Match
from station.core.ledger import Conflict, EntryState, PickupStatus
from station.core.models import Entrant, EntrantStatus
from station.core.supervision import LOCKED, PendingCase, reason_param
from station.core.texts import Text
from station.core.verdict import BibRole, Handover, Outcome, Reason, ReasonCode, Verdict
from station.core.words import (
    HANDOVER_ITEM,
    HELD_BACK_CANCELLED,
    HELD_BACK_NOT_ELIGIBLE,
    HELD_BACK_PICKED_UP,
    HELD_BACK_VOIDED,
    IdField,
)

R = ReasonCode


KYOTO_POLICY = CounterPolicy()


@dataclass(frozen=True, slots=True)
class EntryRecord:
    """An entrant with what the log says about it."""

    entrant: Entrant
    history: EntryState


@dataclass(frozen=True, slots=True)
class EscortRecord:
    """One of the runner's escorts in the roster, with the same person's own
    runner entry when they are also a registered runner."""

    entrant: Entrant
    history: EntryState
    own_entry: EntryRecord | None = None


def decide(
    entrant: Entrant,
    evidence: Evidence,
    now: dt.datetime,
    history: EntryState,
    rules: EventSettings,
    *,
    escorts: Sequence[EscortRecord] = (),
    document_uses: Mapping[str, Sequence[Entrant]] | None = None,
    policy: CounterPolicy | None = None,
    waived: frozenset[str] = frozenset(),
    cards: CardLedger = EMPTY_LEDGER,
    pending: PendingCase | None = None,
    withdrawn_escorts: Sequence[tuple[str, str]] = (),
) -> Verdict:
    """Decide one check-in.

    `escorts`: every escort the roster links to this runner (cancelled ones
    too). `document_uses`: for each document hash in the evidence, the
    entrants whose ID checks already recorded it (the subject itself may be
    among them). `cards`: the number cards that have left the building
    (station/core/bibs.py). `pending`: an open or refused supervisor case for
    this entry, from any counter. `withdrawn_escorts`: (escort, why) for escort
    rows the organizer's import refused for this runner ("refused").
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("decide() needs an aware datetime for now")
    uses = document_uses or {}
    policy = policy if policy is not None else rules.counter  # the event's own switches

    def kept(reasons: list[Reason]) -> list[Reason]:
        # `waived`: reason codes a supervisor approved for this runner (station/core/
        # supervision.py decides which may be; the locked ones never are).
        return [r for r in reasons if r.code.value not in waived or r.code.value in LOCKED]

    if entrant.is_escort:
        return Verdict.of(
            (Reason.of(R.ESCORT_ALONE, entry_no=entrant.entry_no, runner=entrant.escort_of or ""),)
        )

    stopping = kept(_entry_reasons(entrant, evidence, history, rules, cards))
    stopping += _pending_reasons(entrant, pending, rules)  # never waived: a case is decided, not skipped
    if stopping:
        return Verdict.of(tuple(stopping))
    stopping = kept(_window_reasons(now, rules, policy) + _eligibility_reasons(entrant, rules))
    if stopping:
        return Verdict.of(tuple(stopping))

    reasons = kept(_identity_reasons(entrant, evidence, uses, policy))
    if any(r.outcome.severity >= Outcome.REFUSED.severity for r in reasons):
        return Verdict.of(tuple(reasons))

    handovers = [Handover(entrant.entry_no, entrant.bib, BibRole.RUNNER)]
    reasons += kept(_escort_reasons(entrant, evidence, escorts, uses, rules, policy, handovers))
    reasons += _withdrawn_reasons(escorts, withdrawn_escorts, evidence)
    reasons += _one_person_one_document(entrant, evidence)
    reasons += _card_reasons(handovers[1:], cards)

    if all(r.outcome is Outcome.READY for r in reasons):
        bibs = tuple(HANDOVER_ITEM(bib=h.bib, role=h.role) for h in handovers)
        reasons.insert(0, Reason.of(R.ALL_CHECKS_PASSED, bibs=bibs))
    return Verdict.of(tuple(reasons), tuple(handovers))


# -- 1. the entry ------------------------------------------------------------


def _entry_reasons(
    entrant: Entrant, evidence: Evidence, history: EntryState, rules: EventSettings,
    cards: CardLedger = EMPTY_LEDGER,
) -> list[Reason]:
    reasons = []
    no = entrant.entry_no
    problem = check_card(cards, no, entrant.bib)
    if problem is not None and problem.holder is not None:
        reasons.append(Reason.of(R.CARD_WITH_OTHER_ENTRY, bib=entrant.bib, holder=problem.holder, entry_no=no))
    if problem is not None and problem.carried is not None:
        reasons.append(Reason.of(R.CARD_MOVED_AFTER_PICKUP, entry_no=no, carried=problem.carried,
                                 bib=entrant.bib))
    if entrant.status is EntrantStatus.CANCELLED or history.status is PickupStatus.CANCELLED:
        reasons.append(Reason.of(R.ENTRY_CANCELLED, entry_no=no))
    if history.conflict is not None:
        reasons.append(Reason.of(R.STATE_CONFLICT, entry_no=no, conflict=history.conflict))
    if history.status is PickupStatus.PICKED_UP:
        carried = cards.carried_by(no) or entrant.bib  # the card that left, not today's roster number
        reasons.append(Reason.of(R.ALREADY_PICKED_UP, bib=carried, **_where_when(history, rules)))
    if history.status is PickupStatus.VOIDED:
        reasons.append(Reason.of(R.BIB_VOIDED, bib=entrant.bib))
    if evidence.confirmation_revoked:
        reasons.append(Reason.of(R.CONFIRMATION_REVOKED))
    if evidence.found_by is FoundBy.UNSIGNED_CODE and not rules.allow_unsigned_codes:
        reasons.append(Reason.of(R.UNSIGNED_CODE_NOT_ALLOWED))
    return reasons


def _where_when(history: EntryState, rules: EventSettings) -> dict[str, str]:
    pickup = history.pickup
    if pickup is None:  # the fold always keeps the first pickup; be safe anyway
        return {"station": "?", "date": "?", "time": "?"}
    local = rules.local(pickup.wall_time)
    return {"station": pickup.station_id, "date": f"{local:%m/%d}", "time": f"{local:%H:%M}"}


# -- 2. time and eligibility ---------------------------------------------------


def window_bounds(
    window: CheckinWindow, rules: EventSettings, policy: CounterPolicy = KYOTO_POLICY
) -> tuple[dt.datetime, dt.datetime]:
    """The window as UTC instants: [opens, end of the last-entry minute)."""
    zone = rules.zone
    opens = window.opens.replace(tzinfo=zone).astimezone(dt.UTC)
    closes = (window.last_entry.replace(tzinfo=zone) + policy.last_entry_grace).astimezone(dt.UTC)
    return opens, closes


def in_checkin_window(
    now: dt.datetime, rules: EventSettings, policy: CounterPolicy = KYOTO_POLICY
) -> bool:
    """True when no windows are set (an event without hours) or `now` is inside one."""
    if not rules.checkin_windows:
        return True
    instant = now.astimezone(dt.UTC)
    for window in rules.checkin_windows:
        opens, closes = window_bounds(window, rules, policy)
        if opens <= instant < closes:
            return True
    return False


def _window_reasons(now: dt.datetime, rules: EventSettings, policy: CounterPolicy) -> list[Reason]:
    today = rules.local(now).date()
    if today >= rules.race_date:  # the seeds: no check-in on the day of the event (or after)
        return [Reason.of(R.RACE_DAY, today=today, race_date=rules.race_date)]
    if in_checkin_window(now, rules, policy):
        return []
    windows = ", ".join(
        f"{w.opens:%m/%d %H:%M}-{w.last_entry:%H:%M}" for w in rules.checkin_windows
    )
    return [Reason.of(R.OUTSIDE_WINDOW, now=f"{rules.local(now):%m/%d %H:%M}", windows=windows)]


def _eligibility_reasons(entrant: Entrant, rules: EventSettings) -> list[Reason]:
    rule = rules.eligibility
    if rule.kind is EligibilityKind.BORN_BEFORE and rule.born_before is not None:
        if entrant.birth_date >= rule.born_before:
            return [Reason.of(R.BORN_TOO_LATE, birth_date=entrant.birth_date, cutoff=rule.born_before)]
    elif rule.kind is EligibilityKind.MIN_AGE_ON_RACE_DAY and rule.min_age is not None:
        # Age rises on the birthday itself (also under Japan's age law, which
        # counts the year as complete at the end of the day before it).
        age = entrant.age_on(rules.race_date)
        if age < rule.min_age:
            return [Reason.of(R.TOO_YOUNG, age=age, race_date=rules.race_date, min_age=rule.min_age)]
    return []


# -- 3. identity ------------------------------------------------------------------


def _identity_reasons(
    entrant: Entrant,
    evidence: Evidence,
    uses: Mapping[str, Sequence[Entrant]],
    policy: CounterPolicy,
) -> list[Reason]:
    if not evidence.in_person:
        return [Reason.of(R.NOT_IN_PERSON)]
    reasons = _id_check_reasons(entrant, evidence.id_check, policy.id_required)
    if evidence.id_check is not None:
        reasons += _document_reasons(entrant, evidence.id_check, uses)
    if evidence.found_by is not FoundBy.SIGNED_QR:
        reasons.append(Reason.of(R.ID_ONLY_PROOF, found_by=evidence.found_by))
    return reasons


def _id_check_reasons(entrant: Entrant, check: IdCheck | None, required: bool) -> list[Reason]:
    no, born = entrant.entry_no, entrant.birth_date
    if check is None:
        return [Reason.of(R.ID_NOT_CHECKED, entry_no=no, birth_date=born)] if required else []
    reasons = []
    # A date of birth that differs is a false statement, whatever else is true.
    if check.birth_date is Match.MISMATCH:
        reasons.append(Reason.of(R.BIRTH_DATE_MISMATCH, entry_no=no, birth_date=born))
    if check.name is Match.MISMATCH:
        reasons.append(Reason.of(R.NAME_MISMATCH, entry_no=no))
    if reasons:
        return reasons
    if not check.original:
        reasons.append(Reason.of(R.ID_NOT_ORIGINAL))
    elif required and not check.confirmed:
        reasons.append(Reason.of(R.ID_NOT_CHECKED, entry_no=no, birth_date=born))
    return reasons


def _document_reasons(
    entrant: Entrant, check: IdCheck, uses: Mapping[str, Sequence[Entrant]]
) -> list[Reason]:
    if not check.document_hash:
        return []
    others = sorted(
        other.entry_no
        for other in uses.get(check.document_hash, ())
        if other.entry_no != entrant.entry_no and not _own_other_role(entrant, other)
    )
    if not others:
        return []
    return [Reason.of(R.DOCUMENT_USED_ELSEWHERE, others=tuple(others))]


def _own_other_role(a: Entrant, b: Entrant) -> bool:
    """One person may hold one runner entry and one escort entry: the same ID
    shown for both is expected, not a second application."""
    if a.is_escort == b.is_escort or a.birth_date != b.birth_date:
        return False
    return same_name(a, b)


def same_name(a: Entrant, b: Entrant) -> bool:
    def fold(text: str) -> str:
        return "".join(text.split()).casefold()

    pairs = (
        (a.family_kanji + a.given_kanji, b.family_kanji + b.given_kanji),
        (a.family_latin + a.given_latin, b.family_latin + b.given_latin),
        (a.family_kana + a.given_kana, b.family_kana + b.given_kana),
    )
    return any(fold(x) and fold(x) == fold(y) for x, y in pairs)


# -- 4. escorts -------------------------------------------------------------------


def _escort_reasons(
    runner: Entrant,
    evidence: Evidence,
    escorts: Sequence[EscortRecord],
    uses: Mapping[str, Sequence[Entrant]],
    rules: EventSettings,
    policy: CounterPolicy,
    handovers: list[Handover],
) -> list[Reason]:
    roster = {e.entrant.entry_no: e for e in escorts}
    required = [e for e in escorts if _active(e.entrant, e.history)]
    present = list(dict.fromkeys(evidence.escort_entries))
    reasons: list[Reason] = []

    count = max(len(required), len(present))
    if count > rules.max_escorts:
        reasons.append(Reason.of(R.TOO_MANY_ESCORTS, count=count, allowed=rules.max_escorts))
    for no in present:
        if no not in roster:
            reasons.append(Reason.of(R.NOT_THIS_RUNNERS_ESCORT, escort=no, entry_no=runner.entry_no))
    missing = [e.entrant.entry_no for e in required if e.entrant.entry_no not in present]
    if missing:
        reasons.append(Reason.of(R.ESCORT_MISSING, escorts=tuple(missing)))
    if required and policy.certificate_required and not evidence.certificate_seen:
        reasons.append(Reason.of(R.CERTIFICATE_NOT_SEEN))

    checks = {e.entry_no: e.id_check for e in evidence.escorts}
    for no in present:
        record = roster.get(no)
        if record is None:
            continue
        reasons += _escort_state_reasons(record, rules)
        reasons += _escort_id_reasons(record.entrant, checks[no], uses, policy)
        handovers.append(Handover(no, record.entrant.bib, BibRole.ESCORT))
        if record.own_entry is not None and record.own_entry.entrant.entry_no == runner.entry_no:
            # the runner listed as their own escort: one person, never two bibs
            reasons.append(Reason.of(R.ESCORT_IS_THE_RUNNER, escort=no, entry_no=runner.entry_no))
        elif record.own_entry is not None:
            reasons.append(_escort_own_entry(record, rules, handovers))
    return reasons


def _active(entrant: Entrant, history: EntryState) -> bool:
    return entrant.status is EntrantStatus.ACTIVE and history.status is not PickupStatus.CANCELLED


def _escort_state_reasons(record: EscortRecord, rules: EventSettings) -> list[Reason]:
    no, history = record.entrant.entry_no, record.history
    if not _active(record.entrant, history):
        return [Reason.of(R.ESCORT_CANCELLED, escort=no)]
    if history.conflict is not None:
        return [Reason.of(R.ESCORT_STATE_PROBLEM, escort=no, problem=history.conflict)]
    if history.status is PickupStatus.VOIDED:
        return [Reason.of(R.ESCORT_STATE_PROBLEM, escort=no, problem=HELD_BACK_VOIDED)]
    if history.status is PickupStatus.PICKED_UP:
        return [
            Reason.of(R.ESCORT_ALREADY_PICKED_UP, bib=record.entrant.bib, **_where_when(history, rules))
        ]
    return []


def _escort_id_reasons(
    escort: Entrant,
    check: IdCheck | None,
    uses: Mapping[str, Sequence[Entrant]],
    policy: CounterPolicy,
) -> list[Reason]:
    no, born = escort.entry_no, escort.birth_date
    if check is None:
        if policy.escort_id_required:
            return [Reason.of(R.ESCORT_ID_NOT_CHECKED, escort=no, birth_date=born)]
        return []
    wrong = tuple(what for what, match in ((IdField.BIRTH_DATE, check.birth_date), (IdField.NAME, check.name))
                  if match is Match.MISMATCH)
    if wrong:
        return [Reason.of(R.ESCORT_ID_MISMATCH, escort=no, what=wrong)]
    reasons = _document_reasons(escort, check, uses)
    if not check.original:
        reasons.append(Reason.of(R.ID_NOT_ORIGINAL))
    elif policy.escort_id_required and not check.confirmed:
        reasons.append(Reason.of(R.ESCORT_ID_NOT_CHECKED, escort=no, birth_date=born))
    return reasons


def _escort_own_entry(record: EscortRecord, rules: EventSettings, handovers: list[Handover]) -> Reason:
    own = record.own_entry
    assert own is not None
    problem = _own_entry_problem(own, rules)
    params = {"escort": record.entrant.entry_no, "runner_entry": own.entrant.entry_no}
    if problem is not None:
        return Reason.of(R.ESCORT_RUNNER_BIB_HELD_BACK, problem=problem, **params)
    handovers.append(Handover(own.entrant.entry_no, own.entrant.bib, BibRole.RUNNER))
    return Reason.of(
        R.ESCORT_ALSO_RUNNER, escort_bib=record.entrant.bib, runner_bib=own.entrant.bib, **params
    )


def _own_entry_problem(own: EntryRecord, rules: EventSettings) -> Text | Conflict | None:
    history = own.history
    if not _active(own.entrant, history):
        return HELD_BACK_CANCELLED
    if history.conflict is not None:
        return history.conflict
    if history.status is PickupStatus.PICKED_UP:
        return HELD_BACK_PICKED_UP(**_where_when(history, rules))
    if history.status is PickupStatus.VOIDED:
        return HELD_BACK_VOIDED
    if _eligibility_reasons(own.entrant, rules):
        return HELD_BACK_NOT_ELIGIBLE
    return None


# -- issue 11: one card, one person, one case -----------------------------------------


def _pending_reasons(entrant: Entrant, pending: PendingCase | None, rules: EventSettings) -> list[Reason]:
    if pending is None:
        return []
    code = R.CASE_REFUSED if pending.refused else R.CASE_OPEN
    return [Reason.of(code, entry_no=entrant.entry_no, station=pending.station_id,
                      time=f"{rules.local(pending.at):%m/%d %H:%M}",
                      reason=reason_param(pending.reason or "volunteer"))]


def _card_reasons(handovers: Sequence[Handover], cards: CardLedger) -> list[Reason]:
    """Escort bibs (and an escort's own runner bib): a number that left with
    another entry is never handed out again."""
    reasons = []
    for h in handovers:
        problem = check_card(cards, h.entry_no, h.bib)
        if problem is not None and problem.holder is not None:
            reasons.append(Reason.of(R.CARD_WITH_OTHER_ENTRY, bib=h.bib, holder=problem.holder,
                                     entry_no=h.entry_no))
        elif problem is not None and problem.carried is not None:
            reasons.append(Reason.of(R.CARD_MOVED_AFTER_PICKUP, entry_no=h.entry_no,
                                     carried=problem.carried, bib=h.bib))
    return reasons


def _one_person_one_document(entrant: Entrant, evidence: Evidence) -> list[Reason]:
    """One document key for two people in one check-in: one of them is not who they say."""
    seen: dict[str, list[str]] = {}
    checks = [(entrant.entry_no, evidence.id_check), *((e.entry_no, e.id_check) for e in evidence.escorts)]
    for no, check in checks:
        if check is not None and check.document_hash:
            seen.setdefault(check.document_hash, []).append(no)
    twice = [nos for nos in seen.values() if len(set(nos)) > 1]
    return [Reason.of(R.ONE_DOCUMENT_TWO_PEOPLE, entries=tuple(sorted(set(nos)))) for nos in twice]


_ESCORT_CANCELLED = Text("主催者により取り消されました", "cancelled by the organizer")
_ESCORT_REFUSED = Text("主催者の名簿取り込みで受け付けられませんでした", "refused at the organizer's import")


def _withdrawn_reasons(escorts: Sequence[EscortRecord], refused: Sequence[tuple[str, str]],
                       evidence: Evidence) -> list[Reason]:
    """A runner whose escort was cancelled or refused is never served as a solo
    runner without a word: the band says so and a supervisor decides."""
    present = set(evidence.escort_entries)
    out = []
    for record in escorts:
        no = record.entrant.entry_no
        if no not in present and not _active(record.entrant, record.history):
            out.append(Reason.of(R.ESCORT_WITHDRAWN, escort=no, what=_ESCORT_CANCELLED))
    for label, _why in refused:
        out.append(Reason.of(R.ESCORT_WITHDRAWN, escort=label, what=_ESCORT_REFUSED))
    return out
