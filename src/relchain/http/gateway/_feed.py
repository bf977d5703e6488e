"""The event log as the fan-out reads it: the app's events after an id, as they commit.

Woken in-process by the store when a transaction that appended events commits; otherwise
(another process wrote) found by polling every ``poll_seconds``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from relchain.domain.events import Event
from relchain.ports import Store

__all__ = ["StoreFeed"]

PAGE = 500  # events read per query


class StoreFeed:
    def __init__(self, store: Store, poll_seconds: float = 1.0) -> None:
        self.store = store
        self.poll_seconds = poll_seconds
        self._wakers: dict[int, set[asyncio.Event]] = {}
        store.observe_events(self._committed)

    def _committed(self, appended: dict[int, int]) -> None:
        for sdkappid in appended:
            for waker in self._wakers.get(sdkappid, ()):
                waker.set()

    async def last_id(self, sdkappid: int) -> int:
        async with self.store.read() as tx:
            return await tx.last_event_id(sdkappid)

    async def tail(self, sdkappid: int, after_id: int) -> AsyncIterator[Event]:
        waker = asyncio.Event()
        self._wakers.setdefault(sdkappid, set()).add(waker)
        try:
            while True:
                waker.clear()
                async with self.store.read() as tx:
                    events = await tx.events_after(sdkappid, after_id, PAGE)
                for event in events:
                    after_id = event.id
                    yield event
                if len(events) < PAGE:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(waker.wait(), self.poll_seconds)
        finally:
            wakers = self._wakers.get(sdkappid)
            if wakers is not None:
                wakers.discard(waker)
                if not wakers:
                    del self._wakers[sdkappid]
