"""Dates of birth as Japanese registration systems and spreadsheets write them.

Accepted (after NFKC, so full-width digits and brackets are fine):

- Western: 2000-04-01, 2000/4/1, 2000.4.1, 20000401, 2000年4月1日, with any
  dash (U+2010 hyphen, en dash, minus, ー) as a separator;
- a time after the date: 2000/4/1 0:00, 2000-04-01T00:00:00(+09:00);
- a weekday after the date: 2000/04/01（土）, (土曜日), (Sat); it must be the
  date's weekday;
- Japanese eras, full or abbreviated: 平成12年4月1日, 平成元年, H12.4.1,
  S55/5/5, R1-5-1, 令和元年5月1日 (明治 M, 大正 T, 昭和 S, 平成 H, 令和 R);
  the date must fall inside the era;
- Excel serial numbers (36617 = 2000-04-01), as Excel writes a date cell
  exported without its format.

`parse_date` says which form it read, so the dry run can show each form with
the date it gave.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache


class DateForm(StrEnum):
    WESTERN = "western"
    ERA = "era"
    EXCEL_SERIAL = "excel_serial"


class DateError(ValueError):
    """Not a date (`impossible` False) or a date that cannot be (`impossible` True)."""

    def __init__(self, message: str, *, impossible: bool) -> None:
        super().__init__(message)
        self.impossible = impossible


@dataclass(frozen=True, slots=True)
class Era:
    name: str
    letter: str
    start: dt.date  # the first day of the era
    end: dt.date | None  # the last day, None for the current era


ERAS: tuple[Era, ...] = (
    Era("明治", "M", dt.date(1868, 10, 23), dt.date(1912, 7, 29)),
    Era("大正", "T", dt.date(1912, 7, 30), dt.date(1926, 12, 24)),
    Era("昭和", "S", dt.date(1926, 12, 25), dt.date(1989, 1, 7)),
    Era("平成", "H", dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
    Era("令和", "R", dt.date(2019, 5, 1), None),
)
_ERA_BY_KEY = {key: era for era in ERAS for key in (era.name, era.letter, era.letter.lower(), era.name[0])}
# ㍻ ㍼ ㍽ ㍾ ㋿ become 平成 ... under NFKC already.

_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff70\ufe63"})
_WEEKDAYS = {
    "月": 0, "火": 1, "水": 2, "木": 3, "金": 4, "土": 5, "日": 6,
    "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
}
_WEEKDAY = re.compile(r"\s*\(([^()]{1,10})\)\s*$")
_TIME = re.compile(r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*(?:Z|[+-]\d{2}:?\d{2}|am|pm))?)$",
                   re.IGNORECASE)
_WESTERN = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_ERA_PATTERN = re.compile(
    r"^(明治|大正|昭和|平成|令和|明|大|昭|平|令|[MTSHRmtshr])\s*(\d{1,2}|元)\s*"
    r"(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?|[-/.](\d{1,2})[-/.](\d{1,2}))$"
)
_SERIAL = re.compile(r"^(\d{5})(?:\.0+)?$")  # 10000 is 1927-05-18; a bare year is not a serial
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0, past its 1900 leap-year bug


_DIGITS = str.maketrans("0123456789", "9999999999")


@lru_cache(maxsize=4096)
def shape(text: str) -> str:
    """The form of a written date with its digits hidden: "H12.4.1" -> "H99.9.9"."""
    return clean(text).translate(_DIGITS)


def clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_DASHES).strip()


@lru_cache(maxsize=65536)  # a roster repeats dates of birth a lot
def parse_date(text: str) -> tuple[dt.date, DateForm]:
    """The date `text` names and the form it was written in; DateError if none."""
    value = clean(text)
    if not value:
        raise DateError("the date is empty", impossible=False)
    weekday: int | None = None
    match = _WEEKDAY.search(value)
    if match:
        name = match[1].strip().casefold().rstrip(".")
        key = name[:1] if not name.isascii() else name[:3]
        if key not in _WEEKDAYS or (not name.isascii() and name not in (key, key + "曜", key + "曜日")):
            raise DateError(f"{text!r}: {match[1]!r} is not a day of the week", impossible=False)
        weekday = _WEEKDAYS[key]
        value = value[: match.start()].strip()
    value = _TIME.sub("", value).strip()
    date, form = _parse_plain(value, text)
    if weekday is not None and date.weekday() != weekday:
        named = "月火水木金土日"[date.weekday()]
        raise DateError(f"{text!r}: {date.isoformat()} is a {date:%A} ({named}), not {match[1] if match else ''}",
                        impossible=True)
    return date, form


def _parse_plain(value: str, text: str) -> tuple[dt.date, DateForm]:
    for pattern in _WESTERN:
        match = pattern.match(value)
        if match:
            return _date(int(match[1]), int(match[2]), int(match[3]), text), DateForm.WESTERN
    match = _ERA_PATTERN.match(value)
    if match:
        era = _ERA_BY_KEY[match[1]]
        year = 1 if match[2] == "元" else int(match[2])
        month, day = (match[3], match[4]) if match[3] else (match[5], match[6])
        if year < 1:
            raise DateError(f"{text!r}: there is no year 0 of {era.name}", impossible=True)
        date = _date(era.start.year + year - 1, int(month), int(day), text)
        if date < era.start or (era.end is not None and date > era.end):
            last = f"{era.end:%Y-%m-%d}" if era.end else "today"
            raise DateError(
                f"{text!r} would be {date.isoformat()}, outside {era.name} "
                f"({era.start:%Y-%m-%d} to {last})", impossible=True)
        return date, DateForm.ERA
    match = _SERIAL.match(value)
    if match:
        serial = int(match[1])
        return _EXCEL_EPOCH + dt.timedelta(days=serial), DateForm.EXCEL_SERIAL
    raise DateError(f"not a date {text!r} (write YYYY-MM-DD)", impossible=False)


def _date(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateError(f"impossible date {text!r}", impossible=True) from None
