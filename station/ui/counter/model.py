"""The counter's state: the runner being served, the evidence gathered, the verdict.

One object announces every change with a signal; the widgets redraw from it
and hold no rules. Every change of evidence asks the one decision function
(through CheckinDesk) again, so the band always shows the current verdict.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from PySide6.QtCore import QObject, Signal

from station.core.confirmation import CodeCheck, is_confirmation
from station.core.document_numbers import NotKeyable, typed_document_key
from station.core.errors import StationError
from station.core.evidence import DocumentType, EscortEvidence, Evidence, FoundBy, IdCheck, Match
from station.core.identity import FieldResult, IdComparison, compare, document_key
from station.core.mrz import MrzRecord
from station.core.texts import NOTHING, Language, Text
from station.core.verdict import Outcome, ReasonCode, Verdict
from station.store.checkin import SUPERVISOR_CODES, Case, CheckinDesk
from station.ui.counter.next_steps import code_next_step
from station.ui.error_text import DETAILS

ESCORT_BIB = "escort:"  # checklist lines for escorts' bibs: "escort:<entry no>"


@dataclass(frozen=True, slots=True)
class Band:
    """What the verdict band shows: an outcome and texts, rendered in the screen's language."""

    outcome: Outcome
    text: Text
    next: Text = NOTHING
    details: tuple[Text, ...] = ()  # the other reasons
    print_problem: bool = False  # a bib of the last pickup is not printed: a state of its own

    def headline(self, language: Language | str) -> str:
        return self.text.render(language)

    def next_step(self, language: Language | str) -> str:
        return self.next.render(language)

    def detail_lines(self, language: Language | str) -> tuple[str, ...]:
        return tuple(d.render(language) for d in self.details)


_NOT_PRINTED = Text("ナンバーカード {bibs} が印刷されていません：{why}", "Bib {bibs} was not printed: {why}")
_NOT_PRINTED_NEXT = Text(
    "ランナーにお待ちいただき、もう一度印刷するか予備のプリンターを使ってください。"
    "他の受付で印刷した場合は「別の場所で印刷した」、解決しなければ F9 で責任者へ。",
    "Ask the runner to wait. Print again or use the backup printer; if it was printed at another "
    "counter, press \"Printed elsewhere\"; if nothing works, F9 sends it to the supervisor.")
_UNPRINTED_SENT = Text("印刷できなかったナンバーカードを責任者に送りました（受付番号 {entry_no}）。",
                       "The unprinted bib (entry {entry_no}) was sent to the supervisor.")
_WAIT_AT_SUPERVISOR = Text("ランナーに責任者の席でお待ちいただくよう案内し、次の方を受け付けてください。",
                           "Ask the runner to wait at the supervisor's desk, then serve the next runner.")
_CASE_OPEN = Text("この方には責任者の案件がすでに開いています（{station}、{at}）。",
                  "A supervisor case is already open for this runner ({station}, {at}).")
_CASE_OPEN_NEXT = Text("ここでは何も渡さず、ランナーを責任者の席へ案内してください。",
                       "Hand nothing over here: send the runner to the supervisor's desk.")
_NOTE = Text("メモ：{note}", "Note: {note}")
_SENT = Text("責任者に送りました：{who}", "Sent to the supervisor: {who}.")
_SENT_ENTRANT = Text("{name}（受付番号 {entry_no}）", "{name} (entry {entry_no})")
_SENT_CODE = Text("読み取ったコード", "the scanned code")
_ESCORT_NAMED = Text("{name}（ナンバー {bib}、受付番号 {entry_no}）", "{name} (bib {bib}, entry {entry_no})")
_RUNNER_NAMED = Text("{name}（ナンバー {bib}）", "{name} (bib {bib})")
_ENTRY_NAMED = Text("受付番号 {entry_no}", "entry {entry_no}")
_ESCORT_ALONE = Text("{who} は {whose} さんの伴走者です。伴走者だけでの受け取りはできません。",
                     "{who} is the escort of {whose}; an escort never picks up alone.")
_ESCORT_ALONE_NEXT = Text("{whose} さんの参加確認書を読み取るか検索し、この伴走者を追加して一緒に受付してください。",
                          "Scan or search {whose}'s entry, then add this escort: the pair checks in together.")
