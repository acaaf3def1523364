"""Issue 11: at the counter, a document without an MRZ gets a key from the
number the volunteer types (the counter model, as the counter uses it)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from station.core.document_numbers import typed_document_key
from station.core.evidence import DocumentType, Match
from station.core.identity import document_key
from station.core.models import FactKind
from station.core.verdict import Outcome, ReasonCode
from station.store.checkin import CheckinDesk
from station.store.event_package import EventPackage
from station.store.station_log import StationLog
from station.ui.counter.model import CounterModel
from tests.factories import make_event, row
from tests.ui.test_counter_flows import check_id_and_hand_over, counter, event, key, scan  # noqa: F401  (fixtures)

INSIDE = dt.datetime(2027, 2, 19, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


def test_one_typed_licence_for_two_runners_goes_to_the_supervisor(qtbot, tmp_path, kyoto_settings):
    make_event(tmp_path / "e.sqlite", kyoto_settings, [row(1), row(2)]).close()
    package = EventPackage.open(tmp_path / "e.sqlite")
    log = StationLog.open(tmp_path / "l.sqlite", station_id="counter-1", event_id=package.settings.event_id)
    try:
        model = CounterModel(CheckinDesk(package, log), now=lambda: INSIDE)
        model.sign_in("V1")
        for entry_no in ("1001", "1002"):
            model.choose(entry_no)
            model.set_document_number(DocumentType.DRIVERS_LICENCE, "1234-5678-9012")
            model.set_name(Match.CONFIRMED)
            model.set_birth_date(Match.CONFIRMED)
            if entry_no == "1001":
                assert model.verdict.ready
                for item in model.items:
                    model.set_item(item, True)
                model.complete()
        assert model.verdict.outcome is Outcome.SUPERVISOR
        assert model.verdict.headline.code is ReasonCode.DOCUMENT_USED_ELSEWHERE
        assert model.verdict.headline.text_en == "This ID document was already shown for entry 1001."
        stored = [f.payload.get("document_hash") for _, f in log.facts() if f.payload.get("document_hash")]
        assert stored and all("123456789012" not in str(h) for h in stored)

        model.set_document_number(DocumentType.MY_NUMBER_CARD, "123456789012")
        assert model.band.outcome is Outcome.NEEDS_ID
        assert "Individual Number may not be collected" in model.band.headline("en")
    finally:
        log.close()
        package.close()


# -- at the counter, by keys --------------------------------------------------------------

NUMBER = "123456789012"


def _every_stored_byte(log_path) -> bytes:
    """The station log's file and its SQLite companions (-wal, -shm, -journal), as on disk."""
    return b"".join(p.read_bytes() for p in log_path.parent.glob(log_path.name + "*") if p.is_file())


def test_a_typed_licence_number_is_kept_as_its_key_only(qtbot, counter):  # noqa: F811
    """F11, the number typed (as a person types it), Enter: the field empties at once,
    the ID-check fact written at completion carries the keyed hash, and the number
    itself is nowhere in the station log's file."""
    scan(qtbot, counter.code("1001"))
    panel, model = counter.counter.id_panel, counter.model
    assert model.gathered.document is DocumentType.DRIVERS_LICENCE
    assert panel.number_label.text() == "Document number [F11]:" and panel.number.isVisible()
    key(qtbot, Qt.Key.Key_F11)
    assert QApplication.focusWidget() is panel.number
    qtbot.keyClicks(panel.number, "1234 5678 9012", delay=45)  # a person: slower than a scanner
    qtbot.wait(50)
    assert panel.number.text() == "1234 5678 9012"
    qtbot.keyClick(panel.number, Qt.Key.Key_Return)
    assert panel.number.text() == "" and not panel.number.isUndoAvailable()  # no Ctrl+Z brings it back
    assert panel.number.placeholderText().startswith("✓ kept as a code only")
    assert QApplication.focusWidget() is counter.counter.search.field  # the keys go back to the counter
    expected = typed_document_key(counter.session.package.document_secret, DocumentType.DRIVERS_LICENCE, NUMBER)
    assert model.gathered.document_hash == expected
    check_id_and_hand_over(qtbot, counter)
    key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    log = counter.session.station_log
    (check,) = [f for _, f in log.facts() if f.kind is FactKind.ID_CHECKED]
    assert check.entry_no == "1001" and check.payload["document"] == "drivers_licence"
    assert check.payload["document_hash"] == expected
    assert NUMBER not in str(check.payload)
    stored = _every_stored_byte(log.path)
    assert expected.encode() in stored  # the file read is the one the fact went to
    for typed in (NUMBER, "1234 5678 9012"):
        for encoding in ("ascii", "utf-16-le"):
            assert typed.encode(encoding) not in stored


def test_a_my_number_card_number_is_refused_in_the_screens_language(qtbot, counter):  # noqa: F811
    scan(qtbot, counter.code("1001"))
    panel, model = counter.counter.id_panel, counter.model
    key(qtbot, Qt.Key.Key_F3)  # driver's licence → My Number card
    assert model.gathered.document is DocumentType.MY_NUMBER_CARD
    assert panel.number.placeholderText() == "do not type: check by eye only"
    counter.languages.switch("ja")
    qtbot.wait(20)
    assert panel.number_label.text() == "書類の番号 [F11]:"
    key(qtbot, Qt.Key.Key_F11)
    qtbot.keyClicks(panel.number, NUMBER, delay=45)
    qtbot.wait(50)
    qtbot.keyClick(panel.number, Qt.Key.Key_Return)
    assert panel.number.text() == ""  # refused, and gone from the screen all the same
    assert QApplication.focusWidget() is panel.number  # to type another document's number
    assert model.gathered.document_hash is None and model.band.outcome is Outcome.NEEDS_ID
    band = counter.counter.band
    assert "個人番号は収集できません" in band.headline.text()
    counter.languages.switch("en")
    qtbot.wait(20)
    assert "Individual Number may not be collected" in band.headline.text()
    assert NUMBER.encode() not in _every_stored_byte(counter.session.station_log.path)


def test_another_document_type_drops_the_key_typed_for_the_last(qtbot, counter):  # noqa: F811
    scan(qtbot, counter.code("1001"))
    model = counter.counter.model
    assert model.set_document_number(DocumentType.DRIVERS_LICENCE, NUMBER)
    key(qtbot, Qt.Key.Key_F3)
    assert model.gathered.document is DocumentType.MY_NUMBER_CARD and model.gathered.document_hash is None


def test_a_passport_typed_by_hand_gives_the_key_its_mrz_gives(qtbot, tmp_path, kyoto_settings):
    """A foreign runner's passport typed (the camera could not read it): the key is
    the one the MRZ reader makes for the same passport, issuing state included."""
    make_event(tmp_path / "e.sqlite", kyoto_settings, [row(1, nationality="USA")]).close()
    package = EventPackage.open(tmp_path / "e.sqlite")
    log = StationLog.open(tmp_path / "l.sqlite", station_id="counter-1", event_id=package.settings.event_id)
    try:
        model = CounterModel(CheckinDesk(package, log), now=lambda: INSIDE)
        model.sign_in("V1")
        model.choose("1001")
        assert model.gathered.document is DocumentType.PASSPORT
        assert model.set_document_number(DocumentType.PASSPORT, "x1234 5678")
        assert model.gathered.document_hash == document_key(package.document_secret, "X12345678", "USA")
        assert model.gathered.document_hash != document_key(package.document_secret, "X12345678", "JPN")
    finally:
        log.close()
        package.close()
