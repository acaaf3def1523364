"""Hostile facts at every door: for each fact kind and field, variants a
stranger or a compromised station could send (far-future and huge stamps,
other stations' names, organizer kinds from a station token, oversize fields,
wrong types, traversal ids, forged signatures) pushed through the real HTTP
hub on loopback and through the central-SQLite hub: none is accepted. A
station handed them anyway (a hub file written behind the door's back) sets
them aside and keeps checking runners in."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher

from station.core.confirmation import Signer, new_private_seed
from station.core.evidence import DocumentType, FoundBy, IdCheck, Match
from station.core.fact_check import FactRefused, Refusal
from station.core.fact_proof import sign_fact
from station.core.hlc import HybridClock, Stamp
from station.core.ledger import PickupStatus
from station.core.models import Fact, FactKind
from station.store import fact_rows
from station.store.checkin import CheckinDesk
from station.store.confirmations import add_public_key
from station.store.event_package import EventPackage
from station.store.event_trust import know_event
from station.store.sqlite import transaction
from station.store.station_log import StationLog
from station.store.supervisors import SupervisorSignIn, enrol
from station.sync.hub_store import HUB_FILE, HubStore, publish_event
from station.sync.protocol import HubRefused, ProtocolError, facts_from_wire
from station.sync.worker import SyncWorker
from tests.factories import make_event, row
from tests.integration.test_sync_hubs import EVENT, HttpHubRunner, SqliteHubRunner

PIN = "7391648205"
FAST = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)  # the same algorithm, cheaper for tests
IN_WINDOW = dt.datetime(2027, 2, 19, 3, 0, tzinfo=dt.UTC)  # Friday, noon in Kyoto
DAY_MS = 86_400_000

Wire = dict[str, Any]


def wire(fact: Fact) -> Wire:
    return dict(zip(fact_rows.COLUMNS, fact_rows.to_row(fact), strict=True))


def base_facts(log: StationLog) -> dict[FactKind, Fact]:
    """One genuine fact of each kind as counter-a would write it."""
    payloads: dict[FactKind, dict[str, Any]] = {
        FactKind.PICKUP: {"bib": "1", "role": "runner", "runner": "1001", "found_by": "search",
                          "items": ["bib"], "decided_offline": False},
        FactKind.ID_CHECKED: {"document": "passport", "name": "confirmed", "birth_date": "confirmed",
                              "original": True, "document_hash": "ab" * 16},
        FactKind.ESCORT_PAIRED: {"escorts": ["1002"], "certificate_seen": True},
        FactKind.BIB_PRINTED: {"copy": 1, "printer": "cups-pdf", "layout": "a5", "bib": "1", "job_id": "j1"},
        FactKind.EXCEPTION_OPENED: {"reason": "no_id", "note": "", "codes": ["no_id"]},
        FactKind.EXCEPTION_CLAIMED: {"exception_id": "x-1"},
        FactKind.EXCEPTION_RESOLVED: {"exception_id": "x-1", "decision": "refuse", "supervisor_reason": "no"},
        FactKind.OVERRIDE: {"exception_id": "x-1", "decision": "approve_override", "supervisor_reason": "ok",
                            "ground": "late_arrival_accepted", "codes": ["outside_window"]},
        FactKind.VOID: {"voids": "p-1", "what": "bib_copy", "copy": 1, "reason": "torn"},
        FactKind.ROSTER_UPDATE: {"change": "cancelled"},
    }
    return {kind: log.new_fact(kind, volunteer_id="vol-a", entry_no="1001", payload=payload)
            for kind, payload in payloads.items()}


# Hostile changes to the wire form of any fact: (name, change).
def _stamp(w: Wire, wall_ms: int | None = None, counter: str | None = None, node: str | None = None) -> str:
    stamp = Stamp.decode(w["stamp"])
    return (f"{(wall_ms if wall_ms is not None else stamp.wall_ms):015d}-"
            f"{counter if counter is not None else f'{stamp.counter:06d}'}-{node or stamp.node}")


COMMON: list[tuple[str, Any]] = [
    ("stamp two days ahead", lambda w: w | {"stamp": _stamp(w, Stamp.decode(w["stamp"]).wall_ms + 2 * DAY_MS)}),
    ("stamp year 33000", lambda w: w | {"stamp": _stamp(w, 10**15 - 1)}),
    ("stamp counter 999999", lambda w: w | {"stamp": _stamp(w, counter="999999")}),
    ("stamp counter 7 digits", lambda w: w | {"stamp": _stamp(w, counter="1000000")}),
    ("stamp counter negative", lambda w: w | {"stamp": _stamp(w, counter="-00001")}),
    ("stamp in 1970", lambda w: w | {"stamp": _stamp(w, 1_000)}),
    ("stamp not a stamp", lambda w: w | {"stamp": "tomorrow"}),
    ("another station's name", lambda w: w | {"station_id": "counter-b", "stamp": _stamp(w, node="counter-b")}),
    ("another station's clock", lambda w: w | {"stamp": _stamp(w, node="counter-b")}),
    ("the organizer's name", lambda w: w | {"station_id": "organizer", "stamp": _stamp(w, node="organizer")}),
    ("traversal event id", lambda w: w | {"event_id": "../stations/kyoto-test-2027--counter-a"}),
    ("another event", lambda w: w | {"event_id": "other-2027"}),
    ("traversal station id", lambda w: w | {"station_id": "../x", "stamp": _stamp(w, node="../x")}),
    ("empty fact id", lambda w: w | {"fact_id": ""}),
    ("fact id 65 chars", lambda w: w | {"fact_id": "f" * 65}),
    ("fact id with a newline", lambda w: w | {"fact_id": "a\nb"}),
    ("volunteer id 10k", lambda w: w | {"volunteer_id": "v" * 10_000}),
    ("entry no 10k", lambda w: w | {"entry_no": "1" * 10_000}),
    ("entry no empty", lambda w: w | {"entry_no": ""}),
    ("payload 5000 chars", lambda w: w | {"payload": json.dumps({"blob": "x" * 5000})}),
    ("payload a list", lambda w: w | {"payload": "[1, 2]"}),
    ("payload not json", lambda w: w | {"payload": "{"}),
    ("payload NaN", lambda w: w | {"payload": '{"x": NaN}'}),
    ("payload huge int", lambda w: w | {"payload": json.dumps({"x": 2**70})}),
    ("payload nested", lambda w: w | {"payload": json.dumps({"deep": {"a": {"b": [1]}}})}),
    ("unknown kind", lambda w: w | {"kind": "make_bib"}),
    ("wall time not a time", lambda w: w | {"wall_time": "yesterday"}),
    ("wall time naive", lambda w: w | {"wall_time": "2027-02-19T03:00:00"}),
    ("kind a number", lambda w: w | {"kind": 7}),
]


def _payload(w: Wire, **changes: Any) -> Wire:
    payload = json.loads(w["payload"])
    payload.update(changes)
    return w | {"payload": json.dumps(payload)}


def _without(w: Wire, key: str) -> Wire:
    payload = json.loads(w["payload"])
    payload.pop(key, None)
    return w | {"payload": json.dumps(payload)}


PER_KIND: dict[FactKind, list[tuple[str, Any]]] = {
    FactKind.PICKUP: [("items a text", lambda w: _payload(w, items="bib")),
                      ("decided_offline a text", lambda w: _payload(w, decided_offline="yes")),
                      ("bib 500 chars", lambda w: _payload(w, bib="1" * 500))],
    FactKind.ID_CHECKED: [("document hash a number", lambda w: _payload(w, document_hash=5)),
                          ("original a text", lambda w: _payload(w, original="true"))],
    FactKind.ESCORT_PAIRED: [("escorts a text", lambda w: _payload(w, escorts="1002")),
                             ("100 escorts", lambda w: _payload(w, escorts=["1"] * 100))],
    FactKind.BIB_PRINTED: [("copy a text", lambda w: _payload(w, copy="2")),
                           ("copy negative", lambda w: _payload(w, copy=-1)),
                           ("copy a bool", lambda w: _payload(w, copy=True))],
    FactKind.EXCEPTION_OPENED: [("codes numbers", lambda w: _payload(w, codes=[1, 2])),
                                ("note 5000 chars", lambda w: _payload(w, note="n" * 3000))],
    FactKind.EXCEPTION_CLAIMED: [("no exception id", lambda w: _without(w, "exception_id")),
                                 ("exception id a number", lambda w: _payload(w, exception_id=12))],
    FactKind.EXCEPTION_RESOLVED: [("no exception id", lambda w: _without(w, "exception_id")),
                                  ("decision a list", lambda w: _payload(w, decision=["x"]))],
    FactKind.OVERRIDE: [("keep_pickup a list", lambda w: _payload(w, keep_pickup=["x"])),
                        ("codes a text", lambda w: _payload(w, codes="outside_window"))],
    FactKind.VOID: [("copy a text", lambda w: _payload(w, copy="one")),
                    ("voids a dict", lambda w: _payload(w, voids={"a": 1}))],
    FactKind.ROSTER_UPDATE: [("as written by a counter", lambda w: w),
                             ("fields nested", lambda w: _payload(w, fields={"bib": {"x": 1}}))],
}


def hostile_variants(log: StationLog) -> Iterator[tuple[str, Wire]]:
    for kind, fact in base_facts(log).items():
        genuine = wire(fact)
        for name, change in [*COMMON, *PER_KIND[kind]]:
            variant = change(dict(genuine))
            variant["fact_id"] = variant["fact_id"] if name.startswith(("empty fact", "fact id")) \
                else str(uuid.uuid4())  # every variant new to the hub
            yield f"{kind.value}: {name}", variant


# -- the hall ---------------------------------------------------------------------------


@pytest.fixture
def organizer_seed() -> bytes:
    return new_private_seed()


@pytest.fixture
def published(tmp_path: Path, kyoto_settings, organizer_seed: bytes) -> Path:
    """An event package with a roster and the organizer's key, as the hub publishes it."""
    path = tmp_path / "event.sqlite"
    package = make_event(path, kyoto_settings, [row(1), row(2), row(3), row(4)])
    add_public_key(package, Signer(organizer_seed).public_raw)
    enrol(package, "sv-1", "Sato Hanako", PIN, hasher=FAST)
    enrol(package, "sv-2", "Ito Ken", "5028179346", hasher=FAST)
    package.close()
    return path


