"""A case follows the runner: the supervisor case that stands for an entry,
whichever counter raised it (after sync every station's log has them all).

Open (not decided yet) or refused (the decision that counts for the entry's
latest resolved case is "refuse") makes every counter's verdict "supervisor".
"""

from __future__ import annotations

import datetime as dt

from station.core.models import FactKind
from station.core.payloads import ExceptionResolvedPayload
from station.core.supervision import Decision, PendingCase
from station.store.exceptions import ExceptionQueue
from station.store.station_log import StationLog


def pending_case(log: StationLog, entry_no: str) -> PendingCase | None:
    row = log.conn.execute(
        "SELECT exception_id, station_id, opened_at, reason FROM open_exception "
        "WHERE entry_no = ? ORDER BY stamp LIMIT 1", (entry_no,)
    ).fetchone()
    if row is not None:
        return PendingCase(row[0], row[1], dt.datetime.fromisoformat(row[2]), row[3])
    queue = ExceptionQueue(log)
    resolved = {ExceptionResolvedPayload.from_payload(f.payload).exception_id for f in log.facts_for(entry_no)
                if f.kind is FactKind.EXCEPTION_RESOLVED}
    outcomes = [o for o in map(queue.outcome, sorted(resolved)) if o is not None]
    if not outcomes:
        return None
    last = max(outcomes, key=lambda o: (o.resolved_at, o.fact_id))
    if last.decision is not Decision.REFUSE:
        return None
    return PendingCase(last.exception_id, last.station_id, last.resolved_at,
                       last.reason_text, refused=True)
