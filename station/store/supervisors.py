"""Supervisors: enrolment into the event package, PIN sign-in with lockout, idle sign-out.

The package keeps only an argon2id hash of each PIN (RFC 9106 parameters, as
argon2-cffi's defaults), because the package is copied to every counter and
a lost laptop must not give PINs away. A PIN has at least PIN_MIN_DIGITS
digits: even a slow hash cannot protect 10,000 four-digit PINs for long.

Every sign-in attempt is a fact (kind sign_in, payload at/ok) that syncs
like any other, so N failures within the window lock that supervisor id out
at every counter for the lockout time, and a success anywhere clears the
count. Time never runs back for the lockout: "now" is at least the latest
attempt the log knows of, so setting a laptop's clock back does not end it
(the old per-station table sign_in_failure is still read). An unknown id fails
like a wrong PIN and costs the same time, so the screen does not reveal which
ids exist.

Automatic sign-out after inactivity is the screen's timer; `Session` gives it
the rule (`expired`, `remaining`) so the timer holds no logic of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from station.core.errors import StationError
from station.core.models import FactKind
from station.core.payloads import SignInPayload
from station.core.texts import Language, Text
from station.store.event_package import EventPackage
from station.store.sqlite import transaction
from station.store.station_log import StationLog
from station.store.supervisor_keys import Kdf, seal_new_key, unseal

PIN_MIN_DIGITS = 10  # the PIN also seals the supervisor's signing key: see docs/SUPERVISOR.md
PIN_MAX_DIGITS = 12
IDLE_SIGN_OUT = dt.timedelta(minutes=3)


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    max_failures: int = 5
    window: dt.timedelta = dt.timedelta(minutes=15)  # failures older than this are forgotten
    lockout: dt.timedelta = dt.timedelta(minutes=5)


def locked_until(failures: Sequence[dt.datetime], now: dt.datetime, policy: LockoutPolicy) -> dt.datetime | None:
    """When the lockout ends, if these failures (any order) lock the id out now."""
    recent = sorted(f for f in failures if now - policy.window < f <= now)
    if len(recent) < policy.max_failures:
        return None
    until = recent[-1] + policy.lockout
    return until if until > now else None


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in supervisor at one station. Every supervisor fact carries
    `supervisor_id` as its volunteer_id: who did it."""

    supervisor_id: str
    name: str
    station_id: str
    signed_in_at: dt.datetime
    last_active: dt.datetime
    idle_limit: dt.timedelta = IDLE_SIGN_OUT

    def touched(self, now: dt.datetime) -> Session:
        return replace(self, last_active=max(now, self.last_active))

    def remaining(self, now: dt.datetime) -> dt.timedelta:
        return max(self.last_active + self.idle_limit - now, dt.timedelta(0))

    def expired(self, now: dt.datetime) -> bool:
        return self.remaining(now) == dt.timedelta(0)


class SignInOutcome(StrEnum):
    SIGNED_IN = "signed_in"
    WRONG_PIN = "wrong_pin"  # or an unknown id: the screen does not tell them apart
    LOCKED_OUT = "locked_out"


@dataclass(frozen=True, slots=True)
class SignIn:
    outcome: SignInOutcome
    session: Session | None = None
    locked_until: dt.datetime | None = None
    attempts_left: int = 0

    @property
    def text(self) -> Text:
        if self.outcome is SignInOutcome.SIGNED_IN:
            return _SIGNED_IN_AS(name=self.session.name) if self.session else _SIGNED_IN
        if self.outcome is SignInOutcome.LOCKED_OUT and self.locked_until:
            return _LOCKED_OUT(until=f"{self.locked_until:%H:%M}")
        return _WRONG_PIN(left=self.attempts_left)

    # the old style: rendered strings
    @property
    def text_en(self) -> str:
        return self.text.render(Language.EN)

    @property
    def text_ja(self) -> str:
        return self.text.render(Language.JA)


_SIGNED_IN_AS = Text("{name} としてサインインしました。", "Signed in as {name}.")
_SIGNED_IN = Text("サインインしました。", "Signed in.")
_LOCKED_OUT = Text("PIN の誤りが多すぎます。{until}（UTC）以降に再度お試しいただくか、他の責任者に依頼してください。",
                   "Too many wrong PINs. Try again after {until} (UTC), or ask another supervisor.")
_WRONG_PIN = Text("責任者 ID または PIN が違います。あと {left} 回でロックされます。",
                  "Wrong supervisor id or PIN. {left} attempt(s) left before a lockout.")
_PIN_NOT_DIGITS = Text("責任者の PIN は数字だけです。もう一度入力してください。",
                       "A supervisor PIN is digits only; type it again.")
_PIN_LENGTH = Text("責任者の PIN は {min_digits}～{max_digits} 桁です。別の PIN を選んでください。",
                   "A supervisor PIN has {min_digits} to {max_digits} digits; choose another.")
_PIN_TOO_EASY = Text("その PIN は推測されやすすぎます（同じ数字ばかり、または連番）。別の PIN を選んでください。",
                     "That PIN is too easy to guess (all the same digit or a run); choose another.")
_NEEDS_ID_AND_NAME = Text("責任者には ID と名前が必要です。", "A supervisor needs an id and a name.")


def check_pin(pin: str) -> None:
    if not pin.isdigit() or not pin.isascii():
        raise StationError(_PIN_NOT_DIGITS)
    if not PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS:
        raise StationError(_PIN_LENGTH(min_digits=PIN_MIN_DIGITS, max_digits=PIN_MAX_DIGITS))
    if len(set(pin)) == 1 or pin in "01234567890123" or pin in "98765432109876":
        raise StationError(_PIN_TOO_EASY)


