"""What a station sees of a hub: one interface, two kinds of hub behind it.

`open_hub("http://hall-hub:8765", ...)` talks HTTP to `station hub serve`;
`open_hub("sqlite:///mnt/share/hub/hub.sqlite", ...)` writes the central file
on a shared folder directly. Both raise HubUnavailable when the hub cannot be
reached (retry later) and HubRefused when it answered no (fix, then retry).
"""

from __future__ import annotations

import os
import re
import ssl
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from station.core.fact_check import FactRefused, Refusal
from station.core.ledger import EntryState
from station.core.models import Fact
from station.core.texts import Text
from station.sync.claims import ClaimAnswer
from station.sync.protocol import (
    LAPTOP_HEADER,
    REFUSAL_HEADER,
    SQLITE_PREFIX,
    CertificateUntrusted,
    CodeUsedElsewhere,
    EntryView,
    HubHealth,
    HubRefused,
    HubRevoked,
    HubSummary,
    HubUnavailable,
    ProtocolError,
    PullBatch,
    PushResult,
    facts_from_wire,
    facts_to_wire,
    pull_from_wire,
    state_from_wire,
    summary_from_wire,
)
from station.sync.tls import is_certificate_failure, is_handshake_failure

if TYPE_CHECKING:
    from station.settings import Folders, Settings

Progress = Callable[[int, int | None], None]  # (bytes so far, total or None)

# What a station says of its hub, in both languages (a window shows them in its own).
# {detail} is what the network or the hub said: named in the English (log) sentence
# only; a window shows it on a details line (station/ui/error_text.py).
ADD_STATION = "station hub add-station"
_NO_TOKEN = Text(
    "ハブ {address} のトークンがありません。`{command}` のコードでこのステーションを設定してください。",
    "No token for the hub at {address}; provision this station with the code from `{command}`.")
_BAD_ADDRESS = Text(
    "ハブのアドレス「{address}」は {http} でも {sqlite} でもありません。",
    "Hub address {address!r} is neither {http} nor {sqlite}.", (("http", "http(s)://host:port"),
                                                             ("sqlite", "sqlite:///path/hub.sqlite")))
_DOWNLOAD_BROKE_OFF = Text(
    "{address} からのイベントパッケージのダウンロードが途中で切れました。もう一度お試しください。",
    "The download of the event package from {address} broke off ({detail}); try again.")
_INCOMPLETE = Text(
    "イベントパッケージが途中までしか届きませんでした（{total} バイト中 {done} バイト）。もう一度お試しください。",
    "The event package arrived incomplete ({done} of {total} bytes); try again.")
_UNTRUSTED = Text(
    "証明書を信頼できません：ハブ {address} が、このステーションの信頼しない証明書を示しました。"
    "別の機械がハブになりすましているか、ハブの証明書が新しくなった可能性があります。"
    "ハブの担当者に新しい設定コード（または主催者の CA ファイル）をもらってください。",
    "Certificate not trusted: the hub at {address} showed a certificate this station does not "
    "trust ({detail}). Another machine may be posing as the hub, or the hub got a new certificate: "
    "ask the hub operator for a new provisioning code (or the organizer's CA file).")
_UNREACHABLE = Text(
    "ハブに接続できません：{address} が応答しません。このステーションは単独で受付を続け、あとで同期します。",
    "Hub unreachable: {address} does not answer ({detail}); "
    "this station keeps working alone and catches up later.")
_NO_HANDSHAKE = Text(
    "ハブ {address} と暗号化した接続を始められませんでした。相手がハブでないか、"
    "コードの方式（{scheme}）がハブと合っていません。ハブの担当者に新しい設定コードをもらってください。",
    "No secure connection to the hub at {address} ({detail}): it is not the hub, or the code's "
    "scheme ({scheme}) is not the hub's; ask the hub operator for a new provisioning code.")
_BUSY = Text(
    "ハブ {address} が混雑しているか不調です（{status}）。あとで再試行します。",
    "The hub at {address} is busy or failing ({status} {detail}); retrying later.")
_UNREADABLE_REQUEST = Text(
    "ハブ {address} がこのステーションの要求を読めませんでした（{status}）。"
    "ハブとステーションのバージョンが合っているか確認してください。",
    "The hub at {address} could not read our request ({status}): {detail}")
_REVOKED = Text(
    "取り消し：ハブ {address} がこのステーションを取り消しました。このステーションは単独で受付を続けます。"
    "ハブの担当者に新しい設定コードをもらってください。",
    "Revoked: the hub at {address} revoked this station ({detail}); it works alone now. "
    "Ask the hub operator for a new provisioning code.")
_USED_ELSEWHERE = Text(
    "この設定コードは別のノートパソコンで使用済みです。ハブ {address} は拒否し、担当者に知らせました。"
    "このノートパソコン用の新しいコードをもらってください。",
    "This provisioning code was already used by another laptop; the hub at {address} refused it "
    "and told its operator. Ask for a new code for this laptop.")
