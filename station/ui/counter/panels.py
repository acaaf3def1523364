"""The counter's panels. Each draws what the CounterModel says and sends the
volunteer's clicks back to it; none holds a rule."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station.core.evidence import DocumentType, Match
from station.core.models import Entrant
from station.core.verdict import Outcome
from station.store.checkin import Case
from station.ui.counter.model import ESCORT_BIB, Band, CounterModel, Gathered

# Colour, icon and words together: never colour alone.
# Green and ✔ mean recorded (DONE) and nothing else; READY (checks passed, hand
# over, not recorded yet) is blue with an arrow.
DONE = "done"
STYLE = {
    None: ("#37474f", "▶"),
    DONE: ("#1b7f3b", "✔"),
    Outcome.READY: ("#0d47a1", "➜"),
    Outcome.NEEDS_ID: ("#a35a00", "⚠"),
    Outcome.NEEDS_ESCORT: ("#a35a00", "⚠"),
    Outcome.REFUSED: ("#b00020", "✖"),
    Outcome.SUPERVISOR: ("#5e1a8c", "☎"),
    "print": ("#7b1f00", "⚠"),  # a bib not printed: the counter waits on it (own colour and words)
}


def _big(label: QLabel, points: int, bold: bool = True) -> QLabel:
    font = QFont(label.font())
    font.setPointSize(points)
    font.setBold(bold)
    label.setFont(font)
    return label


class Retranslating(QWidget):
    """A widget that redoes its texts when the language changes."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        raise NotImplementedError


class VerdictBand(Retranslating):
    """Full width: colour, a large icon, the outcome in words, the reason and the next step."""

    def __init__(self, model: CounterModel, language: callable) -> None:
        super().__init__()
        self.model = model
        self.language = language
        self.setObjectName("verdictBand")
        # A plain QWidget subclass paints a style-sheet background only when asked to.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.icon = _big(QLabel(), 30)
        self.outcome = _big(QLabel(), 18)
        self.outcome.setObjectName("bandOutcome")
        self.headline = _big(QLabel(), 14)
        self.headline.setObjectName("bandHeadline")
        self.next_step = _big(QLabel(), 12, bold=False)
        self.next_step.setObjectName("bandNext")
        self.details = QLabel()
        self.details.setObjectName("bandDetails")
        for label in (self.headline, self.next_step, self.details):
            label.setWordWrap(True)
            # The band spans the window: measured at that width, not wrapped into a narrow column.
            label.setMinimumWidth(900)
        text = QVBoxLayout()
        text.setSpacing(1)
        text.addWidget(self.outcome)
        text.addWidget(self.headline)
        text.addWidget(self.next_step)
        text.addWidget(self.details)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        self.done_bibs: tuple[str, ...] | None = None
        model.band_changed.connect(self.show_band)
        model.completed.connect(self.show_completed)
        self.show_band(None)

    def outcome_words(self, outcome: Outcome | None) -> str:
        return {
            None: self.tr("Next runner"),
            Outcome.READY: self.tr("HAND OVER, then record [Ctrl+Enter]"),
            Outcome.NEEDS_ID: self.tr("CHECK THE ID"),
            Outcome.NEEDS_ESCORT: self.tr("ESCORT NEEDED"),
            Outcome.REFUSED: self.tr("REFUSED: do not hand over"),
            Outcome.SUPERVISOR: self.tr("CALL THE SUPERVISOR"),
        }[outcome]

    def show_band(self, band: Band | None) -> None:
        if band is not None:
            self.done_bibs = None
        self._paint(band)

    def show_completed(self, done) -> None:
        self.done_bibs = done.bibs
        self._paint(None)

    def _paint(self, band: Band | None) -> None:
        outcome = band.outcome if band else (DONE if self.done_bibs else None)
        colour, icon = STYLE["print" if band is not None and band.print_problem else outcome]
        self.setStyleSheet(f"#verdictBand {{ background: {colour}; }} QLabel {{ color: white; }}")
        self.icon.setText(icon)
        language = self.language()
        if band is not None:
            self.outcome.setText(self.tr("BIB NOT PRINTED: the runner waits") if band.print_problem
                                 else self.outcome_words(band.outcome))
            self.headline.setText(band.headline(language))
            next_step = band.next_step(language)
            if band.outcome is Outcome.READY:
                next_step = " ".join(t for t in (next_step, self.tr(
                    "Tick each item as it crosses the counter (Alt+1…), then Ctrl+Enter records the pickup: "
                    "not recorded until then.")) if t)
            self.next_step.setText(next_step)
            self.details.setText("\n".join(band.detail_lines(language)))
        elif self.done_bibs:
            self.outcome.setText(self.tr("DONE: pickup recorded"))
            self.headline.setText(self.tr("Handed over: bib {bibs}").format(bibs=", ".join(self.done_bibs)))
            self.next_step.setText(self.tr("Scan the next runner's confirmation."))
            self.details.setText("")
        else:
            self.outcome.setText(self.outcome_words(None))
            self.headline.setText(self.tr("Scan the runner's confirmation QR code."))
            self.next_step.setText(self.tr("Lost confirmation? Search by name, bib or entry number [F2]."))
            self.details.setText("")

    def retranslate(self) -> None:
        self._paint(self.model.band)


