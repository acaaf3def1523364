"""Where the counter's frames come from: a webcam, a video file or a folder of images.

All three go through one small interface, so the counter, the `scan` command
and the tests run the same pipeline; a video file is read by the same
cv2.VideoCapture a webcam is. The settings' `camera` text chooses: digits are
a webcam index, a folder is an image folder, a file is a video.

A webcam that is unplugged mid-shift is not an error: `RecoveringCamera`
releases it and tries again with growing pauses, so plugging it back in
brings the picture back without a restart. No camera, or one another program
holds, is a clear message and never an exception in the worker.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from station.core.errors import StationError
from station.core.texts import NOTHING, Text, sentences

log = logging.getLogger(__name__)

WIDTH, HEIGHT = 1280, 720
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp"})


class CameraError(StationError):
    """A camera, video or picture that cannot be read: its sentence is a `Text` (below),
    said in the window's language; str() of it is the English the log keeps."""


class NoCamera(CameraError):
    pass


class CameraBusy(CameraError):
    pass


# What the camera code says, in both languages (a window shows its own; the log the English).
_NO_CAMERA = Text("カメラが見つかりません（カメラ {index}）。"
                  "ウェブカメラをつなぐか、設定で別のカメラを選んでください。",
                  "No camera found at camera {index}: plug in the USB webcam, "
                  "or choose another camera in the settings.")
_BUSY = Text("カメラ {index} はありますが映像が来ません。ほかのプログラム（ビデオ会議や別のステーションの画面など）が"
             "使っているようです。そのプログラムを閉じてください。",
             "Camera {index} is there but gives no picture: another program "
             "(a video call, another station window) is probably using it; close that program.")
_NOT_OPEN = Text("カメラ {index} が開いていません。", "Camera {index} is not open.")
_STOPPED = Text("カメラ {index} の映像が途切れました。", "Camera {index} stopped giving pictures.")
_CHECK_CABLE = Text("ケーブルを確認してください。つなぎ直せば映像は自動で戻ります。",
                    "Check the USB cable; the picture comes back by itself once it is plugged in.")
_NO_VIDEO = Text("動画ファイル {path} がありません。カメラの設定を確認してください。",
                 "Video file {path} does not exist; check the camera setting.")
_NOT_A_VIDEO = Text("{path} は動画として読めません。MP4 などの動画ファイルにしてください。",
                    "{path} cannot be read as a video; use an .mp4 or .avi file.")
_NO_FOLDER = Text("画像フォルダー {path} がありません。カメラの設定を確認してください。",
                  "Image folder {path} does not exist; check the camera setting.")
_NO_PICTURES = Text("{path} に画像ファイルがありません。", "{path} holds no pictures (.png, .jpg ...).")
_NO_IMAGE = Text("画像 {path} がありません。", "Image {path} does not exist.")
_NOT_A_PICTURE = Text("{path} は読める画像ではありません。", "{path} is not a picture OpenCV can read.")
_BAD_SETTING = Text("カメラの設定「{setting}」は、カメラの番号（0、1 …）でも、"
                    "ある動画ファイルや画像フォルダーでもありません。設定で直してください。",
                    "Camera setting {quoted} is neither a webcam number (0, 1 ...) nor an existing "
                    "video file or image folder; fix it in the settings.")
_LIVE = Text("カメラが動いています。", "{source} is on.")
_ENDED = Text("動画や画像を最後まで読みました。", "End of {source}.")


class FrameSource(Protocol):
    description: str

    def open(self) -> None: ...

    def read(self) -> np.ndarray | None:
        """The next BGR frame; None at the end of a file or folder.
        A webcam raises CameraError when it stops giving pictures."""

    def close(self) -> None: ...


Capture = Callable[..., cv2.VideoCapture]


class Webcam:
    """A USB webcam by index: 1280x720 asked for, MJPG where the camera offers it
    (uncompressed 720p over USB 2 often gives only 5-10 frames a second)."""

    def __init__(self, index: int, *, capture: Capture = cv2.VideoCapture) -> None:
        self.index = index
        # DirectShow on Windows: it honours MJPG and 1280x720, and opens in well
        # under a second where Media Foundation can take several.
        self.api = cv2.CAP_DSHOW if sys.platform == "win32" else cv2.CAP_ANY
        self.description = f"camera {index}"
        self._capture = capture
        self._cap: cv2.VideoCapture | None = None

    def open(self) -> None:
        self.close()
        with quiet_opencv():  # a missing camera is our message, said once, not OpenCV's warning each try
            self._open()

    def _open(self) -> None:
        cap = self._capture(self.index, self.api)
        if not cap.isOpened():
            cap.release()
            raise NoCamera(_NO_CAMERA(index=self.index))
        cap.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter_fourcc(*"MJPG"))
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, WIDTH)
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, HEIGHT)
        cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # the newest picture, not a backlog
        for _ in range(5):
            ok, _frame = cap.read()
            if ok:
                self._cap = cap
                return
        cap.release()
        raise CameraBusy(_BUSY(index=self.index))

    def read(self) -> np.ndarray | None:
        if self._cap is None:
            raise NoCamera(_NOT_OPEN(index=self.index))
        ok, frame = self._cap.read()
        if not ok or frame is None:
            raise CameraError(_STOPPED(index=self.index))
        return frame

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


