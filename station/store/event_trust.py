"""What a station's door needs to know of its event: the earliest moment a
fact of the event can carry, and the organizer's public keys."""

from __future__ import annotations

import datetime as dt

from station.core.fact_check import EARLIEST_BEFORE_RACE
from station.store.confirmations import key_ring
from station.store.event_package import EventPackage
from station.store.station_log import StationLog
from station.store.supervisor_keys import public_keys


def organizer_keys(package: EventPackage) -> dict[str, bytes] | None:
    """The event's public keys (key id -> raw); None when the event has none."""
    keys = {key_id: key.raw for key_id, key in key_ring(package).keys.items()}
    return keys or None


def supervisor_keys(package: EventPackage) -> dict[str, bytes] | None:
    """supervisor id -> public key; None when the event has none (an older package)."""
    return public_keys(package) or None


def know_event(log: StationLog, package: EventPackage) -> StationLog:
    """Tell the log's door about the event (race day bound, organizer keys)."""
    day = package.settings.race_date
    log.earliest = dt.datetime.combine(day, dt.time(), dt.UTC) - EARLIEST_BEFORE_RACE
    log.organizer_keys = organizer_keys(package)
    log.supervisor_keys = supervisor_keys(package)
    return log
