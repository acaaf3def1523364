"""The word catalogue: every enum value that can appear inside a sentence, in both languages.

A sentence (station/core/texts.py `Text`) whose parameter is an enum member
renders it through `WORDS`, in the sentence's language, so a Japanese screen
never shows `double_pickup` or `runner`. Add the words of a new member here;
tests/unit/test_texts_catalogue.py fails for a member without words.

Also here: the few clauses that fill other sentences (`IdField`, the reasons
an escort's own runner bib is held back).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum, StrEnum
from types import MappingProxyType

from station.core.confirmation import CodeOutcome
from station.core.evidence import DocumentType, FoundBy, Match
from station.core.fact_check import Refusal
from station.core.ledger import Conflict, PickupStatus
from station.core.models import Category
from station.core.supervision import Decision, Ground, reason_param
from station.core.texts import Text
from station.core.verdict import BibRole, Outcome, ReasonCode


class IdField(StrEnum):
    """A field of an ID document compared with the registration."""

    NAME = "name"
    BIRTH_DATE = "birth_date"


class CaseNote(StrEnum):
    """A note a station writes on a supervisor's case itself (a volunteer's note is
    their own words, shown as typed). The value is what facts hold since the first version."""

    FOUND_BY_SYNC = "found by sync"  # a conflict sync derived, opened when a supervisor takes it


# One bib in ALL_CHECKS_PASSED's {bibs}: the bib and whose it is.
HANDOVER_ITEM = Text("{bib}（{role}）", "{bib} ({role})")

# How long a case has waited (the supervisor's queue).
WAITED_MINUTES = Text("{minutes} 分", "{minutes} min")
WAITED_HOURS = Text("{hours} 時間 {minutes} 分", "{hours} h {minutes} min")

# Clauses for ESCORT_RUNNER_BIB_HELD_BACK's {problem} (why the escort's own runner bib waits).
HELD_BACK_CANCELLED = Text("エントリーが取り消されています", "the entry was cancelled")
HELD_BACK_PICKED_UP = Text("{date} {time} にカウンター {station} で受け取り済みです",
                           "picked up at counter {station} {date} {time}")
HELD_BACK_VOIDED = Text("ナンバーカードが無効になっています", "the bib was voided")
HELD_BACK_NOT_ELIGIBLE = Text("参加資格の条件を満たしていません", "not eligible")

# The note on a queue row for one ID document shown for two entries at counters that were apart.
SAME_DOCUMENT_AS = Text("受付番号 {entries} と同じ身分証", "same document as entry {entries}")


Key = tuple[type[Enum], object]


def key(member: Enum) -> Key:
    """Members of two StrEnums with the same value are equal as strings; the key keeps them apart."""
    return (type(member), member.value)


def _table(pairs: Mapping[Enum, tuple[str, str]]) -> dict[Key, Text]:
    """From (ja, en) pairs."""
    return {key(member): Text(ja, en) for member, (ja, en) in pairs.items()}


_WORDS: dict[Key, Text] = {}

_WORDS |= _table({
    Conflict.DOUBLE_PICKUP: ("二重の受け取り", "double pickup"),
    Conflict.PICKUP_AFTER_VOID: ("無効化後の受け取り", "pickup after the bib was voided"),
    PickupStatus.WAITING: ("未受け取り", "not picked up"),
    PickupStatus.PICKED_UP: ("受け取り済み", "picked up"),
    PickupStatus.VOIDED: ("無効化済み", "voided"),
    PickupStatus.CANCELLED: ("取り消し", "cancelled"),
    BibRole.RUNNER: ("選手用", "runner"),
    BibRole.ESCORT: ("伴走者用", "escort"),
    FoundBy.SIGNED_QR: ("署名付きの参加確認書", "a signed confirmation"),
    FoundBy.UNSIGNED_CODE: ("署名なしのコード", "an unsigned code"),
    FoundBy.SEARCH: ("検索", "search"),
    IdField.NAME: ("氏名", "name"),
    IdField.BIRTH_DATE: ("生年月日", "date of birth"),
    Match.CONFIRMED: ("一致", "confirmed"),
    Match.MISMATCH: ("不一致", "mismatch"),
    Match.NOT_CHECKED: ("未確認", "not checked"),
    DocumentType.PASSPORT: ("旅券（パスポート）", "passport"),
    DocumentType.FOREIGN_ID_CARD: ("外国の身分証明書", "foreign ID card"),
    DocumentType.DRIVERS_LICENCE: ("運転免許証", "driver's licence"),
    DocumentType.MY_NUMBER_CARD: ("マイナンバーカード", "My Number card"),
    DocumentType.RESIDENCE_CARD: ("在留カード", "residence card"),
    DocumentType.HEALTH_INSURANCE_CARD: ("健康保険証", "health insurance card"),
    DocumentType.UNRECORDED: ("種類未記録の身分証", "ID of unrecorded type"),
    Category.ATHLETE: ("陸連登録", "registered athletes"),
    Category.GENERAL: ("一般", "general"),
    Category.CHARITY: ("チャリティ枠", "charity"),
    Category.DISABILITY: ("障がい者", "para"),
    Category.YOUTH: ("ジュニア", "youth"),
    Category.FUN_RUN: ("ファンラン", "fun run"),
    Outcome.READY: ("お渡しできます", "ready"),
    Outcome.NEEDS_ESCORT: ("伴走者待ち", "waiting for the escort"),
    Outcome.NEEDS_ID: ("本人確認が必要", "ID needed"),
    Outcome.REFUSED: ("お渡しできません", "refused"),
    Outcome.SUPERVISOR: ("責任者対応", "supervisor"),
    CaseNote.FOUND_BY_SYNC: ("同期で見つかった記録の矛盾", "found by sync"),
})

# Decisions and grounds (the supervisor screen, blockers, the audit trail).
_WORDS |= _table({
    Decision.APPROVE_OVERRIDE: ("例外として承認", "approve an override"),
    Decision.REFUSE: ("お断り", "refuse"),
    Decision.FIX_NICKNAME: ("ニックネームを修正", "fix the nickname"),
    Decision.REPRINT_BIB: ("ナンバーカードを再発行", "reprint the bib"),
    Decision.REPAIR_ESCORTS: ("伴走者の組み合わせを修正", "repair the escorts"),
    Decision.VOID_BIB: ("ナンバーカードを無効化", "void the bib"),
    Decision.RESOLVE_DOUBLE_PICKUP: ("二重の受け取りを解決", "resolve the double pickup"),
    Ground.NAME_CHANGED_BY_MARRIAGE: ("婚姻などによる氏名の変更", "name changed by marriage"),
    Ground.ROMANISATION_OR_KANJI_VARIANT: ("ローマ字表記・異体字の違い", "romanisation or kanji variant"),
    Ground.ROSTER_TYPO: ("申込時の入力誤り", "typo in the entry form"),
    Ground.ID_WITHOUT_MRZ_CHECKED_BY_HAND: ("読み取り欄のない身分証を目視で確認",
                                            "ID without MRZ checked by hand"),
    Ground.COPY_OF_ID_ACCEPTED: ("身分証の写しを認める", "copy of the ID accepted"),
    Ground.LATE_ARRIVAL_ACCEPTED: ("時間外の受付を認める", "late arrival accepted"),
    Ground.FOUND_BY_NAME_WITH_ID: ("氏名で検索し身分証原本で確認", "found by name, original ID seen"),
    Ground.CERTIFICATE_CONFIRMED_OTHERWISE: ("証明書を別の方法で確認", "certificate confirmed otherwise"),
    Ground.RUNS_WITHOUT_ESCORT_CONFIRMED: ("伴走者なしの出走を主催者が確認",
                                           "organizer confirmed: runs without escort"),
})

# Reasons as short names (the supervisor's queue, blockers that name a case's reason).
_WORDS |= _table({
    ReasonCode.ESCORT_ALONE: ("伴走者のみの来場", "escort alone"),
    ReasonCode.ENTRY_CANCELLED: ("取り消されたエントリー", "entry cancelled"),
    ReasonCode.STATE_CONFLICT: ("記録の矛盾", "conflict in the log"),
    ReasonCode.ALREADY_PICKED_UP: ("受け取り済み", "already picked up"),
    ReasonCode.BIB_VOIDED: ("無効なナンバーカード", "bib voided"),
    ReasonCode.CONFIRMATION_REVOKED: ("無効な参加確認書", "confirmation revoked"),
    ReasonCode.UNSIGNED_CODE_NOT_ALLOWED: ("署名なしのコード", "unsigned code not allowed"),
    ReasonCode.OUTSIDE_WINDOW: ("受付時間外", "outside check-in hours"),
    ReasonCode.BORN_TOO_LATE: ("生年月日が対象外", "born too late"),
    ReasonCode.TOO_YOUNG: ("年齢制限", "too young"),
    ReasonCode.NOT_IN_PERSON: ("代理受付", "not in person"),
    ReasonCode.ID_NOT_CHECKED: ("本人確認未了", "ID not checked"),
    ReasonCode.ID_NOT_ORIGINAL: ("身分証が原本でない", "ID not original"),
    ReasonCode.NAME_MISMATCH: ("氏名の不一致", "name mismatch"),
    ReasonCode.BIRTH_DATE_MISMATCH: ("生年月日の不一致", "date of birth mismatch"),
    ReasonCode.DOCUMENT_USED_ELSEWHERE: ("身分証の重複使用", "ID used for another entry"),
    ReasonCode.ID_ONLY_PROOF: ("本人確認のみが証明", "ID is the only proof"),
    ReasonCode.ESCORT_MISSING: ("伴走者不在", "escort missing"),
    ReasonCode.CERTIFICATE_NOT_SEEN: ("証明書未確認", "certificate not seen"),
    ReasonCode.TOO_MANY_ESCORTS: ("伴走者が多すぎる", "too many escorts"),
    ReasonCode.NOT_THIS_RUNNERS_ESCORT: ("別の選手の伴走者", "not this runner's escort"),
    ReasonCode.ESCORT_CANCELLED: ("伴走者の取り消し", "escort cancelled"),
    ReasonCode.ESCORT_ALREADY_PICKED_UP: ("伴走者が受け取り済み", "escort already picked up"),
    ReasonCode.ESCORT_STATE_PROBLEM: ("伴走者の記録の問題", "escort record problem"),
    ReasonCode.ESCORT_ID_NOT_CHECKED: ("伴走者の本人確認未了", "escort ID not checked"),
    ReasonCode.ESCORT_ID_MISMATCH: ("伴走者の身分証の不一致", "escort ID mismatch"),
    ReasonCode.ESCORT_ALSO_RUNNER: ("伴走者が選手としても登録", "escort is also a runner"),
    ReasonCode.ESCORT_RUNNER_BIB_HELD_BACK: ("伴走者の選手用を保留", "escort's runner bib held back"),
    ReasonCode.ALL_CHECKS_PASSED: ("確認完了", "all checks passed"),
    ReasonCode.CARD_WITH_OTHER_ENTRY: ("番号が別の方に渡り済み", "number card with another entry"),
    ReasonCode.CARD_MOVED_AFTER_PICKUP: ("受け取り後の番号変更", "number changed after pickup"),
    ReasonCode.CASE_OPEN: ("責任者対応中の案件", "case open with a supervisor"),
    ReasonCode.CASE_REFUSED: ("責任者が受付不可と判断", "refused by a supervisor"),
    ReasonCode.BEING_HANDED_OUT: ("他のカウンターで受け渡し中", "being handed out at another counter"),
    ReasonCode.RACE_DAY: ("大会当日", "race day"),
    ReasonCode.ONE_DOCUMENT_TWO_PEOPLE: ("1つの身分証で2人", "one ID for two people"),
    ReasonCode.ESCORT_IS_THE_RUNNER: ("伴走者が選手本人", "escort is the runner"),
    ReasonCode.ESCORT_WITHDRAWN: ("伴走者の取り消し・不受理", "escort withdrawn"),
    CodeOutcome.VALID: ("有効な参加確認書", "valid confirmation"),
    CodeOutcome.UNSIGNED: ("署名のない受付番号", "unsigned entry number"),
    CodeOutcome.UNSIGNED_NOT_ALLOWED: ("署名のない受付番号（使用不可）", "unsigned number not allowed"),
    CodeOutcome.NOT_A_CONFIRMATION: ("参加確認書ではないコード", "not a confirmation"),
    CodeOutcome.MALFORMED: ("壊れたコード", "damaged code"),
    CodeOutcome.TRUNCATED: ("途中で切れたコード", "incomplete code"),
    CodeOutcome.OVERSIZED: ("長すぎるコード", "code too long"),
    CodeOutcome.UNSUPPORTED_VERSION: ("新しい形式の参加確認書", "newer confirmation format"),
    CodeOutcome.WRONG_EVENT: ("別の大会の参加確認書", "confirmation for another event"),
    CodeOutcome.UNKNOWN_KEY: ("不明な鍵の署名", "unknown signing key"),
    CodeOutcome.RETIRED_KEY: ("停止した鍵の署名", "retired signing key"),
    CodeOutcome.FORGED: ("偽造の疑い", "possibly forged"),
    CodeOutcome.REVOKED: ("無効になった参加確認書", "revoked confirmation"),
})

# Why a station set a fact aside at its door (the Station tab, the supervisors' dashboard).
_WORDS |= _table({
    Refusal.BAD_FACT_ID: ("記録番号が不正", "bad fact number"),
    Refusal.WRONG_EVENT: ("別の大会の記録", "fact of another event"),
    Refusal.BAD_STATION_ID: ("ステーション名が不正", "bad station name"),
    Refusal.BAD_VOLUNTEER_ID: ("担当者の番号が不正", "bad volunteer code"),
    Refusal.BAD_ENTRY_NO: ("受付番号が不正", "bad entry number"),
    Refusal.BAD_STAMP: ("時刻印が不正", "bad time stamp"),
    Refusal.STAMP_NODE_MISMATCH: ("時刻印が別のステーションのもの", "time stamp of another station"),
    Refusal.STAMP_IN_FUTURE: ("未来の時刻の記録", "stamped in the future"),
    Refusal.STAMP_TOO_EARLY: ("大会より前の時刻の記録", "stamped before the event"),
    Refusal.WALL_TIME_MISMATCH: ("時刻と時刻印の不一致", "clock time and stamp disagree"),
    Refusal.BACKDATED: ("さかのぼって書かれた記録", "back-dated"),
    Refusal.PAYLOAD_TOO_LARGE: ("内容が大きすぎる", "contents too large"),
    Refusal.BAD_PAYLOAD: ("内容が不正", "bad contents"),
    Refusal.NOT_YOUR_NAME: ("他のステーションの名前で書かれた記録", "written in another station's name"),
    Refusal.KIND_NOT_ALLOWED: ("書く権限のない種類の記録", "a kind this writer may not write"),
    Refusal.UNSIGNED: ("必要な署名がない", "signature missing"),
    Refusal.BAD_SIGNATURE: ("署名が一致しない", "signature does not match"),
    Refusal.UNKNOWN_KEY: ("知らない鍵による署名", "signed with a key this event does not know"),
})
# A fact that could not even be read (quarantine reason 'malformed').
REFUSAL_MALFORMED = Text("読み取れない記録", "unreadable fact")

WORDS: Mapping[Key, Text] = MappingProxyType(_WORDS)

# Every enum whose members appear as parameters; the catalogue test checks each has words.
WORDED: tuple[type[Enum], ...] = (Conflict, PickupStatus, BibRole, FoundBy, IdField, Match, DocumentType,
                                  Category, Outcome, Decision, Ground, ReasonCode, CodeOutcome, Refusal,
                                  CaseNote)


def category_words(category: str) -> Text:
    """A roster category as stored (its code) in words."""
    try:
        return _CODE(code=Category(category))
    except ValueError:
        return Text.same(category)


def waited(seconds: float) -> Text:
    minutes = int(seconds // 60)
    if minutes >= 60:
        return WAITED_HOURS(hours=minutes // 60, minutes=f"{minutes % 60:02d}")
    return WAITED_MINUTES(minutes=minutes)


def code_words(code: str) -> Text:
    """A reason code from a fact or the queue (a check-in reason, a scanned code's
    outcome, a conflict) as words; a code the catalogue does not know stays as it is."""
    return _CODE(code=reason_param(code))


def case_note(note: str) -> Text:
    """A case's note as shown: a station's own note in words, a volunteer's as typed."""
    try:
        return _CODE(code=CaseNote(note))
    except ValueError:
        return _CODE(code=note)  # a parameter, never a template: braces in a note stay as typed


def refusal_words(code: str) -> Text:
    """A quarantine reason (a fact_check.Refusal value, or 'malformed') in words;
    a reason the catalogue does not know stays as it is."""
    if code == "malformed":
        return REFUSAL_MALFORMED
    try:
        return _CODE(code=Refusal(code))
    except ValueError:
        return _CODE(code=code)


_CODE = Text("{code}", "{code}")
