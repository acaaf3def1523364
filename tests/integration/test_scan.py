"""Scanning through the real pieces: synthetic frames, a video replayed through
cv2.VideoCapture, an image folder, and `station scan` on a real event package.

The webcam itself is the only thing imitated (this machine has none): a
stand-in for cv2.VideoCapture that can be "unplugged", in the recovery tests.
Everything else is the real decoder, the real OpenCV video path and SQLite.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from click.testing import CliRunner

from station.core.confirmation import CodeOutcome, Signer
from station.core.event import kyoto_defaults
from station.core.models import Category, Entrant, Sex
from station.scan import synth
from station.scan.camera import (
    CameraBusy,
    CameraState,
    ImageFolder,
    NoCamera,
    RecoveringCamera,
    VideoFile,
    Webcam,
    frames,
    source_for,
)
from station.scan.hold import HoldFilter, LatestFrame
from station.scan.qr import QrReader, read_codes
from station.store.confirmations import add_public_key
from station.store.event_package import ENTRANT_COLUMNS, EventPackage, entrant_to_row
from station.store.sqlite import transaction

EVENT = "scan-test-2027"
SIGNER = Signer(bytes(range(1, 33)))


def code(entry_no: str, serial: int = 1) -> str:
    return SIGNER.code(EVENT, entry_no, serial)


# -- decoding frames ------------------------------------------------------------------


def test_reads_the_exact_bytes_and_where_the_code_is():
    rng = np.random.default_rng(1)
    for n in range(4):
        shot = synth.frame(code(f"1000{n}"), synth.Condition.CLEAN, rng)
        found = QrReader()(shot.image)
        assert [c.payload for c in found] == [shot.payload]
        xs = [x for x, _ in found[0].corners]
        ys = [y for _, y in found[0].corners]
        assert 0 <= min(xs) < max(xs) <= synth.WIDTH and 0 <= min(ys) < max(ys) <= synth.HEIGHT
        assert max(xs) - min(xs) > 150  # the clean code is about 260 px wide


def test_shift_jis_payload_comes_back_as_the_same_bytes():
    raw = "１０２３４".encode("cp932")
    shot = synth.frame(raw, synth.Condition.CLEAN, np.random.default_rng(2))
    assert [c.payload for c in QrReader()(shot.image)] == [raw]


def test_gray_and_bgr_frames_read_alike():
    shot = synth.frame(code("42"), synth.Condition.PERSPECTIVE, np.random.default_rng(3))
    gray = cv2.cvtColor(shot.image, cv2.COLOR_BGR2GRAY)
    assert QrReader()(gray)[0].payload == QrReader()(shot.image)[0].payload == shot.payload


def test_hard_frames_mostly_read_and_never_wrong():
    shots = list(synth.hard_set([code(f"{n:05d}") for n in range(7)], count=28, seed=11))
    reader = QrReader()
    read = wrong = 0
    for shot in shots:
        payloads = [c.payload for c in reader(shot.image)]
        read += shot.payload in payloads
        wrong += any(p != shot.payload for p in payloads)
    assert wrong == 0
    assert read >= 20  # bench/bench_qr.py measures the full 320-frame set


def test_pipeline_reads_at_least_what_one_zxing_pass_reads():
    shots = list(synth.hard_set([code(f"{n:05d}") for n in range(7)], count=21, seed=5))
    plain = sum(any(c.payload == s.payload for c in read_codes(s.image)) for s in shots)
    ours = sum(any(c.payload == s.payload for c in QrReader()(s.image)) for s in shots)
    assert ours >= plain


def test_nothing_in_an_empty_frame():
    assert QrReader()(synth.empty_frame(np.random.default_rng(4))) == ()


# -- video and image folders through the real OpenCV path -----------------------------------


@pytest.fixture(scope="module")
def counter_video(tmp_path_factory) -> tuple[Path, list[bytes]]:
    """Nobody, runner A holds up a code for 20 frames, nobody, runner B for 12."""
    rng = np.random.default_rng(9)
    shown = [code("20001").encode(), code("20002").encode()]
    images = [synth.empty_frame(rng) for _ in range(5)]
    images += [synth.frame(shown[0], synth.Condition.CLEAN, rng).image for _ in range(20)]
    images += [synth.empty_frame(rng) for _ in range(8)]
    images += [synth.frame(shown[1], synth.Condition.CLEAN, rng).image for _ in range(12)]
    path = tmp_path_factory.mktemp("video") / "counter.avi"
    synth.write_video(path, images)
    return path, shown


def test_video_replays_through_videocapture_and_each_code_is_submitted_once(counter_video):
    path, shown = counter_video
    reader, hold = QrReader(), HoldFilter(release_frames=5, release_s=0.2)
    submitted, count = [], 0
    for index, image in enumerate(frames(VideoFile(path))):
        count += 1
        submitted += hold.feed((c.payload for c in reader(image)), now=index / 15)
    assert count == 45
    assert submitted == shown


def test_holding_the_same_code_up_again_later_submits_it_again():
    hold = HoldFilter(release_frames=3, release_s=0.5)
    a = b"BS1:A"
    assert hold.feed([a], 0.0) == [a]
    assert hold.feed([], 0.1) == []  # one blurred frame is not the sheet going away
    assert hold.feed([a], 0.2) == []
    for t in (0.3, 0.4, 0.5, 0.9):
        assert hold.feed([], t) == []
    assert a not in hold.held
    assert hold.feed([a], 1.0) == [a]


def test_latest_frame_drops_what_the_decoder_had_no_time_for():
    box: LatestFrame[int] = LatestFrame()
    for n in range(5):
        box.offer(n)
    assert box.take(0) == 4
    assert box.dropped == 4 and box.take(0) is None


def test_image_folder_source_reads_pictures_in_name_order(tmp_path):
    folder = tmp_path / "受付の写真"  # cv2.imread fails on such paths on Windows; we do not
    folder.mkdir()
    rng = np.random.default_rng(6)
    payloads = [code("30001").encode(), code("30002").encode()]
    for name, payload in zip(("b.png", "a.jpg"), payloads, strict=True):
        _, data = cv2.imencode(Path(name).suffix, synth.frame(payload, synth.Condition.CLEAN, rng).image)
        (folder / name).write_bytes(data.tobytes())
    (folder / "notes.txt").write_text("not a picture")
    read = [QrReader()(image)[0].payload for image in frames(ImageFolder(folder))]
    assert read == [payloads[1], payloads[0]]


def test_camera_setting_chooses_the_source(tmp_path, counter_video):
    assert isinstance(source_for("0"), Webcam)
    assert isinstance(source_for(str(counter_video[0])), VideoFile)
    assert isinstance(source_for(str(tmp_path)), ImageFolder)
    with pytest.raises(Exception, match="neither a webcam number"):
        source_for(str(tmp_path / "missing.avi"))


# -- the webcam: the only imitated part ---------------------------------------------------


class UnpluggableCapture:
    """Stands in for cv2.VideoCapture(index): real frames from a video file,
    but it can be unplugged (reads fail, reopening finds nothing) and replugged."""

    plugged = True
    busy = False

    def __init__(self, video: Path) -> None:
        self._cap = cv2.VideoCapture(str(video)) if type(self).plugged else None

    def isOpened(self) -> bool:
        return self._cap is not None and self._cap.isOpened()

    def set(self, prop: int, value: float) -> bool:
        return True

    def read(self):
        if not type(self).plugged or type(self).busy or self._cap is None:
            return False, None
        ok, image = self._cap.read()
        if not ok:  # loop the recording like a live camera
            self._cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, image = self._cap.read()
        return ok, image

    def release(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


@pytest.fixture
def fake_webcam(counter_video):
    class Capture(UnpluggableCapture):
        plugged, busy = True, False

    def factory(index: int, api: int):
        return Capture(counter_video[0])

    return Capture, factory


def test_an_unplugged_webcam_comes_back_without_a_restart(fake_webcam):
    capture, factory = fake_webcam
    now = [0.0]
    camera = RecoveringCamera(Webcam(0, capture=factory), clock=lambda: now[0])
    assert camera.read().state is CameraState.LIVE
    capture.plugged = False
    states = [camera.read().state for _ in range(3)]
    assert states[-1] is CameraState.RECONNECTING
    grab = camera.read()
    assert grab.frame is None and "USB" in grab.message
    now[0] += 1.0
    assert camera.read().state is CameraState.RECONNECTING  # still unplugged: try later
    capture.plugged = True
    assert camera.read().state is CameraState.RECONNECTING  # waiting out the backoff
    now[0] += 5.0
    grab = camera.read()
    assert grab.state is CameraState.LIVE and grab.frame is not None


def test_no_camera_and_busy_camera_are_messages_not_crashes(fake_webcam):
    capture, factory = fake_webcam
    capture.plugged = False
    with pytest.raises(NoCamera, match="plug in the USB webcam"):
        Webcam(0, capture=factory).open()
    grab = RecoveringCamera(Webcam(0, capture=factory)).read()
    assert grab.state is CameraState.NO_CAMERA and grab.frame is None
    capture.plugged, capture.busy = True, True
    with pytest.raises(CameraBusy, match="another program"):
        Webcam(0, capture=factory).open()
    assert RecoveringCamera(Webcam(0, capture=factory)).read().state is CameraState.BUSY


def test_a_real_missing_webcam_is_a_clear_message():
    grab = RecoveringCamera(Webcam(57)).read()  # no camera 57 on any test machine
    assert grab.state is CameraState.NO_CAMERA and "camera 57" in grab.message


# -- `station scan` on a real event package ----------------------------------------------------


def make_event(path: Path, entries: list[str], *, allow_unsigned: bool = False) -> None:
    settings = kyoto_defaults(EVENT, "Scan Test Marathon", dt.date(2027, 2, 21)).with_changes(
        allow_unsigned_codes=allow_unsigned
    )
    package = EventPackage.create(path, settings)
    try:
        placeholders = ", ".join("?" * len(ENTRANT_COLUMNS))
        with transaction(package.conn, path):
            package.conn.executemany(
                f"INSERT INTO entrant ({', '.join(ENTRANT_COLUMNS)}) VALUES ({placeholders})",
                [entrant_to_row(Entrant(
                    entry_no=no, bib=str(5000 + i), family_kanji="山田", given_kanji=f"太郎{i}",
                    family_kana="ヤマダ", given_kana="タロウ", family_latin="Yamada", given_latin="Taro",
                    sex=Sex.MALE, birth_date=dt.date(1990, 1, 1), nationality="JP",
                    category=Category.GENERAL, start_block="A", email=f"r{i}@example.com",
                )) for i, no in enumerate(entries)],
            )
        add_public_key(package, SIGNER.public_raw)
    finally:
        package.close()


def test_scan_command_names_the_entrant_and_the_verdict(tmp_path):
    from station.commands.scan import scan

    event = tmp_path / "event.sqlite"
    make_event(event, ["40001", "40002"])
    rng = np.random.default_rng(8)
    pictures = []
    for name, payload in (("good.png", code("40001")), ("other.png", SIGNER.code("osaka", "40002", 1)),
                          ("empty.png", None)):
        image = synth.frame(payload, synth.Condition.PERSPECTIVE, rng).image if payload else \
            synth.empty_frame(rng)
        cv2.imwrite(str(tmp_path / name), image)
        pictures.append(str(tmp_path / name))

    result = CliRunner().invoke(scan, [*pictures, "--event", str(event), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["outcome"], r["entry_no"]) for r in lines] == [
        (CodeOutcome.VALID.value, "40001"), (CodeOutcome.WRONG_EVENT.value, "40002")]
    assert lines[0]["entrant"]["name"] == "山田 太郎0" and lines[0]["entrant"]["bib"] == "5000"
    assert lines[0]["accepted"] is True and lines[1]["accepted"] is False

    human = CliRunner().invoke(scan, [*pictures, "--event", str(event)])
    assert "VALID" in human.output and "bib 5000" in human.output
    assert "empty.png: no QR code found in 1 frame" in human.output


def test_scan_command_on_a_video_and_without_an_event(counter_video):
    from station.commands.scan import scan

    path, shown = counter_video
    result = CliRunner().invoke(scan, [str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.count("not checked") == 2
    assert shown[0].decode()[:40] in result.output


def test_scan_command_exits_1_when_nothing_is_found(tmp_path):
    from station.commands.scan import scan

    cv2.imwrite(str(tmp_path / "empty.png"), synth.empty_frame(np.random.default_rng(1)))
    assert CliRunner().invoke(scan, [str(tmp_path / "empty.png")]).exit_code == 1


def test_no_camera_backs_off_quietly_and_says_it_once(caplog):
    """No webcam at all: OpenCV's warnings are off while trying, the tries thin out
    to one every 30 s, and the log says it once, not at every try."""
    import logging

    from cv2.utils import logging as cv_logging

    levels = []

    class Missing:
        def __init__(self, index, api):
            levels.append(cv_logging.getLogLevel())

        def isOpened(self):
            return False

        def release(self):
            pass

    now = [0.0]
    before = cv_logging.getLogLevel()
    camera = RecoveringCamera(Webcam(0, capture=Missing), clock=lambda: now[0])
    with caplog.at_level(logging.INFO, logger="station.scan.camera"):
        for _ in range(6000):  # ten minutes, read every 0.1 s as the worker does
            assert camera.read().state is CameraState.NO_CAMERA
            now[0] += 0.1
    assert set(levels) == {cv_logging.LOG_LEVEL_ERROR}  # OpenCV kept quiet during every try
    assert cv_logging.getLogLevel() == before  # and put back after
    assert len(levels) <= 25, len(levels)
    assert len([r for r in caplog.records if "No camera" in r.getMessage()]) == 1
