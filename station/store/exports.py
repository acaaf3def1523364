"""Per-runner exports for after the expo: chips, pickups and exceptions.

Read from the event package (the roster) and one station log holding the
whole hall's facts (a synced station's log, or the logs merged as
`station report` does). No Qt; `station export` writes the tables as CSV or
JSON.

- chips: for the timing company, entry, bib, the chip tag paired at the
  counter, timed or untimed (escorts run untimed), category and start block;
  in a generic layout or in the column names of RACE RESULT's participant
  import (`RACE_RESULT_COLUMNS`; docs/SUPERVISOR.md gives the mapping).
- pickups: for the organizer's reminders and the start-corral plan, every
  entrant, picked up or not, where (counter) and when, and the kind of
  document shown (never the document's key).
- exceptions: every case sent to a supervisor, the decision, who decided and why.

Personal data stays out unless asked for: names, sex, birth date and
nationality with `PersonalData.names`; phone and e-mail with `.contact`; the
ID documents' keys with `.document_keys`. An event whose package or log was
purged is refused: what the export would say is gone.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from station.core.errors import StationError
from station.core.models import FactKind
from station.core.payloads import ExceptionOpenedPayload
from station.store.event_package import EventPackage
from station.store.exceptions import ExceptionQueue
from station.store.station_log import StationLog


class ExportKind(StrEnum):
    CHIPS = "chips"
    PICKUPS = "pickups"
    EXCEPTIONS = "exceptions"


class ChipLayout(StrEnum):
    GENERIC = "generic"
    RACE_RESULT = "raceresult"


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


@dataclass(frozen=True, slots=True)
class PersonalData:
    """What personal data an export may hold; nothing unless asked for."""

    names: bool = False  # names (kanji, kana, Latin), sex, birth date, nationality
    contact: bool = False  # phone and e-mail
    document_keys: bool = False  # pickups: the keyed hash of the ID document shown


@dataclass(frozen=True, slots=True)
class Table:
    kind: ExportKind
    columns: tuple[str, ...]
    rows: list[tuple[object, ...]]


NAME_COLUMNS = ("family_kanji", "given_kanji", "family_kana", "given_kana", "family_latin", "given_latin",
                "sex", "birth_date", "nationality")
CONTACT_COLUMNS = ("phone", "email")
GENERIC_CHIP_COLUMNS = ("entry_no", "bib", "chip_tag", "timing", "role", "runner_bib", "category", "start_block",
                        "status")
# RACE RESULT 12's participant fields, as its import dialog names them.
RACE_RESULT_COLUMNS = ("Bib", "Transponder1", "Contest", "AgeGroup", "Comment", "ExternalID")
RACE_RESULT_NAMES = ("Lastname", "Firstname", "Sex", "DateOfBirth", "Nation")
RACE_RESULT_CONTACT = ("Phone", "Email")
PICKUP_COLUMNS = ("entry_no", "bib", "role", "runner_bib", "category", "start_block", "status", "picked_up",
                  "counter", "picked_up_at", "document_kind")
EXCEPTION_COLUMNS = ("exception_id", "opened_at", "counter", "volunteer", "entry_no", "bib", "reason", "codes",
                     "note", "decision", "ground", "supervisor", "supervisor_reason", "resolved_at")


def refuse_purged(package: EventPackage, log: StationLog) -> None:
    purged = package.conn.execute("SELECT value FROM package_info WHERE key = 'purged_at'").fetchone()
    if purged is None:
        purged = log.conn.execute("SELECT value FROM station_info WHERE key = 'purged_at'").fetchone()
    if purged is not None:
        raise StationError(f"The event {package.settings.event_id} was purged on {purged[0]}: its personal data "
                           "and notes are gone, so there is nothing true to export. Use the exports made "
                           "before the purge, or `station report` for the counts.")


@dataclass(frozen=True, slots=True)
class _Entry:
    entry_no: str
    bib: str
    category: str
    start_block: str
    escort_of: str | None
    status: str
    personal: tuple[object, ...]


def _roster(package: EventPackage, personal: PersonalData) -> list[_Entry]:
    extra = (NAME_COLUMNS if personal.names else ()) + (CONTACT_COLUMNS if personal.contact else ())
    columns = ("entry_no", "bib", "category", "start_block", "escort_of", "status", *extra)
    rows = package.conn.execute(f"SELECT {', '.join(columns)} FROM entrant ORDER BY entry_no")
    return [_Entry(r[0], r[1], r[2], r[3], r[4], r[5], tuple(r[6:])) for r in rows]


def _pickups(log: StationLog, *, chips: bool = True) -> dict[str, tuple[str, str | None, str | None, str | None]]:
    """entry -> (status, counter, when (UTC ISO), chip) from the derived state and the pickup that counts."""
    chip_of: dict[str, str] = {}
    if chips:  # two scans beat a join probing the fact table 40,000 times
        chip_of = dict(log.conn.execute(
            "SELECT fact_id, json_extract(payload, '$.chip') FROM fact "
            "WHERE kind = ? AND json_extract(payload, '$.chip') IS NOT NULL", (FactKind.PICKUP.value,)).fetchall())
    rows = log.conn.execute("SELECT entry_no, status, pickup_station, pickup_wall_time, pickup_fact FROM entry_state")
    return {r[0]: (r[1], r[2], r[3], chip_of.get(r[4]) if r[4] else None) for r in rows}


def _documents(log: StationLog) -> dict[str, tuple[str, str]]:
    """entry -> (document kind, document key) of the latest ID check."""
    rows = log.conn.execute(
        "SELECT entry_no, json_extract(payload, '$.document'), json_extract(payload, '$.document_hash') "
        "FROM fact WHERE kind = ? ORDER BY stamp, fact_id", (FactKind.ID_CHECKED.value,))
    return {r[0]: (r[1] or "", r[2] or "") for r in rows}


def chips(package: EventPackage, log: StationLog, *, layout: ChipLayout = ChipLayout.GENERIC,
          personal: PersonalData | None = None) -> Table:
    personal = personal or PersonalData()
    refuse_purged(package, log)
    roster = _roster(package, personal)
    bibs = {e.entry_no: e.bib for e in roster}
    picked = _pickups(log)
    if layout is ChipLayout.GENERIC:
        columns = GENERIC_CHIP_COLUMNS + _personal_columns(personal)
        rows: list[tuple[object, ...]] = []
        for e in roster:
            chip = (picked.get(e.entry_no) or ("", None, None, None))[3] or ""
            rows.append((e.entry_no, e.bib, chip, "untimed" if e.escort_of else "timed",
                         "escort" if e.escort_of else "runner", bibs.get(e.escort_of or "", ""),
                         e.category, e.start_block, e.status, *e.personal))
        return Table(ExportKind.CHIPS, columns, rows)
    columns = RACE_RESULT_COLUMNS + (RACE_RESULT_NAMES if personal.names else ()) + (
        RACE_RESULT_CONTACT if personal.contact else ())
    rows = []
    for e in roster:
        if e.status != "active":
            continue  # a cancelled entry does not start
        chip = (picked.get(e.entry_no) or ("", None, None, None))[3] or ""
        contest = f"{e.category}-guide" if e.escort_of else e.category
        comment = f"untimed guide of bib {bibs.get(e.escort_of, '')}" if e.escort_of else ""
        row: list[object] = [e.bib, chip, contest, e.start_block, comment, e.entry_no]
        if personal.names:
            (family_kanji, given_kanji, family_kana, given_kana, family_latin, given_latin, sex, birth,
             nation) = e.personal[:9]
            row += [family_latin or family_kanji or family_kana, given_latin or given_kanji or given_kana,
                    {"M": "m", "F": "f"}.get(str(sex), ""), birth, nation]
        if personal.contact:
            row += list(e.personal[-2:])
        rows.append(tuple(row))
    return Table(ExportKind.CHIPS, columns, rows)


def pickups(package: EventPackage, log: StationLog, *, personal: PersonalData | None = None) -> Table:
    personal = personal or PersonalData()
    refuse_purged(package, log)
    settings = package.settings
    roster = _roster(package, personal)
    bibs = {e.entry_no: e.bib for e in roster}
    picked = _pickups(log, chips=False)
    documents = _documents(log)
    columns = PICKUP_COLUMNS + (("document_key",) if personal.document_keys else ()) + _personal_columns(personal)
    rows: list[tuple[object, ...]] = []
    zone = settings.zone
    for e in roster:
        state, counter, when, _ = picked.get(e.entry_no) or ("waiting", None, None, None)
        status = "cancelled" if e.status == "cancelled" else state
        out = state == "picked_up"
        at = dt.datetime.fromisoformat(when).astimezone(zone).isoformat(timespec="seconds") if out and when else ""
        kind, key = documents.get(e.entry_no, ("", ""))
        row: tuple[object, ...] = (e.entry_no, e.bib, "escort" if e.escort_of else "runner",
                                   bibs.get(e.escort_of or "", ""), e.category, e.start_block, status,
                                   "yes" if out else "no", counter if out else "", at, kind if out else "")
        if personal.document_keys:
            row += (key if out else "",)
        rows.append(row + e.personal)
    return Table(ExportKind.PICKUPS, columns, rows)


def exceptions(package: EventPackage, log: StationLog, *, personal: PersonalData | None = None) -> Table:
    refuse_purged(package, log)
    settings = package.settings
    queue = ExceptionQueue(log, package)
    bibs = dict(package.conn.execute("SELECT entry_no, bib FROM entrant").fetchall())
    rows: list[tuple[object, ...]] = []
    opened = log.conn.execute(
        "SELECT fact_id, wall_time, station_id, volunteer_id, entry_no, payload FROM fact WHERE kind = ? "
        "ORDER BY stamp, fact_id", (FactKind.EXCEPTION_OPENED.value,)).fetchall()
    grounds = {r[0]: r[1] or "" for r in log.conn.execute(
        "SELECT fact_id, json_extract(payload, '$.ground') FROM fact WHERE kind = ?",
        (FactKind.EXCEPTION_RESOLVED.value,))}
    for fact_id, wall, station, volunteer, entry_no, payload in opened:
        what = ExceptionOpenedPayload.from_payload(json.loads(payload))
        outcome = queue.outcome(fact_id)
        rows.append((
            fact_id, settings.local(dt.datetime.fromisoformat(wall)).isoformat(timespec="seconds"), station,
            volunteer, entry_no or "", bibs.get(entry_no, "") if entry_no else "", what.reason or "",
            " ".join(what.codes or ()), what.note or "",
            outcome.decision.value if outcome else "open", grounds.get(outcome.fact_id, "") if outcome else "",
            outcome.supervisor_id if outcome else "", outcome.reason_text if outcome else "",
            settings.local(outcome.resolved_at).isoformat(timespec="seconds") if outcome else "",
        ))
    return Table(ExportKind.EXCEPTIONS, EXCEPTION_COLUMNS, rows)


def _personal_columns(personal: PersonalData) -> tuple[str, ...]:
    return (NAME_COLUMNS if personal.names else ()) + (CONTACT_COLUMNS if personal.contact else ())


def render(table: Table, fmt: ExportFormat) -> str:
    if fmt is ExportFormat.JSON:
        columns, encode = table.columns, json.JSONEncoder(ensure_ascii=False).encode
        return "[\n" + ",\n".join(encode(dict(zip(columns, row, strict=True))) for row in table.rows) + "\n]\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    # A spreadsheet must not run a cell as a formula (CSV injection): such a cell starts with a quote.
    writer.writerows([("'" + v) if v.__class__ is str and v.startswith(_FORMULA) else v for v in row]
                     for row in table.rows)
    return buffer.getvalue()


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def write(table: Table, path: Path, fmt: ExportFormat) -> Path:
    """CSV in UTF-8 with a BOM (Excel opens Japanese correctly), or JSON; written whole, then moved."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(render(table, fmt), encoding="utf-8-sig" if fmt is ExportFormat.CSV else "utf-8", newline="")
    tmp.replace(path)
    return path


def export(kind: ExportKind, package: EventPackage, log: StationLog, *, layout: ChipLayout = ChipLayout.GENERIC,
           personal: PersonalData | None = None) -> Table:
    if kind is ExportKind.CHIPS:
        return chips(package, log, layout=layout, personal=personal)
    if kind is ExportKind.PICKUPS:
        return pickups(package, log, personal=personal)
    return exceptions(package, log, personal=personal)
