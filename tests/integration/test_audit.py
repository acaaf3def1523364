"""The audit chain in real log files: tampering with a copy (triggers dropped) is caught."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from station.commands.audit import audit
from station.core.audit import Break
from station.core.hlc import Stamp
from station.core.models import Fact, FactKind
from station.store.audit_log import verify_log
from station.store.station_log import StationLog

EVENT = "ev"


@pytest.fixture
def log_file(tmp_path) -> Path:
    path = tmp_path / "counter-1.sqlite"
    log = StationLog.open(path, station_id="counter-1", event_id=EVENT)
    for n in range(6):
        log.record(FactKind.PICKUP, volunteer_id="v-1", entry_no=f"100{n}", payload={"bib": f"A{n}"})
        # A fact from another station arrives between ours (sync); it is not in our chain.
        other = log.new_fact(FactKind.PICKUP, volunteer_id="v-9", entry_no=f"900{n}")
        log.append([Fact(f"remote-{n}", other.kind, EVENT, "counter-2", "v-9", other.wall_time,
                         Stamp(other.stamp.wall_ms, 0, "counter-2"), other.entry_no)])
    log.close()
    return path


def tampered(path: Path, tmp_path: Path, *statements: str) -> Path:
    copy = tmp_path / f"copy-{len(list(tmp_path.glob('copy-*')))}.sqlite"
    src = sqlite3.connect(path)
    dst = sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    for trigger in ("fact_no_update", "fact_no_delete", "fact_chain_no_update", "fact_chain_no_delete"):
        dst.execute(f"DROP TRIGGER {trigger}")
    for statement in statements:
        dst.execute(statement)
    dst.commit()
    dst.close()
    return copy


def own_ids(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    ids = [r[0] for r in conn.execute("SELECT fact_id FROM fact WHERE station_id = 'counter-1' ORDER BY seq")]
    conn.close()
    return ids


def test_an_untouched_log_verifies(log_file):
    report = verify_log(log_file)
    assert report.intact and report.links == 6 and report.station_id == "counter-1"


def test_an_altered_payload_is_named(log_file, tmp_path):
    third = own_ids(log_file)[2]
    copy = tampered(log_file, tmp_path, f"UPDATE fact SET payload = '{{\"bib\":\"Z9\"}}' WHERE fact_id = '{third}'")
    report = verify_log(copy)
    assert report.broken.problem is Break.ALTERED and report.broken.fact_id == third
    assert verify_log(log_file).intact  # the original is untouched


def test_an_altered_volunteer_is_named(log_file, tmp_path):
    first = own_ids(log_file)[0]
    copy = tampered(log_file, tmp_path, f"UPDATE fact SET volunteer_id = 'someone-else' WHERE fact_id = '{first}'")
    assert verify_log(copy).broken.fact_id == first


def test_a_deleted_fact_is_named(log_file, tmp_path):
    fourth = own_ids(log_file)[3]
    copy = tampered(log_file, tmp_path, f"DELETE FROM fact WHERE fact_id = '{fourth}'")
    report = verify_log(copy)
    assert report.broken.problem is Break.MISSING_FACT and report.broken.fact_id == fourth


def test_a_fact_deleted_with_its_link_breaks_the_next(log_file, tmp_path):
    ids = own_ids(log_file)
    copy = tampered(log_file, tmp_path, f"DELETE FROM fact WHERE fact_id = '{ids[1]}'",
                    f"DELETE FROM fact_chain WHERE fact_id = '{ids[1]}'")
    report = verify_log(copy)
    assert report.broken.problem is Break.OUT_OF_ORDER and report.broken.fact_id == ids[2]


def test_reordered_facts_are_caught(log_file, tmp_path):
    ids = own_ids(log_file)
    conn = sqlite3.connect(log_file)
    seq = dict(conn.execute("SELECT fact_id, seq FROM fact").fetchall())
    conn.close()
    a, b = seq[ids[1]], seq[ids[4]]
    # Swap two facts' places (through a free seq), leaving the chain rows where they were.
    copy = tampered(log_file, tmp_path, f"UPDATE fact SET seq = -1 WHERE seq = {a}",
                    f"UPDATE fact SET seq = {a} WHERE seq = {b}", f"UPDATE fact SET seq = {b} WHERE seq = -1")
    report = verify_log(copy)
    assert report.broken.problem is Break.WRONG_FACT and report.broken.fact_id == ids[4]
    # ...and moving the chain rows along with the facts still breaks the links.
    copy = tampered(log_file, tmp_path, f"UPDATE fact SET seq = -1 WHERE seq = {a}",
                    f"UPDATE fact SET seq = {a} WHERE seq = {b}", f"UPDATE fact SET seq = {b} WHERE seq = -1",
                    f"UPDATE fact_chain SET seq = -1 WHERE seq = {a}",
                    f"UPDATE fact_chain SET seq = {a} WHERE seq = {b}",
                    f"UPDATE fact_chain SET seq = {b} WHERE seq = -1")
    report = verify_log(copy)
    assert report.broken.problem is Break.OUT_OF_ORDER and report.broken.fact_id == ids[4]


def test_a_fact_slipped_in_is_caught(log_file, tmp_path):
    copy = tampered(log_file, tmp_path,
                    "INSERT INTO fact (fact_id, kind, event_id, station_id, volunteer_id, wall_time, stamp, "
                    "entry_no, payload) SELECT 'sneaky', kind, event_id, station_id, volunteer_id, wall_time, "
                    "stamp || 'x', '5555', payload FROM fact WHERE station_id = 'counter-1' LIMIT 1")
    report = verify_log(copy)
    assert report.broken.problem is Break.MISSING_LINK and report.broken.fact_id == "sneaky"


def test_the_command_names_the_first_broken_link_per_log(log_file, tmp_path):
    third = own_ids(log_file)[2]
    copy = tampered(log_file, tmp_path, f"UPDATE fact SET entry_no = '0000' WHERE fact_id = '{third}'")
    result = CliRunner().invoke(audit, ["verify", str(log_file), str(copy)])
    assert result.exit_code == 1, result.output
    assert "counter-1: intact, 6 links" in result.output
    assert third in result.output and "changed after it was written" in result.output
    ok = CliRunner().invoke(audit, ["verify", str(log_file)])
    assert ok.exit_code == 0 and "intact" in ok.output


def test_a_log_written_before_the_chain_is_chained_when_opened(tmp_path, log_file):
    copy = tampered(log_file, tmp_path, "DELETE FROM fact_chain")
    assert verify_log(copy).broken.problem is Break.MISSING_LINK
    StationLog.open(copy, station_id="counter-1", event_id=EVENT).close()
    assert verify_log(copy).intact


def test_facts_and_chain_rows_cannot_be_changed_through_the_station(log_file):
    shutil.copy(log_file, log_file.with_suffix(".bak"))
    conn = sqlite3.connect(log_file)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE fact_chain SET hash = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM fact_chain")
    conn.close()


# -- an audit that cannot be talked round (issue 12) ------------------------------------------


def test_a_purged_at_row_does_not_excuse_an_edited_fact(log_file, tmp_path):
    edited = tampered(log_file, tmp_path,
                      "INSERT INTO station_info (key, value) VALUES ('purged_at', '2027-03-01T00:00:00')",
                      "UPDATE fact SET payload = '{\"bib\":\"A9\",\"note\":\"x\"}' WHERE entry_no = '1002'")
    report = verify_log(edited)
    assert not report.intact and report.broken.problem is Break.ALTERED
    # An edit that leaves the fact in purged form is at best unprovable, and fails unless the operator says "purged".
    quiet = tampered(log_file, tmp_path,
                     "INSERT INTO station_info (key, value) VALUES ('purged_at', '2027-03-01T00:00:00')",
                     "UPDATE fact SET payload = '{\"bib\":\"A9\"}' WHERE entry_no = '1002'")
    assert verify_log(quiet).broken.problem is Break.ALTERED  # the row in the log says nothing
    assert verify_log(quiet, purged=True).unprovable == 1
    result = CliRunner().invoke(audit, ["verify", str(quiet)])
    assert result.exit_code == 1 and "--purged" in result.output
    assert CliRunner().invoke(audit, ["verify", "--purged", str(quiet)]).exit_code == 0
    assert not verify_log(edited, purged=True).intact  # not even in purged form


def test_a_reset_derived_table_is_caught(log_file, tmp_path):
    reset = tampered(log_file, tmp_path, "DELETE FROM entry_state WHERE entry_no = '1003'")
    report = verify_log(reset)
    assert report.broken is None and not report.intact
    assert "1003" in report.derived[0]
    result = CliRunner().invoke(audit, ["verify", str(reset)])
    assert result.exit_code == 1 and "DERIVED TABLES ALTERED" in result.output
    assert verify_log(log_file).intact and not verify_log(log_file).derived
