"""Keeping the collection safe: backups, integrity check, single-instance lock."""
