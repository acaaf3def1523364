"""A supervisor's approved override changes the counter's next verdict for that
runner, and a locked reason is never waived."""

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

LATE = dt.datetime(2027, 2, 19, 20, 30, tzinfo=ZoneInfo("Asia/Tokyo"))  # after Friday's last entry


def test_a_late_arrival_approved_by_the_supervisor_is_served(tmp_path, kyoto_settings):
    make_event(tmp_path / "e.sqlite", kyoto_settings, [row(1)]).close()
    package = EventPackage.open(tmp_path / "e.sqlite")
    log = StationLog.open(tmp_path / "l.sqlite", station_id="counter-1", event_id=package.settings.event_id)
    try:
        desk = CheckinDesk(package, log)
        case = desk.open_case("1001", FoundBy.SEARCH)
        evidence = desk.evidence(case, id_check=IdCheck(DocumentType.PASSPORT, Match.CONFIRMED, Match.CONFIRMED),
                                 handed_over=("bib", "gift", "shirt"))
        verdict = desk.decide(case, evidence, LATE)
        assert verdict.outcome is Outcome.REFUSED and ReasonCode.OUTSIDE_WINDOW in verdict.codes
        opened = desk.send_to_supervisor(case, verdict.headline.code.value, "V1",
                                         codes=[c.value for c in verdict.codes])

        queue = ExceptionQueue(log, package)
        queue.resolve(opened.fact_id, Resolution(Decision.APPROVE_OVERRIDE, "Train delay, the organizer agreed.",
                                                 "S1", ground=Ground.LATE_ARRIVAL_ACCEPTED))
        again = desk.decide(desk.refresh(case), evidence, LATE)
        assert again.ready and [h.bib for h in again.handovers] == ["1"]
        _, facts = desk.complete(case, evidence, "V1", LATE)
        assert any(f.kind.value == "pickup" for f in facts)
    finally:
        log.close()
        package.close()
