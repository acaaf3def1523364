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
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from station.core.errors import StationError

PNG_MODULE_PX = 10  # 41 modules + 8 quiet = 490 px: sharp on a phone and in print
QUIET_MODULES = 4
SHEET_QR_MM = 60.0


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
        writer.writerows(rows)


# -- pictures ------------------------------------------------------------------------


def qr_modules(code: str):
    """The code's modules, 0 dark and 255 light, at error correction M."""
    import numpy as np
    import zxingcpp

    barcode = zxingcpp.create_barcode(code, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    return np.array(barcode.to_image(scale=1, add_quiet_zones=False), dtype=np.uint8)


def _qr_picture(code: str, quiet: int = QUIET_MODULES):
    import cv2
    import numpy as np

    modules = np.pad(qr_modules(code), quiet, constant_values=255)
    return cv2.resize(modules, None, fx=PNG_MODULE_PX, fy=PNG_MODULE_PX, interpolation=cv2.INTER_NEAREST)


def qr_png(code: str) -> bytes:
    import cv2

    picture = _qr_picture(code)
    ok, png = cv2.imencode(".png", picture, [cv2.IMWRITE_PNG_BILEVEL, 1, cv2.IMWRITE_PNG_COMPRESSION, 6])
    if not ok:
        raise StationError("Could not encode a QR picture; is OpenCV installed correctly?")
    return png.tobytes()


@dataclass(frozen=True, slots=True)
class _Text:
    ja: str
    en: str


_INSTRUCTIONS = _Text(
    "受付でこのQRコードと本人確認書類（原本）を提示してください。コピーや写真の本人確認書類は使えません。",
    "At check-in, show this QR code together with your original ID document. "
    "Copies or photos of an ID are not accepted.",
)


class SheetWriter:
    """One A5 PDF page per entrant, drawn with QPainter in the shipped Japanese font."""

    def __init__(self, event_name: str) -> None:
        _ensure_gui_application()
        from PySide6.QtGui import QFont

        from station.printing.layout import bib_font_family

        self.event_name = event_name
        family = bib_font_family()
        self._fonts: dict[tuple[float, bool], QFont] = {}
        for size, bold in ((13, True), (11, False), (18, True), (10, False), (9, False), (7, False)):
            font = QFont(family)
            font.setPointSizeF(size)
            font.setBold(bold)
            self._fonts[(size, bold)] = font

    def write(self, path: Path, entrant, code: str, serial: int) -> None:
        from PySide6.QtCore import QMarginsF, QRectF, Qt
        from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

        writer = QPdfWriter(str(path))
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A5), QPageLayout.Orientation.Portrait,
                                         QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))
        writer.setResolution(300)
        writer.setTitle(f"{self.event_name} {entrant.entry_no}")
        writer.setCreator("Bib Station")
        mm = 300 / 25.4
        painter = QPainter(writer)
        try:
            width = writer.width()

            def text(y_mm: float, size: float, content: str, *, bold: bool = False, h_mm: float = 12) -> None:
                painter.setFont(self._fonts[(size, bold)])
                painter.drawText(QRectF(12 * mm, y_mm * mm, width - 24 * mm, h_mm * mm),
                                 int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap), content)

            text(10, 13, self.event_name, bold=True)
            text(20, 11, "参加確認書 / Participation confirmation")
            text(32, 18, entrant.display_name, bold=True)
            if entrant.name_latin and entrant.name_latin != entrant.display_name:
                text(42, 11, entrant.name_latin)
            text(50, 11, f"受付番号 Entry No. {entrant.entry_no}")
            # One image per code, 10 pixels a module, so that a PDF viewer's
            # smoothing cannot blur the module edges.
            picture = _qr_picture(code, quiet=0)
            image = QImage(picture.data, picture.shape[1], picture.shape[0], picture.strides[0],
                           QImage.Format.Format_Grayscale8)
            left = (width - SHEET_QR_MM * mm) / 2
            painter.drawImage(QRectF(left, 62 * mm, SHEET_QR_MM * mm, SHEET_QR_MM * mm), image)
            text(128, 10, _INSTRUCTIONS.ja, h_mm=16)
            text(145, 9, _INSTRUCTIONS.en, h_mm=16)
            text(196, 7, f"serial {serial}")
        finally:
            painter.end()


def _ensure_gui_application() -> None:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    if QGuiApplication.instance() is not None:
        return
    # A batch command on a server has no display; PDFs need none.
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # A QApplication, not the lighter QGuiApplication: a window (or pytest-qt)
    # started later in the same process needs the widget kind, and Qt allows one.
    _ensure_gui_application.app = QApplication([])  # type: ignore[attr-defined]
