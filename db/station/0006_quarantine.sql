-- Facts refused at this station's door (station/core/fact_check.py): received
-- from the hub (pull, the pre-pickup answer) but not fit to enter the log, or
-- this station's own facts the hub refused. Set aside, never folded, reported
-- (`station audit quarantine`, the Station tab); nothing here stops a counter.
CREATE TABLE quarantine (
    fact_id     TEXT NOT NULL,
    reason      TEXT NOT NULL,   -- a fact_check.Refusal value, or 'malformed'
    detail      TEXT NOT NULL,
    origin      TEXT NOT NULL,   -- 'received' or 'refused_by_hub'
    fact        TEXT NOT NULL,   -- what arrived, as JSON text (truncated)
    received_at TEXT NOT NULL,
    PRIMARY KEY (fact_id, origin)
);
