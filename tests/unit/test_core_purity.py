"""station.core must import in a fresh interpreter without Qt, OpenCV or the network."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import station.core

FORBIDDEN = ("PySide6", "shiboken6", "cv2", "numpy", "zxingcpp", "httpx", "fastapi", "uvicorn",
             "requests", "urllib3", "socket", "ssl", "http.client", "sqlite3")


def test_core_imports_nothing_heavy():
    modules = [f"station.core.{m.name}" for m in pkgutil.iter_modules(station.core.__path__)]
    assert "station.core.roster" in modules and "station.core.ledger" in modules
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r} or m in {FORBIDDEN!r})\n"
        + "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"station.core pulled in: {result.stdout.strip()}"
