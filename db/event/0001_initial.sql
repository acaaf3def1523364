-- The event package: one file per event, made by the organizer, read-mostly at the counter.

CREATE TABLE package_info (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- 'format' = 'bib-station-event' marks the file as ours.

CREATE TABLE event_settings (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    settings TEXT NOT NULL  -- EventSettings as JSON (station/core/event.py)
);

CREATE TABLE entrant (
    entry_no           TEXT PRIMARY KEY,
    bib                TEXT NOT NULL UNIQUE,
    family_kanji       TEXT NOT NULL DEFAULT '',
    given_kanji        TEXT NOT NULL DEFAULT '',
    family_kana        TEXT NOT NULL DEFAULT '',
    given_kana         TEXT NOT NULL DEFAULT '',
    family_latin       TEXT NOT NULL DEFAULT '',
    given_latin        TEXT NOT NULL DEFAULT '',
    sex                TEXT NOT NULL,
    birth_date         TEXT NOT NULL,
    nationality        TEXT NOT NULL DEFAULT '',
    category           TEXT NOT NULL,
    start_block        TEXT NOT NULL DEFAULT '',
    nickname           TEXT NOT NULL DEFAULT '',
    katakana_requested INTEGER NOT NULL DEFAULT 0,
    shirt_size         TEXT NOT NULL DEFAULT '',
    escort_of          TEXT REFERENCES entrant (entry_no) DEFERRABLE INITIALLY DEFERRED,
    disability         INTEGER NOT NULL DEFAULT 0,
    phone              TEXT NOT NULL DEFAULT '',
    email              TEXT NOT NULL DEFAULT '',
    status             TEXT NOT NULL DEFAULT 'active'
);
CREATE INDEX entrant_escort_of ON entrant (escort_of) WHERE escort_of IS NOT NULL;

-- Public keys that verify QR confirmations; several at once for key rotation.
CREATE TABLE confirmation_key (
    key_id     TEXT PRIMARY KEY,
    algorithm  TEXT NOT NULL DEFAULT 'ed25519',
    public_key BLOB NOT NULL,
    added_at   TEXT NOT NULL,
    retired_at TEXT
);

-- Confirmations no longer valid: an entry's serials up to and including this one.
CREATE TABLE revoked_confirmation (
    entry_no   TEXT NOT NULL,
    serial     INTEGER NOT NULL,
    reason     TEXT NOT NULL,
    revoked_at TEXT NOT NULL,
    PRIMARY KEY (entry_no, serial)
);

CREATE TABLE supervisor (
    supervisor_id TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    pin_hash      TEXT NOT NULL  -- argon2id; never the PIN
);

-- The organizer's own log: every roster change as a fact, the same shape as a
-- station's facts so that sync can carry them down to the counters.
CREATE TABLE roster_fact (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    fact_id      TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    station_id   TEXT NOT NULL,
    volunteer_id TEXT NOT NULL,
    wall_time    TEXT NOT NULL,
    stamp        TEXT NOT NULL,
    entry_no     TEXT,
    payload      TEXT NOT NULL
);
CREATE INDEX roster_fact_entry ON roster_fact (entry_no);

CREATE TRIGGER roster_fact_no_update BEFORE UPDATE ON roster_fact
BEGIN
    SELECT RAISE(ABORT, 'facts are append-only');
END;
CREATE TRIGGER roster_fact_no_delete BEFORE DELETE ON roster_fact
BEGIN
    SELECT RAISE(ABORT, 'facts are append-only');
END;
