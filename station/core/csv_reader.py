"""A CSV reader that cannot silently lose rows.

The standard `csv` module follows a quote wherever it leads: one field that
opens with a stray `"` swallows every line up to the next quote, and those
runners silently vanish from the import. This reader keeps an account of
every line of the file and accepts a quoted field spanning lines only where
that is plausibly what the export meant:

- the quote closes, and what follows the closing quote is a delimiter or the
  end of a line (never `"abc"def`);
- the record it belongs to then has the header's number of fields;
- none of the lines it swallowed looks like a row of its own (as many
  delimiters as a row has).

Otherwise the file is refused with the line where the quote opened, so the
organizer fixes that one cell instead of losing the rows after it. Once read,
`accounted` checks that header, records and blank lines add up to the file's
lines.

A quote inside an unquoted field (`O"Brien`) is kept as a character, as
Excel does. Why not a library: neither the standard module nor the usual
third-party readers (clevercsv, pandas) report where a quote opened or
refuse a swallowing quote; they parse or guess, which is what lost the rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from station.core.errors import RosterFileError

DELIMITERS = ",\t;"


@dataclass(frozen=True, slots=True)
class Record:
    line: int  # the file line the record starts on (1-based)
    last_line: int  # the file line it ends on (> line when a quoted field spans lines)
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CsvFile:
    delimiter: str
    header: tuple[str, ...]  # trailing empty header cells removed
    header_lines: int
    records: tuple[Record, ...]  # non-blank records after the header
    blank_lines: int
    total_lines: int

    @property
    def accounted(self) -> bool:
        """Every line of the file is in the header, a record or a blank line."""
        used = sum(r.last_line - r.line + 1 for r in self.records)
        return self.header_lines + used + self.blank_lines == self.total_lines


class QuoteError(RosterFileError):
    """A quoted field that does not close sensibly; `line` is where it opened."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def split_lines(text: str) -> list[str]:
    """The file's lines without their ends (\\r\\n, \\n or \\r); no empty last line."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def sniff_delimiter(first_line: str) -> str:
    return max(DELIMITERS, key=first_line.count)


def read_csv(text: str) -> CsvFile:
    """Parse `text`; raises QuoteError for a quote that does not close sensibly."""
    lines = split_lines(text)
    if not lines:
        return CsvFile(",", (), 0, (), 0, 0)
    delimiter = sniff_delimiter(lines[0])
    blank = 0
    head: Record | None = None
    for record in _records(lines, delimiter, columns=None):
        if not _blank(record):
            head = record
            break
        blank += 1
    if head is None:
        return CsvFile(delimiter, (), 0, (), len(lines), len(lines))
    header = list(head.fields)
    while header and not header[-1].strip():
        header.pop()
    columns = len(header)
    body: list[Record] = []
    # Records after the header are read again knowing how many fields a row has,
    # so that a quote spanning lines can be judged.
    for record in _records(lines, delimiter, columns=columns, start=head.last_line):
        if _blank(record):
            blank += 1
            continue
        body.append(record)
    result = CsvFile(delimiter, tuple(header), head.last_line - head.line + 1, tuple(body), blank, len(lines))
    if not result.accounted:  # pragma: no cover - a bug in this module, never the file's fault
        raise RosterFileError("Internal error: the CSV reader lost count of the file's lines.")
    return result


def _blank(record: Record) -> bool:
    return record.line == record.last_line and not any(f.strip() for f in record.fields)


def _records(lines: list[str], delimiter: str, *, columns: int | None, start: int = 0) -> Iterator[Record]:
    """Records from lines[start:]; with `columns`, a record spanning lines is checked."""
    i = start
    n = len(lines)
    while i < n:
        line = lines[i]
        if '"' not in line:
            yield Record(i + 1, i + 1, tuple(line.split(delimiter)))
            i += 1
            continue
        fields, last = _parse_quoted(lines, i, delimiter)
        if last > i and columns is not None:
            _check_span(lines, i, last, fields, delimiter, columns)
        yield Record(i + 1, last + 1, tuple(fields))
        i = last + 1


def _parse_quoted(lines: list[str], first: int, delimiter: str) -> tuple[list[str], int]:
    """The fields of the record starting at lines[first] and the index of its last line."""
    fields: list[str] = []
    index = first
    line = lines[index]
    pos = 0
    while True:
        # at the start of a field
        if pos < len(line) and line[pos] == '"':
            opened = index
            pos += 1
            parts: list[str] = []
            while True:
                close = line.find('"', pos)
                if close < 0:
                    parts.append(line[pos:])
                    index += 1
                    if index >= len(lines):
                        raise QuoteError(opened + 1, _never_closes(opened + 1))
                    parts.append("\n")
                    line, pos = lines[index], 0
                    continue
                parts.append(line[pos:close])
                after = close + 1
                if after < len(line) and line[after] == '"':  # "" is one quote
                    parts.append('"')
                    pos = after + 1
                    continue
                if after < len(line) and line[after] != delimiter:
                    raise QuoteError(
                        opened + 1,
                        f"Line {opened + 1}: a quoted field opens here and its closing quote "
                        f"(line {index + 1}) is followed by {line[after]!r}, not a separator. "
                        "A stray quote? Fix that cell (remove the quote, or double it as \"\") "
                        "and import again; no row was imported.",
                    )
                fields.append("".join(parts))
                pos = after
                break
        else:
            end = line.find(delimiter, pos)
            if end < 0:
                fields.append(line[pos:])
                return fields, index
            fields.append(line[pos:end])
            pos = end
        if pos >= len(line):
            return fields, index
        pos += 1  # the delimiter
        if pos == len(line):  # "a,b," ends with an empty field
            fields.append("")
            return fields, index


def _never_closes(line: int) -> str:
    return (f"Line {line}: a quoted field opens here and never closes: every line after it would "
            "be read as part of one cell. A stray quote? Fix that cell (remove the quote, or "
            "double it as \"\") and import again; no row was imported.")


def _check_span(lines: list[str], first: int, last: int, fields: list[str], delimiter: str,
                columns: int) -> None:
    """Refuse a record spanning lines unless it is one sensible row."""
    width = len(fields)
    trailing_empty = width > columns and not any(f.strip() for f in fields[columns:])
    if width != columns and not trailing_empty:
        raise QuoteError(
            first + 1,
            f"Line {first + 1}: a quoted field opens here and runs to line {last + 1}, which "
            f"makes one row of {width} fields where the header has {columns}. A stray quote? "
            "Fix that cell and import again; no row was imported.",
        )
    if columns < 3:
        return
    for inner in range(first + 1, last):
        if lines[inner].count(delimiter) >= columns - 1:
            raise QuoteError(
                first + 1,
                f"Line {first + 1}: a quoted field opens here and swallows line {inner + 1}, "
                "which looks like a row of its own. A stray quote? Fix that cell and import "
                "again; no row was imported.",
            )
