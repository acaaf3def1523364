"""`station export chips|pickups|exceptions` on a real event package and a real
station log: column sets, escorts untimed, no personal data without a flag,
purged events refused."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from station.cli import cli
from station.core.models import FactKind
from station.store.event_package import EventPackage
from station.store.exports import (
    EXCEPTION_COLUMNS,
    GENERIC_CHIP_COLUMNS,
    PICKUP_COLUMNS,
    RACE_RESULT_COLUMNS,
    ChipLayout,
    ExportFormat,
    PersonalData,
    chips,
    exceptions,
    pickups,
    render,
)
from station.store.station_log import StationLog
from tests.factories import make_event, row

PHONE, EMAIL = "090-1234-5678", "taro@example.jp"


@pytest.fixture
def event(tmp_path: Path, kyoto_settings) -> Path:
    path = tmp_path / "event.sqlite"
    make_event(path, kyoto_settings, [
        row(1, phone=PHONE, email=EMAIL, start_block="A"),
        row(2, category="disability", disability="1", start_block="B"),
        row(3, escort_of="1002", category="disability", start_block="B"),  # 1002's guide
        row(4, start_block="C"),
    ]).close()
    return path


@pytest.fixture
def hall_log(tmp_path: Path, event: Path) -> Path:
    """One counter's log: 1001 picked up with a chip and a passport; 1002 and
    their guide 1003 picked up together; 1004 not yet; one case decided."""
    path = tmp_path / "counter-1.sqlite"
    log = StationLog.open(path, station_id="counter-1", event_id="kyoto-test-2027")
    new = log.new_fact
    log.append([
        new(FactKind.ID_CHECKED, volunteer_id="v1", entry_no="1001",
            payload={"document": "passport", "name": "match", "birth_date": "match", "original": True,
                     "document_hash": "SECRET-DOCUMENT-KEY"}),
        new(FactKind.PICKUP, volunteer_id="v1", entry_no="1001",
            payload={"bib": "1", "role": "runner", "runner": "1001", "found_by": "qr", "items": ["bib", "chip"],
                     "decided_offline": False, "chip": "CHIP-0001"}),
        new(FactKind.ID_CHECKED, volunteer_id="v1", entry_no="1002",
            payload={"document": "drivers_licence", "name": "match", "birth_date": "match", "original": True,
                     "document_hash": "OTHER-KEY"}),
        new(FactKind.PICKUP, volunteer_id="v1", entry_no="1002",
            payload={"bib": "2", "role": "runner", "runner": "1002", "found_by": "search", "items": ["bib"],
                     "decided_offline": False, "chip": "CHIP-0002"}),
        new(FactKind.PICKUP, volunteer_id="v1", entry_no="1003",
            payload={"bib": "3", "role": "escort", "runner": "1002", "found_by": "search", "items": ["bib"],
                     "decided_offline": False}),
    ])
    opened = log.record(FactKind.EXCEPTION_OPENED, volunteer_id="v1", entry_no="1004",
                        payload={"reason": "no_id", "note": "forgot the card", "codes": ["id_missing"]})
    log.record(FactKind.EXCEPTION_RESOLVED, volunteer_id="sup-9", entry_no="1004",
               payload={"exception_id": opened.fact_id, "decision": "refuse",
                        "supervisor_reason": "come back with an ID"})
    log.record(FactKind.EXCEPTION_OPENED, volunteer_id="v1", entry_no=None,
               payload={"reason": "other", "note": "=HYPERLINK(\"x\")", "codes": []})
    log.close()
    return path


def opened(event: Path, log: Path) -> tuple[EventPackage, StationLog]:
    return EventPackage.open(event), StationLog.open(log, station_id="counter-1", event_id="kyoto-test-2027")


def test_chips_generic_layout_marks_escorts_untimed_and_holds_no_personal_data(event: Path, hall_log: Path) -> None:
    package, log = opened(event, hall_log)
    try:
        table = chips(package, log)
        named = chips(package, log, personal=PersonalData(names=True, contact=True))
    finally:
        package.close()
        log.close()
    assert table.columns == GENERIC_CHIP_COLUMNS
    rows = {r[0]: dict(zip(table.columns, r, strict=True)) for r in table.rows}
    assert rows["1001"] == {"entry_no": "1001", "bib": "1", "chip_tag": "CHIP-0001", "timing": "timed",
                            "role": "runner", "runner_bib": "", "category": "general", "start_block": "A",
                            "status": "active"}
    assert rows["1003"]["timing"] == "untimed" and rows["1003"]["role"] == "escort"
    assert rows["1003"]["runner_bib"] == "2" and rows["1003"]["chip_tag"] == ""
    assert rows["1004"]["chip_tag"] == ""  # not picked up: no chip yet
    text = render(table, ExportFormat.CSV)
    for personal in ("山田", "Yamada", "1980", PHONE, EMAIL, "SECRET"):
        assert personal not in text
    assert named.columns[-11:] == ("family_kanji", "given_kanji", "family_kana", "given_kana", "family_latin",
                                   "given_latin", "sex", "birth_date", "nationality", "phone", "email")
    assert PHONE in render(named, ExportFormat.CSV) and "山田" in render(named, ExportFormat.JSON)


def test_chips_for_race_result_use_its_field_names(event: Path, hall_log: Path) -> None:
    package, log = opened(event, hall_log)
    try:
        table = chips(package, log, layout=ChipLayout.RACE_RESULT)
        named = chips(package, log, layout=ChipLayout.RACE_RESULT, personal=PersonalData(names=True))
    finally:
        package.close()
        log.close()
    assert table.columns == RACE_RESULT_COLUMNS == ("Bib", "Transponder1", "Contest", "AgeGroup", "Comment",
                                                    "ExternalID")
    rows = {r[0]: r for r in table.rows}
    assert rows["1"] == ("1", "CHIP-0001", "general", "A", "", "1001")
    assert rows["3"][2] == "disability-guide" and "untimed" in rows["3"][4] and "bib 2" in rows["3"][4]
    assert named.columns[-5:] == ("Lastname", "Firstname", "Sex", "DateOfBirth", "Nation")
    assert {r[0]: r for r in named.rows}["1"][-5:] == ("Yamada", "Taro1", "m", "1980-05-05", "JPN")


def test_pickups_say_who_has_not_come_where_and_when_and_the_document_kind_only(
    event: Path, hall_log: Path, kyoto_settings
) -> None:
    package, log = opened(event, hall_log)
    try:
        table = pickups(package, log)
        keyed = pickups(package, log, personal=PersonalData(document_keys=True))
    finally:
        package.close()
        log.close()
    assert table.columns == PICKUP_COLUMNS
    rows = {r[0]: dict(zip(table.columns, r, strict=True)) for r in table.rows}
    assert rows["1001"]["picked_up"] == "yes" and rows["1001"]["counter"] == "counter-1"
    assert rows["1001"]["document_kind"] == "passport"
    assert rows["1001"]["picked_up_at"].endswith("+09:00")  # the event's zone
    assert rows["1004"] == {**rows["1004"], "picked_up": "no", "status": "waiting", "counter": "",
                            "picked_up_at": "", "document_kind": ""}
    assert rows["1003"]["role"] == "escort" and rows["1003"]["runner_bib"] == "2"
    assert "SECRET-DOCUMENT-KEY" not in render(table, ExportFormat.JSON)
    assert keyed.columns[-1] == "document_key"
    assert "SECRET-DOCUMENT-KEY" in render(keyed, ExportFormat.CSV)


def test_exceptions_list_every_case_with_its_decision(event: Path, hall_log: Path) -> None:
    package, log = opened(event, hall_log)
    try:
        table = exceptions(package, log)
    finally:
        package.close()
        log.close()
    assert table.columns == EXCEPTION_COLUMNS
    cases = [dict(zip(table.columns, r, strict=True)) for r in table.rows]
    assert [(c["entry_no"], c["bib"], c["reason"], c["decision"], c["supervisor"]) for c in cases] == [
        ("1004", "4", "no_id", "refuse", "sup-9"), ("", "", "other", "open", "")]
    assert cases[0]["supervisor_reason"] == "come back with an ID" and cases[0]["codes"] == "id_missing"
    # A note that looks like a formula is not run by the spreadsheet.
    assert "'=HYPERLINK" in render(table, ExportFormat.CSV)


def test_the_command_writes_csv_and_json_and_says_when_personal_data_is_in(
    event: Path, hall_log: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    out = tmp_path / "chips.csv"
    done = runner.invoke(cli, ["export", "chips", "--event", str(event), "--log", str(hall_log), "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "4 rows" in done.output and "no personal data" in done.output
    text = out.read_text(encoding="utf-8-sig")
    assert next(csv.reader(io.StringIO(text))) == list(GENERIC_CHIP_COLUMNS)
    as_json = tmp_path / "pickups.json"
    done = runner.invoke(cli, ["export", "pickups", "--event", str(event), "--log", str(hall_log),
                               "--out", str(as_json), "--include-contact"])
    assert done.exit_code == 0, done.output
    assert "WITH PERSONAL DATA: contact details" in done.output
    data = json.loads(as_json.read_text(encoding="utf-8"))
    assert {d["entry_no"]: d["phone"] for d in data}["1001"] == PHONE
    wrong = runner.invoke(cli, ["export", "exceptions", "--event", str(event), "--log", str(hall_log),
                                "--out", str(tmp_path / "x.txt")])
    assert wrong.exit_code == 1 and "name it .csv or .json" in wrong.output
    misplaced = runner.invoke(cli, ["export", "exceptions", "--event", str(event), "--log", str(hall_log),
                                    "--out", str(tmp_path / "x.csv"), "--include-document-keys"])
    assert misplaced.exit_code == 1 and "pickups` only" in misplaced.output


@pytest.mark.parametrize("purged", ["package", "log"])
def test_a_purged_event_is_refused(event: Path, hall_log: Path, tmp_path: Path, purged: str) -> None:
    from station.commands.purge import purge_log, purge_package

    if purged == "package":
        purge_package(event)
    else:
        purge_log(hall_log)
    runner = CliRunner()
    for kind in ("chips", "pickups", "exceptions"):
        refused = runner.invoke(cli, ["export", kind, "--event", str(event), "--log", str(hall_log),
                                      "--out", str(tmp_path / f"{kind}.csv")])
        assert refused.exit_code == 1 and "was purged" in refused.output, refused.output
        assert not (tmp_path / f"{kind}.csv").exists()
