"""Redis going away: the rate limit fails open to per-process counting (calls are neither
rejected nor slowed), and counting is shared again once Redis is back, without a restart.

Real faults: a counter pointed at a port where nothing listens, its connection killed with
``CLIENT KILL``, and a private ``redis-server`` stopped and started again.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace

import pytest
from redis.asyncio import Redis

from relchain.domain.apps import App
from relchain.domain.errors import Code
from relchain.ports import Store
from relchain.storage.redis import RedisRateCounter
from tests.support import FrozenClock
from tests.test_redis_ratelimit import (
    CHECK,
    CHECK_BODY,
    client_of,
    redis_answers,
    take,
)

REDIS_URL = os.environ.get("RELCHAIN_TEST_REDIS_URL", "")
pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not REDIS_URL, reason="RELCHAIN_TEST_REDIS_URL is not set"),
]
__all__ = ["redis_answers"]  # the autouse fixture: the configured Redis must answer


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class FakeMonotonic:
    """The counter's retry timer, moved by the test instead of waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_unreachable_redis_counts_per_process_at_once(
    store: Store, clock: FrozenClock, app: App
) -> None:
    """Nothing listens on the port: calls still pass up to the limit, the next gets 60007."""
    counter = RedisRateCounter(f"redis://127.0.0.1:{free_port()}/0")
    limited = replace(app, settings=replace(app.settings, rate_limit=3, rate_burst_percent=100))
    async with store.write() as tx:
        await tx.save_app(limited)
    try:
        async with client_of(store, clock, limited, counter) as rest:
            started = time.monotonic()
            codes = [(await rest.call(CHECK, CHECK_BODY))["ErrorCode"] for _ in range(4)]
            took = time.monotonic() - started
    finally:
        await counter.close()
    assert codes == [0, 0, 0, Code.RATE_LIMITED]  # fail open, still limited in this process
    assert not counter.shared
    assert took < 1.0


@pytest.fixture
def prefix() -> str:
    return f"relchain-test:{secrets.token_hex(6)}:"


async def test_a_killed_connection_is_replaced_and_the_state_stays_shared(prefix: str) -> None:
    counter = RedisRateCounter(REDIS_URL, prefix=prefix)
    other = RedisRateCounter(REDIS_URL, prefix=prefix)
    admin = Redis.from_url(REDIS_URL)
    try:
        assert await take(counter) and await take(counter)
        own_id = await counter._redis.client_id()  # the pooled connection the counter uses
        assert await admin.client_kill_filter(_id=own_id) == 1
        assert await take(counter)  # the third of three, taken in Redis...
        assert counter.shared
        assert not await take(other)  # ...as another process sees
    finally:
        await admin.delete(prefix + "rl:1:x")
        await admin.aclose()
        await counter.close()
        await other.close()


class PrivateRedis:
    """A redis-server of this test only, on its own port, stopped and started at will."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed")
        self.binary = binary
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def watched(
    private_redis: PrivateRedis,
) -> AsyncIterator[tuple[RedisRateCounter, FakeMonotonic]]:
    timer = FakeMonotonic()
    counter = RedisRateCounter(private_redis.url, retry_after=1.0, monotonic=timer)
    yield counter, timer
    await counter.close()


async def test_redis_stopped_then_started_falls_back_then_shares_again(
    private_redis: PrivateRedis, watched: tuple[RedisRateCounter, FakeMonotonic]
) -> None:
    counter, timer = watched
    assert [await take(counter) for _ in range(2)] == [True, True]
    private_redis.stop()
    started = time.monotonic()
    assert await take(counter)  # local state: this process alone, starting afresh
    assert not counter.shared
    timer.now += 0.5  # within retry_after: Redis is not even tried (no wait at all)
    assert [await take(counter) for _ in range(3)] == [True, True, False]
    assert time.monotonic() - started < 1.0
    private_redis.start()
    assert not await take(counter)  # still local until retry_after has passed
    timer.now += 1.0
    assert await take(counter)  # Redis again (the restarted one is empty)
    assert counter.shared
    other = RedisRateCounter(private_redis.url)
    try:
        assert [await take(other) for _ in range(3)] == [True, True, False]  # shared again
    finally:
        await other.close()


async def test_a_redis_that_never_answers_costs_at_most_its_timeout() -> None:
    """A listener that accepts but never replies (a hung Redis): the hit gives up in time."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        port = silent.getsockname()[1]
        counter = RedisRateCounter(f"redis://127.0.0.1:{port}/0", timeout=0.2)
        try:
            started = time.monotonic()
            assert await asyncio.wait_for(take(counter), 5)
            assert time.monotonic() - started < 0.6  # one timeout, not retried
            assert not counter.shared
        finally:
            await counter.close()
