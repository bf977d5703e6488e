"""Fresh PostgreSQL databases for tests: one per test, dropped once that test is over.

``fresh_postgres_url(base)`` creates ``relchain_test_<unixtime>_<random>`` on the server of the
base URL and returns that database's URL. The databases of tests that have finished are dropped
(``DROP DATABASE ... WITH (FORCE)``) in parallel batches while later tests create theirs, and the
rest when the test process exits; ones left by a killed run are dropped by the next run once they
are an hour old (the creation time is in the name, so a concurrent run's are never touched).
An unreachable server raises, so tests error instead of being skipped.

Dropping runs several at once because PostgreSQL checkpoints on each ``DROP DATABASE``;
concurrent drops share checkpoints (about ten times faster than one after the other).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import re
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import asyncpg

PREFIX = "relchain_test_"
STALE_SECONDS = 3600
DROP_BATCH = 8
NAME = re.compile(rf"^{PREFIX}(\d+)_[0-9a-f]+$")


@dataclass
class Created:
    base_url: str
    name: str
    test: str  # the pytest test id that asked for it ("" outside pytest)


_created: list[Created] = []
_swept: set[str] = set()


def with_database(url: str, name: str) -> str:
    """``url`` pointing at database ``name`` (query string kept)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _admin_dsn(url: str) -> str:
    parts = urlsplit(url)  # our pool parameters are not connection parameters: drop the query
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _current_test() -> str:
    return os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0]


async def _connect(url: str) -> asyncpg.Connection:
    return await asyncpg.connect(_admin_dsn(url), timeout=5)


async def _sweep_stale(conn: asyncpg.Connection) -> None:
    now = time.time()
    query = "SELECT datname FROM pg_database WHERE datname LIKE $1"
    stale = [
        row["datname"]
        for row in await conn.fetch(query, PREFIX + "%")
        if (match := NAME.match(row["datname"])) and now - int(match.group(1)) > STALE_SECONDS
    ]
    for name in stale:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _drop_all(entries: list[Created]) -> None:
    """Drop these databases, several at once; a failure leaves one for a later sweep."""
    queue = list(entries)

    async def worker() -> None:
        while queue:
            entry = queue.pop()
            with contextlib.suppress(OSError, asyncpg.PostgresError):
                conn = await _connect(entry.base_url)
                try:
                    await conn.execute(f'DROP DATABASE IF EXISTS "{entry.name}" WITH (FORCE)')
                finally:
                    await conn.close()

    await asyncio.gather(*(worker() for _ in range(min(DROP_BATCH, len(queue)))))


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
    test = _current_test()
    finished = [c for c in _created if test and c.test and c.test != test]
    if len(finished) >= DROP_BATCH:  # earlier tests are over (their fixtures torn down)
        for entry in finished:
            _created.remove(entry)
        await _drop_all(finished)
    if not _created:
        atexit.unregister(_drop_created)  # registered once, however often the list empties
        atexit.register(_drop_created)
    _created.append(Created(base_url, name, test))
    return with_database(base_url, name)


def _drop_created() -> None:
    if _created:
        asyncio.run(_drop_all(_created))
        _created.clear()
