"""Finding an entrant in the event package: by bib, entry number or any form of the name.

The keys live in derived tables (db/event/0003_search.sql) built from the
entrant table by `RosterSearch.rebuild()`; `RosterSearch(package)` rebuilds
them when the roster has changed since they were built.

Why not FTS5: its trigram tokenizer needs three characters, and Japanese
names are often two kanji (山田) or short romaji (Ono). Plain B-tree lookups on
folded keys give exact and prefix matches; symmetric deletion (each key and
its one-letter deletions in an indexed table) gives typo tolerance with
index lookups only. A query of several words starts from its rarest word and
joins the others in SQL, so its cost follows how common the name is, not the
roster's size.

Ranking: bib or entry number, then every word an exact name key, then
prefixes (someone still typing), then typos; inside a tier, fewer edits, then
the key and entry number, so the same query always lists the same order.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from station.core.models import Entrant
from station.core.names import (
    deletions,
    edit_distance,
    fuzzy_limit,
    has_kanji,
    kanji_key,
    name_key,
    name_prefix_key,
    phonetic_key,
    split_name,
)
from station.core.rules import same_name
from station.store.event_package import ENTRANT_COLUMNS, EventPackage, entrant_from_row
from station.store.sqlite import transaction

FOLD_VERSION = 1  # bump when names.py folds differently: the keys are rebuilt
ANCHOR_COUNT_CAP = 5000
_CODE = re.compile(r"^[a-z0-9-]*[0-9][a-z0-9-]*$")
_TOP = chr(0x10FFFF)
COUNT_CAP = 500  # "more than 500": past this the volunteer narrows anyway
# A typed date of birth: 1980-05-14, 1980/5/14, 1980.05.14 or 19800514 (NFKC first: full-width digits too).
_DATE = re.compile(r"(?<![0-9])(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|(\d{2})(\d{2}))(?![0-9])")


class MatchKind(StrEnum):
    BIB = "bib"
    ENTRY_NO = "entry_no"
    NAME = "name"  # every word is a whole name key
    NAME_PREFIX = "name_prefix"
    NAME_FUZZY = "name_fuzzy"


_TIER = {MatchKind.BIB: 0, MatchKind.ENTRY_NO: 0, MatchKind.NAME: 1,
         MatchKind.NAME_PREFIX: 2, MatchKind.NAME_FUZZY: 3}
_BY_TIER = {1: MatchKind.NAME, 2: MatchKind.NAME_PREFIX, 3: MatchKind.NAME_FUZZY}


@dataclass(frozen=True, slots=True)
class SearchResult:
    """A page of hits, how many matched in all (capped at COUNT_CAP), and the
    date of birth the volunteer typed, if any (it narrowed the names)."""

    hits: tuple[SearchHit, ...]
    total: int
    birth_date: dt.date | None = None

    @property
    def capped(self) -> bool:
        return self.total >= COUNT_CAP

    @property
    def more(self) -> bool:
        return self.total > len(self.hits)


_BLOCK = re.compile(r"(?:\bblock\s*|ブロック\s*)([A-Za-z])\b|\b([A-Za-z])\s*ブロック", re.IGNORECASE)


def split_block(text: str) -> tuple[str, str | None]:
    """The text without a typed start block ("block D", "ブロックD", "Dブロック"), and that block."""
    folded = unicodedata.normalize("NFKC", text)
    m = _BLOCK.search(folded)
    if m is None:
        return text, None
    return (folded[:m.start()] + " " + folded[m.end():]).strip(), (m[1] or m[2]).upper()


def split_birth_date(text: str) -> tuple[str, dt.date | None]:
    """The text without a typed date of birth, and that date (None when none or invalid)."""
    folded = unicodedata.normalize("NFKC", text)
    for m in _DATE.finditer(folded):
        year, month, day = (int(m[1]), int(m[2] or m[4]), int(m[3] or m[5]))
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue
        if 1900 <= year <= 2100:
            return (folded[:m.start()] + " " + folded[m.end():]).strip(), date
    return text, None


@dataclass(frozen=True, slots=True)
class SearchHit:
    entrant: Entrant
    match: MatchKind
    edits: int = 0  # letters changed for a fuzzy match


class _Found(NamedTuple):
    """How one entrant matched; a tuple so that comparing two is ranking them
    (tier, then edits, then the key) and making thousands per query is cheap."""

    tier: int
    edits: int
    token: str
    match: MatchKind


def _found(match: MatchKind, edits: int, token: str) -> _Found:
    return _Found(_TIER[match], edits, token, match)


class RosterSearch:
    def __init__(self, package: EventPackage, *, refresh: bool = True) -> None:
        self.package = package
        self.conn = package.conn
        if refresh and not self.is_fresh():
            self.rebuild()

    # -- building -------------------------------------------------------------

    def fingerprint(self) -> str:
        """Cheap to compute at start-up. Every change through the importer adds a
        roster fact; counts and lengths catch rows written some other way."""
        columns = " + ".join(f"length({c})" for c in ENTRANT_COLUMNS)
        count, size, cancelled = self.conn.execute(
            f"SELECT count(*), total({columns}), total(status = 'cancelled') FROM entrant"
        ).fetchone()
        last_fact = self.conn.execute("SELECT max(seq) FROM roster_fact").fetchone()[0]
        return f"{count}:{int(size)}:{int(cancelled)}:{last_fact or 0}"

    def is_fresh(self) -> bool:
        row = self.conn.execute("SELECT fingerprint, fold FROM search_meta WHERE id = 1").fetchone()
        return row is not None and tuple(row) == (self.fingerprint(), FOLD_VERSION)

    def rebuild(self) -> int:
        """Refill the search tables from the entrant table; returns the entrants indexed."""
        keys: set[tuple[str, str, str]] = set()
        count = 0
        for row in self.conn.execute(f"SELECT {', '.join(_NAME_COLUMNS)} FROM entrant"):
            keys.update(_keys(*row))
            count += 1
        # Phonetic keys are ASCII, kanji keys are not: typos are only looked for in the former.
        names = {token for token, _, part in keys if part in "fg" and token.isascii()}
        variants = [
            (variant, token) for token in names if fuzzy_limit(token) for variant in deletions(token)
        ]
        # A cache big enough for the new B-trees keeps SQLite from spilling
        # half-built pages to the file (and the journal) mid-transaction.
        cache = self.conn.execute("PRAGMA cache_size").fetchone()[0]
        self.conn.execute("PRAGMA cache_size = -131072")
        try:
            self._write(keys, variants)
        finally:
            self.conn.execute(f"PRAGMA cache_size = {int(cache)}")
        return count

    def _write(self, keys: set[tuple[str, str, str]], variants: list[tuple[str, str]]) -> None:
        with transaction(self.conn, self.package.path):
            self.conn.execute("DELETE FROM search_key")
            self.conn.execute("DELETE FROM search_variant")
            self.conn.executemany("INSERT INTO search_key VALUES (?, ?, ?)", keys)
            self.conn.executemany("INSERT INTO search_variant VALUES (?, ?)", variants)
            self.conn.execute(
                "INSERT OR REPLACE INTO search_meta (id, fingerprint, fold) VALUES (1, ?, ?)",
                (self.fingerprint(), FOLD_VERSION),
            )

    # -- searching -----------------------------------------------------------------

    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        """Entrants matching what the volunteer typed, best first, at most `limit`."""
        found: dict[str, _Found] = dict(self._by_number(text))
        words = [(name_key(w), name_prefix_key(w)) for w in split_name(text)]
        words = [(k, p) for k, p in words if k]
        if words:
            for entry_no, hit in self._by_name(words, limit).items():
                if entry_no not in found or hit < found[entry_no]:
                    found[entry_no] = hit
        best = sorted(found.items(), key=lambda item: (item[1][:3], item[0]))[:limit]
        entrants = self._entrants([no for no, _ in best])
        return [SearchHit(entrants[no], hit.match, hit.edits) for no, hit in best if no in entrants]

    def find(self, text: str, limit: int = 20) -> SearchResult:
        """Like `search`, and also says how many matched in all; a date of birth
        typed with the name (1980-05-14 or 19800514) narrows to that date, and a
        date alone lists everyone born that day; "block D" (ブロックD) with a name
        narrows to that start block."""
        text, block = split_block(text)
        rest, born = split_birth_date(text)
        if block is not None and rest.strip() and born is None:  # a name in one start block
            found = [h for h in self.search(rest, limit=COUNT_CAP)
                     if h.entrant.start_block.strip().upper()[:1] == block]
            return SearchResult(tuple(found[:limit]), len(found))
        if born is None:
            found = self.search(text, limit=COUNT_CAP)
            return SearchResult(tuple(found[:limit]), len(found))
        by_date = {no for (no,) in self.conn.execute(
            "SELECT entry_no FROM entrant WHERE birth_date = ?", (born.isoformat(),))}
        if rest.strip():
            found = [h for h in self.search(rest, limit=COUNT_CAP) if h.entrant.entry_no in by_date
                     and (block is None or h.entrant.start_block.strip().upper()[:1] == block)]
        else:
            numbers = {no: hit for no, hit in self._by_number(text)}  # an 8-digit entry number stays findable
            entrants = self._entrants(sorted(by_date | set(numbers)))
            found = [SearchHit(entrants[no], numbers[no].match if no in numbers else MatchKind.NAME)
                     for no in sorted(entrants, key=lambda no: (no not in numbers, no))]
        return SearchResult(tuple(found[:limit]), len(found), born)

    def _by_number(self, text: str) -> Iterator[tuple[str, _Found]]:
        code = "".join(unicodedata.normalize("NFKC", text).split()).casefold()
        if not _CODE.match(code):
            return
        tokens = {code, code.lstrip("0") or "0"}
        marks = ", ".join("?" * len(tokens))
        rows = self.conn.execute(
            f"SELECT entry_no, part FROM search_key WHERE token IN ({marks}) AND part IN ('b', 'e')",
            tuple(tokens),
        )
        for entry_no, part in rows:
            yield entry_no, _found(MatchKind.BIB if part == "b" else MatchKind.ENTRY_NO, 0, code)

    def _by_name(self, words: list[tuple[str, str]], limit: int) -> dict[str, _Found]:
        """Stage by stage (exact, prefix, typo) on the rarest word; the other
        words are joined in SQL against each candidate's own keys (exact,
        prefix of any length, or one typo), so "yamada t" finds Yamada Taro
        and Python only sees the entrants every word matched. A later stage
        can only add worse hits, so once `limit` hits beat everything it
        could add, it is skipped."""
        anchor = self._anchor_word(words)
        key, prefix = words[anchor]
        others = [word for i, word in enumerate(words) if i != anchor]
        joins = [self._join(i, *word) for i, word in enumerate(others)]
        result: dict[str, _Found] = {}
        seen: set[str] = set()
        for stage in (MatchKind.NAME, MatchKind.NAME_PREFIX, MatchKind.NAME_FUZZY):
            condition = self._anchor(stage, key, prefix)
            if condition is None:
                continue
            where, params, edits = condition
            added = 0
            for entry_no, hit in self._stage(stage, where, params, edits, joins):
                if entry_no not in seen:
                    seen.add(entry_no)
                    result[entry_no] = hit
                    added += 1
                    if not joins and added == limit:
                        break  # alone, a word needs only the first page: rows come best first
            if stage is not MatchKind.NAME_FUZZY:
                following = _TIER[stage] + 1
                if sum(1 for hit in result.values() if hit.tier < following) >= limit:
                    break
        return result

    def _anchor_word(self, words: list[tuple[str, str]]) -> int:
        """The word with the fewest keys starting like it: driving the search
        from "mitsuru" rather than "sato" visits a hundred rows, not thousands.
        Counting an index range is cheap; the count stops at a cap."""
        if len(words) == 1:
            return 0

        def cost(i: int) -> tuple[int, int]:
            key, prefix = words[i]
            if len(prefix) < (1 if has_kanji(prefix) else 2):
                return (ANCHOR_COUNT_CAP + 1, -len(key))
            (count,) = self.conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM search_key WHERE token >= ? AND token < ?"
                " LIMIT ?)", (prefix, prefix + _TOP, ANCHOR_COUNT_CAP)).fetchone()
            return (count, -len(key))

        return min(range(len(words)), key=cost)

    def _anchor(
        self, stage: MatchKind, key: str, prefix: str
    ) -> tuple[str, list[str], dict[str, int]] | None:
        """The SQL condition on the anchor word's key `a.token` for one stage."""
        if stage is MatchKind.NAME:
            return "a.token = ?", [key], {}
        if stage is MatchKind.NAME_PREFIX:
            if len(prefix) < (1 if has_kanji(prefix) else 2):
                return None
            return "a.token >= ? AND a.token < ? AND a.token != ?", [prefix, prefix + _TOP, key], {}
        if has_kanji(key) or not fuzzy_limit(key):
            return None
        near = self._near_tokens(key, fuzzy_limit(key))
        if not near:
            return None
        return f"a.token IN ({', '.join('?' * len(near))})", list(near), near

    def _join(self, i: int, key: str, prefix: str) -> tuple[str, list[str], str, list[str]]:
        """(JOIN clause, its parameters, a column grading the match 0 exact,
        1 prefix, 2 one typo, its parameters) for one more word. CROSS JOIN
        keeps the anchor (the rarest word) as the outer loop: SQLite has no
        per-key statistics and would otherwise often start from "sato"."""
        near = {} if has_kanji(key) else self._near_tokens(key, fuzzy_limit(key))
        b = f"b{i}"
        typo = f" OR {b}.token IN ({', '.join('?' * len(near))})" if near else ""
        clause = (
            f" CROSS JOIN search_key {b} ON {b}.entry_no = a.entry_no AND {b}.part IN ('f', 'g')"
            f" AND ({b}.token >= ? AND {b}.token < ?{typo})"
        )
        grade = f"min(CASE WHEN {b}.token = ? THEN 0 WHEN {b}.token >= ? AND {b}.token < ? THEN 1 ELSE 2 END)"
        return clause, [prefix, prefix + _TOP, *near], grade, [key, prefix, prefix + _TOP]

    def _stage(
        self,
        stage: MatchKind,
        where: str,
        params: list[str],
        edits: dict[str, int],
        joins: list[tuple[str, list[str], str, list[str]]],
    ) -> Iterator[tuple[str, _Found]]:
        """One stage's matches, best first (key, then entry number).

        A single word reads the key index in its own order and the caller
        stops after the first page, so "sato" with a thousand holders reads
        a few dozen rows. With more words, one row per entrant that every
        word matched (GROUP BY in SQL), each word graded."""
        tier = _TIER[stage]
        if not joins:
            rows = self.conn.execute(
                f"SELECT a.entry_no, a.token FROM search_key a WHERE {where}"
                " AND a.part IN ('f', 'g', 'n') ORDER BY a.token, a.entry_no", params)
            for entry_no, token in rows:
                yield entry_no, _Found(tier, edits.get(token, 0), token, stage)
            return
        grades = "".join(f", {grade}" for _, _, grade, _ in joins)
        sql = (
            f"SELECT a.entry_no, min(a.token) AS first{grades} FROM search_key a"
            + "".join(clause for clause, _, _, _ in joins)
            + f" WHERE {where} AND a.part IN ('f', 'g')"
            # +: group in a temporary tree and keep reading a by its key index
            " GROUP BY +a.entry_no ORDER BY first, a.entry_no"
        )
        args = [arg for _, _, _, grade_args in joins for arg in grade_args]
        args += [arg for _, join_args, _, _ in joins for arg in join_args] + params
        for entry_no, token, *word_grades in self.conn.execute(sql, args):
            worst = max((tier, *(_TIER[MatchKind.NAME] + g for g in word_grades)))
            typos = edits.get(token, 0) + sum(1 for g in word_grades if g == 2)
            yield entry_no, _Found(worst, typos, token, _BY_TIER[worst])

    def _near_tokens(self, key: str, limit: int) -> dict[str, int]:
        if not limit:
            return {}
        variants = sorted(deletions(key))
        marks = ", ".join("?" * len(variants))
        rows = self.conn.execute(
            f"SELECT DISTINCT token FROM search_variant WHERE variant IN ({marks})", variants
        )
        near = {}
        for (token,) in rows:
            if token != key:
                edits = edit_distance(key, token, limit)
                if edits <= limit:
                    near[token] = edits
        return near

    def _entrants(self, entries: list[str]) -> dict[str, Entrant]:
        if not entries:
            return {}
        marks = ", ".join("?" * len(entries))
        rows = self.conn.execute(
            f"SELECT {', '.join(ENTRANT_COLUMNS)} FROM entrant WHERE entry_no IN ({marks})", entries
        )
        return {e.entry_no: e for e in map(entrant_from_row, rows)}

    # -- the same person in another role ------------------------------------------

    def own_runner_entry(self, escort: Entrant) -> Entrant | None:
        """The runner entry of the person who is this escort, if they also run
        (same date of birth and name; the roster links escort entries only to
        the runner they guide)."""
        if not escort.is_escort:
            return None
        rows = self.conn.execute(
            f"SELECT {', '.join(ENTRANT_COLUMNS)} FROM entrant"
            " WHERE escort_of IS NULL AND birth_date = ? AND entry_no != ?",
            (escort.birth_date.isoformat(), escort.entry_no),
        )
        same = [e for e in map(entrant_from_row, rows) if same_name(e, escort)]
        return same[0] if len(same) == 1 else None


