"""MRZ reading on synthetic 1280x720 webcam frames: our reader against RapidOCR and Tesseract.

    PYTHONPATH=. .venv/bin/python bench/bench_mrz.py [--easy 45] [--hard 45] [--corrupted 20]
        [--engines ours,rapidocr,tesseract]

Frames come from tests/mrz_frames.py (OCR-B from Debian's fonts-ocr-b; random
valid TD1/TD2/TD3 data; "easy": the document fills the frame, "hard": held
too far from a 720p camera; "corrupted": one printed digit changed, so no
valid reading exists, in every pose of POSES; "posed": valid documents tilted,
upside down or sideways). With ../shared/data present, also the real pictures
of mrz-dev at their own scale and at webcam scale. Per engine and set:

- exact: the reading is check-digit valid and equals the printed MRZ,
- valid: the reading is check-digit valid (what the counter would accept),
- false: valid but not what is printed (target 0),
- time per frame (median, 90th percentile).

Third-party engines get the same help as ours afterwards (layout-aware
look-alike repair with check digits, station.core.mrz.repair). RapidOCR runs
on the full frame with its own text detector; stock Tesseract cannot find an
MRZ in a full frame, so it is given our rectified band.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as station/__init__.py; before NumPy

import cv2
import numpy as np

from station.core import mrz
from tests.mrz_frames import SyntheticFrame, frame_sequence, make_frame

TESSDATA = "/usr/share/tesseract-ocr/5/tessdata"
Engine = Callable[[np.ndarray], "mrz.MrzRecord | None"]


def ours() -> Engine:
    from station.scan.mrz_reader import MrzReader

    reader = MrzReader()

    def read(frame: np.ndarray) -> mrz.MrzRecord | None:
        reading = reader.read(frame)
        return reading.record if reading else None

    return read


def _from_text(texts: list[str]) -> mrz.MrzRecord | None:
    """MRZ lines from an OCR's text lines: cleaned, fitted to a known length, repaired."""
    cleaned = []
    for text in texts:
        t = text.upper().replace(" ", "").replace("«", "<<").replace("‹", "<")
        t = "".join(c for c in t if c in mrz.ALPHABET)
        if len(t) >= 26:
            cleaned.append(t)
    for fmt in (mrz.MrzFormat.TD3, mrz.MrzFormat.TD2, mrz.MrzFormat.TD1):
        rows, width = fmt.shape
        near = [t for t in cleaned if abs(len(t) - width) <= 3]
        for start in range(0, len(near) - rows + 1):
            lines = [(t + "<" * width)[:width] for t in near[start:start + rows]]
            record = mrz.repair(lines)
            # Same rule as ours: names are not check-digit covered, so a name
            # field of the wrong shape (KKKK for <<<<) is refused, not accepted.
            if record is not None and _names_ok(record):
                return record
    return None


def _names_ok(record: mrz.MrzRecord) -> bool:
    row, start, end = mrz.name_span(record.format)
    return mrz.names_well_formed(record.lines[row][start:end])


def rapidocr() -> Engine:
    from rapidocr import RapidOCR

    engine = RapidOCR()

    def read(frame: np.ndarray) -> mrz.MrzRecord | None:
        result = engine(frame)
        return _from_text(list(result.txts or ()))

    return read


def tesseract() -> Engine:
    import tesserocr

    from station.scan import mrz_band

    api = tesserocr.PyTessBaseAPI(path=TESSDATA, lang="eng", psm=tesserocr.PSM.SINGLE_BLOCK)
    api.SetVariable("tessedit_char_whitelist", mrz.ALPHABET)

    def read(frame: np.ndarray) -> mrz.MrzRecord | None:
        gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        for scale in (0.5, 1.0):
            groups = mrz_band.group_lines(mrz_band.find_text_lines(gray, scale))
            for group in groups[:2]:
                fmt = mrz_band.formats_for(len(group))[0]
                band = mrz_band.rectify(gray, group, fmt.shape[1]).image
                band = np.ascontiguousarray(band)
                api.SetImageBytes(band.tobytes(), band.shape[1], band.shape[0], 1, band.shape[1])
                record = _from_text(api.GetUTF8Text().splitlines())
                if record is not None:
                    return record
        return None

    return read


