"""The supervisor's state: who is signed in, the queue of exceptions, the dashboard.

One object announces changes; the widgets draw from it. Every decision goes
through station.store.exceptions (which asks the one ruling function), so the
screen cannot resolve what the rules forbid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from station.core.errors import StationError
from station.core.models import Fact, FactKind
from station.core.payloads import ExceptionOpenedPayload
from station.core.supervision import CaseFacts, Decision, Resolution, allowed_decisions, grounds_for
from station.core.texts import NOTHING, Text
from station.core.words import SAME_DOCUMENT_AS, CaseNote
from station.store.dashboard import Dashboard
from station.store.document_reuse import REASON as DOCUMENT_REUSE
from station.store.document_reuse import waiting_for_supervisor
from station.store.event_package import EventPackage
from station.store.exceptions import ExceptionQueue, Queue, QueueItem
from station.store.station_log import StationLog
from station.store.supervisors import Session, SignInOutcome, SupervisorSignIn, supervisors

CONFLICT = "conflict:"  # queue rows for conflicts no case was opened for yet

_SIGNED_OUT = Text("操作がなかったため、責任者モードを終了しました。", "Signed out after a while without activity.")
_TAKEN = Text("{supervisor}（{station}）が対応中です。", "{supervisor} at {station} already has this case.")
_RECORDED = Text("決定を記録しました。受付に結果が表示されます。",
                 "Decision recorded; the counter that raised it sees the outcome.")


class SupervisorModel(QObject):
    session_changed = Signal(object)  # Session | None
    queue_changed = Signal(object)  # Queue
    dashboard_changed = Signal(object)  # station.store.dashboard.Snapshot
    set_aside_changed = Signal(object)  # station.store.quarantine.SetAside: facts refused at this door
    message = Signal(object)  # station.core.texts.Text, rendered by the screen
    reprint = Signal(str, str)  # entry, supervisor: print the new copy

    def __init__(self, package: EventPackage, log: StationLog, *, now: Callable[[], dt.datetime] | None = None,
                 refresh_ms: int = 5000, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.package = package
        self.log = log
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        self.sign_ins = SupervisorSignIn(package, log)
        self.exceptions = ExceptionQueue(log, package)
        self.dashboard = Dashboard(log, package)
        self.session: Session | None = None
        self.queue = Queue(())
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.tick)

    def supervisors(self) -> list[tuple[str, str]]:
        return supervisors(self.package)

    # -- who --------------------------------------------------------------------

    def sign_in(self, supervisor_id: str, pin: str) -> bool:
        result = self.sign_ins.sign_in(supervisor_id, pin, self._now())
        self.message.emit(result.text)
        if result.outcome is not SignInOutcome.SIGNED_IN:
            return False
        self.session = result.session
        self.session_changed.emit(self.session)
        self.refresh()
        self._timer.start()
        return True

    def sign_out(self) -> None:
        if self.session is not None:
            self.sign_ins.sign_out(self.session.supervisor_id)  # forget the unsealed signing key
        self.session = None
        self._timer.stop()
        self.session_changed.emit(None)

    def touch(self) -> None:
        """The supervisor did something: the automatic sign-out starts again."""
        if self.session is not None:
            self.session = self.session.touched(self._now())

    def tick(self) -> None:
        if self.session is not None and self.session.expired(self._now()):
            self.sign_out()
            self.message.emit(_SIGNED_OUT)
            return
        self.refresh()

    # -- the work ------------------------------------------------------------------

    def refresh(self) -> None:
        now = self._now()
        queue = self.exceptions.queue(now)
        items = queue.items + tuple(self._conflicts(now, queue))
        self.queue = Queue(tuple(sorted(items, key=lambda i: i.opened_at)))
        self.queue_changed.emit(self.queue)
        self.dashboard_changed.emit(self.dashboard.snapshot(now))
        self.set_aside_changed.emit(self.log.set_aside())

    def _conflicts(self, now: dt.datetime, queue: Queue):
        """Conflicts sync derived (two pickups of one bib while counters were apart),
        for the queue until a supervisor resolves them; a case opens when one is taken."""
        handled = {i.entry_no for i in queue.items}
        for entry_no in self.log.conflicted_entries():
            if entry_no in handled:
                continue
            pickups = self.pickups(entry_no)
            entrant = self.package.entrant(entry_no)
            last = pickups[-1] if pickups else None
            yield QueueItem(
                CONFLICT + entry_no, entry_no, entrant.bib if entrant else "",
                entrant.display_name if entrant else "", last.station_id if last else "",
                last.volunteer_id if last else "", "state_conflict",
                (str(self.log.entry_state(entry_no).conflict),), NOTHING, last.wall_time if last else now,
                now - last.wall_time if last else dt.timedelta(0), None)

        # One ID document shown for two entries at counters that were apart (issue 11).
        for entry_no, reuse in waiting_for_supervisor(self.log, self.package):
            if entry_no in handled:
                continue
            entrant = self.package.entrant(entry_no)
            others = tuple(no for no in reuse.entries if no != entry_no)
            yield QueueItem(
                CONFLICT + entry_no, entry_no, entrant.bib if entrant else "",
                entrant.display_name if entrant else "", "", "", DOCUMENT_REUSE, (DOCUMENT_REUSE,),
                SAME_DOCUMENT_AS(entries=others), now, dt.timedelta(0), None)

    def pickups(self, entry_no: str) -> list[Fact]:
        return [f for f in self.log.facts_for(entry_no) if f.kind is FactKind.PICKUP]

    def _real(self, exception_id: str) -> str:
        """A conflict row becomes a case the first time a supervisor acts on it."""
        if not exception_id.startswith(CONFLICT) or self.session is None:
            return exception_id
        entry_no = exception_id.removeprefix(CONFLICT)
        conflict = self.log.entry_state(entry_no).conflict
        reason = "state_conflict" if conflict is not None else DOCUMENT_REUSE
        fact = self.log.record(FactKind.EXCEPTION_OPENED, volunteer_id=self.session.supervisor_id,
                               entry_no=entry_no,
                               payload=ExceptionOpenedPayload(
                                   reason=reason, note=CaseNote.FOUND_BY_SYNC.value,
                                   codes=(reason, conflict.value if conflict else "")).to_payload())
        return fact.fact_id

    def choices(self, exception_id: str):
        if exception_id.startswith(CONFLICT):
            entry_no = exception_id.removeprefix(CONFLICT)
            state = self.log.entry_state(entry_no)
            case = CaseFacts(exception_id, entry_no, "state_conflict" if state.conflict else DOCUMENT_REUSE,
                             (state.conflict.value if state.conflict else "",), state.status, state.conflict)
        else:
            case = self.exceptions.case_facts(exception_id)
        return case, allowed_decisions(case), grounds_for(case)

    def claim(self, exception_id: str) -> None:
        if self.session is None:
            return
        self.touch()
        exception_id = self._real(exception_id)
        result = self.exceptions.claim(exception_id, self.session.supervisor_id)
        holder = result.holder
        if holder.supervisor_id != self.session.supervisor_id:
            self.message.emit(_TAKEN(supervisor=holder.supervisor_id, station=holder.station_id))
        self.refresh()

    def resolve(self, exception_id: str, resolution: Resolution) -> bool:
        if self.session is None:
            return False
        self.touch()
        exception_id = self._real(exception_id)
        try:
            facts = self.exceptions.resolve(exception_id, resolution)
        except StationError as exc:  # the ruling said no: the screen says why
            self.message.emit(exc.message_text)
            return False
        if resolution.decision is Decision.REPRINT_BIB:
            entry_no = next((f.entry_no for f in facts if f.entry_no), None)
            if entry_no:
                self.reprint.emit(entry_no, resolution.supervisor_id)
        self.message.emit(_RECORDED)
        self.refresh()
        return True
