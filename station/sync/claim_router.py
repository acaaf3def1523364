"""The HTTP hub's claim endpoint (station/sync/claims.py):

- POST /v1/claims   {"entries": ["1001", "E0101"]} -> granted, or who holds them

Registered by station.sync.http_hub.create_app.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from station.sync.claims import MAX_ENTRIES, claim_entries
from station.sync.http_hub import Station, Store, WireFact
from station.sync.protocol import facts_to_wire

router = APIRouter()


class ClaimBody(BaseModel):
    entries: list[str] = Field(min_length=1, max_length=MAX_ENTRIES)
    bibs: list[str] = Field(default_factory=list, max_length=MAX_ENTRIES)


class ClaimModel(BaseModel):
    granted: bool
    holder: str | None
    entry_no: str | None
    facts: list[WireFact]


@router.post("/v1/claims", response_model=ClaimModel)
def claim(body: ClaimBody, station: Station, store: Store) -> JSONResponse:
    answer = claim_entries(store, station, body.entries, bibs=body.bibs)
    return JSONResponse({"granted": answer.granted, "holder": answer.holder, "entry_no": answer.entry_no,
                         "facts": facts_to_wire(answer.facts)})
