"""The participation confirmation: a short signed code the counter checks offline.

A code reads ``BS1:`` followed by Base45 (RFC 9285) of a small binary record:

    event tag   4 bytes   SHA-256("bib-station event " + event id)[:4]
    key id      4 bytes   SHA-256(public key)[:4], shown as 8 hex digits
    serial      varint    the entry's issue serial, 1, 2, ... (reissue bumps it)
    entry no    1 byte length + ASCII letters, digits and '-', at most 20
    signature   64 bytes  Ed25519 over a domain prefix, the full event id and
                          every byte above

Base45's alphabet is exactly the QR alphanumeric set, so the QR encodes it at
5.5 bits a character: a code is 127 characters for an 8-character entry
number and at most 151 (20 characters, the largest serial), and every code fits
QR version 6 at error correction M (41x41 modules, 154 characters). The event tag lets a
station say "another event" instead of "forged"; the signature covers the full
event id, so a tag collision still fails as forged. Nothing personal but the
entry number is in the code.

Verification needs the `cryptography` package. It is imported inside the
functions that sign or verify, so the rest of core (and parsing a code's
fields) works without it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from station.core.texts import Language, Text

FORMAT_VERSION = 1
PREFIX = f"BS{FORMAT_VERSION}:"
SIGNATURE_BYTES = 64
PUBLIC_KEY_BYTES = 32
MAX_ENTRY_CHARS = 20
MAX_SERIAL = 2**32 - 1
_TAG_BYTES = 4
_KEY_ID_BYTES = 4
_SIGNING_DOMAIN = b"bib-station confirmation v1\x00"
_ENTRY = re.compile(r"^[A-Za-z0-9-]{1,20}$")
_ENTRY_BYTES = re.compile(rb"^[A-Za-z0-9-]{1,20}$")
_VERSIONED = re.compile(rb"^BS(\d{1,3}):")
_MAX_PAYLOAD = _TAG_BYTES + _KEY_ID_BYTES + 5 + 1 + MAX_ENTRY_CHARS + SIGNATURE_BYTES
# Base45 turns 2 bytes into 3 characters.
MAX_CODE_CHARS = len(PREFIX) + (_MAX_PAYLOAD // 2) * 3 + (_MAX_PAYLOAD % 2) * 2


class CodeOutcome(StrEnum):
    """What a scanned code is. The value is the stable reason code (logs, facts, tests)."""

    VALID = "valid"
    UNSIGNED = "unsigned"  # a bare entry number, and the event accepts those
    UNSIGNED_NOT_ALLOWED = "unsigned_not_allowed"
    NOT_A_CONFIRMATION = "not_a_confirmation"  # some other QR code (a URL, a ticket ...)
    MALFORMED = "malformed"
    TRUNCATED = "truncated"
    OVERSIZED = "oversized"
    UNSUPPORTED_VERSION = "unsupported_version"
    WRONG_EVENT = "wrong_event"
    UNKNOWN_KEY = "unknown_key"
    RETIRED_KEY = "retired_key"
    FORGED = "forged"
    REVOKED = "revoked"


_MESSAGES: dict[CodeOutcome, Text] = {k: Text(ja, en) for k, (ja, en) in {
    CodeOutcome.VALID: ("有効な参加確認書です。", "Valid confirmation."),
    CodeOutcome.UNSIGNED: (
        "署名のない受付番号です。本人確認書類の確認だけが本人の証明になります。",
        "Unsigned entry number: the ID check is the only proof of identity.",
    ),
    CodeOutcome.UNSIGNED_NOT_ALLOWED: (
        "この大会では署名のない受付番号は使えません。氏名と本人確認書類で検索してください。",
        "This event does not accept bare entry numbers; find the runner by name and ID.",
    ),
    CodeOutcome.NOT_A_CONFIRMATION: (
        "参加確認書のQRコードではありません。参加確認書のQRコードを見せてもらってください。",
        "This QR code is not a participation confirmation; ask for the confirmation's QR code.",
    ),
    CodeOutcome.MALFORMED: (
        "QRコードの内容が壊れています。氏名と本人確認書類で検索してください。",
        "The confirmation code is damaged; find the runner by name and ID.",
    ),
    CodeOutcome.TRUNCATED: (
        "QRコードの内容が途中で切れています。もう一度読み取るか、氏名で検索してください。",
        "The confirmation code is incomplete; scan it again or find the runner by name.",
    ),
    CodeOutcome.OVERSIZED: (
        "参加確認書としては長すぎるコードです。氏名と本人確認書類で検索してください。",
        "The code is too long to be a confirmation; find the runner by name and ID.",
    ),
    CodeOutcome.UNSUPPORTED_VERSION: (
        "このステーションが知らない形式の参加確認書です。アプリを更新してください。",
        "This confirmation uses a newer format; update Bib Station on this counter.",
    ),
    CodeOutcome.WRONG_EVENT: (
        "別の大会の参加確認書です。",
        "This confirmation is for another event.",
    ),
    CodeOutcome.UNKNOWN_KEY: (
        "このステーションが知らない鍵で署名されています。イベントパッケージを更新するか、"
        "スーパーバイザーを呼んでください。",
        "Signed with a key this station does not know; update the event package "
        "or call a supervisor.",
    ),
    CodeOutcome.RETIRED_KEY: (
        "使用を停止した鍵で署名された参加確認書です。スーパーバイザーを呼んでください。",
        "Signed with a retired key, so no longer valid; call a supervisor.",
    ),
    CodeOutcome.FORGED: (
        "署名が一致しません。偽造の可能性があります。スーパーバイザーを呼んでください。",
        "The signature does not match: possibly forged. Call a supervisor.",
    ),
    CodeOutcome.REVOKED: (
        "この参加確認書は無効です（再発行または取消）。スーパーバイザーを呼んでください。",
        "This confirmation was revoked (reissued or cancelled); call a supervisor.",
    ),
}.items()}


@dataclass(frozen=True, slots=True)
class CodeCheck:
    """The verdict on one scanned code.

    `entry_no` is filled whenever the code names one, also for refusals (the
    supervisor wants to know which entry a forged code claims); trust it only
    when `accepted`.
    """

    outcome: CodeOutcome
    entry_no: str | None = None
    serial: int | None = None
    key_id: str | None = None
    version: int | None = None

    @property
    def accepted(self) -> bool:
        return self.outcome in (CodeOutcome.VALID, CodeOutcome.UNSIGNED)

    @property
    def id_check_is_only_proof(self) -> bool:
        """An unsigned code proves nothing; the ID document has to carry the check."""
        return self.outcome is CodeOutcome.UNSIGNED

    @property
    def reason_code(self) -> str:
        return self.outcome.value

    @property
    def text(self) -> Text:
        return _MESSAGES[self.outcome]

    def message(self, language: Language | str = Language.JA) -> str:
        """The old style: rendered in one language."""
        return self.text.render(language)


def outcome_text(outcome: CodeOutcome) -> Text:
    return _MESSAGES[outcome]


def outcome_message(outcome: CodeOutcome, language: Language | str = Language.JA) -> str:
    """The old style: rendered in one language."""
    return _MESSAGES[outcome].render(language)


@dataclass(frozen=True, slots=True)
class PublicKey:
    key_id: str
    raw: bytes  # the 32-byte Ed25519 public key
    retired: bool = False


@dataclass(frozen=True, slots=True)
class KeyRing:
    """What a station needs to verify codes: the event's keys and its revocations.

    `revoked` maps an entry number to the highest revoked serial: that serial
    and every older one are void.
    """

    event_id: str
    keys: Mapping[str, PublicKey] = field(default_factory=dict)
    revoked: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "keys", MappingProxyType(dict(self.keys)))
        object.__setattr__(self, "revoked", MappingProxyType(dict(self.revoked)))


@dataclass(frozen=True, slots=True)
class _Fields:
    """A v1 code taken apart, before any trust decision."""

    event_tag: bytes
    key_id: str
    serial: int
    entry_no: str
    signed_part: bytes
    signature: bytes


class _Refused(Exception):
    def __init__(self, outcome: CodeOutcome) -> None:
        self.outcome = outcome


# -- identities ----------------------------------------------------------------


def event_tag(event_id: str) -> bytes:
    return hashlib.sha256(b"bib-station event " + event_id.encode("utf-8")).digest()[:_TAG_BYTES]


def key_id_for(public_raw: bytes) -> str:
    if len(public_raw) != PUBLIC_KEY_BYTES:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return hashlib.sha256(public_raw).digest()[:_KEY_ID_BYTES].hex()


def valid_entry_no(entry_no: str) -> bool:
    return bool(_ENTRY.match(entry_no))


# -- making codes (the organizer) ------------------------------------------------


class Signer:
    """Signs confirmations with one private key (the organizer's side)."""

    def __init__(self, private_seed: bytes) -> None:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        self._key = Ed25519PrivateKey.from_private_bytes(private_seed)
        self.public_raw = self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.key_id = key_id_for(self.public_raw)

    def code(self, event_id: str, entry_no: str, serial: int) -> str:
        if not valid_entry_no(entry_no):
            raise ValueError(f"entry number {entry_no!r} cannot go into a confirmation")
        if not 1 <= serial <= MAX_SERIAL:
            raise ValueError(f"serial {serial} out of range")
        body = (
            event_tag(event_id)
            + bytes.fromhex(self.key_id)
            + _varint(serial)
            + bytes([len(entry_no)])
            + entry_no.encode("ascii")
        )
        signature = self._key.sign(_signed_message(event_id, body))
        return PREFIX + b45encode(body + signature)


def new_private_seed() -> bytes:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
    )

    key = Ed25519PrivateKey.generate()
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


