"""Writing a checked roster: one transaction, and only the differences on re-import."""

from __future__ import annotations

import hashlib

import pytest

from station.core.ledger import PickupStatus, fold_entry
from station.core.models import EntrantStatus, FactKind
from station.core.roster import Refusal, check_roster
from station.store import fact_rows
from station.store.event_package import EventPackage
from station.store.roster_import import import_roster
from tests.factories import csv_bytes, row


@pytest.fixture
def package(tmp_path, kyoto_settings):
    p = EventPackage.create(tmp_path / "e.sqlite", kyoto_settings)
    yield p
    p.close()


def run_import(package, rows, **kwargs):
    check = check_roster(csv_bytes(rows), max_escorts=package.settings.max_escorts)
    return import_roster(package, check, **kwargs)


def facts(package):
    return [f for _, f in package.roster_facts()]


def test_first_import_adds_everyone_and_records_which_file(package):
    rows = [row(i) for i in range(1, 51)]
    result = run_import(package, rows)
    assert result.written and len(result.changes.added) == 50
    assert package.counts().runners == 50
    (loaded,) = facts(package)  # the roster itself travels in the package
    assert loaded.kind is FactKind.ROSTER_UPDATE and loaded.station_id == "organizer"
    assert loaded.payload == {"change": "loaded", "entrants": 50,
                              "sha256": hashlib.sha256(csv_bytes(rows)).hexdigest()}


def test_a_late_entry_is_a_fact_carrying_the_entrant(package):
    run_import(package, [row(1)])
    run_import(package, [row(1), row(2)])
    added = facts(package)[-1]
    assert added.entry_no == "1002" and added.payload["change"] == "added"
    assert added.payload["entrant"]["given_latin"] == "Taro2"
    assert added.payload["entrant"]["birth_date"] == "1980-05-05"


def test_reimporting_the_same_file_changes_nothing(package):
    rows = [row(i) for i in range(1, 11)]
    run_import(package, rows)
    again = run_import(package, rows)
    assert not again.written and again.changes.unchanged == 10
    assert len(facts(package)) == 1


def test_a_corrected_file_applies_only_the_differences(package):
    rows = [row(i) for i in range(1, 11)]
    run_import(package, rows)
    rows[2] = row(3, nickname="タロウ")  # corrected
    rows.append(row(11))  # late entry
    result = run_import(package, rows)
    assert result.changes.changed == ("1003",) and result.changes.added == ("1011",)
    assert result.changes.unchanged == 9
    change = facts(package)[-2]
    assert change.entry_no == "1003"
    assert change.payload == {"change": "changed", "fields": {"nickname": "タロウ"}, "previous": {"nickname": ""}}
    assert package.entrant("1003").nickname == "タロウ"


def test_bibs_can_swap_between_two_entrants_in_one_correction(package):
    run_import(package, [row(1), row(2)])
    result = run_import(package, [row(1, bib="2"), row(2, bib="1")])
    assert set(result.changes.changed) == {"1001", "1002"}
    assert package.entrant("1001").bib == "2" and package.entrant("1002").bib == "1"


def test_missing_entrants_are_kept_unless_cancelling_is_asked(package):
    run_import(package, [row(1), row(2), row(3)])
    kept = run_import(package, [row(1), row(2)])
    assert kept.changes.missing_kept == ("1003",) and not kept.written
    assert package.entrant("1003").status is EntrantStatus.ACTIVE
    cancelled = run_import(package, [row(1), row(2)], cancel_missing=True)
    assert cancelled.changes.cancelled == ("1003",)
    assert package.entrant("1003").status is EntrantStatus.CANCELLED
    assert package.counts().cancelled == 1
    # The cancellation is a fact the counters fold like any other.
    state = fold_entry("1003", [f for f in facts(package) if f.entry_no == "1003"])
    assert state.status is PickupStatus.CANCELLED
    back = run_import(package, [row(1), row(2), row(3)])
    assert back.changes.reinstated == ("1003",)
    assert package.entrant("1003").status is EntrantStatus.ACTIVE


def test_a_refused_row_never_cancels_its_entrant(package):
    run_import(package, [row(1), row(2)])
    result = run_import(package, [row(1), row(2, birth_date="1990-02-30")], cancel_missing=True)
    assert result.changes.cancelled == () and package.entrant("1002").status is EntrantStatus.ACTIVE


def test_cancel_missing_waits_for_a_file_without_refusals(package):
    """A row whose entry number cannot be read is refused; its runner must not be cancelled as 'missing'."""
    run_import(package, [row(1), row(2), row(3)])
    result = run_import(package, [row(1), row(2, entry_no="")], cancel_missing=True)
    assert result.changes.cancel_blocked and result.changes.cancelled == ()
    assert package.entrant("1002").status is EntrantStatus.ACTIVE
    assert package.entrant("1003").status is EntrantStatus.ACTIVE


def test_a_bib_held_by_an_entrant_left_alone_is_refused(package):
    run_import(package, [row(1), row(2)])
    result = run_import(package, [row(1), row(3, bib="2")])
    assert [(p.line, p.code) for p in result.check.problems] == [(3, Refusal.DUPLICATE_BIB)]
    assert package.entrant("1003") is None


def test_dry_run_writes_nothing(package):
    result = run_import(package, [row(1), row(2)], dry_run=True)
    assert len(result.changes.added) == 2 and not result.written
    assert package.counts().runners == 0 and facts(package) == []


def test_a_failure_half_way_leaves_no_half_roster(package, monkeypatch):
    real_insert = fact_rows.insert
    run_import(package, [row(1)])
    calls = []

    def failing_insert(conn, table, batch):
        calls.append(len(batch))
        if len(calls) == 2:
            raise OSError("disk unplugged")
        return real_insert(conn, table, batch)

    monkeypatch.setattr(fact_rows, "insert", failing_insert)
    with pytest.raises(OSError):
        run_import(package, [row(i) for i in range(1, 2501)])  # 2,499 late entries, facts in batches
    assert calls[0] == 1000, "the first batch of facts was written before the failure"
    assert package.counts().runners == 1
    assert package.conn.execute("SELECT count(*) FROM roster_fact").fetchone()[0] == 1


def test_escorts_are_imported_with_their_runner(package):
    package.save_settings(package.settings.with_changes(max_escorts=2))
    run_import(package, [row(1, disability="1"), row(2, escort_of="1001"), row(3, escort_of="1001")])
    assert [e.entry_no for e in package.escorts_of("1001")] == ["1002", "1003"]
    assert package.counts().escorts == 2
