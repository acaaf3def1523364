"""Issue 11: escorts come from the current roster, and an escort is another person.

Through the organizer's `station import` (the report line) and the counter's
own path (CheckinDesk, what the band says)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

from click.testing import CliRunner

from station.cli import EXIT_ROWS_REFUSED, cli
from station.core.evidence import DocumentType, EscortEvidence, FoundBy, IdCheck, Match
from station.core.roster import check_roster
from station.core.verdict import Outcome, ReasonCode
from station.store.checkin import CheckinDesk
from station.store.event_package import EventPackage
from station.store.roster_import import import_roster
from station.store.station_log import StationLog
from tests.factories import csv_bytes, make_event, row

NOON = dt.datetime(2027, 2, 19, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
ID = IdCheck(DocumentType.DRIVERS_LICENCE, Match.CONFIRMED, Match.CONFIRMED)


def _guide(n: int, runner: str, **changes: str) -> dict[str, str]:
    return row(n, escort_of=runner, category="general", **changes)


def _event(tmp_path: Path, max_escorts: int = 1) -> Path:
    event = tmp_path / "e.sqlite"
    result = CliRunner().invoke(cli, ["event", "new", str(event), "--id", "esc-2027", "--name", "Esc",
                                      "--race-date", "2027-02-21", "--max-escorts", str(max_escorts)])
    assert result.exit_code == 0, result.output
    return event


def _import(event: Path, tmp_path: Path, rows: list[dict[str, str]], name: str = "r.csv"):
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows))
    return CliRunner().invoke(cli, ["import", str(path), "--event", str(event)])


def test_the_importer_refuses_a_runner_listed_as_their_own_escort(tmp_path):
    event = _event(tmp_path)
    me = row(1, disability="1")
    myself = dict(me, entry_no="1002", bib="2", escort_of="1001")  # same name and birth date
    result = _import(event, tmp_path, [me, myself])
    assert result.exit_code == EXIT_ROWS_REFUSED, result.output
    assert ("line 3: escort 1002 is the runner 1001 themself (same name and date of birth): "
            "an escort is another person [escort_is_runner]") in result.output


def test_the_importer_refuses_the_same_guide_twice_for_one_runner(tmp_path):
    event = _event(tmp_path, max_escorts=2)
    guide = _guide(2, "1001")
    twin = dict(guide, entry_no="1003", bib="3")
    result = _import(event, tmp_path, [row(1, disability="1"), guide, twin])
    assert result.exit_code == EXIT_ROWS_REFUSED, result.output
    assert ("line 4: escort 1003 is the same person as escort 1002 of entry 1001: one person, one escort bib "
            "[duplicate_escort]") in result.output


def test_max_escorts_counts_escorts_already_in_the_event(tmp_path):
    event = _event(tmp_path)
    assert _import(event, tmp_path, [row(1, disability="1"), _guide(2, "1001")]).exit_code == 0
    # A partial file adds a second guide for 1001, who already has one in the event.
    result = _import(event, tmp_path, [_guide(3, "1001")], name="partial.csv")
    assert result.exit_code == EXIT_ROWS_REFUSED, result.output
    assert ("line 2: entry 1001 already has 1 escort(s) in the event (1002); the event allows 1 "
            "[too_many_escorts]") in result.output


def _counter(tmp_path: Path, package_path: Path) -> tuple[EventPackage, StationLog, CheckinDesk]:
    package = EventPackage.open(package_path)
    log = StationLog.open(tmp_path / "log.sqlite", station_id="counter-1", event_id=package.settings.event_id)
    return package, log, CheckinDesk(package, log)


def _later_updates(organizer_path: Path, rows: list[dict[str, str]]) -> list:
    organizer = EventPackage.open(organizer_path)
    try:
        already = {f.fact_id for _, f in organizer.roster_facts()}
        check = check_roster(csv_bytes(rows), max_escorts=organizer.settings.max_escorts)
        import_roster(organizer, check)
        return [f for _, f in organizer.roster_facts() if f.fact_id not in already]
    finally:
        organizer.close()


def test_an_escort_added_later_by_the_organizer_is_required_at_an_older_counter(tmp_path, kyoto_settings):
    organizer_path = tmp_path / "organizer.sqlite"
    make_event(organizer_path, kyoto_settings, [row(1, disability="1")]).close()
    shutil.copy(organizer_path, tmp_path / "counter.sqlite")  # the counter's older package
    updates = _later_updates(organizer_path, [row(1, disability="1"), _guide(2, "1001")])
    package, log, desk = _counter(tmp_path, tmp_path / "counter.sqlite")
    try:
        log.append(updates)  # what sync brings down from the hub
        case = desk.open_case("1001", FoundBy.SEARCH)
        assert [e.entrant.entry_no for e in case.escorts] == ["1002"]
        alone = desk.decide(case, desk.evidence(case, id_check=ID), NOON)
        assert alone.outcome is Outcome.NEEDS_ESCORT
        assert alone.headline.text_en == "Escort runner 1002 is not here yet; the pair checks in together."
        pair = desk.evidence(case, id_check=ID, escorts=(EscortEvidence("1002", ID),), certificate_seen=True)
        verdict = desk.decide(case, pair, NOON)
        assert verdict.ready and [h.entry_no for h in verdict.handovers] == ["1001", "1002"]
    finally:
        log.close()
        package.close()


def test_a_cancelled_or_refused_escort_is_said_on_the_band(tmp_path, kyoto_settings):
    organizer_path = tmp_path / "organizer.sqlite"
    settings = kyoto_settings.with_changes(max_escorts=1)
    make_event(organizer_path, settings, [row(1, disability="1"), _guide(2, "1001"), row(3, disability="1")]).close()
    shutil.copy(organizer_path, tmp_path / "counter.sqlite")
    organizer = EventPackage.open(organizer_path)
    already = {f.fact_id for _, f in organizer.roster_facts()}
    # 1002 cancelled; then a guide for 1003 who is 1003 themself is refused.
    me = row(3, disability="1")
    result = import_roster(organizer, check_roster(csv_bytes([row(1, disability="1"), me]), max_escorts=1),
                           cancel_missing=True)
    assert result.changes.cancelled == ("1002",)
    import_roster(organizer, check_roster(csv_bytes([me, dict(me, entry_no="1004", bib="4", escort_of="1003")]),
                                          max_escorts=1))
    updates = [f for _, f in organizer.roster_facts() if f.fact_id not in already]
    organizer.close()
    package, log, desk = _counter(tmp_path, tmp_path / "counter.sqlite")
    try:
        log.append(updates)
        case = desk.open_case("1001", FoundBy.SEARCH)
        v = desk.decide(case, desk.evidence(case, id_check=ID), NOON)
        assert v.outcome is Outcome.SUPERVISOR and ReasonCode.ESCORT_WITHDRAWN in v.codes
        assert v.headline.text_en == "This runner's escort 1002 was cancelled by the organizer: supervisor."
        case = desk.open_case("1003", FoundBy.SEARCH)
        v = desk.decide(case, desk.evidence(case, id_check=ID), NOON)
        assert v.outcome is Outcome.SUPERVISOR
        assert v.headline.text_en == "This runner's escort 1004 was refused at the organizer's import: supervisor."
    finally:
        log.close()
        package.close()


def test_one_document_for_runner_and_escort_is_refused_at_the_counter(tmp_path, kyoto_settings):
    make_event(tmp_path / "e.sqlite", kyoto_settings, [row(1, disability="1"), _guide(2, "1001")]).close()
    package, log, desk = _counter(tmp_path, tmp_path / "e.sqlite")
    try:
        case = desk.open_case("1001", FoundBy.SEARCH)
        same = IdCheck(DocumentType.PASSPORT, Match.CONFIRMED, Match.CONFIRMED, document_hash="k1")
        evidence = desk.evidence(case, id_check=same, escorts=(EscortEvidence("1002", same),),
                                 certificate_seen=True)
        verdict, facts = desk.complete(case, evidence, "V1", NOON)
        assert verdict.outcome is Outcome.SUPERVISOR and facts == ()
        assert verdict.headline.text_en == ("The same ID document was recorded for 1001, 1002 in this check-in; "
                                            "one document is one person.")
    finally:
        log.close()
        package.close()
