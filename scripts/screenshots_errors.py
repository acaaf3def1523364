"""Screenshots, in Japanese, of the errors that used to show English in a Japanese window
(issue 18), into docs/screenshots/:

- 20-first-run-hub-refused-ja: a valid provisioning code the hub on loopback refuses;
- 21-first-run-https-to-plain-http-ja: the code's https spoken to a plain-http hub;
- 22-first-run-no-camera-ja: the webcam scan with a camera index that cannot open;
- 23-counter-print-failed-spooler-detail-ja: the counter after the spooler refused a bib,
  its words on the details line, and the camera box with no camera;
- 24-supervisor-queue-notes-ja: the supervisor's queue with the notes a station writes
  itself (a double pickup found by sync, one licence for two entries), a volunteer's
  note as typed and a bib that did not print (tests/ui/test_japanese_supervisor.py);
- 25-first-run-self-check-ja: the self-check offered at first start on a laptop with no
  event package, no camera, a printer that is not installed and a hub that does not answer.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots_errors.py [24 ...]

With numbers, only the screenshots whose names start with them are taken.

A real hub (`station hub serve`'s app on uvicorn) runs on loopback in a thread;
the camera index 97 is one no laptop has.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's station and tests' helpers
OUT = ROOT / "docs" / "screenshots"
NO_CAMERA = "97"


def main(only: list[str]) -> None:
    os.environ.setdefault("BIB_STATION_HOME", tempfile.mkdtemp(prefix="bib-error-shots-"))
    from station import settings as settings_module
    from station.core.event import kyoto_defaults
    from station.printing.screen_fonts import install_japanese_fallback
    from station.sync.hub_store import HUB_FILE, HubStore, publish_event
    from station.sync.protocol import Provisioning
    from station.ui.first_run import FirstRunDialog
    from station.ui.i18n import Languages
    from tests.factories import make_event, row
    from tests.integration.test_sync_hubs import HttpHubRunner

    app = QApplication.instance() or QApplication([])
    install_japanese_fallback(app)
    languages = Languages(app)
    languages.switch("ja")
    folder = Path(os.environ["BIB_STATION_HOME"])
    settings = kyoto_defaults("kyoto-2027", "京都マラソン2027 / Kyoto Marathon 2027", dt.date(2027, 2, 21))
    event = folder / "event.sqlite"
    make_event(event, settings, [row(n) for n in range(1, 6)]).close()
    publish_event(folder / "hub", event)
    hub = HttpHubRunner(folder / "hub")
    hub.start()
    with HubStore.open(hub.data / HUB_FILE) as store:
        token = store.add_station("counter-3")
    OUT.mkdir(parents=True, exist_ok=True)

    def settle(until=lambda: True, seconds: float = 20.0) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            if until():
                break
            time.sleep(0.02)
        for _ in range(5):
            app.processEvents()
            time.sleep(0.02)

    def shot(widget: QWidget, name: str) -> None:
        settle()
        frame = widget.frameGeometry()
        picture = app.primaryScreen().grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
        picture.save(str(OUT / f"{name}-ja.png"))
        print("saved", name)

    def wanted(name: str) -> bool:
        return not only or any(name.startswith(n) for n in only)

    def first_run(code: str, name: str) -> None:
        if not wanted(name):
            return
        dialog = FirstRunDialog(settings_module.load(), languages=languages)
        dialog.show()
        dialog.code_edit.setPlainText(code)
        dialog.connect_button.click()
        settle(lambda: not dialog.busy and dialog.status.text() != "")
        shot(dialog, name)
        dialog.close()

    # a code for counter-3 with a token the hub never gave (it was re-added since, say)
    first_run(Provisioning(hub.url, "counter-3", "x" * len(token)).code(), "20-first-run-hub-refused")
    tls = hub.url.replace("http://", "https://")
    first_run(Provisioning(tls, "counter-3", token, "ab" * 32).code(), "21-first-run-https-to-plain-http")

    if wanted("22"):
        dialog = FirstRunDialog(settings_module.Settings(camera=NO_CAMERA), languages=languages)
        dialog.show()
        dialog.scan_button.click()
        settle(lambda: dialog.status.text() != "")
        shot(dialog, "22-first-run-no-camera")
        dialog.close()
    if wanted("25"):
        from station.ui.first_run import run_selfcheck_dialog
        from tests.integration.test_sync_hubs import free_port

        check = run_selfcheck_dialog(settings_module.Settings(
            station_name="counter-3", camera=NO_CAMERA, printer="BibStationA5", hub_token="t" * 40,
            hub=f"http://127.0.0.1:{free_port()}"), language="ja")
        check.resize(1300, 460)
        check.show()
        shot(check, "25-first-run-self-check")
        check.close()
    hub.stop()
    if wanted("23"):
        print_failed(event, settings, languages, settle, shot)
    if wanted("24"):
        supervisor_queue(folder, settings, languages, settle, shot)
    print(f"screenshots in {OUT}")


def print_failed(event, settings, languages, settle, shot) -> None:
    from station.core.evidence import Match
    from station.printing.printer import PrinterProblem, PrintFailed
    from station.printing.worker import BibPrinter
    from station.scan.camera import source_for
    from station.ui.app import open_session
    from station.ui.main_window import MainWindow
    from station.ui.scan_worker import ScanWorker
    from station.ui.sounds import SoundPlayer

    def spooler_refuses(face, layout, name):
        raise PrintFailed(PrinterProblem.JOB_FAILED, name, "client-error-document-format-not-supported")

    session = open_session(event, "counter-3", utcnow=lambda: dt.datetime(2027, 2, 19, 5, 10, tzinfo=dt.UTC))
    printer = BibPrinter(session.station_log, printer="BibStationA5", print_function=spooler_refuses)
    window = MainWindow(session, languages=languages, sounds=SoundPlayer(False), printer=printer,
                        now=lambda: dt.datetime(2027, 2, 19, 14, 10, tzinfo=settings.zone),
                        scanner=ScanWorker(source_for(NO_CAMERA)))
    window.resize(1366, 705)
    window.show()
    model = window.model
    model.sign_in("V17")
    model.choose("1001")
    model.set_name(Match.CONFIRMED)
    model.set_birth_date(Match.CONFIRMED)
    for item in model.checklist:
        model.set_item(item, True)
    model.complete()
    settle(lambda: window.print_banner.failure is not None and window.counter.camera.message != "")
    shot(window, "23-counter-print-failed-spooler-detail")
    window.close()
    printer.close()


def supervisor_queue(folder: Path, settings, languages, settle, shot) -> None:
    from station.store.event_package import EventPackage
    from station.store.supervisors import enrol
    from station.ui.app import open_session
    from station.ui.main_window import MainWindow
    from station.ui.sounds import SoundPlayer
    from tests.factories import make_event, row
    from tests.ui.test_japanese_supervisor import CONFLICT, fill_the_queue

    event = folder / "supervisor.sqlite"
    make_event(event, settings, [row(n) for n in range(1, 6)]).close()
    package = EventPackage.open(event)
    enrol(package, "S1", "佐藤 花子", "4821397650")
    package.close()
    clock = dt.datetime(2027, 2, 19, 5, 10, tzinfo=dt.UTC)  # 14:10 in Kyoto, during check-in
    session = open_session(event, "counter-3", utcnow=lambda: clock)
    window = MainWindow(session, languages=languages, sounds=SoundPlayer(False), now=lambda: clock)
    window.resize(1366, 705)
    window.show()
    fill_the_queue(window, folder, now=clock)
    window.tabs.setCurrentWidget(window.supervisor)
    screen = window.supervisor
    screen.pin.setText("4821397650")
    screen.sign_in()
    for row_no in range(screen.table.rowCount()):  # take the double pickup: a case with the note "found by sync"
        if screen.table.item(row_no, 0).data(256) == CONFLICT + "1003":
            screen.table.selectRow(row_no)
            screen.claim()
    shot(window, "24-supervisor-queue-notes")
    screen.table.clearSelection()
    window.close()


if __name__ == "__main__":
    main(sys.argv[1:])
