"""The hand-over question: before a runner who may already hold their bib leaves
the screen (a scan, a search, Esc, sign-out, closing the window, the idle
timeout), the volunteer says what happened, in plain words:

    1  Yes, handed over: record the pickup
    2  No, nothing was handed over: cancel
    Esc  Go back to the runner

The dialog does not block the event loop (it is opened, not exec'd): the
counter's model holds the waiting action and runs it after the answer.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from station.store.checkin import Case
from station.ui.counter.model import CounterModel


class HandoverQuestion(QDialog):
    def __init__(self, model: CounterModel, item_words, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handoverQuestion")
        self.model = model
        self.item_words = item_words  # item -> words, from the hand-over panel
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.title = QLabel()
        self.title.setObjectName("questionTitle")
        self.title.setWordWrap(True)
        font = QFont(self.title.font())
        font.setPointSize(16)
        font.setBold(True)
        self.title.setFont(font)
        self.ticked = QLabel()
        self.ticked.setWordWrap(True)
        font = QFont(self.ticked.font())
        font.setPointSize(13)
        self.ticked.setFont(font)
        self.record = QPushButton()
        self.record.setObjectName("answerRecord")
        self.cancel = QPushButton()
        self.cancel.setObjectName("answerCancel")
        self.back = QPushButton()
        self.back.setObjectName("answerBack")
        layout = QVBoxLayout(self)
        for widget in (self.title, self.ticked, self.record, self.cancel, self.back):
            if isinstance(widget, QPushButton):
                widget.setFont(font)
                widget.setMinimumHeight(40)
                widget.setAutoDefault(False)
            layout.addWidget(widget)
        self.record.clicked.connect(lambda: self._answer(True))
        self.cancel.clicked.connect(lambda: self._answer(False))
        self.back.clicked.connect(lambda: self._answer(None))
        model.question_asked.connect(self.on_question)
        self.setMinimumWidth(560)

    def on_question(self, case: Case | None) -> None:
        if case is None:
            self.hide()
            return
        self.show_texts(case)
        if not self.isVisible():
            self.open()
        self.back.setFocus()

    def show_texts(self, case: Case) -> None:
        name = case.entrant.display_name
        self.setWindowTitle(self.tr("Was it handed over?"))
        self.title.setText(self.tr("Did {name} already receive the bib or other items?").format(name=name))
        ticked = [self.item_words(i) for i in self.model.items if i in self.model.gathered.items]
        self.ticked.setText(self.tr("Ticked as handed over so far: {items}").format(items=", ".join(ticked))
                            if ticked else self.tr("Nothing is ticked as handed over yet."))
        self.record.setText(self.tr("[1] Yes, it was handed over: record the pickup"))
        self.cancel.setText(self.tr("[2] No, nothing was handed over: cancel this runner"))
        self.back.setText(self.tr("[Esc] Go back to {name}").format(name=name))

    def _answer(self, handed_over: bool | None) -> None:
        self.hide()
        if self.model.asking:
            self.model.answer(handed_over)

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key == Qt.Key.Key_1:
            self._answer(True)
        elif key == Qt.Key.Key_2:
            self._answer(False)
        elif key == Qt.Key.Key_Escape:
            self._answer(None)
        else:
            super().keyPressEvent(event)

    def reject(self) -> None:  # the window's close button is "go back"
        self._answer(None)
