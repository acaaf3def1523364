"""The supervisor's screen in Japanese (issue 18): the queue's notes a station writes
itself ("found by sync", "same document as entry …") and the counter's own reasons
used to reach a Japanese window in English.

The queue is filled for real: a double pickup of one bib at two counters that were
apart, one licence shown for two entries at two counters, a volunteer's F9 with a
note, and a bib that did not print. Every cell, the summary and the message the
screen shows are read back from the widgets: in Japanese no Latin word but the names
and codes the test passes in (station names, the supervisor's code, the runners'
names, the volunteer's own typed note), in English no Japanese but the runners' names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QApplication

from station.core.evidence import Match
from station.core.hlc import Stamp
from station.core.ledger import Conflict
from station.core.models import Fact, FactKind
from station.store.event_package import EventPackage
from station.store.station_log import StationLog
from station.store.supervisors import enrol
from station.ui.app import open_session
from station.ui.i18n import Languages
from station.ui.main_window import MainWindow
from station.ui.sounds import SoundPlayer
from station.ui.supervisor.model import CONFLICT
from tests.factories import make_event, row
from tests.unit.test_texts_catalogue import ACRONYMS, JAPANESE, words_in

NOON = dt.datetime(2027, 2, 19, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
PIN = "4821397650"
VOLUNTEERS_NOTE = "DOB on licence is 1980-06-05"  # typed by the volunteer: shown as typed
FOUND_BY_SYNC_JA = "同期で見つかった記録の矛盾"
SAME_DOCUMENT_JA = "受付番号 1002 と同じ身分証"


def assert_no_english(text: str, *names: str) -> None:
    stray = words_in(text) - set(ACRONYMS).union(*(words_in(n) for n in names))
    assert not stray, f"English in the Japanese screen: {sorted(stray)} in {text!r}"


def assert_no_japanese(text: str, *names: str) -> None:
    for name in names:
        text = text.replace(name, "")
    assert not JAPANESE.search(text), f"Japanese in the English screen: {text!r}"


@pytest.fixture
def languages() -> Iterator[Languages]:
    languages = Languages(QApplication.instance())
    languages.switch("ja")
    yield languages
    languages.switch("en")


@pytest.fixture
def window(qtbot, tmp_path, kyoto_settings, languages):
    path = tmp_path / "e.sqlite"
    make_event(path, kyoto_settings, [row(n) for n in range(1, 6)]).close()
    package = EventPackage.open(path)
    enrol(package, "S1", "Sato Supervisor", PIN)
    package.close()
    window = MainWindow(open_session(path, "counter-3"), languages=languages, sounds=SoundPlayer(enabled=False),
                        now=lambda: NOON)
    qtbot.addWidget(window)
    window.show()
    yield window
    # a language switch reaches closed windows too: with no case chosen the screen asks its log nothing
    window.supervisor.table.clearSelection()


def fill_the_queue(window: MainWindow, folder: Path, now: dt.datetime | None = None) -> None:
    """Four cases, each of a kind whose words used to stay English in a Japanese window.
    `now`: the log's clock (the pickups are minutes before it: a door refuses stamps from its future)."""
    log = window.session.station_log
    # 1. Bib 3 handed out at two counters that were apart: a conflict sync derived.
    now = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
    log.append([Fact(f"p-{i}", FactKind.PICKUP, log.event_id, station, "V9", at,
                     Stamp(int(at.timestamp() * 1000), 0, station), "1003")
                for i, (station, at) in enumerate(zip(("counter-7", "counter-8"),
                                                      (now - dt.timedelta(minutes=2), now - dt.timedelta(minutes=1)),
                                                      strict=True))])
    assert log.entry_state("1003").conflict is Conflict.DOUBLE_PICKUP
    # 2. One licence shown for entry 1001 here and for 1002 at counter-2 while apart.
    other = StationLog.open(folder / "counter-2.sqlite", station_id="counter-2", event_id=log.event_id)
    try:
        log.record(FactKind.ID_CHECKED, volunteer_id="V1", entry_no="1001", payload={"document_hash": "k"})
        other.record(FactKind.ID_CHECKED, volunteer_id="V2", entry_no="1002", payload={"document_hash": "k"})
        log.append([f for _, f in other.facts()])
    finally:
        other.close()
    # 3. A volunteer sends entry 1004 up with a note (F9); 4. a bib that did not print (entry 1005).
    counter = window.model
    counter.sign_in("V17")
    counter.choose("1004")
    counter.set_name(Match.CONFIRMED)
    counter.set_birth_date(Match.MISMATCH)
    assert counter.send_to_supervisor(note=VOLUNTEERS_NOTE)
    assert counter.print_to_supervisor("1005")


def names_shown(window: MainWindow) -> tuple[str, ...]:
    """What the screen may show in Latin letters: names and codes, never sentences."""
    entrants = [window.session.package.entrant(f"{1000 + n}") for n in range(1, 6)]
    return ("counter-3", "counter-7", "counter-8", "S1", VOLUNTEERS_NOTE,
            *(e.display_name for e in entrants if e is not None))


