"""The PostgreSQL primitives (:class:`relchain.storage.db.Db`) over one asyncpg connection.

Thin on purpose: PostgreSQL takes list parameters as arrays as they are, so every call is the
driver's own. (asyncpg is typed by the ``asyncpg-stubs`` package.)
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeAlias

import asyncpg
import asyncpg.pool

from relchain.storage.db import Row, Sql

__all__ = ["Connection", "PostgresDb"]

Connection: TypeAlias = (
    "asyncpg.Connection[asyncpg.Record] | asyncpg.pool.PoolConnectionProxy[asyncpg.Record]"
)


class PostgresDb:
    """:class:`relchain.storage.db.Db` over a pooled connection inside a transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    async def fetch(self, sql: str, *params: object) -> Sequence[Row]:
        return await self.conn.fetch(sql, *params)

    async def fetchrow(self, sql: str, *params: object) -> Row | None:
        return await self.conn.fetchrow(sql, *params)

    async def fetchval(self, sql: str, *params: object) -> Any:
        return await self.conn.fetchval(sql, *params)

    async def execute(self, sql: Sql, *params: object) -> None:
        for statement in (sql,) if isinstance(sql, str) else sql:
            await self.conn.execute(statement, *params)

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        async with self.conn.transaction():  # nested: a savepoint
            yield
