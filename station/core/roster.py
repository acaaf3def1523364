"""Reading and checking a registration export, before anything is written.

`check_roster` turns the file's bytes into entrants and a list of refusals,
each naming the file line, the column and the reason. It writes nothing: the
store applies the result in one transaction (store/roster_import.py), and
`--dry-run` stops after this step.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import re
import unicodedata
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum

from station.core.csv_reader import read_csv
from station.core.dates import DateError, parse_date, shape
from station.core.errors import RosterFileError
from station.core.models import Category, Entrant, Sex
from station.core.person_key import Names, PersonIndex, entry_key, person_keys
from station.core.roster_columns import FIELDS, resolve_header
from station.core.text_safety import MAX_NAME_LENGTH, MAX_NICKNAME_LENGTH, unsafe_characters

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
    UNSAFE_TEXT = "unsafe_text"
    TOO_LONG = "too_long"
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
class NearMatch:
    """Two rows that may be one person (same date of birth, a name that folds or
    sounds the same) but are not the same by the rule in core/person_key.py."""

    line: int
    entry_no: str
    other_entry_no: str
    other_line: int | None  # None: the other is already in the event

    def __str__(self) -> str:
        where = f"line {self.other_line}" if self.other_line is not None else "already in the event"
        return (f"line {self.line} (entry {self.entry_no}) may be the same person as "
                f"entry {self.other_entry_no} ({where})")


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
    near_matches: tuple[NearMatch, ...] = ()  # possibly one person twice: listed, never refused
    date_forms: tuple[DateSample, ...] = ()  # each way the file writes dates, with an example
    file_lines: int = 0  # every line of the file: header + rows (some spanning lines) + blank
    blank_lines: int = 0

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
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return (cp932, "cp932") if (cp932 := _halfwidth_kana_cp932(raw, text)) else (text, "utf-8")
    try:
        return raw.decode("cp932"), "cp932"
    except UnicodeDecodeError:
        pass
    raise RosterFileError(
        "Cannot tell the file's encoding (neither UTF-8 nor Shift_JIS/CP932); "
        "save it as UTF-8 CSV or pass --encoding."
    )


# anything but ASCII and the two-byte blocks after Latin (Greek ... Arabic)
_NOT_TWO_BYTE_FOREIGN = re.compile(r"[^\x00-\x7f\u0370-\u07ff]")
_NOT_ASCII_OR_HALFWIDTH_KANA = re.compile(r"[^\x00-\x7f\uff61-\uff9f]")
_WIDE_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uff01-\uff5e]")


def _halfwidth_kana_cp932(raw: bytes, utf8: str) -> str | None:
    """The CP932 reading of bytes that also happen to be valid UTF-8, when that
    is what they are: a file of ASCII and half-width kana only (ﾐｷ is D0 B7 in
    CP932, which UTF-8 reads as the Cyrillic з).

    Said CP932 when the UTF-8 reading has letters from the two-byte block
    (Greek, Cyrillic, Hebrew, Arabic ...) but no Latin letters with accents and
    nothing wider, and the CP932 reading is ASCII and half-width kana alone.
    A UTF-8 file with José or Иван in it stays UTF-8: José's é decodes in CP932
    to half-width kana too, so accented Latin letters keep UTF-8, and Иван
    decodes in CP932 to kanji mixed with half-width kana."""
    if utf8.isascii() or _NOT_TWO_BYTE_FOREIGN.search(utf8):
        return None
    try:
        text = raw.decode("cp932")
    except UnicodeDecodeError:
        return None
    return None if _NOT_ASCII_OR_HALFWIDTH_KANA.search(text) else text


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
    "男子": Sex.MALE, "女子": Sex.FEMALE,
    # JIS X 0303 / ISO/IEC 5218: 0 not known, 1 male, 2 female, 9 not applicable
    "1": Sex.MALE, "2": Sex.FEMALE, "0": Sex.UNSTATED, "9": Sex.UNSTATED,
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

def parse_birth_date(text: str, today: dt.date) -> dt.date:
    try:
        born, _ = parse_date(text)
    except DateError as exc:
        if not nfkc(text):
            raise _Bad(Refusal.MISSING_VALUE, "date of birth is empty") from None
        raise _Bad(Refusal.IMPOSSIBLE_DATE, str(exc)) from None
    if born.year < 1900 or born > today:
        raise _Bad(Refusal.IMPOSSIBLE_DATE, f"impossible date of birth {text!r} ({born.isoformat()})")
    return born


@dataclass(frozen=True, slots=True)
class DateSample:
    """One way the file writes dates, for the dry run: "H99.9.9" read as ..."""

    shape: str  # the text with its digits as 9
    example: str  # as written, on `line`
    parsed: dt.date
    line: int
    rows: int  # rows written this way


class _DateTally:
    def __init__(self) -> None:
        self.line = 0
        self._first: dict[str, tuple[str, dt.date, int]] = {}
        self._rows: dict[str, int] = {}

    def note(self, text: str, born: dt.date) -> None:
        key = shape(text)
        if key not in self._first:
            self._first[key] = (text.strip(), born, self.line)
            self._rows[key] = 0
        self._rows[key] += 1

    @property
    def samples(self) -> tuple[DateSample, ...]:
        return tuple(DateSample(key, text, born, line, self._rows[key])
                     for key, (text, born, line) in self._first.items())


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
        raise _Bad(Refusal.BAD_VALUE, f"sex must be M, F or X (男/女, 1/2/9), not {text!r}") from None


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


@contextmanager
def paused_gc() -> Iterator[None]:
    """Checking 40,000 rows makes a million small objects and no cycles; the
    cyclic collector's passes over them cost as much as the checks (measured
    in bench/bench_roster_checks.py), so it waits until the check is done."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
    with paused_gc():
        return _check_roster(raw, max_escorts=max_escorts, encoding=encoding, columns=columns,
                             today=today, progress=progress, known_runners=known_runners)


