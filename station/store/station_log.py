"""A station's own SQLite file: the append-only log of facts, and what it derives.

One writer per file (the counter's store worker); readers may be anywhere.
Derived tables are updated in the same transaction as the facts they come
from, by folding all of an affected entry's facts again, so they always equal
what `rebuild` computes from the log alone.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

from station.core import audit
from station.core.authority import Writer, station_door_authority, writer_of
from station.core.errors import StationError
from station.core.fact_check import STATION_SKEW, Door, check_fact
from station.core.fact_proof import sign_fact
from station.core.hlc import HybridClock, Stamp
from station.core.ledger import (
    Conflict,
    EntryState,
    OpenException,
    PickupRecord,
    PickupStatus,
    fold_entry,
    open_exceptions,
)
from station.core.models import Fact, FactKind
from station.core.payloads import ExceptionResolvedPayload, IdCheckedPayload
from station.core.texts import Text
from station.store import fact_rows, quarantine
from station.store.migrations import migrate
from station.store.sqlite import connect, transaction, translate

_OTHER_LOG = Text(
    "{path} はイベント {event} のステーション {station} の記録で、"
    "イベント {wanted_event} のステーション {wanted_station} の記録ではありません。"
    "正しい記録ファイルを選んでください。",
    "{path} is the log of station {station} for event {event}, not of {wanted_station} for {wanted_event}; "
    "choose the right log file.")


@dataclass(frozen=True, slots=True)
class LogSummary:
    facts: int
    picked_up: int
    voided: int
    conflicts: int
    open_exceptions: int
    last_fact_at: dt.datetime | None


class StationLog:
    def __init__(self, path: Path, conn: sqlite3.Connection, station_id: str, event_id: str,
                 clock: HybridClock, utcnow: Callable[[], dt.datetime]) -> None:
        self.path = path
        self.conn = conn
        self.station_id = station_id
        self.event_id = event_id
        self.clock = clock
        self._utcnow = utcnow
        # No fact of the event before this (set from the event package's race day).
        self.earliest: dt.datetime | None = None
        # The event's public keys (key id -> raw): organizer facts must carry a
        # signature by one of them. None: not known here, signatures not checked.
        self.organizer_keys: dict[str, bytes] | None = None
        # supervisor id -> public key: supervisors' decisions must be signed by theirs.
        # None: the event has none (an older package), decisions not checked.
        self.supervisor_keys: dict[str, bytes] | None = None
        # Signed-in supervisors' unsealed keys (memory only): their decisions are signed.
        self.supervisor_seeds: dict[str, bytes] = {}

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        station_id: str,
        event_id: str,
        wall: Callable[[], int] | None = None,
        utcnow: Callable[[], dt.datetime] | None = None,
    ) -> StationLog:
        conn = connect(path, wal=True, create=True)
        migrate(conn, path, "station")
        info = dict(conn.execute("SELECT key, value FROM station_info").fetchall())
        if not info:
            with transaction(conn, path):
                conn.executemany(
                    "INSERT INTO station_info (key, value) VALUES (?, ?)",
                    [("station_id", station_id), ("event_id", event_id)],
                )
        elif info.get("event_id") != event_id or info.get("station_id") != station_id:
            conn.close()
            raise StationError(_OTHER_LOG(path=str(path), station=repr(info.get("station_id")),
                                          event=repr(info.get("event_id")), wanted_station=repr(station_id),
                                          wanted_event=repr(event_id)))
        _chain_older_facts(conn, path, station_id)
        top = conn.execute("SELECT max(stamp) FROM fact").fetchone()[0]
        last = Stamp.decode(top) if top else None
        clock = HybridClock(station_id, last, wall)
        return cls(path, conn, station_id, event_id, clock, utcnow or (lambda: dt.datetime.now(dt.UTC)))

    def close(self) -> None:
        self.conn.close()

    # -- writing ------------------------------------------------------------

    def new_fact(self, kind: FactKind, *, volunteer_id: str, entry_no: str | None = None,
                 payload: dict[str, Any] | None = None) -> Fact:
        """A local fact, stamped now; not yet in the log (pass it to `append`)."""
        now = self._utcnow()
        # Milliseconds, as stored: the fact read back equals the fact written.
        now = now.replace(microsecond=now.microsecond // 1000 * 1000)
        fact = Fact(
            fact_id=str(uuid.uuid4()),
            kind=kind,
            event_id=self.event_id,
            station_id=self.station_id,
            volunteer_id=volunteer_id,
            wall_time=now,
            stamp=self.clock.now(),
            entry_no=entry_no,
            payload=dict(payload or {}),
        )
        seed = self.supervisor_seeds.get(volunteer_id)
        if seed is not None and writer_of(fact) is Writer.SUPERVISOR:
            fact = sign_fact(fact, seed)  # the supervisor's decision carries its proof
        return fact

    def record(self, kind: FactKind, *, volunteer_id: str, entry_no: str | None = None,
               payload: dict[str, Any] | None = None) -> Fact:
        fact = self.new_fact(kind, volunteer_id=volunteer_id, entry_no=entry_no, payload=payload)
        self.append([fact])
        return fact

    def append(self, facts: Sequence[Fact], *, received: bool = False) -> list[Fact]:
        """Append facts in one transaction; facts already present are skipped
        (so receiving the same batch twice changes nothing). Returns the new ones.

        Facts from elsewhere pass the door first (station/core/fact_check.py):
        one that fails is set aside in the quarantine with its reason, never
        appended, never fatal."""
        own = [f for f in facts if f.station_id == self.station_id and f.event_id == self.event_id]
        if received or len(own) != len(facts):
            facts, refused = self._door(facts, received)
        else:
            refused = []
        try:
            with transaction(self.conn, self.path):
                if refused:
                    quarantine.put(self.conn, refused, quarantine.RECEIVED, self._utcnow())
                new = fact_rows.insert(self.conn, "fact", facts)
                self._chain([f for f in new if f.station_id == self.station_id])
                self._derive(new)
                # Before the commit makes them visible: a fact stamped here in
                # reaction to one just received must sort after it.
                for fact in new:
                    if fact.station_id != self.station_id:
                        self.clock.observe(fact.stamp)
        except sqlite3.DatabaseError as exc:
            raise translate(exc, self.path) from exc
        return new

    def _door(self, facts: Sequence[Fact], received: bool
              ) -> tuple[list[Fact], list[tuple[str, str, str, str]]]:
        # The bound ahead applies once the log knows its event (store/event_trust.know_event,
        # as the counter does); a tool merging old logs has no "now" to hold them to.
        now = dt.datetime.fromtimestamp(max(self.clock.wall_ms(), 0) / 1000, dt.UTC)
        door = Door(self.event_id, max(now, self._utcnow()) if self.earliest is not None else None,
                    self.earliest, STATION_SKEW)
        passed: list[Fact] = []
        refused: list[tuple[str, str, str, str]] = []
        for fact in facts:
            if not received and fact.station_id == self.station_id and fact.event_id == self.event_id:
                passed.append(fact)  # our own, made here
                continue
            try:
                problem = (check_fact(fact, door)
                           or station_door_authority(fact, self.organizer_keys, self.supervisor_keys))
            except Exception as exc:  # whatever arrived, it must not stop the counter
                problem_text = f"unreadable fact: {type(exc).__name__}"
                refused.append((str(getattr(fact, "fact_id", "?")), "malformed", problem_text,
                                quarantine.describe(fact)))
                continue
            if problem is None:
                passed.append(fact)
            else:
                refused.append((str(fact.fact_id), problem.reason.value, problem.detail, quarantine.describe(fact)))
        return passed, refused

    def quarantined(self) -> list[quarantine.Quarantined]:
        """Facts set aside at this station's door (and own facts the hub refused)."""
        return quarantine.listed(self.conn)

    def set_aside(self, newest: int = 3) -> quarantine.SetAside:
        """How many facts are set aside here, and the newest few (Station tab, supervisors)."""
        return quarantine.set_aside(self.conn, self.station_id, newest)

    def _chain(self, own: Sequence[Fact]) -> None:
        """Link this station's own new facts into its audit chain (station/core/audit.py)."""
        if not own:
            return
        last = self.conn.execute("SELECT hash FROM fact_chain ORDER BY seq DESC LIMIT 1").fetchone()
        seqs = dict(self.conn.execute(
            f"SELECT fact_id, seq FROM fact WHERE fact_id IN ({', '.join('?' * len(own))})",
            [f.fact_id for f in own],
        ).fetchall())
        self.conn.executemany(
            "INSERT INTO fact_chain (seq, fact_id, prev_hash, hash) VALUES (?, ?, ?, ?)",
            [(seqs[f.fact_id], f.fact_id, prev, h)
             for f, prev, h in audit.chain(own, last[0] if last else audit.GENESIS)],
        )

    def _derive(self, new: Sequence[Fact]) -> None:
        entries = {f.entry_no for f in new if f.entry_no is not None}
        for entry_no in entries:
            rows = self.conn.execute(
                f"SELECT {fact_rows.SELECT} FROM fact WHERE entry_no = ?", (entry_no,)
            ).fetchall()
            _write_state(self.conn, fold_entry(entry_no, map(fact_rows.from_row, rows)))
        self.conn.executemany(
            "INSERT OR IGNORE INTO document_use (document_hash, entry_no) VALUES (?, ?)",
            document_uses(new),
        )
        for fact in new:
            if fact.kind is FactKind.EXCEPTION_OPENED:
                resolved = self.conn.execute(
                    "SELECT 1 FROM fact WHERE kind = ? AND json_extract(payload, '$.exception_id') = ?",
                    (FactKind.EXCEPTION_RESOLVED.value, fact.fact_id),
                ).fetchone()
                if not resolved:
                    for exc in open_exceptions([fact]).values():
                        _write_exception(self.conn, exc)
            elif fact.kind is FactKind.EXCEPTION_RESOLVED:
                self.conn.execute(
                    "DELETE FROM open_exception WHERE exception_id = ?",
                    (ExceptionResolvedPayload.from_payload(fact.payload).exception_id,),
                )

    def rebuild(self) -> LogSummary:
        """Recompute every derived table from the facts alone."""
        with transaction(self.conn, self.path):
            self.conn.execute("DELETE FROM entry_state")
            self.conn.execute("DELETE FROM open_exception")
            self.conn.execute("DELETE FROM document_use")
            rows = self.conn.execute(
                f"SELECT {fact_rows.SELECT} FROM fact WHERE kind = ?", (FactKind.ID_CHECKED.value,)
            )
            self.conn.executemany(
                "INSERT OR IGNORE INTO document_use (document_hash, entry_no) VALUES (?, ?)",
                document_uses(map(fact_rows.from_row, rows)),
            )
            rows = self.conn.execute(
                f"SELECT {fact_rows.SELECT} FROM fact WHERE entry_no IS NOT NULL ORDER BY entry_no"
            )
            states = (fold_entry(entry_no, group)
                      for entry_no, group in groupby(map(fact_rows.from_row, rows), key=lambda f: f.entry_no))
            self.conn.executemany(_WRITE_STATE, map(_state_row, states))
            kinds = (FactKind.EXCEPTION_OPENED.value, FactKind.EXCEPTION_RESOLVED.value)
            rows = self.conn.execute(
                f"SELECT {fact_rows.SELECT} FROM fact WHERE kind IN (?, ?)", kinds
            )
            for exc in open_exceptions(map(fact_rows.from_row, rows)).values():
                _write_exception(self.conn, exc)
        return self.summary()

    # -- reading ------------------------------------------------------------

    def facts(self, after_seq: int = 0) -> Iterator[tuple[int, Fact]]:
        rows = self.conn.execute(
            f"SELECT seq, {fact_rows.SELECT} FROM fact WHERE seq > ? ORDER BY seq", (after_seq,)
        )
        for row in rows:
            yield row[0], fact_rows.from_row(row[1:])

    def facts_for(self, entry_no: str) -> list[Fact]:
        rows = self.conn.execute(
            f"SELECT {fact_rows.SELECT} FROM fact WHERE entry_no = ? ORDER BY stamp, fact_id", (entry_no,)
        )
        return [fact_rows.from_row(r) for r in rows]

    def entry_state(self, entry_no: str) -> EntryState:
        row = self.conn.execute(
            f"SELECT {', '.join(_STATE_COLUMNS)} FROM entry_state WHERE entry_no = ?", (entry_no,)
        ).fetchone()
        return _read_state(row) if row else EntryState(entry_no)

    def conflicted_entries(self) -> list[str]:
        """The entries whose facts disagree (sync found two pickups of one bib ...)."""
        rows = self.conn.execute("SELECT entry_no FROM entry_state WHERE conflict IS NOT NULL ORDER BY entry_no")
        return [r[0] for r in rows]

    def chip_holder(self, tag: str) -> str | None:
        """The entry a timing chip was already handed over with, if any."""
        row = self.conn.execute(
            "SELECT entry_no FROM fact WHERE kind = 'pickup' AND json_extract(payload, '$.chip') = ? LIMIT 1", (tag,)
        ).fetchone()
        return row[0] if row else None

    def exceptions_opened(self) -> list[tuple[str, dt.datetime, str, str, str]]:
        """Every case sent to a supervisor, open or resolved, oldest first:
        (fact id, opened at, station, reason, entry number)."""
        rows = self.conn.execute(
            "SELECT fact_id, wall_time, station_id, json_extract(payload, '$.reason'), entry_no FROM fact "
            "WHERE kind = 'exception_opened' ORDER BY stamp, fact_id")
        return [(f, dt.datetime.fromisoformat(w), s, r or "", e or "") for f, w, s, r, e in rows]

    def entry_states(self) -> dict[str, EntryState]:
        rows = self.conn.execute(f"SELECT {', '.join(_STATE_COLUMNS)} FROM entry_state")
        return {row[0]: _read_state(row) for row in rows}

    def open_exceptions(self) -> list[OpenException]:
        rows = self.conn.execute(
            "SELECT exception_id, entry_no, reason, station_id, opened_at, stamp "
            "FROM open_exception ORDER BY stamp"
        )
        return [
            OpenException(r[0], r[1], r[2], r[3], dt.datetime.fromisoformat(r[4]), Stamp.decode(r[5]))
            for r in rows
        ]

    def document_uses(self, document_hash: str) -> list[str]:
        """The entries this document (by its keyed hash) was shown for."""
        rows = self.conn.execute(
            "SELECT entry_no FROM document_use WHERE document_hash = ? ORDER BY entry_no", (document_hash,)
        )
        return [r[0] for r in rows]

    def summary(self) -> LogSummary:
        facts, last = self.conn.execute("SELECT count(*), max(wall_time) FROM fact").fetchone()
        counts = dict(self.conn.execute("SELECT status, count(*) FROM entry_state GROUP BY status").fetchall())
        conflicts = self.conn.execute(
            "SELECT count(*) FROM entry_state WHERE conflict IS NOT NULL"
        ).fetchone()[0]
        exceptions = self.conn.execute("SELECT count(*) FROM open_exception").fetchone()[0]
        return LogSummary(
            facts=facts,
            picked_up=counts.get(PickupStatus.PICKED_UP.value, 0),
            voided=counts.get(PickupStatus.VOIDED.value, 0),
            conflicts=conflicts,
            open_exceptions=exceptions,
            last_fact_at=dt.datetime.fromisoformat(last) if last else None,
        )


