-- The hub's own file: every station's facts in the order the hub received them.

CREATE TABLE hub_info (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- 'hub_id': a random id, so a station notices when it meets a different hub
-- 'event_id': the one event this hub carries
-- 'roster_seq': how far the organizer's roster facts have been taken in

CREATE TABLE fact (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,  -- the pull cursor; never reused
    fact_id      TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    station_id   TEXT NOT NULL,
    volunteer_id TEXT NOT NULL,
    wall_time    TEXT NOT NULL,
    stamp        TEXT NOT NULL,
    entry_no     TEXT,
    payload      TEXT NOT NULL,
    received_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX fact_entry ON fact (entry_no, stamp);

CREATE TRIGGER fact_no_update BEFORE UPDATE ON fact
BEGIN
    SELECT RAISE(ABORT, 'facts are append-only');
END;
CREATE TRIGGER fact_no_delete BEFORE DELETE ON fact
BEGIN
    SELECT RAISE(ABORT, 'facts are append-only');
END;

-- Derived from `fact` by the same fold every station uses.
CREATE TABLE entry_state (
    entry_no TEXT PRIMARY KEY,
    status   TEXT NOT NULL,
    conflict TEXT,
    state    TEXT NOT NULL  -- the whole EntryState as JSON (station/sync/protocol.py)
);
CREATE INDEX entry_state_conflict ON entry_state (conflict) WHERE conflict IS NOT NULL;

-- Stations allowed to sync; only a hash of each token is kept.
CREATE TABLE station (
    name       TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL,
    issued_at  TEXT NOT NULL,
    revoked_at TEXT
);
