"""What a supervisor may decide about an exception, and what no decision unlocks.

A counter sends a case to the supervisor with a reason (a check-in reason
code from station/core/verdict.py or a scanned code's outcome from
station/core/confirmation.py) and all the reason codes the verdict carried.
`rule_on` is the one place that says whether a proposed resolution is allowed
for that case; the queue refuses to record one it does not allow, the screen
greys out what it would refuse, and both say why in Japanese and English.

Things no override unlocks, and why (these are `LOCKED` below):

- a forged confirmation (`forged`): the signature proves somebody made the
  code; approving it would tell the forger it works. The real runner can still
  be found by name and served with an original ID as a new case.
- an escort picking up alone (`escort_alone`): an escort's bib exists only to
  run beside their runner; handed to the escort alone it lets an unregistered
  person onto the course beside nobody. Check in the pair from the runner's entry.
- a cancelled entry (`entry_cancelled`): the organizer cancelled it (refund,
  transfer, ban); only the organizer's roster update can reinstate it.
- one ID document shown for two entries (`document_used_elsewhere`): one
  person collecting for two entries is impersonation or proxy pickup.
- nobody in person (`not_in_person`): the event forbids proxy pickup; the bib
  is handed to the runner who was identified, never to a friend.
- too young or born too late (`too_young`, `born_too_late`): eligibility is
  the organizer's and the insurer's rule, not a counter's judgement.
- outside the published check-in hours, or race day (`outside_window`,
  `race_day`): the organizer published the hours and the rule that nobody
  checks in on the day of the race; a counter or a supervisor cannot move them.
- a number card that already left with another entry, or an entry that
  already took another card (`card_with_other_entry`, `card_moved_after_pickup`):
  printing the number again puts two identical cards on the course.
- the same document for two people in one check-in, the runner as their own
  escort (`one_document_two_people`, `escort_is_the_runner`): one person, one
  runner bib.

An approval is bound to its case (it lifts only the reasons that case
carried, for that entry) and expires at the latest when the check-in window
in which it was given ends (`approval_expires`): Friday evening's approval
does not hold on Saturday.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from station.core.confirmation import CodeOutcome
from station.core.ledger import Conflict, PickupStatus
from station.core.texts import NOTHING, Language, Param, Text
from station.core.verdict import ReasonCode


class Decision(StrEnum):
    APPROVE_OVERRIDE = "approve_override"  # hand over despite the listed reasons, on a named ground
    REFUSE = "refuse"  # hand nothing over; tell the runner why
    FIX_NICKNAME = "fix_nickname"  # print with a corrected (or no) nickname
    REPRINT_BIB = "reprint_bib"  # a damaged or lost bib: void the old copy, hand over a new one
    REPAIR_ESCORTS = "repair_escorts"  # pair the runner with the right escort(s)
    VOID_BIB = "void_bib"  # a bib went to the wrong person, or must not be used
    RESOLVE_DOUBLE_PICKUP = "resolve_double_pickup"  # offline counters both handed it out


class Ground(StrEnum):
    """Why an override is justified; each covers some reason codes only."""

    NAME_CHANGED_BY_MARRIAGE = "name_changed_by_marriage"
    ROMANISATION_OR_KANJI_VARIANT = "romanisation_or_kanji_variant"
    ROSTER_TYPO = "roster_typo"  # the entry form has a typo; the ID is right
    ID_WITHOUT_MRZ_CHECKED_BY_HAND = "id_without_mrz_checked_by_hand"
    COPY_OF_ID_ACCEPTED = "copy_of_id_accepted"  # e.g. a police report of a lost licence
    LATE_ARRIVAL_ACCEPTED = "late_arrival_accepted"  # outside the window, organizer agreed
    FOUND_BY_NAME_WITH_ID = "found_by_name_with_id"  # lost/old/other confirmation, original ID seen
    CERTIFICATE_CONFIRMED_OTHERWISE = "certificate_confirmed_otherwise"
    RUNS_WITHOUT_ESCORT_CONFIRMED = "runs_without_escort_confirmed"  # organizer agreed the runner runs alone


# The reasons each ground answers. An override must answer every reason the case carries.
_COVERS: dict[Ground, frozenset[str]] = {
    Ground.NAME_CHANGED_BY_MARRIAGE: frozenset({"name_mismatch", "escort_id_mismatch"}),
    Ground.ROMANISATION_OR_KANJI_VARIANT: frozenset({"name_mismatch", "escort_id_mismatch"}),
    Ground.ROSTER_TYPO: frozenset({"name_mismatch", "birth_date_mismatch", "escort_id_mismatch"}),
    Ground.ID_WITHOUT_MRZ_CHECKED_BY_HAND: frozenset({"id_not_checked", "escort_id_not_checked",
                                                      "id_only_proof"}),
    Ground.COPY_OF_ID_ACCEPTED: frozenset({"id_not_original"}),
    # Check-in hours are locked (issue 11); the ground stays for old logs and answers nothing.
    Ground.LATE_ARRIVAL_ACCEPTED: frozenset(),
    Ground.FOUND_BY_NAME_WITH_ID: frozenset({
        "confirmation_revoked", "unsigned_code_not_allowed", "revoked", "retired_key", "unknown_key",
        "wrong_event", "unsigned_not_allowed", "not_a_confirmation", "malformed", "truncated",
        "unsupported_version", "id_only_proof",
    }),
    Ground.CERTIFICATE_CONFIRMED_OTHERWISE: frozenset({"certificate_not_seen"}),
    Ground.RUNS_WITHOUT_ESCORT_CONFIRMED: frozenset({"escort_withdrawn"}),
}

# Never unlocked; see the module docstring for why.
LOCKED: frozenset[str] = frozenset({
    "forged", "escort_alone", "entry_cancelled", "document_used_elsewhere", "not_in_person",
    "too_young", "born_too_late", "outside_window", "race_day", "card_with_other_entry",
    "card_moved_after_pickup", "one_document_two_people", "escort_is_the_runner",
})

# Codes that are not problems (they carry no meaning for a ruling).
_NEUTRAL = frozenset({"all_checks_passed", "volunteer", ""})

_ESCORT_CODES = frozenset({
    "escort_missing", "not_this_runners_escort", "too_many_escorts", "escort_cancelled",
    "escort_already_picked_up", "escort_state_problem", "escort_also_runner",
    "escort_runner_bib_held_back", "escort_withdrawn",
})

# The decisions that hand something over; LOCKED reasons forbid these.
_HANDS_OVER = frozenset({Decision.APPROVE_OVERRIDE, Decision.REPRINT_BIB, Decision.REPAIR_ESCORTS,
                         Decision.FIX_NICKNAME})


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the log says about the case being resolved."""

    exception_id: str
    entry_no: str | None
    reason: str
    codes: tuple[str, ...] = ()
    status: PickupStatus = PickupStatus.WAITING
    conflict: Conflict | None = None
    resolved: bool = False

    @property
    def all_codes(self) -> frozenset[str]:
        return frozenset((self.reason, *self.codes)) - _NEUTRAL


