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
from dataclasses import asdict, dataclass, field, fields, replace
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
        from station.core.ids import id_path

        return id_path(self.data / "stations", event_id, station_id)


def default_station_name() -> str:
    host = re.sub(r"[^A-Za-z0-9]+", "-", socket.gethostname()).strip("-").lower()
    return f"counter-{host or 'local'}"[:40]




@dataclass(frozen=True, slots=True)
class Settings:
    station_name: str = ""  # empty: derived from the host name on load
    language: str = "ja"  # "ja" or "en"
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
    idle_timeout_s: int = 90
    version: int = SETTINGS_VERSION

    def validate(self) -> None:
        from station.core.ids import BadId, check_station_id

        try:
            check_station_id(self.station_name)
        except BadId as exc:
            raise SettingsError(str(exc)) from None
        if self.language not in ("ja", "en"):
            raise SettingsError(f"Language must be ja or en, not {self.language!r}.")
        if self.print_timeout_s < 1:
            raise SettingsError(f"print_timeout_s must be at least 1 second, not {self.print_timeout_s}.")
        if any(not isinstance(pages, int) or pages < 1 for pages in self.media_pages.values()):
            raise SettingsError("media_pages must give each printer a whole number of sheets, 1 or more.")
        if any(dpi not in (203, 300, 600) for dpi in self.zpl_printers.values()):
            raise SettingsError("zpl_printers must give each Zebra printer its resolution: 203, 300 or 600 dpi.")


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
    values = {k: v for k, v in _upgrade(data).items() if k in known}
    if isinstance(values.get("printer_pool"), list):
        values["printer_pool"] = tuple(values["printer_pool"])
    settings = Settings(**values)
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
