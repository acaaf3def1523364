"""ICAO 9303 machine-readable zones: layouts, check digits, parsing, repair.

Written from the specification (Doc 9303 parts 3-6) rather than taken from a
library, because the Python MRZ packages are GPL/AGPL and this part is short.
A reading is trusted only through its check digits; names are not covered by
any check digit, so the volunteer always sees the read name.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from station.core.models import Sex

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
DIGITS = "0123456789"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
FILLER = "<"

# What an OCR (or a tired glyph classifier) confuses, in both directions.
_TO_DIGIT = {"O": "0", "Q": "0", "D": "0", "U": "0", "I": "1", "L": "1", "T": "1",
             "Z": "2", "S": "5", "B": "8", "G": "6", "A": "4", "<": "0"}
_TO_LETTER = {"0": "O", "1": "I", "2": "Z", "5": "S", "8": "B", "6": "G", "4": "A", "7": "T"}


class MrzFormat(StrEnum):
    TD1 = "TD1"  # ID cards: 3 lines of 30
    TD2 = "TD2"  # older ID cards and visas: 2 lines of 36
    TD3 = "TD3"  # passports: 2 lines of 44

    @property
    def shape(self) -> tuple[int, int]:
        return {"TD1": (3, 30), "TD2": (2, 36), "TD3": (2, 44)}[self.value]


class FieldKind(StrEnum):
    DIGITS = "digits"      # dates and check digits
    LETTERS = "letters"    # states, nationality, names, document code
    ALNUM = "alnum"        # document numbers and optional data
    CHECK = "check"        # a check digit that is a filler when its field is empty
    SEX = "sex"


_KIND_ALPHABET = {
    FieldKind.DIGITS: DIGITS,
    FieldKind.LETTERS: LETTERS + FILLER,
    FieldKind.ALNUM: ALPHABET,
    FieldKind.CHECK: DIGITS + FILLER,
    FieldKind.SEX: "MFX<",
}


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    line: int
    start: int
    end: int  # exclusive
    kind: FieldKind


def _fields(fmt: MrzFormat) -> tuple[_Field, ...]:
    f = _Field
    L, D, A, S = FieldKind.LETTERS, FieldKind.DIGITS, FieldKind.ALNUM, FieldKind.SEX
    C = FieldKind.CHECK
    if fmt is MrzFormat.TD1:
        return (
            f("code", 0, 0, 2, L), f("state", 0, 2, 5, L), f("number", 0, 5, 14, A),
            f("number_check", 0, 14, 15, C), f("optional1", 0, 15, 30, A),
            f("birth", 1, 0, 6, D), f("birth_check", 1, 6, 7, D), f("sex", 1, 7, 8, S),
            f("expiry", 1, 8, 14, D), f("expiry_check", 1, 14, 15, D),
            f("nationality", 1, 15, 18, L), f("optional2", 1, 18, 29, A),
            f("composite", 1, 29, 30, D), f("names", 2, 0, 30, L),
        )
    width = 36 if fmt is MrzFormat.TD2 else 44
    optional_end = width - 2 if fmt is MrzFormat.TD3 else width - 1
    fields = [
        f("code", 0, 0, 2, L), f("state", 0, 2, 5, L), f("names", 0, 5, width, L),
        f("number", 1, 0, 9, A), f("number_check", 1, 9, 10, D),
        f("nationality", 1, 10, 13, L), f("birth", 1, 13, 19, D), f("birth_check", 1, 19, 20, D),
        f("sex", 1, 20, 21, S), f("expiry", 1, 21, 27, D), f("expiry_check", 1, 27, 28, D),
        f("optional1", 1, 28, optional_end, A),
    ]
    if fmt is MrzFormat.TD3:
        fields.append(f("optional_check", 1, width - 2, width - 1, C))
    fields.append(f("composite", 1, width - 1, width, D))
    return tuple(fields)


def position_alphabets(fmt: MrzFormat) -> tuple[tuple[str, ...], ...]:
    """For every character cell, the characters the layout allows there.

    The reader restricts its glyph classifier with this: a date never holds
    an O, a name never holds a 0.
    """
    rows, width = fmt.shape
    grid = [[ALPHABET] * width for _ in range(rows)]
    for field in _fields(fmt):
        for col in range(field.start, field.end):
            grid[field.line][col] = _KIND_ALPHABET[field.kind]
    # The document code's first letter: P passport, V visa, A/C/I identity cards.
    grid[0][0] = {MrzFormat.TD3: "PV", MrzFormat.TD2: "ACIPV", MrzFormat.TD1: "ACI"}[fmt]
    return tuple(tuple(row) for row in grid)


_UNCHECKED_FIELDS = frozenset({"code", "state", "names", "nationality", "sex"})


def checked_cells(fmt: MrzFormat) -> frozenset[tuple[int, int]]:
    """(line, column) of every cell some check digit covers.

    The rest (document code, states, names, sex) can be misread without any
    check digit noticing; a reader must be sure of them on its own.
    """
    return frozenset(
        (f.line, col) for f in _fields(fmt) if f.name not in _UNCHECKED_FIELDS
        for col in range(f.start, f.end)
    )


def char_value(ch: str) -> int:
    if ch.isdigit():
        return int(ch)
    if "A" <= ch <= "Z":
        return ord(ch) - ord("A") + 10
    if ch == FILLER:
        return 0
    raise ValueError(f"not an MRZ character: {ch!r}")


def check_digit(data: str) -> str:
    """The 7-3-1 weighted check digit of ICAO 9303 part 3."""
    weights = (7, 3, 1)
    return str(sum(char_value(c) * weights[i % 3] for i, c in enumerate(data)) % 10)


def _check_ok(data: str, digit: str) -> bool:
    if digit == FILLER:  # an empty optional field may carry a filler instead of 0
        return data.strip(FILLER) == ""
    return digit.isdigit() and check_digit(data) == digit


def detect_format(lines: Sequence[str]) -> MrzFormat | None:
    shape = (len(lines), len(lines[0]) if lines else 0)
    for fmt in MrzFormat:
        if fmt.shape == shape and all(len(line) == shape[1] for line in lines):
            return fmt
    return None


@dataclass(frozen=True, slots=True)
class MrzChecks:
    document_number: bool
    birth_date: bool
    expiry_date: bool
    optional_data: bool  # TD3's personal-number check; True where the format has none
    composite: bool
    dates_valid: bool    # the date fields are real calendar dates

    @property
    def all_passed(self) -> bool:
        return all((self.document_number, self.birth_date, self.expiry_date,
                    self.optional_data, self.composite, self.dates_valid))


@dataclass(frozen=True, slots=True)
class MrzRecord:
    format: MrzFormat
    document_code: str       # "P", "I", "ID", "AC" ... fillers removed
    issuing_state: str
    family_names: tuple[str, ...]
    given_names: tuple[str, ...]
    document_number: str
    nationality: str
    birth_date: dt.date | None
    sex: Sex
    expiry_date: dt.date | None
    optional_data: str
    checks: MrzChecks
    lines: tuple[str, ...]   # as parsed, after any repair
    repairs: int = 0         # characters changed to make the check digits pass

    @property
    def valid(self) -> bool:
        return self.checks.all_passed

    @property
    def is_passport(self) -> bool:
        return self.document_code.startswith("P")

    @property
    def names_truncated(self) -> bool:
        """The name field is full: the last part may be cut off."""
        name_line = self.lines[2] if self.format is MrzFormat.TD1 else self.lines[0]
        return not name_line.endswith(FILLER)


def _resolve_birth(yymmdd: str, today: dt.date) -> dt.date | None:
    try:
        day = dt.date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6]))
    except ValueError:
        return None
    return day if day <= today else day.replace(year=day.year - 100)


def _resolve_expiry(yymmdd: str, today: dt.date) -> dt.date | None:
    try:
        day = dt.date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6]))
    except ValueError:
        return None
    # Documents are valid for at most a few decades: far future means last century.
    return day if day.year <= today.year + 50 else day.replace(year=day.year - 100)


_WELL_FORMED_NAMES = re.compile(r"[A-Z]+(<[A-Z]+)*(<<[A-Z]+(<[A-Z]+)*)?")


def names_end(field: str) -> int:
    """Where the names in a name field end; everything after must be filler.

    No check digit covers names, so this shape is the only test a misread
    name can fail (a letter after the closing fillers, a single filler
    that should have been a letter ...).
    """
    m = _WELL_FORMED_NAMES.match(field)
    return m.end() if m else 0


def names_well_formed(field: str) -> bool:
    end = names_end(field)
    return end > 0 and field[end:].strip(FILLER) == ""



def code_spans(fmt: MrzFormat) -> tuple[tuple[int, int, int], ...]:
    """(line, start, end) of the issuing state and the nationality: three-letter
    codes no check digit covers, but from a known list."""
    return tuple((f.line, f.start, f.end) for f in _fields(fmt)
                 if f.name in ("state", "nationality"))


def name_span(fmt: MrzFormat) -> tuple[int, int, int]:
    """(line, start, end) of the name field."""
    return (2, 0, 30) if fmt is MrzFormat.TD1 else (0, 5, fmt.shape[1])


def _split_names(field: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    family, _, given = field.partition("<<")
    return (
        tuple(p for p in family.split(FILLER) if p),
        tuple(p for p in given.split(FILLER) if p),
    )


def _field_text(lines: Sequence[str], fields: dict[str, _Field], name: str) -> str:
    fd = fields[name]
    return lines[fd.line][fd.start:fd.end]


def _checks(fmt: MrzFormat, lines: Sequence[str], today: dt.date) -> tuple[MrzChecks, str, str]:
    """The check results plus the full document number and optional data."""
    fields = {f.name: f for f in _fields(fmt)}

    def get(name: str) -> str:
        return _field_text(lines, fields, name)

    number, number_check = get("number"), get("number_check")
    optional = get("optional1")
    if fmt is MrzFormat.TD1 and number_check == FILLER:
        # Long document numbers continue in the optional data, check digit last.
        overflow = optional.split(FILLER, 1)[0]
        number, number_check = number + overflow[:-1], overflow[-1:] or FILLER
        optional = optional[len(overflow):]
    birth, expiry = get("birth"), get("expiry")
    dates_valid = (
        _resolve_birth(birth, today) is not None and _resolve_expiry(expiry, today) is not None
    )
    if fmt is MrzFormat.TD1:
        composite_data = lines[0][5:30] + lines[1][0:7] + lines[1][8:15] + lines[1][18:29]
        optional = (optional + get("optional2")).strip(FILLER)
        optional_ok = True
    else:
        width = fmt.shape[1]
        composite_data = lines[1][0:10] + lines[1][13:20] + lines[1][21:width - 1]
        optional_ok = True
        if fmt is MrzFormat.TD3:
            optional_ok = _check_ok(optional, get("optional_check"))
        optional = optional.strip(FILLER)
    checks = MrzChecks(
        document_number=number_check.isdigit() and check_digit(number) == number_check,
        birth_date=_check_ok(birth, get("birth_check")) and get("birth_check") != FILLER,
        expiry_date=_check_ok(expiry, get("expiry_check")) and get("expiry_check") != FILLER,
        optional_data=optional_ok,
        composite=get("composite").isdigit() and check_digit(composite_data) == get("composite"),
        dates_valid=dates_valid,
    )
    return checks, number.rstrip(FILLER), optional


def parse(lines: Sequence[str], *, today: dt.date | None = None) -> MrzRecord:
    """Parse MRZ lines as printed; raises ValueError if they have no MRZ shape."""
    today = today or dt.date.today()
    lines = tuple(line.strip().upper().replace(" ", "") for line in lines)
    fmt = detect_format(lines)
    if fmt is None:
        raise ValueError(f"not an MRZ shape: {[len(line) for line in lines]}")
    if any(c not in ALPHABET for line in lines for c in line):
        raise ValueError("characters outside the MRZ alphabet")
    fields = {f.name: f for f in _fields(fmt)}

    def get(name: str) -> str:
        return _field_text(lines, fields, name)

    checks, number, optional = _checks(fmt, lines, today)
    family, given = _split_names(get("names"))
    sex_char = get("sex")
    sex = {"M": Sex.MALE, "F": Sex.FEMALE}.get(sex_char, Sex.UNSTATED)
    return MrzRecord(
        format=fmt,
        document_code=get("code").rstrip(FILLER),
        issuing_state=get("state").rstrip(FILLER),
        family_names=family,
        given_names=given,
        document_number=number,
        nationality=get("nationality").rstrip(FILLER),
        birth_date=_resolve_birth(get("birth"), today),
        sex=sex,
        expiry_date=_resolve_expiry(get("expiry"), today),
        optional_data=optional,
        checks=checks,
        lines=lines,
    )


def coerce_to_layout(lines: Sequence[str]) -> tuple[tuple[str, ...], int]:
    """Replace look-alikes where the layout forbids them (an O in a date ...).

    Returns the coerced lines and how many characters changed. Only fields
    with a single kind are touched; alphanumeric fields are left to `repair`.
    """
    fmt = detect_format(lines)
    if fmt is None:
        return tuple(lines), 0
    alphabets = position_alphabets(fmt)
    changed = 0
    out = []
    for row, line in enumerate(lines):
        chars = list(line)
        for col, ch in enumerate(chars):
            allowed = alphabets[row][col]
            if ch in allowed:
                continue
            swap = (_TO_DIGIT if allowed[0] in DIGITS else _TO_LETTER).get(ch)
            if swap is not None and swap in allowed:
                chars[col] = swap
                changed += 1
        out.append("".join(chars))
    return tuple(out), changed


def _ambiguous_cells(fmt: MrzFormat, lines: Sequence[str]) -> list[tuple[int, int, str]]:
    """Cells in alphanumeric fields whose character has a look-alike."""
    cells = []
    for field in _fields(fmt):
        if field.kind is not FieldKind.ALNUM:
            continue
        for col in range(field.start, field.end):
            ch = lines[field.line][col]
            other = _TO_DIGIT.get(ch) if ch in LETTERS else _TO_LETTER.get(ch)
            if other is not None and ch != FILLER:
                cells.append((field.line, col, other))
    return cells


def repair(
    lines: Sequence[str], *, today: dt.date | None = None, max_changes: int = 1
) -> MrzRecord | None:
    """The one check-digit-valid reading nearest to `lines`, or None.

    Digits and letters are first forced where the layout fixes them; then
    look-alikes in alphanumeric fields (document number, optional data) are
    swapped, fewest swaps first. If two different swaps of the same size both
    pass the check digits, the reading is ambiguous and refused.
    """
    today = today or dt.date.today()
    try:
        coerced, changed = coerce_to_layout([ln.strip().upper() for ln in lines])
        record = parse(coerced, today=today)
    except ValueError:
        return None
    if record.valid:
        return _with_repairs(record, changed)
    cells = _ambiguous_cells(record.format, coerced)
    for size in range(1, max_changes + 1):
        found: list[MrzRecord] = []
        for combo in itertools.combinations(cells, size):
            rows = [list(line) for line in coerced]
            for row, col, other in combo:
                rows[row][col] = other
            candidate = parse(["".join(r) for r in rows], today=today)
            if candidate.valid:
                found.append(candidate)
        if len(found) == 1:
            return _with_repairs(found[0], changed + size)
        if found:
            return None
    return None


def _with_repairs(record: MrzRecord, repairs: int) -> MrzRecord:
    return replace(record, repairs=repairs)


# --- composing MRZs (synthetic test data, demo documents) -------------------

def _pad(text: str, width: int) -> str:
    return (text + FILLER * width)[:width]


def name_field(family: Sequence[str], given: Sequence[str], width: int) -> str:
    return _pad("<".join(family) + "<<" + "<".join(given), width)


def compose(
    fmt: MrzFormat,
    *,
    document_code: str,
    issuing_state: str,
    family: Sequence[str],
    given: Sequence[str],
    document_number: str,
    nationality: str,
    birth: dt.date,
    sex: str,
    expiry: dt.date,
    optional_data: str = "",
) -> tuple[str, ...]:
    """Printable MRZ lines with correct check digits (document numbers <= 9 chars)."""
    code = _pad(document_code, 2)
    state = _pad(issuing_state, 3)
    nat = _pad(nationality, 3)
    number = _pad(document_number, 9)
    b, e = birth.strftime("%y%m%d"), expiry.strftime("%y%m%d")
    if fmt is MrzFormat.TD1:
        line1 = code + state + number + check_digit(number) + _pad(optional_data, 15)
        head = b + check_digit(b) + sex + e + check_digit(e) + nat + FILLER * 11
        composite = check_digit(line1[5:30] + head[0:7] + head[8:15] + head[18:29])
        return line1, head + composite, name_field(family, given, 30)
    width = fmt.shape[1]
    line1 = code + state + name_field(family, given, width - 5)
    body = number + check_digit(number) + nat + b + check_digit(b) + sex + e + check_digit(e)
    if fmt is MrzFormat.TD3:
        optional = _pad(optional_data, 14)
        opt_check = check_digit(optional) if optional.strip(FILLER) else FILLER
        body += optional + opt_check
    else:
        body += _pad(optional_data, 7)
    composite = check_digit(body[0:10] + body[13:20] + body[21:])
    return line1, body + composite
