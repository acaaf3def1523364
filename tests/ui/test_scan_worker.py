"""The camera worker in its QThread, fed by a real video through cv2.VideoCapture."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QImage

from station.core.confirmation import Signer
from station.scan import synth
from station.scan.camera import CameraState, VideoFile
from station.scan.hold import HoldFilter
from station.scan.qr import QrReader
from station.ui.scan_worker import ScanWorker, start

SIGNER = Signer(bytes(range(7, 39)))


@pytest.fixture(scope="module")
def video(tmp_path_factory):
    rng = np.random.default_rng(21)
    shown = [SIGNER.code("ui-2027", "777", 1).encode(), SIGNER.code("ui-2027", "778", 1).encode()]
    images = [synth.empty_frame(rng) for _ in range(3)]
    images += [synth.frame(shown[0], synth.Condition.CLEAN, rng).image for _ in range(15)]
    images += [synth.empty_frame(rng) for _ in range(10)]
    images += [synth.frame(shown[1], synth.Condition.CLEAN, rng).image for _ in range(15)]
    path = tmp_path_factory.mktemp("ui-video") / "counter.avi"
    synth.write_video(path, images, fps=30)
    return path, shown


class Counter(QObject):
    """Stands where the counter screen does: a QObject of the main thread, so
    the worker's signals reach it through the main thread's event queue."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = {"codes": [], "states": [], "previews": 0, "size": None}

    @Slot(bytes)
    def code(self, payload: bytes) -> None:
        self.seen["codes"].append(bytes(payload))

    @Slot(str, object)
    def state(self, state: str, said: object) -> None:
        self.seen["states"].append(state)

    @Slot(QImage)
    def preview(self, image: QImage) -> None:
        self.seen["previews"] += 1
        self.seen["size"] = (image.width(), image.height())


def run_worker(qtbot, worker: ScanWorker, timeout_ms: int = 30_000) -> dict:
    counter = Counter()
    worker.code_scanned.connect(counter.code)
    worker.camera_state.connect(counter.state)
    worker.preview.connect(counter.preview)
    with qtbot.waitSignal(worker.finished, timeout=timeout_ms):
        thread = start(worker)
    assert thread.wait(5_000), "the worker's thread did not stop"
    qtbot.wait(50)  # the last queued signals
    return counter.seen


def test_each_code_held_up_is_submitted_once_and_the_preview_follows(qtbot, video):
    path, shown = video
    # Paced like a live camera so the decoder sees most frames; release after
    # a quarter second out of view.
    worker = ScanWorker(VideoFile(path, realtime=True), hold=HoldFilter(release_frames=3, release_s=0.25))
    seen = run_worker(qtbot, worker)
    assert seen["codes"] == shown
    assert seen["states"] == [CameraState.LIVE.value, CameraState.ENDED.value]
    assert seen["previews"] == 43 and seen["size"] == (640, 360)


def test_frames_arriving_while_decoding_are_dropped_not_queued(qtbot, video):
    path, _ = video
    reader = QrReader()

    def slow_reader(frame):  # a decoder slower than the camera
        time.sleep(0.05)
        return reader(frame)

    worker = ScanWorker(VideoFile(path, realtime=False), reader=slow_reader)
    run_worker(qtbot, worker)
    assert worker.dropped_frames > 0
    assert worker.decoded_frames + worker.dropped_frames == 43


def test_stop_ends_a_live_source(qtbot, video):
    path, _ = video
    worker = ScanWorker(VideoFile(path, realtime=True, loop=True))
    finished = []
    worker.finished.connect(lambda: finished.append(True))
    thread = start(worker)
    qtbot.waitUntil(lambda: worker.decoded_frames > 3, timeout=10_000)
    with qtbot.waitSignal(worker.finished, timeout=5_000):
        worker.stop()
    thread.wait(5_000)
    assert finished == [True]


class Documents(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.read: list[tuple[str, ...]] = []

    @Slot(object)
    def record(self, record: object) -> None:
        self.read.append(record.lines)  # type: ignore[attr-defined]


def test_a_passport_is_read_again_for_the_next_runner_with_mrz_turned_off_and_on(qtbot,
                                                                                 tmp_path):
    """The counter turns MRZ reading on per runner, from the main thread, while
    the worker's tracker runs on the worker's thread: the next runner's
    document is accepted afresh, even when it is the same one."""
    from PySide6.QtCore import QTimer

    from station.core import mrz
    from tests.mrz_frames import make_frame

    frames = [make_frame(3, fmt=mrz.MrzFormat.TD3, view=v + 1) for v in range(50)]
    path = tmp_path / "passport.avi"
    synth.write_video(path, [f.image for f in frames], fps=20)
    worker = ScanWorker(VideoFile(path, realtime=True))
    documents = Documents()
    worker.mrz_read.connect(documents.record)
    worker.read_mrz(True)
    # The next runner, 1.2 s in: off, then on again, from this (the main) thread.
    QTimer.singleShot(1200, lambda: (worker.read_mrz(False), worker.read_mrz(True)))
    run_worker(qtbot, worker)
    assert documents.read == [frames[0].lines, frames[0].lines]
