-- Derived: which entries an ID document (its keyed hash, never the number) was
-- shown for, so the rules catch one document used for two entries.
CREATE TABLE document_use (
    document_hash TEXT NOT NULL,
    entry_no      TEXT NOT NULL,
    PRIMARY KEY (document_hash, entry_no)
);
