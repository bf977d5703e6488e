"""The event log's read side: pages, live tails (woken by commits, shared per app, catching
up from behind), and pruning by each app's retention (every backend)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

from tests.eventlog import settled
from tests.support import SDKAPPID, FrozenClock

from relchain.domain.apps import App
from relchain.domain.events import Event, EventKind, NewEvent
from relchain.ports import Store, Tx
from relchain.services.events import EventLog

WAIT = 10.0  # seconds a test waits for an event it expects (never a measured time)


async def append(store: Store, *accounts: str, kind: EventKind = EventKind.PROFILE_SET) -> None:
    async with store.write() as tx:
        await tx.append_events(SDKAPPID, [NewEvent(kind, a, ("p",)) for a in accounts], 1000)


async def take(events: AsyncIterator[Event], n: int) -> list[Event]:
    got: list[Event] = []
    async with asyncio.timeout(WAIT):
        while len(got) < n:
            got.append(await anext(events))
    return got


class CountingStore:
    """The store, counting its read transactions (the queries of the log's readers)."""

    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self.reads = 0

    def read(self) -> Any:
        self.reads += 1
        return self.inner.read()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def run_write(self, work: Callable[[Tx], Awaitable[Any]]) -> Any:
        return await self.inner.run_write(work)


@asynccontextmanager
async def event_log(store: Any, clock: FrozenClock, **options: Any) -> AsyncIterator[EventLog]:
    log = EventLog(store, clock, **options)
    await log.start()
    try:
        yield log
    finally:
        await log.close()


async def test_page_reads_after_an_id_with_filters(store: Store, clock: FrozenClock) -> None:
    await append(store, "a", "b")
    await append(store, "c", kind=EventKind.BLOCK_ADDED)
    await settled(store)
    async with event_log(store, clock) as log:

        async def accounts(after: int, limit: int, **filters: Any) -> list[str]:
            """(On PostgreSQL a read may briefly see less, never more: see tests/eventlog.)"""
            async with asyncio.timeout(WAIT):
                while True:
                    got = [e.account for e in await log.page(SDKAPPID, after, limit, **filters)]
                    if got:
                        return got
                    await asyncio.sleep(0.01)

        everything = await log.page(SDKAPPID, 0, 10)
        assert [e.account for e in everything] == ["a", "b", "c"]
        assert await accounts(everything[0].id, 1) == ["b"]
        assert await accounts(0, 10, account="b") == ["b"]
        assert await accounts(0, 10, kinds={"block.added"}) == ["c"]
        async with asyncio.timeout(WAIT):
            while True:
                if await log.last_id(SDKAPPID) == everything[-1].id:
                    break
                await asyncio.sleep(0.01)


async def test_a_tail_gets_the_backlog_then_new_commits_woken_by_the_commit(
    store: Store, clock: FrozenClock
) -> None:
    """The poll interval is a minute: only the in-process wake-up can deliver in time."""
    await append(store, "old1", "old2")
    await settled(store)
    async with (
        event_log(store, clock, poll_interval=60) as log,
        contextlib.aclosing(log.tail(SDKAPPID, 0)) as events,
    ):
        assert [e.account for e in await take(events, 2)] == ["old1", "old2"]
        await asyncio.sleep(0.5)  # past the quick polls of the start
        await append(store, "new")
        assert [e.account for e in await take(events, 1)] == ["new"]


async def test_a_tail_from_now_skips_the_past_and_filters(store: Store, clock: FrozenClock) -> None:
    await append(store, "old")
    await settled(store)
    async with event_log(store, clock) as log:
        tail = log.tail(SDKAPPID, account="x", kinds={"block.added"})
        async with contextlib.aclosing(tail) as events:
            waiting = asyncio.ensure_future(take(events, 2))
            await asyncio.sleep(0.1)
            await append(store, "x", "y")  # profile.set: not this kind
            await append(store, "x", "y", kind=EventKind.BLOCK_ADDED)  # y's has peer p only
            await append(store, "z", kind=EventKind.BLOCK_ADDED)
            async with store.write() as tx:
                blocked_x = NewEvent(EventKind.BLOCK_ADDED, "w", ("x",))
                await tx.append_events(SDKAPPID, [blocked_x], 1)
            got = await waiting
    assert [(e.account, e.peers) for e in got] == [("x", ("p",)), ("w", ("x",))]


async def test_many_tails_of_one_app_share_one_poller(store: Store, clock: FrozenClock) -> None:
    counting = CountingStore(store)
    async with event_log(counting, clock, poll_interval=60) as log:
        tails = [log.tail(SDKAPPID, 0) for _ in range(20)]
        try:
            firsts = [asyncio.ensure_future(take(t, 3)) for t in tails]
            await asyncio.sleep(0.5)
            before = counting.reads
            await append(store, "a", "b", "c")
            results = await asyncio.gather(*firsts)
            used = counting.reads - before
        finally:
            for tail in tails:
                await tail.aclose()
    assert all([e.account for e in got] == ["a", "b", "c"] for got in results)
    assert used <= 10, used  # one poller's reads (a few retries on PostgreSQL), not 20 tails'
    assert log._feeds == {}  # the last tail gone, the feed stopped


async def test_a_tail_behind_the_ring_catches_up_with_its_own_pages(
    store: Store, clock: FrozenClock
) -> None:
    async with (
        event_log(store, clock, ring=4) as log,
        contextlib.aclosing(log.tail(SDKAPPID, None)) as first,
    ):
        started = asyncio.ensure_future(take(first, 30))
        await asyncio.sleep(0.1)
        for i in range(30):
            await append(store, f"u{i}")
        assert len(await started) == 30
        async with contextlib.aclosing(log.tail(SDKAPPID, 0)) as late:
            got = await take(late, 30)
            await append(store, "live")
            got += await take(late, 1)
    assert [e.account for e in got] == [f"u{i}" for i in range(30)] + ["live"]
    assert [e.id for e in got] == sorted(e.id for e in got)


async def test_prune_all_uses_each_apps_retention(
    store: Store, clock: FrozenClock, app: App
) -> None:
    day_ms = 86_400_000
    now_ms = int(clock.now() * 1000)
    async with store.write() as tx:
        await tx.save_app(replace(app, settings=replace(app.settings, events_retention_days=2)))
        events = [NewEvent(EventKind.PROFILE_SET, "old")]
        await tx.append_events(SDKAPPID, events, now_ms - 3 * day_ms)
        await tx.append_events(SDKAPPID, [NewEvent(EventKind.PROFILE_SET, "young")], now_ms)
    async with event_log(store, clock) as log:
        assert await log.prune_all() == 1
    assert [e.account for e in await settled(store)] == ["young"]


async def test_closing_the_log_ends_its_tails(store: Store, clock: FrozenClock) -> None:
    log = EventLog(store, clock)
    await log.start()
    tail = log.tail(SDKAPPID)
    waiting = asyncio.ensure_future(anext(tail))
    await asyncio.sleep(0.1)
    await log.close()
    async with asyncio.timeout(WAIT):
        try:
            await waiting
        except StopAsyncIteration:
            return
    raise AssertionError("the tail did not end")
