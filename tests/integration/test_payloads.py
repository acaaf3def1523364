"""Typed payloads (station/core/payloads.py) read and give back exactly what is stored.

Facts of every kind are made by the code paths that make them at an event
(the roster import, the counter's desk, the supervisor's sign-in and queue,
the print pool's change record), then read back from the SQLite files as
stored JSON and round-tripped through their kind's class."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher

from station.core.evidence import DocumentType, EscortEvidence, FoundBy, IdCheck, Match
from station.core.fact_check import REQUIRED, SHAPES
from station.core.models import FactKind
from station.core.payloads import (
    PAYLOAD_CLASSES,
    IdCheckedPayload,
    PickupPayload,
    VoidPayload,
    payload_keys,
    payload_of,
)
from station.core.roster import check_roster
from station.core.supervision import Decision, Ground, Resolution
from station.printing.pool import PoolChange, PoolChangeKind
from station.store.checkin import CheckinDesk
from station.store.exceptions import ExceptionQueue
from station.store.fact_rows import SELECT, from_row
from station.store.roster_import import import_roster
from station.store.station_log import StationLog
from station.store.supervisors import SignInOutcome, SupervisorSignIn, enrol
from tests.factories import csv_bytes, make_event, row

NOON = dt.datetime(2027, 2, 19, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
ID = IdCheck(DocumentType.DRIVERS_LICENCE, Match.CONFIRMED, Match.CONFIRMED)
FAST = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
CHIP = "0123456789abcdef01234567"


def test_every_class_mirrors_its_kinds_checked_shape():
    assert set(PAYLOAD_CLASSES) == set(FactKind)
    for kind, cls in PAYLOAD_CLASSES.items():
        assert payload_keys(cls) == set(SHAPES[kind.value]), kind
        required = {f.name for f in dataclasses.fields(cls)
                    if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
        assert required == REQUIRED.get(kind.value, frozenset()), kind


def test_absent_keys_stay_absent_and_stored_nulls_stay_null():
    assert VoidPayload.from_payload({"what": "bib_copy", "copy": None}).to_payload() == {
        "what": "bib_copy", "copy": None}
    assert VoidPayload.from_payload({"what": "bib"}).to_payload() == {"what": "bib"}
    assert IdCheckedPayload.from_payload({"document_hash": None}).to_payload() == {"document_hash": None}
    newer = {"bib": "7", "items": ["bib", "shirt"], "reprint": False, "from_a_newer_station": ["x"]}
    typed = PickupPayload.from_payload(newer)
    assert typed.items == ("bib", "shirt") and typed.reprint is False and typed.chip is None
    assert typed.to_payload() == newer


def _stored(conn, table: str = "fact") -> list[tuple[FactKind, dict, str]]:
    rows = conn.execute(f"SELECT {SELECT} FROM {table}").fetchall()
    return [(from_row(r).kind, from_row(r).payload, r[-1]) for r in rows]


def test_real_facts_of_every_kind_round_trip_exactly(tmp_path, kyoto_settings):
    rows = [row(1, disability="1"), row(2, escort_of="1001"), row(3), row(4)]
    package = make_event(tmp_path / "event.sqlite", kyoto_settings, rows)
    # a second import: one changed, one cancelled
    check = check_roster(csv_bytes([rows[0], rows[1], row(3, shirt_size="L")]),
                         max_escorts=package.settings.max_escorts)
    import_roster(package, check)
    enrol(package, "sv-1", "Sato Hanako", "7391648205", hasher=FAST)
    log = StationLog.open(tmp_path / "log.sqlite", station_id="counter-1", event_id=package.settings.event_id)
    try:
        desk = CheckinDesk(package, log)
        case = desk.open_case("1001", FoundBy.SEARCH)
        assert case is not None
        evidence = desk.evidence(case, id_check=ID, escorts=(EscortEvidence("1002", ID),),
                                 certificate_seen=True, handed_over=("bib", "shirt"), chip_tag=CHIP)
        verdict, written = desk.complete(case, evidence, "V1", NOON)
        assert verdict.ready, verdict
        pickup = next(f for f in written if f.kind is FactKind.PICKUP and f.entry_no == "1001")
        assert payload_of(pickup) == PickupPayload(
            bib="1", role="runner", runner="1001", found_by="search", items=("bib", "shirt"),
            decided_offline=True, chip=CHIP)
        # The desk writes through the classes now: the dicts it wrote before, key for key.
        id_check = {"document": "drivers_licence", "name": "confirmed", "birth_date": "confirmed",
                    "original": True, "document_hash": None}
        assert [(f.kind, f.entry_no, f.payload) for f in written] == [
            (FactKind.ID_CHECKED, "1001", id_check),
            (FactKind.ID_CHECKED, "1002", id_check),
            (FactKind.ESCORT_PAIRED, "1001", {"escorts": ["1002"], "certificate_seen": True}),
            (FactKind.PICKUP, "1001", {"bib": "1", "role": "runner", "runner": "1001", "found_by": "search",
                                       "items": ["bib", "shirt"], "decided_offline": True, "chip": CHIP}),
            (FactKind.PICKUP, "1002", {"bib": "2", "role": "escort", "runner": "1001", "found_by": "search",
                                       "items": ["bib", "shirt"], "decided_offline": True}),
        ]

        signed = SupervisorSignIn(package, log, hasher=FAST)
        assert signed.sign_in("sv-1", "0000000000", NOON).outcome is SignInOutcome.WRONG_PIN
        assert signed.sign_in("sv-1", "7391648205", NOON).outcome is SignInOutcome.SIGNED_IN

        queue = ExceptionQueue(log, package)
        torn = desk.send_to_supervisor(case, "bib_damaged", "V1", note="torn")
        assert torn.payload == {"reason": "bib_damaged", "note": "torn", "codes": []}
        queue.claim(torn.fact_id, "sv-1")
        queue.resolve(torn.fact_id, Resolution(Decision.REPRINT_BIB, "torn at the counter", "sv-1"))
        typo = desk.send_to_supervisor(desk.open_case("1003", FoundBy.SEARCH), "name_mismatch", "V1",
                                       codes=("name_mismatch",))
        queue.resolve(typo.fact_id, Resolution(Decision.APPROVE_OVERRIDE, "the entry form has a typo", "sv-1",
                                               ground=Ground.ROSTER_TYPO))
        log.record(FactKind.PRINTER_POOL, volunteer_id="counter-1", entry_no="1001", payload=PoolChange(
            PoolChangeKind.MOVED, "p1", to="p2", problem="offline", job_id="j1", entry_no="1001",
            bib="1").payload())

        stored = _stored(log.conn) + _stored(package.conn, "roster_fact")
        kinds = {kind for kind, _, _ in stored}
        # Printing's own facts (bib_printed, a void of one copy) are written by the
        # print worker's thread; their shapes are covered by the class tests above.
        assert kinds == set(FactKind) - {FactKind.BIB_PRINTED}, kinds
        assert any("proof" in payload for _, payload, _ in stored)  # a supervisor's signed decision
        for kind, payload, text in stored:
            typed = PAYLOAD_CLASSES[kind].from_payload(payload)
            assert typed.to_payload() == payload == json.loads(text), (kind, payload)
            assert json.dumps(typed.to_payload(), ensure_ascii=False, sort_keys=True,
                              separators=(",", ":")) == text
    finally:
        log.close()
        package.close()
