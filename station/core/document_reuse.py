"""One ID document shown for two entries, found after sync.

A counter that sees the same document (its keyed hash) already recorded for
another entry refuses at once. Two counters that were apart (offline) cannot:
each records its ID check, and the reuse shows only once their logs meet.
Like a double pickup, it is then derived from the facts alone, so every
station and the hub find the same reuses, and it goes to the supervisors.

One person may legitimately show one document for two entries: their runner
entry and their escort entry (same name and date of birth, one of each kind).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from station.core.models import Entrant


@dataclass(frozen=True, slots=True)
class DocumentReuse:
    document_key: str  # the start of the keyed hash, enough to tell reuses apart (never the number)
    entries: tuple[str, ...]


def _same_name(a: Entrant, b: Entrant) -> bool:
    def fold(text: str) -> str:
        return "".join(text.split()).casefold()

    pairs = ((a.family_kanji + a.given_kanji, b.family_kanji + b.given_kanji),
             (a.family_latin + a.given_latin, b.family_latin + b.given_latin),
             (a.family_kana + a.given_kana, b.family_kana + b.given_kana))
    return any(fold(x) and fold(x) == fold(y) for x, y in pairs)


def one_person_two_roles(a: Entrant, b: Entrant) -> bool:
    """A runner entry and an escort entry of the same person."""
    return a.is_escort != b.is_escort and a.birth_date == b.birth_date and _same_name(a, b)


def find_reuse(uses: Iterable[tuple[str, str]], entrant: Callable[[str], Entrant | None]) -> list[DocumentReuse]:
    """Reuses among (document hash, entry number) pairs, in document order."""
    by_document: dict[str, set[str]] = {}
    for document_hash, entry_no in uses:
        if document_hash and entry_no:
            by_document.setdefault(document_hash, set()).add(entry_no)
    found = []
    for document_hash in sorted(by_document):
        entries = sorted(by_document[document_hash])
        if len(entries) < 2:
            continue
        people = [entrant(no) for no in entries]
        if len(entries) == 2 and all(p is not None for p in people):
            a, b = people
            assert a is not None and b is not None
            if one_person_two_roles(a, b):
                continue
        found.append(DocumentReuse(document_hash[:12], tuple(entries)))
    return found
