"""The number card as an identity of its own.

Once a bib (the printed number card) has left the building, its number belongs
to the entry it went out with, for good: a roster correction may later give
the number to somebody else, or give the entry another number, but the card
in the runner's hands does not change. The ledger below is derived from the
pickup facts alone (each records the bib it handed over), across all entries
of the event, so every station and the hub derive the same one.

`check_card` is the one question the rules ask: may this number be handed to
this entry now?
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class CardLedger:
    """Which numbers have left the building, and with which entry.

    `holders`: bib -> the entries it went out with, first first (more than one
    only when counters already handed the same number out twice).
    `carried`: entry -> the first number it took.
    """

    holders: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    carried: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def other_holder(self, bib: str, entry_no: str) -> str | None:
        """The entry (not `entry_no`) that already took card `bib`, if any."""
        return next((no for no in self.holders.get(bib, ()) if no != entry_no), None)

    def carried_by(self, entry_no: str) -> str | None:
        return self.carried.get(entry_no)


EMPTY_LEDGER = CardLedger()


def card_ledger(pickups: Iterable[tuple[str, str]]) -> CardLedger:
    """The ledger from (bib, entry number) pairs of pickup facts in merge order."""
    holders: dict[str, list[str]] = {}
    carried: dict[str, str] = {}
    for bib, entry_no in pickups:
        if not bib or not entry_no:
            continue
        entries = holders.setdefault(bib, [])
        if entry_no not in entries:
            entries.append(entry_no)
        carried.setdefault(entry_no, bib)
    return CardLedger(
        MappingProxyType({bib: tuple(entries) for bib, entries in holders.items()}),
        MappingProxyType(dict(carried)),
    )


@dataclass(frozen=True, slots=True)
class CardProblem:
    """Why a number may not be handed to an entry."""

    entry_no: str
    bib: str  # the number the roster gives the entry now
    holder: str | None = None  # another entry already took this number
    carried: str | None = None  # the entry already took another number


def check_card(ledger: CardLedger, entry_no: str, bib: str) -> CardProblem | None:
    """None when card `bib` may go to `entry_no` (nobody else has it, and the
    entry has not already taken a different number)."""
    holder = ledger.other_holder(bib, entry_no)
    carried = ledger.carried_by(entry_no)
    moved = carried if carried is not None and carried != bib else None
    if holder is None and moved is None:
        return None
    return CardProblem(entry_no, bib, holder, moved)
