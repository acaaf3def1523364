"""After the event: the report (CSV + HTML with inline SVG plots) and the purge of personal data."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from station.commands.purge import purge, scrub
from station.commands.report import bar_chart_svg, report
from station.core.models import Category, Entrant, FactKind, Sex
from station.core.supervision import Decision, Ground, Resolution
from station.store.audit_log import verify_log
from station.store.event_package import ENTRANT_COLUMNS, EventPackage, entrant_to_row
from station.store.exceptions import ExceptionQueue
from station.store.sqlite import transaction
from station.store.station_log import StationLog
from station.store.supervisors import SupervisorSignIn, enrol
from station.sync.hub_store import HUB_FILE, HubStore, publish_event

PERSONAL = ["山田", "ヤマダ", "YAMADA", "hanako@example.jp", "090-1234-5678", "1987-06-05", "ハナチャン",
            "旧姓", "koseki", "doc-hash-123", "Sato Hanako"]


def people() -> list[Entrant]:
    return [
        Entrant("1001", "A1001", "山田", "花子", "ヤマダ", "ハナコ", "YAMADA", "Hanako", Sex.FEMALE,
                dt.date(1987, 6, 5), "JPN", Category.GENERAL, "A", nickname="ハナチャン",
                phone="090-1234-5678", email="hanako@example.jp"),
        Entrant("1002", "A1002", "Smith", "Anna", "スミス", "アンナ", "SMITH", "Anna", Sex.FEMALE,
                dt.date(1990, 1, 2), "GBR", Category.GENERAL, "B", email="anna@example.co.uk"),
        Entrant("1003", "A1003", "鈴木", "一郎", "スズキ", "イチロウ", "SUZUKI", "Ichiro", Sex.MALE,
                dt.date(1975, 3, 4), "JPN", Category.CHARITY, "A", disability=True),
    ]


@pytest.fixture
def event(tmp_path, kyoto_settings):
    path = tmp_path / "event.sqlite"
    package = EventPackage.create(path, kyoto_settings)
    with transaction(package.conn, package.path):
        package.conn.executemany(
            f"INSERT INTO entrant ({', '.join(ENTRANT_COLUMNS)}) VALUES ({', '.join('?' * len(ENTRANT_COLUMNS))})",
            [entrant_to_row(e) for e in people()])
    enrol(package, "sv-1", "Sato Hanako", "7391648205")
    from station.store.search import RosterSearch
    RosterSearch(package).rebuild()  # name keys that must go too

    log = StationLog.open(tmp_path / "counter-1.sqlite", station_id="counter-1", event_id=kyoto_settings.event_id)
    log.record(FactKind.ID_CHECKED, volunteer_id="v-1", entry_no="1001", payload={
        "document": "passport", "name": "mismatch", "birth_date": "confirmed", "original": True,
        "document_hash": "doc-hash-123"})
    opened = log.record(FactKind.EXCEPTION_OPENED, volunteer_id="v-1", entry_no="1001", payload={
        "reason": "name_mismatch", "codes": ["name_mismatch"], "note": "旧姓 on the passport: 山田"})
    # Signed in, so the decision carries the supervisor's signature (the hub refuses it otherwise).
    SupervisorSignIn(package, log).sign_in("sv-1", "7391648205", dt.datetime.now(dt.UTC))
    ExceptionQueue(log, package).resolve(opened.fact_id, Resolution(
        Decision.APPROVE_OVERRIDE, "married name, saw the koseki copy", "sv-1",
        ground=Ground.NAME_CHANGED_BY_MARRIAGE))
    log.record(FactKind.PICKUP, volunteer_id="v-1", entry_no="1001", payload={"bib": "A1001", "items": ["bib"]})
    log.record(FactKind.PICKUP, volunteer_id="v-1", entry_no="1002", payload={"bib": "A1002", "items": ["bib"]})
    facts = [f for _, f in log.facts()]
    log.close()

    hub_dir = tmp_path / "hub"
    hub_dir.mkdir()
    HubStore.open(hub_dir / HUB_FILE).close()
    publish_event(hub_dir, path)
    with HubStore.open(hub_dir / HUB_FILE) as store:
        store.ingest(facts, station="counter-1")
    package.close()
    return path, tmp_path / "counter-1.sqlite", hub_dir


def test_bar_chart_is_plain_svg():
    svg = bar_chart_svg(["09:00", "10:00", "<b>"], [3, 0, 7], "Pickups")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<rect") == 3 and "&lt;b&gt;" in svg and "<b>" not in svg


def test_report_writes_csv_and_html_without_personal_data(event, tmp_path):
    path, log_path, _ = event
    out = tmp_path / "report"
    result = CliRunner().invoke(report, ["--event", str(path), "--out", str(out), "--log", str(log_path)])
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} == {"pickups_per_hour.csv", "pickups_per_counter.csv", "remaining.csv",
                                               "exceptions.csv", "report.html"}
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 2 and "<script" not in page
    remaining = (out / "remaining.csv").read_text(encoding="utf-8-sig").splitlines()
    assert remaining[1:] == ["charity,A,1,0,1", "general,A,1,1,0", "general,B,1,1,0"]
    exceptions = (out / "exceptions.csv").read_text(encoding="utf-8-sig")
    assert "name_mismatch" in exceptions and "approve_override" in exceptions and "sv-1" in exceptions
    everything = "".join(p.read_text(encoding="utf-8-sig") for p in out.iterdir())
    for word in PERSONAL:
        assert word not in everything, word


def test_purge_needs_the_event_id_typed(event, kyoto_settings):
    path, log_path, _ = event
    result = CliRunner().invoke(purge, ["--event", str(path), "--logs", str(log_path)], input="wrong\n")
    assert result.exit_code != 0 and "did not match" in str(result.exception)
    package = EventPackage.open(path)
    assert package.entrant("1001").family_kanji == "山田"
    package.close()


def test_purge_removes_personal_data_and_keeps_anonymous_counts(event, kyoto_settings, tmp_path):
    path, log_path, hub_dir = event
    (log_path.parent / f"{log_path.name}.schema3.bak").write_bytes(b"old copy with \xe5\xb1\xb1\xe7\x94\xb0")
    result = CliRunner().invoke(purge, ["--event", str(path), "--logs", str(log_path), "--hub", str(hub_dir)],
                                input=f"{kyoto_settings.event_id}\n")
    assert result.exit_code == 0, result.output
    assert not list(tmp_path.glob("*.bak"))

    for file in (path, log_path, hub_dir / HUB_FILE, hub_dir / "event.sqlite"):
        raw = file.read_bytes()
        for word in PERSONAL:
            assert word.encode() not in raw, (file.name, word)

    package = EventPackage.open(path)
    first = package.entrant("1001")
    assert (first.bib, first.category, first.start_block, first.sex) == ("A1001", Category.GENERAL, "A", Sex.FEMALE)
    assert (first.family_kanji, first.email, first.phone, first.nickname) == ("", "", "", "")
    counts = dict(((d, v), n) for d, v, n in package.conn.execute("SELECT * FROM anonymous_count"))
    assert counts[("nationality", "JPN")] == 2 and counts[("nationality", "GBR")] == 1
    assert counts[("category", "general")] == 2 and counts[("disability", "1")] == 1
    assert package.conn.execute("SELECT count(*) FROM supervisor").fetchone()[0] == 0
    package.close()

    log = StationLog.open(log_path, station_id="counter-1", event_id=kyoto_settings.event_id)
    facts = [f for _, f in log.facts()]
    kinds = [f.kind for f in facts]
    assert kinds.count(FactKind.PICKUP) == 2 and FactKind.OVERRIDE in kinds  # the counts survive
    id_check = next(f for f in facts if f.kind is FactKind.ID_CHECKED)
    assert id_check.payload == {"document": "passport", "name": "mismatch", "birth_date": "confirmed",
                                "original": True}
    resolved = next(f for f in facts if f.kind is FactKind.EXCEPTION_RESOLVED)
    assert resolved.payload["decision"] == "approve_override" and "supervisor_reason" not in resolved.payload
    assert log.entry_state("1001").status.value == "picked_up"
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        log.conn.execute("DELETE FROM fact")  # the triggers are back
    log.close()

    assert not verify_log(log_path).intact  # nothing in the log says it was purged ...
    report_ = verify_log(log_path, purged=True)  # ... the operator does
    assert report_.intact and report_.purged and report_.links == len(facts)
    with HubStore.open(hub_dir / HUB_FILE, create=False) as store:
        assert len(store.fact_ids()) == len(facts)


def test_scrub_keeps_codes_and_drops_free_text():
    assert scrub({"reason": "name_mismatch", "note": "x"}) == {"reason": "name_mismatch"}
    assert scrub({"reason": "Runner said her name is 山田"}) == {}
    assert scrub({"name": "山田 花子", "birth_date": "1987-06-05"}) == {}
    assert scrub({"nickname": "ハナ", "document_hash": "h", "bib": "A1"}) == {"bib": "A1"}


def test_verify_still_catches_deletion_after_a_purge(event, kyoto_settings, tmp_path: Path):
    path, log_path, _ = event
    CliRunner().invoke(purge, ["--event", str(path), "--logs", str(log_path), "--yes"])
    conn = sqlite3.connect(log_path)
    conn.execute("DROP TRIGGER fact_no_delete")
    victim = conn.execute("SELECT fact_id FROM fact ORDER BY seq LIMIT 1 OFFSET 2").fetchone()[0]
    conn.execute("DELETE FROM fact WHERE fact_id = ?", (victim,))
    conn.commit()
    conn.close()
    report_ = verify_log(log_path, purged=True)
    assert report_.broken.fact_id == victim


def test_audit_export_has_who_what_when_why_and_no_personal_data(event, tmp_path):
    from station.commands.audit import audit

    path, log_path, _ = event
    out = tmp_path / "audit.csv"
    result = CliRunner().invoke(audit, ["export", "--event", str(path), "--out", str(out), "--log", str(log_path)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("wall_time_utc,station,done_by,kind,entry_no,bib,exception_id,reason,decision")
    kinds = [line.split(",")[3] for line in lines[1:]]
    assert kinds == ["id_checked", "exception_opened", "sign_in", "exception_claimed", "exception_resolved",
                     "override", "pickup", "pickup"]  # the supervisor's sign-in is a fact too
    resolved = next(line for line in lines if ",exception_resolved," in line)
    assert ",sv-1," in resolved and ",A1001," in resolved and "approve_override" in resolved
    assert "married name" in resolved  # the supervisor's written reason is what the organizer audits
    assert all(len(line.split(",")[-1]) == 64 for line in lines[1:])  # every fact's chain hash
    for word in ("山田", "hanako@example.jp", "090-1234-5678", "1987-06-05", "doc-hash-123", "旧姓"):
        assert word not in text, word


def test_report_merges_several_logs(event, tmp_path, kyoto_settings):
    path, log_path, _ = event
    other = StationLog.open(tmp_path / "counter-2.sqlite", station_id="counter-2", event_id=kyoto_settings.event_id)
    other.record(FactKind.PICKUP, volunteer_id="v-2", entry_no="1003", payload={"bib": "A1003"})
    other.close()
    out = tmp_path / "merged-report"
    result = CliRunner().invoke(report, ["--event", str(path), "--out", str(out), "--log", str(log_path),
                                         "--log", str(tmp_path / "counter-2.sqlite")])
    assert result.exit_code == 0, result.output
    counters = (out / "pickups_per_counter.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(",")[:2] for line in counters[1:]] == [["counter-1", "2"], ["counter-2", "1"]]
    assert (out / "remaining.csv").read_text(encoding="utf-8-sig").splitlines()[1] == "charity,A,1,1,0"


def test_after_a_purge_no_file_under_data_logs_or_temp_holds_the_runner(event, kyoto_settings, tmp_path,
                                                                        station_home):
    """Every file under the data, log and temp folders (WAL and SHM included) is searched for
    the runner's name, birth date and document key after `station purge`."""
    path, log_path, hub_dir = event
    from station.settings import Folders

    folders = Folders.current()
    # The counter's own places: its log file in the data folder, a copy of the package it
    # installed, the app's log file, a half download, a printed bib left in temp and in CUPS-PDF's folder.
    station_log = folders.station_log(kyoto_settings.event_id, "counter-1")
    station_log.parent.mkdir(parents=True)
    src, dst = sqlite3.connect(log_path), sqlite3.connect(station_log)
    src.backup(dst)
    src.close()
    dst.close()
    open_log = StationLog.open(station_log, station_id="counter-1", event_id=kyoto_settings.event_id)
    open_log.record(FactKind.EXCEPTION_OPENED, volunteer_id="v-1", entry_no="1001",
                    payload={"reason": "name_mismatch", "note": "山田 1987-06-05 doc-hash-123", "codes": []})
    open_log.close()  # (its WAL is checkpointed on close; a -wal file may remain)
    events = folders.data / "events"
    events.mkdir(parents=True)
    (events / f"{kyoto_settings.event_id}.sqlite").write_bytes(path.read_bytes())
    (events / "from-hub.sqlite.partial").write_bytes(path.read_bytes()[:4096] + "山田".encode())
    folders.logs.mkdir(parents=True, exist_ok=True)
    (folders.logs / "station.log").write_text("refused: 山田 花子 1987-06-05 doc-hash-123\n", encoding="utf-8")
    for folder in (station_home / "tmp" / "qt-print-1", station_home / "PDF"):
        folder.mkdir(parents=True)
        (folder / "Bib A1001.pdf").write_bytes("%PDF-1.4 山田 ハナチャン".encode())

    result = CliRunner().invoke(purge, ["--event", str(path), "--hub", str(hub_dir), "--yes"])
    assert result.exit_code == 0, result.output
    assert "removed" in result.output and "purged" in result.output and "COULD NOT REACH" not in result.output

    searched = 0
    for root in (folders.data, folders.logs, station_home / "tmp", station_home / "PDF"):
        for file in (p for p in root.rglob("*") if p.is_file()):
            raw = file.read_bytes()
            searched += 1
            for word in ("山田", "YAMADA", "1987-06-05", "doc-hash-123"):
                assert word.encode() not in raw, (str(file), word)
    assert searched >= 2  # the counter's log and its package copy stay, purged
    assert not (folders.logs / "station.log").exists() and not list(station_home.rglob("Bib A1001.pdf"))
    assert verify_log(station_log, purged=True).intact
