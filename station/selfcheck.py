"""The self-check: is this laptop ready to be a counter?

Each check is a small function that looks at one thing the counter needs and
returns a CheckResult: what it found and, when something is wrong, what the IT
person setting up the laptop should do. Nothing here changes the station's
data: the probes write to throw-away files and roll their transactions back.
The whole run stays under about 10 s (the camera probe has a time budget).
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from station.core.errors import StationError
from station.core.texts import NOTHING, Language, Text
from station.resources import asset
from station.settings import Folders, Settings

CAMERA_INDEXES = range(5)
CAMERA_BUDGET_S = 4.0
HUB_TIMEOUT_S = 3.0
PROBE_TEXT = "bibstation-selfcheck:1001"


class Outcome(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


# The checks' names (`--skip NAME` takes the English) and outcomes, as the first-run dialog shows them.
NAMES: dict[str, Text] = {en: Text(ja, en) for en, ja in (
    ("event package", "イベントパッケージ"), ("data folder", "データフォルダー"), ("station log", "受付の記録"),
    ("camera", "カメラ"), ("printer", "プリンター"), ("hub", "ハブ"), ("fonts", "フォント"),
    ("translation", "日本語訳"), ("katakana model", "カタカナ変換モデル"), ("QR decoder", "QR コードの読み取り"))}
OUTCOMES: dict[Outcome, Text] = {Outcome.OK: Text("正常", "OK"), Outcome.WARN: Text("注意", "WARN"),
                                 Outcome.FAIL: Text("失敗", "FAIL")}


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What a check found and what to do, in both languages (a window shows its own; the
    command line and the log the English). `raw` is what the OS, SQLite, the camera or the
    hub said: part of the English sentence, on a details line of its own in Japanese."""

    name: str
    outcome: Outcome
    found: Text
    to_do: Text = NOTHING  # what to do about a warn or a fail
    raw: str = ""

    @property
    def detail(self) -> str:
        return self.found.render(Language.EN)

    @property
    def todo(self) -> str:
        return self.to_do.render(Language.EN)

    @property
    def title(self) -> Text:
        return NAMES.get(self.name) or Text("{name}", "{name}", (("name", self.name),))


@dataclass(frozen=True, slots=True)
class Machine:
    """What the checks look at: this station's settings and folders, and the event."""

    settings: Settings
    folders: Folders
    event_path: Path | None


def ok(name: str, found: Text) -> CheckResult:
    return CheckResult(name, Outcome.OK, found)


def warn(name: str, found: Text, todo: Text, raw: str = "") -> CheckResult:
    return CheckResult(name, Outcome.WARN, found, todo, raw)


def fail(name: str, found: Text, todo: Text, raw: str = "") -> CheckResult:
    return CheckResult(name, Outcome.FAIL, found, todo, raw)


def _both(ja: str, en: str) -> Text:
    """Two sentences already rendered elsewhere (a printer's state): parameters, never templates."""
    return Text("{ja}", "{en}", (("en", en), ("ja", ja)))


_REINSTALL = Text("Bib Station を入れ直してください。", "Reinstall Bib Station.")
_FIX_EVENT_FIRST = Text("先にイベントパッケージを直してください。", "Fix the event package first.")


# -- the event and the data ------------------------------------------------------


def check_event_package(machine: Machine) -> CheckResult:
    from station.store.event_package import EventPackage

    name = "event package"
    path = machine.event_path
    if path is None:
        return fail(name, Text("イベントパッケージが設定されていません。", "no event package is configured"),
                    Text("ステーションを起動してハブの設定コードを入力するか、{option} を指定してください。",
                         "Start the station and enter the provisioning code from the hub, or pass {option}.",
                         (("option", "--event FILE"),)))
    if not path.is_file():
        return fail(name, Text("{path} がありません。", "{path} does not exist", (("path", str(path)),)),
                    Text("イベントパッケージをもう一度このパソコンにコピーしてください（またはハブから設定してください）。",
                         "Copy the event package to this laptop again (or provision it from the hub)."))
    try:
        package = EventPackage.open(path)
    except StationError as exc:
        return fail(name, exc.message_text,
                    Text("主催者かハブから新しいイベントパッケージをコピーしてください。",
                         "Copy a fresh event package from the organizer or the hub."), exc.detail)
    try:
        counts = package.counts()
        return ok(name, Text("{event}：選手 {runners} 人、伴走者 {escorts} 人",
                             "{event}: {runners} runners, {escorts} escorts",
                             (("escorts", f"{counts.escorts:,}"), ("event", package.settings.name),
                              ("runners", f"{counts.runners:,}"))))
    finally:
        package.close()


