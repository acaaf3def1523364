"""Settings: typed, relative where they point into the data folder, upgraded from old files."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path

import pytest

from station import settings as settings_module
from station.core.errors import SettingsError
from station.settings import SETTINGS_VERSION, Folders, Settings


def _folders(root: Path) -> Folders:
    return Folders(root / "config", root / "data", root / "logs")


def _write(folders: Folders, data: dict) -> None:
    folders.config.mkdir(parents=True, exist_ok=True)
    folders.settings_file.write_text(json.dumps(data), encoding="utf-8")


def test_a_version_1_file_loads_is_upgraded_and_the_old_file_is_kept(tmp_path: Path, caplog) -> None:
    folders = _folders(tmp_path / "usb")
    event = folders.data / "events" / "kyoto.sqlite"
    event.parent.mkdir(parents=True)
    event.write_bytes(b"")
    old = {"station_name": "counter-3", "event_package": str(event), "hub": "http://hub:8765",
           "hub_token": "t", "idle_timeout_s": 120, "version": 1}
    _write(folders, old)
    caplog.set_level(logging.INFO)
    settings = settings_module.load(folders)
    assert settings.version == SETTINGS_VERSION == 2
    assert (settings.station_name, settings.idle_timeout_s, settings.hub_fingerprint) == ("counter-3", 120, "")
    assert settings.event_package == str(event)
    stored = json.loads(folders.settings_file.read_text(encoding="utf-8"))
    assert stored["version"] == 2 and stored["event_package"] == "events/kyoto.sqlite"
    backup = folders.config / "settings.json.v1.bak"
    assert json.loads(backup.read_text(encoding="utf-8")) == old
    assert "upgraded from version 1 to 2" in caplog.text


def test_a_moved_data_folder_keeps_its_event_package(tmp_path: Path) -> None:
    first = _folders(tmp_path / "E-drive")
    event = first.data / "events" / "kyoto.sqlite"
    event.parent.mkdir(parents=True)
    event.write_bytes(b"")
    settings_module.save(Settings(station_name="counter-1", event_package=str(event)), first)
    (tmp_path / "E-drive").rename(tmp_path / "F-drive")
    moved = settings_module.load(_folders(tmp_path / "F-drive"))
    assert Path(moved.event_package) == tmp_path / "F-drive" / "data" / "events" / "kyoto.sqlite"
    assert Path(moved.event_package).is_file()
    outside = tmp_path / "elsewhere.sqlite"
    settings_module.save(replace(moved, event_package=str(outside)), _folders(tmp_path / "F-drive"))
    assert settings_module.load(_folders(tmp_path / "F-drive")).event_package == str(outside)


@pytest.mark.parametrize(("field", "value", "said"), [
    ("idle_timeout_s", "ninety", "idle_timeout_s"),
    ("language", "fr", "language"),
    ("hub", 42, "hub"),
])
def test_wrong_types_are_refused_naming_the_field(tmp_path: Path, field: str, value, said: str) -> None:
    folders = _folders(tmp_path)
    _write(folders, {field: value, "version": SETTINGS_VERSION})
    with pytest.raises(SettingsError, match=said) as refused:
        settings_module.load(folders)
    assert repr(value) in str(refused.value)


def test_a_file_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    folders = _folders(tmp_path)
    _write(folders, {"version": SETTINGS_VERSION + 1})
    with pytest.raises(SettingsError, match="newer Bib Station"):
        settings_module.load(folders)


def test_values_pydantic_can_read_are_coerced_and_the_usual_file_loads_without_it(tmp_path: Path) -> None:
    folders = _folders(tmp_path)
    _write(folders, {"idle_timeout_s": "120", "station_name": "counter-4", "version": SETTINGS_VERSION})
    assert settings_module.load(folders).idle_timeout_s == 120
    assert settings_module._already_typed({"idle_timeout_s": 120, "language": "en", "hub": ""})
    assert not settings_module._already_typed({"idle_timeout_s": True})
    assert not settings_module._already_typed({"language": "fr"})
