"""The event package file and its migrations."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3

import pytest

from station.core.errors import MigrationError, NotAnEventPackage, StationError
from station.core.event import EligibilityKind, EventSettings
from station.store import migrations
from station.store.event_package import EventPackage
from station.store.migrations import current_version, migrate
from tests.factories import make_event, row


def test_create_and_open_round_trips_the_settings(tmp_path, kyoto_settings):
    make_event(tmp_path / "e.sqlite", kyoto_settings, [row(1), row(2)]).close()
    package = EventPackage.open(tmp_path / "e.sqlite")
    try:
        assert package.settings == kyoto_settings
        assert package.settings.eligibility.kind is EligibilityKind.BORN_BEFORE
        assert package.settings.eligibility.born_before == dt.date(2008, 4, 1)
        assert package.counts().runners == 2
        assert package.entrant("1001").given_latin == "Taro1"
        assert package.entrant_by_bib("2").entry_no == "1002"
        assert package.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        package.close()


def test_settings_json_round_trip(kyoto_settings):
    assert EventSettings.from_json(kyoto_settings.to_json()) == kyoto_settings


def test_bad_time_zone_is_refused(tmp_path, kyoto_settings):
    with pytest.raises(StationError, match="Unknown time zone 'Mars/Olympus'"):
        EventPackage.create(tmp_path / "e.sqlite", kyoto_settings.with_changes(time_zone="Mars/Olympus"))
    assert not (tmp_path / "e.sqlite").exists()


def test_create_refuses_to_overwrite(tmp_path, kyoto_settings):
    EventPackage.create(tmp_path / "e.sqlite", kyoto_settings).close()
    with pytest.raises(StationError, match="already exists"):
        EventPackage.create(tmp_path / "e.sqlite", kyoto_settings)


def test_not_an_event_package(tmp_path):
    text = tmp_path / "roster.csv"
    text.write_text("entry_no,bib\n" * 200)
    with pytest.raises(NotAnEventPackage, match="not a SQLite file"):
        EventPackage.open(text)
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(NotAnEventPackage, match="not an event package"):
        EventPackage.open(other)
    with pytest.raises(StationError, match="does not exist"):
        EventPackage.open(tmp_path / "missing.sqlite")


def test_a_locked_package_is_a_clear_error(tmp_path, kyoto_settings, monkeypatch):
    monkeypatch.setattr("station.store.sqlite.BUSY_TIMEOUT_MS", 100)
    EventPackage.create(tmp_path / "e.sqlite", kyoto_settings).close()
    blocker = sqlite3.connect(tmp_path / "e.sqlite", isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StationError, match="locked by another program"):
            EventPackage.open(tmp_path / "e.sqlite")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


@pytest.fixture
def migration_dir(tmp_path, monkeypatch):
    folder = tmp_path / "db"
    shutil.copytree(migrations.migrations_dir("event").parent, folder)
    monkeypatch.setattr(migrations, "migrations_dir", lambda kind: folder / kind)
    return folder / "event"


def test_a_new_migration_is_applied_after_a_backup(tmp_path, kyoto_settings, migration_dir):
    path = tmp_path / "e.sqlite"
    make_event(path, kyoto_settings, [row(1)]).close()
    before = len(list(migration_dir.glob("*.sql")))
    (migration_dir / f"{before + 1:04d}_add_note.sql").write_text(
        "ALTER TABLE entrant ADD COLUMN note TEXT NOT NULL DEFAULT '';\n"
        "UPDATE entrant SET note = 'migrated';\n", encoding="utf-8")
    package = EventPackage.open(path)
    try:
        assert current_version(package.conn) == before + 1
        assert package.conn.execute("SELECT note FROM entrant").fetchone()[0] == "migrated"
    finally:
        package.close()
    backup = tmp_path / f"e.sqlite.schema{before}.bak"
    copy = sqlite3.connect(backup)
    assert copy.execute("PRAGMA user_version").fetchone()[0] == before
    assert copy.execute("SELECT count(*) FROM entrant").fetchone()[0] == 1
    copy.close()


def test_a_failing_migration_leaves_the_file_as_it_was(tmp_path, kyoto_settings, migration_dir):
    path = tmp_path / "e.sqlite"
    make_event(path, kyoto_settings, [row(1)]).close()
    before = len(list(migration_dir.glob("*.sql")))
    (migration_dir / f"{before + 1:04d}_broken.sql").write_text(
        "ALTER TABLE entrant ADD COLUMN note TEXT;\nUPDATE no_such_table SET x = 1;\n", encoding="utf-8")
    with pytest.raises(MigrationError, match=r"_broken\.sql failed.*unchanged, backup at"):
        EventPackage.open(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == before
    columns = [r[1] for r in conn.execute("PRAGMA table_info(entrant)")]
    assert "note" not in columns
    conn.close()


def test_a_file_from_a_newer_station_is_refused(tmp_path, kyoto_settings):
    path = tmp_path / "e.sqlite"
    EventPackage.create(path, kyoto_settings).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(MigrationError, match="newer Bib Station"):
        EventPackage.open(path)


def test_migrations_are_numbered_without_gaps(migration_dir):
    (migration_dir / "0099_gap.sql").write_text("SELECT 1;")
    conn = sqlite3.connect(":memory:")
    with pytest.raises(MigrationError, match="not numbered"):
        migrate(conn, migration_dir / "x.sqlite", "event")
    conn.close()


def test_an_old_event_package_opens_upgraded_and_stays_upgraded(tmp_path, kyoto_settings):
    """A package written with settings version 1 (no counter policy) loads with the
    policy of its time, and the upgraded document is written back."""
    import json
    import sqlite3

    from station.core.event import SETTINGS_VERSION, CounterPolicy

    path = tmp_path / "old.sqlite"
    EventPackage.create(path, kyoto_settings).close()
    old = json.loads(kyoto_settings.to_json())
    del old["counter"]
    old["settings_version"] = 1
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE event_settings SET settings = ? WHERE id = 1", (json.dumps(old),))
    conn.close()

    package = EventPackage.open(path)
    try:
        assert package.settings == kyoto_settings.with_changes(counter=CounterPolicy())
    finally:
        package.close()
    with sqlite3.connect(path) as conn:
        stored = json.loads(conn.execute("SELECT settings FROM event_settings").fetchone()[0])
    conn.close()
    assert stored["settings_version"] == SETTINGS_VERSION and stored["counter"]["last_entry_grace"] == 60.0
