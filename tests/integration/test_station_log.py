"""The station's log: append-only, idempotent, durable settings, derived state equal to a rebuild."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import uuid

import pytest

from station.core.errors import StationError
from station.core.hlc import Stamp
from station.core.ledger import Conflict, PickupStatus
from station.core.models import Fact, FactKind
from station.store.station_log import StationLog


@pytest.fixture
def log(tmp_path):
    station_log = StationLog.open(tmp_path / "counter-1.sqlite", station_id="counter-1", event_id="ev")
    yield station_log
    station_log.close()


def test_pragmas_wal_and_full_sync(log):
    assert log.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert log.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_a_fact_carries_everything_the_log_promises(log):
    fact = log.record(FactKind.PICKUP, volunteer_id="v-17", entry_no="1001", payload={"items": ["bib"]})
    (_, stored), = list(log.facts())
    assert stored == fact
    assert uuid.UUID(fact.fact_id).version == 4
    assert (fact.event_id, fact.station_id, fact.volunteer_id) == ("ev", "counter-1", "v-17")
    assert fact.wall_time.tzinfo is not None and fact.wall_time.utcoffset() == dt.timedelta(0)
    assert fact.stamp.node == "counter-1"


def test_facts_cannot_be_updated_or_deleted(log):
    log.record(FactKind.PICKUP, volunteer_id="v", entry_no="1001")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        log.conn.execute("UPDATE fact SET entry_no = '1002'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        log.conn.execute("DELETE FROM fact")


def test_appending_the_same_facts_twice_changes_nothing(log):
    facts = [log.new_fact(FactKind.PICKUP, volunteer_id="v", entry_no="1001"),
             log.new_fact(FactKind.ID_CHECKED, volunteer_id="v", entry_no="1001")]
    assert log.append(facts) == facts
    assert log.append(facts) == []
    assert log.summary().facts == 2 and log.entry_state("1001").pickups == 1


def test_a_fact_of_another_event_is_set_aside_not_fatal(log):
    good = log.new_fact(FactKind.PICKUP, volunteer_id="v", entry_no="1001")
    bad = Fact("x", FactKind.PICKUP, "other-event", "counter-1", "v", good.wall_time, good.stamp, "1002")
    assert log.append([good, bad]) == [good]
    assert log.summary().facts == 1
    assert [(q.fact_id, q.reason) for q in log.quarantined()] == [("x", "wrong_event")]


def test_derived_state_shows_where_and_when(log):
    fact = log.record(FactKind.PICKUP, volunteer_id="v", entry_no="1001")
    state = log.entry_state("1001")
    assert state.status is PickupStatus.PICKED_UP
    assert state.pickup.station_id == "counter-1" and state.pickup.wall_time == fact.wall_time
    assert log.entry_state("9999").status is PickupStatus.WAITING


def test_a_remote_pickup_received_later_becomes_a_conflict(log):
    log.record(FactKind.PICKUP, volunteer_id="v", entry_no="1001")
    mine = log.entry_state("1001").pickup
    remote = Fact(str(uuid.uuid4()), FactKind.PICKUP, "ev", "counter-2", "w", mine.wall_time,
                  Stamp(mine.stamp.wall_ms - 5, 0, "counter-2"), "1001")
    log.append([remote])
    state = log.entry_state("1001")
    assert state.conflict is Conflict.DOUBLE_PICKUP
    assert state.pickup.station_id == "counter-2"  # earlier in merge order
    assert log.summary().conflicts == 1
    assert log.clock.now() > remote.stamp


def test_exceptions_open_and_resolve(log):
    opened = log.record(FactKind.EXCEPTION_OPENED, volunteer_id="v", entry_no="1001",
                        payload={"reason": "no_original_id"})
    assert [e.exception_id for e in log.open_exceptions()] == [opened.fact_id]
    log.record(FactKind.EXCEPTION_RESOLVED, volunteer_id="s1", entry_no="1001",
               payload={"exception_id": opened.fact_id, "decision": "refused"})
    assert log.open_exceptions() == []


def test_a_log_belongs_to_one_station_and_event(tmp_path):
    StationLog.open(tmp_path / "l.sqlite", station_id="counter-1", event_id="ev").close()
    with pytest.raises(StationError, match="is the log of station 'counter-1'"):
        StationLog.open(tmp_path / "l.sqlite", station_id="counter-2", event_id="ev")


def test_reopening_keeps_the_clock_moving_forward(tmp_path):
    path = tmp_path / "l.sqlite"
    first = StationLog.open(path, station_id="counter-1", event_id="ev")
    last = first.record(FactKind.PICKUP, volunteer_id="v", entry_no="1")
    first.close()
    # The laptop's clock is now an hour behind.
    behind = lambda: last.stamp.wall_ms - 3_600_000  # noqa: E731
    second = StationLog.open(path, station_id="counter-1", event_id="ev", wall=behind)
    try:
        assert second.record(FactKind.PICKUP, volunteer_id="v", entry_no="2").stamp > last.stamp
    finally:
        second.close()


KINDS = [FactKind.PICKUP] * 5 + [FactKind.VOID, FactKind.BIB_PRINTED, FactKind.ID_CHECKED,
                                 FactKind.ESCORT_PAIRED, FactKind.OVERRIDE]


def random_facts(rng: random.Random, count: int) -> list[Fact]:
    """Facts from five stations whose clocks disagree, in a shuffled arrival order."""
    facts: list[Fact] = []
    opened: list[str] = []
    base = dt.datetime(2027, 2, 19, 2, 30, tzinfo=dt.UTC)
    for i in range(count):
        station = f"counter-{rng.randint(1, 5)}"
        ms = 1_800_000_000_000 + rng.randint(0, 50_000_000)
        roll = rng.random()
        entry = f"{rng.randint(1, 400):04d}"
        if roll < 0.05:
            kind, payload = FactKind.EXCEPTION_OPENED, {"reason": rng.choice(["no_id", "name_differs"])}
        elif roll < 0.08 and opened:
            kind, payload = FactKind.EXCEPTION_RESOLVED, {"exception_id": rng.choice(opened)}
        elif roll < 0.10:
            kind, payload = FactKind.ROSTER_UPDATE, {"change": rng.choice(["cancelled", "reinstated", "changed"])}
            station = "organizer"  # roster facts are the organizer's (a station's door refuses others)
        else:
            kind, payload = rng.choice(KINDS), ({"reprint": True} if rng.random() < 0.1 else {})
            if kind is FactKind.ID_CHECKED:
                payload = {"document": "passport", "document_hash": f"h{rng.randint(1, 300)}"}
        fact = Fact(f"{i:06d}-{rng.random():.6f}", kind, "ev", station, "v",
                    base + dt.timedelta(milliseconds=ms % 10_000_000), Stamp(ms, rng.randint(0, 3), station),
                    entry, payload)
        if kind is FactKind.EXCEPTION_OPENED:
            opened.append(fact.fact_id)
        facts.append(fact)
    rng.shuffle(facts)
    return facts


def derived_tables(log: StationLog) -> tuple[list, list, list]:
    states = log.conn.execute("SELECT * FROM entry_state ORDER BY entry_no").fetchall()
    exceptions = log.conn.execute("SELECT * FROM open_exception ORDER BY exception_id").fetchall()
    documents = log.conn.execute("SELECT * FROM document_use ORDER BY document_hash, entry_no").fetchall()
    return states, exceptions, documents


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_derived_state_equals_a_rebuild_from_the_log(tmp_path, seed):
    rng = random.Random(seed)
    # The receiver's clock is past every stamp (the door refuses stamps from its future).
    log = StationLog.open(tmp_path / "l.sqlite", station_id="counter-1", event_id="ev",
                          wall=lambda: 1_900_000_000_000)
    try:
        facts = random_facts(rng, 3000)
        position = 0
        while position < len(facts):  # batches of random size, as sync delivers them
            size = rng.randint(1, 60)
            log.append(facts[position:position + size])
            position += size
        incremental = derived_tables(log)
        assert len(incremental[0]) > 300 and incremental[1] and incremental[2], "exercise every table"
        assert any(row[10] for row in incremental[0]), "and produce conflicts"
        summary = log.rebuild()
        assert derived_tables(log) == incremental
        assert summary.facts == 3000
    finally:
        log.close()


def test_a_document_shown_twice_is_found_by_its_hash(log):
    log.record(FactKind.ID_CHECKED, volunteer_id="v", entry_no="1001", payload={"document_hash": "abc"})
    log.record(FactKind.ID_CHECKED, volunteer_id="v", entry_no="1002", payload={"document_hash": "abc"})
    log.record(FactKind.ID_CHECKED, volunteer_id="v", entry_no="1003", payload={"document_hash": "xyz"})
    assert log.document_uses("abc") == ["1001", "1002"]
    assert log.document_uses("nope") == []


def test_rebuild_repairs_damaged_derived_tables(log):
    log.record(FactKind.PICKUP, volunteer_id="v", entry_no="1001")
    log.conn.execute("DELETE FROM entry_state")
    assert log.entry_state("1001").status is PickupStatus.WAITING
    log.rebuild()
    assert log.entry_state("1001").status is PickupStatus.PICKED_UP