class EntrantCard(Retranslating):
    """Who is at the counter: the name in every script, the date of birth large."""

    def __init__(self, model: CounterModel) -> None:
        super().__init__()
        self.model = model
        self.setObjectName("entrantCard")
        self.name = _big(QLabel(), 20)
        self.name.setObjectName("cardName")
        self.other_names = _big(QLabel(), 12, bold=False)
        self.birth = _big(QLabel(), 16)
        self.birth.setObjectName("cardBirth")
        self.facts = QLabel()
        self.facts.setObjectName("cardFacts")
        self.facts.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        top = QHBoxLayout()
        top.addWidget(self.name)
        top.addSpacing(16)
        top.addWidget(self.birth, 1)
        layout.addLayout(top)
        for widget in (self.other_names, self.facts):
            layout.addWidget(widget)
        model.case_changed.connect(self.show_case)
        self.show_case(None)

    def show_case(self, case: Case | None) -> None:
        self.setVisible(case is not None)
        if case is None:
            for label in (self.name, self.other_names, self.birth, self.facts):
                label.clear()  # personal data leaves the screen
            return
        e, race_day = case.entrant, self.model.desk.rules.race_date
        self.name.setText(e.name_kanji or e.name_latin)
        self.other_names.setText("  /  ".join(n for n in (e.name_kana, e.name_latin if e.name_kanji else "") if n))
        self.birth.setText(self.tr("Born {date}  (age {age} on race day)").format(
            date=e.birth_date.isoformat(), age=e.age_on(race_day)))
        self.facts.setText(self.tr(
            "Bib {bib}  ·  Block {block}  ·  {category}  ·  Shirt {shirt}  ·  Nickname: {nickname}  ·  Entry {entry}"
        ).format(bib=e.bib, block=e.start_block or "-", category=category_words(e),
                 shirt=e.shirt_size or "-", nickname=e.nickname or "-", entry=e.entry_no))

    def retranslate(self) -> None:
        self.show_case(self.model.case)


def category_words(e: Entrant) -> str:
    return category_name(e.category.value)


def category_name(value: str) -> str:
    """A category's words in the screen's language (the counter and the dashboard say the same)."""
    translate = QCoreApplication.translate
    return {
        "athlete": translate("Category", "registered athlete"),
        "general": translate("Category", "general"),
        "charity": translate("Category", "charity"),
        "disability": translate("Category", "disability"),
        "youth": translate("Category", "youth"),
        "fun_run": translate("Category", "fun run"),
    }.get(value, value)