def _probe_sqlite(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".selfcheck-", suffix=".sqlite", dir=folder)
    os.close(fd)
    try:
        conn = sqlite3.connect(name)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            with conn:
                conn.execute("CREATE TABLE probe (x)")
                conn.execute("INSERT INTO probe VALUES (1)")
        finally:
            conn.close()
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)


def check_data_folder(machine: Machine) -> CheckResult:
    name = "data folder"
    folders = machine.folders
    try:
        _probe_sqlite(folders.data / "stations")
        folders.logs.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folders.logs):
            pass
    except OSError as exc:
        where = (("data", str(folders.data)), ("logs", str(folders.logs)))
        return fail(name, Text("書き込めません。", "cannot write there: {error}", (("error", str(exc)),)),
                    Text("このユーザーに {data} と {logs} への書き込み権限を与えるか、"
                         "{variable} に書き込めるフォルダーを設定してください。",
                         "Give this Windows/Linux user write access to {data} and {logs}, "
                         "or set {variable} to a folder it may write.", (*where, ("variable", "BIB_STATION_HOME"))),
                    str(exc))
    except sqlite3.Error as exc:
        return fail(name, Text("{data} に SQLite が書き込めません。", "SQLite cannot write in {data}: {error}",
                               (("data", str(folders.data)), ("error", str(exc)))),
                    Text("データフォルダーはこのパソコンのディスクに置いてください"
                         "（ネットワーク共有や満杯の USB メモリーは不可）。",
                         "Keep the data folder on a local disk (not a network share or a full USB stick)."), str(exc))
    return ok(name, Text("{data}（ログは {logs}）", "{data} (logs in {logs})",
                         (("data", str(folders.data)), ("logs", str(folders.logs)))))


def check_station_log(machine: Machine) -> CheckResult:
    """This counter's own log for the event: opened (made on first use) and written to, rolled back."""
    from station.store.event_package import EventPackage
    from station.store.station_log import StationLog

    name = "station log"
    if machine.event_path is None or not machine.event_path.is_file():
        return warn(name, Text("未確認：イベントパッケージがありません。", "not checked: no event package"),
                    _FIX_EVENT_FIRST)
    try:
        package = EventPackage.open(machine.event_path)
        event_id = package.settings.event_id
        package.close()
    except StationError:
        return warn(name, Text("未確認：イベントパッケージが開けません。",
                               "not checked: the event package does not open"),
                    _FIX_EVENT_FIRST)
    station = machine.settings.station_name
    path = machine.folders.station_log(event_id, station)
    try:
        log = StationLog.open(path, station_id=station, event_id=event_id)
    except (StationError, OSError, sqlite3.Error) as exc:
        error = str(exc)
        return fail(name, Text("{path} が開けません。", "{path} does not open: {error}",
                               (("error", error), ("path", str(path)))),
                    Text("このユーザーに {folder} への書き込み権限を与えてください。ファイルが壊れている場合は"
                         "別の場所に移し、ハブから記録を取り直してください。",
                         "Give this user write access to {folder}; if the file is damaged, "
                         "move it aside and let the station pull its facts from the hub again.",
                         (("folder", str(path.parent)),)), error)
    try:
        log.conn.execute("BEGIN IMMEDIATE")  # takes the write lock, as a pickup would
        log.conn.execute("ROLLBACK")
        facts = log.summary().facts
    except sqlite3.Error as exc:
        return fail(name, Text("{path} に書き込めません。", "{path} cannot be written: {error}",
                               (("error", str(exc)), ("path", str(path)))),
                    Text("このパソコンのほかの Bib Station の画面を閉じ、ディスクが満杯でないか確認してください。",
                         "Close any other Bib Station window on this laptop; check the disk is not full."), str(exc))
    finally:
        log.close()
    return ok(name, Text("{file}：記録 {facts} 件", "{file}: {facts} facts", (("facts", facts), ("file", path.name))))


