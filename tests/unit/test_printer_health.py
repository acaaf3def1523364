"""Reading a printer's health from what `lpstat -l -p` says, and the pool's order."""

from __future__ import annotations

import pytest

from station.core.errors import StationError
from station.printing.health import PrinterCondition, PrinterHealth, parse_lpstat
from station.printing.pool import PoolChange, PoolChangeKind, PrinterPool

IDLE = """printer pool-a is idle.  enabled since Sun Nov 29 23:28:08 2026
\tForm mounted:
\tContent types: any
\tAlerts: none
\tLocation: table 3
"""


def stopped(reason: str, alerts: str = "paused") -> str:
    return (f"printer pool-a disabled since Sun Nov 29 23:28:08 2026 -\n\t{reason}\n\tForm mounted:\n"
            f"\tContent types: any\n\tAlerts: {alerts}\n")


@pytest.mark.parametrize(("output", "condition"), [
    (IDLE, PrinterCondition.READY),
    (IDLE.replace("is idle.", "now printing pool-a-12."), PrinterCondition.READY),
    (stopped("Paused"), PrinterCondition.PAUSED),
    (stopped("offline: printer not responding"), PrinterCondition.OFFLINE),
    (IDLE.replace("Alerts: none", "Alerts: media-empty-error"), PrinterCondition.OUT_OF_PAPER),
    (IDLE.replace("Alerts: none", "Alerts: door-open-warning"), PrinterCondition.DOOR_OPEN),
    (stopped("Paused", "cover-open-error"), PrinterCondition.DOOR_OPEN),
    (IDLE.replace("Alerts: none", "Alerts: media-jam-error"), PrinterCondition.PAPER_JAM),
    (IDLE.replace("Alerts: none", "Alerts: offline-report"), PrinterCondition.OFFLINE),
    (stopped("door open"), PrinterCondition.DOOR_OPEN),
])
def test_lpstat_output_tells_the_condition(output: str, condition: PrinterCondition) -> None:
    health = parse_lpstat("pool-a", output)
    assert health.condition is condition
    assert health.can_print is (condition is PrinterCondition.READY)


def test_an_unknown_queue_is_not_installed() -> None:
    health = parse_lpstat("nope", 'lpstat: Invalid destination name in list "nope".\n', 1)
    assert health.condition is PrinterCondition.NOT_INSTALLED
    assert "未インストール" in health.text("ja") and "not installed" in health.text("en")


def test_the_pool_keeps_its_order_and_a_printer_out_until_it_answers() -> None:
    states = {"A": PrinterCondition.READY, "B": PrinterCondition.READY, "C": PrinterCondition.READY}
    pool = PrinterPool.of(["A", "B", "A", " ", "C"],
                          health=lambda name: PrinterHealth(name, states[name]))
    assert pool.printers == ("A", "B", "C")
    assert pool.order() == ["A", "B", "C"]
    assert pool.take_out("A", "paused") is True
    assert pool.take_out("A", "paused") is False  # already out: not a second change
    states["A"] = PrinterCondition.PAUSED
    assert pool.readmit() == []
    assert pool.order() == ["B", "C"]
    assert pool.order(prefer="C") == ["C", "B"]
    states["A"] = PrinterCondition.READY
    assert [h.printer for h in pool.readmit()] == ["A"]
    assert pool.order() == ["A", "B", "C"]


def test_without_health_a_printer_out_is_the_last_resort() -> None:
    pool = PrinterPool.of(["A", "B"])
    pool.take_out("A", "job_failed")
    assert pool.readmit() == []
    assert pool.order() == ["B", "A"]


def test_an_empty_pool_says_what_to_set() -> None:
    with pytest.raises(StationError, match="printer_pool"):
        PrinterPool.of(["", "  "])


def test_a_change_is_a_plain_payload() -> None:
    change = PoolChange(PoolChangeKind.MOVED, "A", to="B", problem="paused", job_id="j1", bib="123")
    assert change.payload() == {"change": "moved", "printer": "A", "to": "B", "problem": "paused",
                                "job_id": "j1", "bib": "123"}


def test_the_page_counter_warns_when_a_tenth_is_left_and_starts_again_when_loaded(tmp_path) -> None:
    import datetime as dt

    from station.printing.media import MediaCounter

    path = tmp_path / "printer_pages.json"
    counter = MediaCounter(path, {"label": 100})
    for _ in range(89):
        status = counter.printed("label")
    assert (status.since_loaded, status.remaining, status.low) == (89, 11, False)
    status = counter.printed("label")
    assert (status.remaining, status.low) == (10, True)
    assert "running low" in status.text("en") and "残り約10／100枚" in status.text("ja")
    other = counter.printed("plain")  # no size entered: counted, never "low"
    assert (other.capacity, other.low) == (None, False)
    again = MediaCounter(path, {"label": 100})  # survives a restart
    assert again.status("label").total == 90
    loaded = again.loaded("label", now=dt.datetime(2027, 2, 20, 9, tzinfo=dt.UTC))
    assert (loaded.since_loaded, loaded.total, loaded.remaining, loaded.low) == (0, 90, 100, False)
    assert loaded.loaded_at == "2027-02-20T09:00:00+00:00"


def test_a_small_roll_warns_with_five_left(tmp_path) -> None:
    from station.printing.media import MediaCounter

    counter = MediaCounter(tmp_path / "p.json", {"A": 20})
    statuses = [counter.printed("A") for _ in range(15)]
    assert [s.low for s in statuses].index(True) == 14  # 5 left


def test_a_damaged_page_counter_says_what_to_do(tmp_path) -> None:
    from station.printing.media import MediaCounter

    path = tmp_path / "p.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(StationError, match="delete it"):
        MediaCounter(path)


def test_without_cups_the_windows_spooler_adapter_answers_if_there(monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil
    import sys
    import types

    from station.printing import health as health_module

    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setitem(sys.modules, "station.printing.windows_spooler", None)  # not there: nothing to ask
    assert health_module.default_health()("P").condition is PrinterCondition.UNKNOWN
    adapter = types.ModuleType("station.printing.windows_spooler")
    adapter.spooler_health = lambda name: PrinterHealth(name, PrinterCondition.OUT_OF_PAPER)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "station.printing.windows_spooler", adapter)
    monkeypatch.delattr("station.printing.windows_spooler", raising=False)
    assert health_module.default_health()("P").condition is PrinterCondition.OUT_OF_PAPER
