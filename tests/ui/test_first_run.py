"""First start on a new laptop: provisioning from a real hub or a file, and one station per laptop."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog

from station import settings as settings_module
from station.single_instance import AlreadyRunning, StationLock
from station.store.event_package import EventPackage
from station.sync.hub_store import HUB_FILE, HubStore, publish_event
from station.sync.protocol import Provisioning
from station.ui.first_run import FirstRunDialog, needs_provisioning
from tests.factories import make_event, row


@pytest.fixture
def event(tmp_path: Path, kyoto_settings) -> Path:
    path = tmp_path / "usb-stick" / "kyoto.sqlite"
    path.parent.mkdir()
    make_event(path, kyoto_settings, [row(n) for n in range(1, 21)]).close()
    return path


@pytest.fixture
def dialog(qtbot) -> FirstRunDialog:
    settings = settings_module.load()
    assert needs_provisioning(settings)
    window = FirstRunDialog(settings)
    qtbot.addWidget(window)
    window.show()
    return window


def test_an_event_package_file_is_copied_into_the_data_folder_and_remembered(dialog, event: Path) -> None:
    dialog.file_edit.setText(str(event))
    dialog.name_edit.setText("counter-3")
    dialog.file_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = settings_module.load()
    kept = Path(saved.event_package)
    assert saved.station_name == "counter-3" and saved.hub == ""
    assert kept == settings_module.Folders.current().data / "events" / "kyoto-test-2027.sqlite"
    event.unlink()  # the USB stick is gone: the station keeps its copy
    package = EventPackage.open(kept)
    assert package.counts().runners == 20
    package.close()
    assert not needs_provisioning(saved)


def test_a_missing_file_or_bad_station_name_keeps_the_dialog_open_saying_why(dialog, tmp_path: Path,
                                                                             event: Path) -> None:
    dialog.file_edit.setText(str(tmp_path / "nothing.sqlite"))
    dialog.file_button.click()
    assert dialog.isVisible() and "does not exist" in dialog.status.text()
    dialog.file_edit.setText(str(event))
    dialog.name_edit.setText("counter 3 / front")
    dialog.file_button.click()
    assert dialog.isVisible() and "Station name" in dialog.status.text()
    assert needs_provisioning(settings_module.load())


def test_a_provisioning_code_downloads_the_package_from_the_hub_and_saves_the_settings(
        dialog, qtbot, tmp_path: Path, event: Path) -> None:
    hub = tmp_path / "share"  # the central SQLite hub on a shared folder
    publish_event(hub, event, shared=True)
    with HubStore.open(hub / HUB_FILE, shared=True) as store:
        token = store.add_station("counter-7")
    address = f"sqlite:///{hub / HUB_FILE}"
    dialog.code_edit.setPlainText(Provisioning(address, "counter-7", token).code())
    seen: list[int] = []
    dialog.progress.valueChanged.connect(seen.append)
    dialog.connect_button.click()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=10_000)

    saved = settings_module.load()
    assert (saved.hub, saved.hub_token, saved.station_name) == (address, token, "counter-7")
    assert dialog.settings == saved
    package = EventPackage.open(Path(saved.event_package))
    assert package.settings.event_id == "kyoto-test-2027" and package.counts().runners == 20
    package.close()
    assert seen and seen[-1] == Path(saved.event_package).stat().st_size  # the bar reached the end
    assert not list(Path(saved.event_package).parent.glob("*.partial"))


def test_a_wrong_code_or_an_empty_hub_is_refused_with_what_to_do(dialog, qtbot, tmp_path: Path) -> None:
    dialog.code_edit.setPlainText("https://example.org/not-a-code")
    dialog.connect_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert "not a Bib Station provisioning code" in dialog.status.text()

    hub = tmp_path / "empty-share"
    with HubStore.open(hub / HUB_FILE, shared=True) as store:
        token = store.add_station("counter-8")
    dialog.code_edit.setPlainText(Provisioning(f"sqlite:///{hub / HUB_FILE}", "counter-8", token).code())
    dialog.connect_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert dialog.isVisible() and "publish-event" in dialog.status.text()
    assert dialog.connect_button.isEnabled()
    assert needs_provisioning(settings_module.load())


def test_only_one_station_holds_the_lock(tmp_path: Path) -> None:
    first = StationLock(tmp_path)
    first.acquire()
    with pytest.raises(AlreadyRunning, match="already running"):
        StationLock(tmp_path).acquire()
    first.release()
    again = StationLock(tmp_path)
    again.acquire()
    assert again.held
    again.release()


def test_a_second_process_is_refused_and_a_crashed_station_s_lock_is_taken_over(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from pathlib import Path
            from station.single_instance import StationLock
            lock = StationLock(Path({str(tmp_path)!r}))
            lock.acquire()
            print("locked", flush=True)
            time.sleep(60)
        """)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(AlreadyRunning, match=f"process {holder.pid}"):
            StationLock(tmp_path).acquire()
    finally:
        holder.kill()  # a crash: the lock file stays behind
        holder.wait()
        holder.stdout.close()
    assert (tmp_path / "station.lock").exists()
    after_crash = StationLock(tmp_path)
    after_crash.acquire()
    assert after_crash.held
    after_crash.release()


