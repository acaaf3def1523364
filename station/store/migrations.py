"""Numbered SQL migrations: db/<kind>/NNNN_name.sql, applied in order.

Before touching a file that already has data we copy it aside (SQLite's backup
API, so a WAL file's content is included), then apply every pending migration
in one transaction: a failure leaves the file exactly as it was.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from station.core.errors import MigrationError
from station.core.texts import NOTHING, Text
from station.resources import migrations_dir
from station.store.sqlite import transaction

log = logging.getLogger(__name__)

# Said at start-up in the station's language (a window), in English on the command line and in the log.
_NEWER = Text("{file} は新しい版の Bib Station（スキーマ {version}）で書かれています。"
              "このステーションを更新してください。",
              "{file} was written by a newer Bib Station (schema {version}); update this station.")
_FAILED = Text("{file} の更新（{migration}）に失敗しました。{file} は変わっていません{backup}。",
               "Migration {migration} failed ({error}); {file} is unchanged{backup}")
_BACKUP = Text("（バックアップは {path}）", ", backup at {path}")
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    number: int
    path: Path

    def statements(self) -> list[str]:
        """Split on complete statements; sqlite3 knows a trigger's inner `;`."""
        statements, pending = [], ""
        for line in self.path.read_text(encoding="utf-8").splitlines(keepends=True):
            pending += line
            if sqlite3.complete_statement(pending):
                if pending.strip():
                    statements.append(pending.strip())
                pending = ""
        if pending.strip() and not pending.strip().startswith("--"):
            raise MigrationError(f"{self.path.name} ends with an incomplete statement.")
        return statements


def available(kind: str) -> list[Migration]:
    found = []
    for path in sorted(migrations_dir(kind).glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise MigrationError(f"Migration file {path.name} is not named NNNN_name.sql.")
        found.append(Migration(int(match[1]), path))
    numbers = [m.number for m in found]
    if numbers != list(range(1, len(found) + 1)):
        raise MigrationError(f"Migrations in db/{kind} are not numbered 1..n: {numbers}")
    return found


def current_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, path: Path, kind: str) -> Path | None:
    """Bring the file up to date. Returns the backup's path when one was made."""
    version = current_version(conn)
    migrations = available(kind)
    if version > len(migrations):
        raise MigrationError(_NEWER(file=path.name, version=version))
    pending = [m for m in migrations if m.number > version]
    if not pending:
        return None
    backup = None
    if version > 0:
        backup = path.with_name(f"{path.name}.schema{version}.bak")
        target = sqlite3.connect(backup)
        try:
            conn.backup(target)
        finally:
            target.close()
    with transaction(conn, path):
        for migration in pending:
            for statement in migration.statements():
                try:
                    conn.execute(statement)
                except sqlite3.DatabaseError as exc:
                    raise MigrationError(_FAILED(
                        migration=migration.path.name, error=str(exc), file=path.name,
                        backup=_BACKUP(path=str(backup)) if backup else NOTHING), detail=str(exc)) from exc
            conn.execute(f"PRAGMA user_version = {migration.number}")
    log.info("%s: %s schema %d -> %d (%s)%s", path, kind, version, pending[-1].number,
             ", ".join(m.path.name for m in pending), f"; the file before is kept as {backup}" if backup else "")
    return backup
