"""Organizer updates reach a counter whose event package is older: corrections,
late entries, cancellations and revoked confirmations, read over the package."""

from __future__ import annotations

import datetime as dt
import shutil
from zoneinfo import ZoneInfo

from station.core.confirmation import CodeOutcome, Signer, new_private_seed
from station.core.evidence import FoundBy
from station.core.roster import check_roster
from station.core.verdict import ReasonCode
from station.store import confirmations
from station.store.checkin import CheckinDesk
from station.store.event_package import EventPackage
from station.store.roster_import import import_roster
from station.store.station_log import StationLog
from tests.factories import csv_bytes, make_event, row

NOON = dt.datetime(2027, 2, 19, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


def test_updates_synced_into_the_log_are_read_over_an_older_package(tmp_path, kyoto_settings):
    organizer_path = tmp_path / "organizer.sqlite"
    organizer = make_event(organizer_path, kyoto_settings, [row(1), row(2)])
    signer = Signer(new_private_seed())
    confirmations.add_public_key(organizer, signer.public_raw)
    plans = confirmations.plan_issues(organizer, ["1001", "1002"])
    confirmations.record_issues(organizer, plans, signer.key_id)
    counter_path = tmp_path / "counter-copy.sqlite"
    organizer.close()
    shutil.copy(organizer_path, counter_path)  # what the counter downloaded before the expo

    organizer = EventPackage.open(organizer_path)
    already = {f.fact_id for _, f in organizer.roster_facts()}
    corrected = [row(1, nickname="タロウ"), row(3)]
    import_roster(organizer, check_roster(csv_bytes(corrected), max_escorts=1), cancel_missing=True)
    confirmations.revoke(organizer, "1001", "lost confirmation, reissued by e-mail")
    updates = [f for _, f in organizer.roster_facts() if f.fact_id not in already]
    organizer.close()
    assert {f.payload["change"] for f in updates} == {"changed", "added", "cancelled", "confirmation_revoked"}

    package = EventPackage.open(counter_path)
    log = StationLog.open(tmp_path / "log.sqlite", station_id="counter-1", event_id=package.settings.event_id)
    try:
        desk = CheckinDesk(package, log)
        old_code = signer.code(package.settings.event_id, "1001", 1)
        assert desk.scan(old_code).code.outcome is CodeOutcome.VALID  # before the updates arrive
        assert desk.open_case("1003", FoundBy.SEARCH) is None

        log.append(updates)  # what sync brings down from the hub

        assert desk.scan(old_code).code.outcome is CodeOutcome.REVOKED
        assert desk.open_case("1001", FoundBy.SEARCH).entrant.nickname == "タロウ"
        late = desk.open_case("1003", FoundBy.SEARCH)
        assert late is not None and late.entrant.given_latin == "Taro3"
        cancelled = desk.open_case("1002", FoundBy.SEARCH)
        verdict = desk.decide(cancelled, desk.evidence(cancelled), NOON)
        assert ReasonCode.ENTRY_CANCELLED in verdict.codes
    finally:
        log.close()
        package.close()
