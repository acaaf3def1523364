"""What the counter shows after a check-in decision: an outcome, its reasons, the bibs.

Every reason is a stable code plus texts in Japanese and English and the next
step for the volunteer. The texts are data (one table below, with `{named}`
parameters), so the screen, the supervisor view, the hub and the tests all say
the same thing, and a translator edits one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from station.core.texts import Language, Param, Text, plain


class Outcome(StrEnum):
    READY = "ready"  # hand the listed bibs over
    NEEDS_ESCORT = "needs_escort"  # wait for the escort(s) or the disability certificate
    NEEDS_ID = "needs_id"  # check an original ID (or the escort's)
    REFUSED = "refused"  # do not hand anything over; tell the runner why
    SUPERVISOR = "supervisor"  # stop: call the area supervisor

    @property
    def severity(self) -> int:
        """The verdict takes its reasons' most severe outcome.

        SUPERVISOR ranks above REFUSED: when the log disagrees with itself
        (a conflict) or a statement looks false, a refusal alone would hide
        something a supervisor has to resolve.
        """
        return _SEVERITY[self]


_SEVERITY = {
    Outcome.READY: 0,
    Outcome.NEEDS_ESCORT: 1,
    Outcome.NEEDS_ID: 2,
    Outcome.REFUSED: 3,
    Outcome.SUPERVISOR: 4,
}


class ReasonCode(StrEnum):
    # the entry itself
    ESCORT_ALONE = "escort_alone"
    ENTRY_CANCELLED = "entry_cancelled"
    STATE_CONFLICT = "state_conflict"
    ALREADY_PICKED_UP = "already_picked_up"
    BIB_VOIDED = "bib_voided"
    CONFIRMATION_REVOKED = "confirmation_revoked"
    UNSIGNED_CODE_NOT_ALLOWED = "unsigned_code_not_allowed"
    CARD_WITH_OTHER_ENTRY = "card_with_other_entry"  # issue 11: the number card is an identity
    CARD_MOVED_AFTER_PICKUP = "card_moved_after_pickup"
    CASE_OPEN = "case_open"  # a supervisor case for the entry, from any counter
    CASE_REFUSED = "case_refused"
    BEING_HANDED_OUT = "being_handed_out"  # the hub: another counter holds the entry now
    # time and eligibility
    OUTSIDE_WINDOW = "outside_window"
    BORN_TOO_LATE = "born_too_late"
    TOO_YOUNG = "too_young"
    RACE_DAY = "race_day"
    # identity
    NOT_IN_PERSON = "not_in_person"
    ID_NOT_CHECKED = "id_not_checked"
    ID_NOT_ORIGINAL = "id_not_original"
    NAME_MISMATCH = "name_mismatch"
    BIRTH_DATE_MISMATCH = "birth_date_mismatch"
    DOCUMENT_USED_ELSEWHERE = "document_used_elsewhere"
    ID_ONLY_PROOF = "id_only_proof"
    ONE_DOCUMENT_TWO_PEOPLE = "one_document_two_people"
    # escorts
    ESCORT_MISSING = "escort_missing"
    CERTIFICATE_NOT_SEEN = "certificate_not_seen"
    TOO_MANY_ESCORTS = "too_many_escorts"
    NOT_THIS_RUNNERS_ESCORT = "not_this_runners_escort"
    ESCORT_CANCELLED = "escort_cancelled"
    ESCORT_ALREADY_PICKED_UP = "escort_already_picked_up"
    ESCORT_STATE_PROBLEM = "escort_state_problem"
    ESCORT_ID_NOT_CHECKED = "escort_id_not_checked"
    ESCORT_ID_MISMATCH = "escort_id_mismatch"
    ESCORT_ALSO_RUNNER = "escort_also_runner"
    ESCORT_RUNNER_BIB_HELD_BACK = "escort_runner_bib_held_back"
    ESCORT_IS_THE_RUNNER = "escort_is_the_runner"
    ESCORT_WITHDRAWN = "escort_withdrawn"  # cancelled in the roster, or refused at import
    # all clear
    ALL_CHECKS_PASSED = "all_checks_passed"


@dataclass(frozen=True, slots=True)
class _Text:
    outcome: Outcome
    en: str
    ja: str
    next_en: str
    next_ja: str

    @property
    def text(self) -> Text:
        return Text(self.ja, self.en)

    @property
    def next(self) -> Text:
        return Text(self.next_ja, self.next_en)


_SUPERVISOR_EN = "Press 'Send to supervisor' and serve the next runner."
_SUPERVISOR_JA = "「責任者へ」を押し、次の方の受付へ進んでください。"

TEXTS: dict[ReasonCode, _Text] = {
    ReasonCode.ESCORT_ALONE: _Text(
        Outcome.REFUSED,
        "Entry {entry_no} is an escort runner; an escort never picks up alone.",
        "受付番号 {entry_no} は伴走者です。伴走者だけでの受け取りはできません。",
        "Check in the pair from the runner's entry {runner}: scan or search it, then add this escort.",
        "選手（受付番号 {runner}）を読み取るか検索し、この伴走者を追加して一緒に受付してください。",
    ),
    ReasonCode.ENTRY_CANCELLED: _Text(
        Outcome.REFUSED,
        "Entry {entry_no} was cancelled by the organizer.",
        "受付番号 {entry_no} は主催者により取り消されています。",
        "Hand nothing over. If the runner disagrees, send them to the supervisor.",
        "何も渡さないでください。ご本人が納得されない場合は責任者へ案内してください。",
    ),
    ReasonCode.STATE_CONFLICT: _Text(
        Outcome.SUPERVISOR,
        "The log disagrees about entry {entry_no} ({conflict}).",
        "受付番号 {entry_no} の記録に矛盾があります（{conflict}）。",
        _SUPERVISOR_EN,
        _SUPERVISOR_JA,
    ),
    ReasonCode.ALREADY_PICKED_UP: _Text(
        Outcome.REFUSED,
        "Bib {bib} was already picked up at counter {station} on {date} at {time}.",
        "ナンバーカード {bib} は {date} {time} にカウンター {station} で受け取り済みです。",
        "Hand nothing over. A lost bib is a supervisor's reprint: send the runner to the supervisor.",
        "再交付はできません。紛失の場合は責任者による再発行となるため、責任者へ案内してください。",
    ),
    ReasonCode.BIB_VOIDED: _Text(
        Outcome.REFUSED,
        "Bib {bib} has been voided.",
        "ナンバーカード {bib} は無効になっています。",
        "Hand nothing over; only a supervisor can reprint it. Send the runner to the supervisor.",
        "何も渡さないでください。再発行は責任者のみです。責任者へ案内してください。",
    ),
    ReasonCode.CONFIRMATION_REVOKED: _Text(
        Outcome.REFUSED,
        "This participation confirmation has been revoked.",
        "この参加確認書は無効になっています。",
        "Ask for the newest confirmation, or find the runner by name and check the ID.",
        "最新の参加確認書を提示してもらうか、氏名で検索して本人確認をしてください。",
    ),
    ReasonCode.UNSIGNED_CODE_NOT_ALLOWED: _Text(
        Outcome.REFUSED,
        "This code is not a signed confirmation, and this event accepts only signed ones.",
        "この大会では署名付きの参加確認書のみ有効です。このコードは受け付けられません。",
        "Find the runner by name and check an original ID instead.",
        "氏名で検索し、身分証の原本で本人確認をしてください。",
    ),
    ReasonCode.CARD_WITH_OTHER_ENTRY: _Text(
        Outcome.SUPERVISOR,
        "Number card {bib} already left the building with entry {holder}; "
        "the roster now gives that number to entry {entry_no}.",
        "ナンバーカード {bib} は受付番号 {holder} にすでに渡っています。"
        "名簿の修正でこの番号が受付番号 {entry_no} に割り当てられています。",
        "Do not print or hand over {bib}. A supervisor must give entry {entry_no} a new number; "
        "card {bib} stays with entry {holder}. " + _SUPERVISOR_EN,
        "{bib} を印刷・お渡ししないでください。受付番号 {entry_no} には責任者が新しい番号を割り当てます"
        "（{bib} は受付番号 {holder} のままです）。" + _SUPERVISOR_JA,
    ),
    ReasonCode.CARD_MOVED_AFTER_PICKUP: _Text(
        Outcome.SUPERVISOR,
        "Entry {entry_no} already took number card {carried}; the roster now gives it bib {bib}.",
        "受付番号 {entry_no} はすでにナンバーカード {carried} を受け取っています。"
        "名簿の修正で番号が {bib} に変わっています。",
        "Hand nothing over. A supervisor decides which number this runner runs with. " + _SUPERVISOR_EN,
        "何も渡さないでください。どの番号で走るかは責任者が決めます。" + _SUPERVISOR_JA,
    ),
    ReasonCode.CASE_OPEN: _Text(
        Outcome.SUPERVISOR,
        "Entry {entry_no} already has a case open with the supervisor (sent from counter {station} "
        "at {time}: {reason}).",
        "受付番号 {entry_no} は責任者対応中です（カウンター {station} から {time} に送付：{reason}）。",
        "Hand nothing over; send the runner to the supervisor who has the case.",
        "何も渡さず、対応中の責任者へ案内してください。",
    ),
    ReasonCode.CASE_REFUSED: _Text(
        Outcome.SUPERVISOR,
        "A supervisor refused entry {entry_no} at {time}: {reason}.",
        "受付番号 {entry_no} は {time} に責任者が受付不可と判断しています：{reason}",
        "Hand nothing over; only a supervisor can change this. " + _SUPERVISOR_EN,
        "何も渡さないでください。変更できるのは責任者のみです。" + _SUPERVISOR_JA,
    ),
    ReasonCode.BEING_HANDED_OUT: _Text(
        Outcome.REFUSED,
        "Entry {entry_no} is being handed out at counter {station} right now.",
        "受付番号 {entry_no} は現在カウンター {station} で受け渡し中です。",
        "Hand nothing over. Wait a few seconds and try again; if the runner was served there, stop.",
        "何も渡さないでください。数秒待ってから再度お試しください。先方で受け取り済みなら終了です。",
    ),
    ReasonCode.OUTSIDE_WINDOW: _Text(
        Outcome.REFUSED,
        "Check-in is closed now ({now}). Check-in hours: {windows}.",
        "現在（{now}）は受付時間外です。受付時間：{windows}",
        "Tell the runner the check-in hours. No one can check in outside them, not even a supervisor.",
        "受付時間をお伝えください。受付時間外の受付は責任者でもできません。",
    ),
    ReasonCode.RACE_DAY: _Text(
        Outcome.REFUSED,
        "Today ({today}) is race day or later (race day {race_date}): there is no check-in on race day.",
        "本日（{today}）は大会当日以降です（大会日 {race_date}）。大会当日の受付はありません。",
        "Hand nothing over. No one can override this, not even a supervisor.",
        "何も渡さないでください。責任者でも例外は認められません。",
    ),
    ReasonCode.BORN_TOO_LATE: _Text(
        Outcome.REFUSED,
        "Born {birth_date}; this event requires a date of birth before {cutoff}.",
        "生年月日 {birth_date}：この大会は {cutoff} より前に生まれた方が対象です。",
        "Hand nothing over and send the runner to the supervisor.",
        "何も渡さず、責任者へ案内してください。",
    ),
    ReasonCode.TOO_YOUNG: _Text(
        Outcome.REFUSED,
        "Age {age} on race day ({race_date}); this event requires {min_age} or older.",
        "大会当日（{race_date}）の年齢は {age} 歳です。{min_age} 歳以上が対象です。",
        "Hand nothing over and send the runner to the supervisor.",
        "何も渡さず、責任者へ案内してください。",
    ),
    ReasonCode.NOT_IN_PERSON: _Text(
        Outcome.REFUSED,
        "Bibs are handed only to the runner in person; no proxy pickup.",
        "代理受付はできません。ご本人のみ受け取れます。",
        "Explain that the runner must come in person. If they insist, send them to the supervisor.",
        "ご本人が来場する必要があることをお伝えください。納得されない場合は責任者へ。",
    ),
    ReasonCode.ID_NOT_CHECKED: _Text(
        Outcome.NEEDS_ID,
        "The ID of entry {entry_no} has not been checked yet.",
        "受付番号 {entry_no} の本人確認がまだです。",
        "Ask for an original ID; check that name and date of birth ({birth_date}) match.",
        "身分証の原本を確認し、氏名と生年月日（{birth_date}）が一致することを確かめてください。",
    ),
    ReasonCode.ID_NOT_ORIGINAL: _Text(
        Outcome.NEEDS_ID,
        "A photocopy is not an ID.",
        "コピーは身分証として認められません。",
        "Ask for the original document.",
        "原本を提示してもらってください。",
    ),
    ReasonCode.NAME_MISMATCH: _Text(
        Outcome.SUPERVISOR,
        "The name on the ID does not match entry {entry_no}.",
        "身分証の氏名が受付番号 {entry_no} の登録と一致しません。",
        _SUPERVISOR_EN,
        _SUPERVISOR_JA,
    ),
    ReasonCode.BIRTH_DATE_MISMATCH: _Text(
        Outcome.SUPERVISOR,
        "The date of birth on the ID differs from the registration ({birth_date}) of entry {entry_no}.",
        "身分証の生年月日が受付番号 {entry_no} の登録（{birth_date}）と異なります。",
        "Hand nothing over. " + _SUPERVISOR_EN,
        "何も渡さないでください。" + _SUPERVISOR_JA,
    ),
    ReasonCode.DOCUMENT_USED_ELSEWHERE: _Text(
        Outcome.SUPERVISOR,
        "This ID document was already shown for entry {others}.",
        "この身分証は受付番号 {others} の受付ですでに使われています。",
        "Hand nothing over. " + _SUPERVISOR_EN,
        "何も渡さないでください。" + _SUPERVISOR_JA,
    ),
    ReasonCode.ONE_DOCUMENT_TWO_PEOPLE: _Text(
        Outcome.SUPERVISOR,
        "The same ID document was recorded for {entries} in this check-in; one document is one person.",
        "この受付で同じ身分証が {entries} に使われています。1つの身分証は1人分です。",
        "Hand nothing over; each person shows their own ID. " + _SUPERVISOR_EN,
        "何も渡さないでください。お一人ずつご本人の身分証が必要です。" + _SUPERVISOR_JA,
    ),
    ReasonCode.ID_ONLY_PROOF: _Text(
        Outcome.READY,
        "Found by {found_by}: the ID check is the only proof of who this is.",
        "{found_by}で見つけた受付です。本人確認が唯一の確認手段です。",
        "Check the ID with extra care.",
        "身分証を特に注意して確認してください。",
    ),
    ReasonCode.ESCORT_MISSING: _Text(
        Outcome.NEEDS_ESCORT,
        "Escort runner {escorts} is not here yet; the pair checks in together.",
        "伴走者（受付番号 {escorts}）がまだいません。選手と伴走者は一緒に受付します。",
        "Scan or pick each escort in the escort panel.",
        "伴走者欄で伴走者を読み取るか選んでください。",
    ),
    ReasonCode.CERTIFICATE_NOT_SEEN: _Text(
        Outcome.NEEDS_ESCORT,
        "The disability certificate has not been seen.",
        "障がいを証明する書類（身体障害者手帳など）が確認されていません。",
        "Ask for the official certificate and tick 'certificate seen'.",
        "証明書を確認し、「証明書確認済み」にチェックしてください。",
    ),
    ReasonCode.TOO_MANY_ESCORTS: _Text(
        Outcome.REFUSED,
        "{count} escorts for one runner; this event allows {allowed}.",
        "伴走者が {count} 名います。この大会では {allowed} 名までです。",
        "Remove the extra escorts, or send the pair to the supervisor.",
        "人数を減らすか、責任者へ案内してください。",
    ),
    ReasonCode.NOT_THIS_RUNNERS_ESCORT: _Text(
        Outcome.REFUSED,
        "Entry {escort} is not registered as an escort of entry {entry_no}.",
        "受付番号 {escort} は受付番号 {entry_no} の伴走者として登録されていません。",
        "Remove it from the escort panel.",
        "伴走者欄から外してください。",
    ),
    ReasonCode.ESCORT_CANCELLED: _Text(
        Outcome.REFUSED,
        "Escort entry {escort} was cancelled by the organizer.",
        "伴走者（受付番号 {escort}）は主催者により取り消されています。",
        "Remove it from the escort panel; send the pair to the supervisor if they disagree.",
        "伴走者欄から外してください。納得されない場合は責任者へ案内してください。",
    ),
    ReasonCode.ESCORT_ALREADY_PICKED_UP: _Text(
        Outcome.SUPERVISOR,
        "Escort bib {bib} was already picked up at counter {station} on {date} at {time}.",
        "伴走者のナンバーカード {bib} は {date} {time} にカウンター {station} で受け取り済みです。",
        _SUPERVISOR_EN,
        _SUPERVISOR_JA,
    ),
    ReasonCode.ESCORT_STATE_PROBLEM: _Text(
        Outcome.SUPERVISOR,
        "Escort entry {escort}: {problem}.",
        "伴走者（受付番号 {escort}）：{problem}",
        _SUPERVISOR_EN,
        _SUPERVISOR_JA,
    ),
    ReasonCode.ESCORT_ID_NOT_CHECKED: _Text(
        Outcome.NEEDS_ID,
        "The ID of escort {escort} has not been checked yet.",
        "伴走者（受付番号 {escort}）の本人確認がまだです。",
        "Check the escort's original ID: name and date of birth ({birth_date}).",
        "伴走者の身分証の原本で氏名と生年月日（{birth_date}）を確認してください。",
    ),
    ReasonCode.ESCORT_ID_MISMATCH: _Text(
        Outcome.SUPERVISOR,
        "The ID of escort {escort} does not match the registration ({what}).",
        "伴走者（受付番号 {escort}）の身分証が登録と一致しません（{what}）。",
        "Hand nothing over. " + _SUPERVISOR_EN,
        "何も渡さないでください。" + _SUPERVISOR_JA,
    ),
    ReasonCode.ESCORT_ALSO_RUNNER: _Text(
        Outcome.READY,
        "Escort {escort} is also registered as runner {runner_entry}: hand over both bibs.",
        "伴走者（受付番号 {escort}）は選手（受付番号 {runner_entry}）としても登録されています。"
        "両方のナンバーカードを渡してください。",
        "Hand over the escort bib {escort_bib} and the runner bib {runner_bib}.",
        "伴走者用 {escort_bib} と選手用 {runner_bib} の両方を渡してください。",
    ),
    ReasonCode.ESCORT_RUNNER_BIB_HELD_BACK: _Text(
        Outcome.READY,
        "Escort {escort} is also runner {runner_entry}, whose bib is not handed over now: {problem}.",
        "伴走者（受付番号 {escort}）の選手用（受付番号 {runner_entry}）は今回お渡ししません：{problem}",
        "Hand over only the escort bib; the runner entry is checked on its own.",
        "伴走者用のみお渡しください。選手用は別途受付してください。",
    ),
    ReasonCode.ESCORT_IS_THE_RUNNER: _Text(
        Outcome.SUPERVISOR,
        "Escort {escort} is the runner {entry_no} themself; an escort is another person.",
        "伴走者（受付番号 {escort}）は選手（受付番号 {entry_no}）ご本人です。伴走者は別の方でなければなりません。",
        "Hand nothing over. " + _SUPERVISOR_EN,
        "何も渡さないでください。" + _SUPERVISOR_JA,
    ),
    ReasonCode.ESCORT_WITHDRAWN: _Text(
        Outcome.SUPERVISOR,
        "This runner's escort {escort} was {what}: supervisor.",
        "この選手の伴走者（{escort}）は{what}：責任者へ。",
        "Hand nothing over; the supervisor decides whether the runner runs without this escort. "
        + _SUPERVISOR_EN,
        "何も渡さないでください。伴走者なしで出走できるかは責任者が判断します。" + _SUPERVISOR_JA,
    ),
    ReasonCode.ALL_CHECKS_PASSED: _Text(
        Outcome.READY,
        "All checks passed.",
        "すべての確認が完了しました。",
        "Hand over: {bibs}.",
        "お渡しするもの：{bibs}",
    ),
}


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason: its code and outcome, and what the screen says (rendered only where shown)."""

    code: ReasonCode
    outcome: Outcome
    text: Text
    next: Text
    params: tuple[tuple[str, str], ...] = ()  # the parameters as codes (enum values, not words)

    @classmethod
    def of(cls, code: ReasonCode, **params: Param) -> Reason:
        template = TEXTS[code]
        return cls(
            code=code,
            outcome=template.outcome,
            text=template.text(**params),
            next=template.next(**params),
            params=tuple(sorted((key, plain(value)) for key, value in params.items())),
        )

    # the old style: rendered strings
    @property
    def text_ja(self) -> str:
        return self.text.render(Language.JA)

    @property
    def text_en(self) -> str:
        return self.text.render(Language.EN)

    @property
    def next_ja(self) -> str:
        return self.next.render(Language.JA)

    @property
    def next_en(self) -> str:
        return self.next.render(Language.EN)

    def param(self, name: str) -> str | None:
        return dict(self.params).get(name)

    @property
    def stops_flow(self) -> bool:
        return self.outcome is not Outcome.READY


class BibRole(StrEnum):
    RUNNER = "runner"
    ESCORT = "escort"


@dataclass(frozen=True, slots=True)
class Handover:
    """One bib to hand over when the verdict is READY (and so one pickup fact)."""

    entry_no: str
    bib: str
    role: BibRole


@dataclass(frozen=True, slots=True)
class Verdict:
    outcome: Outcome
    reasons: tuple[Reason, ...]
    handovers: tuple[Handover, ...] = ()  # empty unless READY

    @classmethod
    def of(cls, reasons: tuple[Reason, ...], handovers: tuple[Handover, ...] = ()) -> Verdict:
        outcome = max((r.outcome for r in reasons), key=lambda o: o.severity, default=Outcome.READY)
        return cls(outcome, reasons, handovers if outcome is Outcome.READY else ())

    @property
    def codes(self) -> tuple[ReasonCode, ...]:
        return tuple(r.code for r in self.reasons)

    @property
    def headline(self) -> Reason | None:
        """The reason the band shows first: the first one that sets the outcome."""
        return next((r for r in self.reasons if r.outcome is self.outcome), None)

    @property
    def ready(self) -> bool:
        return self.outcome is Outcome.READY