@pytest.fixture(params=["http", "sqlite"])
def hub(request: pytest.FixtureRequest, tmp_path: Path, published: Path, organizer_seed: bytes
        ) -> Iterator[HttpHubRunner | SqliteHubRunner]:
    data = tmp_path / "hub"
    data.mkdir()
    runner = HttpHubRunner(data) if request.param == "http" else SqliteHubRunner(data)
    publish_event(data, published, private_seed=organizer_seed)
    runner.start()
    yield runner
    runner.close()


def hub_fact_ids(hub: HttpHubRunner | SqliteHubRunner) -> set[str]:
    with hub.inspect() as store:
        return store.fact_ids()


def push_raw(hub: HttpHubRunner | SqliteHubRunner, client: Any, token: str, variant: Wire) -> str:
    """Push one wire fact as a hostile station would; return how it was refused ('' if accepted)."""
    if isinstance(hub, HttpHubRunner):
        answer = httpx.post(f"{hub.url}/v1/facts", json={"facts": [variant]},
                            headers={"Authorization": f"Bearer {token}", "X-Station": "counter-a",
                                     "X-Laptop": "laptop-test-a"})
        assert answer.status_code < 500, (answer.status_code, answer.text)
        return "" if answer.status_code == 200 else f"{answer.status_code} {answer.json().get('reason', '')}"
    try:
        facts = facts_from_wire([variant])
    except ProtocolError:
        return "unreadable"
    try:
        client.push(list(facts))
    except FactRefused as exc:
        return exc.reason.value
    except HubRefused as exc:
        return f"refused: {exc}"
    return ""


