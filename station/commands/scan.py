"""`station scan FILE...`: what the counter would see in photos or videos.

The same pipeline as the counter's camera worker: frames from the same
sources, the same QR reader, each code reported once while it stays in view,
checked against the event package's keys and revocations, and the entrant
it names looked up. IT staff use it to try a camera angle from a recording;
we use it on real photographs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import click

from station.core.confirmation import CodeCheck, check_code
from station.core.errors import StationError


@dataclass(frozen=True, slots=True)
class Sighting:
    file: str
    frame: int
    payload: bytes
    corners: tuple[tuple[int, int], ...]
    check: CodeCheck | None  # None without --event: nothing to check against
    entrant: dict | None


@click.command("scan")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--event", "event_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Check codes against this event package and name the entrants.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per code found, one per line.")
@click.option("--lang", type=click.Choice(["ja", "en"]), default="en", show_default=True,
              help="Language of the verdict text.")
def scan(files: tuple[Path, ...], event_path: Path | None, as_json: bool, lang: str) -> None:
    """Read the QR codes in images, videos or image folders (exit 1 when none is found)."""
    from station.scan.camera import frames, source_for
    from station.scan.hold import HoldFilter
    from station.scan.qr import QrReader
    from station.store.confirmations import key_ring
    from station.store.event_package import EventPackage

    package = EventPackage.open(event_path) if event_path else None
    try:
        ring = key_ring(package) if package else None
        allow_unsigned = package.settings.allow_unsigned_codes if package else False
        reader = QrReader()
        found_any = False
        for path in files:
            hold = HoldFilter(release_frames=15, release_s=0.0)  # files: count frames, not seconds
            count, in_file = 0, 0
            for index, frame in enumerate(frames(source_for(str(path), live=False))):
                count += 1
                codes = reader(frame)
                fresh = set(hold.feed((c.payload for c in codes), float(index)))
                for code in codes:
                    if code.payload not in fresh:
                        continue
                    fresh.discard(code.payload)
                    found_any, in_file = True, in_file + 1
                    check = check_code(code.payload, ring, allow_unsigned=allow_unsigned) if ring else None
                    sighting = Sighting(str(path), index, code.payload, code.corners, check,
                                        _entrant(package, check) if package else None)
                    click.echo(_json(sighting, lang) if as_json else _line(sighting, lang))
            if count == 0:
                raise StationError(f"{path} gave no pictures; is it an image, a video or a folder of images?")
            if not as_json and not in_file:
                click.echo(f"{path}: no QR code found in {count} frame{'s' if count != 1 else ''}")
    finally:
        if package:
            package.close()
    if not found_any:
        raise SystemExit(1)


def _entrant(package, check: CodeCheck | None) -> dict | None:
    if check is None or check.entry_no is None:
        return None
    entrant = package.entrant(check.entry_no)
    if entrant is None:
        return {"entry_no": check.entry_no, "found": False}
    return {
        "entry_no": entrant.entry_no,
        "found": True,
        "bib": entrant.bib,
        "name": entrant.display_name,
        "name_latin": entrant.name_latin,
        "category": entrant.category.value,
        "status": entrant.status.value,
    }


def _text(payload: bytes) -> str | None:
    for encoding in ("utf-8", "cp932"):
        try:
            return payload.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _shown(payload: bytes) -> str:
    text = _text(payload)
    if text is None:
        return payload.hex()
    return text if len(text) <= 60 else text[:57] + "..."


def _line(s: Sighting, lang: str) -> str:
    where = f"{s.file}#{s.frame}"
    if s.check is None:
        return f"{where}  {_shown(s.payload)}  (not checked: give --event)"
    verdict = f"{s.check.outcome.value.upper()}: {s.check.message(lang)}"
    who = ""
    if s.entrant is not None:
        if s.entrant["found"]:
            who = (f"  -> entry {s.entrant['entry_no']}, bib {s.entrant['bib']}, {s.entrant['name']}"
                   f" ({s.entrant['status']})")
        else:
            who = f"  -> entry {s.entrant['entry_no']} is not in the event"
    return f"{where}  {_shown(s.payload)}\n    {verdict}{who}"


def _json(s: Sighting, lang: str) -> str:
    data = {
        "file": s.file,
        "frame": s.frame,
        "payload": _text(s.payload),
        "payload_hex": s.payload.hex(),
        "corners": [list(p) for p in s.corners],
        "outcome": s.check.outcome.value if s.check else None,
        "accepted": s.check.accepted if s.check else None,
        "id_check_is_only_proof": s.check.id_check_is_only_proof if s.check else None,
        "message": s.check.message(lang) if s.check else None,
        "entry_no": s.check.entry_no if s.check else None,
        "serial": s.check.serial if s.check else None,
        "key_id": s.check.key_id if s.check else None,
        "entrant": s.entrant,
    }
    return json.dumps(data, ensure_ascii=False)

