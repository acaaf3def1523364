"""Keys and confirmations end to end: `station keys`, `station confirmations`,
the event package's tables, and the codes they print checked the counter's way."""

from __future__ import annotations

import csv
import datetime as dt
import stat
import sys
from pathlib import Path

import cv2
import pytest
from click.testing import CliRunner

from station.commands.confirmations import confirmations
from station.commands.keys import keys
from station.core.confirmation import CodeOutcome, check_code
from station.core.errors import StationError
from station.core.event import kyoto_defaults
from station.core.models import Category, Entrant, EntrantStatus, Sex
from station.scan.qr import QrReader
from station.store import confirmations as store
from station.store.event_package import ENTRANT_COLUMNS, EventPackage, entrant_to_row
from station.store.sqlite import transaction

EVENT = "confirm-test-2027"


def make_event(path: Path, entries: list[str], cancelled: tuple[str, ...] = ()) -> None:
    settings = kyoto_defaults(EVENT, "Confirmation Test Marathon", dt.date(2027, 2, 21))
    package = EventPackage.create(path, settings)
    try:
        placeholders = ", ".join("?" * len(ENTRANT_COLUMNS))
        rows = [entrant_to_row(Entrant(
            entry_no=no, bib=str(7000 + i), family_kanji="佐藤", given_kanji=f"花子{i}",
            family_kana="サトウ", given_kana="ハナコ", family_latin="Sato", given_latin="Hanako",
            sex=Sex.FEMALE, birth_date=dt.date(1985, 5, 5), nationality="JP", category=Category.GENERAL,
            start_block="B", email=f"h{i}@example.com",
            status=EntrantStatus.CANCELLED if no in cancelled else EntrantStatus.ACTIVE,
        )) for i, no in enumerate(entries)]
        with transaction(package.conn, path):
            package.conn.executemany(
                f"INSERT INTO entrant ({', '.join(ENTRANT_COLUMNS)}) VALUES ({placeholders})", rows)
    finally:
        package.close()


def run(group, *args: str):
    return CliRunner().invoke(group, [str(a) for a in args])


def new_key(folder: Path) -> tuple[str, Path, Path]:
    result = run(keys, "new", "--out", folder)
    assert result.exit_code == 0, result.output
    key_id = result.output.split("key id:")[1].split()[0]
    return key_id, folder / f"{key_id}.private.pem", folder / f"{key_id}.public.pem"


def verdict(event: Path, code: bytes) -> tuple[CodeOutcome, int | None]:
    package = EventPackage.open(event)
    try:
        result = check_code(code, store.key_ring(package), allow_unsigned=False)
    finally:
        package.close()
    return result.outcome, result.serial


def scanned(png: Path) -> bytes:
    found = QrReader()(cv2.imread(str(png)))
    assert len(found) == 1
    return found[0].payload


@pytest.fixture
def event(tmp_path) -> Path:
    path = tmp_path / "event.sqlite"
    make_event(path, ["A-001", "A-002", "A-003", "A-004"], cancelled=("A-004",))
    return path


@pytest.fixture
def key(tmp_path, event) -> tuple[str, Path]:
    key_id, private, public = new_key(tmp_path / "keys")
    assert run(keys, "add", "--event", event, "--public", public).exit_code == 0
    return key_id, private


def test_new_key_pair_private_half_is_the_owners_only(tmp_path):
    key_id, private, public = new_key(tmp_path / "keys")
    assert len(key_id) == 8
    assert b"PRIVATE KEY" in private.read_bytes() and b"PUBLIC KEY" in public.read_bytes()
    if sys.platform != "win32":
        assert stat.S_IMODE(private.stat().st_mode) == 0o600


def test_adding_keys_to_the_event(tmp_path, event, key):
    key_id, private = key
    listed = run(keys, "list", "--event", event)
    assert key_id in listed.output and "active" in listed.output
    again = run(keys, "add", "--event", event, "--public", tmp_path / "keys" / f"{key_id}.public.pem")
    assert isinstance(again.exception, StationError) and "already" in str(again.exception)
    wrong = run(keys, "add", "--event", event, "--public", private)
    assert isinstance(wrong.exception, StationError) and "PRIVATE" in str(wrong.exception)


