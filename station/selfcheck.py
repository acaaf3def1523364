"""The self-check: is this laptop ready to be a counter?

Each check is a small function that looks at one thing the counter needs and
returns a CheckResult: what it found and, when something is wrong, what the IT
person setting up the laptop should do. Nothing here changes the station's
data: the probes write to throw-away files and roll their transactions back.
The whole run stays under about 10 s (the camera probe has a time budget).
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from station.core.errors import StationError
from station.resources import asset
from station.settings import Folders, Settings

CAMERA_INDEXES = range(5)
CAMERA_BUDGET_S = 4.0
HUB_TIMEOUT_S = 3.0
PROBE_TEXT = "bibstation-selfcheck:1001"


class Outcome(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    outcome: Outcome
    detail: str
    todo: str = ""  # what to do about a warn or a fail


@dataclass(frozen=True, slots=True)
class Machine:
    """What the checks look at: this station's settings and folders, and the event."""

    settings: Settings
    folders: Folders
    event_path: Path | None


def ok(name: str, detail: str) -> CheckResult:
    return CheckResult(name, Outcome.OK, detail)


def warn(name: str, detail: str, todo: str) -> CheckResult:
    return CheckResult(name, Outcome.WARN, detail, todo)


def fail(name: str, detail: str, todo: str) -> CheckResult:
    return CheckResult(name, Outcome.FAIL, detail, todo)


# -- the event and the data ------------------------------------------------------


def check_event_package(machine: Machine) -> CheckResult:
    from station.store.event_package import EventPackage

    name = "event package"
    path = machine.event_path
    if path is None:
        return fail(name, "no event package is configured",
                    "Start the station and enter the provisioning code from the hub, or pass --event FILE.")
    if not path.is_file():
        return fail(name, f"{path} does not exist",
                    "Copy the event package to this laptop again (or provision it from the hub).")
    try:
        package = EventPackage.open(path)
    except StationError as exc:
        return fail(name, str(exc), "Copy a fresh event package from the organizer or the hub.")
    try:
        counts = package.counts()
        return ok(name, f"{package.settings.name}: {counts.runners:,} runners, {counts.escorts:,} escorts")
    finally:
        package.close()


def _probe_sqlite(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".selfcheck-", suffix=".sqlite", dir=folder)
    os.close(fd)
    try:
        conn = sqlite3.connect(name)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            with conn:
                conn.execute("CREATE TABLE probe (x)")
                conn.execute("INSERT INTO probe VALUES (1)")
        finally:
            conn.close()
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)


def check_data_folder(machine: Machine) -> CheckResult:
    name = "data folder"
    folders = machine.folders
    try:
        _probe_sqlite(folders.data / "stations")
        folders.logs.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folders.logs):
            pass
    except OSError as exc:
        return fail(name, f"cannot write there: {exc}",
                    f"Give this Windows/Linux user write access to {folders.data} and {folders.logs}, "
                    "or set BIB_STATION_HOME to a folder it may write.")
    except sqlite3.Error as exc:
        return fail(name, f"SQLite cannot write in {folders.data}: {exc}",
                    "Keep the data folder on a local disk (not a network share or a full USB stick).")
    return ok(name, f"{folders.data} (logs in {folders.logs})")


def check_station_log(machine: Machine) -> CheckResult:
    """This counter's own log for the event: opened (made on first use) and written to, rolled back."""
    from station.store.event_package import EventPackage
    from station.store.station_log import StationLog

    name = "station log"
    if machine.event_path is None or not machine.event_path.is_file():
        return warn(name, "not checked: no event package", "Fix the event package first.")
    try:
        package = EventPackage.open(machine.event_path)
        event_id = package.settings.event_id
        package.close()
    except StationError:
        return warn(name, "not checked: the event package does not open", "Fix the event package first.")
    station = machine.settings.station_name
    path = machine.folders.station_log(event_id, station)
    try:
        log = StationLog.open(path, station_id=station, event_id=event_id)
    except (StationError, OSError, sqlite3.Error) as exc:
        return fail(name, f"{path} does not open: {exc}",
                    f"Give this user write access to {path.parent}; if the file is damaged, "
                    "move it aside and let the station pull its facts from the hub again.")
    try:
        log.conn.execute("BEGIN IMMEDIATE")  # takes the write lock, as a pickup would
        log.conn.execute("ROLLBACK")
        facts = log.summary().facts
    except sqlite3.Error as exc:
        return fail(name, f"{path} cannot be written: {exc}",
                    "Close any other Bib Station window on this laptop; check the disk is not full.")
    finally:
        log.close()
    return ok(name, f"{path.name}: {facts} facts")


# -- devices ---------------------------------------------------------------------------


def _quiet_opencv() -> None:
    """OpenCV prints a warning per missing camera; the table says it better."""
    import cv2

    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)


def _webcams_that_open(indexes: Iterable[int], budget_s: float) -> list[int]:
    import cv2

    _quiet_opencv()
    api = cv2.CAP_DSHOW if sys.platform == "win32" else cv2.CAP_ANY
    found: list[int] = []
    deadline = time.monotonic() + budget_s
    for index in indexes:
        if time.monotonic() > deadline:
            break
        cap = cv2.VideoCapture(index, api)
        try:
            if cap.isOpened():
                found.append(index)
        finally:
            cap.release()
    return found