def _check_roster(
    raw: bytes,
    *,
    max_escorts: int,
    encoding: str | None,
    columns: Mapping[str, str] | None,
    today: dt.date | None,
    progress: Callable[[int], None] | None,
    known_runners: Collection[str] = (),
) -> RosterCheck:
    text, used = decode(raw, encoding)
    parsed_file = read_csv(text)
    if not parsed_file.header:
        raise RosterFileError("The file is empty: no header row, no entrants.")
    header = list(parsed_file.header)
    if not parsed_file.records:
        raise RosterFileError(
            "The file has a header row but no entrants: nothing to import. "
            "Export the roster again with its rows."
        )
    index, ignored = resolve_header(header, columns)
    today = today or dt.date.today()

    tally = _DateTally()
    parsers = _parsers(today, tally)
    problems: list[RowProblem] = []
    parsed: list[_Row] = []
    refused_entries: set[str] = set()  # so an escort of a refused runner says so
    count = 0
    width = len(header)
    for record in parsed_file.records:
        count += 1
        line, fields = record.line, list(record.fields)
        tally.line = line
        if len(fields) > width and not any(f.strip() for f in fields[width:]):
            del fields[width:]  # trailing empty cells, as spreadsheets write them
        row, row_problems = _parse_row(line, fields, header, index, parsers)
        problems.extend(row_problems)
        if row_problems and "entry_no" in index and len(fields) > index["entry_no"]:
            refused_entries.add(nfkc(fields[index["entry_no"]]))
        if row is not None:
            parsed.append(row)
        if progress and count % 500 == 0:
            progress(500)
    if progress:
        progress(count % 500)

    def header_of(field: str) -> str:
        return header[index[field]] if field in index else field

    near: list[NearMatch] = []
    accepted = _cross_check(parsed, problems, header_of, max_escorts, refused_entries, near, known_runners)
    return RosterCheck(
        encoding=used,
        rows_read=count,
        entrants=tuple(r.entrant for r in accepted),
        lines=tuple(r.line for r in accepted),
        problems=tuple(sorted(problems, key=lambda p: (p.line, p.column))),
        ignored_columns=tuple(ignored),
        refused_entries=tuple(sorted(refused_entries - {r.entrant.entry_no for r in accepted})),
        digest=hashlib.sha256(raw).hexdigest(),
        date_forms=tally.samples,
        near_matches=tuple(near),
        file_lines=parsed_file.total_lines,
        blank_lines=parsed_file.blank_lines,
    )