def test_no_hostile_fact_is_accepted_at_either_hub(hub, tmp_path: Path):
    log = StationLog.open(tmp_path / "a.sqlite", station_id="counter-a", event_id=EVENT)
    with HubStore.open(hub.data / HUB_FILE) as store:
        token = store.add_station("counter-a")
    client = hub.connect("counter-a") if isinstance(hub, SqliteHubRunner) else None
    try:
        before = hub_fact_ids(hub)
        genuine = base_facts(log)[FactKind.PICKUP]
        assert push_raw(hub, client, token, wire(genuine)) == "", "the door lets a genuine fact in"
        accepted = []
        reasons: dict[str, str] = {}
        variants = list(hostile_variants(log))
        assert len(variants) > 300
        for name, variant in variants:
            how = push_raw(hub, client, token, variant)
            if not how:
                accepted.append(name)
            reasons[name] = how
        assert accepted == []
        assert hub_fact_ids(hub) == before | {genuine.fact_id}
        # the refusals are named, not generic
        assert "stamp_in_future" in reasons["pickup: stamp two days ahead"]
        assert "not_your_name" in reasons["pickup: another station's name"]
        assert "kind_not_allowed" in reasons["roster_update: as written by a counter"]
        assert "bad_stamp" in reasons["pickup: stamp counter 999999"]
    finally:
        log.close()


