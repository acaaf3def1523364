"""Reading and checking a registration export, before anything is written.

`check_roster` turns the file's bytes into entrants and a list of refusals,
each naming the file line, the column and the reason. It writes nothing: the
store applies the result in one transaction (store/roster_import.py), and
`--dry-run` stops after this step.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from station.core.errors import RosterFileError
from station.core.models import Category, Entrant, Sex
from station.core.roster_columns import FIELDS, resolve_header

ENCODINGS = ("utf-8", "utf-8-sig", "cp932", "shift_jis", "utf-16")
_ALIASES = {"sjis": "cp932", "shift-jis": "cp932", "shiftjis": "cp932", "utf8": "utf-8", "ms932": "cp932"}


class Refusal(StrEnum):
    WRONG_COLUMN_COUNT = "wrong_column_count"
    MISSING_VALUE = "missing_value"
    MISSING_BIB = "missing_bib"
    DUPLICATE_BIB = "duplicate_bib"
    DUPLICATE_ENTRY = "duplicate_entry"
    SAME_PERSON = "same_person"
    IMPOSSIBLE_DATE = "impossible_date"
    BAD_VALUE = "bad_value"
    UNKNOWN_CATEGORY = "unknown_category"
    ESCORT_UNKNOWN_ENTRY = "escort_unknown_entry"
    ESCORT_OF_ESCORT = "escort_of_escort"
    TOO_MANY_ESCORTS = "too_many_escorts"
    ESCORT_IS_RUNNER = "escort_is_runner"  # issue 11: an escort is another person
    DUPLICATE_ESCORT = "duplicate_escort"


@dataclass(frozen=True, slots=True)
class RowProblem:
    line: int
    column: str  # the header as written in the file; "" for the whole row
    code: Refusal
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message} [{self.code}]"


@dataclass(frozen=True, slots=True)
class RosterCheck:
    encoding: str
    rows_read: int
    entrants: tuple[Entrant, ...]
    lines: tuple[int, ...]  # the file line of each accepted entrant
    problems: tuple[RowProblem, ...]
    ignored_columns: tuple[str, ...]
    refused_entries: tuple[str, ...] = ()  # entry numbers named on refused rows
    digest: str = ""  # SHA-256 of the file, to tell later which export was loaded

    @property
    def refused_lines(self) -> tuple[int, ...]:
        return tuple(sorted({p.line for p in self.problems}))


# -- decoding ----------------------------------------------------------------


def decode(raw: bytes, forced: str | None = None) -> tuple[str, str]:
    """The text and the encoding it was read with.

    Japanese systems write Shift_JIS (really CP932, which adds the NEC and IBM
    extensions such as ① and 髙); Excel writes UTF-8 with a BOM. Strict UTF-8
    almost never accepts CP932 text with Japanese in it, so trying UTF-8 first
    and CP932 second tells them apart.
    """
    if forced:
        name = _ALIASES.get(forced.lower().replace("_", "-"), forced.lower())
        if name == "utf-8" and raw.startswith(b"\xef\xbb\xbf"):
            name = "utf-8-sig"
        try:
            return raw.decode(name), name
        except LookupError:
            raise RosterFileError(
                f"Unknown encoding {forced!r}; use one of utf-8, utf-8-sig, cp932."
            ) from None
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            other = "utf-8" if name in ("cp932", "shift_jis") else "cp932"
            raise RosterFileError(
                f"The file is not {forced} (first bad byte on line {line}); "
                f"try --encoding {other}, or leave --encoding out to detect it."
            ) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw.decode("utf-8-sig", errors="strict"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    for name in ("utf-8", "cp932"):
        try:
            return raw.decode(name), name
        except UnicodeDecodeError:
            continue
    raise RosterFileError(
        "Cannot tell the file's encoding (neither UTF-8 nor Shift_JIS/CP932); "
        "save it as UTF-8 CSV or pass --encoding."
    )


# -- values --------------------------------------------------------------------


class _Bad(Exception):
    def __init__(self, code: Refusal, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _name(text: str) -> str:
    # Kanji are kept as written (NFKC would fold some variant forms people
    # register on purpose); only the spaces around them go.
    return text.strip().strip("\u3000").strip()


_SEX = {
    "m": Sex.MALE, "male": Sex.MALE, "男": Sex.MALE, "男性": Sex.MALE,
    "f": Sex.FEMALE, "female": Sex.FEMALE, "女": Sex.FEMALE, "女性": Sex.FEMALE,
    "x": Sex.UNSTATED, "other": Sex.UNSTATED, "その他": Sex.UNSTATED, "無回答": Sex.UNSTATED, "": Sex.UNSTATED,
}

_CATEGORY = {
    Category.ATHLETE: ("athlete", "registered", "jaaf", "登録", "登録の部", "陸連登録", "陸連登録者"),
    Category.GENERAL: ("general", "一般", "一般の部"),
    Category.CHARITY: ("charity", "チャリティ", "チャリティー", "チャリティ枠"),
    Category.DISABILITY: ("disability", "障がい者", "障害者", "障がい者の部", "視覚障がい者"),
    Category.YOUTH: ("youth", "junior", "ジュニア", "中高生"),
    Category.FUN_RUN: ("fun run", "fun_run", "ファンラン"),
}
_CATEGORY_LOOKUP = {label.casefold(): cat for cat, labels in _CATEGORY.items() for label in labels}

_TRUE = {"1", "y", "yes", "true", "○", "〇", "◯", "有", "あり", "希望", "はい"}
_FALSE = {"", "0", "n", "no", "false", "×", "無", "なし", "いいえ", "-"}

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_birth_date(text: str, today: dt.date) -> dt.date:
    value = nfkc(text)
    if not value:
        raise _Bad(Refusal.MISSING_VALUE, "date of birth is empty")
    for pattern in _DATE_PATTERNS:
        match = pattern.match(value)
        if match:
            try:
                born = dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                raise _Bad(Refusal.IMPOSSIBLE_DATE, f"impossible date {value!r}") from None
            if born.year < 1900 or born > today:
                raise _Bad(Refusal.IMPOSSIBLE_DATE, f"impossible date of birth {value!r}")
            return born
    raise _Bad(Refusal.IMPOSSIBLE_DATE, f"not a date {value!r} (write YYYY-MM-DD)")


def parse_flag(text: str, label: str) -> bool:
    value = nfkc(text).casefold()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise _Bad(Refusal.BAD_VALUE, f"{label} must be yes or no, not {text!r}")


def parse_category(text: str) -> Category:
    value = nfkc(text).casefold()
    if not value:
        raise _Bad(Refusal.MISSING_VALUE, "category is empty")
    try:
        return _CATEGORY_LOOKUP[value]
    except KeyError:
        known = ", ".join(f"{labels[0]}/{next(x for x in labels if not x.isascii())}"
                          for labels in _CATEGORY.values() if any(not x.isascii() for x in labels))
        raise _Bad(Refusal.UNKNOWN_CATEGORY, f"unknown category {text!r} (known: {known})") from None


def parse_sex(text: str) -> Sex:
    try:
        return _SEX[nfkc(text).casefold()]
    except KeyError:
        raise _Bad(Refusal.BAD_VALUE, f"sex must be M, F or X (男/女), not {text!r}") from None


_CODE = re.compile(r"^[A-Za-z0-9-]{1,20}$")


def parse_code(text: str, label: str, *, refusal: Refusal) -> str:
    value = nfkc(text)
    if not value:
        raise _Bad(refusal, f"{label} is empty")
    if not _CODE.match(value):
        raise _Bad(Refusal.BAD_VALUE, f"{label} {text!r} is not letters and digits")
    return value


# -- rows ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    entrant: Entrant


def _read_rows(text: str) -> Iterable[tuple[int, list[str]]]:
    """Rows with the file line each starts on (a quoted field may span lines)."""
    first = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous_end = 0
    for fields in reader:
        start, previous_end = previous_end + 1, reader.line_num
        if any(f.strip() for f in fields):
            yield start, fields


def check_roster(
    raw: bytes,
    *,
    max_escorts: int,
    encoding: str | None = None,
    columns: Mapping[str, str] | None = None,
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
    known_runners: Collection[str] = (),
) -> RosterCheck:
    """`known_runners`: runner entries already in the event, which a partial
    file's escort rows may name (the store checks them against the event)."""
    text, used = decode(raw, encoding)
    rows = iter(_read_rows(text))
    try:
        _, header = next(rows)
    except StopIteration:
        raise RosterFileError("The file is empty: no header row, no entrants.") from None
    except csv.Error as exc:
        raise RosterFileError(f"The file is not CSV: {exc}") from None
    index, ignored = resolve_header(header, columns)
    today = today or dt.date.today()

    parsers = _parsers(today)
    problems: list[RowProblem] = []
    parsed: list[_Row] = []
    refused_entries: set[str] = set()  # so an escort of a refused runner says so
    count = 0
    try:
        for line, fields in rows:
            count += 1
            row, row_problems = _parse_row(line, fields, header, index, parsers)
            problems.extend(row_problems)
            if row_problems and "entry_no" in index and len(fields) > index["entry_no"]:
                refused_entries.add(nfkc(fields[index["entry_no"]]))
            if row is not None:
                parsed.append(row)
            if progress and count % 500 == 0:
                progress(500)
    except csv.Error as exc:
        raise RosterFileError(f"The file stops being CSV near line {count + 2}: {exc}") from None
    if progress:
        progress(count % 500)

    def header_of(field: str) -> str:
        return header[index[field]] if field in index else field

    accepted = _cross_check(parsed, problems, header_of, max_escorts, refused_entries, known_runners)
    return RosterCheck(
        encoding=used,
        rows_read=count,
        entrants=tuple(r.entrant for r in accepted),
        lines=tuple(r.line for r in accepted),
        problems=tuple(sorted(problems, key=lambda p: (p.line, p.column))),
        ignored_columns=tuple(ignored),
        refused_entries=tuple(sorted(refused_entries - {r.entrant.entry_no for r in accepted})),
        digest=hashlib.sha256(raw).hexdigest(),
    )


