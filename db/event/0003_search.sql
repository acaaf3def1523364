-- The roster search (station/store/search.py): keys derived from the entrant
-- table. Names are folded in Python (kana, romanisation, variant kanji), which
-- SQL cannot do, so these tables are filled by RosterSearch.rebuild() and can
-- be dropped and rebuilt at any time; they are never the truth.

CREATE TABLE search_meta (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT NOT NULL,  -- what the entrant table looked like when built
    fold        INTEGER NOT NULL  -- version of the folding rules (names.py)
);

-- One row per searchable key of an entrant.
-- part: 'f' family name, 'g' given name, 'n' whole name written without a
-- space (both orders), 'b' bib number, 'e' entry number.
CREATE TABLE search_key (
    token    TEXT NOT NULL,
    entry_no TEXT NOT NULL,
    part     TEXT NOT NULL,
    PRIMARY KEY (token, entry_no, part)
) WITHOUT ROWID;
CREATE INDEX search_key_entry ON search_key (entry_no);

-- Typo tolerance: each phonetic name key and its one-letter deletions. Two
-- keys one edit apart share a row here (symmetric deletion).
CREATE TABLE search_variant (
    variant TEXT NOT NULL,
    token   TEXT NOT NULL,
    PRIMARY KEY (variant, token)
) WITHOUT ROWID;
