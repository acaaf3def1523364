"""The self-check on real files: an event package in tmp_path, real folders, real Qt and models."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from station import settings as settings_module
from station.commands.selfcheck import checkin, selfcheck
from station.selfcheck import (
    Machine,
    Outcome,
    check_camera,
    check_data_folder,
    check_event_package,
    check_fonts,
    check_hub,
    check_katakana_model,
    check_qr_decoder,
    check_station_log,
    check_translation,
    run_checks,
)
from station.store.event_package import EventPackage
from station.sync.hub_store import HUB_FILE, HubStore, publish_event
from tests.factories import make_event, row

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def event(tmp_path: Path, kyoto_settings) -> Path:
    path = tmp_path / "event.sqlite"
    make_event(path, kyoto_settings, [row(1), row(2), row(3, escort_of="1001", category="general")]).close()
    return path


def machine(event: Path | None, **settings) -> Machine:
    base = settings_module.load()
    return Machine(replace(base, **settings), settings_module.Folders.current(), event)


def test_a_real_event_passes_the_event_data_and_shipped_file_checks(event: Path) -> None:
    m = machine(event)
    for check in (check_event_package, check_data_folder, check_station_log, check_fonts, check_translation,
                  check_katakana_model, check_qr_decoder):
        result = check(m)
        assert result.outcome is Outcome.OK, result
    assert "2 runners, 1 escorts" in check_event_package(m).detail
    assert check_fonts(m).detail.startswith("IPAexGothic")


def test_a_missing_event_package_fails_and_says_what_to_do(tmp_path: Path) -> None:
    missing = check_event_package(machine(tmp_path / "nowhere.sqlite"))
    assert missing.outcome is Outcome.FAIL
    assert "does not exist" in missing.detail and "Copy the event package" in missing.todo
    none = check_event_package(machine(None))
    assert none.outcome is Outcome.FAIL and "provisioning code" in none.todo
    assert check_station_log(machine(None)).outcome is Outcome.WARN


def test_a_file_that_is_not_an_event_package_fails(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database" * 100)
    result = check_event_package(machine(junk))
    assert result.outcome is Outcome.FAIL and result.todo


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="root (and Windows) may write in a read-only folder")
def test_an_unwritable_data_folder_fails_with_what_to_do(tmp_path: Path, event: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        folders = settings_module.Folders(tmp_path / "config", locked / "data", locked / "logs")
        m = Machine(settings_module.load(), folders, event)
        result = check_data_folder(m)
        assert result.outcome is Outcome.FAIL
        assert "write access" in result.todo and str(locked / "data") in result.todo
        assert check_station_log(m).outcome is Outcome.FAIL
    finally:
        locked.chmod(0o700)


def test_an_unwritable_data_folder_fails_even_for_root(tmp_path: Path, event: Path) -> None:
    # A file where the data folder should be: no user, root included, can write in it.
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    folders = settings_module.Folders(tmp_path / "config", blocker / "data", blocker / "logs")
    m = Machine(settings_module.load(), folders, event)
    result = check_data_folder(m)
    assert result.outcome is Outcome.FAIL and "write access" in result.todo
    log = check_station_log(m)
    assert log.outcome is Outcome.FAIL and log.todo


def test_camera_from_an_image_folder_opens_and_a_missing_webcam_fails_listing_cameras(tmp_path: Path) -> None:
    assert check_camera(machine(None, camera=str(SCREENSHOTS))).outcome is Outcome.OK
    assert check_camera(machine(None, camera="off")).outcome is Outcome.WARN
    wrong = check_camera(machine(None, camera=str(tmp_path / "no-such-folder")))
    assert wrong.outcome is Outcome.FAIL and "settings" in wrong.todo
    if not any(Path(f"/dev/video{i}").exists() for i in range(10)):
        gone = check_camera(machine(None, camera="3"))
        assert gone.outcome is Outcome.FAIL
        assert "no camera opens at 0-4" in gone.detail and "USB" in gone.todo


def test_no_hub_is_a_warning_and_a_hub_file_is_checked_for_real(tmp_path: Path, event: Path) -> None:
    assert check_hub(machine(event)).outcome is Outcome.WARN
    data = tmp_path / "hub"
    publish_event(data, event, shared=True)
    with HubStore.open(data / HUB_FILE, shared=True) as store:
        token = store.add_station("counter-1")
    address = f"sqlite:///{data / HUB_FILE}"
    good = check_hub(machine(event, station_name="counter-1", hub=address, hub_token=token))
    assert good.outcome is Outcome.OK, good
    assert "kyoto-test-2027" in good.detail
    refused = check_hub(machine(event, station_name="counter-1", hub=address, hub_token="wrong"))
    assert refused.outcome is Outcome.FAIL and "provisioning code" in refused.todo
    away = check_hub(machine(event, station_name="counter-1", hub=f"sqlite:///{tmp_path / 'gone' / HUB_FILE}",
                             hub_token=token))
    assert away.outcome is Outcome.FAIL and "network" in away.todo


def test_run_checks_turns_a_crashing_check_into_a_fail(event: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import station.selfcheck as module

    def broken(_machine: Machine):
        raise RuntimeError("boom")

    monkeypatch.setattr(module, "CHECKS", (("broken", broken), ("event package", check_event_package)))
    results = run_checks(machine(event))
    assert [(r.name, r.outcome) for r in results] == [("broken", Outcome.FAIL), ("event package", Outcome.OK)]
    assert "boom" in results[0].detail


def test_the_command_prints_a_table_and_exits_1_on_a_fail(event: Path, tmp_path: Path) -> None:
    settings_module.save(replace(settings_module.load(), camera=str(SCREENSHOTS)))
    runner = CliRunner()
    ok = runner.invoke(selfcheck, ["--event", str(event), "--skip", "printer"])
    assert ok.exit_code == 0, ok.output
    assert "event package" in ok.output and "ready to be a counter" in ok.output
    assert "printer" not in ok.output.split("What to do")[0].replace("Bib Station", "")
    bad = runner.invoke(selfcheck, ["--event", str(tmp_path / "missing.sqlite"), "--skip", "printer"])
    assert bad.exit_code == 1
    assert "FAIL" in bad.output and "What to do" in bad.output and "not ready" in bad.output


def test_checkin_command_records_the_pickup_and_prints_the_bib_to_pdf(event: Path, tmp_path: Path,
                                                                      qapp) -> None:
    from station.store.station_log import StationLog

    pdf = tmp_path / "bib.pdf"
    result = CliRunner().invoke(checkin, ["--event", str(event), "--pdf", str(pdf), "--station", "counter-9"])
    assert result.exit_code == 0, result.output
    # 1001 runs with an escort who is not at the counter: the desk refuses it and takes the next runner.
    assert "checked in entry 1002 (bib 2)" in result.output
    assert pdf.read_bytes().startswith(b"%PDF")
    package = EventPackage.open(event)
    event_id = package.settings.event_id
    package.close()
    log = StationLog.open(settings_module.Folders.current().station_log(event_id, "counter-9"),
                          station_id="counter-9", event_id=event_id)
    try:
        assert log.entry_state("1002").pickups == 1
        assert log.entry_state("1001").pickups == 0
    finally:
        log.close()
    again = CliRunner().invoke(checkin, ["--event", str(event), "--pdf", str(pdf), "--station", "counter-9",
                                         "--entry", "1002"])
    assert again.exit_code != 0  # the same bib is never handed out twice
    assert "No check-in was possible" in str(again.exception)