# -- devices ---------------------------------------------------------------------------


def _quiet_opencv() -> None:
    """OpenCV prints a warning per missing camera; the table says it better."""
    import cv2

    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)


def _webcams_that_open(indexes: Iterable[int], budget_s: float) -> list[int]:
    import cv2

    _quiet_opencv()
    api = cv2.CAP_DSHOW if sys.platform == "win32" else cv2.CAP_ANY
    found: list[int] = []
    deadline = time.monotonic() + budget_s
    for index in indexes:
        if time.monotonic() > deadline:
            break
        cap = cv2.VideoCapture(index, api)
        try:
            if cap.isOpened():
                found.append(index)
        finally:
            cap.release()
    return found


def check_camera(machine: Machine) -> CheckResult:
    from station.scan.camera import CameraError, Webcam, source_for

    name = "camera"
    setting = machine.settings.camera.strip()
    if setting.lower() in ("", "off"):
        return warn(name, Text("設定でカメラが切られています。", "the camera is switched off in the settings"),
                    Text("受付はハンドスキャナーと検索で使えます。"
                         "ウェブカメラを使うには設定の {setting} を 0 にしてください。",
                         "The counter works with a hand scanner and search; set {setting} to 0 to use a webcam.",
                         (("setting", "`camera`"),)))
    _quiet_opencv()
    try:
        source = source_for(setting, live=False)
        source.open()
        source.close()
    except CameraError as exc:
        if not setting.isdigit():
            return fail(name, exc.message_text,
                        Text("設定の {setting} を直してください："
                             "ウェブカメラの番号、動画、画像フォルダーのどれかです。",
                             "Fix {setting} in the settings: a webcam number, a video or image folder.",
                             (("setting", "`camera`"),)))
        others = [i for i in _webcams_that_open(CAMERA_INDEXES, CAMERA_BUDGET_S) if i != int(setting)]
        where = (Text("開くカメラ：{cameras}", "cameras that open: {cameras}", (("cameras", tuple(others)),))
                 if others else Text("0〜4 のどのカメラも開きません", "no camera opens at 0-4"))
        todo = (Text("設定の {setting} を {index} にしてください。", "Set {setting} to {index} in the settings.",
                     (("index", others[0]), ("setting", "`camera`")))
                if others else Text(
                    "USB ウェブカメラをつないで（別の USB ポートも試して）、"
                    "カメラを使っているほかのプログラムを閉じてください。{hint}",
                    "Plug in the USB webcam (try another USB port) and close other programs using it.{hint}",
                    (("hint", camera_privacy_hint()),)))
        return fail(name, Text("{error}（{where}）", "{error} ({where})",
                               (("error", exc.message_text), ("where", where))), todo)
    kind = Text("ウェブカメラ", "webcam") if isinstance(source, Webcam) else Text("ファイル", "file")
    return ok(name, Text("{source}（{kind}）から映像が来ます", "{source} ({kind}) gives pictures",
                         (("kind", kind), ("source", source.description))))


def camera_privacy_hint(platform: str = sys.platform) -> Text:
    """Windows blocks desktop programs from every camera when its privacy switch is off:
    the camera then simply does not open, with no message of its own."""
    if platform != "win32":
        return NOTHING
    return Text("Windows では「設定 > プライバシーとセキュリティ > カメラ」で「カメラへのアクセス」と"
                "「デスクトップ アプリがカメラにアクセスできるようにする」をオンにしてください"
                "（パソコンのカメラキーやシャッターも確認してください）。",
                " On Windows also check Settings > Privacy & security > Camera: 'Camera access' and "
                "'Let desktop apps access your camera' must be On (and any camera key or shutter on the laptop).")


