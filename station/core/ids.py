"""Event and station ids are names, never paths.

One validator for both, used wherever an id arrives from outside (`station
event new`, installing a package, the hub, provisioning) and wherever a path
is built from one: an id is 1-40 characters of ASCII letters, digits, `_` and
`-`, starts with a letter or digit, has no `--` (the station log's file name
joins event and station with `--`), and is not a Windows device name. Station
ids may not be a reserved name: `organizer` writes the roster, `hub` is the
hub itself.
"""

from __future__ import annotations

import re
from pathlib import Path

from station.core.errors import StationError

MAX_ID_CHARS = 40
RESERVED_STATIONS = frozenset({"organizer", "hub"})
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
_WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)


class BadId(StationError):
    """An event or station id that is not a plain name."""


def id_problem(value: object) -> str | None:
    """Why `value` is not a usable id (None: it is one)."""
    if not isinstance(value, str):
        return "not text"
    if not _ID.fullmatch(value):
        return (f"must be 1-{MAX_ID_CHARS} characters of letters, digits, '_' and '-', "
                "starting with a letter or digit")
    if "--" in value:
        return "may not contain '--'"
    if value.lower() in _WINDOWS_DEVICES:
        return "is a reserved device name"
    return None


def is_id(value: object) -> bool:
    return id_problem(value) is None


def is_station_id(value: object) -> bool:
    return is_id(value) and str(value).lower() not in RESERVED_STATIONS


def check_event_id(value: object) -> str:
    problem = id_problem(value)
    if problem:
        raise BadId(f"Event id {str(value)[:60]!r} {problem}; choose an id like kyoto-2027.")
    assert isinstance(value, str)
    return value


def check_station_id(value: object, *, allow_reserved: bool = False) -> str:
    problem = id_problem(value)
    if problem:
        raise BadId(f"Station name {str(value)[:60]!r} {problem}; choose a name like counter-7.")
    assert isinstance(value, str)
    if not allow_reserved and value.lower() in RESERVED_STATIONS:
        raise BadId(f"Station name {value!r} is reserved ({', '.join(sorted(RESERVED_STATIONS))}); "
                    "choose a name like counter-7.")
    return value


def id_path(folder: Path, *ids: str, suffix: str = ".sqlite") -> Path:
    """`folder/<id>[--<id>...]<suffix>`, every id checked: the one way a path is built from ids."""
    for value in ids:
        check_event_id(value)
    return folder / ("--".join(ids) + suffix)
