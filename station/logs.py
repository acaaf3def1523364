"""Log to a rotating file in the platform's log folder; the volunteer never sees a traceback.

One file per kind of process (the counter window, the hub, other commands), so
two processes never rotate the same file under each other. Per-request lines
(httpx's "HTTP Request: ...", uvicorn's access log) go to debug level: at
info they were nearly the whole log, a line per second per station.
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from station.settings import Folders

LOG_NAME = "station.log"  # the counter window (`station app`)
HUB_LOG_NAME = "hub.log"  # `station hub serve`
CLI_LOG_NAME = "commands.log"  # every other command
REQUEST_LOGGERS = ("httpx", "httpcore", "uvicorn.access")


def log_name_for(args: list[str]) -> str:
    """Which file a process with these command-line arguments logs to."""
    command = args[0] if args and not args[0].startswith("-") else "app"  # as StationGroup reads them
    if command == "app":
        return LOG_NAME
    if command == "hub":
        return HUB_LOG_NAME
    return CLI_LOG_NAME


def setup_logging(folders: Folders | None = None, level: int = logging.INFO, name: str = LOG_NAME) -> Path:
    folders = folders or Folders.current()
    folders.logs.mkdir(parents=True, exist_ok=True)
    path = folders.logs / name
    for logger in REQUEST_LOGGERS:
        logging.getLogger(logger).setLevel(max(level, logging.WARNING) if level > logging.DEBUG else logging.DEBUG)
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
