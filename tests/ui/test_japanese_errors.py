"""Errors that used to reach a Japanese window in English (issue 18), driven for real
with the window in Japanese: a hub on loopback that refuses the station, servers that
speak another protocol, a hub that does not answer, a camera that cannot open, a
camera setting that names nothing, and a CUPS queue that fails.

What the window shows is read back from its widgets. Its sentence (the first line)
may hold no Latin word that is not a name, number or code the test passes in (an
address, a station's name, a printer's queue); what the network, the OS or the
spooler said may only follow on a line of its own that starts "詳細：". The same
cases in English show no Japanese.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from station import settings as settings_module
from station.core.event import BibLayout
from station.core.evidence import Match
from station.core.texts import Text
from station.scan.camera import source_for
from station.store.station_log import StationLog
from station.sync.client import HttpHub
from station.sync.hub_store import HUB_FILE, HubStore, publish_event
from station.sync.protocol import Provisioning
from station.sync.worker import SyncWorker
from station.ui.app import camera_worker, open_session
from station.ui.camera_texts import camera_text
from station.ui.counter.camera_view import CameraView
from station.ui.error_text import shown
from station.ui.first_run import FirstRunDialog
from station.ui.i18n import Languages
from station.ui.main_window import MainWindow
from station.ui.scan_worker import ScanWorker
from station.ui.sounds import SoundPlayer
from station.ui.sync_worker import SyncStatusRelay
from tests.factories import make_event, row
from tests.integration.test_sync_hubs import HttpHubRunner, free_port
from tests.ui.test_counter_flows import INSIDE, Clock
from tests.unit.test_texts_catalogue import ACRONYMS, JAPANESE, words_in

DETAILS_JA, DETAILS_EN = "詳細：", "Details: "


def assert_said_in_japanese(text: str, *names: str) -> None:
    """A Japanese sentence (no Latin word but the names, numbers and codes given), then
    at most a details line; nothing after that."""
    assert text.strip(), "nothing was said"
    sentence, _, rest = text.partition("\n")
    assert JAPANESE.search(sentence), f"not Japanese: {sentence!r}"
    allowed = set(ACRONYMS).union(*(words_in(n) for n in names))
    stray = words_in(sentence) - allowed
    assert not stray, f"English in the Japanese sentence: {sorted(stray)} in {sentence!r}"
    assert not rest or (rest.startswith(DETAILS_JA) and "\n" not in rest), f"not a details line: {rest!r}"


def assert_said_in_english(text: str) -> None:
    assert text.strip() and not JAPANESE.search(text), f"Japanese in English: {text!r}"
    _, _, rest = text.partition("\n")
    assert not rest or rest.startswith(DETAILS_EN), rest


@pytest.fixture
def languages() -> Iterator[Languages]:
    languages = Languages(QApplication.instance())
    languages.switch("ja")
    yield languages
    languages.switch("en")


@pytest.fixture
def event(tmp_path: Path, kyoto_settings) -> Path:
    path = tmp_path / "kyoto.sqlite"
    make_event(path, kyoto_settings, [row(n) for n in range(1, 6)]).close()
    return path


@pytest.fixture
def hub(tmp_path: Path, event: Path) -> Iterator[HttpHubRunner]:
    data = tmp_path / "hub"
    publish_event(data, event)
    runner = HttpHubRunner(data)
    runner.start()
    yield runner
    runner.stop()


class NotAHub(http.server.BaseHTTPRequestHandler):
    """A web server on the hub's port that is something else: HTML, 404."""

    def do_GET(self) -> None:
        self.send_error(404, "Not Found", "This is a printer's web page, not a hub.")

    def log_message(self, *_args) -> None:
        pass


@pytest.fixture
def not_a_hub() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NotAHub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def first_run(qtbot, languages: Languages | None) -> FirstRunDialog:
    dialog = FirstRunDialog(settings_module.load(), languages=languages)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def connect(qtbot, dialog: FirstRunDialog, code: str) -> str:
    dialog.code_edit.setPlainText(code)
    dialog.connect_button.click()
    qtbot.waitUntil(lambda: not dialog.busy and dialog.status.text() != "", timeout=20_000)
    return dialog.status.text()


