-- Which confirmation serial each entry was last issued, and with which key.
-- Only the organizer's copy needs it (to bump the serial on a reissue and
-- revoke the older one); counters verify with confirmation_key and
-- revoked_confirmation alone.
CREATE TABLE confirmation_issued (
    entry_no  TEXT PRIMARY KEY,
    serial    INTEGER NOT NULL CHECK (serial >= 1),
    key_id    TEXT NOT NULL REFERENCES confirmation_key (key_id),
    issued_at TEXT NOT NULL
);