def _chain_older_facts(conn: sqlite3.Connection, path: Path, station_id: str) -> None:
    """A log written before the audit chain existed: chain its own facts once, on first open."""
    if conn.execute("SELECT 1 FROM fact_chain LIMIT 1").fetchone():
        return
    rows = conn.execute(
        f"SELECT seq, {fact_rows.SELECT} FROM fact WHERE station_id = ? ORDER BY seq", (station_id,)
    ).fetchall()
    if rows:
        links = audit.chain(fact_rows.from_row(r[1:]) for r in rows)
        with transaction(conn, path):
            conn.executemany(
                "INSERT INTO fact_chain (seq, fact_id, prev_hash, hash) VALUES (?, ?, ?, ?)",
                [(r[0], f.fact_id, prev, h) for r, (f, prev, h) in zip(rows, links, strict=True)],
            )


def document_uses(facts: Iterable[Fact]) -> Iterator[tuple[str, str]]:
    """(document hash, entry number) for each ID check of a document with a number."""
    for fact in facts:
        if fact.kind is FactKind.ID_CHECKED and fact.entry_no:
            document_hash = IdCheckedPayload.from_payload(fact.payload).document_hash
            if isinstance(document_hash, str) and document_hash:
                yield document_hash, fact.entry_no


_STATE_COLUMNS = (
    "entry_no", "status", "pickup_fact", "pickup_station", "pickup_volunteer",
    "pickup_wall_time", "pickup_stamp", "pickups", "printed_copies", "id_checked", "conflict",
)


