"""Small rosters and events for tests, built in temporary folders."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from station.core.event import EventSettings
from station.core.roster import check_roster
from station.demo import HEADER
from station.store.event_package import EventPackage
from station.store.roster_import import import_roster

_BASE = {
    "entry_no": "", "bib": "", "family_kanji": "山田", "given_kanji": "太郎", "family_kana": "ヤマダ",
    "given_kana": "タロウ", "family_latin": "Yamada", "given_latin": "Taro", "sex": "M",
    "birth_date": "1980-05-05", "nationality": "JPN", "category": "general", "start_block": "C",
    "nickname": "", "katakana_requested": "0", "shirt_size": "M", "escort_of": "", "disability": "0",
    "phone": "", "email": "",
}


def row(n: int, **changes: str) -> dict[str, str]:
    """A valid runner row; n makes the entry, bib and name unique."""
    data = dict(_BASE, entry_no=f"{1000 + n}", bib=f"{n}", given_latin=f"Taro{n}",
                given_kanji=f"太郎{n}", given_kana=f"タロウ{n}")
    data.update(changes)
    return data


def csv_bytes(rows: Iterable[dict[str, str]], *, header: Iterable[str] = HEADER,
              encoding: str = "utf-8") -> bytes:
    header = list(header)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for r in rows:
        writer.writerow([r.get(h, "") for h in HEADER] if header == list(HEADER) else list(r.values()))
    return out.getvalue().encode(encoding)


def make_event(path: Path, settings: EventSettings, rows: Iterable[dict[str, str]] = ()) -> EventPackage:
    package = EventPackage.create(path, settings)
    rows = list(rows)
    if rows:
        check = check_roster(csv_bytes(rows), max_escorts=settings.max_escorts)
        assert not check.problems, check.problems
        import_roster(package, check)
    return package
