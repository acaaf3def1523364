"""The live camera picture on the counter, with the found code outlined, and
what the camera is doing when there is no picture (unplugged, busy, none)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QThread
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QVBoxLayout

from station.core.texts import NOTHING, Text
from station.scan.camera import CameraState
from station.ui.camera_texts import camera_text
from station.ui.counter.panels import Retranslating
from station.ui.scan_worker import ScanWorker, start


class CameraView(Retranslating):
    def __init__(self, worker: ScanWorker | None, *, problem: Text | None = None, language=lambda: "en") -> None:
        super().__init__()
        self.worker = worker
        self.problem = problem  # why there is no camera worker (a wrong camera setting), or None
        self.language = language
        self.thread: QThread | None = None
        self.picture = QLabel()
        self.picture.setObjectName("cameraPicture")
        self.picture.setFixedSize(288, 162)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setStyleSheet("background: #222; color: #ddd;")
        self.picture.setWordWrap(True)
        self.state = CameraState.NO_CAMERA.value if worker is None else CameraState.RECONNECTING.value
        self.message = ""  # what the camera said, in English (the log's words); "" before it said anything
        self.said: Text = NOTHING  # the same, in both languages: rendered in the window's
        self.advice = QLabel()
        self.advice.setObjectName("mrzAdvice")
        self.advice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.advice.setStyleSheet("font-weight: bold; color: #a35a00;")
        self.advice_code = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.advice)
        if worker is not None:
            worker.preview.connect(self.show_frame)
            worker.camera_state.connect(self.show_state)
            worker.mrz_advice.connect(self.show_advice)
            self.thread = start(worker)
        self.retranslate()

    def show_frame(self, image: QImage) -> None:
        self.picture.setPixmap(QPixmap.fromImage(image).scaled(
            self.picture.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))

    def show_state(self, state: str, said: Text) -> None:
        self.state, self.said, self.message = state, said, str(said)
        if state != CameraState.LIVE.value:
            self.picture.clear()
        self.retranslate()

    def show_advice(self, advice: str) -> None:
        self.advice_code = advice
        self.retranslate()

    def advice_words(self) -> str:
        return {
            "": "",
            "none": self.tr("Hold the ID's photo page in the yellow frame"),
            "closer": self.tr("Closer: the two lines of <<< should fill the yellow frame"),
            "hold_still": self.tr("Hold still (no glare)…"),
            "further": self.tr("A little further away: the lines run off the picture"),
        }.get(self.advice_code, "")

    def retranslate(self) -> None:
        self.advice.setText(self.advice_words())
        if self.worker is None:
            self.picture.setText(self.problem.render(self.language()) if self.problem is not None
                                 else self.tr("Camera off (see settings); use the scanner or the search."))
        elif self.state != CameraState.LIVE.value:
            self.picture.setText(camera_text(self.state, self.said).render(self.language()) if self.message
                                 else self.tr("Starting the camera…"))

    def stop(self) -> None:
        if self.worker is not None and self.thread is not None:
            self.worker.stop()
            self.thread.quit()
            if self.thread.wait(5000):
                self.thread = None
            # else: a camera stuck in read(); keep the reference so the running
            # thread is not destroyed under it (Qt would abort the station)
