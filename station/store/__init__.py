"""SQLite files: the event package and the station's own log."""
