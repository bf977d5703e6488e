"""What every PostgreSQL mixin shares: the transaction's connection."""

from __future__ import annotations

from typing import Any

__all__ = ["PostgresBase"]


class PostgresBase:
    conn: Any  # asyncpg.Connection (asyncpg ships no type hints)
