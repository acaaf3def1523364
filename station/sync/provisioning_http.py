"""The hub's door for stations: token, revocation and the laptop the code is bound to.

Kept apart from http_hub.py's endpoints: a refused station learns why (in the
REFUSAL_HEADER), so it can say "revoked" or "code used on another laptop"
instead of looking offline; a wrong token learns nothing more.
"""

from __future__ import annotations

import logging

from fastapi import HTTPException

from station.sync.hub_store import Access, HubStore
from station.sync.protocol import REFUSAL_HEADER

log = logging.getLogger(__name__)


def admit_or_refuse(store: HubStore, station: str, token: str, laptop: str) -> None:
    if not station or not token:
        raise HTTPException(401, "unknown station or revoked token", headers={REFUSAL_HEADER: "unknown"})
    access = store.admit(station, token, laptop)
    if access is Access.OK:
        return
    if access is Access.REVOKED:
        log.info("refused revoked station %s", station)
        raise HTTPException(401, f"station {station} is revoked", headers={REFUSAL_HEADER: "revoked"})
    if access is Access.OTHER_LAPTOP:
        raise HTTPException(403, f"the code for {station} was already used by another laptop",
                            headers={REFUSAL_HEADER: "other-laptop"})
    raise HTTPException(401, "unknown station or revoked token", headers={REFUSAL_HEADER: "unknown"})
