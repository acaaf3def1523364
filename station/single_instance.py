"""One station window per laptop.

Two windows on one laptop would share the webcam (one of them gets no
picture) and write the same station log from two processes. A QLockFile in
the data folder keeps the second start out; a lock left by a crashed station
is taken over, because QLockFile checks whether the process that wrote it
still lives.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile

from station.core.errors import StationError
from station.core.texts import NOTHING, Text
from station.settings import Folders

LOCK_NAME = "station.lock"

_WHO = Text("（{host} のプロセス {pid}）", " (process {pid} on {host})")
_ALREADY_RUNNING = Text(
    "{app} はこのノートパソコンですでに起動しています{who}。開いているウィンドウを使うか"
    "（タスクバーを見てください）、それを閉じてからステーションを起動し直してください。",
    "{app} is already running on this laptop{who}: use the window that is open "
    "(look in the task bar), or close it before starting the station again.")
_NO_LOCK_FILE = Text(
    "ロックファイル {path} を作れません。このユーザーに {folder} への書き込み権限を与えてください。",
    "Cannot create the lock file {path}; give this user write access to {folder}.")


class AlreadyRunning(StationError):
    """Another station window holds the lock on this laptop."""


class StationLock:
    """Held for as long as the station window is open; `release()` or process exit frees it."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / LOCK_NAME
        self._lock = QLockFile(str(self.path))
        # Only a dead owner makes the lock stale, never its age: a station runs for days.
        self._lock.setStaleLockTime(0)

    def acquire(self) -> None:
        if self._lock.tryLock(0):
            return
        if self._lock.error() == QLockFile.LockError.LockFailedError:
            info = self._lock.getLockInfo()  # PySide6: (pid, host, app); older: (ok, pid, host, app)
            pid, host = (info[-3], info[-2]) if isinstance(info, tuple) and len(info) >= 3 else (0, "")
            who = _WHO(pid=pid, host=host) if pid else NOTHING
            raise AlreadyRunning(_ALREADY_RUNNING(app="Bib Station", who=who))
        raise StationError(_NO_LOCK_FILE(path=str(self.path), folder=str(self.path.parent)))

    @property
    def held(self) -> bool:
        return self._lock.isLocked()

    def release(self) -> None:
        self._lock.unlock()


def hold(folders: Folders | None = None) -> StationLock:
    """Take the laptop's station lock or raise AlreadyRunning saying what to do."""
    lock = StationLock((folders or Folders.current()).data)
    lock.acquire()
    return lock