def check_printer(machine: Machine) -> CheckResult:
    """Every printer of the counter's pool: health (paused, offline, out of paper,
    door open) and the pages left in its tray or roll."""
    from PySide6.QtPrintSupport import QPrinterInfo

    from station.printing.health import PrinterCondition, PrinterHealth, condition_text, default_health
    from station.printing.media import MediaCounter, MediaStatus, counter_file

    name = "printer"
    settings = machine.settings
    available = QPrinterInfo.availablePrinterNames()
    wanted = settings.printer_pool[0] if settings.printer_pool else (
        settings.printer or QPrinterInfo.defaultPrinterName())
    if not wanted:
        listed = (Text("（プリンター：{printers}）", " (printers: {printers})", (("printers", tuple(available)),))
                  if available else NOTHING)
        return fail(name, Text("プリンターが設定されておらず、通常使うプリンターもありません{listed}。",
                               "no printer is set and there is no default printer{listed}", (("listed", listed),)),
                    Text("ナンバーカード用プリンターのドライバーを入れて通常使うプリンターにするか、"
                         "設定の {printer}（または {pool}）を設定してください。",
                         "Install the bib printer's driver and make it the default printer, "
                         "or set {printer} (or {pool}) in the settings.",
                         (("pool", "`printer_pool`"), ("printer", "`printer`"))))
    pool = list(dict.fromkeys(settings.printer_pool or [wanted, settings.backup_printer]))
    pool = [p for p in pool if p]
    ask = default_health()
    states = [ask(p) if p in available else PrinterHealth(p, PrinterCondition.NOT_INSTALLED) for p in pool]
    try:
        counter: MediaCounter | None = MediaCounter(counter_file(machine.folders.data), settings.media_pages)
    except StationError:
        counter = None
    media: dict[str, MediaStatus] = {p: counter.status(p) for p in pool} if counter is not None else {}
    def said(language: str) -> str:
        parts = []
        for health in states:  # in Japanese what the spooler said goes on the details line, not in the sentence
            part = (health.text("en") if language == "en"
                    else f"{health.printer}: {condition_text(health.condition, language)}")
            if health.printer in media and media[health.printer].capacity is not None:
                part += ("；" if language == "ja" else "; ") + media[health.printer].text(language, named=False)
            parts.append(part)
        return " | ".join(parts)

    found = _both(said("ja"), said("en"))
    if any(h.condition is PrinterCondition.NOT_INSTALLED for h in states):
        installed = Text("{printers}", "{printers}", (("printers", tuple(available)),)) if available else Text(
            "なし", "none")
        found = Text("{found}（インストール済みのプリンター：{installed}）",
                     "{found} (installed printers: {installed})",
                     (("found", found), ("installed", installed)))
    spooler = "; ".join(f"{h.printer}: {h.detail}" for h in states if h.detail)
    ready = [h for h in states if h.can_print]
    low = [m for m in media.values() if m.low]
    if not ready:
        return fail(name, found, Text(
            "プリンターの電源を入れ、用紙を入れ、ふたを閉めて、キューを再開してください（{resume}）。"
            "または設定の {pool} を応答するプリンターにしてください。",
            "Switch the printer on, load paper, close its door and resume its queue "
            "({resume}), or set {pool} in the settings to printers that answer.",
            (("pool", "`printer_pool`"), ("resume", "`cupsenable NAME`"))), spooler)
    if len(ready) < len(states):
        return warn(name, found, Text(
            "応答しないプリンターを直すか、{pool} から外してください（その間ナンバーカードは次のプリンターに出ます）。",
            "Fix the printers that do not answer, or take them out of {pool} "
            "(bibs go to the next printer meanwhile).", (("pool", "`printer_pool`"),)), spooler)
    if low:
        return warn(name, found, Text("用紙か新しいロールを入れてから、{command} を実行してください。",
                                      "Load paper or a new roll, then run {command}.",
                                      (("command", "`station printer loaded NAME`"),)), spooler)
    return ok(name, found)


