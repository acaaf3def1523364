"""The event package's confirmation keys, issue serials and revocations.

Counters read the key ring (public keys + revocations) to verify codes
offline; the organizer's copy also records the serial last issued per entry,
so a reissue bumps it and revokes every older serial in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from station.core.confirmation import PUBLIC_KEY_BYTES, KeyRing, PublicKey, key_id_for
from station.core.errors import StationError
from station.core.payloads import RosterUpdatePayload
from station.store import fact_rows
from station.store.event_package import EventPackage
from station.store.organizer_facts import roster_updates
from station.store.sqlite import transaction

REISSUED = "reissued"


@dataclass(frozen=True, slots=True)
class KeyRecord:
    key_id: str
    public_raw: bytes
    added_at: str
    retired_at: str | None


@dataclass(frozen=True, slots=True)
class Issue:
    """One confirmation to be written: the entry, its new serial, the one it replaces."""

    entry_no: str
    serial: int
    replaces: int | None


def key_ring(package: EventPackage) -> KeyRing:
    conn = package.conn
    keys = {
        key_id: PublicKey(key_id, bytes(raw), retired is not None)
        for key_id, raw, retired in conn.execute(
            "SELECT key_id, public_key, retired_at FROM confirmation_key WHERE algorithm = 'ed25519'"
        )
    }
    revoked = dict(
        conn.execute("SELECT entry_no, max(serial) FROM revoked_confirmation GROUP BY entry_no")
    )
    return KeyRing(package.settings.event_id, keys, revoked)


def keys(package: EventPackage) -> list[KeyRecord]:
    rows = package.conn.execute(
        "SELECT key_id, public_key, added_at, retired_at FROM confirmation_key ORDER BY added_at"
    )
    return [KeyRecord(k, bytes(raw), added, retired) for k, raw, added, retired in rows]


def add_public_key(package: EventPackage, public_raw: bytes, *, now: dt.datetime | None = None) -> str:
    if len(public_raw) != PUBLIC_KEY_BYTES:
        raise StationError("That is not an Ed25519 public key (32 bytes); use the .public.pem file.")
    key_id = key_id_for(public_raw)
    with transaction(package.conn, package.path):
        row = package.conn.execute(
            "SELECT public_key FROM confirmation_key WHERE key_id = ?", (key_id,)
        ).fetchone()
        if row is not None:
            if bytes(row[0]) == public_raw:
                raise StationError(f"Key {key_id} is already in this event package.")
            raise StationError(
                f"Another key with id {key_id} is already in this event package; "
                "create a new key pair."
            )
        package.conn.execute(
            "INSERT INTO confirmation_key (key_id, algorithm, public_key, added_at)"
            " VALUES (?, 'ed25519', ?, ?)",
            (key_id, public_raw, _stamp(now)),
        )
    return key_id


def retire_key(package: EventPackage, key_id: str, *, now: dt.datetime | None = None) -> None:
    """Codes signed with a retired key are refused from now on."""
    with transaction(package.conn, package.path):
        changed = package.conn.execute(
            "UPDATE confirmation_key SET retired_at = ? WHERE key_id = ? AND retired_at IS NULL",
            (_stamp(now), key_id),
        ).rowcount
    if not changed:
        raise StationError(f"No active key {key_id} in this event package; see `station keys list`.")


def issued_serials(package: EventPackage) -> dict[str, int]:
    return dict(package.conn.execute("SELECT entry_no, serial FROM confirmation_issued"))


def revoked_serials(package: EventPackage) -> dict[str, int]:
    return dict(
        package.conn.execute("SELECT entry_no, max(serial) FROM revoked_confirmation GROUP BY entry_no")
    )


def plan_issues(package: EventPackage, entry_nos: Iterable[str]) -> list[Issue]:
    """The next serial for each entry: above anything issued or revoked before."""
    issued = issued_serials(package)
    revoked = revoked_serials(package)
    plans = []
    for entry_no in entry_nos:
        previous = issued.get(entry_no)
        serial = max(previous or 0, revoked.get(entry_no, 0)) + 1
        plans.append(Issue(entry_no, serial, previous))
    return plans


def record_issues(
    package: EventPackage, issues: Iterable[Issue], key_id: str, *, now: dt.datetime | None = None
) -> int:
    """Record written confirmations; the ones they replace are revoked at once."""
    stamp = _stamp(now)
    issues = list(issues)
    with transaction(package.conn, package.path):
        package.conn.executemany(
            "INSERT INTO confirmation_issued (entry_no, serial, key_id, issued_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (entry_no) DO UPDATE SET serial = excluded.serial,"
            " key_id = excluded.key_id, issued_at = excluded.issued_at",
            [(i.entry_no, i.serial, key_id, stamp) for i in issues],
        )
        replaced = [i for i in issues if i.replaces is not None]
        package.conn.executemany(
            "INSERT OR IGNORE INTO revoked_confirmation (entry_no, serial, reason, revoked_at)"
            " VALUES (?, ?, ?, ?)",
            [(i.entry_no, i.serial - 1, REISSUED, stamp) for i in replaced],
        )
        _announce_revocations(package, [(i.entry_no, i.serial - 1, REISSUED) for i in replaced])
    return len(issues)


def _announce_revocations(package: EventPackage, revoked: list[tuple[str, int, str]]) -> None:
    """Revocations are organizer facts too, so counters whose package predates
    them refuse the old code once sync brings the fact."""
    facts = roster_updates(package, ((no, RosterUpdatePayload(change="confirmation_revoked", serial=serial,
                                                              reason=reason))
                                     for no, serial, reason in revoked), "organizer")
    fact_rows.insert(package.conn, "roster_fact", facts)


def revoke(package: EventPackage, entry_no: str, reason: str, *, now: dt.datetime | None = None) -> int:
    """Void every confirmation issued so far for the entry; returns the serial revoked up to."""
    if not reason.strip():
        raise StationError("Give a reason for the revocation (it is shown to the supervisor).")
    if package.entrant(entry_no) is None:
        raise StationError(f"Entry {entry_no} is not in this event; check the entry number.")
    serial = max(issued_serials(package).get(entry_no, 0), revoked_serials(package).get(entry_no, 0))
    if serial == 0:
        raise StationError(f"Entry {entry_no} has no confirmation issued; nothing to revoke.")
    with transaction(package.conn, package.path):
        package.conn.execute(
            "INSERT OR REPLACE INTO revoked_confirmation (entry_no, serial, reason, revoked_at)"
            " VALUES (?, ?, ?, ?)",
            (entry_no, serial, reason.strip(), _stamp(now)),
        )
        _announce_revocations(package, [(entry_no, serial, reason.strip())])
    return serial


def _stamp(now: dt.datetime | None) -> str:
    return (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat(timespec="seconds")