# -- checking codes (the counter) ---------------------------------------------------


def is_confirmation(raw: bytes | str) -> bool:
    """Whether a scanned payload claims to be a versioned confirmation (BS<n>:),
    as opposed to a chip tag or another barcode."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else bytes(raw)
    return _VERSIONED.match(data.strip(b"\r\n\t\x00")[:8]) is not None


def check_code(raw: bytes | str, ring: KeyRing, *, allow_unsigned: bool) -> CodeCheck:
    """Decide what a scanned payload is. Never raises for any input."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else bytes(raw)
    data = data.strip(b"\r\n\t\x00")
    if not data:
        return CodeCheck(CodeOutcome.MALFORMED)
    versioned = _VERSIONED.match(data[:8])
    if versioned is None:
        return _bare_entry(data, allow_unsigned)
    version = int(versioned[1])
    if version != FORMAT_VERSION:
        return CodeCheck(CodeOutcome.UNSUPPORTED_VERSION, version=version)
    if len(data) > MAX_CODE_CHARS:
        return CodeCheck(CodeOutcome.OVERSIZED, version=version)
    try:
        parts = _parse_fields(data[versioned.end():])
    except _Refused as refused:
        return CodeCheck(refused.outcome, version=version)
    found = CodeCheck(
        CodeOutcome.VALID, parts.entry_no, parts.serial, parts.key_id, version
    )
    return _verify(found, parts, ring)


