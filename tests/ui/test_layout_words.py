"""The counter at 1366×705 (a maximised window on a 1366×768 laptop with a taskbar),
with two banners showing; nothing a volunteer reads under 12 pt; ID answers as ✓/✗ with words."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QListWidget, QWidget

from station.core.evidence import Match
from tests.ui.test_counter_flows import counter, event, scan  # noqa: F401  (fixtures)

WIDTH, HEIGHT = 1366, 705


def busiest(qtbot, window) -> None:
    """A runner with an escort and every reason shown, a print banner and a supervisor notice."""
    scan(qtbot, window.code("1002"))
    window.print_banner.setVisible(True)
    window.print_banner.message.setText("Bib 2 was not printed: the printer is out of paper")
    window.notice.setText("Supervisor S1 decided on 山田 太郎1 (1001): approve. Name changed by marriage.")
    window.notice.setVisible(True)
    window.resize(WIDTH, HEIGHT)
    qtbot.wait(50)


def visible_texts(root: QWidget):
    for widget in root.findChildren(QWidget):
        if widget.isVisible() and isinstance(widget, (QLabel, QAbstractButton, QListWidget)):
            text = widget.text() if hasattr(widget, "text") else "list"
            if text:
                yield widget


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_busiest_counter_fits_1366x705_with_two_banners(qtbot, counter, language):  # noqa: F811
    counter.languages.switch(language)
    qtbot.wait(20)
    busiest(qtbot, counter)
    assert counter.counter.escorts.isVisible() and counter.counter.band.details.text()
    hint = counter.minimumSizeHint()
    assert hint.width() <= WIDTH and hint.height() <= HEIGHT, hint
    counter.languages.switch("en")
    for panel in (counter.counter.id_panel, counter.counter.escorts, counter.counter.handover, counter.counter.card):
        assert panel.height() >= panel.minimumSizeHint().height(), (panel, panel.height(), panel.minimumSizeHint())
        bottom = panel.mapTo(counter, panel.rect().bottomLeft()).y()
        assert bottom <= HEIGHT, (panel, bottom)


def test_nothing_a_volunteer_reads_is_under_12_points(qtbot, counter):  # noqa: F811
    busiest(qtbot, counter)
    small = [(w.objectName() or type(w).__name__, (w.text() if hasattr(w, "text") else "")[:30], w.font().pointSizeF())
             for w in visible_texts(counter) if w.font().pointSizeF() < 12]
    assert small == [], "\n".join(map(str, small))


def test_id_answers_show_as_ticks_and_crosses_with_words(qtbot, counter):  # noqa: F811
    scan(qtbot, counter.code("1001"))
    panel = counter.counter.id_panel
    assert panel.name_ok.text().startswith("✓") and panel.name_bad.text().startswith("✗")
    assert "not checked" in panel.answer.text()
    counter.model.set_name(Match.CONFIRMED)
    counter.model.set_birth_date(Match.MISMATCH)
    assert panel.answer.text() == "Name: ✓ matches  ·  Date of birth: ✗ DIFFERS"
    assert "#1b7f3b" in panel.name_ok.styleSheet() and "#b00020" in panel.birth_bad.styleSheet()
