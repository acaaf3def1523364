"""The sync engine's face for Qt: status changes as signals, delivered on the GUI thread.

The engine (station.sync.worker.SyncWorker) runs its own thread and knows
nothing of Qt; this object only relays. Its signals are emitted from the
worker's thread, so connected slots of objects living on the GUI thread run
there through Qt's queued connections: the counter redraws, it never waits.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from station.core.errors import StationError
from station.core.texts import Text
from station.sync.worker import SyncStatus, SyncWorker

log = logging.getLogger(__name__)

_DOWNLOAD_FAILED = Text("イベントパッケージをダウンロードできませんでした。詳しくはログをご覧ください。",
                        "The event package could not be downloaded; the details are in the log.")


class SyncStatusRelay(QObject):
    status_changed = Signal(object)  # SyncStatus
    online_changed = Signal(bool)
    waiting_changed = Signal(int)  # facts waiting to send
    package_progress = Signal(int, int)  # bytes done, total (0: unknown)
    package_ready = Signal(str)  # path of the downloaded event package
    package_failed = Signal(object)  # StationError: what went wrong, shown in the window's language (error_text)

    def __init__(self, worker: SyncWorker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self._last = worker.status
        worker.subscribe(self._relay)

    def _relay(self, status: SyncStatus) -> None:
        last, self._last = self._last, status
        self.status_changed.emit(status)
        if status.online != last.online:
            self.online_changed.emit(status.online)
        if status.waiting != last.waiting:
            self.waiting_changed.emit(status.waiting)
        if (status.package_done, status.package_total) != (last.package_done, last.package_total):
            self.package_progress.emit(status.package_done, status.package_total or 0)

    def start(self) -> None:
        self.worker.start()

    def stop(self) -> None:
        self.worker.stop()

    def close(self) -> None:
        """Stop the worker and release its connection to the log and to the hub."""
        self.worker.close()
        self.worker.hub.close()

    def download_package(self, dest: Path) -> None:
        """Download off the GUI thread; progress, then ready or failed, arrive as signals."""

        def run() -> None:
            try:
                path = self.worker.download_package(dest)
            except StationError as exc:  # shown to the volunteer, not raised into Qt
                log.warning("event package download: %s", exc)
                self.package_failed.emit(exc)
            except Exception as exc:  # a surprise: the log has the traceback, the window a sentence
                log.exception("event package download failed")
                self.package_failed.emit(StationError(_DOWNLOAD_FAILED, detail=f"{type(exc).__name__}: {exc}"))
            else:
                self.package_ready.emit(str(path))

        threading.Thread(target=run, name="package-download", daemon=True).start()
