"""What the volunteer gathered at the counter, as plain frozen values.

The decision (station/core/rules.py) reads these and nothing else from the
counter. Comparing an MRZ with the registration is station/core/identity.py's
job; it reports here only its conclusion (name and date of birth confirmed,
mismatched or not checked) and the document's keyed hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FoundBy(StrEnum):
    SIGNED_QR = "signed_qr"  # a confirmation whose signature verified offline
    UNSIGNED_CODE = "unsigned_code"  # an entry or bib number typed or scanned without signature
    SEARCH = "search"  # found by name, bib or entry number in the roster search


class DocumentType(StrEnum):
    PASSPORT = "passport"
    FOREIGN_ID_CARD = "foreign_id_card"
    DRIVERS_LICENCE = "drivers_licence"  # 運転免許証
    MY_NUMBER_CARD = "my_number_card"  # マイナンバーカード
    RESIDENCE_CARD = "residence_card"  # 在留カード
    HEALTH_INSURANCE_CARD = "health_insurance_card"  # 健康保険証
    UNRECORDED = "unrecorded"  # an original ID checked by eye, its type not recorded (an escort's)

    @property
    def has_mrz(self) -> bool:
        """Documents whose fields are read from the machine-readable zone; the
        others are compared by the volunteer's eye."""
        return self in (DocumentType.PASSPORT, DocumentType.FOREIGN_ID_CARD)


class Match(StrEnum):
    """One comparison between the ID and the registration."""

    CONFIRMED = "confirmed"
    MISMATCH = "mismatch"
    NOT_CHECKED = "not_checked"


@dataclass(frozen=True, slots=True)
class IdCheck:
    """The ID shown for one person.

    `original` is True unless the volunteer marks the document as a copy (a
    photo on a phone, a photocopy): the counter asks for the exception, not
    for a third tick on every runner.
    `document_hash` is the keyed hash of the document number (identity.py);
    None when the number was not captured.
    """

    document: DocumentType
    name: Match = Match.NOT_CHECKED
    birth_date: Match = Match.NOT_CHECKED
    original: bool = True
    document_hash: str | None = None

    @property
    def confirmed(self) -> bool:
        return self.original and self.name is Match.CONFIRMED and self.birth_date is Match.CONFIRMED


@dataclass(frozen=True, slots=True)
class EscortEvidence:
    """An escort standing at the counter with the runner, and their ID."""

    entry_no: str
    id_check: IdCheck | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """Everything gathered for one check-in (the runner and escorts present).

    `in_person` is False when someone says they collect for another person.
    `confirmation_revoked` is set by whoever verified the QR against the event
    package's revoked confirmations. `handed_over` lists the items ticked on
    the Complete step (EventSettings.handover_items); the decision does not
    need it, the pickup fact records it.
    """

    found_by: FoundBy
    id_check: IdCheck | None = None
    in_person: bool = True
    confirmation_revoked: bool = False
    escorts: tuple[EscortEvidence, ...] = ()
    certificate_seen: bool = False
    handed_over: tuple[str, ...] = ()
    chip_tag: str = ""  # a separate timing chip's tag, scanned to pair it with the bib

    @property
    def escort_entries(self) -> tuple[str, ...]:
        return tuple(e.entry_no for e in self.escorts)

    def document_hashes(self) -> tuple[str, ...]:
        checks = [self.id_check, *(e.id_check for e in self.escorts)]
        return tuple(c.document_hash for c in checks if c is not None and c.document_hash)
