"""`station checkin`: one check-in end to end, now through store.trial_checkin and printing.bib_pdf."""

from __future__ import annotations

from click.testing import CliRunner

from station.cli import cli
from station.store.opening import open_station
from tests.factories import make_event, row


def test_checkin_records_the_pickup_and_prints_the_bib(tmp_path, kyoto_settings):
    event = tmp_path / "event.sqlite"
    make_event(event, kyoto_settings, [row(1), row(2)]).close()
    pdf = tmp_path / "out" / "bib.pdf"
    result = CliRunner().invoke(cli, ["checkin", "--event", str(event), "--pdf", str(pdf), "--station", "t1",
                                      "--at", "2027-02-19T14:00"])
    assert result.exit_code == 0, result.output
    assert "checked in entry 1001 (bib 1) at t1" in result.output
    assert pdf.read_bytes().startswith(b"%PDF")
    package, log = open_station(event, "t1")
    try:
        assert log.entry_state("1001").status.value == "picked_up"
    finally:
        package.close()
        log.close()


def test_checkin_outside_the_hours_says_why_in_one_line(tmp_path, kyoto_settings):
    event = tmp_path / "event.sqlite"
    make_event(event, kyoto_settings, [row(1)]).close()
    result = CliRunner().invoke(cli, ["checkin", "--event", str(event), "--pdf", str(tmp_path / "b.pdf"),
                                      "--station", "t1", "--at", "2027-02-19T03:00"])
    assert result.exit_code != 0
    assert "No check-in was possible: Check-in is closed now" in result.output
    assert "Traceback" not in result.output
