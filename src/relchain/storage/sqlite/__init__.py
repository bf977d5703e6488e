"""SQLite backend: the embedded default (one file, WAL, one writer)."""

from relchain.storage.sqlite.store import SQLiteStore

__all__ = ["SQLiteStore"]