def _parsers(today: dt.date) -> dict[str, Callable[[str], object]]:
    """One parser per field, in Entrant's terms."""
    return {
        "entry_no": lambda v: parse_code(v, "entry number", refusal=Refusal.MISSING_VALUE),
        "bib": lambda v: parse_code(v, "bib number", refusal=Refusal.MISSING_BIB),
        "birth_date": lambda v: parse_birth_date(v, today),
        "category": parse_category,
        "sex": parse_sex,
        "katakana_requested": lambda v: parse_flag(v, "katakana conversion"),
        "disability": lambda v: parse_flag(v, "disability"),
        "escort_of": lambda v: nfkc(v) or None,
        "nationality": lambda v: nfkc(v).upper(),
        "start_block": lambda v: nfkc(v).upper(),
        "family_latin": nfkc,
        "given_latin": nfkc,
        "family_kana": nfkc,
        "given_kana": nfkc,
        "family_kanji": _name,
        "given_kanji": _name,
        "nickname": lambda v: v.strip(),
        "shirt_size": lambda v: nfkc(v).upper(),
        "phone": nfkc,
        "email": nfkc,
    }


def _parse_row(
    line: int, fields: list[str], header: list[str], index: dict[str, int],
    parsers: dict[str, Callable[[str], object]],
) -> tuple[_Row | None, list[RowProblem]]:
    if len(fields) != len(header):
        return None, [
            RowProblem(
                line, "", Refusal.WRONG_COLUMN_COUNT,
                f"{len(fields)} columns where the header has {len(header)} (a stray comma or quote?)",
            )
        ]
    problems: list[RowProblem] = []
    values: dict[str, object] = {}

    def raw(field: str) -> str:
        return fields[index[field]] if field in index else ""

    for field, parse in parsers.items():
        try:
            values[field] = parse(raw(field))
        except _Bad as bad:
            column = header[index[field]] if field in index else FIELDS[field][0]
            problems.append(RowProblem(line, column, bad.code, bad.message))
    if not (values.get("family_kanji") or values.get("family_latin") or values.get("family_kana")):
        problems.append(RowProblem(line, "", Refusal.MISSING_VALUE, "no family name in any script"))
    if problems:
        return None, problems
    return _Row(line, Entrant(**values)), []  # type: ignore[arg-type]