def queue_texts(screen) -> Iterator[str]:
    table = screen.table
    for r in range(table.rowCount()):
        for c in range(table.columnCount()):
            item = table.item(r, c)
            if item is not None:
                yield item.text()
    yield from (table.horizontalHeaderItem(c).text() for c in range(table.columnCount()))
    yield screen.summary.text()
    yield screen.message.text()
    yield from (screen.decision.itemText(i) for i in range(screen.decision.count()))


def row_of(screen, exception_id: str) -> int:
    rows = [r for r in range(screen.table.rowCount()) if screen.table.item(r, 0).data(256) == exception_id]
    assert len(rows) == 1, exception_id
    return rows[0]


def notes(screen) -> dict[str, str]:
    return {screen.table.item(r, 0).data(256): screen.table.item(r, 6).text() for r in range(screen.table.rowCount())}


def test_the_queues_notes_and_reasons_are_said_in_japanese(qtbot, window, tmp_path, languages):
    fill_the_queue(window, tmp_path)
    screen, model = window.supervisor, window.supervisor_model
    window.tabs.setCurrentWidget(screen)
    screen.pin.setText(PIN)
    screen.sign_in()
    assert model.session is not None and screen.table.rowCount() == 5
    said = notes(screen)
    assert said[CONFLICT + "1001"] == SAME_DOCUMENT_JA
    assert said[CONFLICT + "1002"] == "受付番号 1001 と同じ身分証"
    assert VOLUNTEERS_NOTE in said.values()  # the volunteer's words, as typed

    # Taking the double pickup opens a case; its note is the station's own: in words.
    screen.table.selectRow(row_of(screen, CONFLICT + "1003"))
    screen.claim()
    opened = [f for _, f in window.session.station_log.facts()
              if f.kind is FactKind.EXCEPTION_OPENED and f.entry_no == "1003"]
    assert len(opened) == 1 and opened[0].payload["note"] == "found by sync"  # the fact keeps its old code
    assert notes(screen)[opened[0].fact_id] == FOUND_BY_SYNC_JA
    reasons = {screen.table.item(r, 4).text() for r in range(screen.table.rowCount())}
    assert {"記録の矛盾", "身分証の重複使用", "生年月日の不一致", "ナンバーカードが印刷できませんでした"} <= reasons

    # A decision without a written reason: the ruling's refusal on the message line.
    screen.table.selectRow(row_of(screen, opened[0].fact_id))
    screen.decision.setCurrentIndex(screen.decision.findData("refuse"))
    screen.resolve()
    assert screen.message.text()
    for text in queue_texts(screen):
        assert_no_english(text, *names_shown(window))

    languages.switch("en")
    QApplication.processEvents()
    english = notes(screen)
    assert english[opened[0].fact_id] == "found by sync"
    assert english[CONFLICT + "1001"] == "same document as entry 1002"
    assert "the bib could not be printed" in {screen.table.item(r, 4).text() for r in range(screen.table.rowCount())}
    runners = [e.display_name for e in (window.session.package.entrant(f"{1000 + n}") for n in range(1, 6)) if e]
    for text in queue_texts(screen):
        assert_no_japanese(text, *runners)


def test_a_note_from_an_older_station_reads_in_the_windows_language(qtbot, window, languages):
    """Facts keep "found by sync" as written since the first version; a hub relays them as they are."""
    from station.core.payloads import ExceptionOpenedPayload

    log = window.session.station_log
    log.record(FactKind.EXCEPTION_OPENED, volunteer_id="S9", entry_no="1002",
               payload=ExceptionOpenedPayload(reason="state_conflict", note="found by sync",
                                              codes=("state_conflict", "double_pickup")).to_payload())
    log.record(FactKind.EXCEPTION_OPENED, volunteer_id="V3", entry_no="1001",
               payload=ExceptionOpenedPayload(reason="volunteer", note="{name} は {odd}", codes=()).to_payload())
    screen = window.supervisor
    screen.pin.setText(PIN)
    screen.sign_in()
    assert sorted(notes(screen).values()) == sorted([FOUND_BY_SYNC_JA, "{name} は {odd}"])  # braces stay as typed


def test_every_decision_and_ground_the_screen_can_offer_is_said_in_each_language(window, languages):
    from station.core.supervision import Decision, Ground

    screen = window.supervisor
    said_ja = {choice: screen.choice_words(choice) for choice in (*Decision, *Ground)}
    for choice, text in said_ja.items():
        assert JAPANESE.search(text), (choice, text)
        assert_no_english(text)
    languages.switch("en")
    for choice in (*Decision, *Ground):
        assert_no_japanese(screen.choice_words(choice))
        assert screen.choice_words(choice) != choice.value  # words, not the code
    assert len(set(said_ja.values())) == len(said_ja)
