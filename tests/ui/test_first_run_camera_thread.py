"""The first-run dialog hears the camera worker on the GUI thread (a slot, not a lambda)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from station import settings as settings_module
from station.scan import synth
from station.ui.first_run import FirstRunDialog


def test_camera_state_reaches_the_dialog_on_the_gui_thread(qtbot, tmp_path):
    rng = np.random.default_rng(5)
    video = tmp_path / "camera.avi"
    synth.write_video(video, [synth.empty_frame(rng) for _ in range(20)], fps=30)
    dialog = FirstRunDialog(settings_module.load())
    qtbot.addWidget(dialog)
    dialog._camera_setting = str(video)  # the settings' camera: a video file instead of a webcam
    heard: list[tuple[QThread, str]] = []
    shown = dialog.status.setText
    dialog.status.setText = lambda text: (heard.append((QThread.currentThread(), text)), shown(text))
    dialog.scan_code()
    try:
        qtbot.waitUntil(lambda: bool(heard), timeout=10_000)
    finally:
        dialog._stop_scanning()
    assert all(thread is QApplication.instance().thread() for thread, _ in heard)
    assert dialog._scan_thread is not QApplication.instance().thread()