_NAME_COLUMNS = ("entry_no", "bib", "family_kanji", "given_kanji", "family_kana", "given_kana",
                 "family_latin", "given_latin")


def entrant_keys(e: Entrant) -> set[tuple[str, str, str]]:
    """(token, entry_no, part) rows for one entrant."""
    return _keys(*(getattr(e, column) for column in _NAME_COLUMNS))


def _keys(no: str, bib: str, family_kanji: str, given_kanji: str, family_kana: str,
          given_kana: str, family_latin: str, given_latin: str) -> set[tuple[str, str, str]]:
    keys = {(code, no, part) for code, part in _codes(bib, no)}
    wholes = (
        (kanji_key(family_kanji), kanji_key(given_kanji)),
        (phonetic_key(family_kana), phonetic_key(given_kana)),
        (phonetic_key(family_latin), phonetic_key(given_latin)),
    )
    for family, given in wholes:
        if family:
            keys.add((family, no, "f"))
        if given:
            keys.add((given, no, "g"))
        # A whole name typed without a space is family first (山田太郎,
        # やまだたろう); given-first is typed with a space and found word by word.
        if family and given:
            keys.add((family + given, no, "n"))
    return keys


def _codes(bib: str, entry_no: str) -> Iterator[tuple[str, str]]:
    for code, part in ((bib, "b"), (entry_no, "e")):
        folded = unicodedata.normalize("NFKC", code).casefold()
        yield folded, part
        if folded.isdigit() and folded.lstrip("0") != folded:
            yield folded.lstrip("0") or "0", part


