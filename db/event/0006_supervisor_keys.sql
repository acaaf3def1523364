-- Each supervisor's Ed25519 signing key (station/store/supervisor_keys.py):
-- the public half in the clear (every station and the hub verify decisions
-- with it), the private half sealed with ChaCha20-Poly1305 under a key derived
-- from the supervisor's PIN by argon2id with the parameters stored beside it.
CREATE TABLE supervisor_key (
    supervisor_id TEXT PRIMARY KEY,
    public_key    BLOB NOT NULL,   -- 32 bytes
    sealed_key    BLOB NOT NULL,   -- the 32-byte seed + 16-byte tag
    salt          BLOB NOT NULL,   -- 16 random bytes
    nonce         BLOB NOT NULL,   -- 12 random bytes
    kdf           TEXT NOT NULL    -- JSON {"t": time cost, "m": KiB, "p": lanes}
);
