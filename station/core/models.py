"""The runner's world as typed, frozen values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from station.core.hlc import Stamp


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"
    UNSTATED = "X"


class Category(StrEnum):
    ATHLETE = "athlete"  # JAAF-registered
    GENERAL = "general"
    CHARITY = "charity"
    DISABILITY = "disability"
    YOUTH = "youth"
    FUN_RUN = "fun_run"


class EntrantStatus(StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Entrant:
    entry_no: str
    bib: str
    family_kanji: str
    given_kanji: str
    family_kana: str
    given_kana: str
    family_latin: str
    given_latin: str
    sex: Sex
    birth_date: dt.date
    nationality: str
    category: Category
    start_block: str
    nickname: str = ""
    katakana_requested: bool = False
    shirt_size: str = ""
    escort_of: str | None = None
    disability: bool = False
    phone: str = ""
    email: str = ""
    status: EntrantStatus = EntrantStatus.ACTIVE

    @property
    def is_escort(self) -> bool:
        return self.escort_of is not None

    @property
    def name_kanji(self) -> str:
        return f"{self.family_kanji} {self.given_kanji}".strip()

    @property
    def name_kana(self) -> str:
        return f"{self.family_kana} {self.given_kana}".strip()

    @property
    def name_latin(self) -> str:
        return f"{self.family_latin.upper()} {self.given_latin}".strip()

    @property
    def display_name(self) -> str:
        return self.name_kanji or self.name_latin or self.name_kana

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


class FactKind(StrEnum):
    PICKUP = "pickup"
    ID_CHECKED = "id_checked"
    ESCORT_PAIRED = "escort_paired"
    BIB_PRINTED = "bib_printed"
    EXCEPTION_OPENED = "exception_opened"
    EXCEPTION_CLAIMED = "exception_claimed"  # a supervisor takes a case; the earliest claim wins
    EXCEPTION_RESOLVED = "exception_resolved"
    OVERRIDE = "override"
    VOID = "void"
    ROSTER_UPDATE = "roster_update"
    PRINTER_POOL = "printer_pool"  # a print job moved on, a printer left or rejoined a counter's pool
    SIGN_IN = "sign_in"  # a supervisor PIN tried at a counter (payload: at, ok); synced, so lockout is hall-wide


@dataclass(frozen=True, slots=True)
class Fact:
    """One immutable thing that happened at a counter (or at the organizer).

    The payload holds what the kind needs (for a pickup: the items handed over;
    for a roster update: the change); it is JSON-serialisable.
    """

    fact_id: str
    kind: FactKind
    event_id: str
    station_id: str
    volunteer_id: str
    wall_time: dt.datetime  # aware, UTC
    stamp: Stamp
    entry_no: str | None = None
    payload: dict[str, Any] = field(default_factory=dict, hash=False)

    def order_key(self) -> tuple[int, int, str, str]:
        """The one merge order every station agrees on: clock stamp, then fact id.
        (Plain values, not the Stamp: sorting 200,000 facts compares them a lot.)"""
        stamp = self.stamp
        return (stamp.wall_ms, stamp.counter, stamp.node, self.fact_id)
