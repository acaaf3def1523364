"""Japanese on any machine: the bib's own font (IPAex Gothic, shipped) is the
UI's fallback, so a laptop without a system CJK font shows Japanese, not boxes.

`japanese_coverage()` is what the self-check asks: does the font the widgets
actually use draw every character of a sample of the UI's Japanese?
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QGuiApplication, QRawFont

# Characters the counter shows every minute: kana, kanji, full-width marks.
JAPANESE_SAMPLE = "受付ゼッケン番号本人確認書類引換済みステーション「」、。ー"


def install_japanese_fallback(app: QGuiApplication) -> str:
    """Register the shipped font and put it behind the system's UI font. Returns its family."""
    from station.printing.layout import bib_font_family

    family = bib_font_family()
    font = app.font()
    families = [f for f in (font.families() or [font.family()]) if f != family]
    font.setFamilies([*families, family])
    app.setFont(font)
    return family


def missing_glyphs(font: QFont, text: str = JAPANESE_SAMPLE) -> str:
    """The characters of `text` that no family of `font`'s fallback list can draw."""
    raws = []
    for family in font.families() or [font.family()]:
        candidate = QFont(font)
        candidate.setFamilies([family])
        raw = QRawFont.fromFont(candidate)
        if raw.isValid():
            raws.append(raw)
    return "".join(ch for ch in dict.fromkeys(text) if not any(r.supportsCharacter(ord(ch)) for r in raws))
