"""The central-SQLite hub: one hub file on a shared folder that every station
opens directly, with the same semantics as the HTTP hub.

Each operation opens the file, does its work in at most one transaction, and
closes it again: a share that went away (Wi-Fi dropped, laptop slept) then
simply fails the next operation instead of leaving a connection that points
at nothing, and no lock is held between operations. Busy and I/O errors
become HubUnavailable, so the worker backs off exactly as for a dead HTTP hub.
See docs/SYNC.md for what network shares do to SQLite locking.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

from station.core.errors import StationError
from station.core.fact_check import FactRefused
from station.core.ledger import EntryState
from station.core.models import Fact
from station.core.texts import Text
from station.sync.claims import ClaimAnswer, claim_entries
from station.sync.client import Progress
from station.sync.hub_store import PACKAGE_FILE, HubStore
from station.sync.protocol import (
    SQLITE_PREFIX,
    EntryView,
    HubHealth,
    HubRefused,
    HubSummary,
    HubUnavailable,
    PullBatch,
    PushResult,
)

_CHUNK = 256 * 1024


_UNKNOWN_STATION = Text(
    "ハブのファイル {path} はステーション「{station}」を知らないか、トークンが取り消されています。"
    "ハブの担当者に新しい設定コードをもらってください。",
    "The hub file {path} does not know station {station!r} or its "
    "token was revoked; ask the hub operator for a new provisioning code.")
_UNUSABLE = Text(
    "ハブのファイル {path} は今は使えません。このステーションは単独で受付を続け、あとで同期します。",
    "The hub file {path} cannot be used now ({detail}); this station keeps "
    "working alone and catches up later.")
_NOT_PUBLISHED = Text(
    "{folder} にはまだイベントパッケージがありません。主催者が `{command}` で公開します。",
    "No event package in {folder} yet; the organizer publishes it with `{command}`.")


class SqliteHub:
    def __init__(self, path: Path, station_id: str, *, token: str | None = None,
                 busy_timeout_ms: int = 5000) -> None:
        self.path = path
        self.address = f"{SQLITE_PREFIX}{path}"
        self.station_id = station_id
        self._token = token
        self._busy_ms = busy_timeout_ms

    def close(self) -> None:
        """Nothing stays open between operations."""

    @contextlib.contextmanager
    def _store(self, busy_ms: int | None = None) -> Iterator[HubStore]:
        try:
            store = HubStore.open(
                self.path, shared=True, create=False, busy_timeout_ms=busy_ms or self._busy_ms
            )
        except StationError as exc:
            raise self._unavailable(exc) from exc
        try:
            if self._token is not None and not store.authenticate(self.station_id, self._token):
                raise HubRefused(_UNKNOWN_STATION(path=str(self.path), station=self.station_id))
            yield store
        except (HubRefused, FactRefused):
            raise
        except StationError as exc:  # locked past the busy timeout, I/O error on the share
            raise self._unavailable(exc) from exc
        except sqlite3.DatabaseError as exc:
            raise self._unavailable(exc) from exc
        finally:
            store.close()

    def _unavailable(self, exc: Exception) -> HubUnavailable:
        return HubUnavailable(_UNUSABLE(path=str(self.path), detail=str(exc)), detail=str(exc))

    def push(self, facts: Sequence[Fact]) -> PushResult:
        with self._store() as store:
            return store.ingest(facts, station=self.station_id)

    def relay(self, facts: Sequence[Fact]) -> PushResult:
        with self._store() as store:
            return store.ingest(facts, station=self.station_id, relay=True)

    def summary(self) -> HubSummary:
        with self._store() as store:
            return store.summary()

    def pull(self, after: int, limit: int = 500) -> PullBatch:
        with self._store() as store:
            return store.pull(after, limit)

    def ask_entry(self, entry_no: str, timeout: float) -> EntryView:
        with self._store(busy_ms=max(1, int(timeout * 1000))) as store:
            return store.entry(entry_no)

    def conflicts(self) -> list[EntryState]:
        with self._store() as store:
            return store.conflicts()

    def claim(self, entries: Sequence[str], timeout: float, bibs: Sequence[str] = ()) -> ClaimAnswer:
        """Claim the entries before a pickup (station/sync/claims.py)."""
        with self._store(busy_ms=max(1, int(timeout * 1000))) as store:
            return claim_entries(store, self.station_id, entries, bibs=bibs)

    def health(self) -> HubHealth:
        with self._store() as store:
            return store.health(self.path.parent / PACKAGE_FILE)

    def download_package(self, dest: Path, progress: Progress | None = None) -> Path:
        source = self.path.parent / PACKAGE_FILE
        partial = dest.with_name(dest.name + ".partial")
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            total = source.stat().st_size
            done = 0
            with source.open("rb") as src, partial.open("wb") as out:
                while chunk := src.read(_CHUNK):
                    out.write(chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total)
                out.flush()
                os.fsync(out.fileno())
        except FileNotFoundError as exc:
            partial.unlink(missing_ok=True)
            if self.path.parent.is_dir():
                raise HubRefused(_NOT_PUBLISHED(folder=str(self.path.parent),
                                                command="station hub publish-event")) from exc
            raise self._unavailable(exc) from exc
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise self._unavailable(exc) from exc
        partial.replace(dest)
        return dest
