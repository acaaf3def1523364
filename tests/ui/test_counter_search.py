"""The counter's search box says how many matched and how to narrow; a typed date of birth
or start block narrows."""

from __future__ import annotations

from station.ui.app import open_session
from station.ui.main_window import MainWindow
from station.ui.sounds import SoundPlayer
from tests.factories import make_event, row
from tests.ui.test_counter_flows import INSIDE, Clock


def test_the_count_and_the_date_of_birth(qtbot, tmp_path, kyoto_settings):
    rows = [row(n, given_kanji="稔", given_kana="ミノル", given_latin="Minoru",
                birth_date=f"19{60 + n:02d}-05-14", start_block="D" if n % 5 == 0 else "C")
            for n in range(1, 26)]
    make_event(tmp_path / "e.sqlite", kyoto_settings, rows).close()
    window = MainWindow(open_session(tmp_path / "e.sqlite", "counter-3"), sounds=SoundPlayer(enabled=False),
                        now=Clock(INSIDE))
    qtbot.addWidget(window)
    window.show()
    window.model.sign_in("V17")
    panel = window.counter.search
    panel.field.setText("山田 稔")
    panel.run()
    assert panel.results.count() == 20
    assert panel.count.text().startswith("25 found, the first 20 shown") and "19800514" in panel.count.text()
    panel.field.setText("山田 稔 19800514")
    panel.run()
    assert panel.results.count() == 1 and panel.count.text() == "1 found."
    assert panel.results.item(0).data(0x0100) == "1020"  # born 1980-05-14
    for typed in ("山田 稔 ブロックD", "yamada minoru block d", "Ｄブロック 山田"):
        panel.field.setText(typed)
        panel.run()
        assert panel.count.text() == "5 found.", typed
    panel.field.setText("山田 稔 1950-01-01")
    panel.run()
    assert panel.results.count() == 0 and panel.count.text().startswith("Nobody found")