def test_issue_writes_pictures_pages_and_the_mailing_list(tmp_path, event, key):
    _, private = key
    out = tmp_path / "out"
    result = run(confirmations, "issue", "--event", event, "--key", private, "--out", out, "--limit", "2")
    assert result.exit_code == 0, result.output
    with (out / "mailing.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["entry_no"], r["serial"], r["email"]) for r in rows] == [
        ("A-001", "1", "h0@example.com"), ("A-002", "1", "h1@example.com")]
    assert rows[0]["name"] == "佐藤 花子0"
    for row in rows:
        assert (out / row["pdf"]).read_bytes().startswith(b"%PDF")
        assert verdict(event, scanned(out / row["qr_png"])) == (CodeOutcome.VALID, 1)

    # The next run issues only who is still missing, never a cancelled entry.
    result = run(confirmations, "issue", "--event", event, "--key", private, "--out", out, "--no-pdf")
    assert result.exit_code == 0 and "issued 1 " in result.output
    assert not (out / "A-004.png").exists()
    result = run(confirmations, "issue", "--event", event, "--key", private, "--out", out)
    assert "nothing to issue" in result.output


def test_reissue_bumps_the_serial_and_the_old_code_is_revoked(tmp_path, event, key):
    _, private = key
    first, second = tmp_path / "first", tmp_path / "second"
    run(confirmations, "issue", "--event", event, "--key", private, "--out", first, "--no-pdf")
    old = scanned(first / "A-002.png")
    refused = run(confirmations, "issue", "--event", event, "--key", private, "--out", second,
                  "--entry", "A-002")
    assert isinstance(refused.exception, StationError) and "--reissue" in str(refused.exception)
    result = run(confirmations, "issue", "--event", event, "--key", private, "--out", second,
                 "--entry", "A-002", "--reissue", "--no-pdf")
    assert result.exit_code == 0 and "1 older ones revoked" in result.output
    assert verdict(event, old) == (CodeOutcome.REVOKED, 1)
    assert verdict(event, scanned(second / "A-002.png")) == (CodeOutcome.VALID, 2)
    assert verdict(event, scanned(first / "A-001.png")) == (CodeOutcome.VALID, 1)


def test_revoke_then_reissue_past_the_revoked_serial(tmp_path, event, key):
    _, private = key
    run(confirmations, "issue", "--event", event, "--key", private, "--out", tmp_path / "a", "--no-pdf")
    result = run(confirmations, "revoke", "--event", event, "--entry", "A-003", "--reason", "lost phone")
    assert result.exit_code == 0 and "serial 1" in result.output
    assert verdict(event, scanned(tmp_path / "a" / "A-003.png"))[0] is CodeOutcome.REVOKED
    run(confirmations, "issue", "--event", event, "--key", private, "--out", tmp_path / "b",
        "--entry", "A-003", "--reissue", "--no-pdf")
    assert verdict(event, scanned(tmp_path / "b" / "A-003.png")) == (CodeOutcome.VALID, 2)
    never = run(confirmations, "revoke", "--event", event, "--entry", "Z-9", "--reason", "x")
    assert isinstance(never.exception, StationError)


def test_key_rotation_retire_the_old_key_and_issue_with_the_new(tmp_path, event, key):
    old_id, old_private = key
    run(confirmations, "issue", "--event", event, "--key", old_private, "--out", tmp_path / "old", "--no-pdf")
    _, new_private, new_public = new_key(tmp_path / "keys2")
    unknown = run(confirmations, "issue", "--event", event, "--key", new_private, "--out", tmp_path / "x",
                  "--entry", "A-001", "--reissue")
    assert isinstance(unknown.exception, StationError) and "keys add" in str(unknown.exception)
    run(keys, "add", "--event", event, "--public", new_public)
    assert run(keys, "retire", "--event", event, "--key-id", old_id).exit_code == 0
    assert verdict(event, scanned(tmp_path / "old" / "A-001.png"))[0] is CodeOutcome.RETIRED_KEY
    retired = run(confirmations, "issue", "--event", event, "--key", old_private, "--out", tmp_path / "y",
                  "--reissue")
    assert isinstance(retired.exception, StationError) and "retired" in str(retired.exception)
    result = run(confirmations, "issue", "--event", event, "--key", new_private, "--out", tmp_path / "new",
                 "--reissue", "--no-pdf")
    assert result.exit_code == 0, result.output
    assert verdict(event, scanned(tmp_path / "new" / "A-001.png")) == (CodeOutcome.VALID, 2)


def test_key_ring_reads_keys_and_highest_revoked_serials(tmp_path, event, key):
    key_id, _ = key
    package = EventPackage.open(event)
    try:
        plans = store.plan_issues(package, ["A-001"])
        store.record_issues(package, plans, key_id)
        store.record_issues(package, store.plan_issues(package, ["A-001"]), key_id)
        store.record_issues(package, store.plan_issues(package, ["A-001"]), key_id)
        ring = store.key_ring(package)
    finally:
        package.close()
    assert ring.event_id == EVENT and set(ring.keys) == {key_id}
    assert ring.revoked == {"A-001": 2}
