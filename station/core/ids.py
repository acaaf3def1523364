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
from station.core.texts import Text

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


# A station's name is typed by IT staff in the first-run dialog: said in both languages.
# The English sentence is the one the log and the command line always said.
_STATION_NAME_JA = {
    "characters": "受付名「{name}」は、英数字と「_」「-」だけの 1〜{max} 文字で、英数字で始めてください。",
    "double_dash": "受付名「{name}」には「--」を使えません。",
    "device": "受付名「{name}」はパソコンの予約語なので使えません。",
    "reserved": "受付名「{name}」は予約されています（{reserved}）。",
}
_LIKE_JA = "{example} のような名前にしてください。"


def _station_name_problem(value: object, problem: str) -> Text:
    name = str(value)[:60]
    key = ("characters" if "characters" in problem or problem == "not text"
           else "double_dash" if "--" in problem else "device")
    said = problem.replace("{", "{{").replace("}", "}}")  # our own words, but a template all the same
    english = "Station name {quoted} " + said + "; choose a name like {example}."
    return Text(_STATION_NAME_JA[key] + _LIKE_JA, english,
                (("example", "counter-7"), ("max", MAX_ID_CHARS), ("name", name), ("quoted", repr(name))))


def check_station_id(value: object, *, allow_reserved: bool = False) -> str:
    problem = id_problem(value)
    if problem:
        raise BadId(_station_name_problem(value, problem))
    assert isinstance(value, str)
    if not allow_reserved and value.lower() in RESERVED_STATIONS:
        reserved = ", ".join(sorted(RESERVED_STATIONS))
        raise BadId(Text(_STATION_NAME_JA["reserved"] + _LIKE_JA,
                         "Station name {quoted} is reserved ({reserved}); choose a name like {example}.",
                         (("example", "counter-7"), ("name", value), ("quoted", repr(value)),
                          ("reserved", reserved))))
    return value


def id_path(folder: Path, *ids: str, suffix: str = ".sqlite") -> Path:
    """`folder/<id>[--<id>...]<suffix>`, every id checked: the one way a path is built from ids."""
    for value in ids:
        check_event_id(value)
    return folder / ("--".join(ids) + suffix)
