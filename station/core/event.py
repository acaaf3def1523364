"""An event's settings: what the organizer decides once, shipped in the event package."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from station.core.chips import DEFAULT_CHIP_PATTERN, valid_pattern
from station.core.errors import StationError

SETTINGS_VERSION = 1


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
    time_zone: str = "Asia/Tokyo"
    checkin_windows: tuple[CheckinWindow, ...] = ()
    eligibility: Eligibility = field(default_factory=Eligibility)
    max_escorts: int = 1
    nickname: NicknameRules = field(default_factory=NicknameRules)
    bib_layout: BibLayout = BibLayout.A5_LANDSCAPE
    allow_unsigned_codes: bool = False
    handover_items: tuple[str, ...] = ("bib", "gift", "shirt")
    counter: CounterPolicy = field(default_factory=CounterPolicy)
    chip_tag_pattern: str = DEFAULT_CHIP_PATTERN  # what a timing chip's tag looks like (core/chips.py)

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
        try:
            data = json.loads(text)
            data.pop("settings_version", None)
            settings = cls(
                event_id=data["event_id"],
                name=data["name"],
                race_date=dt.date.fromisoformat(data["race_date"]),
                time_zone=data.get("time_zone", "Asia/Tokyo"),
                checkin_windows=tuple(
                    CheckinWindow(
                        dt.datetime.fromisoformat(w["opens"]),
                        dt.datetime.fromisoformat(w["last_entry"]),
                    )
                    for w in data.get("checkin_windows", ())
                ),
                eligibility=_eligibility(data.get("eligibility") or {}),
                max_escorts=int(data.get("max_escorts", 1)),
                nickname=NicknameRules(
                    max_width=int(data.get("nickname", {}).get("max_width", 10)),
                    katakana_conversion=bool(
                        data.get("nickname", {}).get("katakana_conversion", True)
                    ),
                    banned_words=tuple(data.get("nickname", {}).get("banned_words", ())),
                ),
                bib_layout=BibLayout(data.get("bib_layout", BibLayout.A5_LANDSCAPE)),
                allow_unsigned_codes=bool(data.get("allow_unsigned_codes", False)),
                handover_items=tuple(data.get("handover_items", ("bib", "gift", "shirt"))),
                counter=_counter(data.get("counter") or {}),
                chip_tag_pattern=str(data.get("chip_tag_pattern") or DEFAULT_CHIP_PATTERN),
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise StationError(f"The event settings are damaged ({exc}); rebuild the event package.") from None
        settings.validate()
        return settings

    def validate(self) -> None:
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise StationError(f"Unknown time zone {self.time_zone!r}; use a name like Asia/Tokyo.") from None
        for window in self.checkin_windows:
            if window.last_entry <= window.opens:
                raise StationError(f"Check-in window {window.opens} ends before it opens.")
        if not valid_pattern(self.chip_tag_pattern):
            raise StationError(f"The chip tag pattern {self.chip_tag_pattern!r} is not a regular expression.")
        if self.max_escorts < 0 or self.max_escorts > 2:
            raise StationError("max_escorts must be 0, 1 or 2.")
        e = self.eligibility
        if e.kind is EligibilityKind.BORN_BEFORE and e.born_before is None:
            raise StationError("The eligibility rule 'born before' needs a date.")
        if e.kind is EligibilityKind.MIN_AGE_ON_RACE_DAY and e.min_age is None:
            raise StationError("The eligibility rule 'minimum age' needs an age.")


def _eligibility(data: dict[str, Any]) -> Eligibility:
    born = data.get("born_before")
    return Eligibility(
        kind=EligibilityKind(data.get("kind", EligibilityKind.BORN_BEFORE)),
        born_before=dt.date.fromisoformat(born) if born else None,
        min_age=data.get("min_age"),
    )


def _counter(data: dict[str, Any]) -> CounterPolicy:
    default = CounterPolicy()
    return CounterPolicy(
        id_required=bool(data.get("id_required", default.id_required)),
        certificate_required=bool(data.get("certificate_required", default.certificate_required)),
        escort_id_required=bool(data.get("escort_id_required", default.escort_id_required)),
        last_entry_grace=dt.timedelta(seconds=float(
            data.get("last_entry_grace", default.last_entry_grace.total_seconds()))),
    )


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
