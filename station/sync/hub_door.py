"""The hub's door: every fact offered to the hub passes here before it is stored.

Kept apart from the HTTP app and the store so that both hubs (HTTP and the
central SQLite file) refuse exactly the same facts for the same named reasons:
the content checks of station/core/fact_check.py, who may write what
(station/core/authority.py, station/core/fact_proof.py), and one check only
the hub can make: a station's new fact may not be stamped more than the
stated skew before a fact the hub already holds from that station (stations
stamp and push their own facts in order, so an older stamp is a back-dated one).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Mapping, Sequence

from station.core.authority import ORGANIZER, Writer, station_may_write, supervisor_check, writer_of
from station.core.fact_check import Door, FactRefused, Refusal, check_fact
from station.core.fact_proof import proof_problem
from station.core.hlc import Stamp
from station.core.models import Fact

# A station stamps and pushes its own facts in order; a reinstalled one whose
# laptop clock runs a little behind its last stamp is forgiven this much.
BACKDATE_TOLERANCE_MS = 10 * 60 * 1000


def high_stamps(conn: sqlite3.Connection) -> dict[str, str]:
    """The highest stamp the hub holds per station (the anti-entropy summary)."""
    return dict(conn.execute("SELECT station_id, max(stamp) FROM fact GROUP BY station_id").fetchall())


def admit(conn: sqlite3.Connection, facts: Sequence[Fact], *, station: str | None, door: Door,
          organizer_keys: Callable[[], Mapping[str, bytes] | None],
          supervisor_keys: Callable[[], Mapping[str, bytes] | None] = lambda: None,
          relay: bool = False) -> None:
    """Raise FactRefused for the first fact that may not enter; return if all may.

    `station` None: the organizer's own publication (roster facts from the
    package). `relay`: the station passes on facts it holds from others (anti-
    entropy); those must be facts the writer could have written, and organizer
    facts must carry the organizer's signature either way."""
    present = _present(conn, facts)
    highs: dict[str, Stamp | None] = {}
    for fact in facts:
        if fact.fact_id in present:
            continue  # already held: taking it again changes nothing
        problem = check_fact(fact, door)
        if problem is not None:
            raise problem.error()
        writer = writer_of(fact)
        if station is not None and not relay:
            problem = station_may_write(fact, station)
            if problem is not None:
                raise problem.error()
        if station is not None and relay and fact.station_id != station and writer is not Writer.ORGANIZER:
            problem = station_may_write(fact, fact.station_id) if fact.station_id != ORGANIZER else None
            if problem is not None:
                raise problem.error()
            if conn.execute("SELECT 1 FROM hub_info WHERE key = ?", (f"direct:{fact.station_id}",)).fetchone():
                raise FactRefused(fact.fact_id, Refusal.NOT_YOUR_NAME,
                                  f"{fact.station_id!r} sends its own facts to this hub; nobody relays for it")
        if writer is Writer.ORGANIZER:
            if fact.station_id != ORGANIZER:
                raise FactRefused(fact.fact_id, Refusal.KIND_NOT_ALLOWED,
                                  f"{fact.kind.value} facts are written by the organizer only")
            keys = organizer_keys()
            if keys is None and station is not None:
                raise FactRefused(fact.fact_id, Refusal.UNSIGNED,
                                  "this event has no organizer key, so only the organizer's own "
                                  "publication may bring roster facts")
            if keys is not None:
                why = proof_problem(fact, keys)
                if why is not None:
                    raise FactRefused(fact.fact_id, why[0], why[1])
        if writer is Writer.SUPERVISOR:
            problem = supervisor_check(fact, supervisor_keys())
            if problem is not None:
                raise problem.error()
        if writer is not Writer.ORGANIZER and station is not None and not relay:
            if fact.station_id not in highs:
                top = conn.execute("SELECT max(stamp) FROM fact WHERE station_id = ?",
                                   (fact.station_id,)).fetchone()[0]
                highs[fact.station_id] = Stamp.decode(top) if top else None
            high = highs[fact.station_id]
            if high is not None and fact.stamp.wall_ms < high.wall_ms - BACKDATE_TOLERANCE_MS:
                raise FactRefused(fact.fact_id, Refusal.BACKDATED,
                                  "the fact is stamped well before facts this station already sent")
            if high is None or fact.stamp > high:
                highs[fact.station_id] = fact.stamp


def _present(conn: sqlite3.Connection, facts: Sequence[Fact]) -> set[str]:
    present: set[str] = set()
    ids = [f.fact_id for f in facts if isinstance(f.fact_id, str)]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        present.update(r[0] for r in conn.execute(
            f"SELECT fact_id FROM fact WHERE fact_id IN ({', '.join('?' * len(chunk))})", chunk))
    return present


def hub_door(event_id: str, race_date: str | None, now: dt.datetime | None = None) -> Door:
    day = dt.date.fromisoformat(race_date) if race_date else None
    return Door.for_event(event_id, day, now)


_FORBIDDEN = frozenset({Refusal.NOT_YOUR_NAME, Refusal.KIND_NOT_ALLOWED, Refusal.UNSIGNED,
                        Refusal.BAD_SIGNATURE, Refusal.UNKNOWN_KEY})


def refusal_status(reason: Refusal) -> int:
    """The HTTP status for a refused fact: 403 for authority, 422 for content."""
    return 403 if reason in _FORBIDDEN else 422
