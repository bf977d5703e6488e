"""Rate-limit counters shared by every server process, in Redis (``relchain[redis]``).

One key per (app, command, second): ``INCR`` and ``EXPIRE`` go in one ``MULTI``/``EXEC`` pipeline,
so a hit is one round trip and a window's key disappears by itself.

When Redis cannot be reached the counter **fails open to a per-process limit**: it counts in
memory (exactly like a process without Redis), logs one warning, and tries Redis again after
``retry_after`` seconds. A Redis outage therefore never rejects or slows down API calls (each call
waits at most ``timeout`` once per ``retry_after``); the limit just stops being shared until Redis
is back. Failing closed would turn a Redis outage into an outage of the whole API.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

try:
    from redis.asyncio import Redis
    from redis.asyncio.retry import Retry
    from redis.backoff import NoBackoff
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import RedisError
except ImportError as exc:  # pragma: no cover - depends on the install
    raise ImportError(
        "shared rate limits (--redis / RELCHAIN_REDIS_URL) need the Redis client: "
        "pip install 'relchain[redis]'"
    ) from exc

from relchain.ratelimit import MemoryRateCounter

__all__ = ["RedisRateCounter"]

log = logging.getLogger("relchain.ratelimit")


class RedisRateCounter:
    """:class:`~relchain.ports.RateCounter` over Redis, with a per-process fallback."""

    def __init__(
        self,
        url: str,
        *,
        prefix: str = "relchain:",
        timeout: float = 0.25,
        retry_after: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        # Timeouts given in the URL (?socket_timeout=1) win over these defaults. One immediate
        # retry on a fresh connection covers a connection Redis closed (restart, CLIENT KILL);
        # a timeout is not retried, so a hung Redis costs one ``timeout`` per ``retry_after``.
        self._redis = Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
        )
        self._prefix = prefix
        self._retry_after = retry_after
        self._monotonic = monotonic
        self._fallback = MemoryRateCounter()
        self._down_until: float | None = None  # set while Redis is considered unreachable

    @property
    def shared(self) -> bool:
        """``False`` while counting falls back to this process alone."""
        return self._down_until is None

    async def hit(self, key: str, ttl_seconds: int) -> int:
        if self._down_until is not None and self._monotonic() < self._down_until:
            return await self._fallback.hit(key, ttl_seconds)
        name = self._prefix + key
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.incr(name)
                pipe.expire(name, ttl_seconds)
                count, _ = await pipe.execute()
        except (RedisError, OSError) as exc:
            if self._down_until is None:
                log.warning(
                    "Redis unreachable (%s): rate limits count per process until it is back", exc
                )
            self._down_until = self._monotonic() + self._retry_after
            return await self._fallback.hit(key, ttl_seconds)
        if self._down_until is not None:
            log.warning("Redis is back: rate limits are shared again")
            self._down_until = None
        return int(count)

    async def close(self) -> None:
        await self._redis.aclose()
