"""Exit non-zero, saying what is wrong, unless PostgreSQL and Redis answer at the test URLs."""

from __future__ import annotations

import asyncio
import os
import sys


async def main() -> int:
    import asyncpg
    import redis.asyncio as redis

    problems = []
    pg_url = os.environ["RELCHAIN_TEST_POSTGRES_URL"]
    try:
        conn = await asyncpg.connect(pg_url, timeout=5)
        await conn.fetchval("SELECT 1")
        await conn.close()
    except Exception as exc:  # any failure means the tests cannot run
        problems.append(f"PostgreSQL at {pg_url}: {exc!r}")
    redis_url = os.environ["RELCHAIN_TEST_REDIS_URL"]
    try:
        client = redis.from_url(redis_url, socket_connect_timeout=5)
        await client.ping()
        await client.aclose()
    except Exception as exc:
        problems.append(f"Redis at {redis_url}: {exc!r}")
    for problem in problems:
        print(f"cannot run the PostgreSQL/Redis tests: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
