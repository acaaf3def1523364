"""Log to a rotating file in the platform's log folder; the volunteer never sees a traceback."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from station.settings import Folders

LOG_NAME = "station.log"


def setup_logging(folders: Folders | None = None, level: int = logging.INFO) -> Path:
    folders = folders or Folders.current()
    folders.logs.mkdir(parents=True, exist_ok=True)
    path = folders.logs / LOG_NAME
    root = logging.getLogger()
    if not any(isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path for h in root.handlers):
        handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(level)
    return path
