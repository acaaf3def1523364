"""The first start on a new laptop: provisioning, then the counter window.

IT staff get a stack of laptops and, from the hub's operator, one
provisioning code per laptop (`station hub add-station`, as text or a QR
code). On a laptop with no event package yet the station asks for that code
(pasted, or held up to the webcam) or for an event package file, downloads
the package from the hub with a progress bar, and saves the hub, the token,
the station's name and the package in the settings. It then offers the
self-check, and opens the counter window.

`launch()` is what `station app` calls: one station per laptop (the lock),
the first-run dialog when needed, the window.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from station import settings as settings_module
from station.core.errors import StationError
from station.core.texts import Text
from station.settings import Folders, Settings
from station.sync.provisioning import EVENTS_FOLDER, provision_from_code, provision_from_file  # noqa: F401
from station.ui.error_text import shown

QUIT_AFTER_SHOW = "BIB_STATION_QUIT_AFTER_SHOW"  # measure the cold start: quit once the window is up


def needs_provisioning(settings: Settings) -> bool:
    return not settings.event_package or not Path(settings.event_package).is_file()


# -- the dialog ---------------------------------------------------------------------------

_PROVISIONING_FAILED = Text("設定できませんでした。詳しくはログをご覧ください。",
                            "Provisioning failed ({detail}); the details are in the log.")


class _Download(QObject):
    progress = Signal(int, int)  # bytes done, total (0: unknown)
    done = Signal(object)  # Settings
    failed = Signal(object)  # StationError: shown in the dialog's language, its detail on a line of its own

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code

    @Slot()
    def run(self) -> None:
        try:
            settings = provision_from_code(self.code, progress=lambda done, total: self.progress.emit(
                min(done, 2**31 - 1), min(total or 0, 2**31 - 1)))
        except StationError as exc:
            logging.getLogger(__name__).warning("provisioning failed: %s", exc)
            self.failed.emit(exc)
        except Exception as exc:
            logging.getLogger(__name__).exception("provisioning failed")
            detail = f"{type(exc).__name__}: {exc}"
            self.failed.emit(StationError(_PROVISIONING_FAILED(detail=detail), detail=detail))
        else:
            self.done.emit(settings)


class FirstRunDialog(QDialog):
    """Asks for a provisioning code or an event package file; `settings` holds the result."""

    def __init__(self, settings: Settings, parent=None, languages=None) -> None:
        super().__init__(parent)
        self.settings: Settings | None = None
        self._camera_setting = settings.camera
        self._thread: QThread | None = None
        self._download: _Download | None = None
        self._scanner = None
        self._scan_thread: QThread | None = None
        self.languages = languages  # station.ui.i18n.Languages: the language button switches it

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.language_button = QPushButton()
        self.language_button.clicked.connect(self.toggle_language)
        self.language_button.setVisible(languages is not None)
        self.code_edit = QPlainTextEdit()
        self.code_edit.setPlaceholderText("bibstation://provision?hub=…&station=…&token=…")
        self.code_edit.setFixedHeight(70)
        self.scan_button = QPushButton()
        self.scan_button.clicked.connect(self.scan_code)
        self.connect_button = QPushButton()
        self.connect_button.setDefault(True)
        self.connect_button.clicked.connect(self.connect_hub)
        self.progress = QProgressBar()
        self.progress.setVisible(False)

        self.file_edit = QLineEdit()
        self.browse_button = QPushButton()
        self.browse_button.clicked.connect(self._browse)
        self.name_edit = QLineEdit(settings.station_name)
        self.file_button = QPushButton()
        self.file_button.clicked.connect(self.use_file)

        self.selfcheck_box = QCheckBox()
        self.selfcheck_box.setChecked(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #b00020")
        self.quit_button = QPushButton()
        self.quit_button.clicked.connect(self.reject)
        self.code_title, self.file_title = QLabel(), QLabel()
        self.file_label, self.name_label = QLabel(), QLabel()

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.intro, 1)
        top.addWidget(self.language_button, alignment=Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        layout.addWidget(self.code_title)
        layout.addWidget(self.code_edit)
        row = QHBoxLayout()
        row.addWidget(self.scan_button)
        row.addStretch()
        row.addWidget(self.connect_button)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addWidget(self.file_title)
        form = QFormLayout()
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit)
        file_row.addWidget(self.browse_button)
        form.addRow(self.file_label, file_row)
        form.addRow(self.name_label, self.name_edit)
        layout.addLayout(form)
        layout.addWidget(self.file_button, alignment=Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.status)
        bottom = QHBoxLayout()
        bottom.addWidget(self.selfcheck_box)
        bottom.addStretch()
        bottom.addWidget(self.quit_button)
        layout.addLayout(bottom)
        self.retranslate()

    def retranslate(self) -> None:
        """Every text of the dialog in the current language (again after a switch)."""
        self.setWindowTitle(self.tr("Bib Station: set up this counter"))
        self.intro.setText(self.tr(
            "This laptop has no event yet. Paste (or scan) the provisioning code the hub's "
            "operator gave you for this counter, or choose the event package file."))
        current = self.languages.current if self.languages is not None else "en"
        self.language_button.setText("English" if current == "ja" else "日本語")
        self.scan_button.setText(self.tr("Hold the code up to the camera…") if self._scanner is not None
                                 else self.tr("Scan the code with the webcam"))
        self.connect_button.setText(self.tr("Connect to the hub"))
        self.file_edit.setPlaceholderText(self.tr("event package (.sqlite)"))
        self.browse_button.setText(self.tr("Choose…"))
        self.file_button.setText(self.tr("Use this file"))
        self.selfcheck_box.setText(self.tr("Run the self-check when set up"))
        self.quit_button.setText(self.tr("Quit"))
        self.code_title.setText(self.tr("<b>Provisioning code</b>"))
        self.file_title.setText(self.tr("<b>Or an event package file</b> (this counter then works alone)"))
        self.file_label.setText(self.tr("File"))
        self.name_label.setText(self.tr("Station name"))

    def toggle_language(self) -> None:
        if self.languages is None:
            return
        self.languages.switch("en" if self.languages.current == "ja" else "ja")
        self.retranslate()

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Event package"), "", "Event package (*.sqlite)")
        if path:
            self.file_edit.setText(path)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.connect_button, self.file_button, self.scan_button, self.code_edit):
            widget.setEnabled(not busy)
        self.progress.setVisible(busy)

    def use_file(self) -> None:
        try:
            self.settings = provision_from_file(Path(self.file_edit.text().strip()), self.name_edit.text())
        except StationError as exc:
            self.status.setText(shown(exc, self.language()))
            return
        self.accept()

    def connect_hub(self) -> None:
        code = self.code_edit.toPlainText().strip()
        if not code:
            self.status.setText(self.tr("Paste the provisioning code first, or scan it."))
            return
        self.status.clear()
        self._set_busy(True)
        self.progress.setRange(0, 0)
        self._thread = QThread(self)
        self._download = _Download(code)
        self._download.moveToThread(self._thread)
        self._thread.started.connect(self._download.run)
        self._download.progress.connect(self._on_progress)
        self._download.done.connect(self._on_done)
        self._download.failed.connect(self._on_failed)
        self._thread.start()

    def _finish_download(self) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._thread = None
            self._download = None
        self._set_busy(False)

    def _on_progress(self, done: int, total: int) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _on_done(self, settings: Settings) -> None:
        self._finish_download()
        self.settings = settings
        self.accept()

    def _on_failed(self, error: StationError) -> None:
        self._finish_download()
        self.status.setText(shown(error, self.language()))

    def language(self) -> str:
        return self.languages.current if self.languages is not None else "en"

    # Scanning the code's QR with the webcam reuses the counter's camera worker.

    def scan_code(self) -> None:
        from station.scan.camera import source_for
        from station.ui.camera_texts import camera_setting_problem
        from station.ui.scan_worker import ScanWorker, start

        if self._scanner is not None:
            return
        setting = self._camera_setting if self._camera_setting.strip() else "0"
        try:
            self._scanner = ScanWorker(source_for(setting))
        except StationError as exc:
            self.status.setText(camera_setting_problem(setting, exc).render(self.language()))
            return
        self._scanner.code_scanned.connect(self._on_scanned)
        # A slot of this widget, not a lambda: the signal comes from the camera thread, and only a
        # receiver object makes Qt queue the call to the GUI thread (a lambda runs where it is emitted).
        self._scanner.camera_state.connect(self._on_camera_state)
        self.scan_button.setText(self.tr("Hold the code up to the camera…"))
        self._scan_thread = start(self._scanner)

    @Slot(str, object)
    def _on_camera_state(self, state: str, said: Text) -> None:
        from station.ui.camera_texts import camera_text

        self.status.setText(camera_text(state, said).render(self.language()))

    def _on_scanned(self, payload: bytes) -> None:
        text = payload.decode("utf-8", errors="replace")
        if not text.startswith("bibstation://"):
            self.status.setText(self.tr("That is not a provisioning code; hold up the code from the hub."))
            return
        self._stop_scanning()
        self.code_edit.setPlainText(text)
        self.connect_hub()

    def _stop_scanning(self) -> None:
        if self._scanner is not None:
            self._scanner.stop()
            self._scan_thread.wait(5000)
            self._scanner = None
            self._scan_thread = None
            self.scan_button.setText(self.tr("Scan the code with the webcam"))

    def done(self, result: int) -> None:
        if self.busy:
            return  # a download in progress finishes (or fails) first
        self._stop_scanning()
        super().done(result)


def take_new_code(parent=None) -> Settings | None:
    """The Station tab's "Set up with a new code…": the same dialog as at first start; the
    new hub, name and event take effect when the station starts again."""
    dialog = FirstRunDialog(settings_module.load(), parent)
    dialog.selfcheck_box.setVisible(False)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.settings is None:
        return None
    settings = dialog.settings
    QMessageBox.information(parent, dialog.tr("Bib Station"), dialog.tr(
        "This laptop is now station {name} ({hub}). Close Bib Station and start it again to work with "
        "the new setup.").format(name=settings.station_name, hub=settings.hub or dialog.tr("no hub")))
    return settings


class SelfCheckDialog(QDialog):
    """The self-check's table, offered at first start."""

    def __init__(self, results, parent=None, language: str = "en") -> None:
        from station.selfcheck import OUTCOMES

        super().__init__(parent)
        self.results = results
        self.setWindowTitle(self.tr("Bib Station self-check"))
        table = QTableWidget(len(results), 4)
        table.setHorizontalHeaderLabels([self.tr("Check"), self.tr("Result"), self.tr("Found"), self.tr("What to do")])
        colours = {"ok": "#2e7d32", "warn": "#a87c00", "fail": "#b00020"}
        for row, result in enumerate(results):
            # in the station's language; what the OS, the spooler or the hub said on a details line of its own
            cells = (result.title.render(language), OUTCOMES[result.outcome].render(language),
                     shown(result.found, language, result.raw), result.to_do.render(language))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 1:
                    item.setForeground(Qt.GlobalColor.white)
                    item.setBackground(_colour(colours[result.outcome.value]))
                table.setItem(row, column, item)
        table.resizeColumnsToContents()
        close = QPushButton(self.tr("Continue"))
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(close, alignment=Qt.AlignmentFlag.AlignRight)
        self.resize(900, 420)


