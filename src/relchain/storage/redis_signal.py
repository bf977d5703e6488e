"""Wake-ups between server processes over Redis pub/sub (when ``redis`` is configured).

Every process subscribes to ``relchain:events`` and publishes there after its commits that
appended events (coalesced, see :mod:`relchain.storage.signal`); a message names its sender so
a process ignores its own. With Redis away, messages are dropped (logged) and readers poll;
the subscription is opened again every ``RECONNECT_SECONDS``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Callable, Collection
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from relchain.storage.signal import Coalescer, decode, encode

__all__ = ["CHANNEL", "RedisSignal"]

log = logging.getLogger("relchain.events")

CHANNEL = "relchain:events"
RECONNECT_SECONDS = 1.0


class RedisSignal:
    def __init__(self, url: str, timeout: float = 1.0) -> None:
        self._redis: Redis = Redis.from_url(
            url, socket_timeout=None, socket_connect_timeout=timeout
        )
        self._publisher: Redis = Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        self._sender = secrets.token_hex(8)
        self._on_wake: Callable[[int], None] | None = None
        self._coalescer = Coalescer(self._send)
        self._listener: asyncio.Task[None] | None = None
        self.subscribed = asyncio.Event()

    async def start(self, on_wake: Callable[[int], None]) -> None:
        self._on_wake = on_wake
        self._listener = asyncio.create_task(self._listen(), name="events-redis")

    async def _listen(self) -> None:
        while True:
            try:
                async with self._redis.pubsub() as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    self.subscribed.set()
                    async for message in pubsub.listen():
                        self._message(message)
            except (RedisError, OSError) as exc:
                self.subscribed.clear()
                log.warning("event wake-ups: Redis subscription lost (%r)", exc)
            await asyncio.sleep(RECONNECT_SECONDS)

    def _message(self, message: dict[str, Any]) -> None:
        if message.get("type") != "message" or self._on_wake is None:
            return
        data = message.get("data")
        payload = data.decode() if isinstance(data, bytes) else str(data)
        sender, apps = decode(payload)
        if sender != self._sender:
            for sdkappid in apps:
                self._on_wake(sdkappid)

    def publish(self, sdkappids: Collection[int]) -> None:
        self._coalescer.add(sdkappids)

    async def _send(self, apps: set[int]) -> None:
        await self._publisher.publish(CHANNEL, encode(self._sender, apps))

    async def close(self) -> None:
        await self._coalescer.close()
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await self._redis.aclose()
        await self._publisher.aclose()
