"""The bib's Code128 and QR geometry from zxing-cpp."""

from __future__ import annotations

from station.printing.codes import code128, qr


def test_code128_bars_are_the_standard_pattern() -> None:
    # Start C, 14 61 (code C), code B "5", checksum, stop: what python-barcode produced before.
    expected = "1101001110010011001110110010000101011110111011011100100100110001001100011101011"
    bars = code128("14615")
    drawn = ["0"] * bars.modules
    for start, width in bars.bars:
        drawn[start:start + width] = "1" * width
    assert "".join(drawn) == expected and bars.modules == len(expected)


def test_qr_runs_cover_a_square_with_its_finder_patterns() -> None:
    modules = qr("kyoto-2027:12345")
    assert modules.size in (21, 25)  # version 1 or 2 at error correction M
    dark = {(y, x) for y, start, length in modules.runs for x in range(start, start + length)}
    for y0, x0 in ((0, 0), (0, modules.size - 7), (modules.size - 7, 0)):  # the three 7x7 finders
        assert all((y0, x0 + i) in dark and (y0 + 6, x0 + i) in dark for i in range(7))
        assert (y0 + 1, x0 + 1) not in dark and (y0 + 3, x0 + 3) in dark
