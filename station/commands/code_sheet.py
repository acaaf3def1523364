"""A printable sheet of provisioning codes: one box per laptop, QR and text, A4.

HTML with the QR pictures inside, so any browser on the hub laptop prints it;
cut along the boxes and put one on each laptop. Each code works once.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

from station.sync.tls import pretty

_STYLE = """
@page { size: A4; margin: 10mm; }
body { font-family: sans-serif; font-size: 9pt; }
h1 { font-size: 12pt; margin: 0 0 4mm; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 4mm; }
.code { border: 1px dashed #555; padding: 3mm; break-inside: avoid; display: flex; gap: 3mm; }
.code img { width: 38mm; height: 38mm; image-rendering: pixelated; }
.code b { font-size: 14pt; }
.code tt { word-break: break-all; font-size: 6.5pt; }
"""


def write_sheet(path: Path, codes: list[tuple[str, str]], url: str, fingerprint: str) -> Path:
    from station.printing.confirmation_sheet import qr_png

    boxes = []
    for name, code in codes:
        png = base64.b64encode(qr_png(code)).decode("ascii")
        boxes.append(
            f'<div class="code"><img alt="QR {html.escape(name)}" src="data:image/png;base64,{png}">'
            f"<div><b>{html.escape(name)}</b><br>この局の設定コード（1回限り）/ this station's code (single use)"
            f"<br><tt>{html.escape(code)}</tt></div></div>"
        )
    pin = f"<br>証明書 / certificate SHA-256: <tt>{pretty(fingerprint)}</tt>" if fingerprint else ""
    text = (
        f'<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>Bib Station codes</title>'
        f"<style>{_STYLE}</style></head><body>"
        f"<h1>Bib Station 設定コード / provisioning codes — {html.escape(url)}{pin}</h1>"
        "<p>各ノートPCで「station」を起動し、コードをカメラにかざすか貼り付けてください。"
        "Start Bib Station on each laptop and hold its code up to the camera (or paste it).</p>"
        f'<div class="grid">{"".join(boxes)}</div></body></html>'
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
