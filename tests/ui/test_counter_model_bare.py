"""The counter's model on its own, and the verdict band against that bare model (no main window).

Like napari's `QtDims(Dims(ndim=4))`: a real CheckinDesk over real SQLite files
in tmp_path, the model, and at most one widget listening to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest

from station.core.evidence import Match
from station.core.verdict import Outcome
from station.store.checkin import CheckinDesk
from station.store.opening import open_station
from station.ui.counter.model import Band, CounterModel
from station.ui.counter.panels import VerdictBand
from tests.factories import make_event, row

INSIDE = dt.datetime(2027, 2, 19, 14, 10, tzinfo=ZoneInfo("Asia/Tokyo"))


@pytest.fixture
def desk(tmp_path, kyoto_settings) -> Iterator[CheckinDesk]:
    path = tmp_path / "event.sqlite"
    make_event(path, kyoto_settings, [
        row(1),
        row(2, category="disability", disability="1"),
        row(3, escort_of="1002"),
    ]).close()
    package, log = open_station(path, "counter-3")
    yield CheckinDesk(package, log)
    log.close()
    package.close()


@pytest.fixture
def model(desk) -> CounterModel:
    model = CounterModel(desk, now=lambda: INSIDE)
    model.sign_in("v17")
    return model


def test_the_model_announces_each_change_and_records_the_pickup(model, desk):
    bands: list[Band | None] = []
    done = []
    model.band_changed.connect(bands.append)
    model.completed.connect(done.append)
    model.choose("1001")
    assert model.case is not None and bands[-1] is not None and bands[-1].outcome is Outcome.NEEDS_ID
    model.set_name(Match.CONFIRMED)
    model.set_birth_date(Match.CONFIRMED)
    assert bands[-1].outcome is Outcome.READY and not model.can_complete  # nothing ticked yet
    for item in model.items:
        model.set_item(item, True)
    assert model.can_complete
    result = model.complete()
    assert result is not None and result.bibs == ("1",) and done == [result]
    assert model.case is None and bands[-1] is None  # the runner's data left the screen
    assert desk.log.entry_state("1001").status.value == "picked_up"


def test_the_band_texts_are_rendered_in_the_language_asked(model):
    model.choose("1002")
    model.set_name(Match.CONFIRMED)
    model.set_birth_date(Match.CONFIRMED)
    model.set_escort("1003", present=True, id_ok=True)
    model.set_certificate(True)
    band = model.band
    assert band is not None and band.outcome is Outcome.READY
    assert band.next_step("ja") == "お渡しするもの：2（選手用）、3（伴走者用）"
    assert band.next_step("en") == "Hand over: 2 (runner), 3 (escort)."


def test_the_verdict_band_follows_the_bare_model(qtbot, model):
    language = {"now": "en"}
    view = VerdictBand(model, lambda: language["now"])
    qtbot.addWidget(view)
    idle = view.headline.text()
    model.choose("1003")  # an escort alone
    assert model.band is not None and model.band.outcome is Outcome.REFUSED
    assert view.headline.text() == model.band.headline("en") and "escort" in view.headline.text()
    language["now"] = "ja"
    view.retranslate()
    assert view.headline.text() == model.band.headline("ja") and "伴走者" in view.headline.text()
    model.clear()
    assert view.headline.text() == idle


def test_a_bib_that_could_not_be_queued_is_said_in_the_screens_language(qtbot, model, desk):
    from station.core.texts import Text
    from station.printing.nicknames import nickname_checker
    from station.ui.counter.printing import CounterPrinting, PrintBanner

    language = {"now": "ja"}
    printing = CounterPrinting(model, desk.package, None, nickname_checker(desk.package))
    banner = PrintBanner(printing, lambda: language["now"])
    qtbot.addWidget(banner)
    why = Text("プリンターの待ち行列がいっぱいです", "the printer queue is full")
    printing.unprinted.emit("1001", why)
    bib = desk.entrant("1001").bib
    assert f"ナンバーカード {bib} " in banner.message.text() and "待ち行列がいっぱい" in banner.message.text()
    language["now"] = "en"
    printing.unprinted.emit("1001", why)
    assert "the printer queue is full" in banner.message.text()
