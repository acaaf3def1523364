"""Which characters the bib font can draw, read from the font file itself.

Pure Python (the font's `cmap` table), so `station nicknames check` and the
hub can refuse a character the bib would print as an empty box without
starting Qt.
"""

from __future__ import annotations

import struct
from functools import cache
from pathlib import Path

from station.resources import asset

BIB_FONT_FILE = "ipaexg.ttf"


def font_characters(path: Path) -> frozenset[int]:
    """The code points `path` (a TrueType/OpenType font) maps to a glyph."""
    data = path.read_bytes()
    (num_tables,) = struct.unpack_from(">H", data, 4)
    cmap_at = None
    for i in range(num_tables):
        tag, _checksum, offset, _length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if tag == b"cmap":
            cmap_at = offset
    if cmap_at is None:
        raise ValueError(f"{path} has no character map")
    _version, count = struct.unpack_from(">HH", data, cmap_at)
    subtables = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap_at + 4 + 8 * i)
        subtables[(platform, encoding)] = cmap_at + offset
    if (3, 10) in subtables:
        return _format12(data, subtables[(3, 10)])
    if (3, 1) in subtables:
        return _format4(data, subtables[(3, 1)])
    raise ValueError(f"{path} has no Unicode character map")


def _format12(data: bytes, at: int) -> frozenset[int]:
    (groups,) = struct.unpack_from(">I", data, at + 12)
    points: set[int] = set()
    for i in range(groups):
        start, end, _glyph = struct.unpack_from(">III", data, at + 16 + 12 * i)
        points.update(range(start, end + 1))
    return frozenset(points)


def _format4(data: bytes, at: int) -> frozenset[int]:
    (seg_x2,) = struct.unpack_from(">H", data, at + 6)
    segs = seg_x2 // 2
    ends_at = at + 14
    starts_at = ends_at + seg_x2 + 2
    deltas_at = starts_at + seg_x2
    ranges_at = deltas_at + seg_x2
    points: set[int] = set()
    for i in range(segs):
        end = struct.unpack_from(">H", data, ends_at + 2 * i)[0]
        start = struct.unpack_from(">H", data, starts_at + 2 * i)[0]
        delta = struct.unpack_from(">h", data, deltas_at + 2 * i)[0]
        range_offset = struct.unpack_from(">H", data, ranges_at + 2 * i)[0]
        for code in range(start, min(end, 0xFFFE) + 1):
            if range_offset == 0:
                glyph = (code + delta) & 0xFFFF
            else:
                where = ranges_at + 2 * i + range_offset + 2 * (code - start)
                glyph = struct.unpack_from(">H", data, where)[0]
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph:
                points.add(code)
    return frozenset(points)


@cache
def bib_font_characters() -> frozenset[int]:
    return font_characters(asset("fonts", BIB_FONT_FILE))


def bib_font_prints(ch: str) -> bool:
    """For `NicknameChecker(printable=...)`."""
    return ord(ch) in bib_font_characters()
