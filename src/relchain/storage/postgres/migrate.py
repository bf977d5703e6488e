"""Versioned schema migrations for PostgreSQL, safe when many processes start at once.

``schema_migrations`` records each applied version. Each pending migration runs in its own
transaction that first takes a transaction-level advisory lock (:data:`SCHEMA_LOCK_KEY`) and
then re-reads whether the version is applied: of several processes migrating at once, exactly
one applies each version and the others wait, see it applied and skip it. A failed migration
rolls back entirely (DDL is transactional in PostgreSQL), leaving the previous version intact.
Transaction-level locks (not session ones) also work through a transaction-mode pooler.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import asyncpg

from relchain.storage.migrations import Migration, migrations_for

__all__ = ["SCHEMA_LOCK_KEY", "schema_version", "upgrade"]

Connection: TypeAlias = "asyncpg.Connection[asyncpg.Record]"

SCHEMA_LOCK_KEY = 0x72656C636861696E  # "relchain" as a bigint: the migration lock of a database

CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT        NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)
"""


async def schema_version(
    conn: Connection | asyncpg.pool.PoolConnectionProxy[asyncpg.Record],
) -> int:
    """The highest applied version (0 on an empty database)."""
    if not await conn.fetchval("SELECT to_regclass('schema_migrations') IS NOT NULL"):
        return 0
    return int(await conn.fetchval("SELECT coalesce(max(version), 0) FROM schema_migrations"))


async def upgrade(conn: Connection, migrations: Sequence[Migration] | None = None) -> list[int]:
    """Apply the migrations the database lacks; returns the versions this call applied."""
    pending = list(migrations_for("postgres") if migrations is None else migrations)
    if pending and await schema_version(conn) >= pending[-1].version:
        return []  # the common case at every start: nothing to lock, nothing to do
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", SCHEMA_LOCK_KEY)
        await conn.execute(CREATE_TABLE)
    applied = []
    for migration in pending:
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", SCHEMA_LOCK_KEY)
            done = await conn.fetchval(
                "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)",
                migration.version,
            )
            if done:
                continue
            await conn.execute(migration.sql)
            await conn.execute(
                "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                migration.version,
                migration.name,
            )
        applied.append(migration.version)
    return applied
