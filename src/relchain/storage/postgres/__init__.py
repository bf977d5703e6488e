"""PostgreSQL backend: any number of server processes on one database (asyncpg, pooled)."""

from relchain.storage.postgres.migrate import SCHEMA_LOCK_KEY, schema_version, upgrade
from relchain.storage.postgres.store import PoolSettings, PostgresStore

__all__ = ["SCHEMA_LOCK_KEY", "PoolSettings", "PostgresStore", "schema_version", "upgrade"]