class IdPanel(Retranslating):
    """The ID check: the document type, its number typed (kept as a keyed hash
    only), and the volunteer's own comparison."""

    number_kept = Signal()  # a typed number's key is kept: the keyboard goes back to the counter

    def __init__(self, model: CounterModel) -> None:
        super().__init__()
        self.model = model
        self.box = QGroupBox()
        self.document = QComboBox()
        self.document.setObjectName("documentType")
        self.registered = _big(QLabel(), 13)
        self.name_ok = QPushButton()
        self.name_bad = QPushButton()
        self.birth_ok = QPushButton()
        self.birth_bad = QPushButton()
        self.copy = QCheckBox()
        self.mrz = QLabel()
        self.mrz.setObjectName("mrzReading")
        self.mrz.setWordWrap(True)
        for button in (self.name_ok, self.name_bad, self.birth_ok, self.birth_bad):
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # The answers in words, ✓/✗, not only the buttons' shading.
        self.answer = QLabel()
        self.answer.setObjectName("idAnswer")
        self.answer = _big(self.answer, 13)
        # A document without an MRZ: its number typed, Enter keeps only its keyed hash, the field empties.
        self.number_label = QLabel()
        self.number = QLineEdit()
        self.number.setObjectName("documentNumber")
        self.number.setMaxLength(40)
        self.number.setMinimumWidth(200)  # the rest of the row when there is room: the window fits 1366
        self.number_label.setBuddy(self.number)
        self.number.returnPressed.connect(self.apply_number)
        # Rows of their own (not a grid), so the long answers do not widen the columns.
        grid = QVBoxLayout(self.box)
        grid.setContentsMargins(6, 2, 6, 4)
        grid.setSpacing(3)
        rows = [QHBoxLayout() for _ in range(3)]
        rows[0].addWidget(self.document)
        rows[0].addWidget(self.registered)
        rows[0].addStretch(1)
        rows[0].addWidget(self.copy)
        for button in (self.name_ok, self.name_bad, self.birth_ok, self.birth_bad):
            rows[1].addWidget(button)
        rows[2].addWidget(self.answer)
        rows[2].addSpacing(12)
        rows[2].addWidget(self.number_label)
        rows[2].addWidget(self.number, 1)
        for row in rows:
            grid.addLayout(row)
        grid.addWidget(self.mrz)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.box)
        self.document.activated.connect(lambda i: model.set_document(self.document.itemData(i)))
        self.name_ok.clicked.connect(lambda: model.toggle_name(Match.CONFIRMED))
        self.name_bad.clicked.connect(lambda: model.toggle_name(Match.MISMATCH))
        self.birth_ok.clicked.connect(lambda: model.toggle_birth_date(Match.CONFIRMED))
        self.birth_bad.clicked.connect(lambda: model.toggle_birth_date(Match.MISMATCH))
        self.copy.toggled.connect(lambda checked: model.set_original(not checked))
        model.evidence_changed.connect(self.show_evidence)
        model.case_changed.connect(self.show_case)
        self.retranslate()
        self.show_case(None)

    def document_names(self) -> dict[DocumentType, str]:
        return {
            DocumentType.DRIVERS_LICENCE: self.tr("Japanese driver's licence"),
            DocumentType.MY_NUMBER_CARD: self.tr("My Number card"),
            DocumentType.RESIDENCE_CARD: self.tr("Residence card"),
            DocumentType.HEALTH_INSURANCE_CARD: self.tr("Health insurance card"),
            DocumentType.PASSPORT: self.tr("Passport (MRZ)"),
            DocumentType.FOREIGN_ID_CARD: self.tr("Foreign ID card (MRZ)"),
        }  # UNRECORDED is for escorts' ticks, never chosen here

    def retranslate(self) -> None:
        self.box.setTitle(self.tr("ID document (original, in person) [F3: type]"))
        current = self.model.gathered.document
        self.document.clear()
        for document, name in self.document_names().items():
            self.document.addItem(name, document)
        self.document.setCurrentIndex(self.document.findData(current))
        self.name_ok.setText("✓ " + self.tr("Name matches [F4]"))
        self.name_bad.setText("✗ " + self.tr("Name differs [Shift+F4]"))
        self.birth_ok.setText("✓ " + self.tr("Date of birth matches [F5]"))
        self.birth_bad.setText("✗ " + self.tr("Date of birth differs [Shift+F5]"))
        self.copy.setText(self.tr("Only a copy or a photo, not the original"))
        self.number_label.setText(self.tr("Document number [F11]:"))
        self.show_answer(self.model.gathered)
        self.show_number_hint(self.model.gathered)
        self.show_case(self.model.case)

    def show_case(self, case: Case | None) -> None:
        self.setVisible(case is not None and not case.entrant.is_escort)
        self.number.setText("")  # a half-typed number never stays for the next runner
        if case is not None:
            self.registered.setText(self.tr("Registered: born {date}").format(
                date=case.entrant.birth_date.strftime("%Y-%m-%d")))
        else:
            self.registered.clear()

    def mrz_words(self, g: Gathered) -> str:
        """The MRZ as read, beside the registration; or how to hold the document."""
        if g.mrz is None:
            if g.document.has_mrz:
                return self.tr("Hold the document's photo page under the camera: the two lines of <<< at the bottom.")
            return ""
        r = g.mrz
        verdict = {
            "match": self.tr("name and date of birth agree"),
            "close": self.tr("nearly the same name: compare them yourself"),
            "mismatch": self.tr("DIFFERENT from the registration"),
        }[r.outcome.value]
        expired = self.tr(" · EXPIRED") if r.expired else ""
        return self.tr("Read from the document: {read} · registered: {registered} · {verdict}{expired}").format(
            read=r.read_name, registered=r.registered_name, verdict=verdict, expired=expired)

    def answer_words(self, match: Match) -> str:
        return {Match.CONFIRMED: self.tr("✓ matches"), Match.MISMATCH: self.tr("✗ DIFFERS"),
                Match.NOT_CHECKED: self.tr("— not checked yet")}[match]

    def show_answer(self, g: Gathered) -> None:
        """The volunteer's answers in words, and the pressed button coloured (never colour alone)."""
        self.answer.setText(self.tr("Name: {name}  ·  Date of birth: {birth}").format(
            name=self.answer_words(g.name), birth=self.answer_words(g.birth_date)))
        for button, on, colour in ((self.name_ok, g.name is Match.CONFIRMED, "#1b7f3b"),
                                   (self.name_bad, g.name is Match.MISMATCH, "#b00020"),
                                   (self.birth_ok, g.birth_date is Match.CONFIRMED, "#1b7f3b"),
                                   (self.birth_bad, g.birth_date is Match.MISMATCH, "#b00020")):
            button.setStyleSheet(f"background: {colour}; color: white; font-weight: bold;" if on else "")

    def number_hint(self, g: Gathered) -> str:
        """The field's placeholder: what to type for this document, or that its key is kept."""
        if g.document_hash is not None:
            return self.tr("✓ kept as a code only (the number is not stored)")
        return {
            DocumentType.DRIVERS_LICENCE: self.tr("12 digits, then Enter"),
            DocumentType.RESIDENCE_CARD: self.tr("2 letters, 8 digits, 2 letters, then Enter"),
            DocumentType.PASSPORT: self.tr("passport number, if the camera cannot read it"),
            DocumentType.FOREIGN_ID_CARD: self.tr("card number, if the camera cannot read it"),
            DocumentType.MY_NUMBER_CARD: self.tr("do not type: check by eye only"),
            DocumentType.HEALTH_INSURANCE_CARD: self.tr("do not type: check by eye only"),
        }.get(g.document, "")

    def show_number_hint(self, g: Gathered) -> None:
        self.number.setPlaceholderText(self.number_hint(g))

    def focus_number(self) -> None:
        """F11: the cursor to the document number."""
        if self.isVisible():
            self.number.setFocus()

    def apply_number(self) -> None:
        """Enter: the model keeps the keyed hash (or the band says why not); the number leaves the field."""
        typed = self.number.text()
        self.number.setText("")  # setText, not clear(): it also drops the undo history (no Ctrl+Z back)
        if typed.strip() and self.model.set_document_number(self.model.gathered.document, typed):
            self.number_kept.emit()  # refused: the cursor stays here to type it again

    def show_evidence(self, g: Gathered) -> None:
        self.show_number_hint(g)
        self.mrz.setText(self.mrz_words(g))
        self.mrz.setVisible(bool(self.mrz.text()))
        self.mrz.setStyleSheet("color: #b00020; font-weight: bold;" if g.mrz and g.mrz.outcome.value == "mismatch"
                               else "font-weight: bold;")
        self.document.setCurrentIndex(self.document.findData(g.document))
        self.name_ok.setChecked(g.name is Match.CONFIRMED)
        self.name_bad.setChecked(g.name is Match.MISMATCH)
        self.birth_ok.setChecked(g.birth_date is Match.CONFIRMED)
        self.birth_bad.setChecked(g.birth_date is Match.MISMATCH)
        self.show_answer(g)
        self.copy.blockSignals(True)
        self.copy.setChecked(not g.original)
        self.copy.blockSignals(False)