_NOT_IN_ROSTER = Text("受付番号 {entry_no} は名簿にありません。", "Entry {entry_no} is not in this event's roster.")
_NOT_IN_ROSTER_NEXT = Text("氏名で検索するか、責任者を呼んでください。", "Search by name, or call the supervisor.")
_CHIP_TAKEN = Text("この計測チップ（{tag}）は受付番号 {holder} に渡し済みです。別のチップを読み取ってください。",
                   "Chip {tag} was already handed over with entry {holder}; scan another chip.")
_CHIP_TAKEN_NEXT = Text("チップの取り違えがないか確認してください。", "Check the chips were not swapped.")
_UNRECORDED = Text("{name} さんへのお渡しがまだ記録されていません。", "What {name} received is not recorded yet.")
_UNRECORDED_NEXT = Text("確認を終えて Ctrl+Enter で記録してください。渡していなければ Esc で取り消せます。",
                        "Finish the check and press Ctrl+Enter to record it; if nothing was handed over, "
                        "Esc cancels it.")
_NOT_RECORDED = Text("記録できませんでした：{error}", "Not recorded: {error}")
_NOT_RECORDED_NEXT = Text("もう一度お試しください。続く場合は責任者を呼んでください。",
                          "Try again; if it happens again, call the supervisor.")


@dataclass(frozen=True, slots=True)
class EscortAtCounter:
    present: bool = False
    id_ok: bool = False


@dataclass(frozen=True, slots=True)
class Gathered:
    """The evidence the volunteer has gathered so far for the current case."""

    document: DocumentType = DocumentType.DRIVERS_LICENCE
    name: Match = Match.NOT_CHECKED
    birth_date: Match = Match.NOT_CHECKED
    original: bool = True
    document_hash: str | None = None
    escorts: dict[str, EscortAtCounter] = field(default_factory=dict)
    certificate_seen: bool = False
    items: frozenset[str] = frozenset()
    chip_tag: str = ""
    mrz: IdComparison | None = None  # what the camera read from the document's MRZ, compared


@dataclass(frozen=True, slots=True)
class Completed:
    bibs: tuple[str, ...]
    entries: tuple[str, ...]  # one per bib handed over (the runner's, each escort's)