_UNKNOWN_STATION = Text(
    "ハブ {address} はこのステーションを知らないか、トークンが取り消されています。"
    "ハブの担当者に新しい設定コードをもらってください。",
    "The hub at {address} does not know this station or its token was revoked; "
    "ask the hub operator for a new provisioning code.")
_REFUSED = Text(
    "ハブ {address} に拒否されました（{status}）。このアドレスがゼッケン受付のハブか、ハブの担当者に確認してください。",
    "The hub at {address} refused ({status}): {detail}")


class Hub(Protocol):
    station_id: str
    address: str

    def push(self, facts: Sequence[Fact]) -> PushResult: ...

    def pull(self, after: int, limit: int = 500) -> PullBatch: ...

    def ask_entry(self, entry_no: str, timeout: float) -> EntryView: ...

    def conflicts(self) -> list[EntryState]: ...

    def claim(self, entries: Sequence[str], timeout: float, bibs: Sequence[str] = ()) -> ClaimAnswer: ...

    def health(self) -> HubHealth: ...

    def download_package(self, dest: Path, progress: Progress | None = None) -> Path: ...

    def close(self) -> None: ...


def open_hub(address: str, *, station_id: str, token: str | None = None, laptop: str = "",
             verify: ssl.SSLContext | bool = True, timeout: float = 5.0) -> Hub:
    if address.startswith(SQLITE_PREFIX):
        from station.sync.sqlite_hub import SqliteHub

        return SqliteHub(Path(address.removeprefix(SQLITE_PREFIX)), station_id, token=token)
    if address.startswith(("http://", "https://")):
        if not token:
            raise HubRefused(_NO_TOKEN(address=address, command=ADD_STATION))
        return HttpHub(address, station_id, token, laptop=laptop, verify=verify, timeout=timeout)
    raise HubRefused(_BAD_ADDRESS(address=address))


def hub_from_settings(settings: Settings, folders: Folders | None = None, *, station_id: str | None = None,
                      timeout: float = 5.0) -> Hub:
    """The hub the settings name, with this laptop's id and the TLS trust the
    provisioning code (pinned fingerprint) or the organizer (CA file) set up."""
    from station.laptop import laptop_id
    from station.sync.tls import client_context

    verify: ssl.SSLContext | bool = True
    if settings.hub.startswith("https://"):
        verify = client_context(settings.hub_fingerprint, settings.hub_ca_file)
    return open_hub(settings.hub, station_id=station_id or settings.station_name,
                    token=settings.hub_token or None, laptop=laptop_id(folders), verify=verify, timeout=timeout)