_WRITE_STATE = (
    f"INSERT OR REPLACE INTO entry_state ({', '.join(_STATE_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(_STATE_COLUMNS))})"
)


def _state_row(state: EntryState) -> tuple[Any, ...]:
    p = state.pickup
    return (
        state.entry_no, state.status.value,
        p.fact_id if p else None, p.station_id if p else None, p.volunteer_id if p else None,
        p.wall_time.isoformat(timespec="milliseconds") if p else None,
        p.stamp.encode() if p else None,
        state.pickups, state.printed_copies, int(state.id_checked),
        state.conflict.value if state.conflict else None,
    )


def _write_state(conn: sqlite3.Connection, state: EntryState) -> None:
    conn.execute(_WRITE_STATE, _state_row(state))


def _read_state(row: tuple[Any, ...]) -> EntryState:
    (entry_no, status, fact_id, station, volunteer, wall, stamp,
     pickups, printed, id_checked, conflict) = row
    pickup = (
        PickupRecord(fact_id, station, volunteer, dt.datetime.fromisoformat(wall), Stamp.decode(stamp))
        if fact_id else None
    )
    return EntryState(
        entry_no, PickupStatus(status), pickup, pickups, printed, bool(id_checked),
        Conflict(conflict) if conflict else None,
    )


def _write_exception(conn: sqlite3.Connection, exc: OpenException) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO open_exception "
        "(exception_id, entry_no, reason, station_id, opened_at, stamp) VALUES (?, ?, ?, ?, ?, ?)",
        (exc.exception_id, exc.entry_no, exc.reason, exc.station_id,
         exc.opened_at.isoformat(timespec="milliseconds"), exc.stamp.encode()),
    )
