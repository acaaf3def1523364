"""The shipped Japanese font is the UI's fallback, and the self-check sees missing glyphs."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

from station.printing.screen_fonts import JAPANESE_SAMPLE, install_japanese_fallback, missing_glyphs


def _latin_only_family() -> str:
    for family in QFontDatabase.families():
        font = QFont(family)
        font.setFamilies([family])
        if missing_glyphs(font, "受付") == "受付" and missing_glyphs(font, "A") == "":
            return family
    raise AssertionError("no Latin-only font on this machine to test with")


def test_a_latin_only_ui_font_is_caught_and_the_shipped_font_fills_in(qapp) -> None:
    latin = _latin_only_family()
    font = QFont(latin)
    font.setFamilies([latin])
    assert set(missing_glyphs(font)) >= set("受付確認")  # what the self-check fails on
    before = qapp.font()
    try:
        qapp.setFont(font)
        family = install_japanese_fallback(qapp)
        assert qapp.font().families() == [latin, family]
        assert missing_glyphs(qapp.font()) == ""
        assert missing_glyphs(qapp.font(), JAPANESE_SAMPLE + "Bib 123") == ""
    finally:
        qapp.setFont(before)
