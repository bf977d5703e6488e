"""Rate limits shared through the real Redis: across app instances and across serve processes.

Needs ``RELCHAIN_TEST_REDIS_URL`` (CI sets it; skipped when unset, errors when set but down).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

import httpx
import orjson
import pytest
from redis.asyncio import Redis

from relchain.auth.usersig import generate_usersig
from relchain.config import Config
from relchain.domain.apps import App
from relchain.domain.errors import Code
from relchain.http.app import create_app
from relchain.ports import RateCounter, Store
from relchain.ratelimit import MemoryRateCounter
from relchain.storage.redis import RedisRateCounter
from tests.processes import ServeProcess, relchain
from tests.support import FrozenClock, RestClient

REDIS_URL = os.environ.get("RELCHAIN_TEST_REDIS_URL", "")
POSTGRES_URL = os.environ.get("RELCHAIN_TEST_POSTGRES_URL", "")
pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not REDIS_URL, reason="RELCHAIN_TEST_REDIS_URL is not set"),
]
CHECK = "im_open_login_svc/account_check"


@pytest.fixture(autouse=True)
async def redis_answers() -> None:
    """The configured Redis must answer: a server that is down errors the tests, never skips."""
    client = Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        assert await client.ping(), f"RELCHAIN_TEST_REDIS_URL={REDIS_URL} does not answer PING"
    finally:
        await client.aclose()


CHECK_BODY = {"CheckItem": [{"UserID": "u"}]}


@pytest.fixture
async def prefix() -> AsyncIterator[str]:
    """A key prefix of this test only (other test runs may share the Redis server)."""
    value = f"relchain-test:{secrets.token_hex(6)}:"
    yield value
    client = Redis.from_url(REDIS_URL)
    try:
        keys = [key async for key in client.scan_iter(match=value + "*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


NOW = 1_700_000_000_000_000  # microseconds
SECOND = 1_000_000


async def take(counter: RateCounter, now: int = NOW) -> bool:
    """One call of key ``rl:1:x`` at ``now``: 1 call/s, 3 at once (tolerance 2 s)."""
    return await counter.take("rl:1:x", now, SECOND, 2 * SECOND)


async def test_two_states_share_one_key(prefix: str) -> None:
    first, second = (
        RedisRateCounter(REDIS_URL, prefix=prefix),
        RedisRateCounter(REDIS_URL, prefix=prefix),
    )
    try:
        allowed = [await take(first if i % 2 else second) for i in range(5)]
        assert allowed == [True, True, True, False, False]
        assert await take(first, NOW + SECOND)  # one more a second later, for both
        assert not await take(second, NOW + SECOND)
        client = Redis.from_url(REDIS_URL)
        try:
            ttl = await client.pttl(prefix + "rl:1:x")
            tat = int(await client.get(prefix + "rl:1:x"))
        finally:
            await client.aclose()
        assert tat == NOW + 4 * SECOND  # exact integer microseconds, no float rounding
        assert 0 < ttl <= 3001  # the key expires once its TAT is in the past
        assert first.shared and second.shared
    finally:
        await first.close()
        await second.close()


async def test_redis_and_memory_give_the_same_answers(prefix: str) -> None:
    """A random schedule of calls gets the same yes/no from both implementations."""
    import random

    rng = random.Random(7)
    redis_state = RedisRateCounter(REDIS_URL, prefix=prefix)
    memory = MemoryRateCounter()
    try:
        now = NOW
        for _ in range(300):
            now += rng.choice([0, 0, 1, 999, 5_000, 333_333, 1_000_000])
            interval, tolerance = 200_000, rng.choice([0, 200_000, 1_000_000])
            a = await redis_state.take("rl:2:y", now, interval, tolerance)
            b = await memory.take("rl:2:y", now, interval, tolerance)
            assert a == b
    finally:
        await redis_state.close()


@asynccontextmanager
async def client_of(
    store: Store, clock: FrozenClock, app: App, counter: RateCounter
) -> AsyncIterator[RestClient]:
    """A REST client of a separate app instance (own gate, own limiter) with ``counter``."""
    asgi = create_app(
        Config(database="unused://", app_cache_seconds=0),
        store=store,
        clock=clock,
        rate_counter=counter,
    )
    async with asgi.router.lifespan_context(asgi):
        transport = httpx.ASGITransport(app=asgi)
        async with httpx.AsyncClient(transport=transport, base_url="http://relchain") as http:
            yield RestClient(http, clock, app, store)


async def limited_app(store: Store, app: App, limit: int) -> App:
    """``limit`` calls/s, all of which may come at once (burst 100%)."""
    settings = replace(app.settings, rate_limit=limit, rate_burst_percent=100)
    changed = replace(app, settings=settings)
    async with store.write() as tx:
        await tx.save_app(changed)
    return changed


async def codes_of_alternating_calls(clients: list[RestClient], calls: int) -> list[int]:
    codes = []
    for i in range(calls):
        data = await clients[i % len(clients)].call(CHECK, CHECK_BODY)
        codes.append(data["ErrorCode"])
    return codes


async def test_the_limit_holds_across_two_app_instances_together(
    store: Store, clock: FrozenClock, app: App, prefix: str
) -> None:
    limited = await limited_app(store, app, 3)
    first, second = (
        RedisRateCounter(REDIS_URL, prefix=prefix),
        RedisRateCounter(REDIS_URL, prefix=prefix),
    )
    try:
        async with (
            client_of(store, clock, limited, first) as one,
            client_of(store, clock, limited, second) as two,
        ):
            codes = await codes_of_alternating_calls([one, two], 8)
            assert codes == [0, 0, 0] + [Code.RATE_LIMITED] * 5
            clock.advance(1)  # a second later: both may call again, still 3 in all
            codes = await codes_of_alternating_calls([two, one], 4)
            assert codes == [0, 0, 0, Code.RATE_LIMITED]
    finally:
        await first.close()
        await second.close()


async def test_without_redis_each_instance_limits_alone(
    store: Store, clock: FrozenClock, app: App
) -> None:
    limited = await limited_app(store, app, 3)
    async with (
        client_of(store, clock, limited, MemoryRateCounter()) as one,
        client_of(store, clock, limited, MemoryRateCounter()) as two,
    ):
        codes = await codes_of_alternating_calls([one, two], 8)
    assert codes == [0] * 6 + [Code.RATE_LIMITED] * 2


async def test_app_built_from_config_uses_redis_and_closes_it(
    store: Store, clock: FrozenClock, app: App, prefix: str
) -> None:
    """``Config.redis`` set: the app keeps its state in Redis (its key appears) with no state
    given."""
    await limited_app(store, app, 1)  # its key lives one second
    asgi = create_app(
        Config(database="unused://", app_cache_seconds=0, redis=REDIS_URL), store=store, clock=clock
    )
    client = Redis.from_url(REDIS_URL)
    try:
        async with asgi.router.lifespan_context(asgi):
            transport = httpx.ASGITransport(app=asgi)
            async with httpx.AsyncClient(transport=transport, base_url="http://relchain") as http:
                await RestClient(http, clock, app, store).ok(CHECK, CHECK_BODY)
        key = f"relchain:rl:{app.sdkappid}:{CHECK}"
        assert int(await client.get(key) or 0) > clock.now() * 1_000_000
        await client.delete(key)
    finally:
        await client.aclose()


# --- two real `relchain serve` processes sharing one limit -------------------------------------


@pytest.fixture
async def database_url(tmp_path: Path) -> str:
    if POSTGRES_URL:
        from tests.storage.postgres_db import fresh_postgres_url

        return await fresh_postgres_url(POSTGRES_URL)
    return f"sqlite:///{tmp_path / 'shared.db'}"


@pytest.fixture
def servers(database_url: str) -> Iterator[tuple[list[ServeProcess], App]]:
    sdkappid = 1500000000 + secrets.randbelow(99_999_999)  # keys of its own in the shared Redis
    created = orjson.loads(
        relchain(
            "app",
            "create",
            "--sdkappid",
            str(sdkappid),
            "--admin",
            "admin",
            "--database",
            database_url,
        )
    )
    relchain("app", "set", str(sdkappid), "rate_limit", "5", "--database", database_url)
    relchain("app", "set", str(sdkappid), "rate_burst_percent", "100", "--database", database_url)
    app = App(sdkappid=sdkappid, key=created["key"], admins=("admin",))
    processes = [ServeProcess(database_url, "--redis", REDIS_URL) for _ in range(2)]
    try:
        deadline = time.monotonic() + 30
        for process in processes:
            process.wait_ready(deadline)
        yield processes, app
    finally:
        for process in processes:
            process.stop()


async def burst(ports: list[int], app: App, calls: int) -> tuple[list[int], float]:
    """``calls`` concurrent calls spread over ``ports``; their codes and how long they took."""
    sig = generate_usersig(app.key, app.sdkappid, "admin", 3600, int(time.time()))
    query = f"sdkappid={app.sdkappid}&identifier=admin&usersig={sig}&random=1&contenttype=json"
    async with httpx.AsyncClient(timeout=10) as http:

        async def one(i: int) -> int:
            url = f"http://127.0.0.1:{ports[i % len(ports)]}/v4/{CHECK}?{query}"
            response = await http.post(url, content=orjson.dumps(CHECK_BODY))
            return int(response.json()["ErrorCode"])

        for i in range(len(ports)):  # warm up each connection (and each process's app cache)
            await http.get(f"http://127.0.0.1:{ports[i]}/healthz")
        await asyncio.sleep(1.1)  # the warm-up left no trace in the limit
        start = time.monotonic()
        codes = await asyncio.gather(*(one(i) for i in range(calls)))
        return list(codes), time.monotonic() - start


@pytest.mark.e2e
async def test_two_serve_processes_share_the_limit_through_redis(
    servers: tuple[list[ServeProcess], App],
) -> None:
    """Limit 5/s per app and API, all 5 at once: 16 calls at once over 2 processes pass 5 (plus
    one per 200 ms they took), not 10."""
    processes, app = servers
    codes, took = await burst([p.port for p in processes], app, 16)
    passed = codes.count(0)
    assert set(codes) <= {0, Code.RATE_LIMITED}
    assert 5 <= passed <= 5 + int(took * 5), (codes, took)
    assert passed < 10, (codes, took)
