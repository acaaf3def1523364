"""The hub's own SQLite file: every station's facts, in the order the hub took them in.

The hub's `seq` is the pull cursor. It is assigned inside a write transaction
that holds SQLite's one write lock (BEGIN IMMEDIATE), so facts commit in seq
order and a station reading "after 120" can never miss a fact that commits
later with a smaller number. Ingest is idempotent by fact id, and the derived
entry states are folded with the same `fold_entry` every station uses, so the
hub shows the same conflicts as the counters.

Used by the HTTP hub (one process, WAL, one connection behind a lock) and by
the central-SQLite hub on a shared folder (rollback journal, a connection per
operation; see docs/SYNC.md for why).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import shutil
import sqlite3
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from station.core.document_reuse import DocumentReuse
from station.core.errors import StationError
from station.core.fact_check import FactRefused, Refusal, payload_problem
from station.core.fact_proof import sign_fact
from station.core.ids import check_station_id
from station.core.ledger import EntryState, fold_entry
from station.core.models import Fact
from station.store import fact_rows
from station.store.document_reuse import hub_reuse
from station.store.event_package import EventPackage
from station.store.migrations import migrate
from station.store.sqlite import connect, transaction, translate
from station.sync import hub_door
from station.sync.protocol import (
    EntryView,
    HubHealth,
    HubSummary,
    PullBatch,
    PushResult,
    state_from_json,
    state_to_json,
)

log = logging.getLogger(__name__)

HUB_FILE = "hub.sqlite"
PACKAGE_FILE = "event.sqlite"
# Compared against when a station is unknown, so an unknown name costs the same time.
_NO_HASH = hashlib.sha256(b"no such station").hexdigest()


class StationExists(StationError):
    """`add-station` on a name that already has a code."""


class Access(StrEnum):
    OK = "ok"
    UNKNOWN = "unknown"  # no such station, or a wrong token
    REVOKED = "revoked"  # the right token, revoked by the hub operator
    OTHER_LAPTOP = "other-laptop"  # the code was already used by another laptop


@dataclass(frozen=True, slots=True)
class StationRow:
    name: str
    issued_at: str
    revoked_at: str | None
    laptop: str | None
    bound_at: str | None
    refused: int = 0  # uses from other laptops refused


def _is_wal(path: Path) -> bool:
    # Bytes 18-19 of a SQLite header are 2 when the file is in WAL mode.
    with path.open("rb") as f:
        header = f.read(20)
    return len(header) == 20 and header[18] == 2


def token_hash(token: str) -> str:
    # Tokens are 256 random bits, so a plain SHA-256 cannot be brute-forced;
    # a slow password hash would only slow every request down.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class HubStore:
    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self._lock = threading.RLock()
        info = dict(conn.execute("SELECT key, value FROM hub_info").fetchall())
        self.hub_id = info["hub_id"]
        self._keys_loaded = False
        self._keys: tuple[dict[str, bytes] | None, dict[str, bytes] | None] = (None, None)

    @classmethod
    def open(cls, path: Path, *, shared: bool | None = None, create: bool = True,
             busy_timeout_ms: int | None = None) -> HubStore:
        """`shared`: the file sits on a network share that other machines open
        too; use a rollback journal (WAL needs shared memory those shares lack).
        None: keep the journal the file already has (WAL for a new file)."""
        if shared is None:
            shared = path.is_file() and not _is_wal(path)
        conn = connect(path, wal=not shared, create=create)
        try:
            if busy_timeout_ms is not None:
                conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            if shared:
                # Other machines open this file over the network: no WAL there.
                conn.execute("PRAGMA journal_mode = DELETE")
            migrate(conn, path, "hub")
            # Only a new hub writes here: opening must not take the write lock
            # every time (on a share each lock is a network round trip).
            if not conn.execute("SELECT 1 FROM hub_info WHERE key = 'hub_id'").fetchone():
                with transaction(conn, path):
                    conn.execute(
                        "INSERT OR IGNORE INTO hub_info (key, value) VALUES ('hub_id', ?)",
                        (uuid.uuid4().hex,),
                    )
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise translate(exc, path) from exc
        except BaseException:
            conn.close()
            raise
        return cls(path, conn)

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    def __enter__(self) -> HubStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _info(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM hub_info WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @property
    def event_id(self) -> str | None:
        with self._lock:
            return self._info("event_id")

    # -- facts ----------------------------------------------------------------

    def event_keys(self) -> tuple[dict[str, bytes] | None, dict[str, bytes] | None]:
        """The organizer's keys (key id -> raw) and the supervisors' (id -> raw)
        from the published package; None for either the event has none of."""
        package = self.path.parent / PACKAGE_FILE
        if not package.is_file():
            return None, None
        from station.store.event_trust import organizer_keys, supervisor_keys

        opened = EventPackage.open(package)
        try:
            return organizer_keys(opened), supervisor_keys(opened)
        finally:
            opened.close()

    def _loaded_keys(self) -> tuple[dict[str, bytes] | None, dict[str, bytes] | None]:
        if not self._keys_loaded:  # only a batch with signed kinds needs them
            self._keys, self._keys_loaded = self.event_keys(), True
        return self._keys

    def _organizer_keys(self) -> dict[str, bytes] | None:
        return self._loaded_keys()[0]

    def _supervisor_keys(self) -> dict[str, bytes] | None:
        return self._loaded_keys()[1]

    def ingest(self, facts: Sequence[Fact], *, station: str | None, relay: bool = False) -> PushResult:
        """Take in a batch in one transaction, all or nothing. `station` is who
        sent it (None: the organizer's own roster facts). Every fact passes the
        door first (station/sync/hub_door.py); the first that fails refuses the
        batch with FactRefused naming it and the reason. `relay`: the station
        passes on facts it holds from others (anti-entropy)."""
        if not facts:
            return PushResult((), 0)
        with self._lock:
            try:
                with transaction(self.conn, self.path):
                    event_id = self._info("event_id")
                    if event_id is None:
                        event_id = facts[0].event_id
                        self.conn.execute(
                            "INSERT INTO hub_info (key, value) VALUES ('event_id', ?)", (event_id,)
                        )
                    for fact in facts:
                        if fact.event_id != event_id:
                            raise FactRefused(
                                fact.fact_id, Refusal.WRONG_EVENT,
                                f"the fact is for event {str(fact.event_id)[:60]!r} but this hub "
                                f"carries {event_id!r}; connect the station to its event's hub",
                            )
                    door = hub_door.hub_door(event_id, self._info("race_date"))
                    if station is not None and not relay:
                        # This station speaks for itself here: nobody relays in its name from now on.
                        self.conn.execute("INSERT OR IGNORE INTO hub_info (key, value) VALUES (?, '1')",
                                          (f"direct:{station}",))
                    hub_door.admit(self.conn, facts, station=station, door=door,
                                   organizer_keys=self._organizer_keys,
                                   supervisor_keys=self._supervisor_keys, relay=relay)
                    new = fact_rows.insert(self.conn, "fact", facts)
                    self._derive(new)
            except sqlite3.DatabaseError as exc:
                raise translate(exc, self.path) from exc
        return PushResult(tuple(f.fact_id for f in facts), len(new))

    def _derive(self, new: Sequence[Fact]) -> None:
        for entry_no in {f.entry_no for f in new if f.entry_no is not None}:
            state = fold_entry(entry_no, self._entry_facts(entry_no))
            self.conn.execute(
                "INSERT OR REPLACE INTO entry_state (entry_no, status, conflict, state) "
                "VALUES (?, ?, ?, ?)",
                (entry_no, state.status.value,
                 state.conflict.value if state.conflict else None, state_to_json(state)),
            )

    def _entry_facts(self, entry_no: str) -> list[Fact]:
        rows = self.conn.execute(
            f"SELECT {fact_rows.SELECT} FROM fact WHERE entry_no = ? ORDER BY stamp, fact_id",
            (entry_no,),
        )
        facts = []
        for row in rows:
            try:
                fact = fact_rows.from_row(row)
            except (ValueError, TypeError):
                continue  # a row the door would refuse (taken in before it existed): never folded
            if payload_problem(fact.kind, fact.payload) is None:
                facts.append(fact)
        return facts

    def pull(self, after: int, limit: int = 500) -> PullBatch:
        """Facts after the cursor in hub order, the caller's own included: a
        station reinstalled with an empty log gets its own pickups back."""
        with self._lock:
            rows = self.conn.execute(
                f"SELECT seq, {fact_rows.SELECT} FROM fact WHERE seq > ? ORDER BY seq LIMIT ?",
                (after, limit + 1),
            ).fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        cursor = rows[-1][0] if rows else after
        facts: list[Fact] = []
        unreadable: list[tuple[str, str, str]] = []
        for row in rows:
            try:
                facts.append(fact_rows.from_row(row[1:]))
            except (ValueError, TypeError) as exc:
                # A row taken in before the door existed: pass it on as it is;
                # the station sets it aside. It must not stop the pull.
                raw = json.dumps(dict(zip(fact_rows.COLUMNS, row[1:], strict=True)), default=str)
                unreadable.append((str(row[1])[:200], f"unreadable fact: {exc}"[:300], raw))
        return PullBatch(tuple(facts), cursor, more, self.hub_id, tuple(unreadable))

    def entry(self, entry_no: str) -> EntryView:
        with self._lock:
            facts = self._entry_facts(entry_no)
        return EntryView(fold_entry(entry_no, facts), tuple(facts))

    def entry_states(self) -> dict[str, EntryState]:
        with self._lock:
            rows = self.conn.execute("SELECT state FROM entry_state").fetchall()
        states = (state_from_json(r[0]) for r in rows)
        return {s.entry_no: s for s in states}

    def document_reuse(self, package: EventPackage | None) -> list[DocumentReuse]:
        """One ID document used for two entries, across every station's facts."""
        with self._lock:
            return hub_reuse(self.conn, package)

    def conflicts(self) -> list[EntryState]:
        with self._lock:
            rows = self.conn.execute(
                "SELECT state FROM entry_state WHERE conflict IS NOT NULL ORDER BY entry_no"
            ).fetchall()
        return [state_from_json(r[0]) for r in rows]

    def fact_ids(self) -> set[str]:
        with self._lock:
            return {r[0] for r in self.conn.execute("SELECT fact_id FROM fact")}

    def summary(self) -> HubSummary:
        """Per-station high stamps, and which stations it has never heard from directly."""
        with self._lock:
            high = hub_door.high_stamps(self.conn)
            provisioned = {r[0] for r in self.conn.execute("SELECT name FROM station WHERE revoked_at IS NULL")}
            direct = {r[0].removeprefix("direct:") for r in self.conn.execute(
                "SELECT key FROM hub_info WHERE key LIKE 'direct:%'")}
        silent = tuple(sorted(provisioned - direct))
        unknown = tuple(sorted(s for s in high if s not in provisioned and s != "organizer"))
        return HubSummary(self.hub_id, high, silent, unknown)

    def health(self, package: Path | None = None) -> HubHealth:
        with self._lock:
            count = self.conn.execute("SELECT count(*) FROM fact").fetchone()[0]
            event_id = self._info("event_id")
        size = package.stat().st_size if package is not None and package.is_file() else None
        return HubHealth(self.hub_id, event_id, count, size)

    # -- stations -------------------------------------------------------------

    def add_station(self, name: str, *, force: bool = False) -> str:
        """Issue a token for a station; returns the token. A name the hub already
        knows is refused unless `force` (the new token knocks the old laptop off)."""
        check_station_id(name)
        token = secrets.token_urlsafe(32)
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self._lock, transaction(self.conn, self.path):
            known = self.conn.execute("SELECT issued_at FROM station WHERE name = ?", (name,)).fetchone()
            if known and not force:
                raise StationExists(
                    f"Station {name!r} already has a code (issued {known[0]}). A new code knocks the "
                    f"laptop using it off the hub; pass --force to do that, or choose another name."
                )
            self.conn.execute(
                "INSERT OR REPLACE INTO station (name, token_hash, issued_at, revoked_at, laptop, bound_at) "
                "VALUES (?, ?, ?, NULL, NULL, NULL)",
                (name, token_hash(token), now),
            )
        return token

    def revoke_station(self, name: str) -> None:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self._lock, transaction(self.conn, self.path):
            changed = self.conn.execute(
                "UPDATE station SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", (now, name)
            ).rowcount
        if not changed:
            raise StationError(f"No active station named {name!r} on this hub; see `station hub stations`.")

    def stations(self) -> list[tuple[str, str, str | None]]:
        with self._lock:
            return self.conn.execute(
                "SELECT name, issued_at, revoked_at FROM station ORDER BY name"
            ).fetchall()

    def station_rows(self) -> list[StationRow]:
        with self._lock:
            rows = self.conn.execute(
                "SELECT name, issued_at, revoked_at, laptop, bound_at FROM station ORDER BY name"
            ).fetchall()
            refused = dict(self.conn.execute(
                "SELECT name, count(*) FROM station_refusal GROUP BY name").fetchall())
        return [StationRow(row[0], row[1], row[2], row[3], row[4], refused=refused.get(row[0], 0)) for row in rows]

    def refusals(self, name: str | None = None) -> list[tuple[str, str, str, str]]:
        """(station, laptop, at, reason) of refused uses, oldest first."""
        with self._lock:
            return self.conn.execute(
                "SELECT name, laptop, at, reason FROM station_refusal "
                "WHERE ? IS NULL OR name = ? ORDER BY id", (name, name)).fetchall()

    def authenticate(self, name: str, token: str) -> bool:
        with self._lock:
            row = self.conn.execute(
                "SELECT token_hash, revoked_at FROM station WHERE name = ?", (name,)
            ).fetchone()
        stored, revoked = row if row else (_NO_HASH, "unknown")
        matches = hmac.compare_digest(token_hash(token), stored)
        return matches and revoked is None

    def admit(self, name: str, token: str, laptop: str) -> Access:
        """May this laptop use station `name` with `token`? The first laptop that
        presents a valid token is bound to it (the code is used up); any other
        laptop is refused and the attempt recorded."""
        with self._lock:
            row = self.conn.execute(
                "SELECT token_hash, revoked_at, laptop FROM station WHERE name = ?", (name,)
            ).fetchone()
            stored, revoked, bound = row if row else (_NO_HASH, None, None)
            if not hmac.compare_digest(token_hash(token), stored) or row is None:
                return Access.UNKNOWN
            if revoked is not None:
                return Access.REVOKED
            if not laptop:
                return Access.UNKNOWN
            if bound == laptop:
                return Access.OK
            now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            with transaction(self.conn, self.path):
                if bound is None:
                    self.conn.execute("UPDATE station SET laptop = ?, bound_at = ? WHERE name = ?",
                                      (laptop, now, name))
                    return Access.OK
                self.conn.execute(
                    "INSERT INTO station_refusal (name, laptop, at, reason) VALUES (?, ?, ?, ?)",
                    (name, laptop, now, "code already used by another laptop"))
            log.warning("station %s: refused laptop %s, the code was already used by laptop %s",
                        name, laptop, bound)
            return Access.OTHER_LAPTOP

    # -- the organizer's side ---------------------------------------------------

    def take_roster_facts(self, package: EventPackage, private_seed: bytes | None = None) -> int:
        """Bring the organizer's roster facts (corrections, cancellations) into
        the hub so that they flow down to the stations; returns how many were new.
        `private_seed`: the organizer's key, to sign facts the package holds unsigned
        (an event with keys accepts only signed organizer facts)."""
        with self._lock:
            after = int(self._info("roster_seq") or 0)
            event_id = self._info("event_id")
        if event_id is not None and event_id != package.settings.event_id:
            raise StationError(
                f"{package.path} is for event {package.settings.event_id!r} but this hub "
                f"carries {event_id!r}; use a new hub folder for a new event."
            )
        rows = list(package.roster_facts(after))
        if private_seed is not None:
            rows = [(seq, fact if "proof" in fact.payload else sign_fact(fact, private_seed))
                    for seq, fact in rows]
        with self._lock, transaction(self.conn, self.path):
            self.conn.execute("INSERT OR REPLACE INTO hub_info (key, value) VALUES ('race_date', ?)",
                              (package.settings.race_date.isoformat(),))
        self._keys_loaded = False
        new = 0
        for start in range(0, len(rows), 1000):
            chunk = rows[start:start + 1000]
            new += self.ingest([fact for _, fact in chunk], station=None).new
        with self._lock, transaction(self.conn, self.path):
            self.conn.execute(
                "INSERT OR REPLACE INTO hub_info (key, value) VALUES ('event_id', ?)",
                (package.settings.event_id,),
            )
            if rows:
                self.conn.execute(
                    "INSERT OR REPLACE INTO hub_info (key, value) VALUES ('roster_seq', ?)",
                    (str(rows[-1][0]),),
                )
        return new


def publish_event(data_dir: Path, package_path: Path, *, shared: bool | None = None,
                  private_seed: bytes | None = None) -> int:
    """Put an event package in the hub folder (for stations to download) and
    its roster facts in the hub's log. Safe while the hub runs: the copy
    appears under its final name only when complete. Returns new roster facts."""
    package = EventPackage.open(package_path)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        target = data_dir / PACKAGE_FILE
        if package_path.resolve() != target.resolve():
            partial = target.with_suffix(".partial")
            partial.unlink(missing_ok=True)
            copy = sqlite3.connect(partial)
            try:
                package.conn.backup(copy)  # consistent even if the organizer is writing
            finally:
                copy.close()
            shutil.move(partial, target)
        with HubStore.open(data_dir / HUB_FILE, shared=shared) as hub:
            return hub.take_roster_facts(package, private_seed)
    finally:
        package.close()
