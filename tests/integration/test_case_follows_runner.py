"""Issue 11: a supervisor case follows the runner to every counter."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from station.core.evidence import DocumentType, FoundBy, IdCheck, Match
from station.core.supervision import Decision, Ground, Resolution
from station.core.verdict import Outcome, ReasonCode
from station.store.checkin import CheckinDesk
from station.store.event_package import EventPackage
from station.store.exceptions import ExceptionQueue
from station.store.station_log import StationLog
from tests.factories import make_event, row

NOON = dt.datetime(2027, 2, 19, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
GOOD = IdCheck(DocumentType.PASSPORT, Match.CONFIRMED, Match.CONFIRMED)


def sync(*logs: StationLog) -> None:
    everything = [f for log in logs for _, f in log.facts()]
    for log in logs:
        log.append(everything)


def test_a_runner_sent_to_the_supervisor_is_not_ready_at_the_next_counter(tmp_path, kyoto_settings):
    make_event(tmp_path / "e.sqlite", kyoto_settings, [row(1)]).close()
    package = EventPackage.open(tmp_path / "e.sqlite")
    one = StationLog.open(tmp_path / "1.sqlite", station_id="counter-1", event_id=package.settings.event_id,
                         utcnow=lambda: NOON.astimezone(dt.UTC))
    two = StationLog.open(tmp_path / "2.sqlite", station_id="counter-2", event_id=package.settings.event_id)
    try:
        desk_1, desk_2 = CheckinDesk(package, one), CheckinDesk(package, two)
        case = desk_1.open_case("1001", FoundBy.SEARCH)
        wrong = desk_1.evidence(case, id_check=IdCheck(DocumentType.PASSPORT, Match.MISMATCH, Match.CONFIRMED))
        assert desk_1.decide(case, wrong, NOON).outcome is Outcome.SUPERVISOR
        opened = desk_1.send_to_supervisor(case, "name_mismatch", "V1", codes=["name_mismatch"])
        sync(one, two)

        # Counter shopping: the runner walks to counter 2 with a friend's passport ticked as fine.
        at_2 = desk_2.open_case("1001", FoundBy.SEARCH)
        verdict, facts = desk_2.complete(at_2, desk_2.evidence(at_2, id_check=GOOD), "V2", NOON)
        assert verdict.outcome is Outcome.SUPERVISOR and facts == ()
        assert verdict.codes == (ReasonCode.CASE_OPEN,)
        assert verdict.headline.text_en.startswith(
            "Entry 1001 already has a case open with the supervisor (sent from counter counter-1")

        # Refused by the supervisor: still "supervisor" everywhere.
        ExceptionQueue(one, package).resolve(opened.fact_id, Resolution(Decision.REFUSE, "not the runner", "S1"))
        sync(one, two)
        verdict = desk_2.decide(desk_2.refresh(at_2), desk_2.evidence(at_2, id_check=GOOD), NOON)
        assert verdict.outcome is Outcome.SUPERVISOR and verdict.codes == (ReasonCode.CASE_REFUSED,)
        assert "A supervisor refused entry 1001" in verdict.headline.text_en
        assert "not the runner" in verdict.headline.text_en
    finally:
        one.close()
        two.close()
        package.close()


def test_an_approved_case_lets_the_runner_through_at_another_counter(tmp_path, kyoto_settings):
    make_event(tmp_path / "e.sqlite", kyoto_settings, [row(1)]).close()
    package = EventPackage.open(tmp_path / "e.sqlite")
    one = StationLog.open(tmp_path / "1.sqlite", station_id="counter-1", event_id=package.settings.event_id,
                         utcnow=lambda: NOON.astimezone(dt.UTC))
    two = StationLog.open(tmp_path / "2.sqlite", station_id="counter-2", event_id=package.settings.event_id)
    try:
        desk_1, desk_2 = CheckinDesk(package, one), CheckinDesk(package, two)
        case = desk_1.open_case("1001", FoundBy.SEARCH)
        opened = desk_1.send_to_supervisor(case, "name_mismatch", "V1", codes=["name_mismatch"])
        ExceptionQueue(one, package).resolve(opened.fact_id, Resolution(
            Decision.APPROVE_OVERRIDE, "married name", "S1", ground=Ground.NAME_CHANGED_BY_MARRIAGE))
        sync(one, two)
        at_2 = desk_2.open_case("1001", FoundBy.SEARCH)
        mismatch = IdCheck(DocumentType.PASSPORT, Match.MISMATCH, Match.CONFIRMED)
        assert desk_2.decide(at_2, desk_2.evidence(at_2, id_check=mismatch), NOON).ready
    finally:
        one.close()
        two.close()
        package.close()
