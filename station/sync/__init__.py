"""Sync: every counter's append-only log meets at a hub (HTTP or central SQLite)."""
