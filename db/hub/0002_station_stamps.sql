-- Per-station high stamps: the back-dating check at ingest and the hub's
-- compact summary for anti-entropy (station/sync/hub_door.py).
CREATE INDEX fact_station_stamp ON fact (station_id, stamp);