def test_back_dated_and_forged_organizer_facts_are_refused(hub, tmp_path: Path, published: Path):
    log = StationLog.open(tmp_path / "a.sqlite", station_id="counter-a", event_id=EVENT)
    client = hub.connect("counter-a")
    try:
        first = log.record(FactKind.PICKUP, volunteer_id="v", entry_no="1001")
        client.push([first])
        earlier = dataclasses.replace(
            log.new_fact(FactKind.PICKUP, volunteer_id="v", entry_no="1002"),
            stamp=Stamp(first.stamp.wall_ms - 3_600_000, 0, "counter-a"))
        with pytest.raises(FactRefused) as refused:
            client.push([earlier])
        assert refused.value.reason is Refusal.BACKDATED

        # The organizer's own publication: a fact signed by a key not the event's, or edited after signing.
        clock = HybridClock("organizer")
        unsigned = Fact(str(uuid.uuid4()), FactKind.ROSTER_UPDATE, EVENT, "organizer", "organizer",
                        dt.datetime.now(dt.UTC).replace(microsecond=0), clock.now(), "1003", {"change": "cancelled"})
        stranger = sign_fact(unsigned, new_private_seed())
        with HubStore.open(hub.data / HUB_FILE) as store:
            with pytest.raises(FactRefused) as refused:
                store.ingest([unsigned], station=None)
            assert refused.value.reason is Refusal.UNSIGNED
            with pytest.raises(FactRefused) as refused:
                store.ingest([stranger], station=None)
            assert refused.value.reason is Refusal.UNKNOWN_KEY
        assert unsigned.fact_id not in hub_fact_ids(hub)
    finally:
        log.close()


def test_the_organizers_signed_facts_flow_and_a_tampered_copy_does_not(hub, tmp_path, published, organizer_seed):
    package = EventPackage.open(published)
    clock = HybridClock("organizer")
    fact = Fact(str(uuid.uuid4()), FactKind.ROSTER_UPDATE, EVENT, "organizer", "organizer",
                dt.datetime.now(dt.UTC).replace(microsecond=0), clock.now(), "1004", {"change": "cancelled"})
    with transaction(package.conn, published):
        fact_rows.insert(package.conn, "roster_fact", [fact])
    package.close()
    publish_event(hub.data, published, private_seed=organizer_seed)
    with hub.inspect() as store:
        held = store.entry("1004").facts
    assert [f.fact_id for f in held] == [fact.fact_id] and "proof" in held[0].payload
    tampered = dataclasses.replace(held[0], fact_id=str(uuid.uuid4()), entry_no="1001")
    with HubStore.open(hub.data / HUB_FILE) as store, pytest.raises(FactRefused) as refused:
        store.ingest([tampered], station=None)
    assert refused.value.reason is Refusal.BAD_SIGNATURE


# -- a station handed them anyway ----------------------------------------------------------


def smuggle(hub_file: Path, variants: list[tuple[str, Wire]]) -> int:
    """Write hostile rows into the hub's file behind the door's back (an old hub, a tampered disk)."""
    conn = sqlite3.connect(hub_file)
    try:
        with conn:
            conn.executemany(
                f"INSERT OR IGNORE INTO fact ({fact_rows.SELECT}) VALUES ({', '.join('?' * 9)})",
                [tuple(str(v[c]) if v[c] is not None else None for c in fact_rows.COLUMNS)
                 for _, v in variants])
        return conn.execute("SELECT count(*) FROM fact").fetchone()[0]
    finally:
        conn.close()


def check_in(package: EventPackage, log: StationLog, entry_no: str) -> PickupStatus:
    desk = CheckinDesk(package, log)
    case = desk.open_case(entry_no, FoundBy.SEARCH)
    assert case is not None
    evidence = desk.evidence(case, id_check=IdCheck(DocumentType.PASSPORT, Match.CONFIRMED, Match.CONFIRMED),
                             handed_over=("bib", "gift", "shirt"))
    verdict, _ = desk.complete(case, evidence, "vol-b", IN_WINDOW)
    assert verdict.ready, verdict
    return log.entry_state(entry_no).status


