"""The PostgreSQL primitives (:class:`relchain.storage.db.Db`) over one asyncpg connection.

Thin on purpose: PostgreSQL takes list parameters as arrays as they are, so every call is the
driver's own. (asyncpg is typed by the ``asyncpg-stubs`` package.)
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeAlias, TypeVar

import asyncpg
import asyncpg.pool

from relchain.storage.db import Row, Sql

__all__ = ["Connection", "PooledConnection", "PostgresAutocommitDb", "PostgresDb"]

log = logging.getLogger("relchain.storage.postgres")
T = TypeVar("T")

# the pooled connection was dead (terminated by an admin, the server restarted)
LOST_CONNECTION = (
    asyncpg.InterfaceError,  # ConnectionDoesNotExistError among them
    asyncpg.PostgresConnectionError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.CannotConnectNowError,
    OSError,
)

Connection: TypeAlias = (
    "asyncpg.Connection[asyncpg.Record] | asyncpg.pool.PoolConnectionProxy[asyncpg.Record]"
)
PooledConnection: TypeAlias = "asyncpg.pool.PoolConnectionProxy[asyncpg.Record]"


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


class PostgresAutocommitDb(PostgresDb):
    """:class:`relchain.storage.db.Db` over a pooled connection outside a transaction: every
    statement commits by itself (reads only: ``Store.read_one``).

    A pooled connection found dead by a statement is replaced (``fresh`` closes it and hands
    out another) and the statement run again, once per unit: without a transaction a read may
    simply be repeated (a transaction retries its ``BEGIN`` instead)."""

    conn: PooledConnection

    def __init__(
        self,
        conn: PooledConnection,
        fresh: Callable[[PooledConnection], Awaitable[PooledConnection]],
    ) -> None:
        super().__init__(conn)
        self._fresh: Callable[[PooledConnection], Awaitable[PooledConnection]] | None = fresh
        self.released = False  # the store must not release self.conn (given back already)

    async def _run(self, run: Callable[[PooledConnection], Awaitable[T]]) -> T:
        try:
            return await run(self.conn)
        except LOST_CONNECTION as exc:
            fresh, self._fresh = self._fresh, None
            if fresh is None:
                raise
            log.warning("PostgreSQL connection lost (%r); reconnecting", exc)
            self.released = True
            self.conn = await fresh(self.conn)
            self.released = False
            return await run(self.conn)

    async def fetch(self, sql: str, *params: object) -> Sequence[Row]:
        return await self._run(lambda conn: conn.fetch(sql, *params))

    async def fetchrow(self, sql: str, *params: object) -> Row | None:
        return await self._run(lambda conn: conn.fetchrow(sql, *params))

    async def fetchval(self, sql: str, *params: object) -> Any:
        return await self._run(lambda conn: conn.fetchval(sql, *params))
