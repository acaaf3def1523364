"""Set a laptop up as a station: from a hub's provisioning code, or from an event
package file the organizer handed over. No window: the first-run dialog and
`station provision CODE` both call these."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from station import settings as settings_module
from station.core.errors import StationError
from station.core.ids import id_path
from station.core.texts import Text
from station.settings import Folders, Settings
from station.store.event_package import EventPackage
from station.sync.client import hub_from_settings
from station.sync.protocol import Provisioning

EVENTS_FOLDER = "events"


def _install_package(downloaded: Path, folders: Folders) -> Path:
    """Check the file is an event package and keep it under the data folder by its event id
    (a file on a USB stick must not vanish with the stick)."""
    package = EventPackage.open(downloaded)
    event_id = package.settings.event_id
    package.close()
    target = id_path(folders.data / EVENTS_FOLDER, event_id)  # a name, never a path
    target.parent.mkdir(parents=True, exist_ok=True)
    if downloaded.resolve() != target.resolve():
        if downloaded.parent == target.parent:
            downloaded.replace(target)
        else:
            partial = target.with_name(target.name + ".partial")
            shutil.copyfile(downloaded, partial)
            partial.replace(target)
    return target


def provision_from_code(code: str, *, folders: Folders | None = None,
                        progress: Callable[[int, int | None], None] | None = None,
                        ca_file: str | None = None) -> Settings:
    """Join the hub the code names: download its event package and save the settings.
    Also for a station already set up (a new code: another name, hub or event).
    `ca_file`: trust the organizer's CA instead of the fingerprint in the code."""
    folders = folders or Folders.current()
    provisioning = Provisioning.parse(code)
    before = settings_module.load(folders)
    settings = replace(before, station_name=provisioning.station, hub=provisioning.hub,
                       hub_token=provisioning.token, hub_fingerprint=provisioning.fingerprint,
                       hub_ca_file=before.hub_ca_file if ca_file is None else ca_file)
    settings.validate()
    hub = hub_from_settings(settings, folders)
    try:
        download = folders.data / EVENTS_FOLDER / "from-hub.sqlite"
        hub.download_package(download, progress)
    finally:
        hub.close()
    settings = replace(settings, event_package=str(_install_package(download, folders)))
    settings_module.save(settings, folders)
    logging.getLogger(__name__).info("provisioned as station %s of %s (was %s of %s)", settings.station_name,
                                     settings.hub, before.station_name, before.hub or "no hub")
    return settings


_NO_PACKAGE_FILE = Text("{path} がありません。イベントパッケージ（.sqlite）のファイルを選んでください。",
                        "{path} does not exist; choose the event package (.sqlite) file.")


def provision_from_file(path: Path, station_name: str, *, folders: Folders | None = None) -> Settings:
    """Work alone (or join a hub later) on an event package file the organizer handed over."""
    folders = folders or Folders.current()
    if not path.is_file():
        raise StationError(_NO_PACKAGE_FILE(path=str(path)))
    settings = replace(settings_module.load(folders), station_name=station_name.strip())
    settings.validate()
    settings = replace(settings, event_package=str(_install_package(path, folders)))
    settings_module.save(settings, folders)
    return settings
