"""The station's settings: declared once, typed, with defaults and a version.

Paths come from platformdirs. BIB_STATION_HOME puts every folder (settings,
data, logs) under one directory instead: for tests, which must never read a
real user's settings, and for a portable install on a USB stick.

The file is checked field by field against the declared types (Pydantic,
which comes with FastAPI): `"idle_timeout_s": "ninety"` is refused saying
which field and what it wants. Paths inside the data folder are stored
relative to it, so a portable folder moved to another drive keeps its event.
Files written by older versions are brought up to date by numbered steps
(UPGRADES), with a copy of the old file kept beside it and a line in the log.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import typing
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

import platformdirs

from station.core.errors import SettingsError
from station.core.texts import Text

APP = "bib-station"
HOME_VARIABLE = "BIB_STATION_HOME"
SETTINGS_VERSION = 2
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Folders:
    config: Path
    data: Path
    logs: Path

    @classmethod
    def current(cls) -> Folders:
        home = os.environ.get(HOME_VARIABLE)
        if home:
            root = Path(home)
            return cls(root / "config", root / "data", root / "logs")
        return cls(
            Path(platformdirs.user_config_dir(APP, appauthor=False)),
            Path(platformdirs.user_data_dir(APP, appauthor=False)),
            Path(platformdirs.user_log_dir(APP, appauthor=False)),
        )

    @property
    def settings_file(self) -> Path:
        return self.config / "settings.json"

    @property
    def demo(self) -> Path:
        return self.data / "demo"

    def station_log(self, event_id: str, station_id: str) -> Path:
        from station.core.ids import id_path

        return id_path(self.data / "stations", event_id, station_id)


def default_station_name() -> str:
    host = re.sub(r"[^A-Za-z0-9]+", "-", socket.gethostname()).strip("-").lower()
    return f"counter-{host or 'local'}"[:40]




@dataclass(frozen=True, slots=True)
class Settings:
    station_name: str = ""  # empty: derived from the host name on load
    language: Literal["ja", "en"] = "ja"
    event_package: str = ""  # the event last opened
    camera: str = "0"  # webcam index, a video file or an image folder
    printer: str = ""  # empty: the system's default printer
    backup_printer: str = ""
    printer_pool: tuple[str, ...] = ()  # the counter's printers in order; empty: printer, then backup_printer
    printer_places: dict[str, str] = field(default_factory=dict)  # printer -> where to collect: "table 3"
    print_timeout_s: int = 30  # a job not printed by then moves to the next printer of the pool
    media_pages: dict[str, int] = field(default_factory=dict)  # printer -> sheets/labels in a full tray or roll
    zpl_printers: dict[str, int] = field(default_factory=dict)  # raw Zebra queue -> its dpi (203/300): ZPL bibs
    hub: str = ""  # empty: this station works alone; http(s)://host:port or sqlite:///path/hub.sqlite
    hub_token: str = ""  # from the provisioning code (`station hub add-station`)
    hub_fingerprint: str = ""  # SHA-256 of the https hub's certificate, pinned (from the code)
    hub_ca_file: str = ""  # the organizer's CA certificate (PEM): trust it instead of a pin
    idle_timeout_s: int = 90
    version: int = SETTINGS_VERSION

    # Settings naming a file or folder; stored relative to the data folder when inside it.
    PATHS = ("event_package", "hub_ca_file", "camera")

    def validate(self) -> None:
        from station.core.ids import BadId, check_station_id

        try:
            check_station_id(self.station_name)
        except BadId as exc:
            raise SettingsError(exc.message_text) from None
        if self.language not in ("ja", "en"):
            raise SettingsError(_BAD_LANGUAGE(setting="language", value=repr(self.language)))
        if self.print_timeout_s < 1:
            raise SettingsError(_BAD_PRINT_TIMEOUT(setting="print_timeout_s", value=repr(self.print_timeout_s)))
        if any(not isinstance(pages, int) or pages < 1 for pages in self.media_pages.values()):
            raise SettingsError(_BAD_MEDIA_PAGES(setting="media_pages"))
        if any(dpi not in (203, 300, 600) for dpi in self.zpl_printers.values()):
            raise SettingsError(_BAD_ZPL_DPI(setting="zpl_printers"))


# A value validate() refuses, said in both languages (a window shows the station's language;
# the log and the command line the English). {setting} is the key as written in the file.
_BAD_LANGUAGE = Text("設定 {setting} には ja（日本語）か en（英語）を書いてください（いまは {value}）。",
                     "Language must be ja or en, not {value}.")
_BAD_PRINT_TIMEOUT = Text("設定 {setting} は 1 秒以上にしてください（いまは {value}）。",
                          "{setting} must be at least 1 second, not {value}.")
_BAD_MEDIA_PAGES = Text("設定 {setting} には、プリンターごとに用紙やラベルの枚数を 1 以上の整数で書いてください。",
                        "{setting} must give each printer a whole number of sheets, 1 or more.")
_BAD_ZPL_DPI = Text("設定 {setting} には、プリンターごとに解像度を 203、300、600 のどれかで書いてください。",
                    "{setting} must give each Zebra printer its resolution: 203, 300 or 600 dpi.")
# validate() refusing a value read from the file: which file, then what is wrong in it.
_INVALID_IN_FILE = Text("設定ファイル {path}：{problem}", "Settings file {path}: {problem}")


# Read at start-up, before any window: said in both languages (the start-up message box
# shows the station's language); {detail} (the parser's words) only in the English sentence.
_DAMAGED = Text("設定ファイル {path} が壊れています。削除してから起動し直してください。",
                "Settings file {path} is damaged ({detail}); delete it to start afresh.")
_NOT_AN_OBJECT = Text("設定ファイル {path} の形式が違います。削除してから起動し直してください。",
                      "Settings file {path} is not a JSON object; delete it to start afresh.")
_WRONG_VALUES = Text("設定ファイル {path} に正しくない値があります。直すか、ファイルを削除してください。",
                     "Settings file {path} has wrong values: {detail}. Correct or delete them.")
_BAD_VERSION = Text("設定ファイルの版 {version} が数字ではありません。ファイルを削除してください。",
                    "The settings file's version {version} is not a number; delete the file.")
_NEWER_VERSION = Text("設定は新しい版のアプリ（版 {version}）で書かれています。このステーションを更新してください。",
                      "The settings were written by a newer Bib Station (version {version}); update this station.")


def load(folders: Folders | None = None) -> Settings:
    folders = folders or Folders.current()
    path = folders.settings_file
    data: dict = {}
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise SettingsError(_DAMAGED(path=str(path), detail=str(exc)), detail=str(exc)) from None
        if not isinstance(data, dict):
            raise SettingsError(_NOT_AN_OBJECT(path=str(path)))
    old_version = data.get("version", 1)
    upgraded = _upgrade(data, folders)
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(upgraded) - known)
    if unknown:
        log.warning("settings %s: ignoring unknown keys %s", path, ", ".join(unknown))
    settings = _typed({k: v for k, v in upgraded.items() if k in known}, path)
    settings = _absolute(settings, folders)
    if not settings.station_name:
        settings = replace(settings, station_name=default_station_name())
    try:
        settings.validate()
    except SettingsError as exc:
        if not path.exists():
            raise
        raise SettingsError(_INVALID_IN_FILE(path=str(path), problem=exc.message_text)) from None
    if path.exists() and old_version != SETTINGS_VERSION:
        backup = path.with_name(f"{path.name}.v{old_version}.bak")
        backup.write_bytes(path.read_bytes())
        save(settings, folders)
        log.info("settings %s upgraded from version %s to %s; the old file is kept as %s",
                 path, old_version, SETTINGS_VERSION, backup)
    return settings


def save(settings: Settings, folders: Folders | None = None) -> None:
    settings.validate()
    folders = folders or Folders.current()
    folders.config.mkdir(parents=True, exist_ok=True)
    tmp = folders.settings_file.with_suffix(".tmp")
    stored = asdict(_relative(settings, folders))
    tmp.write_text(json.dumps(stored, indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(folders.settings_file)


def _already_typed(data: dict) -> bool:
    """Every value has exactly its declared type: nothing for Pydantic to coerce or refuse.
    (The usual case; importing Pydantic would cost the counter's cold start a few tenths.)"""
    hints = typing.get_type_hints(Settings)
    for key, value in data.items():
        hint = hints[key]
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if origin is tuple:  # JSON has lists: tuple[str, ...]
            if not isinstance(value, list | tuple) or any(type(v) is not args[0] for v in value):
                return False
        elif origin is dict:
            if not isinstance(value, dict) or any(type(k) is not args[0] or type(v) is not args[1]
                                                  for k, v in value.items()):
                return False
        elif origin is Literal:
            if value not in typing.get_args(hint) or type(value) is not type(typing.get_args(hint)[0]):
                return False
        elif type(value) is not hint:
            return False
    return True


def _typed(data: dict, path: Path) -> Settings:
    if _already_typed(data):
        values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        return Settings(**values)
    from pydantic import TypeAdapter, ValidationError

    try:
        return TypeAdapter(Settings).validate_python(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or 'file'}: {error['msg']} (found {error.get('input')!r})"
            for error in exc.errors())
        raise SettingsError(_WRONG_VALUES(path=str(path), detail=problems), detail=problems) from None


