"""QR decoding on synthetic 1280x720 counter frames: zxing-cpp, OpenCV and our pipeline.

    .venv/bin/python bench/bench_qr.py [--frames 320] [--empty 40]

Every decoder sees the same frames in the same run: a HARD set cycling through
perspective, blur, noise, low contrast, glare, small codes and phone screens
(station/scan/synth.py, fixed seed), plus frames with no code at all, which is
what a counter's camera sees most of the time. A frame counts as read only
when the decoder returns the exact payload bytes. Times are per frame,
CPU time of one thread (cv2.setNumThreads(1)), so a busy machine does not inflate them.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from station.core.confirmation import Signer
from station.scan import qr, synth

Decoder = Callable[[np.ndarray], list[bytes]]


def zxing_plain(frame: np.ndarray) -> list[bytes]:
    return [c.payload for c in qr.read_codes(frame)]


def zxing_pipeline(reader: qr.QrReader) -> Decoder:
    return lambda frame: [c.payload for c in reader(frame)]


RAISED: collections.Counter[str] = collections.Counter()


def opencv(name: str, detector) -> Decoder:
    def decode(frame: np.ndarray) -> list[bytes]:
        try:
            payload, _points, _straight = detector.detectAndDecodeBytes(frame)
        except cv2.error:
            # OpenCV 5.0 raises "Not enough bits in the bitstream" when its
            # sampling of a slanted version-6 code goes wrong.
            RAISED[name] += 1
            return []
        return [bytes(payload)] if payload else []

    return decode


def decoders() -> dict[str, Decoder]:
    found: dict[str, Decoder] = {
        "zxing-cpp (one pass)": zxing_plain,
        "our pipeline before (zxing-cpp + crop retries)": zxing_pipeline(qr.QrReader(fallback=False)),
        "our pipeline (+ half-size/global fallback)": zxing_pipeline(qr.QrReader()),
        "OpenCV QRCodeDetector": opencv("OpenCV QRCodeDetector", cv2.QRCodeDetector()),
    }
    if hasattr(cv2, "QRCodeDetectorAruco"):
        name = "OpenCV QRCodeDetectorAruco"
        found[name] = opencv(name, cv2.QRCodeDetectorAruco())
    wechat = _wechat()
    if wechat is None:
        print("(OpenCV WeChat QR: not installed here; it needs opencv-contrib-python-headless<5 "
              f"in a venv of its own and the models in {WECHAT_MODELS})")
    else:
        ours = zxing_pipeline(qr.QrReader())
        found["OpenCV WeChat (CNN detector + SR)"] = wechat
        found["our pipeline, then WeChat if nothing read"] = (
            lambda frame: ours(frame) or wechat(frame))
    return found


WECHAT_MODELS = Path(__file__).resolve().parents[2] / "shared" / "models" / "wechat_qrcode"


def _wechat() -> Decoder | None:
    """OpenCV's WeChat detector (a CNN finds codes, a super-resolution net enlarges
    small ones), measured as issue 15 suggests; the station does not ship it."""
    if not hasattr(cv2, "wechat_qrcode_WeChatQRCode") or not WECHAT_MODELS.exists():
        return None
    m = WECHAT_MODELS
    detector = cv2.wechat_qrcode_WeChatQRCode(str(m / "detect.prototxt"), str(m / "detect.caffemodel"),
                                              str(m / "sr.prototxt"), str(m / "sr.caffemodel"))

    def decode(frame: np.ndarray) -> list[bytes]:
        try:
            texts, _points = detector.detectAndDecode(frame)
        except (cv2.error, UnicodeDecodeError):
            # Its Python binding raises on payloads that are not UTF-8.
            RAISED["OpenCV WeChat (CNN detector + SR)"] += 1
            return []
        return [t.encode("utf-8") for t in texts if t]

    return decode


def matches(payload: bytes, expected: bytes) -> bool:
    """zxing-cpp's samples give the text as UTF-8; many codes hold Shift_JIS or GB bytes."""
    if payload == expected:
        return True
    for encoding in ("utf-8", "shift_jis", "cp932", "gb18030", "latin-1"):
        try:
            if payload.decode(encoding).encode("utf-8") == expected:
                return True
        except UnicodeError:
            continue
    return False


