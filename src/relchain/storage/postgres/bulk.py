"""PostgreSQL's :class:`relchain.storage.bulk.BulkDb`: one connection of its own (no statement
timeout: a bulk step may take minutes) inside one transaction; loads with ``COPY`` into
temporary tables that :meth:`PostgresBulkDb.end_load` merges into the app's tables."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

import asyncpg

from relchain.storage.bulk import LOADS
from relchain.storage.bulk_sql import BulkStatements, Dialect
from relchain.storage.db import Row

__all__ = ["BULK_STATEMENTS", "PostgresBulkDb"]

BULK_STATEMENTS = BulkStatements(
    Dialect(
        param="$",
        greatest="greatest",
        json_patch="{old} || {new}",
        json_text="{col}::text",
        collate=' COLLATE "C"',
        json_cast="::jsonb",
    )
)
BATCH = 5000


def _merge(kind: str) -> str:
    table, cols = LOADS[kind]
    names = ", ".join(cols)
    head = f"INSERT INTO {table} ({names}) SELECT {names} FROM stage_{table} ON CONFLICT"
    if kind == "account":
        return (
            f"{head} (sdkappid, user_id) DO UPDATE SET profile ="
            " accounts.profile || excluded.profile,"
            " profile_seq = accounts.profile_seq + 1 WHERE excluded.profile <> '{}'::jsonb"
        )
    return f"{head} DO NOTHING"


class PostgresBulkDb:
    sql = BULK_STATEMENTS

    def __init__(self, conn: asyncpg.Connection[asyncpg.Record]) -> None:
        self.conn = conn
        self._staged: list[str] = []

    async def stream(self, sql: str, *params: object) -> AsyncIterator[Sequence[Row]]:
        cursor = await self.conn.cursor(sql, *params)
        while rows := await cursor.fetch(BATCH):
            yield rows

    async def fetch(self, sql: str, *params: object) -> Sequence[Row]:
        return await self.conn.fetch(sql, *params)

    async def fetchval(self, sql: str, *params: object) -> Any:
        return await self.conn.fetchval(sql, *params)

    async def execute(self, sql: str, *params: object) -> None:
        await self.conn.execute(sql, *params)

    async def begin_load(self, sdkappid: int) -> None:
        await self.conn.execute(
            "CREATE TEMP TABLE import_members"
            " (sdkappid BIGINT, owner TEXT, friend TEXT, name TEXT) ON COMMIT DROP"
        )
        for kind, (table, _) in LOADS.items():
            if kind != "member":
                await self.conn.execute(
                    f"CREATE TEMP TABLE stage_{table} (LIKE {table} INCLUDING DEFAULTS)"
                    " ON COMMIT DROP"
                )

    async def load(self, kind: str, rows: Sequence[tuple[Any, ...]]) -> None:
        table, cols = LOADS[kind]
        target = table if kind == "member" else f"stage_{table}"
        await self.conn.copy_records_to_table(target, records=rows, columns=list(cols))
        if kind != "member" and kind not in self._staged:
            self._staged.append(kind)

    async def end_load(self) -> None:
        for kind in LOADS:  # in the order of LOADS: accounts before what names them
            if kind in self._staged:
                await self.conn.execute(_merge(kind))
                await self.conn.execute(f"TRUNCATE stage_{LOADS[kind][0]}")
        self._staged.clear()