@dataclass(frozen=True, slots=True)
class Resolution:
    """What the supervisor proposes. Fields beyond the decision and the
    written reason apply to some decisions only."""

    decision: Decision
    reason_text: str
    supervisor_id: str
    ground: Ground | None = None  # APPROVE_OVERRIDE
    nickname: str | None = None  # FIX_NICKNAME ('' prints no nickname)
    escorts: tuple[str, ...] = ()  # REPAIR_ESCORTS: the escort entries that run with the runner
    keep_pickup: str | None = None  # RESOLVE_DOUBLE_PICKUP: the pickup fact that counts


class Block(StrEnum):
    LOCKED_REASON = "locked_reason"
    NOT_FOR_THIS_CASE = "not_for_this_case"
    GROUND_MISSING = "ground_missing"
    GROUND_DOES_NOT_COVER = "ground_does_not_cover"
    REASON_TEXT_MISSING = "reason_text_missing"
    DETAIL_MISSING = "detail_missing"
    NO_ENTRY = "no_entry"
    ALREADY_RESOLVED = "already_resolved"


_BLOCK_TEXTS: dict[Block, Text] = {
    Block.LOCKED_REASON: Text("「{code}」の場合は、どの判断でも渡すことはできません。{why}",
                              "No decision hands anything over when the case is '{code}': {why}"),
    Block.NOT_FOR_THIS_CASE: Text("「{decision}」はこの案件（{code}）には使えません。",
                                  "'{decision}' does not answer this case ({code})."),
    Block.GROUND_MISSING: Text("例外を認める根拠を選んでください。", "Choose why the override is justified."),
    Block.GROUND_DOES_NOT_COVER: Text("根拠「{ground}」では「{code}」を解消できません。",
                                      "The ground '{ground}' does not answer '{code}'."),
    Block.REASON_TEXT_MISSING: Text("判断の理由を記入してください（監査記録に残ります）。",
                                    "Write the reason for the decision; it goes into the audit trail."),
    Block.DETAIL_MISSING: Text("「{decision}」には{what}が必要です。", "'{decision}' needs {what}."),
    Block.NO_ENTRY: Text("この案件には受付番号がありません。ランナーを検索するか、お断りしてください。",
                         "This case names no entry; find the runner first, or refuse."),
    Block.ALREADY_RESOLVED: Text("この案件は解決済みです。", "This case was already resolved."),
}

