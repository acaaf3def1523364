"""The HTTP hub client's status handling, against httpx.MockTransport (the handler is the hub).

The real hub on loopback stays in tests/integration/test_sync_hubs.py; these
pin what each answer becomes: HubUnavailable (retry later), HubRefused (fix,
then retry) or ProtocolError (we sent something the hub cannot read).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import httpx
import pytest

from station.core.hlc import Stamp
from station.core.ledger import EntryState
from station.core.models import Fact, FactKind
from station.sync.client import HttpHub
from station.sync.protocol import HubRefused, HubUnavailable, ProtocolError, state_to_wire

ADDRESS = "http://hall-hub:8765"
Handler = Callable[[httpx.Request], httpx.Response]


def hub(handler: Handler) -> HttpHub:
    client = httpx.Client(base_url=ADDRESS, transport=httpx.MockTransport(handler))
    return HttpHub(ADDRESS, "counter-3", "secret-token", client=client)


def fact() -> Fact:
    moment = dt.datetime(2027, 2, 19, 5, 0, tzinfo=dt.UTC)
    return Fact("f1", FactKind.PICKUP, "kyoto-2027", "counter-3", "V17", moment,
                Stamp(int(moment.timestamp() * 1000), 0, "counter-3"), "1001", {"bib": "1"})


def test_every_request_names_the_station_and_carries_its_token():
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"accepted": ["f1"], "new": 1})

    result = hub(handler).push([fact()])
    assert result.accepted == ("f1",) and result.new == 1
    (request,) = seen
    assert request.method == "POST" and request.url.path == "/v1/facts"
    assert request.headers["Authorization"] == "Bearer secret-token" and request.headers["X-Station"] == "counter-3"
    assert json.loads(request.content)["facts"][0]["fact_id"] == "f1"


@pytest.mark.parametrize(("status", "error", "words"), [
    (401, HubRefused, "does not know this station"),
    (403, HubRefused, "refused (403): not yours"),
    (404, HubRefused, "refused (404): not yours"),
    (400, ProtocolError, "could not read our request (400): not yours"),
    (413, ProtocolError, "could not read our request (413)"),
    (422, ProtocolError, "could not read our request (422)"),
    (429, HubUnavailable, "busy or failing (429"),
    (500, HubUnavailable, "busy or failing (500"),
    (503, HubUnavailable, "busy or failing (503"),
])
def test_each_error_status_becomes_the_error_that_says_what_to_do(status, error, words):
    client = hub(lambda request: httpx.Response(status, json={"detail": "not yours"}))
    with pytest.raises(error, match=words.replace("(", r"\(").replace(")", r"\)")):
        client.pull(after=0)


def test_an_error_page_that_is_not_json_is_quoted_not_crashed_on():
    client = hub(lambda request: httpx.Response(502, text="<html>Bad Gateway</html>"))
    with pytest.raises(HubUnavailable, match="Bad Gateway"):
        client.health()


def test_a_hub_that_cannot_be_reached_is_unavailable_not_a_crash():
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(HubUnavailable, match="does not answer \\(ConnectError\\)"):
        hub(handler).push([fact()])


def test_a_malformed_success_answer_is_a_protocol_error():
    client = hub(lambda request: httpx.Response(200, json={"facts": []}))
    with pytest.raises(ProtocolError, match="malformed pull answer"):
        client.pull(after=0)


def test_asking_about_an_entry_reads_its_state():
    state = EntryState("1001", pickups=0)

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/v1/entries/1001"
        return httpx.Response(200, json={"state": state_to_wire(state), "facts": []})

    view = hub(handler).ask_entry("1001", timeout=0.8)
    assert view.state == state and view.facts == ()


def test_a_download_that_arrives_short_is_thrown_away(tmp_path):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-length": "10"}, content=b"12345")

    dest = tmp_path / "event.sqlite"
    with pytest.raises(HubUnavailable, match="incomplete \\(5 of 10 bytes\\)"):
        hub(handler).download_package(dest)
    assert not dest.exists() and not (tmp_path / "event.sqlite.partial").exists()


def test_a_download_refused_says_so_and_a_good_one_reports_progress(tmp_path):
    refused = hub(lambda request: httpx.Response(401, json={"detail": "revoked"}))
    with pytest.raises(HubRefused, match="new provisioning code"):
        refused.download_package(tmp_path / "a.sqlite")
    body = b"x" * 1000
    progress: list[tuple[int, int | None]] = []
    good = hub(lambda request: httpx.Response(200, headers={"content-length": str(len(body))}, content=body))
    path = good.download_package(tmp_path / "b.sqlite", progress=lambda done, total: progress.append((done, total)))
    assert path.read_bytes() == body and progress[-1] == (1000, 1000)
