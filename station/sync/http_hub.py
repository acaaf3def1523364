"""The HTTP hub: a FastAPI app over one HubStore.

Endpoints (the OpenAPI document is at /openapi.json, browsable at /docs):

- GET  /health             no token; hub id, event, fact count, package size
- POST /v1/facts           push a batch of the station's own facts (idempotent)
- GET  /v1/facts?after=N   pull facts after the hub's cursor N
- GET  /v1/entries/{no}    the hub's view of one entry (the pre-pickup check)
- GET  /v1/conflicts       entries whose merged facts conflict
- POST /v1/claims          claim an entry and its escorts before a pickup (sync/claim_router.py)
- GET  /v1/package         the event package file, streamed

Every /v1 call carries `Authorization: Bearer <token>` and `X-Station: <name>`.
Requests are capped in size and each station in rate. TLS: run uvicorn with
--ssl-keyfile/--ssl-certfile (`station hub serve` passes them through).
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, Field

from station import __version__
from station.core.errors import DatabaseLocked, StationError
from station.core.fact_check import MAX_ENTRY_NO, MAX_VOLUNTEER_ID, FactRefused
from station.sync.hub_door import refusal_status
from station.sync.hub_store import HUB_FILE, PACKAGE_FILE, HubStore
from station.sync.protocol import (
    MAX_BATCH,
    MAX_FACT_ID,
    HubRefused,
    ProtocolError,
    facts_from_wire,
    facts_to_wire,
    pull_to_wire,
    state_to_wire,
    summary_to_wire,
)
from station.sync.provisioning_http import admit_or_refuse

MAX_BODY_BYTES = 4 * 1024 * 1024
MAX_PAYLOAD_CHARS = 4096
MAX_CURSOR = 2**62  # a hub seq is an SQLite integer; beyond this is no cursor of ours


class WireFact(BaseModel):
    fact_id: str = Field(min_length=1, max_length=MAX_FACT_ID)
    kind: str = Field(max_length=40)
    event_id: str = Field(max_length=40)
    station_id: str = Field(max_length=40)
    volunteer_id: str = Field(max_length=MAX_VOLUNTEER_ID)
    wall_time: str = Field(max_length=40, description="UTC, ISO 8601 with offset")
    stamp: str = Field(max_length=64, description="hybrid logical clock; string order is merge order")
    entry_no: str | None = Field(default=None, max_length=MAX_ENTRY_NO)
    payload: str = Field(max_length=MAX_PAYLOAD_CHARS, description="the fact's JSON text")


class PushBody(BaseModel):
    facts: list[WireFact] = Field(max_length=MAX_BATCH)


class PushAnswer(BaseModel):
    accepted: list[str]
    new: int


class PullAnswer(BaseModel):
    facts: list[WireFact]
    cursor: int
    more: bool
    hub_id: str


class PickupModel(BaseModel):
    fact_id: str
    station_id: str
    volunteer_id: str
    wall_time: str
    stamp: str


class EntryStateModel(BaseModel):
    entry_no: str
    status: str
    pickup: PickupModel | None
    pickups: int
    printed_copies: int
    id_checked: bool
    conflict: str | None


class EntryAnswer(BaseModel):
    state: EntryStateModel
    facts: list[WireFact]


class HealthAnswer(BaseModel):
    status: str
    version: str
    hub_id: str
    event_id: str | None
    facts: int
    package_bytes: int | None


class RateLimit:
    """A token bucket per station: `burst` requests at once, `per_second` sustained."""

    def __init__(self, per_second: float, burst: int) -> None:
        self.per_second = per_second
        self.burst = burst
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, station: str) -> bool:
        now = time.monotonic()
        with self._lock:
            tokens, then = self._buckets.get(station, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - then) * self.per_second)
            if tokens < 1.0:
                self._buckets[station] = (tokens, now)
                return False
            self._buckets[station] = (tokens - 1.0, now)
            return True


def _replay(messages: list[dict[str, Any]], receive: Any) -> Any:
    """A receive() that first gives back what was already read."""
    pending = list(messages)

    async def replayed() -> dict[str, Any]:
        if pending:
            return pending.pop(0)
        return dict(await receive())

    return replayed


class BodyLimit:
    """Refuses request bodies over `limit` bytes, declared or streamed, before
    they are parsed (pure ASGI, so it also covers chunked uploads)."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", ())).get(b"content-length")
        if declared is not None and int(declared) > self.limit:
            await self._refuse(send)
            return
        # Read the whole body first (at most `limit` bytes), then hand it on:
        # a chunked upload over the limit gets 413 like a declared one, and the
        # app never starts on a body it would have to abandon.
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message], receive), send)
                return
            body = message.get("body", b"")
            received += len(body)
            if received > self.limit:
                await self._refuse(send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        whole = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay([whole], receive), send)

    async def _refuse(self, send: Any) -> None:
        body = json.dumps({"detail": f"request larger than {self.limit} bytes; send smaller batches"})
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body.encode()})


