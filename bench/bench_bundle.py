"""The built bundle: its size, cold start to a usable counter window, resident memory.

    .venv/bin/python bench/bench_bundle.py build/dist/bib-station-VERSION --event DEMO.sqlite [--runs 5] [--targz]

Each run starts the bundle's `station app --event DEMO` with
BIB_STATION_QUIT_AFTER_SHOW=1: the app quits as soon as the counter window
has been painted and prints how long after the process started that was. The
wall time of the whole process (start to exit) and its peak resident memory
(getrusage of the child) are measured from outside. QT_QPA_PLATFORM should
be offscreen on a machine without a display (xcb under Xvfb works too).
Targets (issue 16): bundle <= 400 MB, its tar.gz <= 170 MB (--targz packs it,
gzip level 6, to a temporary file), cold start <= 1.5 s as the best of the runs,
RSS <= 220 MB on the demo event. The first run is shown too (a cold disk cache).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

COLD_START_TARGET_S = 1.5
RSS_TARGET_MB = 220.0
SIZE_TARGET_MB = 400.0
TARGZ_TARGET_MB = 170.0


def targz_size_mb(folder: Path) -> float:
    import tarfile
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / f"{folder.name}.tar.gz"
        with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
            tar.add(folder, arcname=folder.name)
        return archive.stat().st_size / 1e6


def bundle_size_mb(folder: Path) -> float:
    total = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
    return total / 1e6


def one_start(executable: Path, event: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """(shown after s, wall s, max RSS MB) of one start of the window."""
    started = time.perf_counter()
    proc = subprocess.Popen([str(executable), "app", "--event", str(event)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    out, err = proc.stdout.read(), proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    found = re.search(r"window shown after ([0-9.]+) s", out)
    if proc.returncode != 0 or not found:
        sys.exit(f"the bundle's window did not come up (exit {proc.returncode}):\n{out}\n{err}")
    rss_mb = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 1e6
    return float(found.group(1)), wall, rss_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="build/dist/bib-station-VERSION")
    parser.add_argument("--event", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--targz", action="store_true", help="also measure the bundle packed as .tar.gz")
    args = parser.parse_args()
    executable = args.bundle / ("station.exe" if sys.platform == "win32" else "station")
    env = dict(os.environ, BIB_STATION_QUIT_AFTER_SHOW="1")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")

    verdict = lambda good: "within target" if good else "OVER TARGET"  # noqa: E731
    size = bundle_size_mb(args.bundle)
    print(f"bundle {args.bundle}: {size:.0f} MB ({sum(1 for p in args.bundle.rglob('*') if p.is_file())} files) "
          f"(target <= {SIZE_TARGET_MB:.0f} MB: {verdict(size <= SIZE_TARGET_MB)})")
    if args.targz:
        packed = targz_size_mb(args.bundle)
        print(f"bundle as tar.gz: {packed:.0f} MB (target <= {TARGZ_TARGET_MB:.0f} MB: "
              f"{verdict(packed <= TARGZ_TARGET_MB)})")
    runs = [one_start(executable, args.event, env) for _ in range(args.runs)]
    for i, (shown, wall, rss) in enumerate(runs, 1):
        print(f"start {i}: window usable after {shown:.2f} s (process {wall:.2f} s start to exit), "
              f"max RSS {rss:.0f} MB")
    first_shown = runs[0][0]
    best_shown = min(r[0] for r in runs)
    worst_rss = max(r[2] for r in runs)
    print(f"cold start: best of {len(runs)} {best_shown:.2f} s, first run {first_shown:.2f} s "
          f"(target <= {COLD_START_TARGET_S} s: {verdict(best_shown <= COLD_START_TARGET_S)})")
    print(f"max RSS: {worst_rss:.0f} MB (target <= {RSS_TARGET_MB:.0f} MB: {verdict(worst_rss <= RSS_TARGET_MB)})")


if __name__ == "__main__":
    main()
