"""Screenshots of the counter, each verdict in Japanese and English, into docs/screenshots/.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots.py

It builds a small event in a temporary folder, opens the real window on it
(the real xcb platform under Xvfb) at 1366×705 (a maximised window on a
1366×768 laptop with a taskbar), drives it as a volunteer would and saves
what the screen shows there (dialogs included).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's station and tests.factories
OUT = ROOT / "docs" / "screenshots"
INSIDE = dt.datetime(2027, 2, 19, 14, 10, tzinfo=ZoneInfo("Asia/Tokyo"))

ROWS = [
    dict(entry_no="270001", bib="12345", family_kanji="山田", given_kanji="花子", family_kana="ヤマダ",
         given_kana="ハナコ", family_latin="Yamada", given_latin="Hanako", sex="F", birth_date="1986-07-14",
         category="general", start_block="D", nickname="はなちゃん", shirt_size="S"),
    dict(entry_no="270002", bib="208", family_kanji="佐藤", given_kanji="健", family_kana="サトウ",
         given_kana="ケン", family_latin="Sato", given_latin="Ken", sex="M", birth_date="1979-03-02",
         category="disability", disability="1", start_block="A", shirt_size="L"),
    dict(entry_no="370001", bib="90001", family_kanji="鈴木", given_kanji="大輔", family_kana="スズキ",
         given_kana="ダイスケ", family_latin="Suzuki", given_latin="Daisuke", sex="M", birth_date="1984-11-20",
         category="general", escort_of="270002", shirt_size="L"),
    dict(entry_no="270004", bib="5120", family_kanji="田中", given_kanji="美咲", family_kana="タナカ",
         given_kana="ミサキ", family_latin="Tanaka", given_latin="Misaki", sex="F", birth_date="1992-09-09",
         category="charity", start_block="F", shirt_size="M"),
    dict(entry_no="270005", bib="5121", family_kanji="伊藤", given_kanji="誠", family_kana="イトウ",
         given_kana="マコト", family_latin="Ito", given_latin="Makoto", sex="M", birth_date="1975-05-05",
         category="general", start_block="F", shirt_size="L"),
    dict(entry_no="270006", bib="5122", family_kanji="高橋", given_kanji="陽菜", family_kana="タカハシ",
         given_kana="ヒナ", family_latin="Takahashi", given_latin="Hina", sex="F", birth_date="1998-03-03",
         category="general", start_block="F", nickname="ひなちゃんがんばれ", shirt_size="S"),
    dict(entry_no="270007", bib="5123", family_kanji="渡辺", given_kanji="翔", family_kana="ワタナベ",
         given_kana="ショウ", family_latin="Watanabe", given_latin="Sho", sex="M", birth_date="1988-08-08",
         category="general", start_block="G", shirt_size="L"),
    dict(entry_no="270008", bib="5124", family_kanji="小林", given_kanji="優子", family_kana="コバヤシ",
         given_kana="ユウコ", family_latin="Kobayashi", given_latin="Yuko", sex="F", birth_date="1983-12-01",
         category="general", start_block="E", shirt_size="M"),
    dict(entry_no="270009", bib="5125", family_kanji="加藤", given_kanji="拓也", family_kana="カトウ",
         given_kana="タクヤ", family_latin="Kato", given_latin="Takuya", sex="M", birth_date="1981-01-21",
         category="general", start_block="E", shirt_size="L"),
    dict(entry_no="270010", bib="5126", family_kanji="山本", given_kanji="大和", family_kana="ヤマモト",
         given_kana="ヤマト", family_latin="Yamamoto", given_latin="Yamato", sex="M", birth_date="1990-10-10",
         category="general", start_block="G", nickname="ヤマトがんばれ大和", shirt_size="L"),
    dict(entry_no="270003", bib="31507", family_kanji="", given_kanji="", family_kana="", given_kana="",
         family_latin="Smith", given_latin="James", sex="M",
         birth_date="1990-01-31", nationality="GBR", category="general", start_block="E", nickname="James",
         katakana_requested="1", shirt_size="M"),
]


def main() -> None:
    os.environ.setdefault("BIB_STATION_HOME", tempfile.mkdtemp(prefix="bib-shots-"))
    from station.core.event import kyoto_defaults
    from station.core.evidence import Match
    from station.core.hlc import Stamp
    from station.core.models import Fact, FactKind
    from station.store.supervisors import enrol
    from station.ui.app import open_session
    from station.ui.i18n import Languages
    from station.ui.main_window import MainWindow
    from station.ui.sounds import SoundPlayer
    from tests.factories import make_event, row

    app = QApplication.instance() or QApplication([])
    folder = Path(os.environ["BIB_STATION_HOME"])
    settings = kyoto_defaults("kyoto-2027", "京都マラソン2027 / Kyoto Marathon 2027", dt.date(2027, 2, 21))
    path = folder / "event.sqlite"
    package = make_event(path, settings, [row(i, **r) for i, r in enumerate(ROWS, start=1)])
    enrol(package, "S1", "佐々木 責任者", "4821397650")
    package.close()
    OUT.mkdir(parents=True, exist_ok=True)
    clock = {"now": INSIDE}
    languages = Languages(app)
    from station.printing.printer import PrinterProblem, PrintFailed
    from station.printing.worker import BibPrinter

    session = open_session(path, "counter-3", utcnow=lambda: clock["now"].astimezone(dt.UTC))
    paper = {"ok": True}

    def printer_function(face, layout, name):  # the printer: fine, or out of paper
        if not paper["ok"]:
            raise PrintFailed(PrinterProblem.OUT_OF_PAPER, name)

    printer = BibPrinter(session.station_log, printer="bibs-1", print_function=printer_function)
    window = MainWindow(session, languages=languages, sounds=SoundPlayer(False), now=lambda: clock["now"],
                        printer=printer)
    window.resize(1366, 705)
    window.show()
    model = window.model
    log = window.session.station_log
    moment = dt.datetime(2027, 2, 19, 4, 3, tzinfo=dt.UTC)
    log.append([Fact("remote-demo", FactKind.PICKUP, log.event_id, "counter-12", "V9", moment,
                     Stamp(int(moment.timestamp() * 1000), 0, "counter-12"), "270003"),
                # A supervisor case opened for 270007 at another counter, still open.
                Fact("remote-case", FactKind.EXCEPTION_OPENED, log.event_id, "counter-12", "V9", moment,
                     Stamp(int(moment.timestamp() * 1000), 1, "counter-12"), "270007",
                     {"reason": "name_mismatch", "note": "", "codes": ["name_mismatch"]})])

    def shot(name: str) -> None:
        for _ in range(5):
            app.processEvents()
            time.sleep(0.02)
        frame = window.frameGeometry()
        # What the screen shows where the window is: dialogs over it included.
        picture = app.primaryScreen().grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
        # An expo laptop's screen, maximised with a taskbar: the counter must never need more.
        assert window.width() <= 1366 and window.height() <= 705, (name, window.size())
        picture.save(str(OUT / f"{name}-{languages.current}.png"))

    def tick_all() -> None:
        for item in model.checklist:
            model.set_item(item, True)

    for language in ("ja", "en"):
        languages.switch(language)
        clock["now"] = INSIDE
        model.sign_out()
        shot("01-sign-in")
        model.sign_in("V17")
        shot("02-next-runner")
        model.choose("270001")
        shot("03-needs-id")
        model.set_name(Match.CONFIRMED)
        model.set_birth_date(Match.CONFIRMED)
        shot("04-ready")
        model.next_runner()  # READY, not recorded: the counter asks
        shot("04b-ready-asks-before-dropping")
        model.answer(False)
        model.choose("270002")
        model.set_name(Match.CONFIRMED)
        model.set_birth_date(Match.CONFIRMED)
        shot("05-needs-escort")
        model.set_escort("370001", present=True, id_ok=True)
        model.set_certificate(True)
        shot("05b-escort-bib-in-checklist")
        model.answer(False) if model.ask_before(None) is False else None
        model.clear()
        model.choose("370001")
        shot("06-refused-escort-alone")
        model.choose("270003")
        shot("07-refused-already-picked-up")
        model.choose("270001")
        model.set_birth_date(Match.MISMATCH)
        shot("08-supervisor-birth-date-differs")
        window.counter.to_supervisor()
        window.counter.note.note.setText("免許証は 1986-07-15" if language == "ja" else "licence shows 1986-07-15")
        shot("08b-f9-note")
        window.counter.note.reject()
        clock["now"] = INSIDE.replace(hour=20, minute=5)
        model.choose("270001")
        shot("09-refused-outside-window")
        clock["now"] = INSIDE
        model.clear()
        model.choose("270004" if language == "ja" else "270005")
        model.set_name(Match.CONFIRMED)
        model.set_birth_date(Match.CONFIRMED)
        tick_all()
        log_before = log.summary().facts
        model.complete()
        assert log.summary().facts > log_before
        shot("10-done")
        paper["ok"] = False
        model.choose("270006" if language == "ja" else "270010")  # a nickname too wide to print
        model.set_name(Match.CONFIRMED)
        model.set_birth_date(Match.CONFIRMED)
        shot("13-nickname-to-supervisor")
        tick_all()
        model.complete()
        for _ in range(100):
            app.processEvents()
            if model.print_hold is not None:
                break
            time.sleep(0.02)
        shot("14-print-failed")
        paper["ok"] = True
        window.printing.printed_elsewhere()
        model.choose("270007")
        shot("15-case-open-elsewhere")
        model.clear()
        model.choose("270008" if language == "ja" else "270009")  # one runner per language: the case stays open
        model.set_birth_date(Match.MISMATCH)
        model.send_to_supervisor(note="免許証は 1983-12-02" if language == "ja" else "licence shows 1981-01-22")
        shot("16-sent-to-supervisor")
        clock["now"] = INSIDE + dt.timedelta(minutes=7)  # the supervisor arrives a little later
        window.tabs.setCurrentIndex(2)
        window.supervisor.pin.setText("4821397650")
        window.supervisor.sign_in()
        window.supervisor.table.selectRow(0)
        shot("11-supervisor-queue-and-dashboard")
        window.supervisor_model.sign_out()
        shot("12-supervisor-sign-in")
        clock["now"] = INSIDE
        window.tabs.setCurrentIndex(0)
    window.close()
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main()
