"""Counter benchmark (issue 3): from a decoded QR payload to the verdict painted.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_counter.py [--scans 300]

On a copy of the 40,000-entrant demo event (built if needed), with a signing
key added: each scan verifies the Ed25519 signature, loads the entrant, its
escorts and history, decides, and the window repaints (the band, the card, the
panels). Target: p95 <= 100 ms. Also: one full check-in (scan, ID ticks,
items, complete = facts committed with synchronous=FULL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def percentile(values: list[float], share: float) -> float:
    values = sorted(values)
    return values[max(0, int(len(values) * share) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scans", type=int, default=300)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="bench-counter-"))
    os.environ["BIB_STATION_HOME"] = str(home)

    from PySide6.QtWidgets import QApplication

    from station.core.confirmation import Signer, new_private_seed
    from station.core.evidence import Match
    from station.demo import ensure_demo
    from station.store.confirmations import add_public_key
    from station.store.event_package import EventPackage
    from station.ui.app import open_session
    from station.ui.main_window import MainWindow
    from station.ui.sounds import SoundPlayer

    started = time.perf_counter()
    demo = ensure_demo(Path(os.environ.get("BENCH_DEMO_DIR", home / "demo"))).package
    print(f"demo event ready in {time.perf_counter() - started:.1f} s")
    path = home / "event.sqlite"
    shutil.copy(demo, path)
    signer = Signer(new_private_seed())
    package = EventPackage.open(path)
    add_public_key(package, signer.public_raw)
    entries = [e.entry_no for e in package.entrants() if not e.is_escort]
    event_id = package.settings.event_id
    package.close()

    app = QApplication.instance() or QApplication([])
    # Friday of the demo expo, 12:00 in Kyoto: inside the check-in window.
    friday_noon = dt.datetime(2027, 2, 19, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    window = MainWindow(open_session(path, "counter-1"), sounds=SoundPlayer(enabled=False),
                        now=lambda: friday_noon)
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    model = window.model
    model.sign_in("V1")
    rng = random.Random(1)
    codes = [signer.code(event_id, rng.choice(entries), 1) for _ in range(args.scans)]

    times = []
    for code in codes:
        t0 = time.perf_counter()
        model.scan(code)
        window.repaint()  # paint now, synchronously, as the screen would show it
        times.append((time.perf_counter() - t0) * 1000)
    print(f"scan -> verdict painted ({args.scans} scans of random runners): median "
          f"{statistics.median(times):.1f} ms, p95 {percentile(times, 0.95):.1f} ms (target <= 100 ms), "
          f"max {max(times):.1f} ms")

    full = []
    for code in codes[:50]:
        t0 = time.perf_counter()
        model.scan(code)
        if model.case is None or model.case.record.history.status.value != "waiting":
            continue
        model.set_name(Match.CONFIRMED)
        model.set_birth_date(Match.CONFIRMED)
        for item in model.items:
            model.set_item(item, True)
        done = model.complete()
        window.repaint()
        if done:
            full.append((time.perf_counter() - t0) * 1000)
    if full:
        print(f"whole check-in in software (scan, 2 ID ticks, {len(model.items)} items, complete, paint), "
              f"{len(full)} runners: median {statistics.median(full):.1f} ms, p95 {percentile(full, 0.95):.1f} ms")
    window.close()
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
