"""The command line: the sample exports, one-line errors, and documented commands."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from station.cli import EXIT_ERROR, EXIT_ROWS_REFUSED, cli

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"


@pytest.fixture
def event(tmp_path) -> Path:
    path = tmp_path / "sample.sqlite"
    result = CliRunner().invoke(cli, ["event", "new", str(path), "--id", "sample-2027",
                                      "--name", "Sample Marathon 2027", "--race-date", "2027-02-21"])
    assert result.exit_code == 0, result.output
    return path


def refused_lines(output: str) -> list[int]:
    return [int(m) for m in re.findall(r"^  line (\d+)", output, flags=re.M)]


@pytest.mark.parametrize("sample, encoding, lines", [
    ("roster-ja-sjis.csv", "cp932", [14, 28, 54, 80, 106, 127, 158, 198, 199]),
    ("roster-en-utf8.csv", "utf-8", [11, 36, 62, 85, 110, 137, 163, 179, 195]),
])
def test_each_sample_reports_exactly_its_bad_rows(event, sample, encoding, lines):
    result = CliRunner().invoke(cli, ["import", str(SAMPLES / sample), "--event", str(event)])
    assert result.exit_code == EXIT_ROWS_REFUSED, result.output
    assert refused_lines(result.output) == lines
    assert f"({encoding})" in result.output
    rows = (SAMPLES / sample).read_bytes().count(b"\n") - 1
    assert f"applied: {rows - len(lines)} added" in result.output
    # The same file again: nothing changes, the same rows are still refused.
    again = CliRunner().invoke(cli, ["import", str(SAMPLES / sample), "--event", str(event)])
    assert refused_lines(again.output) == lines
    assert "nothing to apply" in again.output and f"{rows - len(lines)} unchanged" in again.output


def test_samples_readme_lists_the_same_lines():
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    ja, en = readme.split("## roster-en-utf8.csv")
    assert [int(n) for n in re.findall(r"^\| (\d+) \|", ja, flags=re.M)] == [14, 28, 54, 80, 106, 127, 158, 198, 199]
    assert [int(n) for n in re.findall(r"^\| (\d+) \|", en, flags=re.M)] == [11, 36, 62, 85, 110, 137, 163, 179, 195]


def test_dry_run_writes_nothing(event):
    result = CliRunner().invoke(cli, ["import", str(SAMPLES / "roster-en-utf8.csv"), "--event", str(event),
                                      "--dry-run"])
    assert "would apply: 188 added" in result.output
    conn = sqlite3.connect(event)
    assert conn.execute("SELECT count(*) FROM entrant").fetchone()[0] == 0
    conn.close()


def test_a_clean_file_exits_zero(event, tmp_path):
    from tests.factories import csv_bytes, row

    clean = tmp_path / "clean.csv"
    clean.write_bytes(csv_bytes([row(1), row(2)], encoding="utf-8-sig"))
    result = CliRunner().invoke(cli, ["import", str(clean), "--event", str(event)])
    assert result.exit_code == 0 and "applied: 2 added" in result.output


def run_station(*args: str, env_home: Path) -> subprocess.CompletedProcess:
    """The real executable path (python -m station), as a user runs it."""
    import os

    env = dict(os.environ, BIB_STATION_HOME=str(env_home))
    return subprocess.run([sys.executable, "-m", "station", *args], capture_output=True, text=True, env=env,
                          timeout=60)


def test_user_errors_are_one_line_without_traceback(event, tmp_path):
    cases = [
        (["import", str(tmp_path / "missing.csv"), "--event", str(event)], "does not exist"),
        (["import", str(SAMPLES / "roster-ja-sjis.csv"), "--event", str(event), "--encoding", "utf-8"],
         "not utf-8 (first bad byte on line"),
        (["import", str(SAMPLES / "roster-en-utf8.csv"), "--event", str(SAMPLES / "roster-en-utf8.csv")],
         "not a SQLite file"),
        (["import", str(SAMPLES / "roster-en-utf8.csv"), "--event", str(tmp_path / "nope.sqlite")],
         "does not exist"),
        (["event", "show", str(SAMPLES / "README.md")], "not a SQLite file"),
    ]
    for args, message in cases:
        result = run_station(*args, env_home=tmp_path / "home")
        assert result.returncode == EXIT_ERROR, (args, result.stderr)
        assert "Traceback" not in result.stderr + result.stdout
        error_lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert len(error_lines) == 1 and message in error_lines[0], result.stderr


def test_a_locked_event_package_is_one_line(event, tmp_path):
    blocker = sqlite3.connect(event, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        result = run_station("event", "show", str(event), env_home=tmp_path / "home")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert result.returncode == EXIT_ERROR and "Traceback" not in result.stderr
    assert "locked by another program" in result.stderr


def test_unexpected_errors_go_to_the_log_not_the_screen(tmp_path, monkeypatch):
    monkeypatch.setattr("station.store.event_package.EventPackage.open",
                        lambda path: (_ for _ in ()).throw(ZeroDivisionError("boom")))
    result = CliRunner().invoke(cli, ["event", "show", "x.sqlite"])
    assert result.exit_code == EXIT_ERROR
    assert "something unexpected went wrong; the details are in" in result.output
    log = Path(result.output.strip().rsplit(" ", 1)[-1])
    assert "ZeroDivisionError: boom" in log.read_text(encoding="utf-8")


def test_version_and_help():
    runner = CliRunner()
    from station import __version__

    assert runner.invoke(cli, ["--version"]).output.strip() == f"station, version {__version__}"
    assert "Commands:" in runner.invoke(cli, ["--help"]).output


def all_commands(group: click.Group, prefix: str = "station") -> list[str]:
    names = []
    for name, command in group.commands.items():
        names.append(f"{prefix} {name}")
        if isinstance(command, click.Group):
            names.extend(all_commands(command, f"{prefix} {name}"))
    return names


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [c for c in all_commands(cli) if f"`{c}" not in readme]
    assert not missing, f"undocumented commands: {missing}"


def test_rebuild_command(event, tmp_path):
    from station.core.models import FactKind
    from station.settings import Folders
    from station.store.station_log import StationLog

    path = Folders.current().station_log("sample-2027", "counter-7")
    log = StationLog.open(path, station_id="counter-7", event_id="sample-2027")
    log.record(FactKind.PICKUP, volunteer_id="v", entry_no="270001")
    log.close()
    result = CliRunner().invoke(cli, ["rebuild", "--event", str(event), "--station", "counter-7"])
    assert result.exit_code == 0, result.output
    assert "1 facts, 1 picked up" in result.output
