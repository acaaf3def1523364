"""Signed facts: an Ed25519 signature in the payload's `proof` field.

The organizer's facts (roster updates) are signed with one of the event's
keys, the same kind of key that signs confirmations (`station keys new`), and
verified against the event package's public keys by the hub and by every
station. The signature covers every column of the fact with the payload
minus its `proof` field, behind a domain prefix, in one canonical JSON text:

    proof = {"key": <8-hex key id>, "sig": <base64url of 64 bytes>}
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import replace

from station.core.confirmation import key_id_for, verify_signature
from station.core.fact_check import Refusal
from station.core.models import Fact

PROOF = "proof"
_DOMAIN = b"bib-station fact v1\x00"


def signed_message(fact: Fact) -> bytes:
    payload = {k: v for k, v in fact.payload.items() if k != PROOF}
    body = [
        fact.fact_id, fact.kind.value, fact.event_id, fact.station_id, fact.volunteer_id,
        fact.wall_time.astimezone(dt.UTC).isoformat(timespec="milliseconds"),
        fact.stamp.encode(), fact.entry_no, payload,
    ]
    return _DOMAIN + json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sign_fact(fact: Fact, private_seed: bytes) -> Fact:
    """The fact with its proof (any older proof replaced)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    key = Ed25519PrivateKey.from_private_bytes(private_seed)
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    signature = key.sign(signed_message(fact))
    proof = {"key": key_id_for(public), "sig": base64.urlsafe_b64encode(signature).decode("ascii")}
    return replace(fact, payload={**{k: v for k, v in fact.payload.items() if k != PROOF}, PROOF: proof})


def proof_problem(fact: Fact, keys: Mapping[str, bytes]) -> tuple[Refusal, str] | None:
    """None when the fact carries a valid signature by one of `keys` (key id -> raw public key)."""
    proof = fact.payload.get(PROOF)
    if not isinstance(proof, dict) or not isinstance(proof.get("sig"), str):
        return Refusal.UNSIGNED, "the fact carries no signature; the organizer signs these"
    key = keys.get(str(proof.get("key", "")))
    if key is None:
        return Refusal.UNKNOWN_KEY, f"signed with key {str(proof.get('key'))[:16]!r}, not one of the event's"
    try:
        signature = base64.urlsafe_b64decode(proof["sig"].encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return Refusal.BAD_SIGNATURE, "the signature is not readable"
    if len(signature) != 64 or not verify_signature(key, signature, signed_message(fact)):
        return Refusal.BAD_SIGNATURE, "the signature does not match the fact"
    return None


def supervisor_proof_problem(fact: Fact, supervisor_keys: Mapping[str, bytes]) -> tuple[Refusal, str] | None:
    """None when the fact is signed by the key of the supervisor it names (volunteer id)."""
    public = supervisor_keys.get(fact.volunteer_id)
    if public is None:
        if not isinstance(fact.payload.get(PROOF), dict):
            return Refusal.UNSIGNED, "a supervisor's decision without a supervisor's signature"
        return Refusal.UNKNOWN_KEY, f"{fact.volunteer_id[:40]!r} is not a supervisor with a signing key"
    why = proof_problem(fact, {key_id_for(public): public})
    if why is not None and why[0] is Refusal.UNSIGNED:
        return Refusal.UNSIGNED, "a supervisor's decision without a supervisor's signature"
    return why
