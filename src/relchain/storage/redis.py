"""Rate-limit state shared by every server process, in Redis (``relchain[redis]``).

One key per (app, command) holds its GCRA theoretical arrival time (integer microseconds); one
Lua script reads, decides and writes it atomically, so a call is one round trip
(``EVALSHA``) whatever the number of processes, and the key expires by itself once it no longer
matters (a TAT in the past is the same as none). Times come from the calling process's clock:
keep the hosts' clocks synchronised (NTP); a skew of d seconds lets at most d x limit extra
calls through.

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

__all__ = ["GCRA_SCRIPT", "RedisRateCounter"]

# KEYS[1]: the key; ARGV: now, interval, tolerance (microseconds). Returns 1 (allowed) or 0.
# '%.0f' keeps every digit (Lua's tostring would write 1.7e+15).
GCRA_SCRIPT = """
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local tolerance = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]))
if tat == nil or tat < now then tat = now end
if tat - now > tolerance then return 0 end
local new = tat + interval
redis.call('SET', KEYS[1], string.format('%.0f', new), 'PX', math.floor((new - now) / 1000) + 1)
return 1
"""

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
        self._gcra = self._redis.register_script(GCRA_SCRIPT)
        self._retry_after = retry_after
        self._monotonic = monotonic
        self._fallback = MemoryRateCounter()
        self._down_until: float | None = None  # set while Redis is considered unreachable

    @property
    def shared(self) -> bool:
        """``False`` while counting falls back to this process alone."""
        return self._down_until is None

    async def take(self, key: str, now_us: int, interval_us: int, tolerance_us: int) -> bool:
        if self._down_until is not None and self._monotonic() < self._down_until:
            return await self._fallback.take(key, now_us, interval_us, tolerance_us)
        try:
            allowed = await self._gcra(
                keys=[self._prefix + key], args=[now_us, interval_us, tolerance_us]
            )
        except (RedisError, OSError) as exc:
            if self._down_until is None:
                log.warning(
                    "Redis unreachable (%s): rate limits count per process until it is back", exc
                )
            self._down_until = self._monotonic() + self._retry_after
            return await self._fallback.take(key, now_us, interval_us, tolerance_us)
        if self._down_until is not None:
            log.warning("Redis is back: rate limits are shared again")
            self._down_until = None
        return bool(allowed)

    async def close(self) -> None:
        await self._redis.aclose()
