-- The station's own facts, hash-chained in the order this station wrote them
-- (station/core/audit.py). Facts received from other stations are not chained
-- here: each is chained in its own station's log.
CREATE TABLE fact_chain (
    seq       INTEGER PRIMARY KEY,   -- the fact's seq in this file
    fact_id   TEXT NOT NULL UNIQUE,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE TRIGGER fact_chain_no_update BEFORE UPDATE ON fact_chain
BEGIN
    SELECT RAISE(ABORT, 'the audit chain is append-only');
END;
CREATE TRIGGER fact_chain_no_delete BEFORE DELETE ON fact_chain
BEGIN
    SELECT RAISE(ABORT, 'the audit chain is append-only');
END;

-- Failed supervisor sign-ins at this station, for the lockout; station-local,
-- never synced, not facts (a PIN typo is not something that happened to a runner).
CREATE TABLE sign_in_failure (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    supervisor_id TEXT NOT NULL,
    failed_at     TEXT NOT NULL  -- UTC, ISO 8601
);
CREATE INDEX sign_in_failure_who ON sign_in_failure (supervisor_id, failed_at);

-- The supervisor dashboard (station/store/dashboard.py): pickups per hour and
-- counter without sorting, the recent pace as a range count, and each
-- station's latest fact as one probe per station.
CREATE INDEX fact_kind_time ON fact (kind, wall_time);
CREATE INDEX fact_kind_hour ON fact (kind, substr(wall_time, 1, 13), station_id);
CREATE INDEX fact_station_time ON fact (station_id, wall_time);