_LOCKED_WHY: dict[str, Text] = {
    "forged": Text("偽造されたコードです。氏名で検索し、身分証原本で新たに受付してください。",
                   "the code was forged; serve the runner as a new case, found by name with an original ID."),
    "escort_alone": Text("伴走者だけでは受け取れません。選手の受付番号から二人一緒に受付してください。",
                         "an escort never picks up without the runner; check in the pair from the runner's entry."),
    "entry_cancelled": Text("主催者が取り消したエントリーです。復活できるのは主催者のみです。",
                            "the organizer cancelled the entry; only the organizer can reinstate it."),
    "document_used_elsewhere": Text("同じ身分証で二つのエントリーは受け取れません。",
                                    "one ID document cannot collect two entries."),
    "not_in_person": Text("代理受付はできません。ご本人が来場してください。",
                          "proxy pickup is not allowed; the runner must come in person."),
    "too_young": Text("年齢制限は主催者の規定です。", "age limits are the organizer's rule."),
    "born_too_late": Text("年齢制限は主催者の規定です。", "age limits are the organizer's rule."),
    "outside_window": Text("受付時間は主催者が公表したものです。時間外の受付はできません。",
                         "the check-in hours are published by the organizer; nobody checks in outside them."),
    "race_day": Text("大会当日の受付はありません。",
                   "there is no check-in on race day."),
    "card_with_other_entry": Text("その番号のカードは別の方に渡っています。主催者に新しい番号を依頼してください。",
                                "that number card already left with another entry; give this entry a new "
                              "number through the organizer."),
    "card_moved_after_pickup": Text("この方はすでに別の番号のカードを受け取っています。",
                                  "this entry already took another number card."),
    "one_document_two_people": Text("1つの身分証は1人分です。",
                                  "one ID document is one person."),
    "escort_is_the_runner": Text("伴走者は選手とは別の方です。",
                               "an escort is another person than the runner."),
}

_DETAIL: dict[Decision, Text] = {
    Decision.FIX_NICKNAME: Text("新しいニックネーム（空欄で印字なし）", "the new nickname (empty prints none)"),
    Decision.REPAIR_ESCORTS: Text("伴走者の受付番号", "the escort entries"),
    Decision.RESOLVE_DOUBLE_PICKUP: Text("有効とする受け取り", "the pickup that counts"),
}

_SENT_BY_VOLUNTEER = Text("カウンターからの相談", "sent by the counter")
_PRINT_FAILED = Text("ナンバーカードが印刷できませんでした", "the bib could not be printed")


def reason_param(code: str) -> Param:
    """A case's reason code as a parameter shown in words: the enum member it names
    (a check-in reason, a scanned code's outcome, a conflict or a pickup status);
    other codes stay as they are."""
    if code == "volunteer":
        return _SENT_BY_VOLUNTEER
    if code == "print_failed":  # the counter's own reason: a bib that did not print
        return _PRINT_FAILED
    kind: type[ReasonCode] | type[CodeOutcome] | type[Conflict] | type[PickupStatus]
    for kind in (ReasonCode, CodeOutcome, Conflict, PickupStatus):
        try:
            return kind(code)
        except ValueError:
            continue
    return code


@dataclass(frozen=True, slots=True)
class Blocker:
    block: Block
    code: str = ""
    decision: Decision | None = None
    ground: Ground | None = None

    @property
    def text(self) -> Text:
        params: dict[str, Param] = {
            "code": reason_param(self.code),
            "decision": self.decision if self.decision is not None else "",
            "ground": self.ground if self.ground is not None else "",
            "why": _LOCKED_WHY.get(self.code, NOTHING),
            "what": _DETAIL.get(self.decision, NOTHING) if self.decision else NOTHING,
        }
        return _BLOCK_TEXTS[self.block](**params)

    # the old style: rendered strings
    @property
    def text_en(self) -> str:
        return self.text.render(Language.EN)

    @property
    def text_ja(self) -> str:
        return self.text.render(Language.JA)


class RulingOutcome(StrEnum):
    ALLOWED = "allowed"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class Ruling:
    outcome: RulingOutcome
    blockers: tuple[Blocker, ...] = ()

    @property
    def allowed(self) -> bool:
        return self.outcome is RulingOutcome.ALLOWED


