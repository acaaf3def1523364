-- Kept when `station purge` removes an event's personal data: how many
-- entrants there were by each dimension, and nothing that names anyone.
CREATE TABLE anonymous_count (
    dimension TEXT NOT NULL,  -- 'category', 'start_block', 'sex', 'nationality', 'disability', 'status'
    value     TEXT NOT NULL,
    entrants  INTEGER NOT NULL,
    PRIMARY KEY (dimension, value)
);