def hub_cases(hub: HttpHubRunner, not_a_hub: str) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """(case, provisioning code, names the sentence may hold) for each way a valid code fails."""
    with HubStore.open(hub.data / HUB_FILE) as store:
        store.add_station("counter-8")
        revoked = store.add_station("counter-9")
        store.revoke_station("counter-9")
    yield "refused: a token the hub does not know", Provisioning(hub.url, "counter-8", "t" * 40).code(), (hub.url,)
    yield "refused: a revoked station", Provisioning(hub.url, "counter-9", revoked).code(), (hub.url,)
    # https spoken to the plain-http hub: the TLS handshake fails
    tls = hub.url.replace("http://", "https://")
    yield "wrong protocol: https to an http hub", Provisioning(tls, "counter-8", "t" * 40, "ab" * 32).code(), (tls,)
    yield "wrong protocol: not a hub at all", Provisioning(not_a_hub, "counter-8", "t" * 40).code(), (not_a_hub,)
    closed = f"http://127.0.0.1:{free_port()}"
    yield "nobody answers", Provisioning(closed, "counter-8", "t" * 40).code(), (closed,)


def test_a_valid_code_the_hub_refuses_is_said_in_japanese(qtbot, languages, hub, not_a_hub):
    said: dict[str, str] = {}
    for case, code, names in hub_cases(hub, not_a_hub):
        dialog = first_run(qtbot, languages)
        said[case] = connect(qtbot, dialog, code)
        assert_said_in_japanese(said[case], *names)
        dialog.close()
    assert "知らない" in said["refused: a token the hub does not know"]
    assert "取り消" in said["refused: a revoked station"]
    assert said["wrong protocol: not a hub at all"].split("\n")[1].startswith(DETAILS_JA)  # what it answered
    assert "応答しません" in said["nobody answers"]
    assert "暗号化した接続" in said["wrong protocol: https to an http hub"]
    assert len(set(said.values())) == len(said)  # each case said in its own words


def test_the_same_codes_are_said_in_english_in_an_english_dialog(qtbot, hub, not_a_hub):
    for _case, code, _names in hub_cases(hub, not_a_hub):
        dialog = first_run(qtbot, None)
        assert_said_in_english(connect(qtbot, dialog, code))
        dialog.close()


def test_a_failed_package_download_at_the_counter_reaches_the_window_as_a_station_error(qtbot, tmp_path, hub,
                                                                                       kyoto_settings):
    log = StationLog.open(tmp_path / "log.sqlite", station_id="counter-8", event_id=kyoto_settings.event_id)
    relay = SyncStatusRelay(SyncWorker(log, HttpHub(hub.url, "counter-8", "t" * 40, timeout=3.0)))
    try:
        with qtbot.waitSignal(relay.package_failed, timeout=20_000) as failed:
            relay.download_package(tmp_path / "new.sqlite")
        assert_said_in_japanese(shown(failed.args[0], "ja"), hub.url)
        assert_said_in_english(shown(failed.args[0], "en"))
    finally:
        relay.close()
        log.close()


# -- the camera ---------------------------------------------------------------------------------------------


def test_a_camera_that_cannot_open_is_said_in_japanese_at_first_run_and_at_the_counter(qtbot, languages,
                                                                                        monkeypatch):
    monkeypatch.setattr(settings_module, "load", lambda folders=None: settings_module.Settings(camera="97"))
    dialog = first_run(qtbot, languages)
    dialog.scan_button.click()
    qtbot.waitUntil(lambda: dialog.status.text() != "", timeout=10_000)
    assert_said_in_japanese(dialog.status.text())
    assert "カメラが見つかりません" in dialog.status.text()
    dialog.close()

    worker = ScanWorker(source_for("97"))
    view = CameraView(worker, language=lambda: "ja")
    qtbot.addWidget(view)
    try:
        qtbot.waitUntil(lambda: view.message != "", timeout=10_000)
        assert_said_in_japanese(view.picture.text())
        view.language = lambda: "en"
        view.retranslate()
        assert_said_in_english(view.picture.text())
        assert "camera 97" in view.picture.text()  # the camera code's own English sentence
    finally:
        view.stop()


