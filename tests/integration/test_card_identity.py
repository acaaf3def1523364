"""Issue 11: the number card is an identity. A roster correction that swaps a
handed-out bib is named by `station import` (line + what the supervisor must
do), and `station checkin` never prints a handed-out number for another entry."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from station import settings as settings_module
from station.cli import EXIT_ERROR, cli
from tests.factories import csv_bytes, row

AT = "2027-02-19T12:00"  # Friday, inside the first window


def _event(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    event = tmp_path / "e.sqlite"
    runner = CliRunner()
    assert runner.invoke(cli, ["event", "new", str(event), "--id", "cards-2027", "--name", "Cards",
                               "--race-date", "2027-02-21"]).exit_code == 0
    roster = tmp_path / "roster.csv"
    roster.write_bytes(csv_bytes(rows))
    result = runner.invoke(cli, ["import", str(roster), "--event", str(event)])
    assert result.exit_code == 0, result.output
    return event


def _checkin(event: Path, entry: str, tmp_path: Path):
    return CliRunner().invoke(cli, ["checkin", "--event", str(event), "--entry", entry, "--station", "counter-1",
                                    "--pdf", str(tmp_path / f"bib-{entry}.pdf"), "--at", AT])


def test_a_swap_of_a_handed_out_bib_is_named_and_never_printed_twice(tmp_path):
    event = _event(tmp_path, [row(1, bib="5"), row(2, bib="6")])
    first = _checkin(event, "1001", tmp_path)
    assert first.exit_code == 0, first.output
    assert "bib 5" in first.output

    # The organizer's corrected export swaps bibs 5 and 6 between 1001 and 1002.
    corrected = tmp_path / "corrected.csv"
    corrected.write_bytes(csv_bytes([row(1, bib="6"), row(2, bib="5")]))
    log = settings_module.Folders.current().station_log("cards-2027", "counter-1")
    result = CliRunner().invoke(cli, ["import", str(corrected), "--event", str(event), "--pickups", str(log)])
    assert result.exit_code == 0, result.output
    assert "2 correction(s) touch number cards already handed out (needs a supervisor)" in result.output
    assert ("line 2: entry 1001 already took number card 5; the file now gives it 6. SUPERVISOR: the counters "
            "send entry 1001 to the supervisor") in result.output
    assert ("line 3: entry 1002 would receive number card 5, which already left the building with entry 1001. "
            "SUPERVISOR: the counters send entry 1002 to the supervisor and never print 5 for it") in result.output

    # The counter refuses to print 5 for 1002 ...
    second = _checkin(event, "1002", tmp_path)
    assert second.exit_code == EXIT_ERROR
    assert ("No check-in was possible: Number card 5 already left the building with entry 1001; "
            "the roster now gives that number to entry 1002.") in second.output
    assert not (tmp_path / "bib-1002.pdf").exists()
    # ... and when 1001 comes back, the refusal names the card that left (5), not today's roster number.
    again = _checkin(event, "1001", tmp_path)
    assert again.exit_code == EXIT_ERROR
    assert "Entry 1001 already took number card 5; the roster now gives it bib 6." in again.output


def test_a_plain_correction_of_an_unhandled_bib_needs_no_supervisor(tmp_path):
    event = _event(tmp_path, [row(1, bib="5"), row(2, bib="6"), row(3, bib="7")])
    assert _checkin(event, "1001", tmp_path).exit_code == 0
    corrected = tmp_path / "corrected.csv"
    corrected.write_bytes(csv_bytes([row(1, bib="5"), row(2, bib="7"), row(3, bib="6")]))
    log = settings_module.Folders.current().station_log("cards-2027", "counter-1")
    result = CliRunner().invoke(cli, ["import", str(corrected), "--event", str(event), "--pickups", str(log)])
    assert result.exit_code == 0, result.output
    assert "needs a supervisor" not in result.output and "2 changed" in result.output
    done = _checkin(event, "1003", tmp_path)
    assert done.exit_code == 0 and "bib 6" in done.output


def test_import_with_a_pickups_file_that_is_not_a_log_says_so(tmp_path):
    event = _event(tmp_path, [row(1)])
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    roster = tmp_path / "roster.csv"
    roster.write_bytes(csv_bytes([row(1)]))
    result = CliRunner().invoke(cli, ["import", str(roster), "--event", str(event), "--pickups", str(bogus)])
    assert result.exit_code == EXIT_ERROR
    assert "is not a hub file or station log" in result.output


def test_a_supervisor_reprint_never_prints_a_number_that_left_with_another_entry(tmp_path, kyoto_settings):
    import datetime as dt
    from zoneinfo import ZoneInfo

    import pytest

    from station.core.errors import StationError
    from station.core.evidence import DocumentType, FoundBy, IdCheck, Match
    from station.core.models import FactKind
    from station.core.roster import check_roster
    from station.core.supervision import Decision, Resolution
    from station.store.checkin import CheckinDesk
    from station.store.exceptions import ExceptionQueue
    from station.store.roster_import import import_roster
    from station.store.station_log import StationLog
    from tests.factories import make_event

    noon = dt.datetime(2027, 2, 19, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    package = make_event(tmp_path / "e.sqlite", kyoto_settings, [row(1, bib="5"), row(2, bib="6")])
    log = StationLog.open(tmp_path / "l.sqlite", station_id="counter-1", event_id=kyoto_settings.event_id)
    try:
        desk = CheckinDesk(package, log)
        case = desk.open_case("1001", FoundBy.SEARCH)
        passport = IdCheck(DocumentType.PASSPORT, Match.CONFIRMED, Match.CONFIRMED)
        assert desk.complete(case, desk.evidence(case, id_check=passport), "V", noon)[1]
        queue = ExceptionQueue(log, package)
        lost = desk.send_to_supervisor(desk.refresh(case), "already_picked_up", "V", codes=["already_picked_up"])
        import_roster(package, check_roster(csv_bytes([row(1, bib="6"), row(2, bib="5")]), max_escorts=1))
        with pytest.raises(StationError, match="Entry 1001 took card 5 but the roster now says 6"):
            queue.resolve(lost.fact_id, Resolution(Decision.REPRINT_BIB, "lost bib", "S1"))
        # with the number put back, the reprint prints 5 again, and the ledger knows whose it is
        import_roster(package, check_roster(csv_bytes([row(1, bib="5"), row(2, bib="6")]), max_escorts=1))
        facts = queue.resolve(lost.fact_id, Resolution(Decision.REPRINT_BIB, "lost bib", "S1"))
        assert [f.payload["bib"] for f in facts if f.kind is FactKind.PICKUP] == ["5"]
    finally:
        log.close()
        package.close()
