"""One log file per kind of process; request lines only at debug; migrations and their backups logged."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import httpx
from click.testing import CliRunner

from station.cli import cli
from station.logs import CLI_LOG_NAME, HUB_LOG_NAME, LOG_NAME, log_name_for, setup_logging
from station.settings import Folders
from station.store.migrations import migrate


def test_each_kind_of_process_has_its_own_file() -> None:
    assert log_name_for([]) == log_name_for(["--event", "x"]) == log_name_for(["app"]) == LOG_NAME
    assert log_name_for(["hub", "serve", "--data", "d"]) == HUB_LOG_NAME
    assert log_name_for(["selfcheck"]) == CLI_LOG_NAME
    assert len({LOG_NAME, HUB_LOG_NAME, CLI_LOG_NAME}) == 3


def test_request_lines_go_to_debug_only(tmp_path: Path) -> None:
    folders = Folders(tmp_path / "c", tmp_path / "d", tmp_path / "l")
    path = setup_logging(folders, name="t.log")
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={}))
    with httpx.Client(transport=transport, base_url="http://hub") as client:
        client.get("/v1/facts")
        logging.getLogger("station.test").info("a line that stays")
        setup_logging(folders, level=logging.DEBUG, name="t.log")
        client.get("/v1/debugged")
    setup_logging(folders, name="t.log")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "a line that stays" in text
    assert "/v1/facts" not in text and "/v1/debugged" in text


def test_a_migration_and_its_backup_are_logged(tmp_path: Path, caplog) -> None:
    path = tmp_path / "hub.sqlite"
    conn = sqlite3.connect(path)
    caplog.set_level(logging.INFO, logger="station.store.migrations")
    try:
        migrate(conn, path, "hub")
        conn.execute("PRAGMA user_version = 2")  # as if written by a version without the provisioning migration
        conn.commit()
        conn.execute("DROP TABLE station_refusal")
        conn.execute("CREATE TABLE station_tmp AS SELECT name, token_hash, issued_at, revoked_at FROM station")
        conn.execute("DROP TABLE station")
        conn.execute("ALTER TABLE station_tmp RENAME TO station")
        conn.commit()
        backup = migrate(conn, path, "hub")
    finally:
        conn.close()
    assert backup is not None and backup.is_file()
    assert "hub schema 0 -> " in caplog.text
    assert f"hub schema 2 -> 3 (0003_provisioning.sql); the file before is kept as {backup}" in caplog.text


def test_the_licences_are_shown(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--licences"])
    assert result.exit_code == 0
    for expected in ("Apache License 2.0", "Qt 6", "FFmpeg", "OpenSSL", "certifi", "PySide6", "LGPL",
                     "IPA Font License"):
        assert expected in result.output, expected
