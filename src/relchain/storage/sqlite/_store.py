"""The SQLite store: one connection per process, used inline on the event loop.

Why inline and not a writer thread: every statement relchain runs is an indexed lookup or range
scan bounded by the page or batch size, so it takes microseconds; handing it to a thread would
cost more than running it. One ``asyncio.Lock`` makes this process's transactions one at a time
(the single writer), ``BEGIN IMMEDIATE`` plus ``busy_timeout`` serialises writers of other
processes (the CLI, or extra ``serve`` workers), and WAL lets readers of other processes go on
while one writes.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

from relchain.storage.migrations import migrations_for
from relchain.storage.sqlite._tx import SQLiteTx

__all__ = ["SQLiteStore"]

T = TypeVar("T")

BUSY_TIMEOUT_MS = 5000


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
        self._tx = SQLiteTx(conn)

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

    def upgrade_now(self) -> list[int]:
        """Apply the migrations this database lacks, each in its own transaction."""
        applied = []
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
    async def read(self) -> AsyncIterator[SQLiteTx]:
        async with self._lock:
            self._conn.execute("BEGIN")
            try:
                yield self._tx
            finally:
                self._conn.execute("COMMIT")

    @asynccontextmanager
    async def write(self) -> AsyncIterator[SQLiteTx]:
        async with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._tx
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    async def run_write(self, work: Callable[[SQLiteTx], Awaitable[T]]) -> T:
        """One writer at a time, so nothing to re-run: just a write transaction."""
        async with self.write() as tx:
            return await work(tx)

    async def close(self) -> None:
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
