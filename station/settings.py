"""The station's settings: declared once, typed, with defaults and a version.

Paths come from platformdirs. BIB_STATION_HOME puts every folder (settings,
data, logs) under one directory instead: for tests, which must never read a
real user's settings, and for a portable install on a USB stick.
"""

from __future__ import annotations

import json
import os
import re
import socket
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

import platformdirs

from station.core.errors import SettingsError

APP = "bib-station"
HOME_VARIABLE = "BIB_STATION_HOME"
SETTINGS_VERSION = 1


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
        return self.data / "stations" / f"{event_id}--{station_id}.sqlite"


def default_station_name() -> str:
    host = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname()).strip("-").lower()
    return f"counter-{host or 'local'}"[:40]


_STATION_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")


@dataclass(frozen=True, slots=True)
class Settings:
    station_name: str = ""  # empty: derived from the host name on load
    language: str = "ja"  # "ja" or "en"
    event_package: str = ""  # the event last opened
    camera: str = "0"  # webcam index, a video file or an image folder
    printer: str = ""  # empty: the system's default printer
    backup_printer: str = ""
    hub: str = ""  # empty: this station works alone; http(s)://host:port or sqlite:///path/hub.sqlite
    hub_token: str = ""  # from the provisioning code (`station hub add-station`)
    hub_fingerprint: str = ""  # SHA-256 of the https hub's certificate, pinned (from the code)
    hub_ca_file: str = ""  # the organizer's CA certificate (PEM): trust it instead of a pin
    idle_timeout_s: int = 90
    version: int = SETTINGS_VERSION

    def validate(self) -> None:
        if not _STATION_NAME.match(self.station_name):
            raise SettingsError(
                f"Station name {self.station_name!r} must be 1-40 letters, digits, '-' or '_'."
            )
        if self.language not in ("ja", "en"):
            raise SettingsError(f"Language must be ja or en, not {self.language!r}.")


def load(folders: Folders | None = None) -> Settings:
    folders = folders or Folders.current()
    path = folders.settings_file
    data: dict = {}
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise SettingsError(f"Settings file {path} is damaged ({exc}); delete it to start afresh.") from None
    known = {f.name for f in fields(Settings)}
    settings = Settings(**{k: v for k, v in _upgrade(data).items() if k in known})
    if not settings.station_name:
        settings = replace(settings, station_name=default_station_name())
    settings.validate()
    return settings


def save(settings: Settings, folders: Folders | None = None) -> None:
    settings.validate()
    folders = folders or Folders.current()
    folders.config.mkdir(parents=True, exist_ok=True)
    tmp = folders.settings_file.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(settings), indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(folders.settings_file)


def _upgrade(data: dict) -> dict:
    """Settings written by older versions, brought to this one."""
    data = dict(data)
    data["version"] = SETTINGS_VERSION
    return data
