"""Tails wake up for commits of other processes: PostgreSQL LISTEN/NOTIFY, or Redis pub/sub
(two stores on one database stand for two server processes). The readers' poll interval is
a minute, so only the wake-up can deliver in time."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from tests.conftest import POSTGRES_URL
from tests.support import SDKAPPID, FrozenClock

from relchain.domain.events import EventKind, NewEvent
from relchain.ports import EventSignal, Store
from relchain.services.events import EventLog
from relchain.storage import open_store

REDIS_URL = os.environ.get("RELCHAIN_TEST_REDIS_URL", "")
WAIT = 10.0


@asynccontextmanager
async def process(url: str, signal: str) -> AsyncIterator[tuple[Store, EventLog]]:
    """A store and its event log with the given wake-up (``postgres`` or ``redis``)."""
    store = await open_store(url)
    chosen: EventSignal | None
    if signal == "redis":
        from relchain.storage.redis_signal import RedisSignal

        chosen = RedisSignal(REDIS_URL)
    else:
        chosen = store.event_signal()
    log = EventLog(store, FrozenClock(), poll_interval=60, signal=chosen)
    await log.start()
    try:
        yield store, log
    finally:
        await log.close()
        await store.close()


async def wakes_across(url: str, signal: str) -> None:
    async with (
        process(url, signal) as (_, reader),
        process(url, signal) as (writer, _),
        contextlib.aclosing(reader.tail(SDKAPPID)) as events,
    ):
        first = asyncio.ensure_future(anext(events))
        await asyncio.sleep(1.0)  # past the reader's quick polls: from now it polls a minute
        async with writer.write() as tx:
            await tx.append_events(SDKAPPID, [NewEvent(EventKind.PROFILE_SET, "w")], 1)
        async with asyncio.timeout(WAIT):
            event = await first
    assert event.account == "w"


@pytest.mark.skipif(not POSTGRES_URL, reason="needs RELCHAIN_TEST_POSTGRES_URL")
async def test_postgres_notify_wakes_the_tails_of_another_process() -> None:
    from tests.storage.postgres_db import fresh_postgres_url

    await wakes_across(await fresh_postgres_url(POSTGRES_URL), "postgres")


@pytest.mark.skipif(not REDIS_URL, reason="needs RELCHAIN_TEST_REDIS_URL")
async def test_redis_pubsub_wakes_the_tails_of_another_process(tmp_path: Path) -> None:
    await wakes_across(f"sqlite:///{tmp_path / 'shared.db'}", "redis")