def test_a_camera_setting_that_names_nothing_is_said_in_japanese(qtbot, languages, tmp_path, monkeypatch):
    setting = str(tmp_path / "no-such-video.mp4")
    scanner, problem = camera_worker(settings_module.Settings(camera=setting))
    assert scanner is None and problem is not None
    view = CameraView(None, problem=problem, language=lambda: "ja")
    qtbot.addWidget(view)
    assert_said_in_japanese(view.picture.text(), setting)
    view.language = lambda: "en"
    view.retranslate()
    assert_said_in_english(view.picture.text())

    monkeypatch.setattr(settings_module, "load", lambda folders=None: settings_module.Settings(camera=setting))
    dialog = first_run(qtbot, languages)
    dialog.scan_button.click()
    assert_said_in_japanese(dialog.status.text(), setting)


class FlakyCapture:
    """A webcam (cv2.VideoCapture's interface) that gives pictures, is busy, or is unplugged."""

    plugged, busy = True, False

    def __init__(self, *_args) -> None:
        self.opened = type(self).plugged

    def isOpened(self) -> bool:
        return self.opened

    def set(self, *_args) -> bool:
        return True

    def read(self):
        if not type(self).plugged or type(self).busy:
            return False, None
        return True, np.zeros((72, 128, 3), np.uint8)

    def release(self) -> None:
        self.opened = False


def camera_cases(folder: Path) -> Iterator[tuple[str, object, tuple[str, ...]]]:
    """(case, a frame source that fails that way, the names its sentence may hold)."""
    from station.scan.camera import ImageFolder, SingleImage, VideoFile, Webcam

    (folder / "empty").mkdir()
    (folder / "not-a-video.mp4").write_text("hello", encoding="utf-8")
    (folder / "not-a-picture.png").write_text("hello", encoding="utf-8")
    yield "no video file", VideoFile(folder / "gone.mp4"), (str(folder / "gone.mp4"),)
    yield "not a video", VideoFile(folder / "not-a-video.mp4"), (str(folder / "not-a-video.mp4"),)
    yield "no folder", ImageFolder(folder / "gone"), (str(folder / "gone"),)
    yield "no pictures", ImageFolder(folder / "empty"), (str(folder / "empty"),)
    yield "no image", SingleImage(folder / "gone.png"), (str(folder / "gone.png"),)
    yield "not a picture", SingleImage(folder / "not-a-picture.png"), (str(folder / "not-a-picture.png"),)
    yield "no webcam", Webcam(97), ()


def test_every_camera_error_reaches_the_counters_camera_box_in_japanese(qtbot, languages, tmp_path):
    """Each source fails inside station/scan/camera.py; the worker's state reaches the box."""
    said: dict[str, str] = {}
    for case, source, names in camera_cases(tmp_path):
        view = CameraView(ScanWorker(source), language=lambda: "ja")
        qtbot.addWidget(view)
        try:
            qtbot.waitUntil(lambda v=view: v.message != "" and v.state != "live", timeout=10_000)
            said[case] = view.picture.text()
            assert_said_in_japanese(said[case], *names)
            view.language = lambda: "en"
            view.retranslate()
            assert_said_in_english(view.picture.text())
            assert view.picture.text() == view.message  # in English: the camera code's own sentence, as logged
        finally:
            view.stop()
    assert len(set(said.values())) == len(said)  # each said in its own words, not one sentence for all


