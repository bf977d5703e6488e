"""The PostgreSQL primitives (:class:`relchain.storage.db.Db`) over one asyncpg connection.

Thin on purpose: PostgreSQL takes list parameters as arrays as they are, so every call is the
driver's own. (asyncpg is typed by the ``asyncpg-stubs`` package.) In a transaction
(:class:`PostgresTxDb`) statements run for their effect wait for the next statement, and the
last ones go with ``COMMIT`` in one message (:mod:`.inline`).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeAlias, TypeVar

import asyncpg
import asyncpg.pool

from relchain.storage.db import Row, Sql
from relchain.storage.postgres.inline import inline

__all__ = ["Connection", "PooledConnection", "PostgresAutocommitDb", "PostgresDb", "PostgresTxDb"]

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


class PostgresTxDb(PostgresDb):
    """:class:`PostgresDb` in a transaction this class begins and ends itself (``BEGIN`` by
    the store, :meth:`commit`, :meth:`rollback`; not asyncpg's ``Transaction``, which could not
    be committed by a message of ours), with its statements for effect held back.

    :meth:`execute` only queues its statements: the next other statement (or savepoint) first
    runs them, one by one as usual, and :meth:`commit` sends those still queued, their values
    written in, with ``COMMIT`` in one message: a write's last statements (the change, its
    events) and its commit are one round trip. What that changes: an error of such a statement
    is raised by the next statement or by the commit, still inside the unit of work (which it
    aborts as before); nothing reads their effect before they ran."""

    def __init__(self, conn: Connection) -> None:
        super().__init__(conn)
        self._queued: list[tuple[str, tuple[object, ...]]] = []
        self._savepoints = 0

    async def _run_queued(self) -> None:
        queued, self._queued = self._queued, []
        for statement, params in queued:
            await self.conn.execute(statement, *params)

    async def fetch(self, sql: str, *params: object) -> Sequence[Row]:
        if self._queued:
            await self._run_queued()
        return await self.conn.fetch(sql, *params)

    async def fetchrow(self, sql: str, *params: object) -> Row | None:
        if self._queued:
            await self._run_queued()
        return await self.conn.fetchrow(sql, *params)

    async def fetchval(self, sql: str, *params: object) -> Any:
        if self._queued:
            await self._run_queued()
        return await self.conn.fetchval(sql, *params)

    async def execute(self, sql: Sql, *params: object) -> None:
        for statement in (sql,) if isinstance(sql, str) else sql:
            self._queued.append((statement, params))

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        await self._run_queued()
        self._savepoints += 1
        name = f"relchain_{self._savepoints}"
        await self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield
            await self._run_queued()
        except BaseException:
            self._queued = []  # queued in the block: rolled back with it, never sent
            await self.conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
            await self.conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        await self.conn.execute(f"RELEASE SAVEPOINT {name}")

    async def commit(self) -> None:
        """Run what is queued and commit, in one message when every value has a literal."""
        texts = [inline(statement, params) for statement, params in self._queued]
        if all(text is not None for text in texts):
            self._queued = []
            await self.conn.execute(";\n".join([*(t for t in texts if t), "COMMIT"]))
            return
        await self._run_queued()
        await self.conn.execute("COMMIT")

    async def rollback(self) -> None:
        self._queued = []
        await self.conn.execute("ROLLBACK")


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
