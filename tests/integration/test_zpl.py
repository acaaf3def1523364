"""ZPL bibs for Zebra printers, checked two ways for the three layouts: a strict
parser of our own (every command known, every field closed and on the label),
and zplkit (from PyPI), which renders the ZPL as a printer would; the
rendered label's Code 128 and QR code are then read back with zxing-cpp."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from station.core.errors import StationError
from station.core.event import BibLayout
from station.printing.face import BibFace
from station.printing.glyphs import BIB_FONT_FILE
from station.printing.zpl import PAPER_MM, ZplOptions, bib_zpl

zplkit = pytest.importorskip("zplkit", reason="zplkit renders ZPL in tests: pip install zplkit")
zplkit_rendering = pytest.importorskip("zplkit.rendering")
zxingcpp = pytest.importorskip("zxingcpp")
Image = pytest.importorskip("PIL.Image")

ROOT = Path(__file__).resolve().parents[2]
FONT_NAME = "E:BIBFONT.TTF"
RUNNER = BibFace("京都マラソン2027 Kyoto Marathon", "12345", "ジェームズ", "B", "#f46036", "一般 GENERAL",
                 code="kyoto-2027:12345")
ESCORT = BibFace("京都マラソン2027 Kyoto Marathon", "12346", "", "B", "#f46036", "一般 GENERAL",
                 escorting_bib="12345", code="kyoto-2027:12346")


# -- a strict parser -----------------------------------------------------------

KNOWN = {"XA", "XZ", "CI", "PW", "LL", "LH", "PO", "CW", "FO", "GB", "FR", "A0", "A1", "FB", "FH", "FD", "FS",
         "BY", "BC", "BQ"}


@dataclass
class Field:
    origin: tuple[int, int]
    commands: list[tuple[str, str]] = field(default_factory=list)
    data: str = ""

    def command(self, name: str) -> str | None:
        return next((args for cmd, args in self.commands if cmd == name), None)


@dataclass
class Label:
    width: int
    length: int
    fields: list[Field]

    def texts(self) -> list[str]:
        return [f.data for f in self.fields if f.command("A1") is not None or f.command("A0") is not None]


def parse_strict(zpl: str) -> Label:
    body = zpl.strip()
    assert body.startswith("^XA") and body.endswith("^XZ"), "one format, ^XA ... ^XZ"
    assert body.count("^XA") == 1 and body.count("^XZ") == 1
    assert "~" not in body, "no control commands in a bib"
    tokens = re.findall(r"\^([A-Z][A-Z0-9@])([^\^]*)", body)
    width = length = None
    fields: list[Field] = []
    current: Field | None = None
    for cmd, args in tokens:
        args = args.strip("\n")
        assert cmd in KNOWN, f"unknown command ^{cmd}"
        if cmd == "PW":
            width = int(args)
        elif cmd == "LL":
            length = int(args)
        elif cmd == "FO":
            assert current is None, "^FO inside an open field"
            x, y = (int(v) for v in args.split(","))
            current = Field((x, y))
        elif cmd == "FD":
            assert current is not None, "^FD outside a field"
            current.data = args
        elif cmd == "FS":
            assert current is not None, "^FS without a field"
            assert current.data or current.command("GB") is not None, "a field holds data or a box"
            fields.append(current)
            current = None
        elif current is not None:
            current.commands.append((cmd, args))
    assert current is None, "a field is not closed with ^FS"
    assert width and length, "^PW and ^LL are set"
    for f in fields:
        x, y = f.origin
        assert 0 <= x < width and 0 <= y < length, f"field {f.data!r} starts off the label at {f.origin}"
        box = f.command("GB")
        if box is not None:
            w, h = (int(v) for v in box.split(",")[:2])
            assert x + w <= width and y + h <= length, f"box at {f.origin} runs off the label"
        block = f.command("FB")
        font = f.command("A1") or f.command("A0")
        if block is not None and font is not None:
            orientation, height = font[0], int(font[1:].split(",")[1])
            block_width = int(block.split(",")[0])
            across, down = (width - x, length - y) if orientation == "N" else (length - y, width - x)
            assert block_width <= across + 1, f"text {f.data!r} is wider than the label"
            assert height <= down + 1, f"text {f.data!r} is taller than the label"
    return Label(width, length, fields)


# -- rendering as a printer would ----------------------------------------------

@cache
def font_download() -> bytes:
    font = (ROOT / "assets" / "fonts" / BIB_FONT_FILE).read_bytes()
    return f"~DY{FONT_NAME},B,T,{len(font)},,".encode() + font


def render(zpl: str, dpi: int):  # -> a PIL image
    limits = zplkit_rendering.Limits(input_bytes=64_000_000, font_bytes=64_000_000, field_bytes=1_000_000)
    document = zplkit.render(font_download() + zpl.encode("utf-8"), zplkit.Options(dpi=dpi), limits=limits)
    assert len(document.labels) == 1
    return Image.open(io.BytesIO(document.labels[0].png())).convert("L")


def codes(image) -> dict[str, str]:
    return {r.format.name: r.text for r in zxingcpp.read_barcodes(image)}


def dark_share(image, box: tuple[int, int, int, int]) -> float:
    pixels = image.crop(box).tobytes()  # one byte a pixel ("L")
    return sum(1 for p in pixels if p < 128) / max(len(pixels), 1)


WIDE = ZplOptions(dpi=203, head_mm=320, font=FONT_NAME)  # a head wide enough for every layout


@pytest.mark.parametrize("layout", list(BibLayout))
@pytest.mark.parametrize("face", [RUNNER, ESCORT], ids=["runner", "escort"])
def test_each_layout_parses_strictly_and_renders_with_readable_codes(layout: BibLayout, face: BibFace) -> None:
    zpl = bib_zpl(face, layout, WIDE)
    label = parse_strict(zpl)
    width_mm, height_mm = PAPER_MM[layout]
    assert abs(label.width - width_mm * 8) <= 1.5 * width_mm / 25 and abs(label.length - height_mm * 8) <= 12
    texts = label.texts()
    assert face.bib in texts and face.event_name in texts and face.category in texts
    assert face.start_block in texts
    if face.is_escort:
        assert f"伴走 GUIDE　ランナー RUNNER {face.escorting_bib}" in texts
    else:
        assert face.nickname in texts
    qr = next(f for f in label.fields if f.command("BQ") is not None)
    assert qr.data == f"MA,{face.code}"

    image = render(zpl, WIDE.dpi)
    assert image.size == (label.width, label.length)
    assert codes(image) == {"Code128": face.bib, "QRCode": face.code}
    # The same layout rules as the drawn bib: a 5 % margin left blank all round,
    # the header band solid across the top, the start block's square at the right.
    w, h = image.size
    margin = round(0.05 * h)
    blank = [(0, 0, w, margin - 2), (0, h - margin + 2, w, h), (0, 0, margin - 2, h), (w - margin + 2, 0, w, h)]
    assert all(dark_share(image, box) == 0 for box in blank)
    inner_h = h - 2 * margin
    header = (margin + 2, margin + 2, w - margin - 2, margin + round(0.13 * inner_h) - 2)
    assert dark_share(image, header) > 0.6
    number_height = (0.36 if face.is_escort else 0.42) * inner_h
    side = 0.8 * number_height
    top = margin + 0.16 * inner_h + (number_height - side) / 2
    corner = (round(w - margin - side + 2), round(top + 2), round(w - margin - side + 10), round(top + 10))
    assert dark_share(image, corner) == 1.0


def test_a_label_on_a_four_inch_printer_is_turned_a_quarter_and_still_reads() -> None:
    options = ZplOptions(dpi=203, head_mm=104, font=FONT_NAME)
    zpl = bib_zpl(RUNNER, BibLayout.LABEL_100X150, options)
    label = parse_strict(zpl)
    assert (label.width, label.length) == (799, 1199)  # 100 mm across the head, 150 mm long
    assert all((f.command("A1") or "R").startswith("R") for f in label.fields)
    image = render(zpl, 203)
    assert image.size == (799, 1199)
    assert codes(image) == {"Code128": "12345", "QRCode": "kyoto-2027:12345"}
    # The bib's top (the header band) runs down the label's right-hand side.
    margin = round(0.05 * 799)
    assert dark_share(image, (799 - margin - 30, margin + 10, 799 - margin - 5, 1199 - margin - 10)) > 0.6


def test_at_300_dpi_the_codes_still_read() -> None:
    options = ZplOptions(dpi=300, head_mm=104, font=FONT_NAME)
    zpl = bib_zpl(RUNNER, BibLayout.LABEL_100X150, options)
    assert codes(render(zpl, 300)) == {"Code128": "12345", "QRCode": "kyoto-2027:12345"}


def test_a_bib_too_wide_for_the_head_says_what_to_do() -> None:
    with pytest.raises(StationError, match="100x150 label layout"):
        bib_zpl(RUNNER, BibLayout.A4, ZplOptions(head_mm=104))


def test_field_data_cannot_smuggle_zpl_commands() -> None:
    face = BibFace("Evil ^XZ~JR race", "1", "^FDx", "A", "#000000", "一般 GENERAL", code="e:1")
    label = parse_strict(bib_zpl(face, BibLayout.LABEL_100X150, WIDE))
    assert "Evil _5EXZ_7EJR race" in label.texts() and "_5EFDx" in label.texts()


# -- end to end: the print worker, a raw CUPS queue, a Zebra on the network -----

class FakeZebra:
    """A printer on port 9100 that keeps what it is sent."""

    def __init__(self) -> None:
        import socket
        import threading

        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(4)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.jobs: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(10)
            data = b""
            with conn:
                while chunk := conn.recv(65536):
                    data += chunk
            self.jobs.append(data)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.server.close()


def test_the_print_worker_sends_zpl_to_a_raw_zebra_queue(qtbot, tmp_path: Path) -> None:
    import os
    import shutil
    import subprocess

    from station.core.models import FactKind
    from station.printing.worker import BibPrinter, print_function_for
    from station.store.station_log import StationLog

    if shutil.which("lpadmin") is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("adding a CUPS queue needs CUPS and root")
    zebra = FakeZebra()
    queue = "pool-zebra"
    added = subprocess.run(["lpadmin", "-p", queue, "-v", f"socket://127.0.0.1:{zebra.port}", "-m", "raw", "-E"],
                           capture_output=True, text=True, check=False)
    if added.returncode != 0:
        zebra.close()
        pytest.skip(f"CUPS cannot add a raw queue here: {added.stderr.strip()}")
    log = StationLog.open(tmp_path / "station.sqlite", station_id="counter-1", event_id="kyoto-2027")
    options = ZplOptions(dpi=203, head_mm=104, font=FONT_NAME)
    printer = BibPrinter(log, printer=queue, layout=BibLayout.LABEL_100X150,
                         print_function=print_function_for({queue: options}), timeout_s=30)
    try:
        with qtbot.waitSignal(printer.printed, timeout=30_000) as printed:
            printer.print_bib("E12345", RUNNER, volunteer_id="vol-1")
        qtbot.waitUntil(lambda: bool(zebra.jobs), timeout=10_000)
    finally:
        printer.close()
        log.close()
        subprocess.run(["cancel", "-a", queue], capture_output=True, check=False)
        subprocess.run(["lpadmin", "-x", queue], capture_output=True, check=False)
        zebra.close()
    assert printed.args[0].where == queue and printed.args[0].fact.kind is FactKind.BIB_PRINTED
    sent = zebra.jobs[0].decode("utf-8")
    assert sent == bib_zpl(RUNNER, BibLayout.LABEL_100X150, options)  # byte for byte, nothing added
    assert codes(render(sent, 203)) == {"Code128": "12345", "QRCode": "kyoto-2027:12345"}
