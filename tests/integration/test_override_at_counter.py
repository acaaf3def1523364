"""A supervisor's approved override changes the counter's next verdict for that
runner, a locked reason is never waived, and an approval expires with the
check-in window it was given in (issue 11: locked means locked)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from station.core.evidence import DocumentType, FoundBy, IdCheck, Match
from station.core.supervision import Decision, Ground, Resolution
from station.core.verdict import Outcome, ReasonCode
from station.store.checkin import CheckinDesk
from station.store.event_package import EventPackage
from station.store.exceptions import ExceptionQueue, ResolutionRefused
from station.store.station_log import StationLog
from tests.factories import make_event, row

TOKYO = ZoneInfo("Asia/Tokyo")
LATE = dt.datetime(2027, 2, 19, 20, 30, tzinfo=TOKYO)  # after Friday's last entry
FRIDAY = dt.datetime(2027, 2, 19, 18, 0, tzinfo=TOKYO)
SATURDAY = dt.datetime(2027, 2, 20, 11, 0, tzinfo=TOKYO)
RACE_MORNING = dt.datetime(2027, 2, 21, 7, 0, tzinfo=TOKYO)
PASSPORT = IdCheck(DocumentType.PASSPORT, Match.CONFIRMED, Match.CONFIRMED)


@pytest.fixture
def desk(tmp_path, kyoto_settings):
    make_event(tmp_path / "e.sqlite", kyoto_settings, [row(1), row(2)]).close()
    package = EventPackage.open(tmp_path / "e.sqlite")
    log = StationLog.open(tmp_path / "l.sqlite", station_id="counter-1", event_id=package.settings.event_id,
                          utcnow=lambda: FRIDAY.astimezone(dt.UTC))
    yield CheckinDesk(package, log)
    log.close()
    package.close()


def test_a_late_arrival_cannot_be_approved_by_a_supervisor(desk):
    case = desk.open_case("1001", FoundBy.SEARCH)
    evidence = desk.evidence(case, id_check=PASSPORT, handed_over=("bib", "gift", "shirt"))
    verdict = desk.decide(case, evidence, LATE)
    assert verdict.outcome is Outcome.REFUSED and ReasonCode.OUTSIDE_WINDOW in verdict.codes
    assert "not even a supervisor" in verdict.headline.next_en
    opened = desk.send_to_supervisor(case, verdict.headline.code.value, "V1",
                                     codes=[c.value for c in verdict.codes])
    queue = ExceptionQueue(desk.log, desk.package)
    for ground in Ground:
        with pytest.raises(ResolutionRefused):
            queue.resolve(opened.fact_id, Resolution(Decision.APPROVE_OVERRIDE, "Train delay.", "S1", ground=ground))
    _, facts = desk.complete(case, evidence, "V1", LATE)
    assert facts == ()


def test_race_morning_is_refused_whatever_was_approved(desk):
    case = desk.open_case("1001", FoundBy.SEARCH)
    evidence = desk.evidence(case, id_check=IdCheck(DocumentType.PASSPORT, Match.MISMATCH, Match.CONFIRMED))
    first = desk.decide(case, evidence, FRIDAY)
    assert first.outcome is Outcome.SUPERVISOR and first.headline.code is ReasonCode.NAME_MISMATCH
    opened = desk.send_to_supervisor(case, "name_mismatch", "V1", codes=["name_mismatch"])
    ExceptionQueue(desk.log, desk.package).resolve(
        opened.fact_id, Resolution(Decision.APPROVE_OVERRIDE, "Married in 2026.", "S1",
                                   ground=Ground.NAME_CHANGED_BY_MARRIAGE))
    assert desk.decide(desk.refresh(case), evidence, FRIDAY).ready  # approved within Friday's window
    race = desk.decide(desk.refresh(case), evidence, RACE_MORNING)
    assert race.outcome is Outcome.REFUSED and race.codes == (ReasonCode.RACE_DAY,)
    assert race.headline.text_en.startswith("Today (2027-02-21) is race day")
    _, facts = desk.complete(case, evidence, "V1", RACE_MORNING)
    assert facts == ()


def test_fridays_approval_does_not_hold_on_saturday(desk):
    case = desk.open_case("1001", FoundBy.SEARCH)
    evidence = desk.evidence(case, id_check=IdCheck(DocumentType.PASSPORT, Match.MISMATCH, Match.CONFIRMED))
    opened = desk.send_to_supervisor(case, "name_mismatch", "V1", codes=["name_mismatch"])
    ExceptionQueue(desk.log, desk.package).resolve(
        opened.fact_id, Resolution(Decision.APPROVE_OVERRIDE, "Married in 2026.", "S1",
                                   ground=Ground.NAME_CHANGED_BY_MARRIAGE))
    assert desk.decide(desk.refresh(case), evidence, FRIDAY + dt.timedelta(hours=2)).ready  # 20:00, still open
    saturday = desk.decide(desk.refresh(case), evidence, SATURDAY)
    assert saturday.outcome is Outcome.SUPERVISOR and saturday.headline.code is ReasonCode.NAME_MISMATCH
    # bound to the case: entry 1002 gained nothing from 1001's approval
    other = desk.open_case("1002", FoundBy.SEARCH)
    assert desk.decide(other, desk.evidence(other, id_check=evidence.id_check), FRIDAY).headline.code is (
        ReasonCode.NAME_MISMATCH)
