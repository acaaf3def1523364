"""What the supervisors' dashboard shows, read from the station's log.

Read-only queries, no Qt: the dashboard screen calls `Dashboard.snapshot(now)`
on a timer (or when the log changes) and draws what it returns. After sync
the log holds every station's facts, so the numbers are the whole hall's.

Cost: the first snapshot reads every pickup and entry state once; later ones
read only the facts appended since (by seq) and the entries they touch, plus
one index range count for the recent pace and one index probe per station for
"last heard". The roster's category and start block per entry are read from
the event package once (`reload_roster` after a roster change or a rebuild).
bench/bench_dashboard.py measures refreshes on a log of 40,000 pickups.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from station.core.event import EventSettings
from station.core.ledger import PickupStatus
from station.core.models import FactKind
from station.core.rules import window_bounds
from station.store.event_package import EventPackage
from station.store.station_log import StationLog

# Not counters: the organizer's roster facts come from here.
_NOT_COUNTERS = frozenset({"organizer"})
_SERVED = frozenset({PickupStatus.PICKED_UP.value, PickupStatus.VOIDED.value})
_CANCELLED = PickupStatus.CANCELLED.value
_PICKUP = FactKind.PICKUP.value


@dataclass(frozen=True, slots=True)
class HourCount:
    hour: dt.datetime  # start of the hour, in the event's zone
    pickups: int


@dataclass(frozen=True, slots=True)
class CounterCount:
    station_id: str
    pickups: int
    last_heard: dt.datetime  # the station's latest fact of any kind (UTC)
    silent: bool  # nothing heard for longer than the dashboard's limit


@dataclass(frozen=True, slots=True)
class Remaining:
    category: str
    start_block: str
    remaining: int
    total: int


@dataclass(frozen=True, slots=True)
class WaitingException:
    exception_id: str
    entry_no: str | None
    reason: str
    station_id: str
    age: dt.timedelta


class Fit(StrEnum):
    FITS = "fits"  # at the current pace everyone left is served before the last window closes
    AT_RISK = "at_risk"  # the current pace is too slow
    NO_PACE_YET = "no_pace_yet"  # no pickups in the pace window (closed, or just opened)
    ALL_SERVED = "all_served"
    CLOSED = "closed"  # no check-in time left, runners still waiting


@dataclass(frozen=True, slots=True)
class Projection:
    remaining: int
    time_left: dt.timedelta  # open check-in time from now to the last window's close
    pace_per_hour: float  # pickups per hour over the pace window
    needed_per_hour: float | None
    fit: Fit


@dataclass(frozen=True, slots=True)
class Snapshot:
    at: dt.datetime
    per_hour: tuple[HourCount, ...]
    per_counter: tuple[CounterCount, ...]
    remaining: tuple[Remaining, ...]
    exceptions: tuple[WaitingException, ...]  # oldest first
    projection: Projection

    @property
    def silent_stations(self) -> tuple[str, ...]:
        return tuple(c.station_id for c in self.per_counter if c.silent)

    @property
    def picked_up(self) -> int:
        return sum(h.pickups for h in self.per_hour)


class Dashboard:
    """Keeps running totals and reads only the facts appended since the last
    refresh (facts are append-only and `seq` is this file's arrival order, so
    the totals stay exact, late synced facts included)."""

    def __init__(self, log: StationLog, package: EventPackage, *,
                 silent_after: dt.timedelta = dt.timedelta(minutes=10),
                 pace_window: dt.timedelta = dt.timedelta(minutes=30)) -> None:
        self.log = log
        self.package = package
        self.settings: EventSettings = package.settings
        self.silent_after = silent_after
        self.pace_window = pace_window
        self.reload_roster()

    def reload_roster(self) -> None:
        """Read each active entry's (category, start block) from the event package
        and start the totals over (also after `StationLog.rebuild`)."""
        rows = self.package.conn.execute(
            "SELECT entry_no, category, start_block FROM entrant WHERE status = 'active'"
        ).fetchall()
        self._groups: dict[str, tuple[str, str]] = {entry_no: (c, b) for entry_no, c, b in rows}
        self._totals: Counter[tuple[str, str]] = Counter(self._groups.values())
        self._seq = 0
        self._pickups: Counter[tuple[str, str]] = Counter()  # (UTC hour 'YYYY-MM-DDTHH', station)
        self._status: dict[str, str] = {}
        self._served: Counter[tuple[str, str]] = Counter()
        self._cancelled: Counter[tuple[str, str]] = Counter()

    def snapshot(self, now: dt.datetime) -> Snapshot:
        now = now.astimezone(dt.UTC)
        self._catch_up()
        remaining = self._remaining()
        return Snapshot(
            now, self._per_hour(), self._per_counter(now), remaining, self._exceptions(now),
            self._projection(now, sum(r.remaining for r in remaining), self._recent(now)),
        )

    # -- keeping up with the log ---------------------------------------------------

    def _catch_up(self) -> None:
        conn = self.log.conn
        top = conn.execute("SELECT max(seq) FROM fact").fetchone()[0] or 0
        if top == self._seq:
            return
        if self._seq == 0:
            for hour, station, count in conn.execute(
                    "SELECT substr(wall_time, 1, 13), station_id, count(*) FROM fact "
                    "WHERE kind = ? AND seq <= ? GROUP BY 1, 2", (_PICKUP, top)):
                self._pickups[(hour, station)] += count
            self._load_states(dict(conn.execute("SELECT entry_no, status FROM entry_state")))
            self._seq = top
            return
        rows = conn.execute("SELECT kind, wall_time, station_id, entry_no FROM fact "
                            "WHERE seq > ? AND seq <= ?", (self._seq, top)).fetchall()
        self._pickups.update((wall[:13], station) for kind, wall, station, _ in rows if kind == _PICKUP)
        touched = sorted({entry for *_, entry in rows if entry is not None})
        for start in range(0, len(touched), 500):
            part = touched[start:start + 500]
            for entry_no, status in conn.execute(
                    f"SELECT entry_no, status FROM entry_state WHERE entry_no IN ({', '.join('?' * len(part))})",
                    part):
                self._set_status(entry_no, status)
        self._seq = top

    def _load_states(self, states: dict[str, str]) -> None:
        """The first read, in bulk (a call per entry costs more than the query)."""
        self._status = states
        groups = self._groups
        self._served = Counter(groups[e] for e, status in states.items() if status in _SERVED and e in groups)
        self._cancelled = Counter(groups[e] for e, status in states.items() if status == _CANCELLED and e in groups)

    def _set_status(self, entry_no: str, status: str) -> None:
        old = self._status.get(entry_no)
        if old == status:
            return
        self._status[entry_no] = status
        group = self._groups.get(entry_no)
        if group is None:
            return
        for state, step in ((old, -1), (status, 1)):
            if state in _SERVED:
                self._served[group] += step
            elif state == _CANCELLED:
                self._cancelled[group] += step

    # -- what the screen shows ------------------------------------------------------

    def _per_hour(self) -> tuple[HourCount, ...]:
        hours: Counter[str] = Counter()
        for (hour, _), count in self._pickups.items():
            hours[hour] += count
        zone = self.settings.zone
        return tuple(
            HourCount(dt.datetime.fromisoformat(f"{hour}:00:00+00:00").astimezone(zone), hours[hour])
            for hour in sorted(hours)
        )

    def _per_counter(self, now: dt.datetime) -> tuple[CounterCount, ...]:
        counts: Counter[str] = Counter()
        for (_, station), count in self._pickups.items():
            counts[station] += count
        # One index probe per station rather than a scan of every fact.
        heard = self.log.conn.execute(
            "WITH RECURSIVE s(id) AS (SELECT min(station_id) FROM fact UNION ALL "
            "SELECT (SELECT min(station_id) FROM fact WHERE station_id > s.id) FROM s WHERE s.id IS NOT NULL) "
            "SELECT id, (SELECT max(wall_time) FROM fact WHERE station_id = s.id) FROM s WHERE id IS NOT NULL"
        )
        out = []
        for station, last in heard:
            if station in _NOT_COUNTERS:
                continue
            last_at = dt.datetime.fromisoformat(last)
            out.append(CounterCount(station, counts[station], last_at, now - last_at > self.silent_after))
        return tuple(out)

    def _recent(self, now: dt.datetime) -> int:
        since = (now - self.pace_window).isoformat(timespec="milliseconds")
        return int(self.log.conn.execute(
            "SELECT count(*) FROM fact WHERE kind = ? AND wall_time > ? AND wall_time <= ?",
            (FactKind.PICKUP.value, since, now.isoformat(timespec="milliseconds")),
        ).fetchone()[0])

    def _remaining(self) -> tuple[Remaining, ...]:
        return tuple(
            Remaining(category, block, total - self._served[(category, block)] - self._cancelled[(category, block)],
                      total - self._cancelled[(category, block)])
            for (category, block), total in sorted(self._totals.items())
        )

    def _exceptions(self, now: dt.datetime) -> tuple[WaitingException, ...]:
        return tuple(
            WaitingException(e.exception_id, e.entry_no, e.reason, e.station_id,
                             max(now - e.opened_at, dt.timedelta(0)))
            for e in self.log.open_exceptions()
        )

    def _projection(self, now: dt.datetime, remaining: int, recent: int) -> Projection:
        left = time_left(now, self.settings)
        pace = recent / (self.pace_window.total_seconds() / 3600)
        hours_left = left.total_seconds() / 3600
        needed = remaining / hours_left if hours_left > 0 else None
        if remaining == 0:
            fit = Fit.ALL_SERVED
        elif hours_left <= 0:
            fit = Fit.CLOSED
        elif recent == 0:
            fit = Fit.NO_PACE_YET
        else:
            fit = Fit.FITS if pace * hours_left >= remaining else Fit.AT_RISK
        return Projection(remaining, left, pace, needed, fit)


def time_left(now: dt.datetime, settings: EventSettings) -> dt.timedelta:
    """Open check-in time between now and the close of the last window."""
    total = dt.timedelta(0)
    for window in settings.checkin_windows:
        opens, closes = window_bounds(window, settings, settings.counter)
        start = max(opens, now)
        if closes > start:
            total += closes - start
    return total
