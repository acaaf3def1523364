"""`station export chips|pickups|exceptions`: per-runner tables for the timing
company and the organizer, CSV or JSON (station/store/exports.py)."""

from __future__ import annotations

from pathlib import Path

import click

from station.core.errors import StationError
from station.store.exports import ChipLayout, ExportFormat, ExportKind, PersonalData, export, write


@click.command("export")
@click.argument("kind", type=click.Choice([k.value for k in ExportKind]))
@click.option("--event", "event_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The event package (.sqlite).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write (.csv or .json).")
@click.option("--format", "fmt", type=click.Choice([f.value for f in ExportFormat]),
              help="csv or json (default: from the file name).")
@click.option("--layout", type=click.Choice([v.value for v in ChipLayout]), default=ChipLayout.GENERIC.value,
              show_default=True, help="chips: the generic columns, or RACE RESULT's participant import.")
@click.option("--log", "logs", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Station log(s) (default: every log of the event on this machine, merged).")
@click.option("--include-names", is_flag=True,
              help="PERSONAL DATA: add names, sex, birth date and nationality.")
@click.option("--include-contact", is_flag=True, help="PERSONAL DATA: add phone numbers and e-mail addresses.")
@click.option("--include-document-keys", is_flag=True,
              help="PERSONAL DATA (pickups): add the keyed hash of the ID document each runner showed.")
def export_command(kind: str, event_path: Path, out: Path, fmt: str | None, layout: str, logs: tuple[Path, ...],
                   include_names: bool, include_contact: bool, include_document_keys: bool) -> None:
    """Export chips, pickups or exceptions; no personal data unless a flag asks for it."""
    from station.commands.audit import event_with_merged_log

    chosen = ExportFormat(fmt) if fmt else _format_of(out)
    if layout != ChipLayout.GENERIC.value and kind != ExportKind.CHIPS.value:
        raise StationError("--layout is for `station export chips` only.")
    if include_document_keys and kind != ExportKind.PICKUPS.value:
        raise StationError("--include-document-keys is for `station export pickups` only.")
    personal = PersonalData(include_names, include_contact, include_document_keys)
    if not event_path.is_file():
        raise StationError(f"{event_path} does not exist; give the event package (.sqlite) with --event.")
    with event_with_merged_log(event_path, logs) as (package, log):
        table = export(ExportKind(kind), package, log, layout=ChipLayout(layout), personal=personal)
    write(table, out, chosen)
    said = [name for name, on in (("names", include_names), ("contact details", include_contact),
                                  ("document keys", include_document_keys)) if on]
    click.echo(f"wrote {out}: {len(table.rows)} rows, {len(table.columns)} columns"
               + (f" (WITH PERSONAL DATA: {', '.join(said)}; keep it safe, delete it when done)" if said else
                  " (no personal data)"))


def _format_of(path: Path) -> ExportFormat:
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in {f.value for f in ExportFormat}:
        raise StationError(f"Cannot tell the format of {path.name}: name it .csv or .json, or give --format.")
    return ExportFormat(suffix)