class VideoFile:
    """A recorded video, read through cv2.VideoCapture like a webcam.

    `realtime` paces reading at the file's frame rate (a demo counter);
    `loop` starts again at the end instead of ending.
    """

    def __init__(self, path: Path, *, realtime: bool = False, loop: bool = False) -> None:
        self.path = path
        self.description = f"video {path.name}"
        self.realtime, self.loop = realtime, loop
        self._cap: cv2.VideoCapture | None = None
        self._interval = 0.0
        self._next = 0.0

    def open(self) -> None:
        self.close()
        if not self.path.is_file():
            raise CameraError(_NO_VIDEO(path=str(self.path)))
        cap = cv2.VideoCapture(str(self.path))
        if not cap.isOpened():
            cap.release()
            raise CameraError(_NOT_A_VIDEO(path=str(self.path)))
        fps = cap.get(cv2.CAP_PROP_FPS) or 0.0
        self._interval = 1.0 / fps if 1.0 <= fps <= 240.0 else 1.0 / 30
        self._next = time.monotonic()
        self._cap = cap

    def read(self) -> np.ndarray | None:
        if self._cap is None:
            self.open()
        assert self._cap is not None
        ok, frame = self._cap.read()
        if not ok and self.loop:
            self._cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = self._cap.read()
        if not ok:
            return None
        if self.realtime:
            self._next += self._interval
            delay = self._next - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            else:
                self._next = time.monotonic()
        return frame

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