def test_a_station_handed_hostile_facts_keeps_checking_runners_in(hub, tmp_path, published):
    writer = StationLog.open(tmp_path / "a.sqlite", station_id="counter-a", event_id=EVENT)
    variants = [(n, v) for n, v in hostile_variants(writer) if isinstance(v.get("kind"), str)]
    writer.close()
    smuggle(hub.data / HUB_FILE, variants)

    package = EventPackage.open(published)
    log_path = tmp_path / "b.sqlite"
    log = know_event(StationLog.open(log_path, station_id="counter-b", event_id=EVENT), package)
    worker = SyncWorker(log, hub.connect("counter-b"))
    try:
        assert check_in(package, log, "1001") is PickupStatus.PICKED_UP
        worker.sync_once()  # pulls every smuggled row
        set_aside = {q.fact_id for q in log.quarantined()}
        taken = {f.fact_id for _, f in log.facts()}
        # Everything smuggled was set aside but what is hostile only to the hub (another
        # station's name or back-dating cannot be seen by a receiver; fact ids too odd to keep).
        slipped = sorted(n for n, v in variants if v["fact_id"] in taken)
        assert set(slipped) <= {f"{k.value}: another station's name" for k in FactKind
                                if k is not FactKind.ROSTER_UPDATE}, slipped
        smuggled = {v["fact_id"] for _, v in variants}  # (the hub file keeps one row per id)
        assert smuggled - taken <= set_aside
        assert log.clock.now().encode()  # the clock still encodes
        assert check_in(package, log, "1002") is PickupStatus.PICKED_UP
        worker.sync_once()
    finally:
        worker.close()
        log.close()
    # ... and after a restart
    log = StationLog.open(log_path, station_id="counter-b", event_id=EVENT)
    try:
        assert check_in(package, log, "1003") is PickupStatus.PICKED_UP
        assert log.entry_state("1001").status is PickupStatus.PICKED_UP
    finally:
        log.close()
        package.close()


def test_supervisor_decisions_carry_the_supervisors_signature(hub, tmp_path, published):
    package = EventPackage.open(published)
    log = know_event(StationLog.open(tmp_path / "a.sqlite", station_id="counter-a", event_id=EVENT), package)
    client = hub.connect("counter-a")
    decision = {"exception_id": "x-1", "decision": "resolve_double_pickup", "supervisor_reason": "seen",
                "keep_pickup": "p-1"}
    try:
        unsigned = log.new_fact(FactKind.OVERRIDE, volunteer_id="sv-1", entry_no="1001", payload=decision)
        stranger = sign_fact(log.new_fact(FactKind.OVERRIDE, volunteer_id="sv-1", entry_no="1001",
                                          payload=decision), new_private_seed())
        void = log.new_fact(FactKind.VOID, volunteer_id="sv-1", entry_no="1001",
                            payload={"what": "bib", "reason": "supervisor"})
        desk = SupervisorSignIn(package, log, hasher=FAST)
        assert desk.sign_in("sv-2", "0000000000", IN_WINDOW).session is None  # a wrong PIN unseals nothing
        assert desk.sign_in("sv-2", "5028179346", IN_WINDOW).session is not None
        by_other = dataclasses.replace(log.new_fact(FactKind.OVERRIDE, volunteer_id="sv-2", entry_no="1001",
                                                    payload=decision), volunteer_id="sv-1")
        tampered = dataclasses.replace(signed_earlier := log.new_fact(
            FactKind.OVERRIDE, volunteer_id="sv-2", entry_no="1001", payload=decision), entry_no="1002")
        assert "proof" in signed_earlier.payload
        for fact, reason in [(unsigned, Refusal.UNSIGNED), (stranger, Refusal.UNKNOWN_KEY),
                             (void, Refusal.UNSIGNED), (by_other, Refusal.UNKNOWN_KEY),
                             (tampered, Refusal.BAD_SIGNATURE)]:
            with pytest.raises(FactRefused) as refused:
                client.push([fact])
            assert refused.value.reason is reason, fact.kind
        assert desk.sign_in("sv-1", PIN, IN_WINDOW).session is not None
        signed = log.new_fact(FactKind.OVERRIDE, volunteer_id="sv-1", entry_no="1001", payload=decision)
        assert "proof" in signed.payload
        assert client.push([signed]).new == 1
        desk.sign_out("sv-1")
        assert "proof" not in log.new_fact(FactKind.OVERRIDE, volunteer_id="sv-1", entry_no="1001",
                                           payload=decision).payload

        # Another station handed the unsigned ones anyway sets them aside and takes the signed one.
        other = know_event(StationLog.open(tmp_path / "b.sqlite", station_id="counter-b", event_id=EVENT), package)
        try:
            assert other.append([unsigned, stranger, void, by_other, tampered, signed], received=True) == [signed]
            assert {q.reason for q in other.quarantined()} == {"unsigned", "unknown_key", "bad_signature"}
        finally:
            other.close()
    finally:
        log.close()
        package.close()


def test_the_sealed_key_is_not_in_the_package_in_the_clear(published):
    package = EventPackage.open(published)
    try:
        from station.store.supervisor_keys import unseal

        seed = unseal(package, "sv-1", PIN)
        assert seed is not None and len(seed) == 32
        assert seed not in published.read_bytes() and PIN.encode() not in published.read_bytes()
        assert unseal(package, "sv-1", "5028179346") is None
    finally:
        package.close()
