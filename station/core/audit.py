"""The tamper-evident audit trail: each station's own facts, hash-chained.

Every station chains the facts it writes itself, in the order it wrote them:

    hash = sha256(prev_hash + canonical JSON of the fact's fields)

starting from GENESIS. Editing a past fact changes its hash; deleting one or
moving it breaks the next link's `prev_hash`; slipping in a fact without a
link leaves it unchained. `verify_chain` walks the links and names the first
one that does not hold.

Why per station and not one chain over the merged log: the merged order of a
log changes as facts from other stations arrive late (offline counters), so a
single chain would have to be rewritten; a station's own writing order never
changes, and every station's chain travels with its facts to the hub.

What a chain cannot show on its own: someone who rewrites every fact and
recomputes every hash after it, or who cuts facts off the end. Both are caught
by comparing with another copy (the hub holds every station's facts, and
`station audit export` prints each chain's head); the chain makes quiet edits
in the middle of a log visible, which is what it is for.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from station.core.models import Fact
from station.core.texts import Language, Text

GENESIS = "0" * 64


def canonical(fact: Fact) -> bytes:
    """The fact's fields as JSON with sorted keys and no spaces: the same bytes
    on every machine for the same fact (times in UTC to the millisecond, as stored)."""
    wall = fact.wall_time.astimezone(dt.UTC).isoformat(timespec="milliseconds")
    fields = {
        "fact_id": fact.fact_id,
        "kind": fact.kind.value,
        "event_id": fact.event_id,
        "station_id": fact.station_id,
        "volunteer_id": fact.volunteer_id,
        "wall_time": wall,
        "stamp": fact.stamp.encode(),
        "entry_no": fact.entry_no,
        "payload": fact.payload,
    }
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def link_hash(prev_hash: str, fact: Fact) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical(fact)).hexdigest()


@dataclass(frozen=True, slots=True)
class Link:
    """One position in a station's own order: the fact found there (None when
    the fact row is gone) and the chain row stored for it (None when missing)."""

    position: int  # the fact's seq in the log file
    fact: Fact | None
    fact_id: str | None  # the chain row's fact id
    prev_hash: str | None
    hash: str | None


class Break(StrEnum):
    ALTERED = "altered"  # the fact's content no longer gives its stored hash
    MISSING_FACT = "missing_fact"  # the chain names a fact that is not in the log
    MISSING_LINK = "missing_link"  # a fact of this station with no chain row (slipped in)
    OUT_OF_ORDER = "out_of_order"  # a link does not follow the one before (deleted or moved)
    WRONG_FACT = "wrong_fact"  # the chain row at this position names another fact


_TEXTS: dict[Break, Text] = {k: Text.en_ja(en, ja) for k, (en, ja) in {
    Break.ALTERED: ("Fact {fact_id} was changed after it was written.",
                    "記録 {fact_id} は書き込み後に変更されています。"),
    Break.MISSING_FACT: ("Fact {fact_id} was deleted from the log.",
                         "記録 {fact_id} はログから削除されています。"),
    Break.MISSING_LINK: ("Fact {fact_id} was added to the log outside the station's chain.",
                         "記録 {fact_id} は正規の手順を経ずにログへ追加されています。"),
    Break.OUT_OF_ORDER: ("The chain breaks before fact {fact_id}: a fact before it was deleted or moved.",
                         "記録 {fact_id} の直前で連鎖が切れています（前の記録の削除または並べ替え）。"),
    Break.WRONG_FACT: ("Position {position} of the chain holds fact {fact_id}, not the one chained there.",
                       "連鎖の位置 {position} に別の記録 {fact_id} があります（並べ替え）。"),
}.items()}


@dataclass(frozen=True, slots=True)
class BrokenLink:
    station_id: str
    position: int
    fact_id: str
    problem: Break

    @property
    def text(self) -> Text:
        return _TEXTS[self.problem](fact_id=self.fact_id, position=self.position)

    # the old style: rendered strings
    @property
    def text_en(self) -> str:
        return self.text.render(Language.EN)

    @property
    def text_ja(self) -> str:
        return self.text.render(Language.JA)


@dataclass(frozen=True, slots=True)
class ChainReport:
    station_id: str
    links: int  # how many links were checked
    head: str  # the last good hash (publish it to anchor the chain)
    broken: BrokenLink | None = None
    purged: bool = False  # personal data was purged: order and presence checked, contents cannot be
    unprovable: int = 0  # facts whose content no longer gives their hash but is in purged form
    derived: tuple[str, ...] = ()  # derived tables that differ from a rebuild from the facts

    @property
    def intact(self) -> bool:
        return self.broken is None and not self.derived


def verify_chain(station_id: str, links: Iterable[Link], *, purged: bool = False,
                 purged_form: Callable[[Fact], bool] | None = None) -> ChainReport:
    """Walk the links in the station's order; stop at the first that does not hold.

    After `station purge` the payloads no longer give their hashes; the links
    still show whether a fact was deleted, slipped in or moved since. Nothing in
    the log says a fact was purged: an altered fact is let pass only when it is
    in purged form itself (`purged_form`), and is then counted as unprovable.
    (`purged=True`, the old way, lets every altered fact pass.)"""
    prev = GENESIS
    count = 0
    unprovable = 0
    for link in links:
        count += 1
        problem = _check(link, prev)
        if problem is Break.ALTERED and link.fact is not None and (
                purged or (purged_form is not None and purged_form(link.fact))):
            problem = None
            unprovable += 1
        if problem is not None:
            own = link.fact is not None and problem in (Break.MISSING_LINK, Break.WRONG_FACT)
            named = link.fact.fact_id if own and link.fact else link.fact_id
            return ChainReport(station_id, count, prev,
                               BrokenLink(station_id, link.position, named or "?", problem),
                               purged or unprovable > 0, unprovable)
        prev = link.hash or prev
    return ChainReport(station_id, count, prev, purged=purged or unprovable > 0, unprovable=unprovable)


def _check(link: Link, prev: str) -> Break | None:
    if link.hash is None:
        return Break.MISSING_LINK
    if link.fact is None:
        return Break.MISSING_FACT
    if link.fact.fact_id != link.fact_id:
        return Break.WRONG_FACT
    if link.prev_hash != prev:
        return Break.OUT_OF_ORDER
    if link_hash(prev, link.fact) != link.hash:
        return Break.ALTERED
    return None


def chain(facts: Iterable[Fact], prev_hash: str = GENESIS) -> list[tuple[Fact, str, str]]:
    """(fact, prev_hash, hash) for facts appended after `prev_hash`, in order."""
    out = []
    for fact in facts:
        h = link_hash(prev_hash, fact)
        out.append((fact, prev_hash, h))
        prev_hash = h
    return out