def _parse_fields(body: bytes) -> _Fields:
    try:
        payload = b45decode(body)
    except Base45Truncated:
        raise _Refused(CodeOutcome.TRUNCATED) from None
    except ValueError:
        raise _Refused(CodeOutcome.MALFORMED) from None
    head = _TAG_BYTES + _KEY_ID_BYTES
    if len(payload) < head:
        raise _Refused(CodeOutcome.TRUNCATED)
    tag, key_id = payload[:_TAG_BYTES], payload[_TAG_BYTES:head].hex()
    serial, at = _read_varint(payload, head)
    if serial < 1:
        raise _Refused(CodeOutcome.MALFORMED)
    if at >= len(payload):
        raise _Refused(CodeOutcome.TRUNCATED)
    length = payload[at]
    at += 1
    if not 1 <= length <= MAX_ENTRY_CHARS:
        raise _Refused(CodeOutcome.MALFORMED)
    entry = payload[at:at + length]
    if len(entry) < length:
        raise _Refused(CodeOutcome.TRUNCATED)
    if not _ENTRY_BYTES.match(entry):
        raise _Refused(CodeOutcome.MALFORMED)
    at += length
    signature = payload[at:]
    if len(signature) < SIGNATURE_BYTES:
        raise _Refused(CodeOutcome.TRUNCATED)
    if len(signature) > SIGNATURE_BYTES:
        raise _Refused(CodeOutcome.MALFORMED)
    return _Fields(tag, key_id, serial, entry.decode("ascii"), payload[:at], signature)


