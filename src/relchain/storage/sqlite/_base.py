"""What every SQLite mixin shares: the connection, and IN-list placeholders."""

from __future__ import annotations

import sqlite3

__all__ = ["SQLiteBase", "marks"]


class SQLiteBase:
    conn: sqlite3.Connection


def marks(count: int) -> str:
    """``?,?,?`` for an IN list of ``count`` values."""
    return ",".join("?" * count)
