"""End to end at the counter, with a real X server and keys sent as a keyboard sends them.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/e2e_counter.py

(or with DISPLAY set to a running Xvfb). It builds a small event in a temporary
folder (not the 40,000 demo: CI stays fast), opens the real counter window on
the xcb platform, and drives it only with xdotool, as a volunteer and a USB
hand scanner would: the volunteer code typed and Enter; the runner's real
signed confirmation code "scanned" by `xdotool type` (which presses Shift for
every capital, a few ms per key, like a keyboard-mode scanner); F4 and F5 for
the ID; Alt+1..3 for the items; Ctrl+Enter to complete. Then it reads the
station log from the file: the pickup must be there, by that volunteer, with
every item. Exit status 0 when it is, 1 (with what went wrong) otherwise.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
INSIDE = dt.datetime(2027, 2, 19, 14, 10, tzinfo=ZoneInfo("Asia/Tokyo"))  # Friday, check-in open
TITLE = "Bib Station"


def xdo(*args: str) -> str:
    return subprocess.run(["xdotool", *args], check=True, capture_output=True, text=True).stdout.strip()


def drive(window_title: str, code: str, steps: list[str]) -> None:
    """The volunteer's and the scanner's keys, through the X server."""
    deadline = time.monotonic() + 30
    ids: list[str] = []
    while not ids and time.monotonic() < deadline:
        try:
            ids = xdo("search", "--onlyvisible", "--name", window_title).split()
        except subprocess.CalledProcessError:
            time.sleep(0.3)
    if not ids:
        raise SystemExit(f"e2e: no window named {window_title!r} appeared")
    window = ids[0]
    subprocess.run(["xdotool", "windowactivate", window], capture_output=True)  # no window manager: may fail
    xdo("windowfocus", "--sync", window)
    time.sleep(0.5)

    def say(step: str) -> None:
        steps.append(step)
        time.sleep(0.4)  # let the window answer before the next key

    xdo("type", "--delay", "120", "v17")  # a person: slow keys
    xdo("key", "Return")
    say("signed in")
    xdo("type", "--delay", "3", code)  # the scanner: a burst, Shift before each capital
    xdo("key", "--delay", "3", "Return")
    say("scanned")
    xdo("key", "F4")
    xdo("key", "F5")
    say("ID confirmed")
    for index in (1, 2, 3):
        xdo("key", f"alt+{index}")
    say("items ticked")
    xdo("key", "ctrl+Return")
    say("completed")


def main() -> int:
    if not os.environ.get("DISPLAY"):
        print("e2e: needs an X display (run under xvfb-run)", file=sys.stderr)
        return 2
    if shutil.which("xdotool") is None:
        print("e2e: xdotool is missing (scripts/setup installs it)", file=sys.stderr)
        return 2
    home = Path(tempfile.mkdtemp(prefix="bib-e2e-"))
    os.environ["BIB_STATION_HOME"] = str(home / "station-home")
    os.environ["QT_QPA_PLATFORM"] = "xcb"

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from station.core.confirmation import Signer, new_private_seed
    from station.core.event import kyoto_defaults
    from station.core.models import FactKind
    from station.printing.layout import render_pdf
    from station.printing.worker import BibPrinter
    from station.store.confirmations import add_public_key
    from station.store.station_log import StationLog
    from station.ui.app import open_session
    from station.ui.i18n import Languages
    from station.ui.main_window import MainWindow
    from station.ui.sounds import SoundPlayer
    from tests.factories import make_event, row

    settings = kyoto_defaults("e2e-2027", "E2E Marathon 2027", dt.date(2027, 2, 21))
    event = home / "e2e.sqlite"
    package = make_event(event, settings, [row(n) for n in range(1, 21)])
    signer = Signer(new_private_seed())
    add_public_key(package, signer.public_raw)
    package.close()
    code = signer.code(settings.event_id, "1007", 1)

    app = QApplication.instance() or QApplication([sys.argv[0]])
    languages = Languages(app)
    languages.switch("en")
    session = open_session(event, "counter-e2e")
    log_path = session.station_log.path
    printed: list[Path] = []

    def to_pdf(face, layout, printer):  # the bib as the CUPS-PDF printer would write it
        printed.append(render_pdf(face, layout, home / f"bib-{face.bib}.pdf"))

    printer = BibPrinter(session.station_log, printer="pdf", print_function=to_pdf)
    window = MainWindow(session, languages=languages, sounds=SoundPlayer(enabled=False), now=lambda: INSIDE,
                        printer=printer)
    window.resize(1366, 705)
    window.show()
    steps: list[str] = []
    failure: list[BaseException] = []

    def run_driver() -> None:
        try:
            drive(TITLE, code, steps)
        except BaseException as exc:  # reported after the window closed
            failure.append(exc)

    driver = threading.Thread(target=run_driver, daemon=True)
    QTimer.singleShot(500, driver.start)
    watch = QTimer()
    watch.setInterval(200)
    started = time.monotonic()

    def check() -> None:
        late = time.monotonic() - started > 60
        finished = (not driver.is_alive() and steps) or failure
        if late or (finished and printer.pending == 0):
            window.close()
            app.quit()

    watch.timeout.connect(check)
    watch.start()
    app.exec()

    if failure:
        print(f"e2e: the driver failed: {failure[0]}", file=sys.stderr)
        return 1
    log = StationLog.open(log_path, station_id="counter-e2e", event_id=settings.event_id)
    try:
        pickups = [f for _, f in log.facts() if f.kind is FactKind.PICKUP]
    finally:
        log.close()
    print("e2e steps:", ", ".join(steps))
    if [(p.entry_no, p.volunteer_id) for p in pickups] != [("1007", "V17")]:
        print(f"e2e: expected one pickup of entry 1007 by V17 in {log_path}, found "
              f"{[(p.entry_no, p.volunteer_id) for p in pickups]}", file=sys.stderr)
        return 1
    if pickups[0].payload.get("items") != ["bib", "gift", "shirt"]:
        print(f"e2e: the pickup's items are {pickups[0].payload.get('items')}", file=sys.stderr)
        return 1
    print(f"e2e: OK: entry 1007 picked up by V17, recorded in {log_path}; bibs printed: "
          f"{[p.name for p in printed]}")
    shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
