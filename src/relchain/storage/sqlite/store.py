"""The SQLite store: one connection per process, used inline on the event loop.

Why inline and not a writer thread: every statement relchain runs is an indexed lookup or range
scan bounded by the page or batch size, so it takes microseconds; handing it to a thread would
cost more than running it. One ``asyncio.Lock`` makes this process's units of work one at a time
(the single writer), ``BEGIN IMMEDIATE`` plus ``busy_timeout`` serialises writers of other
processes (the CLI, or extra ``serve`` workers), and WAL lets readers of other processes go on
while one writes. A write that finds the lock taken by another process waits for it with
asynchronous sleeps, not in SQLite's busy handler, so this process's reads go on meanwhile.

Group commit: the write units of requests that are ready in the same turn of the event loop share
one transaction, each inside its own SAVEPOINT (a unit that fails is rolled back alone). The
transaction commits at the end of that turn, or before the next read, and every unit's caller
waits for that COMMIT before it answers: nobody is told "OK" for data that is not committed, and
if the COMMIT fails every unit of the batch fails. Committing is most of the cost of a small
write (the WAL frames of every dirty page), so sharing it is what makes concurrent writers fast.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

from relchain.storage.bulk import BulkTx
from relchain.storage.migrations import migrations_for
from relchain.storage.sqlite.bulk import SQLiteBulkDb
from relchain.storage.sqlite.db import SQLiteDb
from relchain.storage.sqlite.statements import SQLiteStatements
from relchain.storage.tx import StoreTx

__all__ = ["SQLiteStore"]

T = TypeVar("T")

BUSY_TIMEOUT_MS = 5000
BUSY_RETRY_FIRST = 0.0002  # seconds: another process's write batch is usually this short
BUSY_RETRY_MAX = 0.005
BULK_CACHE_KIB = -262144  # 256 MiB of pages for bulk use cases (the CLI's process, not serve)


def path_from_url(url: str) -> str:
    """``sqlite:///rel/path.db`` -> ``rel/path.db``; ``sqlite:////abs.db`` -> ``/abs.db``;
    ``sqlite://:memory:`` or ``sqlite:///:memory:`` -> ``:memory:``."""
    rest = url.split(":", 1)[1]
    if rest.startswith("///"):
        rest = rest[3:]
    elif rest.startswith("//"):
        rest = rest[2:]
    return rest or ":memory:"


