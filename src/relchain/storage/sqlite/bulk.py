"""SQLite's :class:`relchain.storage.bulk.BulkDb`: the store's connection, inside one
transaction; loads with ``executemany``.

Loading into an empty ``follows`` table (a new database) drops its two list indexes first and
builds them again at the end of the load, inside the same transaction: building an index from
sorted rows is many times faster than keeping it up to date row by row, and a rollback brings
the indexes back with everything else.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Sequence
from typing import Any

from relchain.storage.bulk import LOADS
from relchain.storage.bulk_sql import BulkStatements, Dialect
from relchain.storage.db import Row

__all__ = ["BULK_STATEMENTS", "SQLiteBulkDb"]

BULK_STATEMENTS = BulkStatements(
    Dialect(
        param="?",
        greatest="max",
        json_patch="json_patch({old}, {new})",
        json_text="{col}",
        collate="",
        json_cast="",
    )
)
BATCH = 5000  # rows a stream reads at once


def _insert(kind: str) -> str:
    table, cols = LOADS[kind]
    marks = ", ".join("?" for _ in cols)
    head = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks}) ON CONFLICT"
    if kind == "account":  # the file's profile values are merged into an existing account's
        return (
            f"{head} (sdkappid, user_id) DO UPDATE SET profile ="
            " json_patch(accounts.profile, excluded.profile),"
            " profile_seq = accounts.profile_seq + 1 WHERE excluded.profile <> '{}'"
        )
    return f"{head} DO NOTHING"


INSERTS = {kind: _insert(kind) for kind in LOADS}


class SQLiteBulkDb:
    sql = BULK_STATEMENTS

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._indexes: list[str] = []

    async def stream(self, sql: str, *params: object) -> AsyncIterator[Sequence[Row]]:
        cursor = self.conn.execute(sql, params)
        try:
            while rows := cursor.fetchmany(BATCH):
                yield rows
        finally:
            cursor.close()

    async def fetch(self, sql: str, *params: object) -> Sequence[Row]:
        return self.conn.execute(sql, params).fetchall()

    async def fetchval(self, sql: str, *params: object) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    async def execute(self, sql: str, *params: object) -> None:
        self.conn.execute(sql, params)

    async def begin_load(self, sdkappid: int) -> None:
        self.conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS import_members"
            " (sdkappid INTEGER, owner TEXT, friend TEXT, name TEXT)"
        )
        self.conn.execute("DELETE FROM import_members")
        if self.conn.execute("SELECT 1 FROM follows LIMIT 1").fetchone() is None:
            rows = self.conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                " AND tbl_name = 'follows' AND sql IS NOT NULL"
            ).fetchall()
            for name, text in rows:
                self.conn.execute(f'DROP INDEX "{name}"')
                self._indexes.append(text)

    async def load(self, kind: str, rows: Sequence[tuple[Any, ...]]) -> None:
        self.conn.executemany(INSERTS[kind], rows)

    async def end_load(self) -> None:
        for text in self._indexes:
            self.conn.execute(text)
        self._indexes.clear()
