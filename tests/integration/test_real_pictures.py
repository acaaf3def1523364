"""The readers on pictures no one here made (../shared/data, see its README).

Figures below are what the readers reach (docs/BENCHMARKS.md); a change that
reads fewer real documents or codes, or accepts a wrong one, fails here. The
pictures are never copied into the project: without the folder these skip.
"""

from __future__ import annotations

import cv2
import pytest

from bench.real_data import MRZ_DIR, QR_DIR, mrz_pictures, qr_pictures, webcam_scale

# Exact readings of the 33 valid documents in mrz-dev (of 41 pictures).
MRZ_EXACT_ORIGINAL = 30
MRZ_EXACT_WEBCAM = 29
# Exact reads of the 137 qr-dev pictures with a known payload (zxing-cpp alone: 125).
QR_EXACT = 130


def _matches(payload: bytes, expected: bytes) -> bool:
    from bench.bench_qr import matches

    return matches(payload, expected)


@pytest.fixture(scope="module")
def mrz_results():
    if not MRZ_DIR.exists():
        pytest.skip(f"{MRZ_DIR} is absent (real pictures are not part of the repository)")
    from station.scan.mrz_reader import MrzReader

    reader = MrzReader()
    results = {}
    for pic in mrz_pictures():
        image = cv2.imread(str(pic.path), cv2.IMREAD_COLOR)
        for scale, frame in (("original", image), ("webcam", webcam_scale(image))):
            reading = reader.read(frame)
            results[pic.path.name, scale] = (pic, reading.record if reading else None)
    return results


def _exact(results, scale: str) -> int:
    return sum(1 for (_, s), (pic, rec) in results.items()
               if s == scale and rec is not None and pic.valid and rec.lines == pic.lines)


def test_no_real_picture_gives_a_wrong_valid_reading(mrz_results):
    wrong = [f"{name} ({scale}): {' / '.join(rec.lines)}"
             for (name, scale), (pic, rec) in mrz_results.items()
             if rec is not None and rec.valid and not (pic.valid and rec.lines == pic.lines)]
    assert wrong == []


def test_real_documents_read_exactly_at_their_own_scale(mrz_results):
    assert _exact(mrz_results, "original") >= MRZ_EXACT_ORIGINAL


def test_real_documents_read_exactly_at_webcam_scale(mrz_results):
    assert _exact(mrz_results, "webcam") >= MRZ_EXACT_WEBCAM


def test_real_qr_photos_read_more_than_one_zxing_pass_and_never_wrong():
    if not QR_DIR.exists():
        pytest.skip(f"{QR_DIR} is absent (real pictures are not part of the repository)")
    from station.scan import qr

    reader = qr.QrReader()
    ours = plain = 0
    wrong = []
    for pic in qr_pictures():
        image = cv2.imread(str(pic.path), cv2.IMREAD_COLOR)
        got = [c.payload for c in reader(image)]
        hit = any(_matches(p, pic.payload) for p in got)
        ours += hit
        plain += any(_matches(c.payload, pic.payload) for c in qr.read_codes(image))
        if got and not hit:
            wrong.append(pic.path.name)
    assert wrong == []
    assert ours >= QR_EXACT and ours > plain
