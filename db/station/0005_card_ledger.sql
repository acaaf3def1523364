-- Issue 11: the number card is an identity. Which entries a bib number left
-- the building with is read from the pickup facts by this index.
CREATE INDEX IF NOT EXISTS fact_pickup_bib ON fact (json_extract(payload, '$.bib')) WHERE kind = 'pickup';
