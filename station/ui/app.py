"""Starting the Qt application on an event package."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QApplication

from station import settings as settings_module
from station.core.errors import StationError
from station.core.texts import Text
from station.printing.worker import BibPrinter
from station.scan.camera import source_for
from station.settings import Settings
from station.store.opening import open_station
from station.ui.camera_texts import camera_setting_problem
from station.ui.counter.printing import choose_printer
from station.ui.i18n import Languages
from station.ui.main_window import MainWindow
from station.ui.scan_worker import ScanWorker
from station.ui.session import StationSession
from station.ui.sounds import SoundPlayer
from station.ui.sync_worker import SyncStatusRelay

log = logging.getLogger(__name__)


def open_session(event_path: Path, station_name: str, *,
                 utcnow: Callable[[], dt.datetime] | None = None) -> StationSession:
    """Open the event package and this counter's log (made on first use).
    `utcnow` replaces the wall clock (screenshots and demos set a time in the expo)."""
    return StationSession(*open_station(event_path, station_name, utcnow=utcnow))


def run(event_path: Path, station_name: str) -> int:
    session = open_session(event_path, station_name)
    settings = settings_module.load()
    settings_module.save(replace(settings, event_package=str(event_path.resolve())))
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName("Bib Station")
    from station.printing.screen_fonts import install_japanese_fallback

    install_japanese_fallback(app)
    languages = Languages(app)
    languages.switch(settings.language)
    scanner, camera_problem = camera_worker(settings)
    sync, sync_problem = sync_worker(settings, session)
    window = MainWindow(session, languages=languages, sounds=SoundPlayer(), sync=sync, sync_problem=sync_problem,
                        idle_timeout_s=settings.idle_timeout_s, printer=print_worker(settings, session),
                        scanner=scanner, camera_problem=camera_problem)
    window.show()
    return app.exec()


# One worker per slow resource; each reports back by signals.


def print_worker(settings: Settings, session: StationSession) -> BibPrinter | None:
    from station.printing.health import default_health
    from station.printing.media import MediaCounter, counter_file
    from station.printing.worker import print_function_for
    from station.printing.zpl import ZplOptions

    name = settings.printer_pool[0] if settings.printer_pool else choose_printer(settings.printer)
    if not name:
        return None  # no printer on this laptop: the counter still records pickups
    return BibPrinter(session.station_log, printer=name, backup_printer=settings.backup_printer or None,
                      pool=settings.printer_pool, health=default_health(), timeout_s=settings.print_timeout_s,
                      places=settings.printer_places, layout=session.package.settings.bib_layout,
                      media=MediaCounter(counter_file(settings_module.Folders.current().data), settings.media_pages),
                      print_function=print_function_for(
                          {name: ZplOptions(dpi=dpi) for name, dpi in settings.zpl_printers.items()}))


def camera_worker(settings: Settings) -> tuple[ScanWorker | None, Text | None]:
    """The camera worker, or None and why not (said in the window's language; None: camera off)."""
    if settings.camera.strip().lower() in ("", "off"):
        return None, None
    try:
        return ScanWorker(source_for(settings.camera)), None
    except StationError as exc:  # a wrong camera setting: the counter still works by scanner and search
        log.warning("camera: %s", exc)
        return None, camera_setting_problem(settings.camera, exc)


def sync_worker(settings: Settings, session: StationSession) -> tuple[SyncStatusRelay | None, Text | None]:
    """The sync worker, or why there is none: a wrong hub setting never keeps
    the counter from working alone (offline-first)."""
    if not settings.hub:
        return None, None
    from station.sync.client import hub_from_settings
    from station.sync.worker import SyncWorker

    try:
        hub = hub_from_settings(settings, station_id=session.station_log.station_id)
    except StationError as exc:
        log.warning("hub: %s", exc)
        return None, exc.message_text
    relay = SyncStatusRelay(SyncWorker(session.station_log, hub))
    relay.start()
    return relay, None
