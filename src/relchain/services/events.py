"""Reading the event log: pages, live tails shared per app, wake-ups, and pruning by age.

Every consumer (``GET /events``, the gateway's pushes, the webhook dispatcher, ``relchain events
tail``) reads through one :class:`EventLog` per process:

- :meth:`EventLog.page`: one page after an id (one query).
- :meth:`EventLog.tail`: the events after an id, then each new one as it commits. All tails of
  one app in a process share one *feed*: one poller that reads what is new once and keeps the
  recent events in a ring every tail reads from (a tail behind the ring catches up with its own
  pages first). The poller wakes when a transaction of this process that appended events to the
  app commits (the store's observer), when another process says so (an ``EventSignal``:
  PostgreSQL LISTEN/NOTIFY or Redis pub/sub), and every ``poll_interval`` seconds otherwise.
  On PostgreSQL a committed event is handed out once older transactions have ended, so a
  wake-up that finds nothing new polls again shortly (``RETRY_DELAYS``).
- :meth:`EventLog.prune_forever`: deletes the events older than each app's
  ``events_retention_days`` in bounded batches.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import logging
import random
from collections.abc import AsyncGenerator, Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from relchain.domain.events import Event
from relchain.ports import Clock, EventSignal, Store

__all__ = ["EventLog", "event_json"]

log = logging.getLogger("relchain.events")

PAGE = 500  # events per query of a poller or a catching-up tail
RING = 4096  # recent events a feed keeps for its tails
# after a wake-up that found nothing (PostgreSQL: an older transaction has not ended yet)
RETRY_DELAYS = (0.001, 0.002, 0.005, 0.005, 0.01, 0.01, 0.02, 0.02, 0.05, 0.1)
OWED_SECONDS = 0.5  # how long such quick looks go on (then: the poll interval)
PRUNE_SECONDS = 60.0  # between pruning rounds (with jitter)
PRUNE_BATCH = 1000  # events per delete
PRUNE_BATCHES = 20  # deletes per app per round (the rest waits for the next round)
DAY_MS = 86_400_000


@dataclass(eq=False)
class _Feed:
    """The shared view of one app's log in this process."""

    sdkappid: int
    cursor: int  # the last id read
    floor: int  # the ring holds every event with floor < id <= cursor
    ring: list[Event] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    tails: int = 0
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    news: asyncio.Future[None] | None = None
    task: asyncio.Task[None] | None = None

    def next_news(self) -> asyncio.Future[None]:
        if self.news is None or self.news.done():
            self.news = asyncio.get_running_loop().create_future()
        return self.news

    def add(self, events: list[Event], size: int) -> None:
        self.ring += events
        self.ids += [event.id for event in events]
        if len(self.ring) > 2 * size:  # trimmed now and then: amortised O(1) per event
            drop = len(self.ring) - size
            self.floor = self.ids[drop - 1]
            del self.ring[:drop], self.ids[:drop]
        self.cursor = events[-1].id
        if self.news is not None and not self.news.done():
            self.news.set_result(None)

    def after(self, after_id: int) -> list[Event]:
        return self.ring[bisect.bisect_right(self.ids, after_id) :]


def event_json(event: Event) -> dict[str, Any]:
    """An event as ``GET /events`` and ``relchain events tail`` write it (one JSON object;
    docs/events.md)."""
    origin = event.origin
    return {
        "id": event.id,
        "sdkappid": event.sdkappid,
        "time_ms": event.time_ms,
        "kind": str(event.kind),
        "account": event.account,
        "peers": list(event.peers),
        "data": dict(event.data),
        "origin": {
            "platform": origin.platform,
            "client_ip": origin.client_ip,
            "operator": origin.operator,
            "user_initiated": origin.user_initiated,
        },
    }


def _matches(event: Event, account: str | None, kinds: Collection[str] | None) -> bool:
    if kinds and event.kind not in kinds:
        return False
    return account is None or account == event.account or account in event.peers