class SQLiteStore:
    url_scheme = "sqlite"

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self._tx = StoreTx(SQLiteDb(conn), SQLiteStatements())
        self._batch: asyncio.Future[None] | None = None  # the open group-commit transaction
        self._batch_units = 0  # units of the open batch whose callers wait for its COMMIT
        self._commit_observer: Callable[[int], None] | None = None
        self._event_observers: list[Callable[[dict[int, int]], None]] = []
        # the read snapshot shared by the reads of one loop turn: None, or True while it may
        # still be used (a callback of the next turn turns it False and ends it)
        self._snapshot: bool | None = None
        self.lock_wait_seconds = BUSY_TIMEOUT_MS / 1000  # a write gives up after this long

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> SQLiteStore:
        path = path_from_url(url)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("PRAGMA cache_size = -65536")  # 64 MiB of pages: random reads stay in memory
        store = cls(conn)
        if migrate:
            store.upgrade_now()
        return store

    def schema_version(self) -> int:
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        row = self._conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    async def upgrade(self) -> list[int]:
        """Apply the migrations this database lacks (see :meth:`upgrade_now`)."""
        return self.upgrade_now()

    async def pending_migrations(self) -> list[int]:
        async with self._lock:
            self._settle()
            version = 0
            if self._conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
            ).fetchone():
                row = self._conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
                version = int(row[0] or 0)
        return [m.version for m in migrations_for("sqlite") if m.version > version]

    def pool_usage(self) -> tuple[int, int]:
        return 1, int(self._lock.locked())

    def observe_commits(self, observer: Callable[[int], None]) -> None:
        self._commit_observer = observer

    def observe_events(self, observer: Callable[[dict[int, int]], None]) -> None:
        self._event_observers.append(observer)

    def event_signal(self) -> None:
        """No wake-up of its own between processes (Redis may give one; else they poll)."""
        return None

    def upgrade_now(self) -> list[int]:
        """Apply the migrations this database lacks, each in its own transaction."""
        applied = []
        self._settle()
        current = self.schema_version()
        for migration in migrations_for("sqlite"):
            if migration.version <= current:
                continue
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                # re-read under the write lock: another process may have just migrated
                row = self._conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
                if int(row[0] or 0) >= migration.version:
                    self._conn.execute("ROLLBACK")
                    continue
                for statement in split_statements(migration.sql):
                    self._conn.execute(statement)
                self._conn.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, datetime('now'))",
                    (migration.version, migration.name),
                )
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            applied.append(migration.version)
        return applied

    @asynccontextmanager
    async def read(self) -> AsyncIterator[StoreTx]:
        """A read transaction: the snapshot shared by every read of this loop turn.

        Opening and ending a read transaction costs more than a one-row read (the WAL's read
        lock is taken and dropped with ``fcntl``), so the reads that run in one turn of the
        event loop share one, ended by a callback of the next turn. A read never sees a
        snapshot older than its own request: the snapshot was opened in the turn the read
        runs in, after the request had arrived (a snapshot the callback could not end, because
        a read was still using it, is not handed to a new read). A read sees only committed
        data: it commits this process's open write batch first."""
        async with self._lock:
            self._commit_batch()
            if not self._snapshot:
                self._end_snapshot()
                self._conn.execute("BEGIN")
                self._snapshot = True
                asyncio.get_running_loop().call_soon(self._snapshot_turn_over)
            yield self._tx

    def _snapshot_turn_over(self) -> None:
        if not self._snapshot:  # already ended (a write or a bulk unit came)
            return
        self._snapshot = False  # no new read takes it
        if not self._lock.locked():
            self._end_snapshot()

    def _end_snapshot(self) -> None:
        if self._snapshot is not None:
            self._snapshot = None
            if self._conn.in_transaction:
                self._conn.execute("COMMIT")

    def _settle(self) -> None:
        """No transaction open: the write batch committed, the read snapshot ended."""
        self._commit_batch()
        self._end_snapshot()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[StoreTx]:
        await self._lock.acquire()
        try:
            batch = await self._open_batch()
            self._conn.execute("SAVEPOINT unit")
            before = self._tx.begin_unit()
            try:
                yield self._tx
            except BaseException:
                self._tx.rollback_unit(before)
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK TO unit")
                    self._conn.execute("RELEASE unit")
                else:  # the engine rolled the whole transaction back: the batch is lost
                    self._fail_batch(sqlite3.OperationalError("the transaction was rolled back"))
                raise
            self._conn.execute("RELEASE unit")
            self._batch_units += 1
        finally:
            self._lock.release()
        await asyncio.shield(batch)  # answered only once the batch is committed

    async def _open_batch(self) -> asyncio.Future[None]:
        """The open group-commit transaction, opened if there is none (``self._lock`` held).

        When another process holds the database's write lock, this one does not wait in
        SQLite's busy handler, which would sleep with the event loop blocked (reads too): it
        tries again after a short asynchronous sleep, with ``self._lock`` released meanwhile
        so that this process's reads go on. It gives up, as ``busy_timeout`` would, after
        ``lock_wait_seconds``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.lock_wait_seconds
        delay = BUSY_RETRY_FIRST
        while self._batch is None:
            if self._begin_immediate_now():
                self._batch = loop.create_future()
                loop.call_soon(self._commit_when_idle)
                break
            if loop.time() >= deadline:
                raise sqlite3.OperationalError("database is locked")
            self._lock.release()
            try:
                await asyncio.sleep(delay)
            finally:
                await self._lock.acquire()
            delay = min(2 * delay, BUSY_RETRY_MAX)
        return self._batch

    def _begin_immediate_now(self) -> bool:
        """``BEGIN IMMEDIATE`` without waiting: False if another connection has the lock."""
        self._end_snapshot()
        self._conn.execute("PRAGMA busy_timeout = 0")
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:
                raise
            return False
        finally:
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return True

    def _commit_when_idle(self) -> None:
        """End of the loop turn that opened the batch: commit, unless a unit is running."""
        if self._lock.locked():  # a unit is in progress (it suspended): try next turn
            asyncio.get_running_loop().call_soon(self._commit_when_idle)
            return
        self._commit_batch()

    def _commit_batch(self) -> None:
        if self._batch is None:
            return
        try:
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            self._fail_batch(exc)
            return
        units = self._batch_units
        batch, self._batch, self._batch_units = self._batch, None, 0
        batch.set_result(None)
        if self._commit_observer is not None and units:
            self._commit_observer(units)
        appended = self._tx.take_appended()
        if appended:
            for observer in self._event_observers:
                observer(appended)

    def _fail_batch(self, exc: Exception) -> None:
        """Every unit of the open batch (whose data is gone) raises ``exc`` to its caller."""
        batch, waiting = self._batch, self._batch_units
        self._batch, self._batch_units = None, 0
        self._tx.take_appended()  # rolled back with the batch
        if batch is None:
            return
        if waiting:
            batch.set_exception(exc)
        else:
            batch.set_result(None)

    @asynccontextmanager
    async def data(self, *, write: bool) -> AsyncIterator[BulkTx]:
        """One transaction for a bulk use case (:mod:`relchain.storage.bulk`): a snapshot
        (WAL: writers of other processes go on), or a write transaction holding the database's
        write lock until it ends; a bigger page cache meanwhile.

        A write with no other connection to the database runs with a rollback journal instead
        of the WAL: pages the database did not have (all of a first import's) then go to the
        file once, where the WAL would write them twice (log, then checkpoint). It is as
        atomic; the WAL is back when it ends."""
        async with self._lock:
            self._settle()
            journal = write and self._rollback_journal()
            self._conn.execute(f"PRAGMA cache_size = {BULK_CACHE_KIB}")
            try:
                self._conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield BulkTx(SQLiteBulkDb(self._conn))
                except BaseException:
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                    raise
                self._conn.execute("COMMIT")
            finally:
                self._conn.execute("PRAGMA cache_size = -65536")
                if journal:
                    self._conn.execute("PRAGMA journal_mode = WAL")

    def _rollback_journal(self) -> bool:
        """Switch from the WAL to a rollback journal if no other connection is open."""
        if self._conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            return False
        self._conn.execute("PRAGMA busy_timeout = 0")
        try:
            mode = self._conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlite3.OperationalError:  # another connection is open: keep the WAL
            return False
        finally:
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return bool(mode == "delete")

    async def run_write(self, work: Callable[[StoreTx], Awaitable[T]]) -> T:
        """One writer at a time, so nothing to re-run: just a write transaction."""
        async with self.write() as tx:
            return await work(tx)

    async def close(self) -> None:
        async with self._lock:
            self._settle()
        self._conn.close()


def split_statements(sql: str) -> list[str]:
    """Split a migration file into statements (``sqlite3.complete_statement`` knows the ends)."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(
        ln.strip().startswith("--") or not ln.strip() for ln in buffer.splitlines()
    ):
        statements.append(buffer.strip())
    return statements
