"""The event package: one SQLite file with the event's settings, roster, keys
and supervisors. Made by the organizer, copied to every station, read-mostly.

It uses a rollback journal, not WAL, so that it stays one self-contained file
that can be copied to a USB stick or downloaded from the hub.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from station.core.errors import NotAnEventPackage, StationError
from station.core.event import SETTINGS_VERSION, EventSettings, document_version
from station.core.ids import check_event_id
from station.core.models import Category, Entrant, EntrantStatus, Fact, Sex
from station.core.texts import Text
from station.store import fact_rows
from station.store.migrations import migrate
from station.store.sqlite import connect, transaction, translate

FORMAT = "bib-station-event"
ENTRANT_COLUMNS = tuple(f.name for f in fields(Entrant))


@dataclass(frozen=True, slots=True)
class RosterCounts:
    runners: int
    escorts: int
    cancelled: int

    @property
    def total(self) -> int:
        return self.runners + self.escorts


_EXISTS = Text("{path} はすでにあります。別のファイル名を選んでください。",
               "{path} already exists; choose another file name.")
_NO_PACKAGE = Text("イベントパッケージ {path} がありません。パスを確認してください。",
                   "Event package {path} does not exist; check the path.")
_SQLITE_NOT_PACKAGE = Text(
    "{path} は SQLite のファイルですが、イベントパッケージではありません。"
    "主催者から届いた .sqlite ファイルを選んでください。",
    "{path} is a SQLite file but not an event package; choose the .sqlite file the organizer sent.")
_NOT_PACKAGE = Text("{path} は {app} のイベントパッケージではありません。",
                    "{path} is not a {app} event package.")  # app: the product's name, "Bib Station"
_NO_DOCUMENT_SECRET = Text(
    "このイベントパッケージには身分証番号用の鍵がありません。このバージョンで作り直してください。",
    "This event package has no document secret; rebuild it with this version.")
_EVENT_ID_FIXED = Text("イベントパッケージのイベント ID は変更できません。",
                       "An event package's event id cannot change.")


class EventPackage:
    def __init__(self, path: Path, conn: sqlite3.Connection, settings: EventSettings) -> None:
        self.path = path
        self.conn = conn
        self.settings = settings

    @classmethod
    def create(cls, path: Path, settings: EventSettings) -> EventPackage:
        settings.validate()
        check_event_id(settings.event_id)
        if path.exists():
            raise StationError(_EXISTS(path=str(path)))
        conn = connect(path, wal=False, create=True)
        try:
            migrate(conn, path, "event")
            with transaction(conn, path):
                conn.execute("INSERT INTO package_info (key, value) VALUES ('format', ?)", (FORMAT,))
                conn.execute("INSERT INTO event_settings (id, settings) VALUES (1, ?)", (settings.to_json(),))
        except BaseException:
            conn.close()
            path.unlink(missing_ok=True)
            raise
        return cls(path, conn, settings)

    @classmethod
    def open(cls, path: Path) -> EventPackage:
        if not path.is_file():
            raise StationError(_NO_PACKAGE(path=str(path)))
        conn = connect(path, wal=False, create=False)
        try:
            try:
                marker = conn.execute("SELECT value FROM package_info WHERE key = 'format'").fetchone()
            except sqlite3.DatabaseError as exc:
                error = translate(exc, path)
                if "no such table" in str(exc):
                    error = NotAnEventPackage(_SQLITE_NOT_PACKAGE(path=str(path)))
                raise error from exc
            if not marker or marker[0] != FORMAT:
                raise NotAnEventPackage(_NOT_PACKAGE(path=str(path), app="Bib Station"))
            migrate(conn, path, "event")
            stored = conn.execute("SELECT settings FROM event_settings WHERE id = 1").fetchone()[0]
            settings = EventSettings.from_json(stored)
            check_event_id(settings.event_id)  # it names files: a name, never a path
            if document_version(stored) < SETTINGS_VERSION:  # upgraded: keep it so, like the migrations
                with transaction(conn, path):
                    conn.execute("UPDATE event_settings SET settings = ? WHERE id = 1", (settings.to_json(),))
        except BaseException:
            conn.close()
            raise
        return cls(path, conn, settings)

    def close(self) -> None:
        self.conn.close()

    @property
    def document_secret(self) -> bytes:
        """The event's key for hashing ID document numbers (never the numbers themselves)."""
        row = self.conn.execute("SELECT value FROM package_info WHERE key = 'document_secret'").fetchone()
        if row is None:
            raise StationError(_NO_DOCUMENT_SECRET)
        return bytes.fromhex(row[0])

    def save_settings(self, settings: EventSettings) -> None:
        settings.validate()
        if settings.event_id != self.settings.event_id:
            raise StationError(_EVENT_ID_FIXED)
        with transaction(self.conn, self.path):
            self.conn.execute("UPDATE event_settings SET settings = ? WHERE id = 1", (settings.to_json(),))
        self.settings = settings

    # -- the roster ---------------------------------------------------------

    def entrant(self, entry_no: str) -> Entrant | None:
        row = self.conn.execute(
            f"SELECT {', '.join(ENTRANT_COLUMNS)} FROM entrant WHERE entry_no = ?", (entry_no,)
        ).fetchone()
        return entrant_from_row(row) if row else None

    def entrant_by_bib(self, bib: str) -> Entrant | None:
        row = self.conn.execute(
            f"SELECT {', '.join(ENTRANT_COLUMNS)} FROM entrant WHERE bib = ?", (bib,)
        ).fetchone()
        return entrant_from_row(row) if row else None

    def escorts_of(self, entry_no: str) -> list[Entrant]:
        rows = self.conn.execute(
            f"SELECT {', '.join(ENTRANT_COLUMNS)} FROM entrant WHERE escort_of = ? ORDER BY entry_no",
            (entry_no,),
        )
        return [entrant_from_row(r) for r in rows]

    def entrants(self) -> Iterator[Entrant]:
        rows = self.conn.execute(f"SELECT {', '.join(ENTRANT_COLUMNS)} FROM entrant ORDER BY entry_no")
        for row in rows:
            yield entrant_from_row(row)

    def counts(self) -> RosterCounts:
        runners, escorts, cancelled = self.conn.execute(
            "SELECT "
            " sum(status = 'active' AND escort_of IS NULL),"
            " sum(status = 'active' AND escort_of IS NOT NULL),"
            " sum(status = 'cancelled') FROM entrant"
        ).fetchone()
        return RosterCounts(runners or 0, escorts or 0, cancelled or 0)

    def roster_facts(self, after_seq: int = 0) -> Iterator[tuple[int, Fact]]:
        rows = self.conn.execute(
            f"SELECT seq, {fact_rows.SELECT} FROM roster_fact WHERE seq > ? ORDER BY seq", (after_seq,)
        )
        for row in rows:
            yield row[0], fact_rows.from_row(row[1:])


def entrant_to_row(e: Entrant) -> tuple[Any, ...]:
    """Values in ENTRANT_COLUMNS order (spelled out: this runs 40,000 times an import)."""
    return (
        e.entry_no, e.bib, e.family_kanji, e.given_kanji, e.family_kana, e.given_kana,
        e.family_latin, e.given_latin, e.sex.value, e.birth_date.isoformat(), e.nationality,
        e.category.value, e.start_block, e.nickname, int(e.katakana_requested), e.shirt_size,
        e.escort_of, int(e.disability), e.phone, e.email, e.status.value,
    )


def entrant_from_row(row: tuple[Any, ...]) -> Entrant:
    data = dict(zip(ENTRANT_COLUMNS, row, strict=True))
    data["birth_date"] = dt.date.fromisoformat(data["birth_date"])
    data["sex"] = Sex(data["sex"])
    data["category"] = Category(data["category"])
    data["status"] = EntrantStatus(data["status"])
    data["katakana_requested"] = bool(data["katakana_requested"])
    data["disability"] = bool(data["disability"])
    return Entrant(**data)
