"""What the wake-up signals between processes share: coalescing what to publish.

A commit that appended events calls ``publish`` (synchronously, on the event loop); the apps
are gathered and sent by one background task, at most one message in flight and one per
``MIN_GAP`` seconds, so a burst of commits costs one message, never a round trip per commit.
Failures are logged and dropped: the log is the truth and readers poll anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Collection

__all__ = ["MIN_GAP", "Coalescer", "decode", "encode"]

log = logging.getLogger("relchain.events")

MIN_GAP = 0.005  # seconds between two messages of one process


def encode(sender: str, sdkappids: Collection[int]) -> str:
    return sender + "|" + ",".join(str(a) for a in sorted(sdkappids))


def decode(payload: str) -> tuple[str, list[int]]:
    """(sender, apps) of a message; apps that do not parse are left out."""
    sender, _, apps = payload.partition("|")
    return sender, [int(a) for a in apps.split(",") if a.isdigit()]


class Coalescer:
    def __init__(self, send: Callable[[set[int]], Awaitable[None]]) -> None:
        self._send = send
        self._pending: set[int] = set()
        self._task: asyncio.Task[None] | None = None

    def add(self, sdkappids: Collection[int]) -> None:
        self._pending.update(sdkappids)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._flush())

    async def _flush(self) -> None:
        while self._pending:
            apps, self._pending = self._pending, set()
            try:
                await self._send(apps)
            except Exception as exc:  # a lost wake-up only delays readers until they poll
                log.warning("event wake-up not sent (%r); readers will poll", exc)
            await asyncio.sleep(MIN_GAP)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
