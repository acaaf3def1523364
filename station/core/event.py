"""An event's settings: what the organizer decides once, shipped in the event package.

Declared once: the dataclasses below are the settings, their defaults and
their types. The JSON document in the package is read back by walking those
declarations (`_decode`), so a default or a type is never written twice, and a
key the document lacks takes the declared default.

Versioned: the document carries `settings_version`. Reading one from an older
Bib Station runs the upgrade steps (`@_upgrade(from_version)`, oldest first)
on the raw document before it is decoded; a document from a newer Bib Station
is refused with what to do. The event package writes the upgraded document
back when it opens (station/store/event_package.py).

History of the document:

1. The first packages: no counter policy.
2. The counter policy (`counter`) is part of the document; step 1 -> 2 writes
   the policy those events were decided under (Kyoto's, as it was then), so
   that a later change of the defaults cannot change an old event's rules.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import types
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from enum import Enum, StrEnum
from typing import Any, Union, get_args, get_origin, get_type_hints
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from station.core.block_colours import block_colour
from station.core.chips import DEFAULT_CHIP_PATTERN, valid_pattern
from station.core.errors import StationError

SETTINGS_VERSION = 2
DEFAULT_TIME_ZONE = "Asia/Tokyo"  # Kyoto's, and the command line's default
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class EligibilityKind(StrEnum):
    BORN_BEFORE = "born_before"  # Kyoto: born before 1 April 2000
    MIN_AGE_ON_RACE_DAY = "min_age_on_race_day"  # Minato: 18 or older on race day


class BibLayout(StrEnum):
    A5_LANDSCAPE = "a5_landscape"
    A4 = "a4"
    LABEL_100X150 = "label_100x150"


@dataclass(frozen=True, slots=True)
class CheckinWindow:
    """A pickup window in the event's local time (naive datetimes, event zone)."""

    opens: dt.datetime
    last_entry: dt.datetime


@dataclass(frozen=True, slots=True)
class Eligibility:
    kind: EligibilityKind = EligibilityKind.BORN_BEFORE
    born_before: dt.date | None = None
    min_age: int | None = None


@dataclass(frozen=True, slots=True)
class NicknameRules:
    max_width: int = 10  # full-width counts 2, half-width 1
    katakana_conversion: bool = True
    banned_words: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CounterPolicy:
    """Check-in rules an event may switch; the defaults are Kyoto's."""

    id_required: bool = True
    certificate_required: bool = True  # for a runner who has escorts
    escort_id_required: bool = True
    # "Last entry 19:00" stays open until 19:00 + grace (see station/core/rules.py).
    last_entry_grace: dt.timedelta = dt.timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class EventSettings:
    event_id: str
    name: str
    race_date: dt.date
    time_zone: str = DEFAULT_TIME_ZONE
    checkin_windows: tuple[CheckinWindow, ...] = ()
    eligibility: Eligibility = field(default_factory=Eligibility)
    max_escorts: int = 1
    nickname: NicknameRules = field(default_factory=NicknameRules)
    bib_layout: BibLayout = BibLayout.A5_LANDSCAPE
    allow_unsigned_codes: bool = False
    handover_items: tuple[str, ...] = ("bib", "gift", "shirt")
    counter: CounterPolicy = field(default_factory=CounterPolicy)
    chip_tag_pattern: str = DEFAULT_CHIP_PATTERN  # what a timing chip's tag looks like (core/chips.py)
    # start block -> "#rrggbb" printed behind the block on the bib; see block_colour()
    block_colours: tuple[tuple[str, str], ...] = ()

    def block_colour(self, block: str) -> str:
        """The colour of `block` on the bib: the event's own, else the default
        palette by its first letter, else one picked from the palette by name."""
        return block_colour(dict(self.block_colours), block)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def local(self, moment: dt.datetime) -> dt.datetime:
        """An aware moment shown in the event's zone, whatever the laptop's zone."""
        return moment.astimezone(self.zone)

    def with_changes(self, **changes: Any) -> EventSettings:
        return replace(self, **changes)

    # -- serialisation (the event package stores one JSON document) --------

    def to_json(self) -> str:
        data = asdict(self)
        data["settings_version"] = SETTINGS_VERSION
        return json.dumps(data, default=_encode, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> EventSettings:
        """The settings from the package's document, upgraded to this version first."""
        try:
            data = upgrade_settings(json.loads(text))
            settings: EventSettings = _decode(cls, data)
        except (KeyError, ValueError, TypeError) as exc:
            raise StationError(f"The event settings are damaged ({exc}); rebuild the event package.") from None
        settings.validate()
        return settings

    def validate(self) -> None:
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise StationError(
                f"Unknown time zone {self.time_zone!r}; use a name like {DEFAULT_TIME_ZONE}.") from None
        for window in self.checkin_windows:
            if window.last_entry <= window.opens:
                raise StationError(f"Check-in window {window.opens} ends before it opens.")
        for block, colour in self.block_colours:
            if not _COLOUR.match(colour):
                raise StationError(f"Block {block}: colour {colour!r} is not #rrggbb.")
        if not valid_pattern(self.chip_tag_pattern):
            raise StationError(f"The chip tag pattern {self.chip_tag_pattern!r} is not a regular expression.")
        if self.max_escorts < 0 or self.max_escorts > 2:
            raise StationError("max_escorts must be 0, 1 or 2.")
        e = self.eligibility
        if e.kind is EligibilityKind.BORN_BEFORE and e.born_before is None:
            raise StationError("The eligibility rule 'born before' needs a date.")
        if e.kind is EligibilityKind.MIN_AGE_ON_RACE_DAY and e.min_age is None:
            raise StationError("The eligibility rule 'minimum age' needs an age.")


# -- reading the document back from the declarations ----------------------------


def _decode(kind: Any, value: Any) -> Any:
    """`value` from JSON as the declared type `kind` (a dataclass, an enum, a date,
    a datetime, a timedelta in seconds, a tuple, an optional or a plain value)."""
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        if not isinstance(value, dict):
            raise TypeError(f"{kind.__name__} must be an object, not {value!r}")
        hints = get_type_hints(kind)
        given = {f.name: _decode(hints[f.name], value[f.name]) for f in dataclasses.fields(kind) if f.name in value}
        missing = [f.name for f in dataclasses.fields(kind) if f.name not in given
                   and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
        if missing:
            raise KeyError(", ".join(missing))
        return kind(**given)
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(kind) if a is not type(None)]
        return None if value is None else _decode(options[0], value)
    if origin is tuple:
        (item, _more) = get_args(kind)
        if not isinstance(value, list | tuple):
            raise TypeError(f"expected a list, not {value!r}")
        return tuple(_decode(item, v) for v in value)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(value)
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    if kind is dt.timedelta:
        return dt.timedelta(seconds=_plain(float, value))
    return _plain(kind, value)


def _plain(kind: type[Any], value: Any) -> Any:
    # bool is an int in Python, and JSON numbers without a dot are ints: be exact about both.
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"expected {kind.__name__}, not {value!r}")
    return value


