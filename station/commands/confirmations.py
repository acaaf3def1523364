"""`station confirmations ...`: issue the signed QR confirmations, and revoke them.

`issue` writes, per entrant, the QR as a PNG and a one-page PDF to print or
attach, plus mailing.csv (entry number, name, e-mail, files) listing this
run's confirmations for the mail merge; a later run (new entrants, reissues)
lists only its own. Time for 40,000 entrants on a shared 2-core machine:
about 3 minutes PNG-only, about 20 minutes with PDFs.

Serials: an entry's first confirmation is serial 1; reissuing gives the next
serial and revokes the older one in the same transaction, so a runner who
shows the old mail is refused with "revoked" at every counter that has the
updated event package.
"""

from __future__ import annotations

import csv
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from station.core.errors import StationError
from station.core.text_safety import csv_rows
from station.printing.confirmation_sheet import SheetWriter, qr_png


@click.group("confirmations")
def confirmations() -> None:
    """Issue and revoke the entrants' signed QR confirmations."""


@confirmations.command("issue")
@click.option("--event", "event_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The event package (.sqlite).")
@click.option("--key", "key_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The .private.pem file from `station keys new` (its public key must be in the event).")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the PNGs, PDFs and mailing.csv.")
@click.option("--entry", "entries", multiple=True, help="Only this entry (repeatable).")
@click.option("--reissue", is_flag=True,
              help="Replace confirmations already issued (the old ones stop working).")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many entrants (for a trial run).")
@click.option("--no-pdf", is_flag=True, help="Only PNGs and the CSV (much faster for 40,000 entrants).")
def issue(event_path: Path, key_path: Path, out_dir: Path, entries: tuple[str, ...], reissue: bool,
          limit: int | None, no_pdf: bool) -> None:
    """Write every entrant's confirmation not issued yet (or --reissue them)."""
    from station.commands.keys import load_private_seed
    from station.core.confirmation import Signer
    from station.core.models import EntrantStatus
    from station.store import confirmations as store
    from station.store.event_package import EventPackage

    signer = Signer(load_private_seed(key_path))
    package = EventPackage.open(event_path)
    try:
        issued = store.issued_serials(package)
        if entries:
            chosen = []
            for entry_no in entries:
                entrant = package.entrant(entry_no)
                if entrant is None:
                    raise StationError(f"Entry {entry_no} is not in this event; check the number.")
                if entrant.status is not EntrantStatus.ACTIVE:
                    raise StationError(f"Entry {entry_no} is cancelled; it gets no confirmation.")
                if entry_no in issued and not reissue:
                    raise StationError(
                        f"Entry {entry_no} already has confirmation serial {issued[entry_no]}; "
                        "add --reissue to replace it (the old one stops working)."
                    )
                chosen.append(entrant)
        else:
            chosen = [e for e in package.entrants()
                      if e.status is EntrantStatus.ACTIVE and (reissue or e.entry_no not in issued)]
        if limit is not None:
            chosen = chosen[:limit]
        if not chosen:
            click.echo("nothing to issue: every active entrant has a confirmation (use --reissue to replace)")
            return
        with click.progressbar(length=len(chosen), label="issuing", file=sys.stderr) as bar:
            result = issue_confirmations(package, signer, chosen, out_dir, pdf=not no_pdf,
                                         progress=bar.update)
    finally:
        package.close()
    click.echo(f"issued {result.issued} confirmations with key {signer.key_id} in {result.seconds:.1f} s"
               + (f"; {result.replaced} older ones revoked" if result.replaced else "") + f" -> {out_dir}")


@dataclass(frozen=True, slots=True)
class IssueResult:
    issued: int
    replaced: int  # older confirmations revoked by this issue
    seconds: float


def issue_confirmations(package, signer, entrants: Sequence, out_dir: Path, *, pdf: bool = True,
                        progress: Callable[[int], None] | None = None) -> IssueResult:
    """Sign, draw and record confirmations for these entrants (the demo builder uses it too).

    Files first, the package last: if writing fails half-way nothing is
    recorded, and the next run plans the same serials again.
    """
    from station.store import confirmations as store

    key = store.key_ring(package).keys.get(signer.key_id)
    if key is None:
        raise StationError(
            f"Key {signer.key_id} is not in {package.path.name}, so counters would refuse its codes; "
            f"add it first: station keys add --event {package.path} --public {signer.key_id}.public.pem"
        )
    if key.retired:
        raise StationError(f"Key {signer.key_id} is retired; create a new one with `station keys new`.")
    started = time.perf_counter()
    plans = store.plan_issues(package, (e.entry_no for e in entrants))
    out_dir.mkdir(parents=True, exist_ok=True)
    sheets = SheetWriter(package.settings.name) if pdf else None
    rows = []
    for entrant, plan in zip(entrants, plans, strict=True):
        code = signer.code(package.settings.event_id, entrant.entry_no, plan.serial)
        png = out_dir / f"{entrant.entry_no}.png"
        png.write_bytes(qr_png(code))
        pdf_name = ""
        if sheets is not None:
            pdf_name = f"{entrant.entry_no}.pdf"
            sheets.write(out_dir / pdf_name, entrant, code, plan.serial)
        rows.append((entrant.entry_no, entrant.display_name, entrant.name_latin, entrant.email,
                     plan.serial, png.name, pdf_name))
        if progress is not None:
            progress(1)
    _write_mailing(out_dir / "mailing.csv", rows)
    store.record_issues(package, plans, signer.key_id)
    replaced = sum(1 for p in plans if p.replaces is not None)
    return IssueResult(len(plans), replaced, time.perf_counter() - started)


@confirmations.command("revoke")
@click.option("--event", "event_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The event package (.sqlite).")
@click.option("--entry", "entry_no", required=True, help="The entry whose confirmations stop working.")
@click.option("--reason", required=True, help="Why (lost, cancelled, suspected copy ...); shown to supervisors.")
def revoke(event_path: Path, entry_no: str, reason: str) -> None:
    """Void an entry's confirmations issued so far (reissue one later with --reissue)."""
    from station.store import confirmations as store
    from station.store.event_package import EventPackage

    package = EventPackage.open(event_path)
    try:
        serial = store.revoke(package, entry_no, reason)
    finally:
        package.close()
    click.echo(f"revoked entry {entry_no}'s confirmations up to serial {serial}")


def _write_mailing(path: Path, rows: list[tuple]) -> None:
    # UTF-8 with a BOM: Excel, which most mail merges start from, then reads the names right.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["entry_no", "name", "name_latin", "email", "serial", "qr_png", "pdf"])
        writer.writerows(csv_rows(rows))  # names and e-mails from the roster: never formulas
