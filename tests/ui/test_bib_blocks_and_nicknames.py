"""Block colours from the event for every block, an escort's block, and the
nickname's final check, on the printed bib (PDF through pdftotext, pixels)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from station.core.block_colours import DEFAULT_BLOCK_COLOURS, NO_BLOCK_COLOUR
from station.core.event import BibLayout, EventSettings, NicknameRules, kyoto_defaults
from station.core.models import Category, Entrant, Sex
from station.core.nickname import NicknameChecker
from station.printing.face import bib_face
from station.printing.layout import render_image, render_pdf

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


@pytest.fixture
def settings() -> EventSettings:
    return kyoto_defaults("kyoto-2027", "京都マラソン2027", dt.date(2027, 2, 21)).with_changes(
        nickname=NicknameRules(banned_words=("トヨタ", "SONY", "ソニー")))


def entrant(bib: str, **changes: object) -> Entrant:
    values: dict[str, object] = dict(
        entry_no=f"E{bib}", bib=bib, family_kanji="山田", given_kanji="太郎", family_kana="やまだ",
        given_kana="たろう", family_latin="Yamada", given_latin="Taro", sex=Sex.MALE,
        birth_date=dt.date(1990, 5, 1), nationality="JPN", category=Category.GENERAL, start_block="C",
    )
    values.update(changes)
    return Entrant(**values)  # type: ignore[arg-type]


def face_of(person: Entrant, settings: EventSettings, runner: Entrant | None = None):
    return bib_face(person, settings, NicknameChecker(settings.nickname).check(person), runner=runner)


def block_pixel(face, ) -> str:
    image = render_image(face, BibLayout.A5_LANDSCAPE, dpi=60)
    return str(image.pixelColor(int(image.width() * 0.93), int(image.height() * 0.30)).name())


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", out)


@pytest.mark.parametrize("block", ["K", "L", "Z"])
def test_every_letter_block_has_a_colour_not_grey(qapp, settings, block):
    colour = block_pixel(face_of(entrant("1", start_block=block), settings))
    assert colour == DEFAULT_BLOCK_COLOURS[block] and colour != NO_BLOCK_COLOUR
    assert face_of(entrant("1", start_block=block + "2"), settings).block_colour == colour


def test_the_events_own_block_colours_are_printed(qapp, settings):
    own = settings.with_changes(block_colours=(("K", "#123456"), ("S1", "#0000ff")))
    assert block_pixel(face_of(entrant("1", start_block="K"), own)) == "#123456"
    assert block_pixel(face_of(entrant("2", start_block="S1"), own)) == "#0000ff"
    # a block the event does not name and no letter gives: still a palette colour, not grey
    assert block_pixel(face_of(entrant("3", start_block="7"), own)) in DEFAULT_BLOCK_COLOURS.values()
    # and the setting survives the package's JSON
    assert EventSettings.from_json(own.to_json()).block_colour("K") == "#123456"


def test_an_escorts_block_follows_the_runners(qapp, tmp_path, settings):
    runner = entrant("40001", start_block="K", category=Category.DISABILITY, disability=True)
    escort = entrant("40002", start_block="A", escort_of=runner.entry_no)
    face = face_of(escort, settings, runner=runner)
    assert face.start_block == "K" and face.block_colour == DEFAULT_BLOCK_COLOURS["K"]
    text = pdf_text(render_pdf(face, BibLayout.A5_LANDSCAPE, tmp_path / "e.pdf"))
    assert "K" in text.split() and "A" not in text.split()


def test_kana_with_a_star_never_reaches_the_printed_bib(qapp, tmp_path, settings):
    person = entrant("5", nickname="", katakana_requested=True, given_kanji="", given_latin="",
                     given_kana="ハナ★")
    face = face_of(person, settings)
    assert face.nickname == ""
    text = pdf_text(render_pdf(face, BibLayout.A5_LANDSCAPE, tmp_path / "s.pdf"))
    assert "★" not in text and "ハナ" not in text


def test_accented_and_own_names_print_in_katakana(qapp, tmp_path, settings):
    jose = entrant("6", nickname="José", katakana_requested=True, given_latin="José", given_kana="")
    text = pdf_text(render_pdf(face_of(jose, settings), BibLayout.A5_LANDSCAPE, tmp_path / "j.pdf"))
    assert "ホセ" in text and "é" not in text
    toyoda = entrant("7", nickname="トヨタ", family_kanji="豊田", family_kana="とよた", family_latin="Toyoda")
    text = pdf_text(render_pdf(face_of(toyoda, settings), BibLayout.A5_LANDSCAPE, tmp_path / "t.pdf"))
    assert "トヨタ" in text
    sonny = entrant("8", nickname="Sonny", katakana_requested=True, given_latin="Sonny", given_kana="")
    text = pdf_text(render_pdf(face_of(sonny, settings), BibLayout.A5_LANDSCAPE, tmp_path / "n.pdf"))
    assert "ソニー" in text


def test_set_block_colours_from_the_command_line(tmp_path):
    from click.testing import CliRunner

    from station.cli import EXIT_ERROR, cli
    from station.store.event_package import EventPackage

    path = tmp_path / "e.sqlite"
    run = CliRunner().invoke
    assert run(cli, ["event", "new", str(path), "--id", "e", "--name", "E", "--race-date", "2027-02-21"]).exit_code == 0
    result = run(cli, ["event", "set-block-colours", str(path), "k=#123456", "S1=#0000ff"])
    assert result.exit_code == 0, result.output
    assert "block colours: K #123456, S1 #0000ff" in run(cli, ["event", "show", str(path)]).output
    package = EventPackage.open(path)
    assert package.settings.block_colour("K") == "#123456"
    package.close()
    bad = run(cli, ["event", "set-block-colours", str(path), "K=red"])
    assert bad.exit_code == EXIT_ERROR and "#rrggbb" in bad.output
    back = run(cli, ["event", "set-block-colours", str(path), "K="])
    assert back.exit_code == 0 and "K #" not in back.output
