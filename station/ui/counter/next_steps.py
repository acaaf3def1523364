"""What the volunteer does next when a scanned code is refused: every refusal
has a next step. (Bilingual pairs in the style of core's texts, so the text
catalogue can take them over.)"""

from __future__ import annotations

from station.core.confirmation import CodeOutcome

_SEARCH_JA = "氏名で検索し [F2]、本人確認書類を確認してください。"
_SEARCH_EN = "Search by name [F2] and check the ID."
_SUPERVISOR_JA = "ランナーにお待ちいただき、F9 で責任者に送ってください。"
_SUPERVISOR_EN = "Ask the runner to wait and press F9 to send it to the supervisor."

CODE_NEXT: dict[CodeOutcome, tuple[str, str]] = {
    CodeOutcome.UNSIGNED_NOT_ALLOWED: (_SEARCH_JA, _SEARCH_EN),
    CodeOutcome.NOT_A_CONFIRMATION: (
        "メールやアプリの参加確認書のQRコードを見せてもらうか、" + _SEARCH_JA,
        "Ask for the confirmation's QR code (email or app), or " + _SEARCH_EN[0].lower() + _SEARCH_EN[1:],
    ),
    CodeOutcome.MALFORMED: ("もう一度読み取るか、" + _SEARCH_JA, "Scan it again, or " + _SEARCH_EN.lower()),
    CodeOutcome.TRUNCATED: ("画面を明るくしてもう一度読み取るか、" + _SEARCH_JA,
                            "Scan it again with the screen brighter, or " + _SEARCH_EN.lower()),
    CodeOutcome.OVERSIZED: (_SEARCH_JA, _SEARCH_EN),
    CodeOutcome.UNSUPPORTED_VERSION: (
        "このランナーは " + _SEARCH_JA[:-1] + "。アプリの更新は責任者に伝えてください。",
        _SEARCH_EN[:-1] + " for this runner; tell the supervisor this counter needs an update.",
    ),
    CodeOutcome.WRONG_EVENT: (
        "この大会の参加確認書（メールまたはアプリ）を見せてもらってください。"
        "見つからなければ" + _SEARCH_JA,
        "Ask the runner for this event's confirmation (email or app); if they cannot find it, "
        + _SEARCH_EN[0].lower() + _SEARCH_EN[1:],
    ),
    CodeOutcome.UNKNOWN_KEY: (_SUPERVISOR_JA, _SUPERVISOR_EN),
    CodeOutcome.RETIRED_KEY: (_SUPERVISOR_JA, _SUPERVISOR_EN),
    CodeOutcome.FORGED: ("何も渡さず、" + _SUPERVISOR_JA, "Hand nothing over. " + _SUPERVISOR_EN),
    CodeOutcome.REVOKED: ("何も渡さず、" + _SUPERVISOR_JA, "Hand nothing over. " + _SUPERVISOR_EN),
}


def code_next_step(outcome: CodeOutcome) -> tuple[str, str]:
    return CODE_NEXT.get(outcome, (_SEARCH_JA, _SEARCH_EN))
