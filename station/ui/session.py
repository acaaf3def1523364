"""What the window shows, as one object that announces its changes.

Widgets listen to `changed` and redraw from the snapshot; they hold no rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from station.core.event import EventSettings
from station.store import quarantine
from station.store.event_package import EventPackage, RosterCounts
from station.store.station_log import LogSummary, StationLog


@dataclass(frozen=True, slots=True)
class Snapshot:
    settings: EventSettings
    package_path: Path
    roster: RosterCounts
    station_name: str
    log_path: Path
    log: LogSummary
    set_aside: quarantine.SetAside = quarantine.NOBODY  # facts refused at this station's door


class StationSession(QObject):
    changed = Signal(object)  # Snapshot

    def __init__(self, package: EventPackage, station_log: StationLog, parent: QObject | None = None):
        super().__init__(parent)
        self.package = package
        self.station_log = station_log
        self._snapshot: Snapshot | None = None

    @property
    def snapshot(self) -> Snapshot:
        if self._snapshot is None:
            self._snapshot = self._read()
        return self._snapshot

    def refresh(self) -> None:
        self._snapshot = self._read()
        self.changed.emit(self._snapshot)

    def _read(self) -> Snapshot:
        return Snapshot(
            settings=self.package.settings,
            package_path=self.package.path,
            roster=self.package.counts(),
            station_name=self.station_log.station_id,
            log_path=self.station_log.path,
            log=self.station_log.summary(),
            set_aside=self.station_log.set_aside(),
        )

    def close(self) -> None:
        self.station_log.close()
        self.package.close()
