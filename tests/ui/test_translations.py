"""Japanese and English: every UI string translated, the .qm current, switching live."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtWidgets import QApplication

from station.ui.app import open_session
from station.ui.i18n import Languages
from station.ui.main_window import MainWindow
from station.ui.sounds import SoundPlayer
from tests.factories import make_event, row

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "assets" / "translations" / "station_ja.ts"
BIN = Path(sys.executable).parent


def test_every_string_is_translated():
    messages = list(ET.parse(TS).iter("message"))
    assert len(messages) > 50
    unfinished = [m.find("source").text for m in messages
                  if m.find("translation").get("type") == "unfinished" or not m.find("translation").text]
    assert unfinished == []


def test_no_ui_string_is_missing_from_the_ts(tmp_path):
    copy = tmp_path / "station_ja.ts"
    shutil.copy(TS, copy)
    sources = sorted(str(p) for p in (ROOT / "station" / "ui").rglob("*.py"))
    result = subprocess.run([str(BIN / "pyside6-lupdate"), *sources, "-ts", str(copy), "-no-obsolete"],
                            capture_output=True, text=True, check=True)
    assert "(0 new and" in result.stdout, f"run scripts/update_translations.py: {result.stdout}"


def test_the_qm_is_compiled_from_the_current_ts(tmp_path):
    out = tmp_path / "station_ja.qm"
    subprocess.run([str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(out)], capture_output=True, check=True)
    assert out.read_bytes() == TS.with_suffix(".qm").read_bytes(), "run scripts/update_translations.py"


def test_switching_language_without_restart(qtbot, tmp_path, kyoto_settings):
    make_event(tmp_path / "e.sqlite", kyoto_settings, [row(1)]).close()
    languages = Languages(QApplication.instance())
    window = MainWindow(open_session(tmp_path / "e.sqlite", "counter-1"), languages=languages,
                        sounds=SoundPlayer(enabled=False))
    qtbot.addWidget(window)
    try:
        assert window.tabs.tabText(0) == "Counter"
        languages.switch("ja")
        qtbot.waitUntil(lambda: window.tabs.tabText(0) == "受付", timeout=2000)
        assert window.counter.sign_in.button.text() == "受付を始める"
        assert window.counter.band.outcome.text() == "次の方"
        languages.switch("en")
        qtbot.waitUntil(lambda: window.tabs.tabText(0) == "Counter", timeout=2000)
        assert window.counter.band.outcome.text() == "Next runner"
    finally:
        languages.switch("en")
