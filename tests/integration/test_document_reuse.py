"""Issue 11: documents without an MRZ get a key too, and one document shown for
two entries at two counters that were apart is a conflict after sync, on every
station and the hub, queued for the supervisors."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from station.cli import cli
from station.core.document_numbers import NotKeyable, typed_document_key
from station.core.evidence import DocumentType, FoundBy, IdCheck, Match
from station.core.identity import document_key
from station.core.supervision import Decision
from station.store.checkin import CheckinDesk
from station.store.document_reuse import station_reuse
from station.store.event_package import EventPackage
from station.store.station_log import StationLog
from station.store.supervisors import enrol
from station.sync.hub_store import HUB_FILE, HubStore
from tests.factories import make_event, row

NOON = dt.datetime(2027, 2, 19, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
SECRET = bytes(range(32))


def test_a_typed_licence_number_becomes_a_keyed_hash_never_the_number():
    key = typed_document_key(SECRET, DocumentType.DRIVERS_LICENCE, "１２３４ ５６７８ ９０１２")  # IME, spaces
    assert key == typed_document_key(SECRET, DocumentType.DRIVERS_LICENCE, "123456789012")
    assert "123456789012" not in key and len(key) == 64
    assert key != typed_document_key(bytes(reversed(range(32))), DocumentType.DRIVERS_LICENCE, "123456789012")
    assert typed_document_key(SECRET, DocumentType.RESIDENCE_CARD, "ab12345678cd") != key
    # a passport typed by hand gives the key the MRZ reader makes
    assert typed_document_key(SECRET, DocumentType.PASSPORT, "TK1234567") == document_key(SECRET, "TK1234567", "JPN")


@pytest.mark.parametrize("document, number, says", [
    (DocumentType.MY_NUMBER_CARD, "123456789012", "the Individual Number may not be collected"),
    (DocumentType.HEALTH_INSURANCE_CARD, "12345678", "asking for it is prohibited"),
    (DocumentType.DRIVERS_LICENCE, "12345", "A drivers licence number is 12 digits"),
])
def test_numbers_that_may_not_or_cannot_be_keyed_are_refused_with_a_reason(document, number, says):
    with pytest.raises(NotKeyable) as refused:
        typed_document_key(SECRET, document, number)
    assert says in refused.value.text.render("en") and refused.value.text.render("ja")


def _offline_counters(tmp_path, kyoto_settings):
    make_event(tmp_path / "e.sqlite", kyoto_settings, [row(1), row(2)]).close()
    package = EventPackage.open(tmp_path / "e.sqlite")
    logs = [StationLog.open(tmp_path / f"{c}.sqlite", station_id=c, event_id=package.settings.event_id)
            for c in ("counter-1", "counter-2")]
    return package, logs


def test_one_licence_for_two_entries_at_two_offline_counters_is_found_after_sync(tmp_path, kyoto_settings):
    package, (one, two) = _offline_counters(tmp_path, kyoto_settings)
    try:
        key = typed_document_key(package.document_secret, DocumentType.DRIVERS_LICENCE, "123456789012")
        licence = IdCheck(DocumentType.DRIVERS_LICENCE, Match.CONFIRMED, Match.CONFIRMED, document_hash=key)
        for log, entry_no in ((one, "1001"), (two, "1002")):
            desk = CheckinDesk(package, log)
            case = desk.open_case(entry_no, FoundBy.SEARCH)
            verdict, facts = desk.complete(case, desk.evidence(case, id_check=licence), "V", NOON)
            assert verdict.ready and facts  # alone, neither counter could know
        assert station_reuse(one, package) == [] and station_reuse(two, package) == []

        everything = [f for log in (one, two) for _, f in log.facts()]
        for log in (one, two):
            log.append(everything)  # sync
            (reuse,) = station_reuse(log, package)
            assert reuse.entries == ("1001", "1002") and key.startswith(reuse.document_key)

        # ... and on the hub, where `station hub conflicts` lists it.
        hub_dir = tmp_path / "hub"
        hub_dir.mkdir()
        with HubStore.open(hub_dir / HUB_FILE) as store:
            store.ingest(everything, station=None)
        result = CliRunner().invoke(cli, ["hub", "conflicts", "--data", str(hub_dir)])
        assert result.exit_code == 0, result.output
        assert "1001, 1002\tdocument_used_elsewhere\tdocument " in result.output
        assert "1 conflicts." in result.output
    finally:
        one.close()
        two.close()
        package.close()


def test_a_runner_and_their_own_escort_entry_may_share_a_document(tmp_path, kyoto_settings):
    """The same person as runner 1001 and as escort of 1002: one document, no conflict."""
    make_event(tmp_path / "e.sqlite", kyoto_settings.with_changes(max_escorts=1),
               [row(1), row(2, disability="1", family_kanji="田中", given_kanji="一"),
                dict(row(1), entry_no="2001", bib="201", escort_of="1002")]).close()
    package = EventPackage.open(tmp_path / "e.sqlite")
    log = StationLog.open(tmp_path / "l.sqlite", station_id="c", event_id=package.settings.event_id)
    try:
        from station.core.models import FactKind

        for entry_no in ("1001", "2001"):
            log.record(FactKind.ID_CHECKED, volunteer_id="V", entry_no=entry_no, payload={"document_hash": "k"})
        assert station_reuse(log, package) == []
    finally:
        log.close()
        package.close()


def test_the_reuse_waits_in_the_supervisor_queue_until_decided(qtbot, tmp_path, kyoto_settings):
    from station.ui.supervisor.model import CONFLICT, SupervisorModel

    package, (one, two) = _offline_counters(tmp_path, kyoto_settings)
    enrol(package, "S1", "Sato Supervisor", "4821397650")
    try:
        from station.core.models import FactKind

        one.record(FactKind.ID_CHECKED, volunteer_id="V", entry_no="1001", payload={"document_hash": "k"})
        two.record(FactKind.ID_CHECKED, volunteer_id="V", entry_no="1002", payload={"document_hash": "k"})
        one.append([f for _, f in two.facts()])
        model = SupervisorModel(package, one, now=lambda: NOON)
        assert model.sign_in("S1", "4821397650")
        rows = {item.exception_id: item for item in model.queue.items}
        assert set(rows) == {CONFLICT + "1001", CONFLICT + "1002"}
        assert rows[CONFLICT + "1001"].reason == "document_used_elsewhere"
        assert rows[CONFLICT + "1001"].note.render("en") == "same document as entry 1002"
        assert rows[CONFLICT + "1001"].note.render("ja") == "受付番号 1002 と同じ身分証"
        _, decisions, _ = model.choices(CONFLICT + "1001")
        assert Decision.APPROVE_OVERRIDE not in decisions and Decision.REFUSE in decisions  # locked
        from station.core.supervision import Resolution

        assert model.resolve(CONFLICT + "1001", Resolution(Decision.REFUSE, "two people, one licence", "S1"))
        model.refresh()
        assert {item.exception_id for item in model.queue.items} == {CONFLICT + "1002"}
    finally:
        one.close()
        two.close()
        package.close()

