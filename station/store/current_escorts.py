"""A runner's escorts as this counter knows them now: the package's escort
rows plus the organizer's later updates that sync brought into the log (a new
escort entry, an escort moved to another runner, a cancelled escort), read
the same way as the entrant itself (station/store/roster_updates.py).

Also the escort rows the organizer's import refused for a runner: the import
records each as a roster fact ("escort_refused") so that a counter can say so
instead of serving the runner alone without a word.
"""

from __future__ import annotations

import json

from station.core.models import Entrant
from station.core.payloads import RosterUpdatePayload
from station.store.event_package import EventPackage
from station.store.roster_updates import current_entrant
from station.store.station_log import StationLog

ESCORT_REFUSED = "escort_refused"

_NAMED_AS_ESCORT = (
    "SELECT DISTINCT entry_no FROM fact WHERE kind = 'roster_update' AND entry_no IS NOT NULL AND "
    "(json_extract(payload, '$.fields.escort_of') = ? OR json_extract(payload, '$.entrant.escort_of') = ?)"
)


def current_escorts(package: EventPackage, log: StationLog, runner_no: str) -> list[Entrant]:
    """Every escort linked to the runner now (cancelled ones too), by entry number."""
    candidates = {e.entry_no for e in package.escorts_of(runner_no)}
    candidates |= {r[0] for r in log.conn.execute(_NAMED_AS_ESCORT, (runner_no, runner_no))}
    found = []
    for no in sorted(candidates):
        escort = current_entrant(package, log, no)
        if escort is not None and escort.escort_of == runner_no:
            found.append(escort)
    return found


def refused_escorts(package: EventPackage, log: StationLog, runner_no: str,
                    current: set[str]) -> list[tuple[str, str]]:
    """(escort label, why) for escort rows refused at import for this runner,
    unless a later import accepted that escort (it is among `current`)."""
    query = ("SELECT fact_id, payload FROM {table} WHERE entry_no = ? AND kind = 'roster_update' "
             "AND json_extract(payload, '$.change') = ?")
    rows = dict(package.conn.execute(query.format(table="roster_fact"), (runner_no, ESCORT_REFUSED)))
    rows.update(log.conn.execute(query.format(table="fact"), (runner_no, ESCORT_REFUSED)))
    out: dict[str, str] = {}
    for payload in rows.values():
        refused = RosterUpdatePayload.from_payload(json.loads(payload))
        label = refused.escort or f"line {refused.line if refused.line is not None else '?'}"
        if label not in current:
            out[label] = refused.why or ""
    return sorted(out.items())
