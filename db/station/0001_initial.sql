-- A station's own file: the append-only log of facts and tables derived from it.

CREATE TABLE station_info (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE fact (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,  -- local arrival order (the outbox cursor)
    fact_id      TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    station_id   TEXT NOT NULL,
    volunteer_id TEXT NOT NULL,
    wall_time    TEXT NOT NULL,  -- UTC, ISO 8601
    stamp        TEXT NOT NULL,  -- hybrid logical clock; string order is merge order
    entry_no     TEXT,
    payload      TEXT NOT NULL   -- JSON
);
CREATE INDEX fact_entry ON fact (entry_no, stamp);
CREATE INDEX fact_stamp ON fact (stamp, fact_id);

CREATE TRIGGER fact_no_update BEFORE UPDATE ON fact
BEGIN
    SELECT RAISE(ABORT, 'facts are append-only');
END;
CREATE TRIGGER fact_no_delete BEFORE DELETE ON fact
BEGIN
    SELECT RAISE(ABORT, 'facts are append-only');
END;

-- Derived: rebuilt from `fact` alone by `station rebuild`.
CREATE TABLE entry_state (
    entry_no         TEXT PRIMARY KEY,
    status           TEXT NOT NULL,
    pickup_fact      TEXT,
    pickup_station   TEXT,
    pickup_volunteer TEXT,
    pickup_wall_time TEXT,
    pickup_stamp     TEXT,
    pickups          INTEGER NOT NULL,
    printed_copies   INTEGER NOT NULL,
    id_checked       INTEGER NOT NULL,
    conflict         TEXT
);
CREATE INDEX entry_state_status ON entry_state (status);

CREATE TABLE open_exception (
    exception_id TEXT PRIMARY KEY,
    entry_no     TEXT,
    reason       TEXT NOT NULL,
    station_id   TEXT NOT NULL,
    opened_at    TEXT NOT NULL,
    stamp        TEXT NOT NULL
);
