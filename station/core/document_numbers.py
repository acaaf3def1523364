"""A key for ID documents without an MRZ, from the number the volunteer types.

Only a keyed hash is kept (HMAC-SHA256 under the event's secret, as for
passports read from the MRZ): the number itself is never stored or sent.

Which numbers, and why (see docs/DESIGN.md, "Document keys"):

- driver's licence (運転免許証): the 12-digit licence number on the front.
- residence card (在留カード): the 12-character card number (2 letters,
  8 digits, 2 letters) at the top right of the front.
- passport or foreign ID card typed by hand (the camera could not read the
  MRZ): number and issuing state give the same key as the MRZ would.
- My Number card (マイナンバーカード): NO key. The only number that identifies
  the card is the Individual Number (個人番号), which an event may not collect
  (番号法 limits who may collect it, and a race is not among them); a keyed
  hash of a 12-digit number is no protection either (anyone holding the
  event's secret can try all 10^12). It is checked by eye only.
- health insurance card (健康保険証): NO key. Asking for the insured person's
  symbol and number outside health insurance is prohibited (告知要求制限,
  健康保険法 since 2020). Checked by eye only.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

from station.core.evidence import DocumentType
from station.core.identity import document_key
from station.core.texts import Text


class NotKeyable(Exception):
    """The typed number cannot (or may not) be used; the text says what to do."""

    def __init__(self, text: Text) -> None:
        super().__init__(str(text))
        self.text = text


_FORMATS: dict[DocumentType, tuple[re.Pattern[str], Text]] = {
    DocumentType.DRIVERS_LICENCE: (re.compile(r"\d{12}"), Text("12桁の数字", "12 digits")),
    DocumentType.RESIDENCE_CARD: (re.compile(r"[A-Z]{2}\d{8}[A-Z]{2}"),
                                  Text("英字2桁・数字8桁・英字2桁", "2 letters, 8 digits, 2 letters")),
    DocumentType.PASSPORT: (re.compile(r"[A-Z0-9]{6,9}"), Text("英数字6〜9桁", "6-9 letters and digits")),
    DocumentType.FOREIGN_ID_CARD: (re.compile(r"[A-Z0-9]{6,14}"), Text("英数字6〜14桁", "6-14 letters and digits")),
}

_NEVER = {
    DocumentType.MY_NUMBER_CARD: Text(
        "マイナンバーカードの番号は入力しないでください（個人番号は収集できません）。目視のみで確認してください。",
        "Do not type any number from a My Number card: the Individual Number may not be collected. "
        "Check the card by eye only."),
    DocumentType.HEALTH_INSURANCE_CARD: Text(
        "健康保険証の記号・番号は入力しないでください（告知要求制限）。目視のみで確認してください。",
        "Do not type the health insurance card's symbol or number (asking for it is prohibited). "
        "Check the card by eye only."),
}
_NO_NUMBER = Text("この種類の書類は番号を記録しません。目視で確認してください。",
                  "This kind of document has no number to key; check it by eye.")
_WRONG_SHAPE = Text("番号の形式が違います（{shape}）。入力内容を確認してください。",
                    "A {document} number is {shape}; check what was typed.")


def normalise(number: str) -> str:
    """Full-width digits and letters typed with the IME, spaces and hyphens removed."""
    text = unicodedata.normalize("NFKC", number).upper()
    return re.sub(r"[\s\-‐－]", "", text)


def typed_document_key(secret: bytes, document: DocumentType, number: str, issuing_state: str = "JPN") -> str:
    """The keyed hash of a typed document number, or NotKeyable saying why not."""
    if document in _NEVER:
        raise NotKeyable(_NEVER[document])
    if document not in _FORMATS:
        raise NotKeyable(_NO_NUMBER)
    text = normalise(number)
    pattern, shape = _FORMATS[document]
    if pattern.fullmatch(text) is None:
        raise NotKeyable(_WRONG_SHAPE(document=document.value.replace("_", " "), shape=shape))
    if document.has_mrz:
        return document_key(secret, text, issuing_state)  # the same key the MRZ reader makes
    if len(secret) < 16:
        raise ValueError("the per-event secret must be at least 16 bytes")
    return hmac.new(secret, f"{document.value}:{text}".encode("ascii"), hashlib.sha256).hexdigest()
