"""A page counter per printer, and the low-media warning.

The installer enters how many sheets or labels a full tray or roll holds
(`media_pages` in the settings); the counter counts the copies printed since
the media was last loaded (`station printer loaded NAME`) and warns when a
tenth (at least 5) is left. Kept in a small JSON file beside the station's
data, written by the one thread that records printed copies.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from station.core.errors import StationError

LOW_SHARE = 0.10
LOW_AT_LEAST = 5
FILE_NAME = "printer_pages.json"


def counter_file(data_folder: Path) -> Path:
    """Where a station keeps its page counts (in its data folder)."""
    return data_folder / FILE_NAME


@dataclass(frozen=True, slots=True)
class MediaStatus:
    printer: str
    since_loaded: int  # copies printed since the media was loaded
    total: int  # copies printed on this printer by this station, ever
    capacity: int | None  # a full tray or roll; None: not entered
    loaded_at: str = ""  # ISO time the media was last loaded, "" if never said

    @property
    def remaining(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.since_loaded, 0)

    @property
    def low(self) -> bool:
        if self.capacity is None or self.remaining is None:
            return False
        return self.remaining <= max(round(self.capacity * LOW_SHARE), LOW_AT_LEAST)

    def text(self, language: str = "en", *, named: bool = True) -> str:
        name = f"{self.printer}: " if named else ""
        if self.capacity is None:
            if language == "ja":
                return f"{name}補充後{self.since_loaded}枚印刷（用紙の枚数は未設定）"
            return f"{name}{self.since_loaded} printed since loaded (tray size not set)"
        if language == "ja":
            warn = "　用紙が残りわずかです。補充してください。" if self.low else ""
            return f"{name}残り約{self.remaining}／{self.capacity}枚{warn}"
        warn = " Media is running low: load paper or a new roll." if self.low else ""
        return f"{name}about {self.remaining} of {self.capacity} left.{warn}"


class MediaCounter:
    def __init__(self, path: Path, capacities: Mapping[str, int] | None = None) -> None:
        self.path = path
        self.capacities = dict(capacities or {})
        self._counts: dict[str, dict[str, object]] = self._read()

    def _read(self) -> dict[str, dict[str, object]]:
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise StationError(f"The page counter file {self.path} is damaged ({exc}); delete it and "
                               "run `station printer loaded` for each printer.") from None
        return {str(k): dict(v) for k, v in data.items() if isinstance(v, dict)}

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._counts, indent=1, ensure_ascii=False), encoding="utf-8")
        tmp.replace(self.path)

    def status(self, printer: str) -> MediaStatus:
        row = self._counts.get(printer, {})
        return MediaStatus(printer, int(str(row.get("since_loaded", 0))), int(str(row.get("total", 0))),
                           self.capacities.get(printer), str(row.get("loaded_at", "")))

    def printed(self, printer: str, copies: int = 1) -> MediaStatus:
        row = self._counts.setdefault(printer, {})
        row["since_loaded"] = int(str(row.get("since_loaded", 0))) + copies
        row["total"] = int(str(row.get("total", 0))) + copies
        self._write()
        return self.status(printer)

    def loaded(self, printer: str, *, now: dt.datetime | None = None) -> MediaStatus:
        """The installer put in a full tray or a new roll."""
        row = self._counts.setdefault(printer, {})
        row["since_loaded"] = 0
        row["loaded_at"] = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
        self._write()
        return self.status(printer)