def _verify(found: CodeCheck, parts: _Fields, ring: KeyRing) -> CodeCheck:
    def refuse(outcome: CodeOutcome) -> CodeCheck:
        return CodeCheck(outcome, found.entry_no, found.serial, found.key_id, found.version)

    if parts.event_tag != event_tag(ring.event_id):
        return refuse(CodeOutcome.WRONG_EVENT)
    key = ring.keys.get(parts.key_id)
    if key is None:
        return refuse(CodeOutcome.UNKNOWN_KEY)
    # The signature first: a forgery that names a retired key or a revoked
    # serial is a forgery, and saying so matters more.
    if not verify_signature(key.raw, parts.signature, _signed_message(ring.event_id, parts.signed_part)):
        return refuse(CodeOutcome.FORGED)
    if key.retired:
        return refuse(CodeOutcome.RETIRED_KEY)
    if parts.serial <= ring.revoked.get(parts.entry_no, 0):
        return refuse(CodeOutcome.REVOKED)
    return found


def verify_signature(public_raw: bytes, signature: bytes, message: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def _bare_entry(data: bytes, allow_unsigned: bool) -> CodeCheck:
    # Registration services print the entry number alone, sometimes in
    # Shift_JIS with full-width digits.
    if len(data) > 4 * MAX_ENTRY_CHARS:
        return CodeCheck(CodeOutcome.NOT_A_CONFIRMATION)
    for encoding in ("utf-8", "cp932"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return CodeCheck(CodeOutcome.NOT_A_CONFIRMATION)
    entry = unicodedata.normalize("NFKC", text).strip()
    if not _ENTRY.match(entry):
        return CodeCheck(CodeOutcome.NOT_A_CONFIRMATION)
    outcome = CodeOutcome.UNSIGNED if allow_unsigned else CodeOutcome.UNSIGNED_NOT_ALLOWED
    return CodeCheck(outcome, entry_no=entry)


def _signed_message(event_id: str, body: bytes) -> bytes:
    return _SIGNING_DOMAIN + event_id.encode("utf-8") + b"\x00" + body


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _read_varint(data: bytes, at: int) -> tuple[int, int]:
    value, shift = 0, 0
    for i in range(5):
        if at + i >= len(data):
            raise _Refused(CodeOutcome.TRUNCATED)
        byte = data[at + i]
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            # One canonical form per serial: no padded encodings, nothing too big.
            if (i > 0 and byte == 0) or value > MAX_SERIAL:
                raise _Refused(CodeOutcome.MALFORMED)
            return value, at + i + 1
    raise _Refused(CodeOutcome.MALFORMED)


# -- Base45 (RFC 9285) ---------------------------------------------------------------

class Base45Truncated(ValueError):
    pass


_B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_B45_VALUE = {ord(c): i for i, c in enumerate(_B45)}


def b45encode(data: bytes) -> str:
    out = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        out.append(_B45[n % 45] + _B45[n // 45 % 45] + _B45[n // 2025])
    if len(data) % 2:
        n = data[-1]
        out.append(_B45[n % 45] + _B45[n // 45])
    return "".join(out)


def b45decode(text: bytes | str) -> bytes:
    """Strict: a canonical encoding only, so one payload has one code."""
    raw = text.encode("latin-1", "replace") if isinstance(text, str) else text
    try:
        values = [_B45_VALUE[c] for c in raw]
    except KeyError:
        raise ValueError("not a Base45 character") from None
    if len(values) % 3 == 1:
        # A stray last character: the text was cut (or padded) somewhere.
        raise Base45Truncated("Base45 text of a length no encoding produces")
    out = bytearray()
    for i in range(0, len(values) - 2, 3):
        n = values[i] + values[i + 1] * 45 + values[i + 2] * 2025
        if n > 0xFFFF:
            raise ValueError("Base45 triple out of range")
        out += n.to_bytes(2, "big")
    if len(values) % 3 == 2:
        n = values[-2] + values[-1] * 45
        if n > 0xFF:
            # What the first two characters of a cut-off triple look like.
            raise Base45Truncated("Base45 text ends inside a group")
        out.append(n)
    return bytes(out)
