#!/usr/bin/env bash
# Build the one-folder bundle: build/dist/bib-station-VERSION/station (Linux)
# or station.exe (Windows, under Git Bash). Needs scripts/setup to have run
# (.venv with the dev extra, which brings PyInstaller).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x .venv/bin/pyinstaller ]; then PYINSTALLER=.venv/bin/pyinstaller; else PYINSTALLER=.venv/Scripts/pyinstaller; fi
exec "$PYINSTALLER" station.spec --noconfirm --log-level WARN --distpath build/dist --workpath build/work "$@"
