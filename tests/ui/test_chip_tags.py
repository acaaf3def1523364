"""Issue 11: a chip tag is a chip tag. While a chip is pending, anything that
does not look like the event's chip tags is refused with a reason, never paired
(the counter model, as the counter uses it)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from station.core.confirmation import Signer, new_private_seed
from station.core.evidence import Match
from station.core.verdict import Outcome
from station.store.checkin import CheckinDesk
from station.store.confirmations import add_public_key
from station.store.event_package import EventPackage
from station.store.station_log import StationLog
from station.ui.counter.model import CounterModel
from tests.factories import make_event, row

INSIDE = dt.datetime(2027, 2, 19, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
SIGNER = Signer(new_private_seed())


def _model(qtbot, tmp_path, settings) -> tuple[CounterModel, EventPackage, StationLog]:
    package = make_event(tmp_path / "chip.sqlite", settings, [row(1), row(2)])
    add_public_key(package, SIGNER.public_raw)
    log = StationLog.open(tmp_path / "log.sqlite", station_id="counter-3", event_id=settings.event_id)
    model = CounterModel(CheckinDesk(package, log), now=lambda: INSIDE)
    model.sign_in("V1")
    model.scan(SIGNER.code(settings.event_id, "1001", 1))
    model.set_name(Match.CONFIRMED)
    model.set_birth_date(Match.CONFIRMED)
    return model, package, log


@pytest.mark.parametrize("scanned, says", [
    ("1002", "That is entry 1002's number (another runner's printout?), not a chip tag."),
    ("2", "That is entry 1002's number (another runner's printout?), not a chip tag."),
    ("https://example.jp/result?bib=2", "That is a web address, not a chip tag."),
    ("HELLO", "'HELLO' does not look like this event's chip tags; it was not paired."),
])
def test_anything_but_a_chip_tag_is_refused_while_a_chip_is_pending(qtbot, tmp_path, kyoto_settings,
                                                                      scanned, says):
    settings = kyoto_settings.with_changes(handover_items=("bib", "chip"))
    model, package, log = _model(qtbot, tmp_path, settings)
    try:
        assert model.chip_pending
        model.scan(scanned)
        assert model.case.entrant.entry_no == "1001" and model.gathered.chip_tag == ""
        assert model.band.outcome is Outcome.REFUSED and model.band.headline("en") == says
        assert model.band.headline("ja") and model.band.next_step("en") == "Scan the tag on the timing chip itself."
        model.scan("E2801160600002084A1B2C3D")  # a real EPC tag is still paired afterwards
        assert model.gathered.chip_tag == "E2801160600002084A1B2C3D"
    finally:
        log.close()
        package.close()


def test_the_event_declares_what_its_chip_tags_look_like(qtbot, tmp_path, kyoto_settings):
    settings = kyoto_settings.with_changes(handover_items=("bib", "chip"), chip_tag_pattern=r"CH\d{6}")
    model, package, log = _model(qtbot, tmp_path, settings)
    try:
        model.scan("E2801160600002084A1B2C3D")
        assert model.gathered.chip_tag == "" and model.band.outcome is Outcome.REFUSED
        model.scan("CH004711")
        assert model.gathered.chip_tag == "CH004711"
    finally:
        log.close()
        package.close()


def test_the_organizer_declares_the_chip_tag_pattern_when_making_the_event(tmp_path):
    from click.testing import CliRunner

    from station.cli import EXIT_ERROR, cli

    path = tmp_path / "e.sqlite"
    base = ["event", "new", str(path), "--id", "chips-2027", "--name", "Chips", "--race-date", "2027-02-21"]
    bad = CliRunner().invoke(cli, [*base, "--chip-tag-pattern", "CH[0-9"])
    assert bad.exit_code == EXIT_ERROR and "is not a regular expression" in bad.output and not path.exists()
    assert CliRunner().invoke(cli, [*base, "--chip-tag-pattern", r"CH\d{6}"]).exit_code == 0
    shown = CliRunner().invoke(cli, ["event", "show", str(path)])
    assert "chip tags: CH\\d{6}" in shown.output
