"""Issue 11: at the counter, a document without an MRZ gets a key from the
number the volunteer types (the counter model, as the counter uses it)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from station.core.evidence import DocumentType, Match
from station.core.verdict import Outcome, ReasonCode
from station.store.checkin import CheckinDesk
from station.store.event_package import EventPackage
from station.store.station_log import StationLog
from station.ui.counter.model import CounterModel
from tests.factories import make_event, row

INSIDE = dt.datetime(2027, 2, 19, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


def test_one_typed_licence_for_two_runners_goes_to_the_supervisor(qtbot, tmp_path, kyoto_settings):
    make_event(tmp_path / "e.sqlite", kyoto_settings, [row(1), row(2)]).close()
    package = EventPackage.open(tmp_path / "e.sqlite")
    log = StationLog.open(tmp_path / "l.sqlite", station_id="counter-1", event_id=package.settings.event_id)
    try:
        model = CounterModel(CheckinDesk(package, log), now=lambda: INSIDE)
        model.sign_in("V1")
        for entry_no in ("1001", "1002"):
            model.choose(entry_no)
            model.set_document_number(DocumentType.DRIVERS_LICENCE, "1234-5678-9012")
            model.set_name(Match.CONFIRMED)
            model.set_birth_date(Match.CONFIRMED)
            if entry_no == "1001":
                assert model.verdict.ready
                for item in model.items:
                    model.set_item(item, True)
                model.complete()
        assert model.verdict.outcome is Outcome.SUPERVISOR
        assert model.verdict.headline.code is ReasonCode.DOCUMENT_USED_ELSEWHERE
        assert model.verdict.headline.text_en == "This ID document was already shown for entry 1001."
        stored = [f.payload.get("document_hash") for _, f in log.facts() if f.payload.get("document_hash")]
        assert stored and all("123456789012" not in str(h) for h in stored)

        model.set_document_number(DocumentType.MY_NUMBER_CARD, "123456789012")
        assert model.band.outcome is Outcome.NEEDS_ID
        assert "Individual Number may not be collected" in model.band.headline_en
    finally:
        log.close()
        package.close()
