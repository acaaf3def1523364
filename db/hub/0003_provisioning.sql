-- Provisioning codes are single-use: the first laptop that uses a station's
-- token is bound to it; another laptop presenting the same token is refused
-- and the attempt is kept here for the hub operator (`station hub stations`).

ALTER TABLE station ADD COLUMN laptop TEXT;     -- the laptop id bound at first use
ALTER TABLE station ADD COLUMN bound_at TEXT;

CREATE TABLE station_refusal (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    name   TEXT NOT NULL,
    laptop TEXT NOT NULL,
    at     TEXT NOT NULL,
    reason TEXT NOT NULL
);