def test_launch_refuses_a_second_station_on_the_laptop(qapp, event: Path) -> None:
    from station.single_instance import hold
    from station.ui.first_run import launch

    running = hold()
    try:
        with pytest.raises(AlreadyRunning, match="already running on this laptop"):
            launch(event, "counter-2")
    finally:
        running.release()


def test_the_self_check_offered_at_first_start_shows_every_check(qtbot, event: Path) -> None:
    from PySide6.QtWidgets import QTableWidget

    from station.selfcheck import CHECKS
    from station.ui.first_run import run_selfcheck_dialog

    settings = settings_module.load()
    missing = run_selfcheck_dialog(settings, language="en")  # no event package yet
    qtbot.addWidget(missing)
    table = missing.findChild(QTableWidget)
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert list(rows) == [name for name, _ in CHECKS]
    assert rows["event package"] == "FAIL" and rows["hub"] == "WARN" and rows["fonts"] == "OK"
    assert "provisioning code" in table.item(0, 3).text()


def test_a_provisioning_code_held_up_to_the_camera_is_read_and_used(qtbot, tmp_path: Path, event: Path) -> None:
    import qrcode

    hub = tmp_path / "share"
    publish_event(hub, event, shared=True)
    with HubStore.open(hub / HUB_FILE, shared=True) as store:
        token = store.add_station("counter-5")
    code = Provisioning(f"sqlite:///{hub / HUB_FILE}", "counter-5", token).code()
    camera = tmp_path / "camera"  # the camera setting may name an image folder instead of a webcam
    camera.mkdir()
    qrcode.make(code, box_size=8).save(camera / "held-up.png")
    settings = replace(settings_module.load(), camera=str(camera))
    window = FirstRunDialog(settings)
    qtbot.addWidget(window)
    window.show()
    window.scan_button.click()
    qtbot.waitUntil(lambda: window.result() == QDialog.DialogCode.Accepted, timeout=15_000)
    assert window.code_edit.toPlainText() == code
    saved = settings_module.load()
    assert (saved.station_name, saved.hub_token) == ("counter-5", token)
    assert Path(saved.event_package).is_file()


def test_the_first_run_dialog_speaks_japanese_first_and_switches_to_english(qtbot) -> None:
    from station.ui.i18n import Languages

    languages = Languages(QApplication.instance())
    languages.switch("ja")
    try:
        window = FirstRunDialog(settings_module.load(), languages=languages)
        qtbot.addWidget(window)
        japanese = window.connect_button.text()
        assert japanese != "Connect to the hub" and any(ord(c) > 0x3000 for c in japanese)
        assert window.language_button.text() == "English"
        window.language_button.click()
        assert window.connect_button.text() == "Connect to the hub"
        assert window.windowTitle() == "Bib Station: set up this counter"
        assert window.language_button.text() == "日本語"
    finally:
        languages.switch("en")


def test_a_set_up_station_takes_a_new_code_from_the_station_tab(qtbot, monkeypatch, tmp_path: Path,
                                                                event: Path) -> None:
    from PySide6.QtWidgets import QMessageBox

    from station.ui import first_run

    settings_module.save(replace(settings_module.load(), station_name="counter-1",
                                 event_package=str(event)))
    hub = tmp_path / "share"
    publish_event(hub, event, shared=True)
    with HubStore.open(hub / HUB_FILE, shared=True) as store:
        token = store.add_station("counter-9")
    code = Provisioning(f"sqlite:///{hub / HUB_FILE}", "counter-9", token).code()
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: told.append(text))

    def enter_code(dialog) -> int:
        dialog.code_edit.setPlainText(code)
        dialog.connect_button.click()
        qtbot.waitUntil(lambda: dialog.settings is not None, timeout=10_000)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(first_run.FirstRunDialog, "exec", enter_code)
    settings = first_run.take_new_code()
    assert settings is not None and settings.station_name == "counter-9"
    saved = settings_module.load()
    assert (saved.station_name, saved.hub_token) == ("counter-9", token)
    assert told and "counter-9" in told[0]


def test_a_missing_file_is_said_in_japanese_when_the_dialog_speaks_japanese(qtbot, tmp_path: Path) -> None:
    from station.ui.i18n import Languages

    languages = Languages(QApplication.instance())
    languages.switch("ja")
    try:
        window = FirstRunDialog(settings_module.load(), languages=languages)
        qtbot.addWidget(window)
        window.file_edit.setText(str(tmp_path / "nothing.sqlite"))
        window.name_edit.setText("counter-3")
        window.file_button.click()
        said = window.status.text()
        assert said.endswith("がありません。イベントパッケージ（.sqlite）のファイルを選んでください。"), said
        assert "does not exist" not in said
    finally:
        languages.switch("en")


def test_a_wrong_code_is_refused_in_japanese_when_the_dialog_speaks_japanese(qtbot) -> None:
    from station.ui.i18n import Languages

    languages = Languages(QApplication.instance())
    languages.switch("ja")
    try:
        window = FirstRunDialog(settings_module.load(), languages=languages)
        qtbot.addWidget(window)
        window.code_edit.setPlainText("https://example.org/not-a-code")
        window.connect_button.click()
        qtbot.waitUntil(lambda: not window.busy, timeout=10_000)
        said = window.status.text()
        assert said.startswith("これは Bib Station の設定用コードではありません。"), said
        assert "provisioning code" not in said
    finally:
        languages.switch("en")
