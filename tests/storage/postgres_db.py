"""Fresh PostgreSQL databases for tests: one per test, dropped when the test process ends.

``fresh_postgres_url(base)`` creates ``relchain_test_<unixtime>_<random>`` on the server of the
base URL and returns that database's URL. Databases this process created are dropped at exit
(``DROP DATABASE ... WITH (FORCE)``); ones left by a killed run are dropped by the next run once
they are an hour old (the creation time is in the name, so a concurrent run's are never touched).
An unreachable server raises, so tests error instead of being skipped.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import re
import secrets
import time
from urllib.parse import urlsplit, urlunsplit

import asyncpg

PREFIX = "relchain_test_"
STALE_SECONDS = 3600
NAME = re.compile(rf"^{PREFIX}(\d+)_[0-9a-f]+$")

_created: list[tuple[str, str]] = []  # (admin url, database name)
_swept: set[str] = set()


def with_database(url: str, name: str) -> str:
    """``url`` pointing at database ``name`` (query string kept)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _admin_dsn(url: str) -> str:
    parts = urlsplit(url)  # our pool parameters are not connection parameters: drop the query
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


async def _connect(url: str) -> asyncpg.Connection:
    return await asyncpg.connect(_admin_dsn(url), timeout=5)


async def _sweep_stale(conn: asyncpg.Connection) -> None:
    now = time.time()
    query = "SELECT datname FROM pg_database WHERE datname LIKE $1"
    for row in await conn.fetch(query, PREFIX + "%"):
        match = NAME.match(row["datname"])
        if match and now - int(match.group(1)) > STALE_SECONDS:
            await conn.execute(f'DROP DATABASE IF EXISTS "{row["datname"]}" WITH (FORCE)')


async def fresh_postgres_url(base_url: str) -> str:
    """Create an empty database next to ``base_url``'s and return its URL."""
    name = f"{PREFIX}{int(time.time())}_{secrets.token_hex(4)}"
    conn = await _connect(base_url)
    try:
        if base_url not in _swept:
            _swept.add(base_url)
            await _sweep_stale(conn)
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    if not _created:
        atexit.register(_drop_created)
    _created.append((base_url, name))
    return with_database(base_url, name)


async def drop_database(base_url: str, name: str) -> None:
    conn = await _connect(base_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def _drop_created() -> None:
    async def drop_all() -> None:
        for base_url, name in _created:
            with contextlib.suppress(OSError, asyncpg.PostgresError):  # else a later run sweeps
                await drop_database(base_url, name)

    asyncio.run(drop_all())
