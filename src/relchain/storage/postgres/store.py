"""The PostgreSQL store: an asyncpg pool shared by the requests of one server process.

Transactions:

- :meth:`PostgresStore.read` is ``REPEATABLE READ READ ONLY``: every query of one read sees one
  snapshot (a count and its list agree).
- :meth:`PostgresStore.write` is ``READ COMMITTED``. Correctness under concurrency comes from row
  locks taken in a fixed order and from conditional single-statement updates
  (``UPDATE ... WHERE count < cap RETURNING``), which PostgreSQL re-checks on the newest row
  version after a lock wait; so writes never fail with serialization errors, and deadlocks are
  avoided by ordering. :meth:`PostgresStore.run_write` additionally re-runs a whole unit of work
  on a serialization failure or deadlock, for code that needs it. A write's last statements
  for effect (its change, its events) go with ``COMMIT`` in one message
  (:class:`.db.PostgresTxDb`): one round trip for them all.
- :meth:`PostgresStore.read_one` runs no transaction: each statement is its own snapshot and
  one round trip (for reads of one statement: three round trips become one).
- A pooled connection that fails at ``BEGIN`` (the server restarted, or an admin terminated it)
  is closed and the ``BEGIN`` retried once on a fresh one: nothing had run on it yet. Outside a
  transaction, the failed read statement itself is run again on a fresh one.

Every wait is bounded (``connect_timeout``, ``acquire_timeout``, ``command_timeout``), so with the
database gone a request fails within seconds with the service's internal error code, and the pool
reconnects by itself once the database is back.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from dataclasses import dataclass, fields, replace
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import asyncpg

from relchain.config import redact_url
from relchain.storage._base import ConcurrentChange
from relchain.storage.bulk import BulkTx
from relchain.storage.migrations import migrations_for
from relchain.storage.postgres.bulk import PostgresBulkDb
from relchain.storage.postgres.db import PooledConnection, PostgresAutocommitDb, PostgresTxDb
from relchain.storage.postgres.migrate import schema_version, upgrade
from relchain.storage.postgres.signal import PostgresSignal
from relchain.storage.postgres.statements import PostgresStatements
from relchain.storage.tx import StoreTx

__all__ = ["PoolSettings", "PostgresStore", "is_retryable_conflict"]

log = logging.getLogger("relchain.storage.postgres")
T = TypeVar("T")

CONFLICT_STATES = {"40001", "40P01"}  # serialization_failure, deadlock_detected
READ_BEGIN = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
WRITE_BEGIN = "BEGIN ISOLATION LEVEL READ COMMITTED"
STATEMENTS = PostgresStatements()
BULK_TABLES = (  # locked by bulk writes, in one order
    "accounts",
    "follows",
    "follow_mutuals",
    "follow_counts",
    "sns_users",
    "sns_positions",
    "friends",
    "blocklist",
    "friend_lists",
    "friend_list_members",
    "friend_requests",
)


@dataclass(frozen=True, slots=True)
class PoolSettings:
    """Pool and timeout settings, read from the URL query (``?pool_max=20&command_timeout=3``)."""

    pool_min: int = 1
    pool_max: int = 10
    connect_timeout: float = 3.0  # seconds to open one connection
    acquire_timeout: float = 5.0  # seconds to wait for a free pooled connection
    command_timeout: float = 5.0  # seconds one statement may run
    statement_cache_size: int = 100  # 0 behind a transaction-mode pooler without prepared stmts
    write_retries: int = 3  # re-runs of run_write() on serialization failure / deadlock

    @classmethod
    def from_url(cls, url: str) -> tuple[str, PoolSettings]:
        """Split ``url`` into the DSN for asyncpg (our parameters removed) and the settings."""
        from relchain.storage import StorageError

        parts = urlsplit(url)
        known = {f.name: f for f in fields(cls)}
        kept: list[tuple[str, str]] = []
        changes: dict[str, Any] = {}
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            if name not in known:
                kept.append((name, value))
                continue
            kind = int if isinstance(getattr(cls(), name), int) else float
            try:
                number = kind(value)
            except ValueError:
                raise StorageError(
                    f"database URL: {name} must be a {kind.__name__}, got {value!r}"
                ) from None
            if number < 0 or (name == "pool_max" and number < 1):
                raise StorageError(f"database URL: {name} out of range: {value!r}")
            changes[name] = number
        settings = replace(cls(), **changes)
        if settings.pool_min > settings.pool_max:
            raise StorageError("database URL: pool_min must not exceed pool_max")
        scheme = "postgresql" if parts.scheme == "postgres" else parts.scheme
        dsn = urlunsplit((scheme, parts.netloc, parts.path, urlencode(kept), parts.fragment))
        return dsn, settings


def is_retryable_conflict(exc: BaseException) -> bool:
    return getattr(exc, "sqlstate", None) in CONFLICT_STATES


async def _reset(conn: asyncpg.Connection[asyncpg.Record]) -> None:
    """Cheap reset on release: relchain sets no session state, so only end a left-open tx."""
    if conn.is_in_transaction():
        await conn.execute("ROLLBACK")


class PostgresStore:
    url_scheme = "postgresql"

    def __init__(
        self, pool: asyncpg.Pool[asyncpg.Record], dsn: str, settings: PoolSettings
    ) -> None:
        self._pool = pool
        self._dsn = dsn
        self.settings = settings
        self._event_observers: list[Callable[[dict[int, int]], None]] = []

    @classmethod
    async def open(cls, url: str, *, migrate: bool = True) -> PostgresStore:
        """Connect the pool (and apply missing migrations unless ``migrate=False``)."""
        from relchain.storage import StorageError

        dsn, settings = PoolSettings.from_url(url)
        try:
            pool = await asyncpg.create_pool(
                dsn,
                min_size=settings.pool_min,
                max_size=settings.pool_max,
                timeout=settings.connect_timeout,
                command_timeout=settings.command_timeout,
                statement_cache_size=settings.statement_cache_size,
                server_settings={"application_name": "relchain"},
                reset=_reset,
            )
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            raise StorageError(f"cannot open PostgreSQL at {redact_url(url)}: {exc}") from exc
        store = cls(pool, dsn, settings)
        if migrate:
            try:
                await store.upgrade()
            except BaseException:
                await store.close()
                raise
        return store

    @asynccontextmanager
    async def _admin_connection(self) -> AsyncIterator[asyncpg.Connection[asyncpg.Record]]:
        """A connection outside the pool without a statement timeout (migrations may be slow)."""
        conn = await asyncpg.connect(
            self._dsn, timeout=self.settings.connect_timeout, statement_cache_size=0
        )
        try:
            yield conn
        finally:
            await conn.close()

    async def upgrade(self) -> list[int]:
        """Apply the migrations this database lacks; returns the versions applied."""
        async with self._admin_connection() as conn:
            return await upgrade(conn)

    async def pending_migrations(self) -> list[int]:
        async with self._pool.acquire(timeout=self.settings.acquire_timeout) as conn:
            version = await schema_version(conn)
        return [m.version for m in migrations_for("postgres") if m.version > version]

    def pool_usage(self) -> tuple[int, int]:
        size = int(self._pool.get_size())
        return size, size - int(self._pool.get_idle_size())

    def observe_commits(self, observer: Callable[[int], None]) -> None:
        """Every write is its own transaction here (no group commit): nothing to observe."""

    def observe_events(self, observer: Callable[[dict[int, int]], None]) -> None:
        self._event_observers.append(observer)

    def event_signal(self) -> PostgresSignal:
        """LISTEN/NOTIFY on a connection of its own (see :mod:`.signal`)."""
        return PostgresSignal(self._dsn, self.settings.connect_timeout)

    async def schema_version(self) -> int:
        async with self._admin_connection() as conn:
            return await schema_version(conn)

    @asynccontextmanager
    async def _transaction(self, *, readonly: bool) -> AsyncIterator[StoreTx]:
        begin = READ_BEGIN if readonly else WRITE_BEGIN
        for attempt in range(2):
            conn = await self._pool.acquire(timeout=self.settings.acquire_timeout)
            try:
                await conn.execute(begin)
                break
            except Exception as exc:  # nothing ran yet: drop this connection, retry once
                with suppress(asyncpg.InterfaceError):  # closed: the pool took it back already
                    conn.terminate()
                await self._pool.release(conn)
                if attempt == 0:
                    log.warning("PostgreSQL connection failed at BEGIN (%r); reconnecting", exc)
                    continue
                raise
            except BaseException:
                await self._pool.release(conn)
                raise
        db = PostgresTxDb(conn)
        tx = StoreTx(db, STATEMENTS)
        try:
            try:
                yield tx
                await db.commit()
            except BaseException:
                await self._abandon(db)
                raise
        finally:
            await self._pool.release(conn, timeout=self.settings.command_timeout)
        appended = tx.take_appended()
        if appended:
            for observer in self._event_observers:
                observer(appended)

    @staticmethod
    async def _abandon(db: PostgresTxDb) -> None:
        """Roll back a failed unit's transaction (if the connection is still in one)."""
        try:
            if db.conn.is_in_transaction():
                await db.rollback()
        except Exception as exc:  # the connection is unusable: the server rolls back
            log.warning("PostgreSQL rollback failed (%r); closing the connection", exc)
            with suppress(asyncpg.InterfaceError):  # closed: the pool took it back already
                db.conn.terminate()

    @asynccontextmanager
    async def data(self, *, write: bool) -> AsyncIterator[BulkTx]:
        """One transaction for a bulk use case (:mod:`relchain.storage.bulk`) on a connection
        of its own without a statement timeout: ``REPEATABLE READ READ ONLY`` (one snapshot
        while the servers go on writing), or a write transaction that first takes ``SHARE ROW
        EXCLUSIVE`` locks on the relationship tables, so concurrent writers wait for it (reads
        go on) and what it computes cannot race them."""
        async with self._admin_connection() as conn:
            transaction = conn.transaction(
                isolation="read_committed" if write else "repeatable_read", readonly=not write
            )
            await transaction.start()
            try:
                if write:
                    await conn.execute(
                        f"LOCK TABLE {', '.join(BULK_TABLES)} IN SHARE ROW EXCLUSIVE MODE"
                    )
                yield BulkTx(PostgresBulkDb(conn))
            except BaseException:
                await transaction.rollback()
                raise
            await transaction.commit()

    def read(self) -> AbstractAsyncContextManager[StoreTx]:
        """A read-only snapshot transaction."""
        return self._transaction(readonly=True)

    @asynccontextmanager
    async def read_one(self) -> AsyncIterator[StoreTx]:
        """A read outside a transaction (:class:`relchain.ports.OneStatementReads`): each
        statement one round trip, no ``BEGIN``/``COMMIT``."""
        conn = await self._pool.acquire(timeout=self.settings.acquire_timeout)
        db = PostgresAutocommitDb(conn, self._fresh_connection)
        try:
            yield StoreTx(db, STATEMENTS)
        finally:
            if not db.released:
                await self._pool.release(db.conn, timeout=self.settings.command_timeout)

    async def _fresh_connection(self, dead: PooledConnection) -> PooledConnection:
        """Close a pooled connection found dead and hand out another."""
        with suppress(asyncpg.InterfaceError):  # closed: the pool has taken it back already
            dead.terminate()
        await self._pool.release(dead)
        return await self._pool.acquire(timeout=self.settings.acquire_timeout)

    def write(self) -> AbstractAsyncContextManager[StoreTx]:
        """A read-committed write transaction; committed at the end of the block."""
        return self._transaction(readonly=False)

    async def run_write(self, work: Callable[[StoreTx], Awaitable[T]]) -> T:
        """Run ``work`` in a write transaction, re-running it from scratch (with a short
        randomised back-off) when PostgreSQL aborts it for a serialization failure or deadlock."""
        attempt = 0
        while True:
            try:
                async with self.write() as tx:
                    return await work(tx)
            except (asyncpg.PostgresError, ConcurrentChange) as exc:
                if not is_retryable_conflict(exc) or attempt >= self.settings.write_retries:
                    raise
                attempt += 1
                log.info("write conflict (%s), retry %d", getattr(exc, "sqlstate", ""), attempt)
                await asyncio.sleep(random.uniform(0.001, 0.01) * attempt)  # noqa: S311

    async def close(self) -> None:
        try:
            await asyncio.wait_for(self._pool.close(), timeout=10)
        except TimeoutError:
            self._pool.terminate()
