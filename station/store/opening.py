"""Open what one counter works on: the event package and this station's own log.

The window (station/ui/app.py) and the command line (`station selfcheck
checkin`) both start here, so both find the log in the same folder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from station import settings as settings_module
from station.store.event_package import EventPackage
from station.store.event_trust import know_event
from station.store.station_log import StationLog


def open_station(event_path: Path, station_name: str, *,
                 utcnow: Callable[[], dt.datetime] | None = None) -> tuple[EventPackage, StationLog]:
    """The event package and this counter's log (made on first use); close both when done.
    `utcnow` replaces the wall clock (screenshots and demos set a time in the expo)."""
    package = EventPackage.open(event_path)
    try:
        folders = settings_module.Folders.current()
        log_path = folders.station_log(package.settings.event_id, station_name)
        station_log = StationLog.open(log_path, station_id=station_name, event_id=package.settings.event_id,
                                      utcnow=utcnow)
        know_event(station_log, package)  # the door's race-day bound and organizer keys
    except BaseException:
        package.close()
        raise
    return package, station_log
