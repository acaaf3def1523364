"""`station nicknames check`: every nickname that will not print as typed, before the expo."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from station.core.katakana import LatinReader
from station.core.models import Entrant, EntrantStatus
from station.core.nickname import NicknameCheck, NicknameChecker, NicknameOutcome, text_width
from station.core.text_safety import csv_row

_COLUMNS = ("entry_no", "bib", "typed", "outcome", "printed", "suggestion", "reasons")


@click.group("nicknames")
def nicknames() -> None:
    """Check the roster's nicknames against the event's rules."""


@nicknames.command("check")
@click.option("--event", "event_path", required=True,
              type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The event package (.sqlite).")
@click.option("--csv", "as_csv", is_flag=True, help="Write CSV (UTF-8 with BOM, for Excel) to stdout.")
@click.option("--lang", type=click.Choice(["en", "ja"]), default="en", show_default=True,
              help="Language of the reasons.")
@click.option("--all", "show_all", is_flag=True, help="Also list nicknames that print unchanged.")
def check(event_path: Path, as_csv: bool, lang: str, show_all: bool) -> None:
    """List every nickname that will be refused, converted to katakana or sent to a
    supervisor, so the organizer can fix the roster before the expo."""
    from station.printing.glyphs import bib_font_prints
    from station.store.event_package import EventPackage

    package = EventPackage.open(event_path)
    try:
        checker = NicknameChecker(package.settings.nickname, latin_reader=_latin_reader(),
                                  printable=bib_font_prints)
        rows = list(review(package.entrants(), checker, show_all=show_all))
    finally:
        package.close()
    if as_csv:
        _write_csv(rows, lang)
    else:
        _write_table(rows, lang)


def review(entrants: Iterable[Entrant], checker: NicknameChecker, *,
           show_all: bool = False) -> Iterator[tuple[Entrant, NicknameCheck]]:
    """The active entrants whose nickname does not print exactly as typed."""
    for entrant in entrants:
        if entrant.status is not EntrantStatus.ACTIVE:
            continue
        if not entrant.nickname and not entrant.katakana_requested:
            continue
        result = checker.check(entrant)
        unchanged = result.outcome is NicknameOutcome.OK and result.printed == entrant.nickname
        if show_all or not unchanged:
            yield entrant, result


def _latin_reader() -> LatinReader | None:
    try:
        from station.core.katakana import E2KReader

        return E2KReader()
    except ImportError:  # e2k or NumPy missing: romaji and the roster's kana still work
        click.echo("warning: the e2k package is not installed; English names are read as romaji.",
                   err=True)
        return None


def _cells(entrant: Entrant, result: NicknameCheck, lang: str) -> tuple[str, ...]:
    outcome = result.outcome.value
    if result.outcome is NicknameOutcome.OK and result.printed != entrant.nickname:
        outcome = "normalised"
    reasons = "; ".join(p.text(lang) for p in result.reasons)
    return (entrant.entry_no, entrant.bib, entrant.nickname, outcome, result.printed,
            result.suggestion, reasons)


def _write_csv(rows: list[tuple[Entrant, NicknameCheck]], lang: str) -> None:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_COLUMNS)
    for entrant, result in rows:
        writer.writerow(csv_row(_cells(entrant, result, lang)))  # typed text: never a formula
    click.echo(out.getvalue(), nl=False)


def _write_table(rows: list[tuple[Entrant, NicknameCheck]], lang: str) -> None:
    if not rows:
        click.echo("Every nickname prints as typed.")
        return
    table = [_COLUMNS] + [_cells(e, r, lang) for e, r in rows]
    # reasons last and unpadded: they are long
    widths = [max(text_width(row[i]) for row in table) for i in range(len(_COLUMNS) - 1)]
    for row in table:
        padded = [cell + " " * (widths[i] - text_width(cell)) for i, cell in enumerate(row[:-1])]
        click.echo("  ".join([*padded, row[-1]]).rstrip())
    counts = Counter(row[3] for row in table[1:])
    summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
    click.echo(f"\n{len(rows)} nicknames to look at: {summary}.")

