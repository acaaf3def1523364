"""`station scan FILE...`: what the counter would see in photos or videos.

The same pipeline as the counter's camera worker: frames from the same
sources, the same QR reader, each code reported once while it stays in view,
checked against the event package's keys and revocations, and the entrant
it names looked up. IT staff use it to try a camera angle from a recording;
we use it on real photographs.
"""

from __future__ import annotations

import json
from collections import Counter
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
@click.option("--mrz", "read_mrz", is_flag=True,
              help="Also read ID documents' machine-readable zone (passports, ID cards) and print its fields.")
@click.option("--entry", "entry_no", help="With --mrz and --event: compare the MRZ with this entrant.")
@click.option("--lang", type=click.Choice(["ja", "en"]), default="en", show_default=True,
              help="Language of the verdict text.")
def scan(files: tuple[Path, ...], event_path: Path | None, as_json: bool, read_mrz: bool, entry_no: str | None,
         lang: str) -> None:
    """Read the QR codes (and with --mrz the ID documents) in images, videos or
    image folders, as the counter would (exit 1 when nothing is found)."""
    from station.scan.camera import IMAGE_SUFFIXES, frames, source_for
    from station.scan.hold import HoldFilter
    from station.scan.mrz_reader import MrzReader, MrzTracker
    from station.scan.qr import QrReader
    from station.store.confirmations import key_ring
    from station.store.event_package import EventPackage

    package = EventPackage.open(event_path) if event_path else None
    try:
        ring = key_ring(package) if package else None
        allow_unsigned = package.settings.allow_unsigned_codes if package else False
        reader = QrReader()
        mrz_reader = MrzReader() if read_mrz else None
        entrant = package.entrant(entry_no) if package and entry_no else None
        if entry_no and package and entrant is None:
            raise StationError(f"Entry {entry_no} is not in {event_path}; check the entry number.")
        found_any = False
        for path in files:
            hold = HoldFilter(release_frames=15, release_s=0.0)  # files: count frames, not seconds
            tracker, last_mrz = MrzTracker(), None
            count, in_file = 0, 0
            failures: Counter[str] = Counter()
            for index, frame in enumerate(frames(source_for(str(path), live=False))):
                count += 1
                if mrz_reader is not None:
                    attempt = mrz_reader.attempt(frame)
                    reading = attempt.reading
                    if attempt.failure is not None:
                        failures[attempt.failure.value] += 1
                    # One picture is all a photo gives; a video must agree in 2 of 3 frames.
                    accepted = reading if path.is_file() and path.suffix.lower() in IMAGE_SUFFIXES \
                        and reading is not None and reading.record.valid else tracker.update(reading)
                    if accepted is not None and accepted.record.lines != last_mrz:
                        last_mrz = accepted.record.lines
                        found_any, in_file = True, in_file + 1
                        click.echo(_mrz_text(path, index, accepted.record, entrant, as_json))
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
                what = "QR code or MRZ" if read_mrz else "QR code"
                click.echo(f"{path}: no {what} found in {count} frame{'s' if count != 1 else ''}")
                if read_mrz and failures:
                    click.echo(f"  MRZ: {_why(failures, lang)}")
            elif as_json and read_mrz and not last_mrz and failures:
                click.echo(json.dumps({"file": str(path), "mrz": None, "why": failures.most_common(1)[0][0],
                                       "frames": dict(failures)}, ensure_ascii=False))
    finally:
        if package:
            package.close()
    if not found_any:
        raise SystemExit(1)


# What an installer can do about each reason the MRZ reader gave up (station.scan.mrz_reader.Failure).
_WHY = {
    "no_band": ("no MRZ band seen: bring the document's two or three bottom lines into the frame, "
                "closer or better lit",
                "MRZ の帯が見つかりません：書類の下の 2〜3 行を枠に入れ、近づけるか明るくしてください"),
    "glyphs_unsure": ("MRZ band seen but the characters are not sure: hold still, closer, "
                      "avoid glare on the lines",
                      "MRZ は見えますが文字が確かではありません：静止させ、近づけ、行への反射を避けてください"),
    "checks_failed": ("MRZ read but the check digits fail: a misread character or a misprinted "
                      "document; try another angle or type the data",
                      "MRZ を読みましたがチェックディジットが合いません：角度を変えるか手入力してください"),
    "band_cut": ("the MRZ band ends early (glare or the frame's edge): tilt the document out of "
                 "the light and keep the whole band in the frame",
                 "MRZ の帯が途中で切れています（反射か枠外）：光を避けて傾け、帯全体を枠に入れてください"),
    "not_a_document": ("a valid MRZ of a visa, not of a passport or ID card",
                       "ビザの MRZ です。旅券・身分証ではありません"),
}


def _why(failures: Counter[str], lang: str) -> str:
    """The commonest reason over the file's frames, in the volunteer's language."""
    reason, times = failures.most_common(1)[0]
    en, ja = _WHY[reason]
    total = sum(failures.values())
    return f"{ja if lang == 'ja' else en} ({reason}, {times}/{total})"


def _mrz_text(path: Path, index: int, record, entrant, as_json: bool) -> str:
    """What the counter's ID panel would show: the fields, which checks passed,
    and (with an entrant) the comparison; never an approval on its own."""
    import dataclasses
    import datetime as dt

    from station.core.identity import compare

    checks = {f.name: getattr(record.checks, f.name) for f in dataclasses.fields(record.checks)}
    data = {
        "file": str(path), "frame": index, "format": record.format.value, "document": record.document_code,
        "issuing_state": record.issuing_state, "family_names": list(record.family_names),
        "given_names": list(record.given_names), "nationality": record.nationality,
        "birth_date": record.birth_date.isoformat() if record.birth_date else None,
        "expiry_date": record.expiry_date.isoformat() if record.expiry_date else None,
        "checks": checks, "repairs": record.repairs,
    }
    if entrant is not None:
        result = compare(record, entrant, dt.date.today())
        data["comparison"] = {"entry_no": entrant.entry_no, "outcome": result.outcome.value,
                              "name": result.name.value, "birth_date": result.birth_date.value,
                              "registered_name": result.registered_name, "expired": result.expired}
    if as_json:
        return json.dumps(data, ensure_ascii=False)
    passed = "all check digits pass" if record.valid else "checks failed: " + ", ".join(
        k for k, v in checks.items() if not v)
    text = (f"{path} frame {index}: MRZ {record.format.value} {record.document_code} "
            f"{' '.join(record.family_names)}, {' '.join(record.given_names)}; born {data['birth_date']}; "
            f"{record.nationality}; expires {data['expiry_date']}; {passed}")
    if "comparison" in data:
        c = data["comparison"]
        text += (f"\n  vs entry {c['entry_no']} ({c['registered_name']}): {c['outcome'].upper()} "
                 f"(name {c['name']}, date of birth {c['birth_date']}{', EXPIRED' if c['expired'] else ''})")
    return text


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