@dataclass(frozen=True, slots=True)
class PendingCase:
    """A supervisor case that follows the runner to every counter: open (not
    decided yet) or refused (decided: hand nothing over)."""

    exception_id: str
    station_id: str  # the counter that raised it
    at: dt.datetime  # when it was raised (open) or refused
    reason: str
    refused: bool = False


def approval_expires(given_at: dt.datetime, windows: Sequence[tuple[dt.datetime, dt.datetime]],
                     zone: ZoneInfo) -> dt.datetime:
    """When an approval given at `given_at` stops counting: the end of the
    check-in window it was given in (UTC instants [opens, closes)); given
    outside every window (or an event without windows), the end of that
    event-local day."""
    for opens, closes in windows:
        if opens <= given_at < closes:
            return closes
    local = given_at.astimezone(zone)
    midnight = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    return midnight.astimezone(dt.UTC)


def locked_codes(case: CaseFacts) -> frozenset[str]:
    """The case's reasons that no override unlocks."""
    return case.all_codes & LOCKED


def rule_on(case: CaseFacts, resolution: Resolution) -> Ruling:
    """Whether this resolution may be recorded for this case, and if not, every reason why."""
    blockers: list[Blocker] = []
    decision = resolution.decision
    codes = case.all_codes
    if case.resolved:
        blockers.append(Blocker(Block.ALREADY_RESOLVED))
    if not resolution.reason_text.strip():
        blockers.append(Blocker(Block.REASON_TEXT_MISSING))
    if decision in _HANDS_OVER:
        blockers += [Blocker(Block.LOCKED_REASON, code, decision) for code in sorted(codes & LOCKED)]
    if decision is not Decision.REFUSE and case.entry_no is None:
        blockers.append(Blocker(Block.NO_ENTRY, decision=decision))
    blockers += _decision_specific(case, resolution, codes)
    return Ruling(RulingOutcome.REFUSED if blockers else RulingOutcome.ALLOWED, tuple(blockers))


def _decision_specific(case: CaseFacts, r: Resolution, codes: frozenset[str]) -> Sequence[Blocker]:
    decision = r.decision
    if decision is Decision.APPROVE_OVERRIDE:
        if r.ground is None:
            return [Blocker(Block.GROUND_MISSING, decision=decision)]
        open_codes = codes - LOCKED - _COVERS[r.ground]
        return [Blocker(Block.GROUND_DOES_NOT_COVER, code, decision, r.ground) for code in sorted(open_codes)]
    if decision is Decision.FIX_NICKNAME:
        return [] if r.nickname is not None else [Blocker(Block.DETAIL_MISSING, decision=decision)]
    if decision is Decision.REPRINT_BIB:
        # Only a bib that was handed out (and perhaps already voided) can be reprinted.
        if case.status in (PickupStatus.PICKED_UP, PickupStatus.VOIDED) and case.conflict is None:
            return []
        return [Blocker(Block.NOT_FOR_THIS_CASE, case.reason or case.status.value, decision)]
    if decision is Decision.REPAIR_ESCORTS:
        out = []
        if not (codes & _ESCORT_CODES):
            out.append(Blocker(Block.NOT_FOR_THIS_CASE, case.reason, decision))
        if not r.escorts:
            out.append(Blocker(Block.DETAIL_MISSING, decision=decision))
        return out
    if decision is Decision.VOID_BIB:
        if case.status in (PickupStatus.PICKED_UP,):
            return []
        return [Blocker(Block.NOT_FOR_THIS_CASE, case.status.value, decision)]
    if decision is Decision.RESOLVE_DOUBLE_PICKUP:
        out = []
        if case.conflict is not Conflict.DOUBLE_PICKUP:
            out.append(Blocker(Block.NOT_FOR_THIS_CASE, case.reason, decision))
        if not r.keep_pickup:
            out.append(Blocker(Block.DETAIL_MISSING, decision=decision))
        return out
    return []  # REFUSE answers every case


def allowed_decisions(case: CaseFacts) -> tuple[Decision, ...]:
    """The decisions the screen should offer for this case (details aside)."""
    offered = []
    for decision in Decision:
        probe = Resolution(decision, "-", "-", ground=next(iter(grounds_for(case)), None),
                           nickname="", escorts=("-",), keep_pickup="-")
        if rule_on(case, probe).allowed:
            offered.append(decision)
    return tuple(offered)


def grounds_for(case: CaseFacts) -> tuple[Ground, ...]:
    """Grounds that answer every overridable reason of the case."""
    need = case.all_codes - LOCKED
    return tuple(g for g in Ground if need <= _COVERS[g])
