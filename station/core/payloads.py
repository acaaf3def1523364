"""Fact payloads as typed, frozen values: one class per fact kind.

A fact's payload is stored and synced as a JSON object (its format does not
change here). These classes are how code reads and writes it: their fields
mirror the shapes in station/core/fact_check.py (SHAPES, REQUIRED), which stays
the validator at every door; `from_payload` trusts a payload that passed it.

- A field left at None is a key the payload does not have (no checked key
  holds null, except the two marked `Absent`, where null is a stored value).
- Lists are tuples here and lists again in `to_payload`.
- Keys a newer station added (and the authority's "proof") are kept, so
  `to_payload()` gives back exactly the dict that was stored.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, ClassVar, Self

from station.core.models import Fact, FactKind


class Absent(Enum):
    """A key the payload does not have, where None is a value it may hold."""

    ABSENT = "absent"


ABSENT = Absent.ABSENT

_FIELDS: dict[type, tuple[str, ...]] = {}
_NULLABLE: dict[type, frozenset[str]] = {}


def _keys(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = tuple(f.name for f in dataclasses.fields(cls) if f.name != "extra")
        _NULLABLE[cls] = frozenset(f.name for f in dataclasses.fields(cls) if f.default is ABSENT)
        _FIELDS[cls] = names
    return names


@dataclass(frozen=True, slots=True, kw_only=True)
class _Payload:
    KIND: ClassVar[FactKind]

    proof: Mapping[str, str] | None = field(default=None, hash=False)  # see station/core/authority.py
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)  # keys this version does not know

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        """The typed payload of a stored one (checked at the door by fact_check)."""
        names = _keys(cls)
        known: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in payload.items():
            if key in names:
                known[key] = tuple(value) if isinstance(value, list) else value
            else:
                extra[key] = value
        return cls(**known, extra=extra)

    def to_payload(self) -> dict[str, Any]:
        """The JSON object stored for this payload (exactly what was read)."""
        out: dict[str, Any] = {}
        names = _keys(type(self))
        nullable = _NULLABLE[type(self)]
        for name in names:
            value = getattr(self, name)
            if value is ABSENT or (value is None and name not in nullable):
                continue
            if isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, Mapping):
                value = dict(value)
            out[name] = value
        out.update(self.extra)
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class DecidedPayload(_Payload):
    """A supervisor's decision on an exception, carried by the facts it causes."""

    exception_id: str | None = None
    decision: str | None = None  # station.core.supervision.Decision's value
    supervisor_reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PickupPayload(DecidedPayload):
    KIND: ClassVar[FactKind] = FactKind.PICKUP
    bib: str | None = None
    role: str | None = None  # station.core.verdict's role value (runner, escort)
    runner: str | None = None  # the runner's entry number the pickup was made with
    found_by: str | None = None  # station.core.evidence.FoundBy's value
    items: tuple[str, ...] | None = None
    decided_offline: bool | None = None
    chip: str | None = None
    reprint: bool | None = None  # a supervisor's reprint: counts after a void


@dataclass(frozen=True, slots=True, kw_only=True)
class IdCheckedPayload(_Payload):
    KIND: ClassVar[FactKind] = FactKind.ID_CHECKED
    document: str | None = None
    name: str | None = None
    birth_date: str | None = None
    original: bool | None = None
    document_hash: str | Absent | None = ABSENT  # None: a document with no number to hash


@dataclass(frozen=True, slots=True, kw_only=True)
class EscortPairedPayload(DecidedPayload):
    KIND: ClassVar[FactKind] = FactKind.ESCORT_PAIRED
    escorts: tuple[str, ...] | None = None
    certificate_seen: bool | None = None
    by_supervisor: bool | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BibPrintedPayload(_Payload):
    KIND: ClassVar[FactKind] = FactKind.BIB_PRINTED
    copy: int | None = None
    printer: str | None = None
    layout: str | None = None
    bib: str | None = None
    job_id: str | None = None
    reprint_of: str | None = None
    moved_from: tuple[str, ...] | None = None  # the printers that failed first


@dataclass(frozen=True, slots=True, kw_only=True)
class ExceptionOpenedPayload(_Payload):
    KIND: ClassVar[FactKind] = FactKind.EXCEPTION_OPENED
    reason: str | None = None
    note: str | None = None
    codes: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ExceptionClaimedPayload(_Payload):
    KIND: ClassVar[FactKind] = FactKind.EXCEPTION_CLAIMED
    exception_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ExceptionResolvedPayload(_Payload):
    KIND: ClassVar[FactKind] = FactKind.EXCEPTION_RESOLVED
    exception_id: str
    decision: str | None = None
    supervisor_reason: str | None = None
    ground: str | None = None
    nickname: str | None = None
    escorts: tuple[str, ...] | None = None
    keep_pickup: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class OverridePayload(DecidedPayload):
    KIND: ClassVar[FactKind] = FactKind.OVERRIDE
    ground: str | None = None
    codes: tuple[str, ...] | None = None
    nickname: str | None = None
    reprint: bool | None = None
    keep_pickup: str | None = None  # the pickup that counts, resolving a double pickup


@dataclass(frozen=True, slots=True, kw_only=True)
class VoidPayload(DecidedPayload):
    KIND: ClassVar[FactKind] = FactKind.VOID
    voids: str | None = None
    what: str | None = None  # "bib_copy": one printed copy; otherwise the bib handed out
    copy: int | Absent | None = ABSENT
    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RosterUpdatePayload(_Payload):
    KIND: ClassVar[FactKind] = FactKind.ROSTER_UPDATE
    change: str  # added, changed, cancelled, reinstated, loaded, confirmation_revoked, escort_refused, ...
    entrant: Mapping[str, Any] | None = field(default=None, hash=False)
    fields: Mapping[str, Any] | None = field(default=None, hash=False)
    previous: Mapping[str, Any] | None = field(default=None, hash=False)
    serial: int | None = None
    reason: str | None = None
    entrants: int | None = None
    sha256: str | None = None
    escort: str | None = None  # escort_refused: the escort's entry number, its file line, the refusal's code
    line: int | None = None
    why: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PrinterPoolPayload(_Payload):
    KIND: ClassVar[FactKind] = FactKind.PRINTER_POOL
    change: str | None = None
    printer: str | None = None
    to: str | None = None
    problem: str | None = None
    detail: str | None = None
    job_id: str | None = None
    bib: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SignInPayload(_Payload):
    KIND: ClassVar[FactKind] = FactKind.SIGN_IN
    at: str
    ok: bool


Payload = (PickupPayload | IdCheckedPayload | EscortPairedPayload | BibPrintedPayload
           | ExceptionOpenedPayload | ExceptionClaimedPayload | ExceptionResolvedPayload
           | OverridePayload | VoidPayload | RosterUpdatePayload | PrinterPoolPayload | SignInPayload)

PAYLOAD_CLASSES: Mapping[FactKind, type[Payload]] = {
    cls.KIND: cls for cls in (
        PickupPayload, IdCheckedPayload, EscortPairedPayload, BibPrintedPayload, ExceptionOpenedPayload,
        ExceptionClaimedPayload, ExceptionResolvedPayload, OverridePayload, VoidPayload,
        RosterUpdatePayload, PrinterPoolPayload, SignInPayload,
    )
}


def payload_keys(cls: type[Payload]) -> frozenset[str]:
    """The payload keys a class has fields for (without "proof")."""
    return frozenset(_keys(cls)) - {"proof"}


def payload_of(fact: Fact) -> Payload:
    """The fact's payload as its kind's typed value."""
    return PAYLOAD_CLASSES[fact.kind].from_payload(fact.payload)
