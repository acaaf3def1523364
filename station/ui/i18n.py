"""Japanese and English, switchable while the station runs.

The source strings are English (`self.tr(...)`); assets/translations holds the
Japanese .ts source and the compiled .qm. Installing a translator makes Qt
send every widget a LanguageChange event; our widgets redo their texts in
`retranslate()` when they get it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from station.core.texts import Language
from station.resources import asset

LANGUAGES = tuple(language.value for language in Language)  # the one language type, station/core/texts.py


class Languages:
    def __init__(self, app: QCoreApplication) -> None:
        self.app = app
        self.current = Language.EN  # a StrEnum: compares equal to "en"
        self._translator: QTranslator | None = None

    def switch(self, language: Language | str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}")
        language = Language(language)
        if self._translator is not None:
            self.app.removeTranslator(self._translator)
            self._translator = None
        if language is not Language.EN:
            translator = QTranslator(self.app)
            path = asset("translations", f"station_{language}.qm")
            if not translator.load(str(path)):
                raise FileNotFoundError(f"translation {path} is missing; run scripts/update_translations.py")
            self.app.installTranslator(translator)
            self._translator = translator
        QLocale.setDefault(QLocale(QLocale.Language.Japanese if language is Language.JA else QLocale.Language.English))
        self.current = language