class CounterModel(QObject):
    case_changed = Signal(object)  # Case | None
    evidence_changed = Signal(object)  # Gathered
    band_changed = Signal(object)  # Band | None
    completed = Signal(object)  # Completed
    sent_to_supervisor = Signal(str)  # the exception's id
    volunteer_changed = Signal(str)
    # The runner at the counter may already hold things: was it handed over?
    # Emitted with the Case when the question opens, None when it is answered.
    question_asked = Signal(object)

    def __init__(self, desk: CheckinDesk, *, now: Callable[[], dt.datetime] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        self.volunteer_id = ""
        self.case: Case | None = None
        self._waiting: Callable[[], None] | None = None  # what waits for the hand-over question's answer
        self.asking = False
        self.print_hold: Band | None = None  # set while a bib is not printed: no next runner until settled
        self._open_case = None  # a supervisor case open for the runner at the counter (see open_case)
        self.gathered = Gathered()
        self.verdict: Verdict | None = None
        self.band: Band | None = None
        self.code: CodeCheck | None = None

    @property
    def items(self) -> tuple[str, ...]:
        return self.desk.rules.handover_items

    @property
    def may_hand_over(self) -> bool:
        """Whether the hand-over step applies: not for a refused or supervisor case."""
        return self.verdict is not None and self.verdict.outcome in (
            Outcome.READY, Outcome.NEEDS_ID, Outcome.NEEDS_ESCORT) and self.open_case is None

    @property
    def checklist(self) -> tuple[str, ...]:
        """What crosses the counter for this case: the runner's items, then one
        "escort:<entry>" bib for each escort who is here."""
        escorts = tuple(f"{ESCORT_BIB}{no}" for no, state in self.gathered.escorts.items() if state.present)
        return (*self.items, *escorts)

    def toggle_checklist(self, index: int) -> None:
        """Alt+1…: tick or untick the index-th line of the checklist."""
        checklist = self.checklist
        if 0 <= index < len(checklist):
            item = checklist[index]
            self.set_item(item, item not in self.gathered.items)

    @property
    def chip_pending(self) -> bool:
        return "chip" in self.items and not self.gathered.chip_tag

    # -- who is serving ---------------------------------------------------

    def sign_in(self, volunteer_code: str) -> None:
        code = unicodedata.normalize("NFKC", volunteer_code).strip()  # ｖ１７ typed with the IME is V17
        if not (2 <= len(code) <= 12 and code.isascii() and code.replace("-", "").isalnum()):
            raise ValueError("A volunteer code is 2-12 letters or digits.")
        self.volunteer_id = code.upper()
        self.volunteer_changed.emit(self.volunteer_id)

    def sign_out(self) -> None:
        if not self.ask_before(self.sign_out):
            return
        self.clear()
        self.volunteer_id = ""
        self.volunteer_changed.emit("")

    # -- finding the runner -------------------------------------------------

    def scan(self, payload: str | bytes) -> None:
        """A code from the webcam or a keyboard-wedge scanner.

        A confirmation starts the next runner, except: the confirmation of an
        escort of the runner at the counter adds that escort; the runner's own
        confirmation again changes nothing; and a runner whose items were handed
        over but not recorded is never dropped by a scan. While the event's
        separate timing chip is still to be paired, a scanned code that names
        nobody is the chip's tag."""
        if self.held_by_printing():
            return
        result = self.desk.scan(payload)
        if self.case is not None:
            named = result.case.entrant.entry_no if result.case is not None else None
            if named == self.case.entrant.entry_no:
                return
            if named is not None and result.code.accepted and named in self.gathered.escorts:
                self.set_escort(named, present=True)
                return
            text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
            if self.chip_pending and named is None and not is_confirmation(text):
                self._pair_chip(text.strip())
                return
            if not self.ask_before(lambda: self.scan(payload)):
                return
        self.code = result.code
        if result.case is None:
            self._start(None)
            outcome = Outcome.SUPERVISOR if result.code.outcome in SUPERVISOR_CODES else Outcome.REFUSED
            if result.code.accepted:  # a well-formed code for an entry this roster does not have
                self._set_band(Band(Outcome.SUPERVISOR, _NOT_IN_ROSTER(entry_no=result.code.entry_no or ""),
                                    _NOT_IN_ROSTER_NEXT))
            else:
                self._set_band(Band(outcome, result.code.text,
                                    Text(*code_next_step(result.code.outcome))))  # every refusal: what next
            return
        self._start(result.case)

    def _pair_chip(self, tag: str) -> None:
        refusal = self.desk.chip_refusal(tag)
        if refusal is not None:
            self._set_band(Band(Outcome.REFUSED, refusal.text, refusal.next))
            return
        holder = self.desk.chip_holder(tag)
        if holder is not None and holder != self.case.entrant.entry_no:
            self._set_band(Band(Outcome.SUPERVISOR, _CHIP_TAKEN(tag=tag, holder=holder), _CHIP_TAKEN_NEXT))
            return
        self._update(chip_tag=tag, items=self.gathered.items | {"chip"})

    def choose(self, entry_no: str) -> None:
        """A runner picked from the search results (lost confirmation)."""
        if self.case is not None and entry_no == self.case.entrant.entry_no:
            return
        if self.held_by_printing():
            return
        if not self.ask_before(lambda: self.choose(entry_no)):
            return
        self.code = None
        self._start(self.desk.open_case(entry_no, FoundBy.SEARCH))

    @property
    def unrecorded(self) -> bool:
        """Items were handed over (ticked) but the pickup is not recorded yet."""
        return self.case is not None and bool(self.gathered.items)

    @property
    def holding(self) -> bool:
        """The runner may already have things in hand: the band said READY (hand
        over), or items were ticked. Such a runner is never dropped unasked."""
        return self.case is not None and (bool(self.gathered.items) or (self.may_hand_over and self.verdict.ready))

    def ask_before(self, action: Callable[[], None] | None) -> bool:
        """True when `action` may go ahead now. Otherwise the counter asks whether
        the items were handed over (`question_asked`), and `action` runs after
        `answer` recorded or cancelled the runner (not after "go back")."""
        if not self.holding:
            return True
        self._waiting = action
        self.asking = True
        self.question_asked.emit(self.case)
        return False

    def answer(self, handed_over: bool | None) -> None:
        """The volunteer's answer: True, handed over (record the pickup); False,
        nothing handed over (cancel); None, go back to the runner."""
        action, self._waiting = self._waiting, None
        self.asking = False
        self.question_asked.emit(None)
        if self.case is None:
            return
        if handed_over is None:
            self.warn_unrecorded()
            return
        if handed_over:
            self._update(items=frozenset(i for i in self.checklist if i != "chip" or self.gathered.chip_tag))
            if self.complete() is None:  # not ready (ID, chip) or not written: the band says why
                if self.band is None or self.band.outcome is Outcome.READY:
                    self.warn_unrecorded()
                return
        else:
            self.clear()
        if action is not None:
            action()

    def warn_unrecorded(self) -> None:
        name = self.case.entrant.display_name
        self._set_band(Band(Outcome.NEEDS_ID, _UNRECORDED(name=name), _UNRECORDED_NEXT))

    def next_runner(self) -> None:
        """Esc: the next runner; asks first when the runner may already hold items."""
        if self.held_by_printing():
            return
        if self.ask_before(None):
            self.clear()

    # -- a bib that did not print ----------------------------------------------------

    def hold_for_print(self, bibs: tuple[str, ...], why: Text, *, detail: str = "") -> None:
        """The bib(s) just handed over did not print: the counter stays on this
        until it is printed (here or elsewhere) or the supervisor has it.
        `detail`: what the spooler said, as a details line (never in the Japanese sentence)."""
        self.print_hold = Band(Outcome.SUPERVISOR, _NOT_PRINTED(bibs=", ".join(bibs), why=why),
                               _NOT_PRINTED_NEXT, print_problem=True)
        if detail:
            self.print_hold = replace(self.print_hold, details=(DETAILS(detail=detail),))
        self._set_band(self.print_hold)

    def release_print_hold(self) -> None:
        if self.print_hold is not None:
            self.print_hold = None
            if self.case is None:
                self._set_band(None)

    def held_by_printing(self) -> bool:
        """A bib is not printed yet: the next runner waits (the band says why)."""
        if self.print_hold is None:
            return False
        self._set_band(self.print_hold)
        return True

    def print_to_supervisor(self, entry_no: str, note: str = "") -> str | None:
        """The supervisor takes over a bib that would not print; the counter moves on."""
        try:
            fact = self.desk.send_to_supervisor(self.desk.open_case(entry_no, FoundBy.SEARCH), "print_failed",
                                                self.volunteer_id, note=note, codes=["print_failed"])
        except StationError as exc:
            self._not_recorded(exc)
            return None
        self.print_hold = None
        self._set_band(Band(Outcome.SUPERVISOR, _UNPRINTED_SENT(entry_no=entry_no), _WAIT_AT_SUPERVISOR))
        self.sent_to_supervisor.emit(fact.fact_id)
        return fact.fact_id

    def _start(self, case: Case | None) -> None:
        self.case = case
        self._open_case = None  # found again by _decide, for this runner
        # A runner from abroad most likely shows a passport (whose MRZ the camera reads).
        document = (DocumentType.PASSPORT if case and case.entrant.nationality not in ("", "JPN")
                    else DocumentType.DRIVERS_LICENCE)
        self.gathered = Gathered(document=document,
                                 escorts={e.entrant.entry_no: EscortAtCounter() for e in case.escorts} if case else {})
        self.case_changed.emit(case)
        self.evidence_changed.emit(self.gathered)
        self._decide()

    # -- evidence -------------------------------------------------------------

    def set_document(self, document: DocumentType) -> None:
        if document is self.gathered.document:
            return
        # Another document: a key typed or read for the previous one does not describe it.
        self._update(document=document, document_hash=None, mrz=None)

    def set_name(self, match: Match) -> None:
        self._update(name=match)

    def set_birth_date(self, match: Match) -> None:
        self._update(birth_date=match)

    def toggle_name(self, match: Match) -> None:
        """F4 / Shift+F4 and the buttons: pressing the same answer again takes it back."""
        self.set_name(Match.NOT_CHECKED if self.gathered.name is match else match)

    def toggle_birth_date(self, match: Match) -> None:
        self.set_birth_date(Match.NOT_CHECKED if self.gathered.birth_date is match else match)

    def toggle_escort(self, index: int) -> None:
        """F7 / F8 and the ticks: the escort is here and their ID checked, or not."""
        escorts = list(self.gathered.escorts.items())
        if index < len(escorts):
            entry_no, state = escorts[index]
            on = not (state.present and state.id_ok)
            self.set_escort(entry_no, present=on, id_ok=on)

    def set_original(self, original: bool) -> None:
        self._update(original=original)

    def set_mrz_reading(self, name: Match, birth_date: Match, document: DocumentType,
                        document_hash: str | None) -> None:
        """What the ID reader concluded; the volunteer still sees both names."""
        self._update(name=name, birth_date=birth_date, document=document, document_hash=document_hash)

    def set_document_number(self, document: DocumentType, number: str) -> bool:
        """A document without an MRZ: the number the volunteer typed becomes its
        keyed hash (core/document_numbers.py); never for a My Number card or a
        health insurance card, which the band says. True when the key is kept."""
        # A passport typed by hand: its issuing state taken as the runner's nationality, so the
        # key is the one the camera makes from the same passport's MRZ.
        state = (self.case.entrant.nationality if self.case is not None else "") or "JPN"
        try:
            key = typed_document_key(self.desk.package.document_secret, document, number, state)
        except NotKeyable as refusal:
            self._set_band(Band(Outcome.NEEDS_ID, refusal.text))
            return False
        self._update(document=document, document_hash=key)
        return self.case is not None

    def set_mrz(self, record: MrzRecord) -> None:
        """An MRZ the camera read (check digits valid, 2 of 3 frames). Its date of
        birth, covered by a check digit, is compared for the volunteer; the name is
        not (check digits do not cover names): the volunteer looks at both names
        and confirms with F4. The document is kept only as a keyed hash."""
        if self.case is None:
            return
        today = self._now().astimezone(self.desk.rules.zone).date()
        result = compare(record, self.case.entrant, today)
        birth = {FieldResult.MATCH: Match.CONFIRMED, FieldResult.MISMATCH: Match.MISMATCH}.get(
            result.birth_date, Match.NOT_CHECKED)
        key = document_key(self.desk.package.document_secret, record.document_number, record.issuing_state)
        self._update(document=DocumentType.PASSPORT if record.is_passport else DocumentType.FOREIGN_ID_CARD,
                     birth_date=birth, document_hash=key, mrz=result)

    def set_escort(self, entry_no: str, *, present: bool | None = None, id_ok: bool | None = None) -> None:
        if entry_no not in self.gathered.escorts:
            return
        escorts = dict(self.gathered.escorts)
        current = escorts[entry_no]
        escorts[entry_no] = EscortAtCounter(current.present if present is None else present,
                                            current.id_ok if id_ok is None else id_ok)
        items = self.gathered.items
        if not escorts[entry_no].present:  # an escort who is not here takes no bib
            items = items - {f"{ESCORT_BIB}{entry_no}"}
        self._update(escorts=escorts, items=items)

    def set_certificate(self, seen: bool) -> None:
        self._update(certificate_seen=seen)

    def set_item(self, item: str, handed: bool) -> None:
        if item == "chip" and handed and not self.gathered.chip_tag:
            return  # a chip is handed over by scanning its tag, which pairs it with the bib
        items = set(self.gathered.items)
        (items.add if handed else items.discard)(item)
        self._update(items=frozenset(items))

    def _update(self, **changes) -> None:
        if self.case is None:
            return
        self.gathered = replace(self.gathered, **changes)
        self.evidence_changed.emit(self.gathered)
        self._decide()

    def evidence(self) -> Evidence | None:
        if self.case is None:
            return None
        g = self.gathered
        id_check = None
        if g.name is not Match.NOT_CHECKED or g.birth_date is not Match.NOT_CHECKED or not g.original:
            id_check = IdCheck(g.document, g.name, g.birth_date, g.original, g.document_hash)
        escorts = tuple(
            # The volunteer ticked "here, ID checked": which document it was is not recorded.
            EscortEvidence(no, IdCheck(DocumentType.UNRECORDED, Match.CONFIRMED, Match.CONFIRMED)
                           if state.id_ok else None)
            for no, state in g.escorts.items() if state.present
        )
        return self.desk.evidence(self.case, id_check=id_check, escorts=escorts,
                                  certificate_seen=g.certificate_seen,
                                  handed_over=tuple(i for i in self.items if i in g.items), chip_tag=g.chip_tag)

    def _decide(self) -> None:
        evidence = self.evidence()
        if self.case is None or evidence is None:
            self.verdict = None
            if self.code is None:
                self._set_band(None)
            return
        self.verdict = self.desk.decide(self.case, evidence, self._now())
        self._open_case = self._find_open_case()
        band = band_for(self.verdict)
        if self.verdict.headline and self.verdict.headline.code is ReasonCode.ESCORT_ALONE:
            band = self._escort_alone(band)
        if self.open_case is not None:
            band = self._open_case_band(self.open_case)
        self._set_band(band)

    @property
    def open_case(self):
        """A supervisor case still open for this runner (opened here or at another counter),
        as found at the last decision. Until core decides it (the "case follows the runner"
        rule), the counter says it and hands nothing over."""
        return self._open_case if self.case is not None else None

    def _find_open_case(self):
        entry = self.case.entrant.entry_no
        return next((x for x in self.desk.log.open_exceptions() if x.entry_no == entry), None)

    def _open_case_band(self, case) -> Band:
        local = case.opened_at.astimezone(self.desk.rules.zone).strftime("%H:%M")
        return Band(Outcome.SUPERVISOR, _CASE_OPEN(station=case.station_id, at=local), _CASE_OPEN_NEXT)

    def _escort_alone(self, band: Band) -> Band:
        """An escort scanned alone, named as the volunteer sees them: who, which bib, whose escort."""
        e = self.case.entrant
        runner = self.desk.entrant(e.escort_of) if e.escort_of else None
        who = _ESCORT_NAMED(name=e.display_name, bib=e.bib, entry_no=e.entry_no)
        whose = (_RUNNER_NAMED(name=runner.display_name, bib=runner.bib) if runner
                 else _ENTRY_NAMED(entry_no=str(e.escort_of)))
        return replace(band, text=_ESCORT_ALONE(who=who, whose=whose),
                       next=_ESCORT_ALONE_NEXT(whose=whose))

    def _set_band(self, band: Band | None) -> None:
        self.band = band
        self.band_changed.emit(band)

    # -- finishing --------------------------------------------------------------

    @property
    def can_complete(self) -> bool:
        return (self.verdict is not None and self.verdict.ready and bool(self.volunteer_id)
                and set(self.checklist) <= self.gathered.items and self.open_case is None)

    def complete(self) -> Completed | None:
        """Record the pickup (decided again on the freshest log) and free the counter."""
        evidence = self.evidence()
        if not self.can_complete or self.case is None or evidence is None:
            return None
        try:
            verdict, facts = self.desk.complete(self.case, evidence, self.volunteer_id, self._now())
        except StationError as exc:  # the disk, a lock: nothing was written, the case stays
            self._not_recorded(exc)
            return None
        if not facts:  # the log changed under us (sync): show why, keep the case
            self.verdict = verdict
            self._set_band(band_for(verdict))
            return None
        done = Completed(tuple(h.bib for h in verdict.handovers), tuple(h.entry_no for h in verdict.handovers))
        self.clear()
        self.completed.emit(done)
        return done

    def send_to_supervisor(self, note: str = "") -> str | None:
        if not self.volunteer_id or (self.case is None and self.code is None):
            return None
        reasons = self.verdict.reasons if self.verdict else ()
        headline = self.verdict.headline if self.verdict else None
        reason = headline.code.value if headline else (self.code.outcome.value if self.code else "volunteer")
        try:
            fact = self.desk.send_to_supervisor(self.case, reason, self.volunteer_id, note=note,
                                                codes=[r.code.value for r in reasons])
        except StationError as exc:
            self._not_recorded(exc)
            return None
        who = (_SENT_ENTRANT(name=self.case.entrant.display_name, entry_no=self.case.entrant.entry_no)
               if self.case else _SENT_CODE)
        self.clear()
        # Said on the band, so the volunteer knows the case left this counter and what to tell the runner.
        self._set_band(Band(Outcome.SUPERVISOR, _SENT(who=who), _WAIT_AT_SUPERVISOR,
                            (_NOTE(note=note),) if note else ()))
        self.sent_to_supervisor.emit(fact.fact_id)
        return fact.fact_id

    def _not_recorded(self, error: StationError) -> None:
        self._set_band(Band(Outcome.SUPERVISOR, _NOT_RECORDED(error=error.message_text), _NOT_RECORDED_NEXT))

    def clear(self) -> None:
        """The next runner; the last runner's personal data leaves the screen."""
        self.code = None
        self._start(None)


def band_for(verdict: Verdict) -> Band:
    head = verdict.headline or verdict.reasons[0]
    others = tuple(r.text for r in verdict.reasons if r is not head)
    return Band(verdict.outcome, head.text, head.next, others)