def run_real(misses: bool) -> None:
    """zxing-cpp's own samples (../shared/data/qr-dev): photos of printed codes and
    screens. Read = the exact expected bytes among what the decoder returned;
    false = anything else it returned."""
    from bench.real_data import QR_DIR, qr_pictures

    if not QR_DIR.exists():
        print(f"(real pictures skipped: {QR_DIR} is absent)")
        return
    pictures = [(p, cv2.imread(str(p.path), cv2.IMREAD_COLOR)) for p in qr_pictures()]
    print(f"\nReal pictures ({QR_DIR}): {len(pictures)} with a known payload")
    print(f"{'decoder':42s} {'read':>9s} {'median':>8s} {'p90':>8s} {'false':>5s}")
    for name, decode in decoders().items():
        decode(pictures[0][1])
        read, times, wrong, missed = 0, [], 0, []
        for pic, image in pictures:
            t = time.thread_time()
            got = decode(image)
            times.append(time.thread_time() - t)
            ok = any(matches(p, pic.payload) for p in got)
            read += ok
            # Some pictures hold two codes (a double QR): others alongside the
            # expected one are not false reads; a different code instead of it is.
            bad = [] if ok else got
            wrong += len(bad)
            if not ok or bad:
                missed.append(f"{'FALSE' if bad else 'miss'} {pic.path.parent.name}/{pic.path.name}")
        print(f"{name:42s} {read:>4d}/{len(pictures):<4d} {statistics.median(times) * 1000:6.1f}ms"
              f" {np.percentile(times, 90) * 1000:6.1f}ms {wrong:>5d}", flush=True)
        if misses:
            print("    " + ", ".join(missed))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, default=320)
    parser.add_argument("--empty", type=int, default=40)
    parser.add_argument("--real", type=int, default=1,
                        help="1: also run the real pictures of ../shared/data/qr-dev (0: skip)")
    parser.add_argument("--misses", action="store_true", help="list the real pictures each decoder missed")
    args = parser.parse_args()
    # Times are CPU time of this thread on one core (the machine may be busy).
    cv2.setNumThreads(1)
    # OpenCV's QR decoder warns about ECI on every frame.
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)

    signer = Signer(bytes(range(32)))
    payloads = [signer.code("kyoto-2027", f"{100000 + i}", 1 + i % 3) for i in range(64)]
    started = time.perf_counter()
    frames = list(synth.hard_set(payloads, args.frames))
    rng = np.random.default_rng(7)
    empties = [synth.empty_frame(rng) for _ in range(args.empty)]
    print(f"{len(frames)} hard frames + {len(empties)} empty frames, 1280x720, "
          f"made in {time.perf_counter() - started:.1f} s; cv2 {cv2.__version__}")

    conditions = list(synth.HARD)
    header = f"{'decoder':42s} {'read':>9s} {'median':>8s} {'p90':>8s} {'empty med':>9s} {'false':>5s}  "
    print(header + " ".join(f"{c.value[:8]:>8s}" for c in conditions))
    for name, decode in decoders().items():
        if not frames:
            break
        decode(frames[0].image)  # warm up
        read, times, wrong = collections.Counter(), [], 0
        for f in frames:
            t = time.thread_time()
            got = decode(f.image)
            times.append(time.thread_time() - t)
            if f.payload in got:
                read[f.condition] += 1
            wrong += any(p != f.payload for p in got)
        empty_times = []
        for image in empties:
            t = time.thread_time()
            wrong += len(decode(image))
            empty_times.append(time.thread_time() - t)
        total = sum(read.values())
        per = [f"{read[c]:>3d}/{sum(1 for f in frames if f.condition is c):<4d}" for c in conditions]
        print(f"{name:42s} {total:>4d}/{len(frames):<4d} {statistics.median(times) * 1000:6.1f}ms"
              f" {np.percentile(times, 90) * 1000:6.1f}ms {statistics.median(empty_times) * 1000:7.1f}ms"
              f" {wrong:>5d}  " + " ".join(per))
    if args.real:
        run_real(args.misses)
    for name, count in RAISED.items():
        print(f"{name} raised cv2.error on {count} of {len(frames) + len(empties)} frames")


if __name__ == "__main__":
    main()
