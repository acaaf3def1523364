-- Where this station's sync with a hub stands, per hub (a new hub starts over).

CREATE TABLE sync_state (
    hub_id      TEXT PRIMARY KEY,
    pushed_seq  INTEGER NOT NULL DEFAULT 0,  -- own facts up to this local seq are on the hub
    pull_cursor INTEGER NOT NULL DEFAULT 0,  -- the hub's seq we have pulled up to
    last_sync   TEXT                         -- UTC, ISO 8601
);
