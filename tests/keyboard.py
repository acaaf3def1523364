"""Key events as a USB keyboard-mode scanner sends them, for the Qt tests.

The scanner presses physical keys chosen for the layout it is configured for
(US or JIS); the laptop turns each key into a character with its own layout.
A capital or a shifted symbol is: Shift press, the key with ShiftModifier,
its release, Shift release, each event 2-5 ms after the last by the events'
own timestamps (as the device stamps them), however late the test machine
gets round to delivering them.
"""

from __future__ import annotations

import itertools
import string

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

# Physical keys (named after their US labels) and Shift, for each character a
# confirmation, a badge or an entry number can hold.
_SAME = {c: (c.lower(), c.isupper()) for c in string.ascii_letters}
_SAME.update({c: (c, False) for c in string.digits})
_SAME.update({" ": ("space", False), "$": ("4", True), "%": ("5", True), "-": ("-", False),
              ".": (".", False), "/": ("/", False)})
SCANNER_KEYS = {
    "us": {**_SAME, ":": (";", True), "*": ("8", True), "+": ("=", True)},
    "jis": {**_SAME, ":": ("'", False), "*": ("'", True), "+": (";", True)},
}
# What each physical key (and Shift) types on a laptop set to the layout.
_TYPED_SAME = {(k, s): (k.upper() if s else k) for k, s in _SAME.values() if k.isalpha() and len(k) == 1}
_TYPED_SAME.update({(c, False): c for c in string.digits})
_TYPED_SAME.update({("space", False): " ", ("4", True): "$", ("5", True): "%", ("-", False): "-",
                    (".", False): ".", ("/", False): "/"})
HOST_TEXT = {
    "us": {**_TYPED_SAME, (";", True): ":", ("8", True): "*", ("=", True): "+", ("'", False): "'",
           ("'", True): '"'},
    "jis": {**_TYPED_SAME, (";", True): "+", ("8", True): "(", ("=", True): "~", ("'", False): ":",
            ("'", True): "*"},
}

_DEVICE_MS = [5_000_000]  # the device's clock, never going back between bursts


def scanner_events(text: str, *, scanner: str = "us", host: str = "us",
                   step_ms: tuple[int, ...] = (2, 3, 5, 4)) -> list[QKeyEvent]:
    """The key events a `scanner`-layout wedge scanner produces on a `host`-layout laptop."""
    steps = itertools.cycle(step_ms)
    now = _DEVICE_MS[0] + 1000  # a pause since the last burst
    events: list[QKeyEvent] = []
    shift = Qt.KeyboardModifier.ShiftModifier
    none = Qt.KeyboardModifier.NoModifier

    def add(kind, key, mods, typed=""):
        nonlocal now
        event = QKeyEvent(kind, key, mods, typed)
        event.setTimestamp(now)
        events.append(event)
        now += next(steps)

    for char in text:
        physical, shifted = SCANNER_KEYS[scanner][char]
        typed = HOST_TEXT[host][(physical, shifted)]
        key = Qt.Key.Key_Space if typed == " " else Qt.Key(ord(typed.upper()))
        if shifted:
            add(QEvent.Type.KeyPress, Qt.Key.Key_Shift, shift)
        add(QEvent.Type.KeyPress, key, shift if shifted else none, typed)
        add(QEvent.Type.KeyRelease, key, shift if shifted else none, typed)
        if shifted:
            add(QEvent.Type.KeyRelease, Qt.Key.Key_Shift, none)
    add(QEvent.Type.KeyPress, Qt.Key.Key_Return, none, "\r")
    add(QEvent.Type.KeyRelease, Qt.Key.Key_Return, none, "\r")
    _DEVICE_MS[0] = now
    return events


def send_scan(qtbot, text: str, *, scanner: str = "us", host: str = "us", target: QWidget | None = None) -> None:
    """Deliver a scanner burst as Qt does: to the focused widget, or to the active
    window when nothing has the focus."""
    for event in scanner_events(text, scanner=scanner, host=host):
        receiver = target or QApplication.focusWidget() or QApplication.activeWindow()
        QApplication.sendEvent(receiver, event)
    qtbot.wait(10)
