"""The sync engine of one station: plain Python threads, no Qt.

It pushes the station's new facts as soon as it is nudged (after each pickup)
and otherwise pulls what the other stations did every second or so. When the
hub is away it backs off exponentially (with jitter, so a hall full of
counters does not come back in lock step) and keeps the counter working.
Cursors live in the station's log file and only move after the work is
durable, so a hub restart, a half-sent batch or a laptop that slept in the
middle of a push costs at most a repeated batch, which changes nothing.

The worker writes through its own connection to the station's log but shares
the counter's clock, so a fact recorded at the counter is always stamped
after every fact the worker has brought in (a void made after seeing a remote
pickup sorts after that pickup on every machine).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from station.core.errors import StationError
from station.core.fact_check import FactRefused
from station.store import quarantine
from station.store.checkin import HubDecision as Decision  # declared where the desk reads it
from station.store.sqlite import transaction
from station.store.station_log import StationLog
from station.store.sync_state import Cursors, SyncState, last_seq
from station.sync.client import Hub
from station.sync.protocol import (
    MAX_BATCH,
    CertificateUntrusted,
    HubRefused,
    HubRevoked,
    HubUnavailable,
    ProtocolError,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SyncStatus:
    online: bool = False
    last_sync: dt.datetime | None = None
    waiting: int = 0  # own facts not yet on the hub
    problem: str = ""  # the last reason sync failed, in English: the log's (a window says hub_state in its words)
    package_done: int = 0  # bytes of the event package downloaded
    package_total: int | None = None  # None: no download under way or size unknown
    hub_state: HubState | None = None  # None: not tried yet


class HubState(StrEnum):
    """Why the station is (not) syncing: each needs a different person to act."""

    ONLINE = "online"
    UNREACHABLE = "unreachable"  # network or hub down: wait, it catches up by itself
    UNTRUSTED = "untrusted"  # the hub's certificate is not the pinned one: a new code or CA file
    REVOKED = "revoked"  # the hub operator revoked this station: a new code
    REFUSED = "refused"  # another refusal (code used by another laptop, wrong event ...)


def hub_state_of(exc: Exception) -> HubState:
    if isinstance(exc, CertificateUntrusted):
        return HubState.UNTRUSTED
    if isinstance(exc, HubRevoked):
        return HubState.REVOKED
    if isinstance(exc, HubUnavailable):
        return HubState.UNREACHABLE
    return HubState.REFUSED


StatusListener = Callable[[SyncStatus], None]


class SyncWorker:
    # The pull interval bounds how long a pickup elsewhere stays unknown here
    # when the pre-pickup question was skipped (hub slow or away); 1 s keeps
    # that under 2 s at p95 with 100 stations, at 100 small requests/s on the hub.
    def __init__(self, log_: StationLog, hub: Hub, *, pull_every: float = 1.0,
                 first_backoff: float = 1.0, max_backoff: float = 30.0,
                 utcnow: Callable[[], dt.datetime] | None = None, relay_every: float = 60.0) -> None:
        self.hub = hub
        self.station_id = log_.station_id
        self.pull_every = pull_every
        self.first_backoff = first_backoff
        self.max_backoff = max_backoff
        self._utcnow = utcnow or (lambda: dt.datetime.now(dt.UTC))
        self._log = StationLog.open(log_.path, station_id=log_.station_id, event_id=log_.event_id)
        self._log.clock = log_.clock
        self._log.earliest, self._log.organizer_keys = log_.earliest, log_.organizer_keys
        self._log.supervisor_keys = log_.supervisor_keys
        self._state = SyncState(self._log.conn, self._log.path)
        self._hub_id: str | None = None
        self._status = SyncStatus()
        self._listeners: list[StatusListener] = []
        self._sync_lock = threading.Lock()
        self._status_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._backoff = 0.0
        self.relay_every = relay_every
        self._relayed: tuple[str | None, float] = (None, 0.0)  # (hub id, monotonic time) of the last relay

    # -- life ---------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=f"sync-{self.station_id}", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def close(self) -> None:
        self.stop()
        with self._sync_lock:
            self._log.close()

    def nudge(self) -> None:
        """New local facts: push them now rather than at the next pull."""
        self._wake.set()

    # -- status ---------------------------------------------------------------------

    @property
    def status(self) -> SyncStatus:
        return self._status

    def subscribe(self, listener: StatusListener) -> None:
        """`listener` is called from the worker's thread on every change."""
        self._listeners.append(listener)

    def _set_status(self, **changes: Any) -> None:
        with self._status_lock:
            new = replace(self._status, **changes)
            if new == self._status:
                return
            before = self._status.hub_state
            self._status = new
        if new.hub_state is not before and new.hub_state is not None:
            level = logging.INFO if new.hub_state in (HubState.ONLINE, HubState.UNREACHABLE) else logging.ERROR
            log.log(level, "hub %s: %s%s", self.hub.address, new.hub_state.value,
                    f" ({new.problem})" if new.problem and new.hub_state is not HubState.ONLINE else "")
        for listener in list(self._listeners):
            try:
                listener(new)
            except Exception:
                log.exception("sync status listener failed")

    # -- the loop ---------------------------------------------------------------------

    def _run(self) -> None:
        delay = 0.0
        while not self._stop.is_set():
            self._wake.wait(delay)
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                self.sync_once()
                self._backoff = 0.0
                delay = self.pull_every
            except HubUnavailable as exc:
                delay = self._back_off(exc)
            except (HubRefused, ProtocolError, StationError) as exc:
                log.warning("sync refused: %s", exc)
                self._backoff = self.max_backoff
                self._set_status(online=False, problem=str(exc), waiting=self._waiting(), hub_state=hub_state_of(exc))
                delay = self.max_backoff
            except Exception as exc:  # a bug must not end sync for the rest of the day
                log.exception("sync failed")
                self._set_status(online=False, problem=f"sync failed: {exc}")
                delay = self.max_backoff

    def _back_off(self, exc: Exception) -> float:
        self._backoff = min(self.max_backoff, max(self.first_backoff, self._backoff * 2))
        self._set_status(online=False, problem=str(exc), waiting=self._waiting(), hub_state=hub_state_of(exc))
        return self._backoff * random.uniform(0.8, 1.2)

    def _waiting(self) -> int:
        with self._sync_lock:
            pushed = self._state.load(self._hub_id).pushed_seq if self._hub_id else 0
            return self._state.waiting(self.station_id, pushed)

    # -- one round -----------------------------------------------------------------------

    def sync_once(self) -> None:
        """Push everything waiting, then pull until the hub has nothing newer.
        Raises HubUnavailable / HubRefused; the loop turns them into backoff."""
        with self._sync_lock:
            if self._hub_id is None:
                self._hub_id = self.hub.health().hub_id
            cursors = self._state.load(self._hub_id)
            cursors = self._push(cursors)
            cursors = self._pull(cursors)
            hub_id, at = self._relayed
            if hub_id != self._hub_id or time.monotonic() - at >= self.relay_every:
                self.relay_once()
            cursors = replace(cursors, last_sync=self._utcnow())
            self._state.save(cursors)
            self._set_status(online=True, problem="", hub_state=HubState.ONLINE, last_sync=cursors.last_sync,
                             waiting=self._state.waiting(self.station_id, cursors.pushed_seq))

    def push_once(self) -> int:
        """Only push (what a nudge needs most urgently); returns facts sent."""
        with self._sync_lock:
            if self._hub_id is None:
                self._hub_id = self.hub.health().hub_id
            before = self._state.load(self._hub_id)
            after = self._push(before)
            return self._state.waiting(self.station_id, before.pushed_seq) - self._state.waiting(
                self.station_id, after.pushed_seq
            )

    def _push(self, cursors: Cursors) -> Cursors:
        while True:
            batch = self._state.outbox(self.station_id, cursors.pushed_seq, MAX_BATCH)
            if not batch:
                return cursors
            refused = quarantine.refused_own(self._log.conn)
            sending = [fact for _, fact in batch if fact.fact_id not in refused]
            try:
                result = self.hub.push(sending) if sending else None
            except FactRefused as exc:
                if exc.fact_id not in {f.fact_id for f in sending}:
                    raise
                # One of our own facts the hub will never take: set it aside (it
                # stays in our log, reported), send the others. Never a blocked outbox.
                fact = next(f for f in sending if f.fact_id == exc.fact_id)
                log.warning("the hub refused our fact %s: %s", exc.fact_id, exc)
                with transaction(self._log.conn, self._log.path):
                    quarantine.put(self._log.conn, [(exc.fact_id, exc.reason.value, exc.detail,
                                                     quarantine.describe(fact))], quarantine.REFUSED_BY_HUB)
                continue
            if result is None:
                cursors = replace(cursors, pushed_seq=last_seq(batch, cursors.pushed_seq))
                self._state.save(cursors)
                continue
            sending_ids = {fact.fact_id for fact in sending}
            missing = sending_ids - set(result.accepted)
            if missing:
                raise ProtocolError(f"the hub did not accept {len(missing)} facts it was sent")
            cursors = replace(cursors, pushed_seq=last_seq(batch, cursors.pushed_seq))
            self._state.save(cursors)
            self._set_status(waiting=self._state.waiting(self.station_id, cursors.pushed_seq))

    def relay_once(self) -> int:
        """Anti-entropy: send the hub what this station holds from others and the
        hub lacks (by its per-station high stamps), so a rebuilt or second hub
        converges from whichever stations are still around. Returns facts the hub took."""
        summary_of = getattr(self.hub, "summary", None)
        relay = getattr(self.hub, "relay", None)
        if summary_of is None or relay is None:
            return 0  # a hub without anti-entropy
        summary = summary_of()
        missing = [fact for _, fact in self._log.facts()
                   if fact.station_id != self.station_id and summary.lacks(fact)]
        taken = 0
        for start in range(0, len(missing), MAX_BATCH):
            batch = missing[start:start + MAX_BATCH]
            while batch:
                try:
                    taken += relay(batch).new
                    break
                except FactRefused as exc:  # not ours to insist on: leave that one out
                    log.info("the hub refused relayed fact %s: %s", exc.fact_id, exc)
                    kept = [f for f in batch if f.fact_id != exc.fact_id]
                    if len(kept) == len(batch):
                        break
                    batch = kept
        self._relayed = (summary.hub_id, time.monotonic())
        return taken

    def _pull(self, cursors: Cursors) -> Cursors:
        while True:
            batch = self.hub.pull(cursors.pull_cursor)
            if batch.hub_id != cursors.hub_id:
                # A different hub (rebuilt, or the station was moved): start over
                # with it; re-sending and re-receiving is harmless.
                self._hub_id = batch.hub_id
                cursors = self._push(self._state.load(batch.hub_id))
                continue
            if batch.unreadable:
                with transaction(self._log.conn, self._log.path):
                    quarantine.put(self._log.conn, [(fid, "malformed", why, raw)
                                                    for fid, why, raw in batch.unreadable], quarantine.RECEIVED)
            if batch.facts:
                self._log.append(batch.facts, received=True)
            cursors = replace(cursors, pull_cursor=batch.cursor)
            self._state.save(cursors)
            if not batch.more:
                return cursors

    # -- before a pickup --------------------------------------------------------------------

    def ask_before_pickup(self, counter_log: StationLog, entry_no: str, timeout: float = 0.8) -> Decision:
        """Bring the hub's facts about this entry into the counter's log, so the
        one check-in rule sees pickups made elsewhere. Call from the counter's
        own thread (it writes through `counter_log`). A hub known to be away is
        not asked at all: a volunteer never waits on a dead network."""
        if not self._status.online:
            return Decision.DECIDED_OFFLINE
        decision = ask_before_pickup(self.hub, counter_log, entry_no, timeout)
        if decision is Decision.DECIDED_OFFLINE:
            # The hub did not answer in time: the next pickups decide alone at once,
            # until the sync loop reaches the hub again.
            self._set_status(online=False, problem="the hub did not answer before a pickup")
            self.nudge()
        return decision

    def claim_before_pickup(self, counter_log: StationLog, entries: Sequence[str],
                            timeout: float = 0.8, bibs: Sequence[str] = ()) -> ClaimDecision:
        """Online, claim the entries at the hub (station/sync/claims.py) and bring
        its facts about them into the counter's log; offline, decide alone.
        Call from the counter's own thread, like ask_before_pickup."""
        if not self._status.online:
            return ClaimDecision(Decision.DECIDED_OFFLINE)
        decision = claim_before_pickup(self.hub, counter_log, entries, timeout, bibs)
        if decision.decision is Decision.DECIDED_OFFLINE:
            self._set_status(online=False, problem="the hub did not answer before a pickup")
            self.nudge()
        return decision

    def download_package(self, dest: Path) -> Path:
        """The first download of the event package, with progress in the status."""
        self._set_status(package_done=0, package_total=None)

        def progress(done: int, total: int | None) -> None:
            self._set_status(package_done=done, package_total=total)

        path = self.hub.download_package(dest, progress)
        self._set_status(package_total=None)
        return path


