"""Per-app, per-command rate limiting with GCRA (the generic cell rate algorithm).

Each (app, command) has a *theoretical arrival time* (TAT). A call at ``now`` is allowed when
``TAT - now <= tolerance``, and then moves the TAT on by one emission interval
(``1 / limit`` seconds); a refused call changes nothing. With ``tolerance = (burst - 1) *
interval``, a client that was idle may make ``burst`` calls at once, then ``limit`` per second,
and no span of one second admits more than ``limit + burst`` calls (fixed one-second windows let
twice the limit through across a window boundary). ``burst`` is the app's
``rate_burst_percent`` of the limit, at least 1.

The rule is pure; the TATs live behind the :class:`~relchain.ports.RateCounter` port:
:class:`MemoryRateCounter` per process, or Redis shared by every process (one atomic script).
Times are integer microseconds, so both give the same answers.
"""

from __future__ import annotations

import math

from relchain.domain.apps import MAX_RATE
from relchain.ports import Clock, RateCounter

__all__ = ["MAX_RATE", "MemoryRateCounter", "RateLimiter", "burst_of"]

PRUNE_AT = 100_000  # keys kept in memory before the stale ones are dropped


def burst_of(limit: int, percent: int) -> int:
    """Calls allowed at once: ``percent`` of ``limit``, at least 1."""
    return max(1, math.ceil(limit * percent / 100))


class MemoryRateCounter:
    """TATs in this process only."""

    def __init__(self) -> None:
        self._tat: dict[str, int] = {}

    async def take(self, key: str, now_us: int, interval_us: int, tolerance_us: int) -> bool:
        tat = max(self._tat.get(key, now_us), now_us)
        if tat - now_us > tolerance_us:
            return False
        if len(self._tat) >= PRUNE_AT:  # a TAT in the past is the same as none
            self._tat = {k: v for k, v in self._tat.items() if v > now_us}
        self._tat[key] = tat + interval_us
        return True


class RateLimiter:
    """Allows ``limit`` calls per second per (app, command), with a burst (see module doc)."""

    def __init__(self, counter: RateCounter, clock: Clock) -> None:
        self._counter = counter
        self._clock = clock

    async def allow(self, sdkappid: int, command: str, limit: int, burst_percent: int) -> bool:
        """Take one call; ``False`` when it is over ``limit`` (0 means no limit)."""
        if limit <= 0:
            return True
        interval = max(1, 1_000_000 // min(limit, MAX_RATE))
        tolerance = (burst_of(limit, burst_percent) - 1) * interval
        now_us = int(self._clock.now() * 1_000_000)
        return await self._counter.take(f"rl:{sdkappid}:{command}", now_us, interval, tolerance)
