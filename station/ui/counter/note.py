"""F9: send the case to the supervisor, with a short note (optional) typed first.

Enter sends, Esc goes back. The dialog is opened, not exec'd, so the counter's
event loop (the scanner, the timers) keeps running behind it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from station.ui.counter.model import CounterModel

MAX_NOTE = 200


class SupervisorNote(QDialog):
    def __init__(self, model: CounterModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supervisorNote")
        self.model = model
        self.setWindowModality(Qt.WindowModality.WindowModal)
        font = QFont(self.font())
        font.setPointSize(13)
        self.setFont(font)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.note = QLineEdit()
        self.note.setObjectName("supervisorNoteText")
        self.note.setMaxLength(MAX_NOTE)
        self.send = QPushButton()
        self.send.setObjectName("sendToSupervisor")
        self.back = QPushButton()
        buttons = QHBoxLayout()
        buttons.addWidget(self.send, 2)
        buttons.addWidget(self.back, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        self.send.setAutoDefault(False)
        self.back.setAutoDefault(False)
        self.note.returnPressed.connect(self.confirm)
        self.send.clicked.connect(self.confirm)
        self.back.clicked.connect(self.reject)
        self.setMinimumWidth(560)

    def ask(self) -> None:
        name = self.model.case.entrant.display_name if self.model.case else ""
        self.setWindowTitle(self.tr("Send to the supervisor"))
        self.title.setText(self.tr("Send {name} to the supervisor. A short note for them (optional), then Enter:")
                           .format(name=name) if name else
                           self.tr("Send the scanned code to the supervisor. A short note (optional), then Enter:"))
        self.note.setPlaceholderText(self.tr("e.g. name on the ID spelt differently"))
        self.send.setText(self.tr("Send [Enter]"))
        self.back.setText(self.tr("Go back [Esc]"))
        self.note.clear()
        self.open()
        self.note.setFocus()

    def confirm(self) -> None:
        note = " ".join(self.note.text().split())
        self.hide()
        self.model.send_to_supervisor(note)
        self.done(QDialog.DialogCode.Accepted)
