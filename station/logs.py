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
    for handler in list(root.handlers):
        if getattr(handler, "bib_station", False):
            if Path(handler.baseFilename) == path:
                root.setLevel(level)
                return path
            root.removeHandler(handler)  # the log folder moved (a test's own home)
            handler.close()
    handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.bib_station = True
    root.addHandler(handler)
    root.setLevel(level)
    return path