class ImageFolder:
    """Every picture in a folder, in name order (photos of real confirmations)."""

    def __init__(self, path: Path, *, loop: bool = False, interval_s: float = 0.0) -> None:
        self.path = path
        self.description = f"images in {path.name}"
        self.loop, self.interval_s = loop, interval_s
        self._files: list[Path] = []
        self._at = 0

    def open(self) -> None:
        if not self.path.is_dir():
            raise CameraError(_NO_FOLDER(path=str(self.path)))
        self._files = sorted(p for p in self.path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if not self._files:
            raise CameraError(_NO_PICTURES(path=str(self.path)))
        self._at = 0

    def read(self) -> np.ndarray | None:
        if not self._files:
            self.open()
        while self._at < len(self._files) or (self.loop and self._files):
            if self._at >= len(self._files):
                self._at = 0
            path = self._files[self._at]
            self._at += 1
            frame = read_image(path)
            if frame is not None:
                if self.interval_s:
                    time.sleep(self.interval_s)
                return frame
        return None

    def close(self) -> None:
        self._files = []


def read_image(path: Path) -> np.ndarray | None:
    # cv2.imread cannot open non-ASCII paths on Windows (a folder named 受付).
    try:
        data = np.fromfile(path, dtype=np.uint8)
    except OSError:
        return None
    if data.size == 0:
        return None
    return cv2.imdecode(data, cv2.IMREAD_COLOR)


def source_for(setting: str, *, live: bool = True) -> FrameSource:
    """The source the settings' `camera` text names. `live` paces files like a
    camera and loops them (the counter); off, they are read once at full speed."""
    text = setting.strip()
    if text.isdigit():
        return Webcam(int(text))
    path = Path(text).expanduser()
    if path.is_dir():
        return ImageFolder(path, loop=live, interval_s=0.5 if live else 0.0)
    if path.is_file():
        if path.suffix.lower() in IMAGE_SUFFIXES:
            return ImageFolder(path.parent, loop=live) if live else SingleImage(path)
        return VideoFile(path, realtime=live, loop=live)
    raise CameraError(_BAD_SETTING(setting=setting, quoted=repr(setting)))


class SingleImage:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.description = f"image {path.name}"
        self._done = False

    def open(self) -> None:
        if not self.path.is_file():
            raise CameraError(_NO_IMAGE(path=str(self.path)))
        self._done = False

    def read(self) -> np.ndarray | None:
        if self._done:
            return None
        self._done = True
        frame = read_image(self.path)
        if frame is None:
            raise CameraError(_NOT_A_PICTURE(path=str(self.path)))
        return frame

    def close(self) -> None:
        self._done = True


def frames(source: FrameSource) -> Iterator[np.ndarray]:
    """Every frame of a file or folder source (not for webcams: they never end)."""
    source.open()
    try:
        while (frame := source.read()) is not None:
            yield frame
    finally:
        source.close()


@contextmanager
def quiet_opencv() -> Iterator[None]:
    """OpenCV's own warnings off (errors still show) while a webcam is tried:
    without a camera, every retry would print "can't open camera by index"."""
    try:
        from cv2.utils import logging as cv_logging
    except ImportError:  # an OpenCV build without the logging module
        yield
        return
    level = cv_logging.getLogLevel()
    cv_logging.setLogLevel(cv_logging.LOG_LEVEL_ERROR)
    try:
        yield
    finally:
        cv_logging.setLogLevel(level)


# -- keeping a webcam alive -------------------------------------------------------------


class CameraState(StrEnum):
    LIVE = "live"
    RECONNECTING = "reconnecting"  # it was working; we keep trying
    NO_CAMERA = "no_camera"
    BUSY = "busy"
    FAILED = "failed"  # a file or folder that cannot be read; retrying will not help
    ENDED = "ended"  # the end of a file or folder


@dataclass(frozen=True, slots=True)
class Grab:
    frame: np.ndarray | None
    state: CameraState
    message: str = ""  # the English sentence (the log's)
    text: Text = NOTHING  # the same in both languages: a window shows its own


BACKOFF_S = (0.5, 1.0, 2.0, 4.0, 5.0)  # a webcam that was working: it comes back quickly
NEVER_SEEN_BACKOFF_S = (2.0, 5.0, 10.0, 20.0, 30.0)  # none plugged in since the start: try rarely
FAILURES_BEFORE_REOPEN = 3


class RecoveringCamera:
    """Wraps a source so that `read` never raises: a lost webcam is released and
    reopened with growing pauses (0.5 s up to 5 s), and the state says why
    there is no picture."""

    def __init__(
        self,
        source: FrameSource,
        *,
        clock: Callable[[], float] = time.monotonic,
        backoff: tuple[float, ...] = BACKOFF_S,
    ) -> None:
        self.source = source
        self._clock = clock
        self._backoff = backoff
        self._open = False
        self._attempts = 0
        self._next_try = 0.0
        self._failures = 0
        self._was_live = False
        self.state = CameraState.NO_CAMERA
        self.message = ""
        self.text = NOTHING

    def read(self) -> Grab:
        if self.state in (CameraState.ENDED, CameraState.FAILED):
            return Grab(None, self.state, self.message, self.text)
        if not self._open and not self._try_open():
            return Grab(None, self.state, self.message, self.text)
        try:
            frame = self.source.read()
        except CameraError as exc:
            self._failures += 1
            if self._failures >= FAILURES_BEFORE_REOPEN:
                self._lost(exc.message_text)
            return Grab(None, self.state, self.message, self.text)
        if frame is None:
            self._set(CameraState.ENDED, _ENDED(source=self.source.description))
            self.close()
            return Grab(None, self.state, self.message, self.text)
        self._failures = 0
        return Grab(frame, self.state, self.message, self.text)

    def close(self) -> None:
        if self._open:
            self.source.close()
            self._open = False

    def _try_open(self) -> bool:
        now = self._clock()
        if now < self._next_try:
            return False
        try:
            self.source.open()
        except (NoCamera, CameraBusy) as exc:
            state = CameraState.BUSY if isinstance(exc, CameraBusy) else CameraState.NO_CAMERA
            if self._was_live and state is CameraState.NO_CAMERA:
                state = CameraState.RECONNECTING
            self._schedule(now)
            self._set(state, exc.message_text)
            return False
        except CameraError as exc:
            self._set(CameraState.FAILED, exc.message_text)
            return False
        self._open, self._attempts, self._failures, self._was_live = True, 0, 0, True
        self._set(CameraState.LIVE, _LIVE(source=self.source.description.capitalize()))
        return True

    def _lost(self, why: Text) -> None:
        self.close()
        self._failures = 0
        self._attempts = 0
        self._next_try = self._clock() + self._backoff[0]
        self._set(CameraState.RECONNECTING, sentences(why, _CHECK_CABLE))

    def _schedule(self, now: float) -> None:
        backoff = self._backoff if self._was_live or self._backoff is not BACKOFF_S else NEVER_SEEN_BACKOFF_S
        self._next_try = now + backoff[min(self._attempts, len(backoff) - 1)]
        self._attempts += 1

    def _set(self, state: CameraState, text: Text) -> None:
        message = str(text)  # English: the log's words, and Grab.message
        if (state, message) != (self.state, self.message):
            log.info("camera: %s (%s)", message, state.value)  # once per change, not per retry
        self.state, self.message, self.text = state, message, text