class EventLog:
    def __init__(
        self,
        store: Store,
        clock: Clock,
        *,
        poll_interval: float = 0.5,
        ring: int = RING,
        signal: EventSignal | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.poll_interval = poll_interval
        self.ring = ring
        self.signal = signal
        self._feeds: dict[int, _Feed] = {}
        self._closed = False
        self._observers: list[Callable[[dict[int, int]], None]] = []
        store.observe_events(self._committed)

    # -- wake-ups ---------------------------------------------------------------------------

    def observe(self, observer: Callable[[dict[int, int]], None]) -> None:
        """Also call ``observer`` with the events appended per app of each commit of this
        process (metrics)."""
        self._observers.append(observer)

    async def start(self) -> None:
        """Listen to the other processes' wake-ups (when a signal is configured)."""
        if self.signal is not None:
            await self.signal.start(self.wake)

    def _committed(self, appended: dict[int, int]) -> None:
        for sdkappid in appended:
            self.wake(sdkappid)
        if self.signal is not None:
            self.signal.publish(appended)
        for observer in self._observers:
            observer(appended)

    def wake(self, sdkappid: int) -> None:
        """The app has new events: its feed (if any tail reads it) polls now."""
        feed = self._feeds.get(sdkappid)
        if feed is not None:
            feed.wake.set()

    # -- reads ------------------------------------------------------------------------------

    async def page(
        self,
        sdkappid: int,
        after_id: int,
        limit: int,
        account: str | None = None,
        kinds: Collection[str] | None = None,
    ) -> list[Event]:
        """Up to ``limit`` events after ``after_id``, oldest first (those touching ``account``
        and of ``kinds`` when given)."""
        async with self.store.read() as tx:
            return await tx.events_after(sdkappid, after_id, limit, account, kinds)

    async def last_id(self, sdkappid: int, back: int = 0) -> int:
        """The id of the last event that can be read now (0: none): a tail from it gets only
        what commits from now on. With ``back``, the id of the event ``back`` places before it
        (0 when there are not that many): a tail from it starts with the newest ``back``."""
        async with self.store.read() as tx:
            return await tx.last_event_id(sdkappid, back)

    async def tail(
        self,
        sdkappid: int,
        after_id: int | None = None,
        *,
        account: str | None = None,
        kinds: Collection[str] | None = None,
    ) -> AsyncGenerator[Event, None]:
        """The events after ``after_id`` (``None``: from now on), then each new one as it
        commits, forever (until the consumer stops iterating). Never skips one, never repeats
        one; a slow consumer costs its own catch-up queries, nobody else's time. Ends when the
        log is closed (the server stops)."""
        after = await self.last_id(sdkappid) if after_id is None else after_id
        feed = await self._join(sdkappid)
        try:
            while not self._closed:
                if after < feed.floor:  # behind the ring: own pages
                    batch = await self.page(sdkappid, after, PAGE)
                    if not batch:  # nothing there any more (pruned): on to the ring
                        after = feed.floor
                    for event in batch:
                        after = event.id
                        if _matches(event, account, kinds):
                            yield event
                    continue
                news = feed.next_news()
                batch = feed.after(after)
                if not batch:
                    await asyncio.shield(news)
                    continue
                for event in batch:
                    after = event.id
                    if _matches(event, account, kinds):
                        yield event
        finally:
            self._leave(feed)

    async def _join(self, sdkappid: int) -> _Feed:
        feed = self._feeds.get(sdkappid)
        if feed is None:
            last = await self.last_id(sdkappid)
            feed = self._feeds.get(sdkappid)  # another tail may have made it meanwhile
            if feed is None:
                feed = _Feed(sdkappid, cursor=last, floor=last)
                self._feeds[sdkappid] = feed
                feed.task = asyncio.create_task(self._poll(feed), name=f"events-{sdkappid}")
        feed.tails += 1
        return feed

    def _leave(self, feed: _Feed) -> None:
        feed.tails -= 1
        if feed.tails == 0 and self._feeds.get(feed.sdkappid) is feed:
            del self._feeds[feed.sdkappid]
            if feed.task is not None:
                feed.task.cancel()

    async def _poll(self, feed: _Feed) -> None:
        """The feed's poller: read what is new, then wait for a wake-up or the poll interval.

        A wake-up that finds nothing (on PostgreSQL the commit is handed out once the older
        transactions of the database have ended) is followed by quick looks again
        (``RETRY_DELAYS``, the last one repeated) until something comes or ``OWED_SECONDS``
        have passed."""
        loop = asyncio.get_running_loop()
        retries = 0
        owed_until = loop.time() + OWED_SECONDS  # a new feed looks quickly at first too
        while True:
            feed.wake.clear()
            try:
                found = await self._read_new(feed)
            except Exception:  # the database is away: the tails wait, the poller retries
                log.exception("event log: reading app %s failed; retrying", feed.sdkappid)
                found, owed_until = False, 0.0
            if found:
                retries, owed_until = 0, 0.0
            if loop.time() < owed_until:
                delay = RETRY_DELAYS[min(retries, len(RETRY_DELAYS) - 1)]
                retries += 1
            else:
                delay = self.poll_interval
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(min(delay, self.poll_interval)):
                    await feed.wake.wait()
                    retries, owed_until = 0, loop.time() + OWED_SECONDS

    async def _read_new(self, feed: _Feed) -> bool:
        found = False
        while True:
            batch = await self.page(feed.sdkappid, feed.cursor, PAGE)
            if not batch:
                return found
            feed.add(batch, self.ring)
            found = True
            if len(batch) < PAGE:
                return True

    # -- pruning ----------------------------------------------------------------------------

    async def prune(self, sdkappid: int, retention_days: int) -> int:
        """Delete the app's events older than ``retention_days`` (at most
        ``PRUNE_BATCHES * PRUNE_BATCH`` per call, each batch its own short transaction)."""
        before = int(self.clock.now() * 1000) - retention_days * DAY_MS
        total = 0
        for _ in range(PRUNE_BATCHES):
            async with self.store.write() as tx:
                deleted = await tx.prune_events(sdkappid, before, PRUNE_BATCH)
            total += deleted
            if deleted < PRUNE_BATCH:
                break
        return total

    async def prune_all(self) -> int:
        """One pruning round over every app (its ``events_retention_days``)."""
        async with self.store.read() as tx:
            apps = await tx.list_apps()
        total = 0
        for app in apps:
            total += await self.prune(app.sdkappid, app.settings.events_retention_days)
        return total

    async def prune_forever(self, every: float = PRUNE_SECONDS) -> None:
        """Prune every ``every`` seconds (jittered, so many processes spread out)."""
        while True:
            await asyncio.sleep(every * random.uniform(0.5, 1.5))  # noqa: S311
            try:
                deleted = await self.prune_all()
            except Exception:
                log.exception("event log: pruning failed; trying again next round")
                continue
            if deleted:
                log.info("event log: pruned %d old events", deleted)

    async def close(self) -> None:
        """Stop the pollers and the signal; the tails end."""
        self._closed = True
        for feed in list(self._feeds.values()):
            if feed.task is not None:
                feed.task.cancel()
            if feed.news is not None and not feed.news.done():
                feed.news.set_result(None)
        self._feeds.clear()
        if self.signal is not None:
            await self.signal.close()
