"""Refresh the Japanese translation: extract the UI's strings, then compile.

    .venv/bin/python scripts/update_translations.py

lupdate adds new source strings to assets/translations/station_ja.ts (keeping
the translations already there); translate them there (Qt Linguist, or any
editor), then run this again so lrelease writes station_ja.qm, which the app
loads. tests/ui/test_translations.py fails while a string is untranslated or
the .qm is older than the .ts.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "assets" / "translations" / "station_ja.ts"
BIN = Path(sys.executable).parent


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "station" / "ui").rglob("*.py"))


def main() -> None:
    subprocess.run([str(BIN / "pyside6-lupdate"), *sources(), "-ts", str(TS), "-no-obsolete"],
                   cwd=ROOT, check=True)
    subprocess.run([str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(TS.with_suffix(".qm"))],
                   cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
