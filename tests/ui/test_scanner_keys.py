"""A hand scanner recognised by how it types, wherever the focus is.

The key events are the ones a USB scanner in keyboard mode sends (tests/keyboard.py):
a Shift press before each capital, the capital with ShiftModifier, the releases,
2-5 ms apart by the events' own timestamps; for a scanner set to US or JIS on a
laptop set to US or JIS.
"""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from station.core.confirmation import PREFIX
from station.core.typed_code import typed_code
from tests.keyboard import HOST_TEXT, SCANNER_KEYS, scanner_events, send_scan
from tests.ui.test_counter_flows import counter, event, key, type_text  # noqa: F401  (fixtures)

LAYOUTS = [("us", "us"), ("jis", "jis"), ("us", "jis"), ("jis", "us")]


def host_text(text: str, scanner: str, host: str) -> str:
    return "".join(HOST_TEXT[host][SCANNER_KEYS[scanner][c]] for c in text)


@pytest.mark.parametrize(("scanner", "host"), LAYOUTS)
def test_every_layout_pair_types_back_to_the_same_code(scanner, host):
    alphabet = "BS1:0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
    typed = host_text(alphabet, scanner, host)
    if scanner != host:
        assert typed != alphabet  # the layouts really differ on ': * +'
    assert typed_code(typed) == alphabet


def test_caps_lock_and_non_confirmations():
    assert typed_code("bs1:abc*") == "BS1:ABC*"
    assert typed_code("V42-b") == "V42-b"  # a badge is left as typed
    assert typed_code("  1001\n") == "1001"
    assert typed_code("BS1+X(~") == PREFIX + "X*+"


def test_the_sequence_has_shift_presses_and_device_timestamps():
    events = scanner_events("BS1:", scanner="us", host="us")
    keys = [(e.type().name, e.key(), e.text()) for e in events]
    assert keys[0] == ("KeyPress", Qt.Key.Key_Shift, "")
    assert keys[1] == ("KeyPress", Qt.Key.Key_B, "B") and events[1].modifiers() & Qt.KeyboardModifier.ShiftModifier
    gaps = {b.timestamp() - a.timestamp() for a, b in itertools.pairwise(events)}
    assert gaps <= {2, 3, 4, 5}


def _focus_search(qtbot, counter):  # noqa: F811
    key(qtbot, Qt.Key.Key_F2)
    assert QApplication.focusWidget() is counter.counter.search.field


def _focus_button(qtbot, counter):  # noqa: F811
    button = counter.counter.supervisor_button
    button.setEnabled(True)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    button.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is button)


def _focus_nothing(qtbot, counter):  # noqa: F811
    focused = QApplication.focusWidget()
    if focused is not None:
        focused.clearFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is None)
    assert QApplication.activeWindow() is counter


@pytest.mark.parametrize("where", [_focus_search, _focus_button, _focus_nothing], ids=["search", "button", "nothing"])
@pytest.mark.parametrize(("scanner", "host"), LAYOUTS)
def test_a_scan_starts_the_runner_wherever_the_focus_is(qtbot, counter, where, scanner, host):  # noqa: F811
    where(qtbot, counter)
    code = counter.code("1001")
    send_scan(qtbot, code, scanner=scanner, host=host)
    assert counter.model.case is not None and counter.model.case.entrant.entry_no == "1001"
    assert counter.model.code.outcome.value == "valid"
    assert counter.counter.search.field.text() == ""  # nothing of the code landed as text
    assert counter.model.volunteer_id == "V17"  # the burst's Enter/space clicked nothing


def test_a_person_typing_capitals_in_the_search_box_is_not_a_scanner(qtbot, counter):  # noqa: F811
    key(qtbot, Qt.Key.Key_F2)
    for char in "Taro":  # Shift+T as a person types it: tens of ms between keys
        if char.isupper():
            key(qtbot, Qt.Key.Key_Shift, Qt.KeyboardModifier.ShiftModifier)
        from PySide6.QtTest import QTest

        QTest.keyClick(QApplication.focusWidget(), char,
                       Qt.KeyboardModifier.ShiftModifier if char.isupper() else Qt.KeyboardModifier.NoModifier)
        qtbot.wait(45)
    qtbot.wait(60)
    assert counter.counter.search.field.text() == "Taro"
    assert counter.model.case is None and counter.model.code is None


def test_the_scanner_badge_signs_in_with_no_focus(qtbot, counter):  # noqa: F811
    counter.model.sign_out()
    _focus_nothing(qtbot, counter)
    send_scan(qtbot, "V42-B", scanner="jis", host="us")
    assert counter.model.volunteer_id == "V42-B"