def check_hub(machine: Machine) -> CheckResult:
    from station.store.event_package import EventPackage
    from station.sync.client import hub_from_settings
    from station.sync.protocol import CertificateUntrusted, HubRefused, HubRevoked, HubUnavailable

    name = "hub"
    settings = machine.settings
    if not settings.hub:
        return warn(name, Text("ハブなし：この受付は単独で動作します。", "no hub: this station works alone"),
                    Text("受付が 1 つなら問題ありません。複数あるときは、同じナンバーカードを二度渡さないよう、"
                         "どの受付もハブから設定してください。",
                         "Fine for a single counter; with several, provision each one from the hub so "
                         "that no bib is handed out twice."))
    try:
        hub = hub_from_settings(settings, machine.folders, timeout=HUB_TIMEOUT_S)
        try:
            health = hub.health()
            hub.pull(0, limit=1)  # /health needs no token: ask something that does
        finally:
            hub.close()
    except CertificateUntrusted as exc:
        return fail(name, exc.message_text, Text(
            "ハブの担当者に新しい設定コードをもらうか、{setting} に主催者の CA 証明書を設定してください。",
            "Ask the hub operator for a new provisioning code, or set {setting} to the organizer's CA certificate.",
            (("setting", "hub_ca_file"),)), exc.detail)
    except HubRevoked as exc:
        return fail(name, exc.message_text, Text(
            "このステーションはハブで取り消されました。ハブの担当者に新しいコードをもらってください（{command}）。",
            "This station was revoked at the hub; ask the hub operator for a new code ({command}).",
            (("command", "`station provision CODE`"),)), exc.detail)
    except HubRefused as exc:
        return fail(name, exc.message_text, Text(
            "ハブの担当者に新しい設定コードをもらってください（{command}）。",
            "Ask the hub operator for a new provisioning code ({command}).",
            (("command", "`station hub add-station`"),)), exc.detail)
    except HubUnavailable as exc:
        return fail(name, exc.message_text, Text(
            "このパソコンが会場のネットワークにつながっていて、ハブが動いているか確認してください。",
            "Check this laptop is on the hall network and the hub is running."), exc.detail)
    if machine.event_path is not None and machine.event_path.is_file() and health.event_id:
        try:
            package = EventPackage.open(machine.event_path)
            event_id = package.settings.event_id
            package.close()
        except StationError:
            event_id = None
        if event_id and event_id != health.event_id:
            return fail(name, Text("ハブの大会は {hub_event}、このステーションは {event} です。",
                                   "the hub serves {hub_event}, this station has {event}",
                                   (("event", event_id), ("hub_event", health.event_id))),
                        Text("正しいハブからこのステーションを設定し直してください。",
                             "Provision this station again from the right hub."))
    event = (Text("{event}", "{event}", (("event", health.event_id),)) if health.event_id
             else Text("未公開", "not published"))
    return ok(name, Text("{hub}：記録 {facts} 件、大会 {event}", "{hub}: {facts} facts, event {event}",
                         (("event", event), ("facts", f"{health.facts:,}"), ("hub", settings.hub))))


# -- what we ship -----------------------------------------------------------------------


def _gui() -> None:
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        # A QApplication (not only a QGuiApplication) so that the window can start in the same
        # process later; kept on the module so that Qt does not lose it when this returns.
        global _app
        _app = QApplication(sys.argv[:1])


def check_fonts(machine: Machine) -> CheckResult:
    from PySide6.QtGui import QFontDatabase

    from station.printing.glyphs import BIB_FONT_FILE

    name = "fonts"
    _gui()
    path = asset("fonts", BIB_FONT_FILE)
    font_id = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        return fail(name, Text("ナンバーカードのフォント {path} が読み込めません。",
                               "the bib font {path} does not load",
                               (("path", str(path)),)), _REINSTALL)
    from PySide6.QtWidgets import QApplication

    from station.printing.screen_fonts import install_japanese_fallback, missing_glyphs

    install_japanese_fallback(QApplication.instance())
    missing = missing_glyphs(QApplication.instance().font())
    if missing:
        return fail(name, Text("画面のフォントで {missing} を表示できません。日本語が四角で表示されます。",
                               "the screen font cannot draw {missing}: Japanese would show as boxes",
                               (("missing", str(missing)),)),
                    Text("Bib Station を入れ直すか（フォントのフォルダーが壊れています）、日本語フォント（{package}）を"
                         "入れてください。",
                         "Reinstall Bib Station (its font folder is damaged), or install a Japanese font ({package}).",
                         (("package", "fonts-noto-cjk"),)))
    return ok(name, Text("{family}（{file}）、画面に日本語を表示できます",
                         "{family} ({file}); the screen shows Japanese",
                         (("family", families[0]), ("file", path.name))))