class EscortPanel(Retranslating):
    """The runner's escorts from the roster: present and ID checked, and the certificate."""

    SHORTCUTS = ("F7", "F8")

    def __init__(self, model: CounterModel) -> None:
        super().__init__()
        self.model = model
        self.box = QGroupBox()
        self.rows = QVBoxLayout(self.box)
        self.rows.setContentsMargins(6, 2, 6, 4)
        self.rows.setSpacing(2)
        self.certificate = QCheckBox()
        self.certificate.setObjectName("certificate")
        self.certificate.toggled.connect(model.set_certificate)
        self.escort_boxes: dict[str, QCheckBox] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.box)
        model.case_changed.connect(self.show_case)
        model.evidence_changed.connect(self.show_evidence)
        self.retranslate()

    def retranslate(self) -> None:
        self.box.setTitle(self.tr("Escort runners (guides)"))
        self.certificate.setText(self.tr("Disability certificate seen [F6]"))
        self.show_case(self.model.case)

    def show_case(self, case: Case | None) -> None:
        while self.rows.count():
            widget = self.rows.takeAt(0).widget()
            if widget is not None and widget is not self.certificate:
                widget.hide()  # deleteLater waits for the event loop; gone from sight now
                widget.deleteLater()
        self.escort_boxes.clear()
        escorts = case.escorts if case else ()
        self.setVisible(bool(escorts))
        for index, record in enumerate(escorts):
            e = record.entrant
            key = self.SHORTCUTS[index] if index < len(self.SHORTCUTS) else ""
            box = QCheckBox(self.tr("{name}, bib {bib}, born {date}: here, ID checked [{key}]").format(
                name=e.name_kanji or e.name_latin, bib=e.bib, date=e.birth_date.isoformat(), key=key))
            box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            box.toggled.connect(lambda on, no=e.entry_no: self.model.set_escort(no, present=on, id_ok=on))
            self.escort_boxes[e.entry_no] = box
            self.rows.addWidget(box)
        self.rows.addWidget(self.certificate)
        self.show_evidence(self.model.gathered)

    def show_evidence(self, g: Gathered) -> None:
        for entry_no, box in self.escort_boxes.items():
            state = g.escorts.get(entry_no)
            box.blockSignals(True)
            box.setChecked(bool(state and state.present and state.id_ok))
            box.blockSignals(False)
        self.certificate.blockSignals(True)
        self.certificate.setChecked(g.certificate_seen)
        self.certificate.blockSignals(False)