def test_a_webcam_that_is_busy_or_unplugged_mid_shift_is_said_in_japanese():
    from station.scan.camera import CameraState, RecoveringCamera, Webcam

    class Capture(FlakyCapture):
        pass

    now = [0.0]
    camera = RecoveringCamera(Webcam(0, capture=Capture), clock=lambda: now[0])
    grabs = {"live": camera.read()}
    Capture.plugged = False
    for _ in range(3):
        grabs["unplugged"] = camera.read()
    Capture.plugged, Capture.busy = True, True
    grabs["busy"] = RecoveringCamera(Webcam(1, capture=Capture)).read()
    assert [g.state for g in grabs.values()] == [CameraState.LIVE, CameraState.RECONNECTING, CameraState.BUSY]
    for case, grab in grabs.items():
        assert_said_in_japanese(camera_text(grab.state, grab.text).render("ja"))
        assert_said_in_english(camera_text(grab.state, grab.text).render("en"))
        assert grab.text.render("en") == grab.message, case  # the English is what the log says
    assert "ケーブル" in grabs["unplugged"].text.render("ja")
    assert grabs["unplugged"].message == ("Camera 0 stopped giving pictures. Check the USB cable; the picture "
                                          "comes back by itself once it is plugged in.")


# -- a CUPS queue that fails -------------------------------------------------------------------------------


@pytest.fixture
def failing_queue() -> Iterator[str]:
    """A real CUPS queue, disabled with the spooler's own English reason."""
    if shutil.which("lpadmin") is None or (hasattr(os, "geteuid") and os.geteuid() != 0):
        pytest.skip("adding a CUPS queue needs CUPS and root (scripts/setup-cups-pdf.sh)")
    status = subprocess.run(["lpstat", "-r"], capture_output=True, text=True, check=False)
    if "is running" not in status.stdout:
        pytest.skip("the CUPS scheduler is not running; run scripts/setup-cups-pdf.sh as root")
    name = "BibStationJammed"
    subprocess.run(["lpadmin", "-p", name, "-v", "cups-pdf:/", "-m", "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd", "-E"],
                   check=True, capture_output=True)
    subprocess.run(["cupsdisable", "-r", "offline: printer not responding", name], check=True)
    yield name
    subprocess.run(["lpadmin", "-x", name], check=False)


def test_a_print_that_fails_at_the_spooler_is_said_in_japanese_with_the_spooler_on_a_details_line(
        qtbot, languages, failing_queue, tmp_path, kyoto_settings):
    from station.printing.worker import BibPrinter

    path = tmp_path / "e.sqlite"
    make_event(path, kyoto_settings, [row(1), row(2)]).close()
    session = open_session(path, "counter-3")
    printer = BibPrinter(session.station_log, printer=failing_queue, layout=BibLayout.A5_LANDSCAPE)
    window = MainWindow(session, languages=languages, sounds=SoundPlayer(enabled=False), now=Clock(INSIDE),
                        printer=printer)
    qtbot.addWidget(window)
    window.show()
    model = window.model
    model.sign_in("V17")
    model.choose("1001")
    model.set_name(Match.CONFIRMED)
    model.set_birth_date(Match.CONFIRMED)
    for item in model.checklist:
        model.set_item(item, True)
    assert model.complete() is not None
    qtbot.waitUntil(lambda: window.print_banner.failure is not None, timeout=30_000)
    banner = window.print_banner.message.text()
    band = window.counter.band
    assert window.print_banner.failure.detail == "offline: printer not responding"
    for text in (banner, band.headline.text()):
        assert_said_in_japanese(text, failing_queue)
    assert banner.endswith("\n" + DETAILS_JA + "offline: printer not responding")
    assert band.details.text() == DETAILS_JA + "offline: printer not responding"  # its own line
    languages.switch("en")
    QApplication.processEvents()
    assert_said_in_english(window.print_banner.message.text())
    printer.close()


def test_the_spoolers_words_never_enter_a_japanese_printer_sentence():
    from station.printing.printer import PrinterProblem, PrintFailed

    for problem in PrinterProblem:
        error = PrintFailed(problem, "Brother QL-820", "client-error-document-format-not-supported")
        assert "client-error" not in error.text("ja")
        assert_said_in_japanese(shown(error, "ja"), "Brother QL-820")
        assert shown(error, "ja").endswith("\n詳細：client-error-document-format-not-supported")
        assert shown(error, "en").count("client-error-document-format-not-supported") == 1