# -- upgrades of older documents -----------------------------------------------------

Step = Callable[[dict[str, Any]], dict[str, Any]]
_STEPS: dict[int, Step] = {}


def _upgrade(from_version: int) -> Callable[[Step], Step]:
    """Register the step that turns a `from_version` document into the next version."""
    def register(step: Step) -> Step:
        _STEPS[from_version] = step
        return step
    return register


@_upgrade(1)
def _pin_the_counter_policy(data: dict[str, Any]) -> dict[str, Any]:
    # Version 1 had no counter policy; those events ran under Kyoto's rules of the time.
    # The values are spelled out here on purpose: they are history, not today's defaults.
    pinned = {"id_required": True, "certificate_required": True, "escort_id_required": True,
              "last_entry_grace": 60.0}
    return {**data, "counter": {**pinned, **(data.get("counter") or {})}}


def settings_version(data: dict[str, Any]) -> int:
    version = data.get("settings_version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValueError(f"settings_version {version!r}")
    return version


def document_version(text: str) -> int:
    """The settings version a stored document was written with."""
    try:
        data = json.loads(text)
        return settings_version(data if isinstance(data, dict) else {})
    except ValueError:
        raise StationError("The event settings are damaged; rebuild the event package.") from None


def upgrade_settings(data: dict[str, Any]) -> dict[str, Any]:
    """A settings document of any earlier version as a document of this version."""
    if not isinstance(data, dict):
        raise TypeError("the settings are not a JSON object")
    version = settings_version(data)
    if version > SETTINGS_VERSION:
        raise StationError(
            f"This event package was made by a newer Bib Station (settings version {version}; "
            f"this one reads up to {SETTINGS_VERSION}). Update Bib Station on this laptop."
        )
    for step_from in range(version, SETTINGS_VERSION):
        data = _STEPS[step_from](data)
    return {**data, "settings_version": SETTINGS_VERSION}


def _encode(value: Any) -> Any:
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__} in event settings")


def kyoto_defaults(event_id: str, name: str, race_date: dt.date) -> EventSettings:
    """Kyoto's rules moved to another year: check-in Friday 11:30-20:00 and
    Saturday 10:30-19:00 (last entry), born before 1 April nineteen years
    before the race year, one escort per runner."""
    friday = race_date - dt.timedelta(days=2)
    saturday = race_date - dt.timedelta(days=1)
    return EventSettings(
        event_id=event_id,
        name=name,
        race_date=race_date,
        checkin_windows=(
            CheckinWindow(
                dt.datetime.combine(friday, dt.time(11, 30)),
                dt.datetime.combine(friday, dt.time(20, 0)),
            ),
            CheckinWindow(
                dt.datetime.combine(saturday, dt.time(10, 30)),
                dt.datetime.combine(saturday, dt.time(19, 0)),
            ),
        ),
        eligibility=Eligibility(
            EligibilityKind.BORN_BEFORE, born_before=dt.date(race_date.year - 19, 4, 1)
        ),
    )
