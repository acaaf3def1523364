"""EventSettings declared once: read back from its declarations, versioned, upgraded step by step."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from station.core import event
from station.core.errors import StationError
from station.core.event import (
    DEFAULT_TIME_ZONE,
    SETTINGS_VERSION,
    CounterPolicy,
    EligibilityKind,
    EventSettings,
    upgrade_settings,
)

# A document as the first Bib Station wrote it (settings_version 1, before the counter policy).
VERSION_1 = {
    "event_id": "kyoto-2026", "name": "Kyoto Marathon 2026", "race_date": "2026-02-15",
    "time_zone": "Asia/Tokyo",
    "checkin_windows": [{"opens": "2026-02-13T11:30:00", "last_entry": "2026-02-13T20:00:00"}],
    "eligibility": {"kind": "born_before", "born_before": "2007-04-01", "min_age": None},
    "max_escorts": 1, "nickname": {"max_width": 10, "katakana_conversion": True, "banned_words": []},
    "bib_layout": "a5_landscape", "allow_unsigned_codes": False, "handover_items": ["bib", "gift", "shirt"],
    "settings_version": 1,
}


def test_a_round_trip_keeps_every_field(kyoto_settings):
    changed = kyoto_settings.with_changes(
        time_zone="Europe/London", max_escorts=2, allow_unsigned_codes=True, handover_items=("bib",),
        counter=CounterPolicy(id_required=False, last_entry_grace=dt.timedelta(seconds=90)),
        eligibility=event.Eligibility(EligibilityKind.MIN_AGE_ON_RACE_DAY, min_age=18),
        nickname=event.NicknameRules(max_width=8, katakana_conversion=False, banned_words=("ACME",)))
    assert EventSettings.from_json(changed.to_json()) == changed
    assert json.loads(changed.to_json())["settings_version"] == SETTINGS_VERSION


def test_a_missing_key_takes_the_declared_default():
    minimal = {"event_id": "e", "name": "E", "race_date": "2027-02-21",
               "eligibility": {"born_before": "2008-04-01"}, "settings_version": SETTINGS_VERSION}
    settings = EventSettings.from_json(json.dumps(minimal))
    declared = {f.name: f for f in dataclasses.fields(EventSettings)}
    assert settings.time_zone == declared["time_zone"].default == DEFAULT_TIME_ZONE
    assert settings.max_escorts == declared["max_escorts"].default
    assert settings.handover_items == declared["handover_items"].default
    assert settings.counter == CounterPolicy() and settings.nickname == event.NicknameRules()


def test_the_defaults_are_written_once():
    source = Path(event.__file__).read_text(encoding="utf-8")
    assert source.count('"Asia/Tokyo"') == 1  # DEFAULT_TIME_ZONE
    reader = source[source.index("def from_json"):source.index("def validate")]
    assert ".get(" not in reader  # no defaults repeated while reading


def test_an_old_document_is_upgraded_with_the_rules_it_was_decided_under():
    upgraded = upgrade_settings(dict(VERSION_1))
    assert upgraded["settings_version"] == SETTINGS_VERSION
    assert upgraded["counter"] == {"id_required": True, "certificate_required": True,
                                   "escort_id_required": True, "last_entry_grace": 60.0}
    settings = EventSettings.from_json(json.dumps(VERSION_1))
    assert settings.counter.last_entry_grace == dt.timedelta(minutes=1)
    assert settings.checkin_windows[0].last_entry == dt.datetime(2026, 2, 13, 20, 0)


def test_every_earlier_version_has_its_step():
    assert sorted(event._STEPS) == list(range(1, SETTINGS_VERSION))


def test_a_document_from_a_newer_station_is_refused_with_what_to_do():
    newer = dict(VERSION_1, settings_version=SETTINGS_VERSION + 1)
    with pytest.raises(StationError, match=r"newer Bib Station.*Update Bib Station"):
        EventSettings.from_json(json.dumps(newer))


@pytest.mark.parametrize("bad", [
    {"max_escorts": "1"}, {"max_escorts": True}, {"allow_unsigned_codes": "yes"},
    {"race_date": "21/02/2027"}, {"bib_layout": "a3"}, {"handover_items": "bib"},
    {"settings_version": "2"}, {"event_id": None},
])
def test_a_damaged_document_says_so(bad):
    with pytest.raises(StationError, match="event settings are damaged"):
        EventSettings.from_json(json.dumps({**VERSION_1, **bad}))


def test_a_document_without_a_required_field_says_so():
    broken = {k: v for k, v in VERSION_1.items() if k != "race_date"}
    with pytest.raises(StationError, match=r"damaged \('race_date'\)"):
        EventSettings.from_json(json.dumps(broken))
