"""The sync wire format: what stations and hubs say to each other.

A fact travels as a JSON object with exactly the columns of a fact row
(station.store.fact_rows), the payload kept as its canonical JSON text so that
the bytes a station stored are the bytes every other station stores. A batch
is a list of such objects. Both hubs (HTTP and central SQLite) speak in these
types, so a station cannot tell which one it talks to.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from station.core.errors import StationError
from station.core.hlc import Stamp
from station.core.ids import check_station_id
from station.core.ledger import Conflict, EntryState, PickupRecord, PickupStatus
from station.core.models import Fact
from station.core.texts import Text
from station.store import fact_rows

PROTOCOL_VERSION = 1
MAX_BATCH = 500  # facts per push; a 40k-entrant day fits in a few hundred batches
MAX_FACT_ID = 64
PROVISION_SCHEME = "bibstation"
SQLITE_PREFIX = "sqlite:///"  # a hub address naming a central hub file: sqlite:////mnt/share/hub.sqlite


class ProtocolError(StationError):
    """A message that does not follow the protocol (a bug or a stranger on the network)."""


class HubUnavailable(StationError):
    """The hub cannot be reached now; the station keeps working alone and retries."""


class HubRefused(StationError):
    """The hub answered but refused (unknown or revoked station, wrong event ...);
    retrying will not help until someone fixes the cause named in the message."""


class HubRevoked(HubRefused):
    """The hub operator revoked this station (`station hub revoke-station`)."""


class CodeUsedElsewhere(HubRefused):
    """This station's provisioning code was already used by another laptop."""


class CertificateUntrusted(HubRefused):
    """The hub's TLS certificate is not the one the provisioning code pinned, nor
    signed by the CA this station trusts: maybe another machine poses as the hub."""


REFUSAL_HEADER = "X-Bib-Refusal"  # the hub's reason for a 401/403: revoked, other-laptop, unknown
LAPTOP_HEADER = "X-Laptop"


@dataclass(frozen=True, slots=True)
class PushResult:
    accepted: tuple[str, ...]  # fact ids the hub now holds durably (new or already there)
    new: int  # how many of them it did not have before


@dataclass(frozen=True, slots=True)
class PullBatch:
    facts: tuple[Fact, ...]
    cursor: int  # pass as `after` next time
    more: bool  # the hub has more after `cursor` right now
    hub_id: str
    # Items that could not even be read as facts: (fact id or '?', why, the raw text).
    # The station sets them aside in its quarantine; they never stop the pull.
    unreadable: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class EntryView:
    """The hub's view of one entry: its facts and what they add up to."""

    state: EntryState
    facts: tuple[Fact, ...]


@dataclass(frozen=True, slots=True)
class HubHealth:
    hub_id: str
    event_id: str | None
    facts: int
    package_bytes: int | None  # None: no event package published yet


@dataclass(frozen=True, slots=True)
class HubSummary:
    """What the hub holds, compactly, for anti-entropy: the highest stamp it has
    from each station; stations it issued a token to but never heard from
    (`silent`), and stations whose facts only ever reached it relayed by others
    (`unknown`: never provisioned here, or not since the hub was rebuilt)."""

    hub_id: str
    high: Mapping[str, str]
    silent: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()

    def lacks(self, fact: Fact) -> bool:
        """The hub does not hold this fact (it holds each station's facts up to its high stamp)."""
        top = self.high.get(fact.station_id)
        return top is None or fact.stamp.encode() > top


def summary_to_wire(summary: HubSummary) -> dict[str, Any]:
    return {"hub_id": summary.hub_id, "high": dict(summary.high), "silent": list(summary.silent),
            "unknown": list(summary.unknown)}


def summary_from_wire(data: Mapping[str, Any]) -> HubSummary:
    try:
        high = {str(k): str(v) for k, v in dict(data["high"]).items()}
        return HubSummary(str(data["hub_id"]), high, tuple(map(str, data.get("silent", ()))),
                          tuple(map(str, data.get("unknown", ()))))
    except (KeyError, TypeError, ValueError) as exc:
        raise ProtocolError(f"malformed hub summary: {exc}") from exc


# Said in the first-run dialog ({app}: the product's name; {command}: the hub command that prints codes).
_NOT_A_CODE = Text("これは {app} の設定用コードではありません。`{command}` で印刷されたコードを読み取ってください。",
                   "This is not a {app} provisioning code; scan the code printed by `{command}`.")
_DAMAGED_FINGERPRINT = Text(
    "コードに含まれる証明書のフィンガープリントが壊れています。もう一度コードを読み取ってください。",
    "The code's certificate fingerprint is damaged; scan the code again.")