def store_of(request: Request) -> HubStore:
    store: HubStore = request.app.state.store
    return store


def station_of(
    request: Request,
    authorization: Annotated[str, Header()] = "",
    x_station: Annotated[str, Header()] = "",
    x_laptop: Annotated[str, Header()] = "",
) -> str:
    token = authorization.removeprefix("Bearer ").strip()
    admit_or_refuse(store_of(request), x_station, token, x_laptop)
    if not request.app.state.limiter.allow(x_station):
        raise HTTPException(429, "too many requests from this station; slow down")
    return x_station


# Module level: FastAPI resolves these (string) annotations in the module's namespace.
Station = Annotated[str, Depends(station_of)]
Store = Annotated[HubStore, Depends(store_of)]


def create_app(data_dir: Path, *, per_second: float = 20.0, burst: int = 60,
               max_body: int = MAX_BODY_BYTES) -> FastAPI:
    hub_path = data_dir / HUB_FILE
    package_path = data_dir / PACKAGE_FILE
    limiter = RateLimit(per_second, burst)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = HubStore.open(hub_path)
        try:
            yield
        finally:
            app.state.store.close()

    app = FastAPI(title="Bib Station hub", version=__version__, lifespan=lifespan)
    app.state.limiter = limiter

    @app.exception_handler(HubRefused)
    async def refused(request: Request, exc: HubRefused) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=403)

    @app.exception_handler(FactRefused)
    async def refused_fact(request: Request, exc: FactRefused) -> JSONResponse:
        return JSONResponse({"detail": str(exc), "reason": exc.reason.value, "fact_id": exc.fact_id,
                             "why": exc.detail},
                            status_code=refusal_status(exc.reason))

    @app.exception_handler(ProtocolError)
    async def malformed(request: Request, exc: ProtocolError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(DatabaseLocked)
    async def locked(request: Request, exc: DatabaseLocked) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @app.exception_handler(StationError)
    async def failed(request: Request, exc: StationError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=500)

    @app.get("/health", response_model=HealthAnswer)
    def health(store: Store) -> dict[str, Any]:
        h = store.health(package_path)
        return {"status": "ok", "version": __version__, "hub_id": h.hub_id,
                "event_id": h.event_id, "facts": h.facts, "package_bytes": h.package_bytes}

    @app.post("/v1/facts", response_model=PushAnswer)
    def push(body: PushBody, station: Station, store: Store) -> dict[str, Any]:
        facts = facts_from_wire(f.model_dump() for f in body.facts)
        result = store.ingest(facts, station=station)
        return {"accepted": list(result.accepted), "new": result.new}

    @app.post("/v1/relay", response_model=PushAnswer)
    def relay(body: PushBody, station: Station, store: Store) -> dict[str, Any]:
        """Anti-entropy: facts the caller holds from other stations that the hub lacks."""
        facts = facts_from_wire(f.model_dump() for f in body.facts)
        result = store.ingest(facts, station=station, relay=True)
        return {"accepted": list(result.accepted), "new": result.new}

    @app.get("/v1/summary")
    def summary(station: Station, store: Store) -> JSONResponse:
        """Per-station high stamps; stations never heard from (silent) or only relayed (unknown)."""
        return JSONResponse(summary_to_wire(store.summary()))

    @app.get("/v1/facts", response_model=PullAnswer)
    def pull(station: Station, store: Store, after: Annotated[int, Query(ge=0, le=MAX_CURSOR)] = 0,
             limit: Annotated[int, Query(ge=1, le=2000)] = 500) -> JSONResponse:
        batch = store.pull(after, limit)
        return JSONResponse(pull_to_wire(batch))

    @app.get("/v1/entries/{entry_no}", response_model=EntryAnswer)
    def entry(entry_no: str, station: Station, store: Store) -> JSONResponse:
        view = store.entry(entry_no)
        return JSONResponse({"state": state_to_wire(view.state), "facts": facts_to_wire(view.facts)})

    @app.get("/v1/conflicts", response_model=list[EntryStateModel])
    def conflicts(station: Station, store: Store) -> JSONResponse:
        return JSONResponse([state_to_wire(s) for s in store.conflicts()])

    @app.get("/v1/package", response_class=FileResponse,
             responses={200: {"content": {"application/vnd.sqlite3": {}}}})
    def package(station: Station) -> FileResponse:
        if not package_path.is_file():
            raise HTTPException(404, "no event package published on this hub yet")
        return FileResponse(package_path, media_type="application/vnd.sqlite3", filename=PACKAGE_FILE)

    from station.sync.claim_router import router as claim_router  # issue 11: the pickup claim

    app.include_router(claim_router)
    app.add_middleware(BodyLimit, limit=max_body)
    return app