def enrol(package: EventPackage, supervisor_id: str, name: str, pin: str,
          hasher: PasswordHasher | None = None, kdf: Kdf | None = None) -> None:
    """Add a supervisor to the event package, or give an existing one a new PIN
    (and a new signing key sealed under it)."""
    if not supervisor_id.strip() or not name.strip():
        raise StationError(_NEEDS_ID_AND_NAME)
    check_pin(pin)
    hasher = hasher or PasswordHasher()
    pin_hash = hasher.hash(pin)
    kdf = kdf or Kdf(hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    with transaction(package.conn, package.path):
        seal_new_key(package, supervisor_id.strip(), pin, kdf)
        package.conn.execute(
            "INSERT INTO supervisor (supervisor_id, name, pin_hash) VALUES (?, ?, ?) "
            "ON CONFLICT (supervisor_id) DO UPDATE SET name = excluded.name, pin_hash = excluded.pin_hash",
            (supervisor_id.strip(), name.strip(), pin_hash),
        )


def remove(package: EventPackage, supervisor_id: str) -> bool:
    with transaction(package.conn, package.path):
        gone = package.conn.execute("DELETE FROM supervisor WHERE supervisor_id = ?", (supervisor_id,))
    return gone.rowcount > 0


def supervisors(package: EventPackage) -> list[tuple[str, str]]:
    """(id, name) of every supervisor, for the sign-in screen's list."""
    return package.conn.execute("SELECT supervisor_id, name FROM supervisor ORDER BY name").fetchall()


class SupervisorSignIn:
    def __init__(self, package: EventPackage, log: StationLog, policy: LockoutPolicy | None = None,
                 hasher: PasswordHasher | None = None) -> None:
        self.package = package
        self.log = log
        self.policy = policy or LockoutPolicy()
        self.hasher = hasher or PasswordHasher()
        self._dummy = self.hasher.hash("not-a-pin")

    def failures(self, supervisor_id: str, now: dt.datetime) -> list[dt.datetime]:
        """Failed sign-ins for this id since its last success, at any counter (they
        are facts and sync), plus those an older version kept at this station."""
        since = (now - self.policy.window).astimezone(dt.UTC).isoformat(timespec="milliseconds")
        rows = self.log.conn.execute(
            "SELECT failed_at FROM sign_in_failure WHERE supervisor_id = ? AND failed_at > ?",
            (supervisor_id, since),
        )
        found = [dt.datetime.fromisoformat(r[0]) for r in rows]
        attempts = self.log.conn.execute(
            "SELECT json_extract(payload, '$.at'), json_extract(payload, '$.ok') FROM fact "
            "WHERE kind = ? AND volunteer_id = ? ORDER BY stamp, fact_id",
            (FactKind.SIGN_IN.value, supervisor_id),
        ).fetchall()
        for at, ok in attempts:
            if ok:
                found = []  # a success clears the count
                continue
            try:
                moment = dt.datetime.fromisoformat(str(at))
            except ValueError:
                continue
            if moment.tzinfo is not None and moment > now - self.policy.window:
                found.append(moment)
        return found

    def _now(self, now: dt.datetime) -> dt.datetime:
        """Never before the latest attempt this log knows of: setting the laptop's
        clock back does not end a lockout."""
        latest = self.log.conn.execute(
            "SELECT max(json_extract(payload, '$.at')) FROM fact WHERE kind = ?", (FactKind.SIGN_IN.value,)
        ).fetchone()[0]
        try:
            return max(now, dt.datetime.fromisoformat(latest)) if latest else now
        except (ValueError, TypeError):
            return now

    def _attempt(self, supervisor_id: str, now: dt.datetime, ok: bool) -> None:
        self.log.record(FactKind.SIGN_IN, volunteer_id=supervisor_id[:64],
                        payload=SignInPayload(at=now.astimezone(dt.UTC).isoformat(timespec="milliseconds"),
                                              ok=ok).to_payload())

    def sign_in(self, supervisor_id: str, pin: str, now: dt.datetime) -> SignIn:
        now = self._now(now)
        until = locked_until(self.failures(supervisor_id, now), now, self.policy)
        if until is not None:
            return SignIn(SignInOutcome.LOCKED_OUT, locked_until=until)
        row = self.package.conn.execute(
            "SELECT name, pin_hash FROM supervisor WHERE supervisor_id = ?", (supervisor_id,)
        ).fetchone()
        if self._verify(row[1] if row else self._dummy, pin) and row is not None:
            with transaction(self.log.conn, self.log.path):
                self.log.conn.execute("DELETE FROM sign_in_failure WHERE supervisor_id = ?", (supervisor_id,))
            self._attempt(supervisor_id, now, ok=True)
            seed = unseal(self.package, supervisor_id, pin)
            if seed is not None:  # the session's decisions are signed with it (StationLog.new_fact)
                self.log.supervisor_seeds[supervisor_id] = seed
            return SignIn(SignInOutcome.SIGNED_IN, Session(supervisor_id, row[0], self.log.station_id, now, now))
        self._attempt(supervisor_id, now, ok=False)  # a fact: every counter counts it
        failures = self.failures(supervisor_id, now)
        until = locked_until(failures, now, self.policy)
        if until is not None:
            return SignIn(SignInOutcome.LOCKED_OUT, locked_until=until)
        return SignIn(SignInOutcome.WRONG_PIN, attempts_left=self.policy.max_failures - len(failures))

    def sign_out(self, supervisor_id: str) -> None:
        """Forget the supervisor's unsealed signing key at this station."""
        self.log.supervisor_seeds.pop(supervisor_id, None)

    def _verify(self, pin_hash: str, pin: str) -> bool:
        try:
            return self.hasher.verify(pin_hash, pin)
        except (VerificationError, InvalidHashError):
            return False
