"""GCRA rate limiting (in memory; tests/test_redis_ratelimit.py runs the Redis script against
the same answers): no one-second span admits more than the limit plus the documented burst."""

from __future__ import annotations

import random

import pytest

from relchain.ratelimit import PRUNE_AT, MemoryRateCounter, RateLimiter, burst_of
from tests.support import FrozenClock

T0 = 1_700_000_000.0


def most_in_any_second(times: list[float]) -> int:
    """The largest number of ``times`` (sorted) inside one closed one-second span."""
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] > 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


async def admitted(limit: int, percent: int, calls: list[float]) -> list[float]:
    clock = FrozenClock(T0)
    limiter = RateLimiter(MemoryRateCounter(), clock)
    out = []
    for at in calls:
        clock.current = T0 + at
        if await limiter.allow(1, "sns/friend_add", limit, percent):
            out.append(at)
    return out


async def test_400_calls_across_a_second_boundary_pass_only_the_limit_and_burst() -> None:
    """The outside test's case: 200 calls in 0.2 s before a whole second and 200 in the 0.2 s
    after it. Fixed windows let all 400 through; GCRA lets through 200 + 20 at most."""
    calls = [0.8 + i * 0.001 for i in range(200)] + [1.0 + i * 0.001 for i in range(200)]
    passed = await admitted(200, 10, calls)
    assert len(passed) <= 200 + burst_of(200, 10)
    assert most_in_any_second(passed) <= 220


@pytest.mark.parametrize(("limit", "percent"), [(1, 10), (3, 100), (7, 10), (200, 10), (1000, 25)])
async def test_a_greedy_client_never_gets_more_than_limit_plus_burst_in_any_second(
    limit: int, percent: int
) -> None:
    rng = random.Random(limit)
    at, calls = 0.0, []
    while at < 5.0:
        calls.extend([at] * rng.choice([1, 1, 1, 5, 50]))
        at += rng.choice([0.0001, 0.001, 0.003, 0.01, 0.2])
    passed = await admitted(limit, percent, calls)
    burst = burst_of(limit, percent)
    assert most_in_any_second(passed) <= limit + burst


async def test_an_idle_client_may_burst_then_is_paced() -> None:
    assert burst_of(200, 10) == 20 and burst_of(3, 10) == 1 and burst_of(3, 100) == 3
    passed = await admitted(200, 10, [0.0] * 50)
    assert len(passed) == 20  # the burst, at once
    passed = await admitted(200, 10, [i * 0.005 for i in range(400)])  # exactly the rate
    assert len(passed) == 400  # a client keeping to the limit is never refused


async def test_refused_calls_do_not_use_up_the_budget() -> None:
    clock = FrozenClock(T0)
    limiter = RateLimiter(MemoryRateCounter(), clock)
    assert await limiter.allow(1, "a/b", 1, 10)
    for _ in range(100):
        assert not await limiter.allow(1, "a/b", 1, 10)
    clock.advance(1.0)
    assert await limiter.allow(1, "a/b", 1, 10)  # 100 refusals did not push it later


async def test_zero_is_unlimited_and_keys_are_per_app_and_command() -> None:
    clock = FrozenClock(T0)
    limiter = RateLimiter(MemoryRateCounter(), clock)
    assert all([await limiter.allow(1, "a/b", 0, 10) for _ in range(1000)])
    assert await limiter.allow(1, "a/b", 1, 10)
    assert await limiter.allow(2, "a/b", 1, 10)
    assert await limiter.allow(1, "a/c", 1, 10)
    assert not await limiter.allow(1, "a/b", 1, 10)


async def test_memory_forgets_stale_keys_without_changing_answers() -> None:
    counter = MemoryRateCounter()
    for i in range(PRUNE_AT):
        assert await counter.take(f"k{i}", 0, 1_000_000, 0)
    assert await counter.take("new", 2_000_000, 1_000_000, 0)  # prunes the past TATs
    assert len(counter._tat) == 1
    assert not await counter.take("new", 2_000_000, 1_000_000, 0)
