from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def demo_package(tmp_path_factory):
    """The real demo event (40,000 entrants), built once per test session."""
    from station.demo import ensure_demo

    return ensure_demo(tmp_path_factory.mktemp("demo")).package



@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_teardown(item):
    """A window whose counter holds a READY runner asks before it closes; at the end of
    a test nobody answers, so the runner is let go first (before pytest-qt closes the
    widgets, which it does ahead of the fixtures' teardown)."""
    from PySide6.QtWidgets import QApplication

    from station.ui.main_window import MainWindow

    if QApplication.instance() is not None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow):
                widget.model.clear()
    yield


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A test that switches to Japanese leaves the next one in English: every
    translator installed on the application (they are its children) comes off."""
    yield
    from PySide6.QtCore import QLocale, QTranslator
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    for translator in app.findChildren(QTranslator):
        app.removeTranslator(translator)
        translator.deleteLater()
    QLocale.setDefault(QLocale(QLocale.Language.English))