def person_key(e: Entrant) -> tuple[str, str, dt.date]:
    """Who the row is, for "one entry per person": the name in its most exact
    script (kanji, else Latin, else kana) and the date of birth. Two runners
    with the same Latin spelling but different kanji are different people."""
    if e.family_kanji:
        return ("kanji", e.family_kanji + e.given_kanji, e.birth_date)
    if e.family_latin:
        return ("latin", (e.family_latin + e.given_latin).casefold().replace(" ", ""), e.birth_date)
    return ("kana", nfkc(e.family_kana + e.given_kana).replace(" ", ""), e.birth_date)


def _cross_check(
    rows: list[_Row],
    problems: list[RowProblem],
    header_of: Callable[[str], str],
    max_escorts: int,
    refused_entries: set[str],
    known_runners: Collection[str] = (),
) -> list[_Row]:
    """Refuse the later of two rows that clash; then check escort links."""
    by_entry: dict[str, int] = {}
    by_bib: dict[str, int] = {}
    by_person: dict[tuple[str, str, dt.date], int] = {}
    kept: list[_Row] = []
    for row in rows:
        e = row.entrant
        clash: RowProblem | None = None
        if e.entry_no in by_entry:
            clash = RowProblem(row.line, header_of("entry_no"), Refusal.DUPLICATE_ENTRY,
                               f"entry number {e.entry_no} is already on line {by_entry[e.entry_no]}")
        elif e.bib in by_bib:
            clash = RowProblem(row.line, header_of("bib"), Refusal.DUPLICATE_BIB,
                               f"bib {e.bib} is already on line {by_bib[e.bib]}")
        elif not e.is_escort and person_key(e) in by_person:
            clash = RowProblem(row.line, "", Refusal.SAME_PERSON,
                               f"same name and date of birth as line {by_person[person_key(e)]}: "
                               "one entry per person")
        if clash:
            problems.append(clash)
            refused_entries.add(e.entry_no)
            continue
        by_entry[e.entry_no] = row.line
        by_bib[e.bib] = row.line
        if not e.is_escort:
            by_person.setdefault(person_key(e), row.line)
        kept.append(row)

    runners = {r.entrant.entry_no: r for r in kept if not r.entrant.is_escort}
    escorts = {r.entrant.entry_no for r in kept if r.entrant.is_escort}
    escort_count: dict[str, int] = {}
    accepted: list[_Row] = []
    column = header_of("escort_of")
    for row in kept:
        target = row.entrant.escort_of
        if target is None:
            accepted.append(row)
            continue
        if target == row.entrant.entry_no or target in escorts:
            problems.append(RowProblem(row.line, column, Refusal.ESCORT_OF_ESCORT,
                                       f"escort of {target}, which is itself an escort"))
        elif target not in runners and (target not in known_runners or target in refused_entries):
            why = "refused (see its line)" if target in refused_entries else "not in this file"
            problems.append(RowProblem(row.line, column, Refusal.ESCORT_UNKNOWN_ENTRY,
                                       f"escort of entry {target}, which is {why}"))
        elif escort_count.get(target, 0) >= max_escorts:
            problems.append(RowProblem(row.line, column, Refusal.TOO_MANY_ESCORTS,
                                       f"entry {target} already has {max_escorts} escort(s); "
                                       f"the event allows {max_escorts}"))
        else:
            escort_count[target] = escort_count.get(target, 0) + 1
            accepted.append(row)
            continue
        refused_entries.add(row.entrant.entry_no)
    return accepted
