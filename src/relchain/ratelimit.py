"""Per-app, per-command rate limiting: a fixed one-second window counted in a shared counter.

The counting rule is pure; the counter state is a :class:`~relchain.ports.RateCounter` port:
:class:`MemoryRateCounter` per process, or Redis shared by every process.
"""

from __future__ import annotations

from relchain.ports import Clock, RateCounter

__all__ = ["MemoryRateCounter", "RateLimiter"]


class MemoryRateCounter:
    """Counts in this process only; forgets windows older than the current one."""

    def __init__(self) -> None:
        self._window = -1
        self._counts: dict[str, int] = {}

    async def hit(self, key: str, ttl_seconds: int) -> int:
        window = int(key.rsplit(":", 1)[1])
        if window != self._window:
            if window > self._window:
                self._window = window
                self._counts = {}
            else:  # a late caller of a past window: count it in a throwaway bucket
                return 1
        count = self._counts.get(key, 0) + 1
        self._counts[key] = count
        return count


class RateLimiter:
    """Allows at most ``limit`` calls per second per (app, command)."""

    def __init__(self, counter: RateCounter, clock: Clock) -> None:
        self._counter = counter
        self._clock = clock

    async def allow(self, sdkappid: int, command: str, limit: int) -> bool:
        """Count one call; ``False`` when it is over ``limit`` (0 means no limit)."""
        if limit <= 0:
            return True
        window = int(self._clock.now())
        count = await self._counter.hit(f"rl:{sdkappid}:{command}:{window}", 2)
        return count <= limit
