#!/usr/bin/env bash
# Build the one-folder bundle: build/dist/bib-station-VERSION/station (Linux)
# or station.exe (Windows, under Git Bash). Needs scripts/setup to have run
# (.venv with the dev extra, which brings PyInstaller).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x .venv/bin/pyinstaller ]; then PYINSTALLER=.venv/bin/pyinstaller; else PYINSTALLER=.venv/Scripts/pyinstaller; fi
"$PYINSTALLER" station.spec --noconfirm --log-level WARN --distpath build/dist --workpath build/work "$@"
# The Python runtime's library comes with debug info (about 17 MB) nobody at an expo reads.
if command -v strip >/dev/null; then
  for lib in build/dist/bib-station-*/_internal/libpython3*.so*; do
    [ -f "$lib" ] && [ ! -L "$lib" ] && strip --strip-debug "$lib"
  done
fi
exit 0
