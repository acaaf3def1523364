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

from station.core.audit import canonical
from station.core.confirmation import Signer, key_id_for, new_private_seed
from station.core.evidence import DocumentType, EscortEvidence, FoundBy, IdCheck, Match
from station.core.fact_check import REQUIRED, SHAPES, payload_problem
from station.core.fact_proof import proof_problem, sign_fact
from station.core.hlc import Stamp
from station.core.models import Fact, FactKind
from station.core.payloads import (
    PAYLOAD_CLASSES,
    BibPrintedPayload,
    IdCheckedPayload,
    PickupPayload,
    RosterUpdatePayload,
    VoidPayload,
    payload_keys,
    payload_of,
)
from station.core.roster import check_roster
from station.core.supervision import Decision, Ground, Resolution
from station.printing.pool import PoolChange, PoolChangeKind
from station.store.checkin import CheckinDesk
from station.store.confirmations import add_public_key, plan_issues, record_issues, revoke
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


def _unsigned(payload: dict) -> dict:
    return {k: v for k, v in payload.items() if k != "proof"}


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
        reprinted = queue.resolve(torn.fact_id, Resolution(Decision.REPRINT_BIB, "torn at the counter", "sv-1"))
        typo = desk.send_to_supervisor(desk.open_case("1003", FoundBy.SEARCH), "name_mismatch", "V1",
                                       codes=("name_mismatch",))
        approved = queue.resolve(typo.fact_id, Resolution(Decision.APPROVE_OVERRIDE, "the entry form has a typo",
                                                          "sv-1", ground=Ground.ROSTER_TYPO))
        # The queue writes through the classes now: the dicts it wrote before, key for key.
        why = {"exception_id": torn.fact_id, "decision": "reprint_bib", "supervisor_reason": "torn at the counter"}
        assert [(f.kind, _unsigned(f.payload)) for f in reprinted] == [
            (FactKind.EXCEPTION_RESOLVED, why),
            (FactKind.VOID, {**why, "what": "bib", "reason": "reprint"}),
            (FactKind.OVERRIDE, {**why, "reprint": True}),
            (FactKind.PICKUP, {**why, "reprint": True, "items": ["bib"], "bib": "1"}),
        ]
        why = {"exception_id": typo.fact_id, "decision": "approve_override",
               "supervisor_reason": "the entry form has a typo"}
        assert [(f.kind, _unsigned(f.payload)) for f in approved] == [
            (FactKind.EXCEPTION_CLAIMED, {"exception_id": typo.fact_id}),
            (FactKind.EXCEPTION_RESOLVED, {**why, "ground": "roster_typo"}),
            (FactKind.OVERRIDE, {**why, "ground": "roster_typo", "codes": ["name_mismatch"]}),
        ]
        log.record(FactKind.PRINTER_POOL, volunteer_id="counter-1", entry_no="1001", payload=PoolChange(
            PoolChangeKind.MOVED, "p1", to="p2", problem="offline", job_id="j1", entry_no="1001",
            bib="1").payload())

        # a partial file with one escort too many for 1001 (an escort_refused roster fact)
        import_roster(package, check_roster(csv_bytes([row(5, escort_of="1001", category="general")]),
                                            max_escorts=package.settings.max_escorts, known_runners={"1001"}))
        # a confirmation issued, then revoked (a confirmation_revoked roster fact)
        key_id = add_public_key(package, bytes(range(32)))
        record_issues(package, plan_issues(package, ["1003"]), key_id)
        revoke(package, "1003", "lost phone")
        roster_facts = [(f.entry_no, f.payload) for f in map(from_row, package.conn.execute(
            f"SELECT {SELECT} FROM roster_fact ORDER BY stamp").fetchall())]
        assert roster_facts[-3:] == [
            ("1003", {"change": "changed", "fields": {"shirt_size": "L"}, "previous": {"shirt_size": "M"}}),
            ("1001", {"change": "escort_refused", "escort": "1005", "line": 2, "why": "too_many_escorts"}),
            ("1003", {"change": "confirmation_revoked", "serial": 1, "reason": "lost phone"}),
        ], roster_facts

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


