"""Every fact is checked at every door: the hub (push, relay), a station
(pull, the pre-pickup answer, a package's roster facts) and the event package.

`check_fact` answers None for a fact that may enter, or a `Refusal` naming
why not. It checks what any receiver can check alone:

- the ids: event id is this event's, station id and the stamp's node are
  names (station/core/ids.py) and agree with each other;
- every text field's length (fact id, volunteer id, entry number);
- the clock stamp: counter at most MAX_COUNTER (the encoding's width), the
  stamp's time not ahead of the receiver's clock by more than the stated skew
  and not before the event's earliest possible fact; the wall time aware;
- the payload's shape for the kind: known keys with their types and lengths;
  other keys only short scalars (so a newer station's extra detail still
  passes); at most MAX_PAYLOAD_CHARS of JSON in all.

Who may write which kind, and the signatures that prove it, are checked by
station/core/authority.py on top of this.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from station.core.errors import StationError
from station.core.hlc import MAX_WALL_MS
from station.core.ids import id_problem
from station.core.models import Fact, FactKind

MAX_FACT_ID = 64
# A stamp's counter counts facts within one millisecond at one station; far
# below the encoding's width (hlc.MAX_COUNTER), so that no received stamp can
# push a receiving clock anywhere near it.
MAX_ACCEPTED_COUNTER = 99_999
MAX_VOLUNTEER_ID = 64
MAX_ENTRY_NO = 32
MAX_PAYLOAD_CHARS = 4096
MAX_TEXT = 200  # a payload string's length unless its field says otherwise
MAX_NOTE = 1000
MAX_LIST = 50
# How far ahead of the receiver's clock a stamp may be. Forward-dating gains a
# station nothing (the earliest pickup counts, and back-dating is caught at the
# hub); refusing a real pickup because a laptop's clock is slow would hide a
# double pickup. So: generous. The hub (one machine, its clock watched) allows
# an hour; a counter, whose clock nobody checks, a day.
HUB_SKEW = dt.timedelta(hours=1)
STATION_SKEW = dt.timedelta(days=1)
DEFAULT_SKEW = HUB_SKEW
# The earliest fact of an event: a year and a bit before race day (the roster is
# loaded months ahead; nothing about an event happens earlier).
EARLIEST_BEFORE_RACE = dt.timedelta(days=400)


class Refusal(StrEnum):
    """The named reason a fact was refused (stable: logs, answers, tests)."""

    BAD_FACT_ID = "bad_fact_id"
    WRONG_EVENT = "wrong_event"
    BAD_STATION_ID = "bad_station_id"
    BAD_VOLUNTEER_ID = "bad_volunteer_id"
    BAD_ENTRY_NO = "bad_entry_no"
    BAD_STAMP = "bad_stamp"
    STAMP_NODE_MISMATCH = "stamp_node_mismatch"
    STAMP_IN_FUTURE = "stamp_in_future"
    STAMP_TOO_EARLY = "stamp_too_early"
    WALL_TIME_MISMATCH = "wall_time_mismatch"
    BACKDATED = "backdated"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    BAD_PAYLOAD = "bad_payload"
    # authority (station/core/authority.py)
    NOT_YOUR_NAME = "not_your_name"
    KIND_NOT_ALLOWED = "kind_not_allowed"
    UNSIGNED = "unsigned"
    BAD_SIGNATURE = "bad_signature"
    UNKNOWN_KEY = "unknown_key"


class FactRefused(StationError):
    """A fact that may not enter; `reason` is the named reason."""

    def __init__(self, fact_id: str, reason: Refusal, detail: str) -> None:
        self.fact_id = fact_id
        self.reason = reason
        super().__init__(f"Fact {fact_id[:80]!r} refused ({reason.value}): {detail}", detail=detail)


@dataclass(frozen=True, slots=True)
class Door:
    """What the receiver knows: its event, its clock, how far clocks may differ."""

    event_id: str
    now: dt.datetime | None  # the receiver's clock, aware; None: no bound ahead (a tool reading old logs)
    earliest: dt.datetime | None = None  # no fact of the event before this
    skew: dt.timedelta = DEFAULT_SKEW

    @classmethod
    def for_event(cls, event_id: str, race_date: dt.date | None, now: dt.datetime | None = None,
                  skew: dt.timedelta = DEFAULT_SKEW) -> Door:
        earliest = None
        if race_date is not None:
            earliest = dt.datetime.combine(race_date, dt.time(), dt.UTC) - EARLIEST_BEFORE_RACE
        return cls(event_id, now or dt.datetime.now(dt.UTC), earliest, skew)


@dataclass(frozen=True, slots=True)
class Checked:
    fact_id: str
    reason: Refusal
    detail: str

    def error(self) -> FactRefused:
        return FactRefused(self.fact_id, self.reason, self.detail)


# -- payload shapes ------------------------------------------------------------------

Check = Callable[[Any], bool]


def _text(limit: int = MAX_TEXT) -> Check:
    return lambda v: isinstance(v, str) and len(v) <= limit


def _opt_text(limit: int = MAX_TEXT) -> Check:
    return lambda v: v is None or (isinstance(v, str) and len(v) <= limit)


def _bool(v: Any) -> bool:
    return isinstance(v, bool)


def _count(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 1_000_000


def _opt_count(v: Any) -> bool:
    return v is None or _count(v)


def _texts(limit: int = MAX_TEXT, items: int = MAX_LIST) -> Check:
    return lambda v: (isinstance(v, list) and len(v) <= items
                      and all(isinstance(x, str) and len(x) <= limit for x in v))


def _scalar(v: Any) -> bool:
    if v is None or isinstance(v, bool):
        return True
    if isinstance(v, int):
        return abs(v) < 2**53
    if isinstance(v, float):
        return math.isfinite(v)
    return isinstance(v, str) and len(v) <= MAX_TEXT


def _flat_row(v: Any) -> bool:
    return (isinstance(v, dict) and len(v) <= 40
            and all(isinstance(k, str) and len(k) <= 40 and _scalar(x) for k, x in v.items()))


def _proof(v: Any) -> bool:
    return (isinstance(v, dict) and set(v) <= {"key", "sig", "by"}
            and all(isinstance(x, str) and len(x) <= 200 for x in v.values()))


_DECISION: dict[str, Check] = {
    "exception_id": _text(MAX_FACT_ID), "decision": _text(40), "supervisor_reason": _text(MAX_NOTE),
}
_COMMON: dict[str, Check] = {"proof": _proof}

# Keyed by the kind's value, so that a kind added on another branch (e.g. printer_pool)
# can have its shape here before its enum member exists on this one.
SHAPES: Mapping[str, Mapping[str, Check]] = {
    FactKind.PICKUP.value: {
        "bib": _text(20), "role": _text(20), "runner": _text(MAX_ENTRY_NO), "found_by": _text(30),
        "items": _texts(30, 10), "decided_offline": _bool, "chip": _text(64), "reprint": _bool,
        **_DECISION,
    },
    FactKind.ID_CHECKED.value: {
        "document": _text(30), "name": _text(30), "birth_date": _text(30), "original": _bool,
        "document_hash": _opt_text(128),
    },
    FactKind.ESCORT_PAIRED.value: {
        "escorts": _texts(MAX_ENTRY_NO, 4), "certificate_seen": _bool, "by_supervisor": _bool, **_DECISION,
    },
    FactKind.BIB_PRINTED.value: {
        "copy": _count, "printer": _text(100), "layout": _text(30), "bib": _text(20),
        "job_id": _text(MAX_FACT_ID), "reprint_of": _text(MAX_FACT_ID), "moved_from": _texts(100),
    },
    FactKind.EXCEPTION_OPENED.value: {"reason": _text(60), "note": _text(MAX_NOTE), "codes": _texts(60, 30)},
    FactKind.EXCEPTION_CLAIMED.value: {"exception_id": _text(MAX_FACT_ID)},
    FactKind.EXCEPTION_RESOLVED.value: {
        **_DECISION, "ground": _text(40), "nickname": _text(60), "escorts": _texts(MAX_ENTRY_NO, 4),
        "keep_pickup": _text(MAX_FACT_ID),
    },
    FactKind.OVERRIDE.value: {
        **_DECISION, "ground": _text(40), "codes": _texts(60, 30), "nickname": _text(60),
        "reprint": _bool, "keep_pickup": _text(MAX_FACT_ID),
    },
    FactKind.VOID.value: {
        **_DECISION, "voids": _text(MAX_FACT_ID), "what": _text(20), "copy": _opt_count,
        "reason": _text(MAX_NOTE),
    },
    FactKind.SIGN_IN.value: {"at": _text(40), "ok": _bool},
    FactKind.ROSTER_UPDATE.value: {
        "change": _text(30), "entrant": _flat_row, "fields": _flat_row, "previous": _flat_row,
        "serial": _count, "reason": _text(MAX_NOTE), "entrants": _count, "sha256": _text(64),
        "escort": _text(MAX_ENTRY_NO), "line": _count, "why": _text(60),
    },
    "printer_pool": {
        "change": _text(40), "printer": _text(100), "to": _text(100), "problem": _text(60),
        "detail": _text(MAX_NOTE), "job_id": _text(MAX_FACT_ID), "bib": _text(20),
    },
}
REQUIRED: Mapping[str, frozenset[str]] = {
    FactKind.EXCEPTION_CLAIMED.value: frozenset({"exception_id"}),
    FactKind.EXCEPTION_RESOLVED.value: frozenset({"exception_id"}),
    FactKind.ROSTER_UPDATE.value: frozenset({"change"}),
    FactKind.SIGN_IN.value: frozenset({"at", "ok"}),
}


def payload_problem(kind: FactKind, payload: object) -> str | None:
    if not isinstance(payload, dict):
        return "the payload is not a JSON object"
    shape = SHAPES.get(kind.value, {})
    missing = REQUIRED.get(kind.value, frozenset()) - payload.keys()
    if missing:
        return f"{kind.value} needs {', '.join(sorted(missing))}"
    for key, value in payload.items():
        if not isinstance(key, str) or len(key) > 40:
            return "a payload key is not a short text"
        check = shape.get(key) or _COMMON.get(key)
        if check is not None:
            if not check(value):
                return f"payload field {key!r} has the wrong type or length"
        elif not (_scalar(value) or _texts()(value)):
            return f"unknown payload field {key!r} is not a short value"
    return None


def payload_chars(payload: Mapping[str, Any]) -> int:
    return len(json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")))


# -- the check -------------------------------------------------------------------------


def _ms(moment: dt.datetime) -> int:
    return int(moment.timestamp() * 1000)


def check_fact(fact: Fact, door: Door) -> Checked | None:
    """None: the fact may enter (as far as its own content goes); else why not."""

    def no(reason: Refusal, detail: str) -> Checked:
        return Checked(str(fact.fact_id)[:MAX_FACT_ID], reason, detail)

    if not isinstance(fact.fact_id, str) or not 1 <= len(fact.fact_id) <= MAX_FACT_ID \
            or not fact.fact_id.isprintable():
        return no(Refusal.BAD_FACT_ID, f"a fact id is 1-{MAX_FACT_ID} printable characters")
    if fact.event_id != door.event_id:
        return no(Refusal.WRONG_EVENT, f"the fact is for event {str(fact.event_id)[:60]!r}, "
                                       f"this is {door.event_id!r}")
    problem = id_problem(fact.station_id)
    if problem:
        return no(Refusal.BAD_STATION_ID, f"station id {problem}")
    if not isinstance(fact.volunteer_id, str) or len(fact.volunteer_id) > MAX_VOLUNTEER_ID \
            or not fact.volunteer_id.isprintable():
        return no(Refusal.BAD_VOLUNTEER_ID, f"a volunteer id is at most {MAX_VOLUNTEER_ID} printable characters")
    if fact.entry_no is not None and (not isinstance(fact.entry_no, str) or not fact.entry_no
                                      or len(fact.entry_no) > MAX_ENTRY_NO
                                      or not fact.entry_no.isprintable()):
        return no(Refusal.BAD_ENTRY_NO, f"an entry number is 1-{MAX_ENTRY_NO} printable characters")
    stamp = fact.stamp
    if not (0 <= stamp.counter <= MAX_ACCEPTED_COUNTER and 0 <= stamp.wall_ms <= MAX_WALL_MS):
        return no(Refusal.BAD_STAMP, f"the clock stamp's counter is at most {MAX_ACCEPTED_COUNTER}")
    if stamp.node != fact.station_id:
        return no(Refusal.STAMP_NODE_MISMATCH, "the clock stamp is another station's")
    if door.now is not None and stamp.wall_ms > _ms(door.now + door.skew):
        return no(Refusal.STAMP_IN_FUTURE,
                  f"the clock stamp is more than {door.skew} ahead of the receiver's clock")
    if door.earliest is not None and stamp.wall_ms < _ms(door.earliest):
        return no(Refusal.STAMP_TOO_EARLY, "the clock stamp is before the event could have any fact")
    wall = fact.wall_time
    if not isinstance(wall, dt.datetime) or wall.tzinfo is None:
        return no(Refusal.WALL_TIME_MISMATCH, "the wall time has no time zone")
    problem = payload_problem(fact.kind, fact.payload)
    if problem:
        return no(Refusal.BAD_PAYLOAD, problem)
    if payload_chars(fact.payload) > MAX_PAYLOAD_CHARS:
        return no(Refusal.PAYLOAD_TOO_LARGE, f"the payload is over {MAX_PAYLOAD_CHARS} characters")
    return None