def ask_before_pickup(hub: Hub, counter_log: StationLog, entry_no: str, timeout: float) -> Decision:
    try:
        view = hub.ask_entry(entry_no, timeout)
    except (HubUnavailable, HubRefused, ProtocolError, ValueError, KeyError, TypeError):
        # Whatever the hub answered (or failed to), the counter decides alone and says so.
        return Decision.DECIDED_OFFLINE
    if view.facts:
        counter_log.append([f for f in view.facts if f.event_id == counter_log.event_id], received=True)
    return Decision.HUB_CHECKED


@dataclass(frozen=True, slots=True)
class ClaimDecision:
    """How a pickup was decided, and who holds the entry when another counter does."""

    decision: Decision
    holder: str | None = None  # the counter handing `entry_no` out right now
    entry_no: str | None = None


def claim_before_pickup(hub: Hub, counter_log: StationLog, entries: Sequence[str],
                        timeout: float, bibs: Sequence[str] = ()) -> ClaimDecision:
    try:
        answer = hub.claim(entries, timeout, bibs)
    except (HubUnavailable, HubRefused, ProtocolError, ValueError, KeyError, TypeError):
        return ClaimDecision(Decision.DECIDED_OFFLINE)
    if answer.facts:
        counter_log.append([f for f in answer.facts if f.event_id == counter_log.event_id], received=True)
    if not answer.granted:
        return ClaimDecision(Decision.HUB_CHECKED, answer.holder, answer.entry_no)
    return ClaimDecision(Decision.HUB_CHECKED)
