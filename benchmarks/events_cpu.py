"""CPU time of follow_add(20) through the service, with and without the event log's append.

In one process, no HTTP: ``FollowService.follow`` (20 new edges a call, 8 at a time) on a fresh
store, once as is and once with ``append_events`` replaced by a no-op, alternating, counting
the process's CPU time (less sensitive than wall time to the other work of a shared machine).

    .venv/bin/python benchmarks/events_cpu.py [--database postgresql://...] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from relchain.clock import SystemClock
from relchain.domain.follows import FollowCaps
from relchain.services.follows import FollowService
from relchain.storage import open_store
from relchain.storage.events import EventsMixin

APP = 1400088888
USERS = 3000
CALLS = 2000


async def fresh(url: str) -> str:
    if not url:
        return f"sqlite:///{Path(tempfile.mkdtemp()) / 'cpu.db'}"
    import asyncpg

    name = f"relchain_bench_{int(time.time())}_{secrets.token_hex(3)}"
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


async def calls_per_cpu_second(url: str, with_log: bool) -> float:
    store = await open_store(await fresh(url))
    async with store.write() as tx:
        await tx.import_accounts(APP, [(f"u{i}", {}) for i in range(USERS)], 0)
    service = FollowService(store, SystemClock())
    rng = random.Random(1)
    calls = [
        (f"u{k}", [f"u{o}" for o in rng.sample(range(USERS), 21) if o != k][:20])
        for k in range(CALLS)
    ]
    original = EventsMixin.append_events
    if not with_log:

        async def nothing(self: Any, *args: Any) -> None:
            return None

        EventsMixin.append_events = nothing  # type: ignore[method-assign]
    gate = asyncio.Semaphore(8)

    async def one(call: tuple[str, list[str]]) -> None:
        async with gate:
            await service.follow(APP, call[0], call[1], FollowCaps(0, 0, 0))

    try:
        started = time.process_time()
        await asyncio.gather(*(one(c) for c in calls))
        return CALLS / (time.process_time() - started)
    finally:
        EventsMixin.append_events = original  # type: ignore[method-assign]
        await store.close()


async def main(args: argparse.Namespace) -> None:
    runs: dict[bool, list[float]] = {False: [], True: []}
    for index in range(args.rounds):
        for with_log in (False, True) if index % 2 == 0 else (True, False):
            runs[with_log].append(await calls_per_cpu_second(args.database, with_log))
    without = sum(runs[False]) / len(runs[False])
    with_ = sum(runs[True]) / len(runs[True])
    backend = "postgresql" if args.database else "sqlite"
    print(
        f"{backend}: follow_add(20) calls per CPU second: without the log {without:.0f}, "
        f"with it {with_:.0f}; cost {(1 - with_ / without) * 100:.1f}% "
        f"({(1 / with_ - 1 / without) * 1e6:.0f} us of CPU a call)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="", help="a PostgreSQL URL (default: SQLite)")
    parser.add_argument("--rounds", type=int, default=4)
    asyncio.run(main(parser.parse_args()))
