-- The per-event secret for the keyed hash of ID document numbers (HMAC-SHA256):
-- stations keep only that hash, which catches one document shown for two entries.
-- Made with the package by the organizer and copied to every station with it.
INSERT OR IGNORE INTO package_info (key, value) VALUES ('document_secret', lower(hex(randomblob(32))));