def _colour(name: str):
    from PySide6.QtGui import QColor

    return QColor(name)


def run_selfcheck_dialog(settings: Settings, parent=None, language: str | None = None) -> SelfCheckDialog:
    from station.selfcheck import Machine, run_checks

    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        event = Path(settings.event_package) if settings.event_package else None
        results = run_checks(Machine(settings, Folders.current(), event))
    finally:
        QApplication.restoreOverrideCursor()
    return SelfCheckDialog(results, parent, language or settings.language)


# -- starting the station ---------------------------------------------------------------------


def process_age_s() -> float:
    """Seconds since this process started (on Linux from /proc, so the interpreter's own
    start counts too); elsewhere since this module was imported."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - started
    except (OSError, ValueError, IndexError):
        return time.monotonic() - _IMPORTED


_IMPORTED = time.monotonic()


class _QuitWhenShown(QObject):
    """For the cold-start measurement: once the counter window has been painted, say how long
    it took and quit."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, QMainWindow):
            self.app.removeEventFilter(self)
            QTimer.singleShot(0, self._quit)
        return False

    def _quit(self) -> None:
        print(f"window shown after {process_age_s():.2f} s", flush=True)
        self.app.quit()


def launch(event_path: Path | None, station_name: str | None) -> int:
    """`station app`: one station per laptop, the first-run dialog when there is no
    event package yet, then the counter window. Returns the exit status."""
    from station import single_instance
    from station.ui.app import run

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Bib Station")
    from station.printing.screen_fonts import install_japanese_fallback

    install_japanese_fallback(app)
    language = "ja"  # the station's language once its settings are read (Japanese first: the hall's)
    try:
        lock = single_instance.hold()
        try:
            settings = settings_module.load()
            language = settings.language
            if event_path is None and needs_provisioning(settings):
                from station.ui.i18n import Languages

                languages = Languages(app)
                languages.switch(settings.language)
                dialog = FirstRunDialog(settings, languages=languages)
                if dialog.exec() != QDialog.DialogCode.Accepted or dialog.settings is None:
                    return 0
                if languages.current != dialog.settings.language:  # chosen in the dialog: kept
                    settings_module.save(replace(dialog.settings, language=languages.current))
                settings = settings_module.load()
                if dialog.selfcheck_box.isChecked():  # in the dialog's language, while its translator is in
                    run_selfcheck_dialog(settings, language=languages.current).exec()
                languages.switch("en")  # the counter window installs its own translator
            path = event_path or Path(settings.event_package)
            if os.environ.get(QUIT_AFTER_SHOW):
                app.installEventFilter(_QuitWhenShown(app))
            return run(path, station_name or settings.station_name)
        finally:
            lock.release()
    except StationError as exc:
        # Started from a shortcut there is no console to print to: say it in a window as well.
        if QApplication.platformName() not in ("offscreen", "minimal"):
            QMessageBox.warning(None, "Bib Station", shown(exc, language))
        raise