def test_a_surprise_during_provisioning_is_a_japanese_sentence_with_the_exception_apart(qtbot, languages,
                                                                                      monkeypatch):
    def broken(code, **_kwargs):
        raise KeyError("hub_id")

    monkeypatch.setattr("station.ui.first_run.provision_from_code", broken)
    dialog = first_run(qtbot, languages)
    text = connect(qtbot, dialog, "bibstation://provision?hub=http://h:1&station=counter-1&token=t")
    assert_said_in_japanese(text)
    assert text.endswith("\n詳細：KeyError: 'hub_id'")


# -- starting the station --------------------------------------------------------------------------------


@pytest.fixture
def message_boxes(monkeypatch) -> list[str]:
    """The start-up message box's text (shown only on a real screen: pretend there is one)."""
    from station.ui import first_run as first_run_module

    shown_texts: list[str] = []
    monkeypatch.setattr(first_run_module.QMessageBox, "warning",
                        staticmethod(lambda _parent, _title, text: shown_texts.append(text)))
    monkeypatch.setattr(first_run_module.QApplication, "platformName", staticmethod(lambda: "xcb"))
    return shown_texts


def test_a_second_station_on_the_laptop_is_said_in_japanese_at_start(qapp, event, message_boxes):
    from station.single_instance import AlreadyRunning, hold
    from station.ui.first_run import launch

    running = hold()
    try:
        with pytest.raises(AlreadyRunning):
            launch(event, "counter-2")
    finally:
        running.release()
    assert len(message_boxes) == 1
    from PySide6.QtCore import QSysInfo

    assert_said_in_japanese(message_boxes[0], "Bib Station", QSysInfo.machineHostName())  # names: app, host
    assert "すでに起動しています" in message_boxes[0]


def test_a_damaged_settings_file_is_said_in_japanese_at_start(qapp, event, message_boxes):
    from station.core.errors import SettingsError
    from station.ui.first_run import launch

    path = settings_module.Folders.current().settings_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{ not json", encoding="utf-8")
    with pytest.raises(SettingsError):
        launch(None, None)
    assert_said_in_japanese(message_boxes[0], str(path))
    assert message_boxes[0].split("\n")[1].startswith(DETAILS_JA)  # what the JSON parser said


def test_a_station_name_that_is_no_name_is_said_in_japanese_in_the_first_run_dialog(qtbot, languages, event):
    dialog = first_run(qtbot, languages)
    dialog.file_edit.setText(str(event))
    dialog.name_edit.setText("counter 3 / front")
    dialog.file_button.click()
    assert_said_in_japanese(dialog.status.text(), "counter 3 / front", "counter-7")
    assert "受付名" in dialog.status.text()


@pytest.mark.parametrize("setting, value, says", [
    ("print_timeout_s", 0, "1 秒以上"),
    ("media_pages", {"BibStationA5": 0}, "1 以上の整数"),
    ("zpl_printers", {"Zebra-ZD421": 150}, "203、300、600"),
])
def test_a_settings_value_the_station_refuses_is_said_in_japanese_at_start(qapp, event, message_boxes, setting,
                                                                          value, says):
    from station.core.errors import SettingsError
    from station.ui.first_run import launch

    path = settings_module.Folders.current().settings_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({setting: value}), encoding="utf-8")
    with pytest.raises(SettingsError) as refused:
        launch(None, None)
    assert_said_in_japanese(message_boxes[0], str(path), setting, repr(value))
    assert says in message_boxes[0] and setting in message_boxes[0]
    english = shown(refused.value, "en")
    assert_said_in_english(english)
    assert english.startswith(f"Settings file {path}: ") and setting.split("_")[0] in english.lower()


@pytest.mark.parametrize("changes, english", [
    ({"print_timeout_s": 0}, "print_timeout_s must be at least 1 second, not 0."),
    ({"language": "fr"}, "Language must be ja or en, not 'fr'."),  # a value typing lets through in code
])
def test_a_settings_value_refused_on_saving_is_said_in_each_language(changes, english):
    from station.core.errors import SettingsError

    with pytest.raises(SettingsError) as refused:
        settings_module.save(settings_module.Settings(station_name="counter-3", **changes))
    assert_said_in_japanese(shown(refused.value, "ja"), *changes, "ja", "en", *map(repr, changes.values()))
    assert str(refused.value) == english  # the log's and the command line's words, as before