def check_camera(machine: Machine) -> CheckResult:
    from station.scan.camera import CameraError, Webcam, source_for

    name = "camera"
    setting = machine.settings.camera.strip()
    if setting.lower() in ("", "off"):
        return warn(name, "the camera is switched off in the settings",
                    "The counter works with a hand scanner and search; set `camera` to 0 to use a webcam.")
    _quiet_opencv()
    try:
        source = source_for(setting, live=False)
        source.open()
        source.close()
    except CameraError as exc:
        if not setting.isdigit():
            return fail(name, str(exc), "Fix `camera` in the settings: a webcam number, a video or image folder.")
        others = [i for i in _webcams_that_open(CAMERA_INDEXES, CAMERA_BUDGET_S) if i != int(setting)]
        where = f"cameras that open: {', '.join(map(str, others))}" if others else "no camera opens at 0-4"
        todo = (f"Set `camera` to {others[0]} in the settings." if others
                else "Plug in the USB webcam (try another USB port) and close other programs using it."
                + camera_privacy_hint())
        return fail(name, f"{exc} ({where})", todo)
    kind = "webcam" if isinstance(source, Webcam) else "file"
    return ok(name, f"{source.description} ({kind}) gives pictures")


def camera_privacy_hint(platform: str = sys.platform) -> str:
    """Windows blocks desktop programs from every camera when its privacy switch is off:
    the camera then simply does not open, with no message of its own."""
    if platform != "win32":
        return ""
    return (" On Windows also check Settings > Privacy & security > Camera: 'Camera access' and "
            "'Let desktop apps access your camera' must be On (and any camera key or shutter on the laptop).")


def check_printer(machine: Machine) -> CheckResult:
    """Every printer of the counter's pool: health (paused, offline, out of paper,
    door open) and the pages left in its tray or roll."""
    from PySide6.QtPrintSupport import QPrinterInfo

    from station.printing.health import PrinterCondition, PrinterHealth, default_health
    from station.printing.media import MediaCounter, MediaStatus, counter_file

    name = "printer"
    settings = machine.settings
    available = QPrinterInfo.availablePrinterNames()
    wanted = settings.printer_pool[0] if settings.printer_pool else (
        settings.printer or QPrinterInfo.defaultPrinterName())
    if not wanted:
        listed = f" (printers: {', '.join(available)})" if available else ""
        return fail(name, f"no printer is set and there is no default printer{listed}",
                    "Install the bib printer's driver and make it the default printer, "
                    "or set `printer` (or `printer_pool`) in the settings.")
    pool = list(dict.fromkeys(settings.printer_pool or [wanted, settings.backup_printer]))
    pool = [p for p in pool if p]
    ask = default_health()
    states = [ask(p) if p in available else PrinterHealth(p, PrinterCondition.NOT_INSTALLED) for p in pool]
    try:
        counter: MediaCounter | None = MediaCounter(counter_file(machine.folders.data), settings.media_pages)
    except StationError:
        counter = None
    media: dict[str, MediaStatus] = {p: counter.status(p) for p in pool} if counter is not None else {}
    parts = []
    for health in states:
        part = health.text("en")
        if health.printer in media and media[health.printer].capacity is not None:
            part += f"; {media[health.printer].text('en', named=False)}"
        parts.append(part)
    detail = " | ".join(parts)
    if any(h.condition is PrinterCondition.NOT_INSTALLED for h in states):
        detail += f" (installed printers: {', '.join(available) or 'none'})"
    ready = [h for h in states if h.can_print]
    low = [m for m in media.values() if m.low]
    if not ready:
        return fail(name, detail, "Switch the printer on, load paper, close its door and resume its queue "
                    "(`cupsenable NAME`), or set `printer_pool` in the settings to printers that answer.")
    if len(ready) < len(states):
        return warn(name, detail, "Fix the printers that do not answer, or take them out of `printer_pool` "
                    "(bibs go to the next printer meanwhile).")
    if low:
        return warn(name, detail, "Load paper or a new roll, then run `station printer loaded NAME`.")
    return ok(name, detail)


