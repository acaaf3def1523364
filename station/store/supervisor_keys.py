"""Supervisors' signing keys, sealed in the event package under their PIN.

Each supervisor has an Ed25519 key. The public half is in the package for
every station and the hub to verify decisions; the private half is sealed
(ChaCha20-Poly1305) under a 256-bit key derived from the supervisor's PIN by
argon2id (salted, parameters stored with it). Signing in unseals it into the
station's memory (StationLog.supervisor_seeds) for the session; decisions
the supervisor records are signed as they are made (StationLog.new_fact).
The cost of an offline search of a stolen package is worked out in
docs/SUPERVISOR.md (supervisor PINs are at least 10 digits for this reason).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

from station.core.errors import StationError
from station.store.event_package import EventPackage

SEED_BYTES = 32


@dataclass(frozen=True, slots=True)
class Kdf:
    """argon2id parameters: time cost, memory in KiB, lanes."""

    t: int = 3
    m: int = 65536  # 64 MiB
    p: int = 4

    def derive(self, pin: str, salt: bytes) -> bytes:
        from argon2.low_level import Type, hash_secret_raw

        return hash_secret_raw(pin.encode("utf-8"), salt, self.t, self.m, self.p, 32, Type.ID)


STRONG = Kdf()


def _aad(event_id: str, supervisor_id: str) -> bytes:
    return f"bib-station supervisor key v1\x00{event_id}\x00{supervisor_id}".encode()


def seal_new_key(package: EventPackage, supervisor_id: str, pin: str, kdf: Kdf = STRONG) -> bytes:
    """Make the supervisor a new signing key sealed under `pin`; returns the public key.
    Call inside the enrolment's transaction."""
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    from station.core.confirmation import Signer, new_private_seed

    seed = new_private_seed()
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    sealed = ChaCha20Poly1305(kdf.derive(pin, salt)).encrypt(
        nonce, seed, _aad(package.settings.event_id, supervisor_id))
    public = Signer(seed).public_raw
    package.conn.execute(
        "INSERT OR REPLACE INTO supervisor_key (supervisor_id, public_key, sealed_key, salt, nonce, kdf) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (supervisor_id, public, sealed, salt, nonce, json.dumps({"t": kdf.t, "m": kdf.m, "p": kdf.p})),
    )
    return public


def unseal(package: EventPackage, supervisor_id: str, pin: str) -> bytes | None:
    """The supervisor's private seed, or None (no key, or not this PIN)."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    row = package.conn.execute(
        "SELECT sealed_key, salt, nonce, kdf FROM supervisor_key WHERE supervisor_id = ?", (supervisor_id,)
    ).fetchone()
    if row is None:
        return None
    sealed, salt, nonce, params = row
    try:
        kdf = Kdf(**{k: int(v) for k, v in json.loads(params).items()})
        return ChaCha20Poly1305(kdf.derive(pin, salt)).decrypt(
            nonce, sealed, _aad(package.settings.event_id, supervisor_id))
    except (InvalidTag, ValueError, TypeError):
        return None


def public_keys(package: EventPackage) -> dict[str, bytes]:
    """supervisor id -> raw public key, for verifying decisions."""
    return {r[0]: bytes(r[1]) for r in package.conn.execute(
        "SELECT supervisor_id, public_key FROM supervisor_key")}


def require_key(package: EventPackage, supervisor_id: str) -> None:
    if supervisor_id not in public_keys(package):
        raise StationError(f"Supervisor {supervisor_id} has no signing key; enrol them again "
                           "(`station supervisors add`) so their decisions can be proved.")