def check_translation(machine: Machine) -> CheckResult:
    from PySide6.QtCore import QTranslator

    name = "translation"
    _gui()
    path = asset("translations", "station_ja.qm")
    translator = QTranslator()
    if not translator.load(str(path)) or translator.isEmpty():
        return fail(name, Text("{path} が読み込めません。", "{path} does not load", (("path", str(path)),)), _REINSTALL)
    return ok(name, Text("日本語（{file}）", "Japanese ({file})", (("file", path.name),)))


def check_katakana_model(machine: Machine) -> CheckResult:
    name = "katakana model"
    try:
        from station.core.katakana import E2KReader

        reading = E2KReader()("station")
    except Exception as exc:  # a missing or damaged model file shows up as anything at all
        error = str(exc)
        return fail(name, Text("カタカナ変換モデル（{model}）が読み込めません。",
                               "the {model} model does not load: {error}",
                               (("error", error), ("model", "e2k"))), _REINSTALL, error)
    if not reading:
        return fail(name, Text("カタカナ変換モデル（{model}）が何も読みません。",
                               "the {model} model loads but reads nothing",
                               (("model", "e2k"),)), _REINSTALL)
    return ok(name, Text("{model} は {word} を {reading} と読みます", "{model} reads {word} as {reading}",
                         (("model", "e2k"), ("reading", reading), ("word", "'station'"))))


def check_qr_decoder(machine: Machine) -> CheckResult:
    name = "QR decoder"
    try:
        import numpy as np
        import zxingcpp

        from station.scan.qr import read_codes

        code = zxingcpp.create_barcode(PROBE_TEXT, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
        image = np.ascontiguousarray(np.kron(np.array(code.to_image(scale=1, add_quiet_zones=True)),
                                             np.ones((6, 6), dtype=np.uint8)))
        payloads = [code.payload for code in read_codes(image)]
    except Exception as exc:  # a missing zxing-cpp or OpenCV library
        error = str(exc)
        return fail(name, Text("{libraries} が読み込めません。", "{libraries} do not load: {error}",
                               (("error", error), ("libraries", "zxing-cpp / OpenCV"))), _REINSTALL, error)
    if payloads != [PROBE_TEXT.encode()]:
        return fail(name, Text("作った QR コードが {payloads} と読まれました。",
                               "a generated QR code decoded as {payloads}",
                               (("payloads", repr(payloads)),)), _REINSTALL)
    return ok(name, Text("{library} が作った QR コードを読めます", "{library} reads a generated QR code",
                         (("library", "zxing-cpp"),)))


Check = Callable[[Machine], CheckResult]

CHECKS: tuple[tuple[str, Check], ...] = (
    ("event package", check_event_package),
    ("data folder", check_data_folder),
    ("station log", check_station_log),
    ("camera", check_camera),
    ("printer", check_printer),
    ("hub", check_hub),
    ("fonts", check_fonts),
    ("translation", check_translation),
    ("katakana model", check_katakana_model),
    ("QR decoder", check_qr_decoder),
)


def run_checks(machine: Machine, *, skip: Iterable[str] = (),
               each: Callable[[CheckResult], None] | None = None) -> list[CheckResult]:
    """Every check, in order; one that crashes is a fail naming the error, never a traceback."""
    skipped = set(skip)
    results = []
    for name, check in CHECKS:
        if name in skipped:
            continue
        try:
            result = check(machine)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            result = fail(name, Text("確認そのものが失敗しました。", "the check itself failed: {error}",
                                     (("error", error),)),
                          Text("受付の記録を Bib Station の保守担当者に送ってください。",
                               "Send the station log to the Bib Station maintainers."), error)
        results.append(result)
        if each:
            each(result)
    return results


def failed(results: Iterable[CheckResult]) -> bool:
    return any(r.outcome is Outcome.FAIL for r in results)
