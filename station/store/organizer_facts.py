"""The organizer's own facts (roster corrections, cancellations, revoked
confirmations), stamped with the organizer's clock and kept in the event
package's `roster_fact` log, from which the hub sends them down to the counters."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from station.core.hlc import HybridClock, Stamp
from station.core.models import Fact, FactKind
from station.core.payloads import RosterUpdatePayload
from station.store.event_package import EventPackage

ORGANIZER = "organizer"


def organizer_clock(package: EventPackage) -> HybridClock:
    top = package.conn.execute("SELECT max(stamp) FROM roster_fact").fetchone()[0]
    return HybridClock(ORGANIZER, Stamp.decode(top) if top else None)


def roster_updates(package: EventPackage, changes: Iterable[tuple[str | None, RosterUpdatePayload]],
                   volunteer_id: str) -> Iterable[Fact]:
    """ROSTER_UPDATE facts for (entry number, payload) pairs; the caller inserts
    them in the same transaction as the change they describe."""
    clock = organizer_clock(package)
    now = dt.datetime.now(dt.UTC)
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)
    for entry_no, payload in changes:
        yield Fact(str(uuid.uuid4()), FactKind.ROSTER_UPDATE, package.settings.event_id, ORGANIZER,
                   volunteer_id, now, clock.now(), entry_no, payload.to_payload())