# -- the sync status line ----------------------------------------------------------------------------------


def sync_cases(hub: HttpHubRunner) -> Iterator[tuple[str, str, str, str]]:
    """(case, station, hub address, token) for each way sync fails after start."""
    with HubStore.open(hub.data / HUB_FILE) as store:
        store.add_station("counter-8")
        revoked = store.add_station("counter-9")
        store.revoke_station("counter-9")
    yield "unreachable", "counter-7", f"http://127.0.0.1:{free_port()}", "t" * 40
    yield "refused", "counter-8", hub.url, "t" * 40
    yield "revoked", "counter-9", hub.url, revoked


def test_the_sync_status_line_never_shows_the_engines_english_problem(qtbot, languages, hub, event):
    """SyncStatus.problem is the log's English; the window says the hub's state in its own words."""
    said: dict[str, str] = {}
    for case, station, address, token in sync_cases(hub):
        session = open_session(event, station)
        relay = SyncStatusRelay(SyncWorker(session.station_log, HttpHub(address, station, token, timeout=3.0)))
        window = MainWindow(session, languages=languages, sounds=SoundPlayer(enabled=False), now=Clock(INSIDE),
                            sync=relay)
        qtbot.addWidget(window)
        window.show()
        relay.start()
        try:
            qtbot.waitUntil(lambda r=relay, c=case: getattr(r.worker.status.hub_state, "value", "") == c,
                            timeout=20_000)
            QApplication.processEvents()
            window.show_sync()
            status = relay.worker.status
            said[case] = window.sync_label.text()
            assert status.problem and status.problem not in said[case]  # the English reason: only in the log
            assert_said_in_japanese(said[case])
            assert window.info.fields["sync"].text() == said[case]
            languages.switch("en")
            QApplication.processEvents()
            assert_said_in_english(window.sync_label.text())
            languages.switch("ja")
            QApplication.processEvents()
        finally:
            window.close()
    assert len(set(said.values())) == len(said)


def test_a_hub_setting_that_names_no_hub_is_said_in_japanese_on_the_status_line(qtbot, languages, event):
    from station.ui.app import sync_worker

    session = open_session(event, "counter-3")
    relay, problem = sync_worker(settings_module.Settings(station_name="counter-3", hub="ftp://hub.local"), session)
    assert relay is None and problem is not None
    window = MainWindow(session, languages=languages, sounds=SoundPlayer(enabled=False), now=Clock(INSIDE),
                        sync_problem=problem)
    qtbot.addWidget(window)
    window.show()
    # the address, and the two forms an address takes (codes, parameters of the sentence)
    assert_said_in_japanese(window.sync_label.text(), "ftp://hub.local", "http(s)://host:port",
                            "sqlite:///path/hub.sqlite")
    assert "ハブの設定に問題があります" in window.sync_label.text()
    languages.switch("en")
    QApplication.processEvents()
    assert_said_in_english(window.sync_label.text())
    window.close()


# -- the self-check offered at first start ---------------------------------------------------------------

# Written in Latin letters in the Japanese self-check too: the product, the OS, acronyms.
SELF_CHECK_WORDS = ("Bib Station", "Windows", "USB", "CA")


def names_in(text: Text) -> tuple[str, ...]:
    """The names, paths and codes a self-check sentence was given (never the raw English
    an error carried, nor the English half of a sentence rendered elsewhere)."""
    out: list[str] = []
    for key, value in text.params:
        if isinstance(value, Text):
            out.extend(names_in(value))
        elif isinstance(value, tuple):
            out.extend(str(v) for v in value)
        elif key not in ("error", "en"):
            out.append(str(value))
    return tuple(out)