def check_hub(machine: Machine) -> CheckResult:
    from station.store.event_package import EventPackage
    from station.sync.client import hub_from_settings
    from station.sync.protocol import CertificateUntrusted, HubRefused, HubRevoked, HubUnavailable

    name = "hub"
    settings = machine.settings
    if not settings.hub:
        return warn(name, "no hub: this station works alone",
                    "Fine for a single counter; with several, provision each one from the hub so "
                    "that no bib is handed out twice.")
    try:
        hub = hub_from_settings(settings, machine.folders, timeout=HUB_TIMEOUT_S)
        try:
            health = hub.health()
            hub.pull(0, limit=1)  # /health needs no token: ask something that does
        finally:
            hub.close()
    except CertificateUntrusted as exc:
        return fail(name, str(exc), "Ask the hub operator for a new provisioning code, or set hub_ca_file to "
                                    "the organizer's CA certificate.")
    except HubRevoked as exc:
        return fail(name, str(exc), "This station was revoked at the hub; ask the hub operator for a new code "
                                    "(`station provision CODE`).")
    except HubRefused as exc:
        return fail(name, str(exc), "Ask the hub operator for a new provisioning code (`station hub add-station`).")
    except HubUnavailable as exc:
        return fail(name, str(exc), "Check this laptop is on the hall network and the hub is running.")
    if machine.event_path is not None and machine.event_path.is_file() and health.event_id:
        try:
            package = EventPackage.open(machine.event_path)
            event_id = package.settings.event_id
            package.close()
        except StationError:
            event_id = None
        if event_id and event_id != health.event_id:
            return fail(name, f"the hub serves {health.event_id}, this station has {event_id}",
                        "Provision this station again from the right hub.")
    return ok(name, f"{settings.hub}: {health.facts:,} facts, event {health.event_id or 'not published'}")


# -- what we ship -----------------------------------------------------------------------


def _gui() -> None:
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        # A QApplication (not only a QGuiApplication) so that the window can start in the same
        # process later; kept on the module so that Qt does not lose it when this returns.
        global _app
        _app = QApplication(sys.argv[:1])


def check_fonts(machine: Machine) -> CheckResult:
    from PySide6.QtGui import QFontDatabase

    from station.printing.glyphs import BIB_FONT_FILE

    name = "fonts"
    _gui()
    path = asset("fonts", BIB_FONT_FILE)
    font_id = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        return fail(name, f"the bib font {path} does not load", "Reinstall Bib Station.")
    from PySide6.QtWidgets import QApplication

    from station.printing.screen_fonts import install_japanese_fallback, missing_glyphs

    install_japanese_fallback(QApplication.instance())
    missing = missing_glyphs(QApplication.instance().font())
    if missing:
        return fail(name, f"the screen font cannot draw {missing}: Japanese would show as boxes",
                    "Reinstall Bib Station (its font folder is damaged), or install a Japanese font "
                    "(fonts-noto-cjk).")
    return ok(name, f"{families[0]} ({path.name}); the screen shows Japanese")


def check_translation(machine: Machine) -> CheckResult:
    from PySide6.QtCore import QTranslator

    name = "translation"
    _gui()
    path = asset("translations", "station_ja.qm")
    translator = QTranslator()
    if not translator.load(str(path)) or translator.isEmpty():
        return fail(name, f"{path} does not load", "Reinstall Bib Station.")
    return ok(name, f"Japanese ({path.name})")


def check_katakana_model(machine: Machine) -> CheckResult:
    name = "katakana model"
    try:
        from station.core.katakana import E2KReader

        reading = E2KReader()("station")
    except Exception as exc:  # a missing or damaged model file shows up as anything at all
        return fail(name, f"the e2k model does not load: {exc}", "Reinstall Bib Station.")
    if not reading:
        return fail(name, "the e2k model loads but reads nothing", "Reinstall Bib Station.")
    return ok(name, f"e2k reads 'station' as {reading}")


def check_qr_decoder(machine: Machine) -> CheckResult:
    name = "QR decoder"
    try:
        import numpy as np
        import zxingcpp

        from station.scan.qr import read_codes

        code = zxingcpp.create_barcode(PROBE_TEXT, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
        image = np.ascontiguousarray(np.kron(np.array(code.to_image(scale=1, add_quiet_zones=True)),
                                             np.ones((6, 6), dtype=np.uint8)))
        payloads = [code.payload for code in read_codes(image)]
    except Exception as exc:  # a missing zxing-cpp or OpenCV library
        return fail(name, f"zxing-cpp / OpenCV do not load: {exc}", "Reinstall Bib Station.")
    if payloads != [PROBE_TEXT.encode()]:
        return fail(name, f"a generated QR code decoded as {payloads!r}", "Reinstall Bib Station.")
    return ok(name, "zxing-cpp reads a generated QR code")


Check = Callable[[Machine], CheckResult]

CHECKS: tuple[tuple[str, Check], ...] = (
    ("event package", check_event_package),
    ("data folder", check_data_folder),
    ("station log", check_station_log),
    ("camera", check_camera),
    ("printer", check_printer),
    ("hub", check_hub),
    ("fonts", check_fonts),
    ("translation", check_translation),
    ("katakana model", check_katakana_model),
    ("QR decoder", check_qr_decoder),
)


def run_checks(machine: Machine, *, skip: Iterable[str] = (),
               each: Callable[[CheckResult], None] | None = None) -> list[CheckResult]:
    """Every check, in order; one that crashes is a fail naming the error, never a traceback."""
    skipped = set(skip)
    results = []
    for name, check in CHECKS:
        if name in skipped:
            continue
        try:
            result = check(machine)
        except Exception as exc:
            result = fail(name, f"the check itself failed: {type(exc).__name__}: {exc}",
                          "Send the station log to the Bib Station maintainers.")
        results.append(result)
        if each:
            each(result)
    return results


def failed(results: Iterable[CheckResult]) -> bool:
    return any(r.outcome is Outcome.FAIL for r in results)