def _relative(settings: Settings, folders: Folders) -> Settings:
    changes: dict[str, Any] = {}
    data = folders.data.resolve()
    for name in Settings.PATHS:
        value = getattr(settings, name)
        if not value or not os.path.isabs(value):
            continue
        try:
            changes[name] = Path(value).resolve().relative_to(data).as_posix()
        except ValueError:
            continue  # outside the data folder: kept as it is
    return replace(settings, **changes)


def _absolute(settings: Settings, folders: Folders) -> Settings:
    changes: dict[str, Any] = {}
    for name in Settings.PATHS:
        value = getattr(settings, name)
        if not value or os.path.isabs(value) or (name == "camera" and value.isdigit()):
            continue
        candidate = folders.data / value
        if name != "camera" or candidate.exists():
            changes[name] = str(candidate)
    return replace(settings, **changes)


def _to_2(data: dict, folders: Folders) -> dict:
    """Version 2: the hub's pinned certificate and CA file; paths into the data
    folder become relative (save() writes them so)."""
    data.setdefault("hub_fingerprint", "")
    data.setdefault("hub_ca_file", "")
    return data


# UPGRADES[n] brings a version-n file to version n + 1.
UPGRADES: dict[int, Callable[[dict, Folders], dict]] = {1: _to_2}


def _upgrade(data: dict, folders: Folders) -> dict:
    """Settings written by older versions, brought to this one step by step."""
    data = dict(data)
    version = data.get("version", 1)
    if not isinstance(version, int) or version < 1:
        raise SettingsError(_BAD_VERSION(version=repr(version)))
    if version > SETTINGS_VERSION:
        raise SettingsError(_NEWER_VERSION(version=version))
    while version < SETTINGS_VERSION:
        data = UPGRADES[version](data, folders)
        version += 1
    data["version"] = SETTINGS_VERSION
    return data
