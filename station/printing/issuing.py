"""Issuing signed QR confirmations: which entrants, the files, the record in the package.

`station confirmations issue` and the demo builder call these. Files first,
the package last: if writing fails half-way nothing is recorded, and the next
run plans the same serials again.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from station.core.confirmation import Signer
from station.core.errors import StationError
from station.core.models import Entrant, EntrantStatus
from station.core.text_safety import csv_rows
from station.printing.confirmation_sheet import SheetWriter, qr_png
from station.store import confirmations as store
from station.store.event_package import EventPackage


def choose_entrants(package: EventPackage, entries: Sequence[str] = (), *, reissue: bool = False,
                    limit: int | None = None) -> list[Entrant]:
    """The named entries (each must be active, and new unless `reissue`), or every
    active entrant without a confirmation (all of them with `reissue`)."""
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
    return chosen[:limit] if limit is not None else chosen


@dataclass(frozen=True, slots=True)
class IssueResult:
    issued: int
    replaced: int  # older confirmations revoked by this issue
    seconds: float


def issue_confirmations(package: EventPackage, signer: Signer, entrants: Sequence[Entrant], out_dir: Path, *,
                        pdf: bool = True, progress: Callable[[int], None] | None = None) -> IssueResult:
    """Sign, draw and record confirmations for these entrants (the demo builder uses it too).

    Files first, the package last: if writing fails half-way nothing is
    recorded, and the next run plans the same serials again.
    """
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
    write_mailing(out_dir / "mailing.csv", rows)
    store.record_issues(package, plans, signer.key_id)
    replaced = sum(1 for p in plans if p.replaces is not None)
    return IssueResult(len(plans), replaced, time.perf_counter() - started)


def write_mailing(path: Path, rows: Sequence[Sequence[object]]) -> None:
    # UTF-8 with a BOM: Excel, which most mail merges start from, then reads the names right.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["entry_no", "name", "name_latin", "email", "serial", "qr_png", "pdf"])
        writer.writerows(csv_rows(rows))  # names and e-mails from the roster: never formulas