class HandoverPanel(Retranslating):
    """What is handed over, ticked as it crosses the counter (recorded in the pickup
    fact): the runner's items, then the bib of each escort who is here."""

    def __init__(self, model: CounterModel) -> None:
        super().__init__()
        self.model = model
        self.box = QGroupBox()
        self.checks: dict[str, QCheckBox] = {}
        grid = QVBoxLayout(self.box)
        grid.setContentsMargins(6, 2, 6, 4)
        grid.setSpacing(2)
        row = QVBoxLayout()  # one line per item: narrow, beside the escorts
        row.setSpacing(2)
        self.escort_row = QVBoxLayout()
        self.escort_row.setSpacing(2)
        grid.addLayout(row)
        grid.addLayout(self.escort_row)
        grid.addStretch(1)
        for index, item in enumerate(model.items, start=1):
            row.addWidget(self._check(item, index))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.box)
        model.evidence_changed.connect(self.show_evidence)
        model.band_changed.connect(lambda _: self.setVisible(model.case is not None and model.may_hand_over))
        self.retranslate()
        self.setVisible(False)

    def _check(self, item: str, index: int) -> QCheckBox:
        check = QCheckBox()
        check.setObjectName(f"item_{item}")
        check.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        check.toggled.connect(lambda on, name=item: self.model.set_item(name, on))
        check.setProperty("index", index)
        self.checks[item] = check
        return check

    def item_words(self, item: str) -> str:
        case = self.model.case
        if item.startswith(ESCORT_BIB):
            entrant = self.model.desk.entrant(item.removeprefix(ESCORT_BIB))
            return self.tr("Escort bib {bib} ({name})").format(
                bib=entrant.bib if entrant else "?", name=entrant.display_name if entrant else item)
        return {
            "bib": self.tr("Bib {bib}").format(bib=case.entrant.bib if case else ""),
            "gift": self.tr("Participation gift"),
            "shirt": self.tr("Shirt {size}").format(size=case.entrant.shirt_size if case else ""),
            "chip": (self.tr("Timing chip {tag}").format(tag=self.model.gathered.chip_tag)
                     if self.model.gathered.chip_tag else self.tr("Timing chip: scan its tag")),
        }.get(item, item)

    def retranslate(self) -> None:
        self.box.setTitle(self.tr("Hand over (tick each item) [Alt+1…{n}]").format(n=len(self.model.checklist)))
        for index, item in enumerate(self.model.checklist, start=1):
            if item in self.checks:
                self.checks[item].setText(f"{self.item_words(item)} [Alt+{index}]")

    def _escort_rows(self) -> None:
        """One tick for each escort's bib, while that escort is here."""
        wanted = [i for i in self.model.checklist if i.startswith(ESCORT_BIB)]
        shown = [i for i in self.checks if i.startswith(ESCORT_BIB)]
        if wanted == shown:
            return
        for item in shown:
            check = self.checks.pop(item)
            check.hide()
            check.deleteLater()
        for item in wanted:
            self.escort_row.addWidget(self._check(item, self.model.checklist.index(item) + 1))

    def show_evidence(self, g: Gathered) -> None:
        self._escort_rows()
        self.retranslate()
        for item, check in self.checks.items():
            check.blockSignals(True)
            check.setChecked(item in g.items)
            check.blockSignals(False)