# How a counter sees documents: as placed, tilted, upside down, sideways.
POSES: list[dict] = [{}, {"tilt": 15}, {"tilt": -25}, {"turn": 2}, {"tilt": 28}, {"turn": 1},
                     {"turn": 3}]

ENGINES = {"ours": ours, "rapidocr": rapidocr, "tesseract": tesseract}


def ours_with(path: str) -> Callable[[], Engine]:
    def make() -> Engine:
        from pathlib import Path

        from station.scan.mrz_glyphs import GlyphModel
        from station.scan.mrz_reader import MrzReader

        reader = MrzReader(GlyphModel.load(Path(path)))

        def read(frame: np.ndarray) -> mrz.MrzRecord | None:
            reading = reader.read(frame)
            return reading.record if reading else None

        return read

    return make


def run_real(name: str, engine: Engine, pictures: list, misses: bool) -> None:
    """The real pictures at their own scale and at webcam scale (document ~500 px wide
    in a 1280x720 frame): exact reads of valid documents, false accepts over all."""
    from bench.real_data import webcam_scale

    for set_name, prepare in (("real", lambda im: im), ("real-720p", webcam_scale)):
        exact: dict[str, int] = {}
        false, times, missed = 0, [], []
        for pic in pictures:
            image = prepare(pic.image)
            started = time.thread_time()
            record = engine(image)
            times.append((time.thread_time() - started) * 1000)
            ok = record is not None and record.valid and pic.valid and record.lines == pic.lines
            exact[pic.format] = exact.get(pic.format, 0) + ok
            if record is not None and record.valid and not ok:
                false += 1
                missed.append(f"FALSE {pic.path.name}: {' / '.join(record.lines)}")
            elif pic.valid and not ok:
                missed.append(f"miss {pic.path.name}")
        valid = [p for p in pictures if p.valid]
        total = sum(exact.get(f, 0) for f in ("TD1", "TD2", "TD3"))
        per = " ".join(f"{f} {exact.get(f, 0)}/{sum(1 for p in valid if p.format == f)}"
                       for f in ("TD1", "TD2", "TD3"))
        times.sort()
        p90 = times[int(0.9 * (len(times) - 1))]
        print(f"| {name:10} | {set_name:9} | {len(pictures):3} | {total:2}/{len(valid)} "
              f"({100 * total / len(valid):3.0f} %) | {per} | {false:5} "
              f"| {statistics.median(times):7.0f} | {p90:7.0f} |", flush=True)
        if misses:
            for line in missed:
                print(f"    {line}")


def run(name: str, engine: Engine, sets: dict[str, list[SyntheticFrame]]) -> None:
    for set_name, frames in sets.items():
        if not frames:
            continue
        exact = valid = false = 0
        times = []
        for frame in frames:
            started = time.thread_time()
            record = engine(frame.image)
            times.append((time.thread_time() - started) * 1000)
            if record is None or not record.valid:
                continue
            valid += 1
            right = not frame.corrupted and record.lines == frame.lines
            exact += right
            false += not right
        times.sort()
        p90 = times[int(0.9 * (len(times) - 1))]
        print(f"| {name:10} | {set_name:9} | {len(frames):3} | {exact:5} | {valid:5} | {false:5} "
              f"| {statistics.median(times):7.0f} | {p90:7.0f} |", flush=True)


def run_tracker(sets: dict[str, list[list[SyntheticFrame]]]) -> None:
    """Our acceptance rule end to end: 3 frames of one document through MrzTracker."""
    from station.scan.mrz_reader import MrzReader, MrzTracker

    reader = MrzReader()
    for set_name, sequences in sets.items():
        accepted = exact = false = 0
        for frames in sequences:
            tracker = MrzTracker()
            result = None
            for frame in frames:
                result = tracker.update(reader.read(frame.image)) or result
            if result is None:
                continue
            accepted += 1
            right = not frames[0].corrupted and result.record.lines == frames[0].lines
            exact += right
            false += not right
        print(f"| tracker    | {set_name:9} | {len(sequences):3} | {exact:5} | {accepted:5} "
              f"| {false:5} |", flush=True)