@dataclass(frozen=True, slots=True)
class Provisioning:
    """What a new station needs to join: where the hub is, its own token and, for
    an https hub, the SHA-256 fingerprint of the hub's certificate (pinned)."""

    hub: str
    station: str
    token: str
    fingerprint: str = ""  # hex, 64 characters; empty: the system's (or the CA file's) trust

    def code(self) -> str:
        fields = {"hub": self.hub, "station": self.station, "token": self.token}
        if self.fingerprint:
            fields["fp"] = self.fingerprint
        return f"{PROVISION_SCHEME}://provision?{urllib.parse.urlencode(fields)}"

    @classmethod
    def parse(cls, code: str) -> Provisioning:
        parts = urllib.parse.urlsplit(code.strip())
        fields = dict(urllib.parse.parse_qsl(parts.query))
        if parts.scheme != PROVISION_SCHEME or not {"hub", "station", "token"} <= fields.keys():
            raise ProtocolError(_NOT_A_CODE(app="Bib Station", command="station hub add-station"))
        check_station_id(fields["station"])  # it names files on the station
        fingerprint = fields.get("fp", "").replace(":", "").lower()
        if fingerprint and (len(fingerprint) != 64 or any(c not in "0123456789abcdef" for c in fingerprint)):
            raise ProtocolError(_DAMAGED_FINGERPRINT)
        return cls(fields["hub"], fields["station"], fields["token"], fingerprint)


# -- facts --------------------------------------------------------------------


def fact_to_wire(fact: Fact) -> dict[str, Any]:
    return dict(zip(fact_rows.COLUMNS, fact_rows.to_row(fact), strict=True))


def fact_from_wire(data: Mapping[str, Any]) -> Fact:
    try:
        row = tuple(data[column] for column in fact_rows.COLUMNS)
        fact = fact_rows.from_row(row)
    except (KeyError, TypeError, ValueError) as exc:
        raise ProtocolError(f"malformed fact {str(data.get('fact_id', '?'))[:80]!r}: {exc}") from exc
    if not fact.fact_id or len(fact.fact_id) > MAX_FACT_ID:
        raise ProtocolError(f"fact id must be 1-{MAX_FACT_ID} characters")
    if fact.wall_time.tzinfo is None:
        raise ProtocolError(f"fact {fact.fact_id}: wall time has no time zone")
    if not isinstance(fact.payload, dict):
        raise ProtocolError(f"fact {fact.fact_id}: payload is not a JSON object")
    return fact


def facts_to_wire(facts: Iterable[Fact]) -> list[dict[str, Any]]:
    return [fact_to_wire(f) for f in facts]


def facts_from_wire(items: Iterable[Mapping[str, Any]]) -> tuple[Fact, ...]:
    return tuple(fact_from_wire(item) for item in items)


# -- derived state --------------------------------------------------------------


def state_to_wire(state: EntryState) -> dict[str, Any]:
    p = state.pickup
    return {
        "entry_no": state.entry_no,
        "status": state.status.value,
        "pickup": None if p is None else {
            "fact_id": p.fact_id,
            "station_id": p.station_id,
            "volunteer_id": p.volunteer_id,
            "wall_time": p.wall_time.isoformat(timespec="milliseconds"),
            "stamp": p.stamp.encode(),
        },
        "pickups": state.pickups,
        "printed_copies": state.printed_copies,
        "id_checked": state.id_checked,
        "conflict": state.conflict.value if state.conflict else None,
    }


def state_from_wire(data: Mapping[str, Any]) -> EntryState:
    try:
        p = data["pickup"]
        pickup = None if p is None else PickupRecord(
            p["fact_id"], p["station_id"], p["volunteer_id"],
            dt.datetime.fromisoformat(p["wall_time"]), Stamp.decode(p["stamp"]),
        )
        return EntryState(
            entry_no=str(data["entry_no"]),
            status=PickupStatus(data["status"]),
            pickup=pickup,
            pickups=int(data["pickups"]),
            printed_copies=int(data["printed_copies"]),
            id_checked=bool(data["id_checked"]),
            conflict=Conflict(data["conflict"]) if data["conflict"] else None,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ProtocolError(f"malformed entry state: {exc}") from exc


def state_to_json(state: EntryState) -> str:
    return json.dumps(state_to_wire(state), ensure_ascii=False, separators=(",", ":"))


def state_from_json(text: str) -> EntryState:
    return state_from_wire(json.loads(text))


def pull_to_wire(batch: PullBatch) -> dict[str, Any]:
    return {
        "facts": facts_to_wire(batch.facts) + [json.loads(raw) for _, _, raw in batch.unreadable],
        "cursor": batch.cursor,
        "more": batch.more,
        "hub_id": batch.hub_id,
    }


def pull_from_wire(data: Mapping[str, Any]) -> PullBatch:
    try:
        facts: list[Fact] = []
        unreadable: list[tuple[str, str, str]] = []
        for item in data["facts"]:
            try:
                facts.append(fact_from_wire(item))
            except ProtocolError as exc:
                fact_id = str(item.get("fact_id", "?"))[:200] if isinstance(item, Mapping) else "?"
                unreadable.append((fact_id, str(exc)[:300], json.dumps(item, default=str)[:8192]))
        return PullBatch(tuple(facts), int(data["cursor"]), bool(data["more"]), str(data["hub_id"]),
                         tuple(unreadable))
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        raise ProtocolError(f"malformed pull answer: {exc}") from exc
