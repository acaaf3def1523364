"""Screenshots, in Japanese, of the counter texts that used to show English words.

    Xvfb :18 -screen 0 1366x768x24 &
    DISPLAY=:18 .venv/bin/python scripts/screenshots_texts.py

Into docs/screenshots/texts/: a conflict in the log (was "（double_pickup）"),
the hand-over list (was "B3 (runner)"), an escort's ID that does not match
(was "（date of birth, name）"), the supervisor's queue naming the reason and a
ruling the rules refuse.
Each is also checked for English words before it is saved.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QApplication, QLabel

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.factories, when run as a script
OUT = ROOT / "docs" / "screenshots" / "texts"
INSIDE = dt.datetime(2027, 2, 19, 14, 10, tzinfo=ZoneInfo("Asia/Tokyo"))
# Latin words that may stay in a Japanese screen: acronyms, key names, the language
# button, station ids ("counter-3") and the runners' names in Latin letters.
ALLOWED = {"ID", "QR", "PIN", "OK", "Ctrl", "Alt", "Shift", "Enter", "Esc", "English", "counter",
           "YAMADA", "Hanako", "SATO", "Ken"}

ROWS = [
    dict(entry_no="270001", bib="12345", family_kanji="山田", given_kanji="花子", family_kana="ヤマダ",
         given_kana="ハナコ", family_latin="Yamada", given_latin="Hanako", sex="F", birth_date="1986-07-14",
         category="general", start_block="D", shirt_size="S"),
    dict(entry_no="270002", bib="208", family_kanji="佐藤", given_kanji="健", family_kana="サトウ",
         given_kana="ケン", family_latin="Sato", given_latin="Ken", sex="M", birth_date="1979-03-02",
         category="disability", disability="1", start_block="A", shirt_size="L"),
    dict(entry_no="370001", bib="90001", family_kanji="鈴木", given_kanji="大輔", family_kana="スズキ",
         given_kana="ダイスケ", family_latin="Suzuki", given_latin="Daisuke", sex="M", birth_date="1984-11-20",
         category="general", escort_of="270002", shirt_size="L"),
]


def main() -> None:
    os.environ.setdefault("BIB_STATION_HOME", tempfile.mkdtemp(prefix="bib-text-shots-"))
    from station.core.event import kyoto_defaults
    from station.core.evidence import DocumentType, EscortEvidence, Evidence, FoundBy, IdCheck, Match
    from station.core.hlc import Stamp
    from station.core.ledger import EntryState
    from station.core.models import Fact, FactKind
    from station.core.rules import EscortRecord, decide
    from station.store.supervisors import enrol
    from station.ui.app import open_session
    from station.ui.counter.model import band_for
    from station.ui.i18n import Languages
    from station.ui.main_window import MainWindow
    from station.ui.sounds import SoundPlayer
    from tests.factories import make_event, row

    app = QApplication.instance() or QApplication([])
    folder = Path(os.environ["BIB_STATION_HOME"])
    settings = kyoto_defaults("kyoto-2027", "京都マラソン2027", dt.date(2027, 2, 21))
    path = folder / "event.sqlite"
    package = make_event(path, settings, [row(i, **r) for i, r in enumerate(ROWS, start=1)])
    enrol(package, "S1", "佐々木 責任者", "4821397650")
    package.close()
    OUT.mkdir(parents=True, exist_ok=True)
    languages = Languages(app)
    languages.switch("ja")
    session = open_session(path, "counter-3", utcnow=lambda: INSIDE.astimezone(dt.UTC))
    window = MainWindow(session, languages=languages, sounds=SoundPlayer(False), now=lambda: INSIDE)
    window.resize(1366, 768)
    window.show()
    model, log = window.model, window.session.station_log
    model.sign_in("V17")

    def shot(name: str) -> None:
        for _ in range(5):
            app.processEvents()
        shown = " ".join(label.text() for label in window.findChildren(QLabel) if label.isVisible())
        english = set(re.findall(r"[A-Za-z][A-Za-z_'-]*[A-Za-z]", shown)) - ALLOWED
        window.grab().save(str(OUT / f"{name}-ja.png"))
        print(f"{name}: {'English left: ' + ', '.join(sorted(english)) if english else 'no English words'}")

    # 1. two counters handed out the same bib while offline: a conflict in the log
    for n, station in enumerate(("counter-7", "counter-12")):
        moment = dt.datetime(2027, 2, 19, 4, 3 + n, tzinfo=dt.UTC)
        log.append([Fact(f"remote-{n}", FactKind.PICKUP, log.event_id, station, "V9", moment,
                         Stamp(int(moment.timestamp() * 1000), 0, station), "270001")])
    model.choose("270001")
    shot("01-conflict")

    # 2. the runner with an escort, all checked: the hand-over list names whose bib is whose
    model.clear()
    model.choose("270002")
    model.set_name(Match.CONFIRMED)
    model.set_birth_date(Match.CONFIRMED)
    model.set_escort("370001", present=True, id_ok=True)
    model.set_certificate(True)
    shot("02-hand-over-list")

    # 3. the escort's ID does not match the registration (date of birth and name):
    # the counter's escort panel only ticks "ID checked", so the verdict comes from the
    # one decision function with an MRZ-style mismatch and is shown on the real band.
    case = model.case
    escort = session.package.entrant("370001")
    if case is not None and escort is not None:
        wrong = IdCheck(DocumentType.PASSPORT, Match.MISMATCH, Match.MISMATCH)
        ok = IdCheck(DocumentType.DRIVERS_LICENCE, Match.CONFIRMED, Match.CONFIRMED)
        verdict = decide(case.entrant, Evidence(FoundBy.SIGNED_QR, id_check=ok, certificate_seen=True,
                                                escorts=(EscortEvidence("370001", wrong),)),
                         INSIDE, EntryState("270002"), settings, escorts=(EscortRecord(escort, EntryState("370001")),))
        model.band_changed.emit(band_for(verdict))
        shot("03-escort-id-mismatch")

    # 4. the conflict sent to the supervisor: the queue names the reason in words
    model.clear()
    model.choose("270001")
    model.send_to_supervisor(note="")
    window.tabs.setCurrentIndex(2)
    window.supervisor.pin.setText("4821397650")
    window.supervisor.sign_in()
    window.supervisor.table.selectRow(0)
    shot("04-supervisor-queue")

    # 5. a decision the rules refuse (no written reason): the blockers, said in Japanese
    window.supervisor.claim()
    window.supervisor.decision.setCurrentIndex(window.supervisor.decision.findData("resolve_double_pickup"))
    window.supervisor.resolve()
    shot("05-supervisor-ruling-refused")
    window.close()
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main()