class _Loaded:
    """A real picture with its pixels read once."""

    def __init__(self, pic) -> None:
        self.__dict__.update(pic.__dict__)
        self.image = cv2.imread(str(pic.path), cv2.IMREAD_COLOR)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--easy", type=int, default=45)
    parser.add_argument("--hard", type=int, default=45)
    parser.add_argument("--corrupted", type=int, default=20)
    parser.add_argument("--posed", type=int, default=0,
                        help="valid documents held tilted 15-28 degrees, upside down or sideways")
    parser.add_argument("--engines", default="ours,rapidocr,tesseract")
    parser.add_argument("--model", action="append", default=[], metavar="NAME=PATH",
                        help="also run our reader with another glyph model (e.g. the previous one)")
    parser.add_argument("--real", type=int, default=1,
                        help="1: also run the real pictures of ../shared/data/mrz-dev (0: skip)")
    parser.add_argument("--misses", action="store_true", help="list the real pictures each engine missed")
    parser.add_argument("--sequences", type=int, default=0,
                        help="also run N 3-frame sequences per set through MrzTracker")
    parser.add_argument("--start", type=int, default=0,
                        help="first frame seed (the reader was tuned on seeds 0-44)")
    args = parser.parse_args()
    # Times are CPU time of this thread on one core (the machine may be busy).
    cv2.setNumThreads(1)
    started = time.perf_counter()
    sets = {
        "easy": [make_frame(args.start + i) for i in range(args.easy)],
        "hard": [make_frame(100_000 + args.start + i, hard=True) for i in range(args.hard)],
        "corrupted": [make_frame(200_000 + args.start + i, hard=i % 2 == 1, corrupted=True,
                                 **POSES[(i // 2) % len(POSES)])
                      for i in range(args.corrupted)],
        "posed": [make_frame(400_000 + args.start + i, **POSES[1 + i % (len(POSES) - 1)])
                  for i in range(args.posed)],
    }
    print(f"{sum(map(len, sets.values()))} frames made in {time.perf_counter() - started:.0f} s")
    print("| engine     | set       |   n | exact | valid | false | median ms | p90 ms |")
    print("|------------|-----------|-----|-------|-------|-------|-----------|--------|")
    makers = {name: ENGINES[name] for name in args.engines.split(",") if name}
    for spec in args.model:
        label, _, path = spec.partition("=")
        makers[label] = ours_with(path)
    engines: dict[str, Engine] = {}
    for name, make in makers.items():
        try:
            engines[name] = make()
        except ImportError as exc:
            print(f"| {name:10} | not installed: {exc} |")
    for name, engine in engines.items():
        run(name, engine, sets)
    if args.real:
        from bench.real_data import MRZ_DIR, mrz_pictures

        if not MRZ_DIR.exists():
            print(f"(real pictures skipped: {MRZ_DIR} is absent)")
        else:
            pictures = [_Loaded(p) for p in mrz_pictures()]
            print(f"\nReal pictures ({MRZ_DIR}): {len(pictures)}, "
                  f"{sum(p.valid for p in pictures)} valid documents; the rest are controls")
            print("| engine     | set       |   n | exact valid docs | per format "
                  "| false | median ms | p90 ms |")
            print("|------------|-----------|-----|------------------|------------"
                  "|-------|-----------|--------|")
            for name, engine in engines.items():
                run_real(name, engine, pictures, args.misses)
    if args.sequences:
        n, s0 = args.sequences, 300_000 + args.start
        print("| (3-frame sequences: n = documents, valid = accepted by 2 of 3) |")
        run_tracker({
            "easy": [frame_sequence(s0 + i) for i in range(n)],
            "hard": [frame_sequence(s0 + 100_000 + i, hard=True) for i in range(n)],
            "corrupted": [frame_sequence(s0 + 200_000 + i, hard=i % 2 == 1, corrupted=True)
                          for i in range(n)],
        })


if __name__ == "__main__":
    main()
