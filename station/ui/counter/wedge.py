"""Keyboard-wedge scanners: a burst of keystrokes ending in Enter, wherever the focus is.

A USB scanner types its code far faster than a person (a few milliseconds
between keys; people need 50 ms or more). The gap is measured between the key
events' own timestamps (taken by the system when the key arrived), so a busy
station that processes a burst late still sees it as a burst; events without a
timestamp are timed when they are processed. Printable keys are held back for a
moment: when the next one follows within `gap_ms` it is a burst; a burst that
ends in Enter is a scan and never reaches the focused field. Keys that turn out
not to be a burst are delivered to the widget that had the focus, in order, so
typing in the search box works as usual (a few milliseconds later).

The filter is installed on the QApplication, so the focus does not matter: a
burst typed into the search box, onto a button, or with no widget focused at
all (the window itself gets the keys) is a scan. A scanner types capitals the
way a keyboard does: a Shift press, the letter with ShiftModifier, the
releases. Modifier keys (Shift, AltGr, Caps Lock) carry no text; they pass
through without ending a burst, and the gap is measured between the keys that
type something. What the burst typed is turned back into the code it read by
`station.core.typed_code` (US and JIS layouts, Caps Lock).
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from station.core.typed_code import typed_code

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
# Keys that only change what the next key types: part of a burst, never its end.
_MODIFIER_KEYS = frozenset({Qt.Key.Key_Shift, Qt.Key.Key_AltGr, Qt.Key.Key_CapsLock, Qt.Key.Key_Mode_switch})
_M = Qt.KeyboardModifier
_TYPING_MODIFIERS = _M.ShiftModifier | _M.KeypadModifier | _M.GroupSwitchModifier
_ALTGR_AS_CTRL_ALT = _M.ControlModifier | _M.AltModifier  # Windows reports AltGr so


class KeyboardWedge(QObject):
    scanned = Signal(str)

    def __init__(self, parent: QObject | None = None, *, gap_ms: int = 30, min_length: int = 4) -> None:
        super().__init__(parent)
        self.gap_ms = gap_ms
        self.min_length = min_length
        self._held: list[tuple[QWidget, QKeyEvent]] = []
        self._clock = QElapsedTimer()
        self._last_stamp = 0
        self._replaying = False
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.timeout.connect(self._deliver)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._replaying or event.type() != QEvent.Type.KeyPress:
            return False
        target = QApplication.focusWidget() or QApplication.activeWindow()
        if target is None or watched is not target:
            return False  # seen once, at the focused widget (or the window), not again on its way up
        key = event.key()
        if key in _MODIFIER_KEYS:
            return False  # Shift before a capital: neither text nor the end of a burst
        stamp = event.timestamp()
        if stamp and self._last_stamp:
            gap = stamp - self._last_stamp
        else:
            gap = self._clock.elapsed() if self._clock.isValid() else self.gap_ms + 1
        burst = bool(self._held) and 0 <= gap <= self.gap_ms
        if key in _ENTER and burst and len(self._held) >= self.min_length:
            code = typed_code("".join(e.text() for _, e in self._held))
            self._held.clear()
            self._flush.stop()
            self.scanned.emit(code)
            return True
        if _printable(event):
            if self._held and not burst:
                self._deliver()
            self._held.append((target, _copy(event)))
            self._clock.restart()
            self._last_stamp = stamp
            self._flush.start(self.gap_ms + 5)
            return True
        self._deliver()  # anything else (arrows, F-keys, Ctrl+Enter): the held keys go first
        return False

    def _deliver(self) -> None:
        self._flush.stop()
        held, self._held = self._held, []
        self._replaying = True
        try:
            for widget, event in held:
                if widget is not None and not _deleted(widget):
                    QApplication.sendEvent(widget, event)
        finally:
            self._replaying = False


def _printable(event: QKeyEvent) -> bool:
    """A key that types a character (Shift, keypad and AltGr allowed; not Ctrl/Alt shortcuts)."""
    mods = event.modifiers() & ~_TYPING_MODIFIERS
    text = event.text()
    return bool(text) and text.isprintable() and mods in (_M.NoModifier, _ALTGR_AS_CTRL_ALT)


def _copy(event: QKeyEvent) -> QKeyEvent:
    copy = QKeyEvent(event.type(), event.key(), event.modifiers(), event.text(), event.isAutoRepeat(),
                     event.count())
    copy.setTimestamp(event.timestamp())
    return copy


def _deleted(widget: QWidget) -> bool:
    try:
        widget.objectName()
    except RuntimeError:
        return True
    return False
