"""Commit-to-tail latency of the event log in one process (goal: p99 < 50 ms).

Writers append one event per transaction at ``--rate`` commits/s (``--writers`` concurrent
writers) while ``--tails`` tails of the app read the log through one ``EventLog``; for each
event, the time from its transaction's commit (the write returning) to each tail getting it.

    .venv/bin/python benchmarks/events_latency.py                       # SQLite
    .venv/bin/python benchmarks/events_latency.py --database postgresql://postgres@127.0.0.1/test
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import secrets
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from relchain.clock import SystemClock
from relchain.domain.events import EventKind, NewEvent
from relchain.services.events import EventLog
from relchain.storage import open_store

APP = 1400077777


async def fresh(url: str) -> str:
    if not url.startswith("postgres"):
        return url
    import asyncpg

    name = f"relchain_bench_{int(time.time())}_{secrets.token_hex(3)}"
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


async def main(args: argparse.Namespace) -> None:
    url = await fresh(args.database or f"sqlite:///{Path(tempfile.mkdtemp()) / 'lat.db'}")
    store = await open_store(url)
    log = EventLog(store, SystemClock())
    await log.start()
    committed: dict[str, float] = {}
    latencies: list[float] = []
    total = args.events

    async def tail() -> None:
        seen = 0
        async with contextlib.aclosing(log.tail(APP)) as events:
            async for event in events:
                now = time.perf_counter()  # seen before its writer got back: 0
                latencies.append((now - committed.setdefault(event.account, now)) * 1000)
                seen += 1
                if seen == total:
                    return

    async def writer(index: int) -> None:
        interval = args.writers / args.rate
        for n in range(index, total, args.writers):
            account = f"a{n}"
            async with store.write() as tx:
                await tx.append_events(APP, [NewEvent(EventKind.PROFILE_SET, account)], 0)
            committed[account] = time.perf_counter()
            await asyncio.sleep(interval)

    readers = [asyncio.create_task(tail()) for _ in range(args.tails)]
    await asyncio.sleep(1.0)  # the tails are waiting
    await asyncio.gather(*(writer(i) for i in range(args.writers)))
    async with asyncio.timeout(60):
        await asyncio.gather(*readers)
    await log.close()
    await store.close()
    backend = "postgresql" if url.startswith("postgres") else "sqlite"
    print(
        f"{backend}: {total} events at ~{args.rate}/s, {args.tails} tails: commit-to-tail "
        f"p50 {pct(latencies, 50):.2f} ms, p99 {pct(latencies, 99):.2f} ms, "
        f"max {max(latencies):.2f} ms ({'MET' if pct(latencies, 99) < 50 else 'MISS'} p99 < 50)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="", help="a PostgreSQL URL (default: SQLite)")
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=200.0, help="commits per second")
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--tails", type=int, default=50)
    asyncio.run(main(parser.parse_args()))
