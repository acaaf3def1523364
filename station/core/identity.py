"""Comparing an ID document with the registration, and what the station keeps of it.

The result is evidence for the volunteer, never an approval: names are not
covered by MRZ check digits (OBRIEN read as OBRIEM passes them), so anything
short of an exact match is shown as CLOSE, with the read name beside the
registered one.

Privacy: the station keeps the document type, the comparison's outcome and a
keyed hash of document number + issuing state (HMAC-SHA256 with a per-event
secret), which lets the rules notice one document shown for two entries
without keeping the number itself. Never the image.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from station.core.models import Entrant
from station.core.mrz import MrzRecord


class Outcome(StrEnum):
    MATCH = "match"          # name and date of birth agree
    CLOSE = "close"          # nearly: the volunteer looks at both and decides
    MISMATCH = "mismatch"    # a different person, or a different date of birth


class FieldResult(StrEnum):
    MATCH = "match"
    SWAPPED = "swapped"      # family and given names in the other order
    CLOSE = "close"
    MISMATCH = "mismatch"
    UNKNOWN = "unknown"      # nothing to compare (no Latin name registered ...)


class DocumentKind(StrEnum):
    PASSPORT = "passport"
    FOREIGN_ID_CARD = "foreign_id_card"
    JP_DRIVERS_LICENCE = "jp_drivers_licence"
    MY_NUMBER_CARD = "my_number_card"
    RESIDENCE_CARD = "residence_card"
    HEALTH_INSURANCE_CARD = "health_insurance_card"
    OTHER = "other"

    @property
    def has_mrz(self) -> bool:
        return self in (DocumentKind.PASSPORT, DocumentKind.FOREIGN_ID_CARD)


@dataclass(frozen=True, slots=True)
class IdComparison:
    outcome: Outcome
    name: FieldResult
    birth_date: FieldResult
    nationality: FieldResult
    read_name: str             # as on the document, for the volunteer
    registered_name: str
    expiry_date: dt.date | None
    expired: bool


@dataclass(frozen=True, slots=True)
class IdEvidence:
    """What the station records of an ID check: no image, no document number."""

    kind: DocumentKind
    outcome: Outcome | None     # None: checked by eye (no MRZ), the volunteer's call
    document_key: str | None    # keyed hash of number + issuing state; None without an MRZ
    expired: bool = False


# --- names -----------------------------------------------------------------

# Letters NFKD does not take apart (ICAO 9303 part 3, transliteration table).
_SPECIAL = {"ß": "SS", "Æ": "AE", "æ": "AE", "Ø": "O", "ø": "O", "Œ": "OE", "œ": "OE",
            "Ł": "L", "ł": "L", "Đ": "D", "đ": "D", "Þ": "TH", "þ": "TH", "Ð": "D", "ð": "D",
            "Ħ": "H", "ħ": "H", "ı": "I"}
# Umlauts have two accepted spellings in an MRZ: Ä -> AE or A.
_GERMAN = {"Ä": "AE", "Ö": "OE", "Ü": "UE", "ä": "AE", "ö": "OE", "ü": "UE"}


def transliterate(name: str, *, german: bool = False) -> str:
    """A registered Latin name as an MRZ would print it: A-Z, parts separated by spaces."""
    out = []
    for ch in name:
        if german and ch in _GERMAN:
            out.append(_GERMAN[ch])
        elif ch in _SPECIAL:
            out.append(_SPECIAL[ch])
        else:
            out.append("".join(c for c in unicodedata.normalize("NFKD", ch)
                               if not unicodedata.combining(c)))
    text = "".join(out).upper()
    text = re.sub(r"['’`.]", "", text)        # O'Brien -> OBRIEN, St. -> ST
    return " ".join(re.sub(r"[^A-Z]+", " ", text).split())


# Hepburn, Kunrei and passport spellings of the same Japanese sounds, reduced
# to one form. Order matters: long vowels before the consonant rules.
_ROMAJI = (
    (re.compile(r"OH(?![AEIOUY])"), "O"),     # OHNO -> ONO (but OHASHI keeps its H)
    (re.compile(r"OU|OO"), "O"),
    (re.compile(r"UU"), "U"),
    (re.compile(r"SHI"), "SI"), (re.compile(r"CHI"), "TI"), (re.compile(r"TSU"), "TU"),
    (re.compile(r"FU"), "HU"), (re.compile(r"JI"), "ZI"),
    (re.compile(r"SH(?=[AUO])"), "SY"), (re.compile(r"CH(?=[AUO])"), "TY"),
    (re.compile(r"J(?=[AUO])"), "ZY"),
    (re.compile(r"M(?=[BMP])"), "N"),         # HOMMA / HONMA, SHIMBASHI / SHINBASHI
)


def canonical(part: str) -> str:
    for pattern, repl in _ROMAJI:
        part = pattern.sub(repl, part)
    return part


def _parts(text: str) -> tuple[str, ...]:
    return tuple(canonical(p) for p in text.split() if p)


def _covers(registered: tuple[str, ...], read: tuple[str, ...], truncated: bool) -> bool:
    """Every registered part appears among the read ones (extra middle names allowed)."""
    if not registered:
        return False
    if "".join(registered) == "".join(read):  # VAN DER BERG vs VANDERBERG
        return True
    for i, part in enumerate(registered):
        if part in read:
            continue
        # A long name is cut at the field's end: its last read part is a prefix.
        if truncated and read and read[-1] and part.startswith(read[-1]) and \
                i == len(registered) - 1:
            continue
        return False
    return True


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def compare_names(record: MrzRecord, family_latin: str, given_latin: str) -> FieldResult:
    read_family = _parts(" ".join(record.family_names))
    read_given = _parts(" ".join(record.given_names))
    best = FieldResult.UNKNOWN
    for german in (False, True):
        family = _parts(transliterate(family_latin, german=german))
        given = _parts(transliterate(given_latin, german=german))
        if not family and not given:
            continue
        truncated = record.names_truncated
        if _covers(family, read_family, False) and (
                not given or _covers(given, read_given, truncated)):
            return FieldResult.MATCH
        if _covers(given, read_family, False) and (
                not family or _covers(family, read_given, truncated)):
            best = FieldResult.SWAPPED
            continue
        # All the registered parts in some order (family names held in the given field ...).
        if set(family + given) <= set(read_family + read_given):
            best = FieldResult.SWAPPED
            continue
        registered = "".join(sorted(family + given))
        read = "".join(sorted(read_family + read_given))
        straight = _similarity("".join(family) + "".join(given),
                               "".join(read_family) + "".join(read_given))
        if max(straight, _similarity(registered, read)) >= 0.8 and best is FieldResult.UNKNOWN:
            best = FieldResult.CLOSE
    return best if best is not FieldResult.UNKNOWN else FieldResult.MISMATCH


# ISO 3166 alpha-3 where the MRZ differs (ICAO: Germany is D).
_MRZ_STATES = {"D": "DEU"}


def compare(record: MrzRecord, entrant: Entrant, today: dt.date) -> IdComparison:
    if entrant.family_latin or entrant.given_latin:
        name = compare_names(record, entrant.family_latin, entrant.given_latin)
    else:
        name = FieldResult.UNKNOWN
    if record.birth_date is None:
        birth = FieldResult.UNKNOWN
    else:
        birth = FieldResult.MATCH if record.birth_date == entrant.birth_date \
            else FieldResult.MISMATCH
    registered_nat = entrant.nationality.strip().upper()
    read_nat = _MRZ_STATES.get(record.nationality, record.nationality)
    if not registered_nat or not read_nat:
        nationality = FieldResult.UNKNOWN
    else:
        nationality = FieldResult.MATCH if read_nat == registered_nat else FieldResult.MISMATCH
    if birth is FieldResult.MISMATCH or name is FieldResult.MISMATCH:
        outcome = Outcome.MISMATCH
    elif name in (FieldResult.MATCH, FieldResult.SWAPPED) and birth is FieldResult.MATCH:
        # A different nationality alone (dual citizens) is for the volunteer to see.
        outcome = Outcome.MATCH if nationality is not FieldResult.MISMATCH else Outcome.CLOSE
    else:
        outcome = Outcome.CLOSE
    expiry = record.expiry_date
    return IdComparison(
        outcome=outcome,
        name=name,
        birth_date=birth,
        nationality=nationality,
        read_name=" ".join(record.family_names) + ", " + " ".join(record.given_names),
        registered_name=f"{entrant.family_latin.upper()}, {entrant.given_latin}".strip(", "),
        expiry_date=expiry,
        expired=expiry is not None and expiry < today,
    )


# --- what is kept ----------------------------------------------------------

def document_key(secret: bytes, document_number: str, issuing_state: str) -> str:
    """HMAC-SHA256 of number + state under the event's secret (hex).

    Fillers and case are normalised so that the same document always gives
    the same key; without the secret the key reveals nothing.
    """
    if len(secret) < 16:
        raise ValueError("the per-event secret must be at least 16 bytes")
    number = document_number.upper().replace("<", "").strip()
    state = _MRZ_STATES.get(issuing_state.upper().strip("<"), issuing_state.upper().strip("<"))
    message = f"{state}:{number}".encode("ascii")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def evidence_from_mrz(record: MrzRecord, comparison: IdComparison, secret: bytes) -> IdEvidence:
    kind = DocumentKind.PASSPORT if record.is_passport else DocumentKind.FOREIGN_ID_CARD
    return IdEvidence(
        kind=kind,
        outcome=comparison.outcome,
        document_key=document_key(secret, record.document_number, record.issuing_state),
        expired=comparison.expired,
    )


def evidence_by_eye(kind: DocumentKind) -> IdEvidence:
    """A document without an MRZ (driver's licence, My Number card ...), checked by the volunteer."""
    return IdEvidence(kind=kind, outcome=None, document_key=None)
