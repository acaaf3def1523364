"""Opening SQLite files the one way we do it, and turning SQLite's errors into ours."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from station.core.errors import DatabaseLocked, NotAnEventPackage, StationError
from station.core.texts import Text

BUSY_TIMEOUT_MS = 5000
_MISSING = Text("{path} がありません。場所を確認してください。", "{path} does not exist; check the path.")


def connect(path: Path, *, wal: bool, create: bool) -> sqlite3.Connection:
    """Autocommit connection; callers open transactions explicitly with `transaction`."""
    if not create and not path.exists():
        raise StationError(_MISSING(path=str(path)))
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if wal:
            conn.execute("PRAGMA journal_mode = WAL")
        # FULL: a pickup that was confirmed on screen survives a power cut.
        conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.DatabaseError as exc:
        raise translate(exc, path) from exc
    return conn


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection, path: Path | None = None) -> Iterator[None]:
    """All or nothing. IMMEDIATE takes the write lock up front, so a busy file
    fails here, before any work, rather than half-way."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.DatabaseError as exc:
        raise translate(exc, path) from exc
    try:
        yield
    except BaseException:
        # After a full disk or an I/O error SQLite has rolled back already;
        # a second ROLLBACK would replace the real error with "no transaction".
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise translate(exc, path) from exc


_THE_DATABASE = Text("データベース", "the database")
_LOCKED = Text("{where} は別のプログラム（別のステーション画面？）が使用中です。閉じてからもう一度お試しください。",
               "{where} is locked by another program (another station window?); close it and try again.")
_NOT_SQLITE = Text("{where} は SQLite のファイルではありません。イベントパッケージ（.sqlite）を選んでください。",
                   "{where} is not a SQLite file; choose an event package (.sqlite).")
_READ_ONLY = Text("{where} は読み取り専用です。書き込めるフォルダーにコピーしてください。",
                  "{where} is read-only; copy it to a folder you can write to.")
_DISK_FULL = Text("{where} のあるディスクがいっぱいです。空き容量を作ってください。",
                  "The disk holding {where} is full; free some space.")
_OTHER = Text("{where} でデータベースのエラーが起きました：{detail}", "{where}: {detail}")


def translate(exc: sqlite3.DatabaseError, path: Path | None) -> StationError:
    where: Text | str = str(path) if path else _THE_DATABASE
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return DatabaseLocked(_LOCKED(where=where))
    if "not a database" in text or "file is encrypted" in text:
        return NotAnEventPackage(_NOT_SQLITE(where=where))
    if "readonly" in text or "read-only" in text:
        return StationError(_READ_ONLY(where=where))
    if "disk" in text and "full" in text:
        return StationError(_DISK_FULL(where=where))
    return StationError(_OTHER(where=where, detail=str(exc)))