class HttpHub:
    """The HTTP hub through httpx. Pass `client` to use another transport
    (e.g. FastAPI's TestClient, which calls the app in-process)."""

    def __init__(self, address: str, station_id: str, token: str, *, timeout: float = 5.0,
                 verify: ssl.SSLContext | bool = True, client: httpx.Client | None = None,
                 laptop: str = "") -> None:
        """`verify`: for an https hub whose certificate comes from the organizer's
        own CA, `ssl.create_default_context(cafile="organizer-ca.pem")`."""
        self.address = address.rstrip("/")
        self.station_id = station_id
        self._timeout = httpx.Timeout(timeout, connect=min(timeout, 2.0))
        self._client = client or httpx.Client(base_url=self.address, timeout=self._timeout, verify=verify)
        if not laptop:
            from station.laptop import laptop_id

            laptop = laptop_id()
        self._headers = {"Authorization": f"Bearer {token}", "X-Station": station_id, LAPTOP_HEADER: laptop}

    def close(self) -> None:
        self._client.close()

    def _send(self, method: str, path: str, *, timeout: float | httpx.Timeout | None = None,
              **kwargs: Any) -> httpx.Response:
        try:
            response = self._client.request(
                method, path, headers=self._headers, timeout=timeout or self._timeout, **kwargs
            )
        except httpx.TransportError as exc:
            raise _transport_error(exc, self.address) from exc
        _check(response, self.address)
        return response

    def push(self, facts: Sequence[Fact]) -> PushResult:
        answer = self._send("POST", "/v1/facts", json={"facts": facts_to_wire(facts)}).json()
        return PushResult(tuple(answer["accepted"]), int(answer["new"]))

    def relay(self, facts: Sequence[Fact]) -> PushResult:
        answer = self._send("POST", "/v1/relay", json={"facts": facts_to_wire(facts)}).json()
        return PushResult(tuple(answer["accepted"]), int(answer["new"]))

    def summary(self) -> HubSummary:
        return summary_from_wire(self._send("GET", "/v1/summary").json())

    def pull(self, after: int, limit: int = 500) -> PullBatch:
        answer = self._send("GET", "/v1/facts", params={"after": after, "limit": limit})
        return pull_from_wire(answer.json())

    def ask_entry(self, entry_no: str, timeout: float) -> EntryView:
        # httpx times each phase; splitting the budget keeps the whole question near `timeout`.
        answer = self._send("GET", f"/v1/entries/{entry_no}",
                            timeout=httpx.Timeout(timeout / 2, pool=timeout / 4)).json()
        return EntryView(state_from_wire(answer["state"]), facts_from_wire(answer["facts"]))

    def conflicts(self) -> list[EntryState]:
        return [state_from_wire(s) for s in self._send("GET", "/v1/conflicts").json()]

    def claim(self, entries: Sequence[str], timeout: float, bibs: Sequence[str] = ()) -> ClaimAnswer:
        """Claim the entries before a pickup (station/sync/claims.py)."""
        answer = self._send("POST", "/v1/claims", json={"entries": list(entries), "bibs": list(bibs)},
                            timeout=httpx.Timeout(timeout / 2, pool=timeout / 4)).json()
        return ClaimAnswer(bool(answer["granted"]), answer.get("holder"), answer.get("entry_no"),
                           facts_from_wire(answer["facts"]))

    def health(self) -> HubHealth:
        answer = self._send("GET", "/health").json()
        return HubHealth(answer["hub_id"], answer["event_id"], answer["facts"], answer["package_bytes"])

    def download_package(self, dest: Path, progress: Progress | None = None) -> Path:
        partial = dest.with_name(dest.name + ".partial")
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            with self._client.stream(
                "GET", "/v1/package", headers=self._headers,
                timeout=httpx.Timeout(30.0, connect=2.0),
            ) as response:
                _check(response, self.address)
                total = int(response.headers["content-length"]) if "content-length" in response.headers else None
                done = 0
                with partial.open("wb") as out:
                    for chunk in response.iter_bytes(256 * 1024):
                        out.write(chunk)
                        done += len(chunk)
                        if progress:
                            progress(done, total)
                    out.flush()
                    os.fsync(out.fileno())
        except httpx.TransportError as exc:
            partial.unlink(missing_ok=True)
            if is_certificate_failure(exc) or isinstance(exc, httpx.ConnectError):  # never got going
                raise _transport_error(exc, self.address) from exc
            raise HubUnavailable(_DOWNLOAD_BROKE_OFF(address=self.address, detail=type(exc).__name__),
                                 detail=type(exc).__name__) from exc
        if total is not None and done != total:
            partial.unlink(missing_ok=True)
            raise HubUnavailable(_INCOMPLETE(done=done, total=total))
        partial.replace(dest)
        return dest


def _transport_error(exc: httpx.TransportError, address: str) -> Exception:
    if is_certificate_failure(exc):
        return CertificateUntrusted(_UNTRUSTED(address=address, detail=str(exc)), detail=str(exc))
    if is_handshake_failure(exc):
        detail = str(exc) or type(exc).__name__
        # not refused: a hub restarting mid-handshake looks the same, and is retried
        return HubUnavailable(_NO_HANDSHAKE(address=address, scheme=address.split(":", 1)[0], detail=detail),
                              detail=detail)
    return HubUnavailable(_UNREACHABLE(address=address, detail=type(exc).__name__), detail=type(exc).__name__)


def _check(response: httpx.Response, address: str) -> None:
    status = response.status_code
    if status < 400:
        return
    response.read()  # a streamed answer has not been read yet
    try:
        answer = response.json()
        detail = str(answer.get("detail", ""))
        reason = answer.get("reason")
    except (ValueError, AttributeError):  # not the hub's JSON (another server): its words, on one line
        detail, reason = " ".join(re.sub(r"<[^>]*>", " ", response.text[:2000]).split())[:200], None
    if status in (403, 422) and reason is not None:
        try:
            named = Refusal(str(reason))
        except ValueError:
            named = None
        if named is not None:
            raise FactRefused(str(answer.get("fact_id", "?")), named, str(answer.get("why", detail)))
    if status == 429 or status >= 500:
        raise HubUnavailable(_BUSY(address=address, status=status, detail=detail), detail=detail)
    if status in (400, 413, 422):
        raise ProtocolError(_UNREADABLE_REQUEST(address=address, status=status, detail=detail), detail=detail)
    refusal = response.headers.get(REFUSAL_HEADER, "")
    if refusal == "revoked":
        raise HubRevoked(_REVOKED(address=address, detail=detail), detail=detail)
    if refusal == "other-laptop":
        raise CodeUsedElsewhere(_USED_ELSEWHERE(address=address), detail=detail)
    if status == 401:
        raise HubRefused(_UNKNOWN_STATION(address=address), detail=detail)
    raise HubRefused(_REFUSED(address=address, status=status, detail=detail), detail=detail)