def self_check_dialog(qtbot, settings: settings_module.Settings, language: str):
    from PySide6.QtWidgets import QTableWidget

    from station.ui.first_run import run_selfcheck_dialog

    dialog = run_selfcheck_dialog(settings, language=language)
    qtbot.addWidget(dialog)
    table = dialog.findChild(QTableWidget)
    rows = [[table.item(r, c).text() for c in range(4)] for r in range(table.rowCount())]
    return dialog.results, rows


def test_the_first_start_self_check_is_said_in_japanese(qtbot, languages, hub, event, tmp_path):
    with HubStore.open(hub.data / HUB_FILE) as store:
        token = store.add_station("counter-4")
    machines = {
        "nothing set up": settings_module.Settings(
            station_name="counter-3", camera="97", printer="NoSuchPrinter",
            hub=f"http://127.0.0.1:{free_port()}", hub_token="t" * 40),
        "set up, camera off": settings_module.Settings(
            station_name="counter-4", camera="off", event_package=str(event), hub=hub.url, hub_token=token),
        "a camera setting naming nothing": settings_module.Settings(
            station_name="counter-5", camera=str(tmp_path / "gone.mp4"), event_package=str(tmp_path / "gone.sqlite"),
            hub=hub.url, hub_token="t" * 40),
    }
    outcomes = set()
    for machine, settings in machines.items():
        results, rows = self_check_dialog(qtbot, settings, "ja")
        for result, cells in zip(results, rows, strict=True):
            outcomes.add(result.outcome)
            names = (*SELF_CHECK_WORDS, *names_in(result.found), *names_in(result.to_do))
            for cell in cells:
                if cell:
                    assert_said_in_japanese(cell, *names)
            if result.raw and result.raw not in cells[2]:
                assert cells[2].endswith("\n" + DETAILS_JA + " ".join(result.raw.split())), (machine, cells)
        results, english = self_check_dialog(qtbot, settings, "en")
        for result, cells in zip(results, english, strict=True):
            for cell in cells:
                for name in names_in(result.found):  # a katakana reading, the event's name
                    cell = cell.replace(name, "")
                assert not JAPANESE.search(cell), (machine, cell)
    from station.selfcheck import Outcome

    assert outcomes == set(Outcome)  # ok, warn and fail rows were all read


def test_a_printer_the_spooler_disabled_is_said_in_japanese_on_the_station_tab(qtbot, failing_queue, tmp_path,
                                                                              kyoto_settings):
    from station.printing.health import default_health
    from station.printing.worker import BibPrinter
    from station.ui.printer_status import PrinterStatusBox

    log = StationLog.open(tmp_path / "log.sqlite", station_id="counter-3", event_id=kyoto_settings.event_id)
    printer = BibPrinter(log, printer=failing_queue, layout=BibLayout.A5_LANDSCAPE, health=default_health())
    language = ["ja"]
    box = PrinterStatusBox(printer, lambda: language[0])
    qtbot.addWidget(box)
    try:
        def asked() -> bool:  # CUPS may take a moment to report the disabled queue's reason
            if any(h.detail for h in box.healths):
                return True
            printer.check_health()
            qtbot.wait(100)
            return False

        qtbot.waitUntil(asked, timeout=15_000)
        sentence, _, details = box.lines.text().partition("\n    ")
        assert_said_in_japanese(sentence, failing_queue)
        assert details == DETAILS_JA + "offline: printer not responding"  # the spooler's words, on their own line
        language[0] = "en"
        box.retranslate()
        assert box.lines.text() == f"1. {failing_queue}: offline (offline: printer not responding)"  # as before
    finally:
        printer.close()
        log.close()


def test_an_event_package_from_a_newer_station_is_said_in_japanese_at_start(qapp, event, message_boxes):
    import sqlite3

    from station.core.errors import MigrationError
    from station.ui.first_run import launch

    conn = sqlite3.connect(event)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(MigrationError) as refused:
        launch(event, "counter-2")
    assert_said_in_japanese(message_boxes[0], event.name, "Bib Station")
    assert "更新してください" in message_boxes[0]
    assert str(refused.value) == f"{event.name} was written by a newer Bib Station (schema 999); update this station."