def _parsers(today: dt.date, tally: _DateTally) -> dict[str, Callable[[str], object]]:
    """One parser per field, in Entrant's terms."""

    def birth_date(text: str) -> dt.date:
        born = parse_birth_date(text, today)
        tally.note(text, born)
        return born

    return {
        "entry_no": lambda v: parse_code(v, "entry number", refusal=Refusal.MISSING_VALUE),
        "bib": lambda v: parse_code(v, "bib number", refusal=Refusal.MISSING_BIB),
        "birth_date": birth_date,
        "category": parse_category,
        "sex": parse_sex,
        "katakana_requested": lambda v: parse_flag(v, "katakana conversion"),
        "disability": lambda v: parse_flag(v, "disability"),
        "escort_of": lambda v: nfkc(v) or None,
        "nationality": lambda v: nfkc(v).upper(),
        "start_block": lambda v: nfkc(v).upper(),
        "family_latin": _safe(nfkc, "family name", MAX_NAME_LENGTH),
        "given_latin": _safe(nfkc, "given name", MAX_NAME_LENGTH),
        "family_kana": _safe(nfkc, "family name (kana)", MAX_NAME_LENGTH),
        "given_kana": _safe(nfkc, "given name (kana)", MAX_NAME_LENGTH),
        "family_kanji": _safe(_name, "family name", MAX_NAME_LENGTH),
        "given_kanji": _safe(_name, "given name", MAX_NAME_LENGTH),
        "nickname": _safe(str.strip, "nickname", MAX_NICKNAME_LENGTH),
        "shirt_size": _safe(lambda v: nfkc(v).upper(), "shirt size", 20),
        "phone": _safe(nfkc, "phone", 40),
        "email": _safe(nfkc, "e-mail", 254),
    }


def _safe(parse: Callable[[str], str], label: str, limit: int) -> Callable[[str], str]:
    """`parse`, refusing control, bidi-override and invisible characters and text over `limit`."""

    def checked(text: str) -> str:
        if not text.isprintable() and (bad := unsafe_characters(text)):
            raise _Bad(Refusal.UNSAFE_TEXT, f"{label} contains control or invisible characters "
                                            f"({' '.join(bad)}); retype it")
        value = parse(text)
        if len(value) > limit:
            raise _Bad(Refusal.TOO_LONG, f"{label} is {len(value)} characters; at most {limit}")
        return value

    return checked


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


def names_of(e: Entrant) -> Names:
    return Names(e.family_kanji, e.given_kanji, e.family_kana, e.given_kana,
                 e.family_latin, e.given_latin, e.birth_date.isoformat())


def _cross_check(
    rows: list[_Row],
    problems: list[RowProblem],
    header_of: Callable[[str], str],
    max_escorts: int,
    refused_entries: set[str],
    near: list[NearMatch],
    known_runners: Collection[str] = (),
) -> list[_Row]:
    """Refuse the later of two rows that clash; then check escort links."""
    by_entry: dict[str, _Row] = {}
    by_bib: dict[str, int] = {}
    by_line: dict[int, str] = {}
    people = PersonIndex()
    kept: list[_Row] = []
    for row in rows:
        e = row.entrant
        clash: RowProblem | None = None
        keys = None if e.is_escort else person_keys(names_of(e))
        matches = people.find(str(row.line), keys) if keys is not None else []
        first = by_entry.get(entry_key(e.entry_no))
        if first is not None:
            same = "" if first.entrant.entry_no == e.entry_no else f" ({first.entrant.entry_no}, case or width aside)"
            clash = RowProblem(row.line, header_of("entry_no"), Refusal.DUPLICATE_ENTRY,
                               f"entry number {e.entry_no} is already on line {first.line}{same}")
        elif e.bib in by_bib:
            clash = RowProblem(row.line, header_of("bib"), Refusal.DUPLICATE_BIB,
                               f"bib {e.bib} is already on line {by_bib[e.bib]}")
        elif matches and matches[0].same_person:
            clash = RowProblem(row.line, "", Refusal.SAME_PERSON,
                               f"same person as line {matches[0].other} (name and date of birth, "
                               "written another way): one entry per person")
        if clash:
            problems.append(clash)
            refused_entries.add(e.entry_no)
            continue
        by_entry[entry_key(e.entry_no)] = row
        by_bib[e.bib] = row.line
        if keys is not None:
            for match in matches:
                other = int(match.other)
                near.append(NearMatch(row.line, e.entry_no, by_line[other], other))
            people.add(str(row.line), keys)
        by_line[row.line] = e.entry_no
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