# Payloads exactly as the code before the typed classes wrote them (hand-built
# dicts), one or more per kind, with keys a newer station might add.
OLD_PAYLOADS: list[tuple[FactKind, dict]] = [
    (FactKind.PICKUP, {"bib": "1", "role": "runner", "runner": "1001", "found_by": "qr", "items": ["bib"],
                       "decided_offline": False, "chip": CHIP}),
    (FactKind.PICKUP, {"exception_id": "x-1", "decision": "reprint_bib", "supervisor_reason": "torn",
                       "reprint": True, "items": ["bib"], "bib": "1"}),
    (FactKind.ID_CHECKED, {"document": "passport", "name": "confirmed", "birth_date": "confirmed",
                           "original": True, "document_hash": "ab" * 32}),
    (FactKind.ESCORT_PAIRED, {"exception_id": "x-2", "decision": "repair_escorts", "supervisor_reason": "r",
                              "escorts": ["1002"], "by_supervisor": True}),
    (FactKind.BIB_PRINTED, {"copy": 2, "printer": "Counter B", "layout": "a5", "bib": "1", "job_id": "j-2",
                            "reprint_of": "f-1", "moved_from": ["Counter A"]}),
    (FactKind.EXCEPTION_OPENED, {"reason": "state_conflict", "note": "found by sync",
                                 "codes": ["state_conflict", "double_pickup"]}),
    (FactKind.EXCEPTION_CLAIMED, {"exception_id": "x-3"}),
    (FactKind.EXCEPTION_RESOLVED, {"exception_id": "x-3", "decision": "repair_escorts", "supervisor_reason": "r",
                                   "escorts": ["1002", "1004"]}),
    (FactKind.OVERRIDE, {"exception_id": "x-4", "decision": "fix_nickname", "supervisor_reason": "r",
                         "nickname": ""}),
    (FactKind.VOID, {"voids": "f-1", "what": "bib_copy", "copy": None, "reason": "jammed"}),
    (FactKind.ROSTER_UPDATE, {"change": "changed", "fields": {"bib": "9"}, "previous": {"bib": "8"}}),
    (FactKind.ROSTER_UPDATE, {"change": "escort_refused", "escort": "1005", "line": 7, "why": "too_many_escorts"}),
    (FactKind.ROSTER_UPDATE, {"change": "confirmation_revoked", "serial": 3, "reason": "reissued",
                              "from_a_newer_organizer": "kept"}),
    (FactKind.PRINTER_POOL, {"change": "out", "printer": "Counter A", "problem": "paused",
                             "detail": "Paused by the operator"}),
    (FactKind.SIGN_IN, {"at": "2027-02-19T03:00:00.000+00:00", "ok": False}),
]


def test_old_format_payloads_read_and_their_signatures_and_chain_hashes_still_hold():
    assert {kind for kind, _ in OLD_PAYLOADS} == set(FactKind)
    seed = new_private_seed()
    public = Signer(seed).public_raw
    keys = {key_id_for(public): public}
    for n, (kind, old) in enumerate(OLD_PAYLOADS):
        assert payload_problem(kind, old) is None, (kind, old)
        fact = sign_fact(Fact(f"fact-{n}", kind, "kyoto-2027", "counter-1", "sv-1", NOON.astimezone(dt.UTC),
                              Stamp(1_800_000_000_000 + n, 0, "counter-1"), "1001", dict(old)), seed)
        typed = payload_of(fact)
        again = dataclasses.replace(fact, payload=typed.to_payload())
        assert again.payload == fact.payload and typed.proof == fact.payload["proof"], kind
        assert proof_problem(again, keys) is None, kind
        assert canonical(again) == canonical(fact), kind
    # and the typed values read what the old dicts said
    reads = {kind: payload_of(Fact("f", kind, "e", "s", "v", NOON, Stamp(1, 0, "s"), None, old))
             for kind, old in OLD_PAYLOADS[:11]}
    assert reads[FactKind.BIB_PRINTED] == BibPrintedPayload(copy=2, printer="Counter B", layout="a5", bib="1",
                                                            job_id="j-2", reprint_of="f-1",
                                                            moved_from=("Counter A",))
    assert reads[FactKind.VOID] == VoidPayload(voids="f-1", what="bib_copy", copy=None, reason="jammed")
    assert reads[FactKind.OVERRIDE].nickname == "" and reads[FactKind.EXCEPTION_RESOLVED].escorts == ("1002", "1004")
    refused = RosterUpdatePayload.from_payload(OLD_PAYLOADS[11][1])
    assert (refused.escort, refused.line, refused.why) == ("1005", 7, "too_many_escorts")
    assert RosterUpdatePayload.from_payload(OLD_PAYLOADS[12][1]).extra == {"from_a_newer_organizer": "kept"}
