"""The camera worker: frames in, a preview and each held-up code once, out.

Lives in its own QThread (`ScanWorker.run` loops there); decoding runs on a
second thread fed through a one-frame mailbox, so the preview keeps the
camera's pace even when a hard frame takes the decoder longer, and a frame
that arrives while decoding is busy replaces the waiting one instead of
queueing. Everything reaches the window through signals; the UI thread only
draws.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import cv2
import numpy as np
from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtGui import QImage

from station.scan.camera import CameraState, FrameSource, RecoveringCamera
from station.scan.hold import HoldFilter, LatestFrame
from station.scan.qr import FoundCode, QrReader

OUTLINE_TTL_S = 0.4  # an outline stays on the preview this long after its frame
IDLE_WAIT_S = 0.05


class ScanWorker(QObject):
    preview = Signal(QImage)  # the frame, with any found code outlined in green
    code_scanned = Signal(bytes)  # a code newly held up; once per showing
    camera_state = Signal(str, object)  # CameraState value, why (a Text: the window renders its language)
    mrz_read = Signal(object)  # an MRZ record read alike in 2 of 3 frames (while MRZ reading is on)
    mrz_advice = Signal(str)  # "", "none" (no document seen), or an Advice value: closer, hold_still, further
    finished = Signal()

    def __init__(
        self,
        source: FrameSource,
        *,
        reader: Callable[[np.ndarray], tuple[FoundCode, ...]] | None = None,
        hold: HoldFilter | None = None,
        preview_width: int = 640,
    ) -> None:
        super().__init__()
        self._camera = RecoveringCamera(source)
        self._reader = reader or QrReader()
        self._hold = hold or HoldFilter()
        self._mailbox: LatestFrame[np.ndarray] = LatestFrame()
        self._stop = threading.Event()
        self._preview_width = preview_width
        self._outline: tuple[float, tuple[FoundCode, ...]] = (0.0, ())
        self._lock = threading.Lock()
        self.decoded_frames = 0
        self._mrz_on = threading.Event()
        self._mrz_fresh = threading.Event()  # a new document expected: forget the last one
        self._mrz_reader = None  # loaded the first time an ID document is expected
        self._mrz_tracker = None
        self._mrz_last: tuple[str, ...] | None = None
        self._mrz_seen: tuple[float, tuple[tuple[float, float], ...]] = (0.0, ())
        self._advice = ""

    def read_mrz(self, on: bool) -> None:
        """Thread-safe: also read ID documents' MRZ from the frames (the counter
        turns this on while a runner with a passport-type document is served)."""
        if on and not self._mrz_on.is_set():
            # The tracker lives on the decoding thread: it starts afresh there.
            self._mrz_fresh.set()
        (self._mrz_on.set if on else self._mrz_on.clear)()
        if not on:
            self._say("")

    def _read_mrz(self, frame: np.ndarray) -> None:
        from station.scan.mrz_reader import MrzReader, MrzTracker

        if self._mrz_reader is None:
            self._mrz_reader, self._mrz_tracker = MrzReader(), MrzTracker()
        if self._mrz_fresh.is_set():
            self._mrz_fresh.clear()
            self._mrz_last = None
            self._mrz_tracker.reset()
        attempt = self._mrz_reader.attempt(frame)
        reading = attempt.reading
        accepted = self._mrz_tracker.update(reading)
        if accepted is not None and accepted.record.lines != self._mrz_last:
            self._mrz_last = accepted.record.lines
            self.mrz_read.emit(accepted.record)
            return
        # Not read (yet): where the band is and what the volunteer should do.
        sighting = attempt.sighting
        quad = reading.quad if reading is not None else (sighting.quad if sighting else ())
        with self._lock:
            self._mrz_seen = (time.monotonic(), quad)
        self._say("hold_still" if reading is not None else sighting.advice.value if sighting else "none")

    def _say(self, advice: str) -> None:
        if advice != self._advice:
            self._advice = advice
            self.mrz_advice.emit(advice)

    @property
    def dropped_frames(self) -> int:
        return self._mailbox.dropped

    @Slot()
    def run(self) -> None:
        decoder = threading.Thread(target=self._decode_loop, name="qr-decoder", daemon=True)
        decoder.start()
        last_state: CameraState | None = None
        try:
            while not self._stop.is_set():
                grab = self._camera.read()
                if grab.state is not last_state:
                    last_state = grab.state
                    self.camera_state.emit(grab.state.value, grab.text)
                if grab.frame is None:
                    if grab.state in (CameraState.ENDED, CameraState.FAILED):
                        break
                    self._stop.wait(IDLE_WAIT_S)
                    continue
                self._mailbox.offer(grab.frame)
                self.preview.emit(self._preview_image(grab.frame))
        finally:
            self._camera.close()
            # Let the decoder finish the frame it holds: the last code counts.
            self._mailbox.close()
            decoder.join()
            self.finished.emit()

    def stop(self) -> None:
        """Thread-safe: ask the loop to end; `finished` follows."""
        self._stop.set()
        self._mailbox.close()

    def _decode_loop(self) -> None:
        while True:
            frame = self._mailbox.take(timeout=0.2)
            if frame is None:
                if self._stop.is_set() or self._mailbox.closed:
                    return
                continue
            found = self._reader(frame)
            if self._mrz_on.is_set() and not found:
                self._read_mrz(frame)
            now = time.monotonic()
            with self._lock:
                self.decoded_frames += 1
                if found:
                    self._outline = (now, found)
                fresh = self._hold.feed((c.payload for c in found), now)
            for payload in fresh:
                self.code_scanned.emit(payload)

    def _preview_image(self, frame: np.ndarray) -> QImage:
        with self._lock:
            seen_at, found = self._outline
        picture = frame if frame.ndim == 3 else cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
        scale = self._preview_width / picture.shape[1]
        picture = cv2.resize(picture, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        if found and time.monotonic() - seen_at <= OUTLINE_TTL_S:
            for code in found:
                points = (np.array(code.corners, np.float32) * scale).astype(np.int32)
                cv2.polylines(picture, [points], True, (60, 200, 60), 3, cv2.LINE_AA)
        if self._mrz_on.is_set():
            self._draw_mrz_guide(picture, scale)
        height, width = picture.shape[:2]
        image = QImage(picture.data, width, height, picture.strides[0], QImage.Format.Format_BGR888)
        return image.copy()  # own the pixels: `picture` goes away with this call


    def _draw_mrz_guide(self, picture: np.ndarray, scale: float) -> None:
        """Where the document's MRZ should go (the lower band, filling most of the
        width: close enough for the camera to resolve it), and where it was seen."""
        h, w = picture.shape[:2]
        cv2.rectangle(picture, (int(w * 0.08), int(h * 0.58)), (int(w * 0.92), int(h * 0.88)),
                      (0, 215, 255), 2, cv2.LINE_AA)
        with self._lock:
            seen_at, quad = self._mrz_seen
        if quad and time.monotonic() - seen_at <= OUTLINE_TTL_S:
            points = (np.array(quad, np.float32) * scale).astype(np.int32)
            cv2.polylines(picture, [points], True, (0, 140, 255), 3, cv2.LINE_AA)


def start(worker: ScanWorker) -> QThread:
    """Move the worker to a new thread and start it; stop with `worker.stop()`.
    The caller keeps the returned thread and waits on it at shutdown."""
    thread = QThread()
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    # Direct: quit() is thread-safe, and a queued call would wait for the main
    # thread, which may itself be blocked in thread.wait() (a deadlock, then
    # Qt aborts when the still-running thread is destroyed).
    worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
    thread.start()
    return thread
