"""PostgresStore specifics: URL pool settings, bounded waits, reconnects, conflict retries."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator

import asyncpg
import pytest

from relchain.storage import StorageError, open_store
from relchain.storage.postgres import PoolSettings, PostgresStore
from relchain.storage.tx import StoreTx

POSTGRES_URL = os.environ.get("RELCHAIN_TEST_POSTGRES_URL", "")
needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL, reason="RELCHAIN_TEST_POSTGRES_URL is not set"
)
T = 1_700_000_000


def test_pool_settings_come_from_the_url_query_and_are_removed_from_it() -> None:
    dsn, settings = PoolSettings.from_url(
        "postgres://u:p@h:5433/db?pool_max=20&sslmode=disable&command_timeout=1.5&pool_min=0"
    )
    assert dsn == "postgresql://u:p@h:5433/db?sslmode=disable"
    assert (settings.pool_min, settings.pool_max, settings.command_timeout) == (0, 20, 1.5)
    assert PoolSettings.from_url("postgresql://h/db") == ("postgresql://h/db", PoolSettings())


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("pool_max=lots", "pool_max must be a int, got 'lots'"),
        ("command_timeout=-1", "command_timeout out of range"),
        ("pool_max=0", "pool_max out of range"),
        ("pool_min=5&pool_max=2", "pool_min must not exceed pool_max"),
    ],
)
def test_bad_pool_settings_are_a_clear_error(query: str, message: str) -> None:
    with pytest.raises(StorageError, match=message):
        PoolSettings.from_url(f"postgresql://h/db?{query}")


async def test_unreachable_server_fails_fast_with_the_url_without_password() -> None:
    started = time.monotonic()
    with pytest.raises(StorageError, match=r"cannot open PostgreSQL at postgresql://u:\*\*\*@"):
        await open_store("postgresql://u:secret@127.0.0.1:1/db?connect_timeout=1")
    assert time.monotonic() - started < 3


@pytest.fixture
async def pg_url() -> str:
    from tests.storage.postgres_db import fresh_postgres_url

    return await fresh_postgres_url(POSTGRES_URL)


@pytest.fixture
async def pg(pg_url: str) -> AsyncIterator[PostgresStore]:
    """A store with a 1-second statement timeout and at most 4 connections."""
    store = await PostgresStore.open(pg_url + "?pool_max=4&command_timeout=1")
    yield store
    await store.close()


async def backend_pids(store: PostgresStore) -> list[int]:
    async with store.read() as tx:
        return [
            r[0]
            for r in await tx.db.conn.fetch(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND application_name = 'relchain'"
            )
        ]


async def terminate_all(store: PostgresStore) -> int:
    pids = await backend_pids(store)
    admin = await asyncpg.connect(POSTGRES_URL)
    try:
        for pid in pids:  # and wait (5 s at most) until it is gone: on a busy machine a
            # backend told to end can still answer the next BEGIN, then fail the query after it
            assert await admin.fetchval("SELECT pg_terminate_backend($1, 5000)", pid)
    finally:
        await admin.close()
    return len(pids)


@needs_postgres
async def test_pool_size_comes_from_the_url(pg: PostgresStore) -> None:
    """pool_max=4: four transactions run at once, a fifth waits for a free connection."""
    entered, release = asyncio.Event(), asyncio.Event()
    holding = 0

    async def hold() -> None:
        nonlocal holding
        async with pg.read():
            holding += 1
            if holding == 4:
                entered.set()
            await release.wait()

    tasks = [asyncio.create_task(hold()) for _ in range(5)]
    await asyncio.wait_for(entered.wait(), 5)
    await asyncio.sleep(0.2)
    assert holding == 4
    release.set()
    await asyncio.gather(*tasks)
    assert holding == 5


@pytest.fixture
async def patient(pg_url: str) -> AsyncIterator[PostgresStore]:
    """A store whose statements may wait 60 s: for tests of what happens, not how fast (on a
    busy machine a commit alone can pass the 1 s of :func:`pg`)."""
    store = await PostgresStore.open(pg_url + "?pool_max=4&command_timeout=60")
    yield store
    await store.close()


@needs_postgres
async def test_terminated_pooled_connections_are_replaced_without_an_error(
    patient: PostgresStore,
) -> None:
    """An admin (or a server restart) killed every connection: the next transaction reconnects."""
    pg = patient
    async with pg.write() as tx:
        await tx.import_accounts(1, [("a", {})], T)
    assert await terminate_all(pg) >= 1
    async with pg.read() as tx:
        assert await tx.existing_accounts(1, ["a"]) == {"a"}
    async with pg.write() as tx:
        await tx.import_accounts(1, [("b", {})], T)
    async with pg.read() as tx:
        assert await tx.existing_accounts(1, ["a", "b"]) == {"a", "b"}


@needs_postgres
async def test_read_one_runs_every_statement_as_its_own_snapshot(pg: PostgresStore) -> None:
    """No transaction: a statement sees what committed after the previous one (read() not)."""
    for read, sees_it in ((pg.read_one, True), (pg.read, False)):
        async with pg.write() as tx:
            await tx.delete_accounts(1, ["a"])
        async with read() as tx:
            assert tx.db.conn.is_in_transaction() is not sees_it
            assert await tx.existing_accounts(1, ["a"]) == set()
            async with pg.write() as other:
                await other.import_accounts(1, [("a", {})], T)
            assert await tx.existing_accounts(1, ["a"]) == ({"a"} if sees_it else set())


async def terminate(pid: int) -> None:
    admin = await asyncpg.connect(POSTGRES_URL)
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1, 5000)", pid)
    finally:
        await admin.close()


@needs_postgres
async def test_read_one_runs_a_statement_again_on_a_fresh_connection_when_it_was_lost(
    patient: PostgresStore, caplog: pytest.LogCaptureFixture
) -> None:
    """The statement that finds its pooled connection dead is run again on a fresh one (once)."""
    pg = patient
    async with pg.write() as tx:
        await tx.import_accounts(1, [("a", {})], T)
    async with pg.read_one() as tx:
        await terminate(tx.db.conn.get_server_pid())
        assert await tx.existing_accounts(1, ["a"]) == {"a"}
        assert "connection lost" in caplog.text
        await terminate(tx.db.conn.get_server_pid())
        with pytest.raises((asyncpg.InterfaceError, asyncpg.PostgresError)):
            await tx.existing_accounts(1, ["a"])  # once per read: a second loss is an error
    assert pg.pool_usage()[1] == 0  # every connection given back
    async with pg.read_one() as tx:
        assert await tx.existing_accounts(1, ["a"]) == {"a"}


@needs_postgres
async def test_a_statement_blocked_on_a_lock_gives_up_after_command_timeout(
    pg: PostgresStore,
) -> None:
    async with pg.write() as tx:
        await tx.import_accounts(1, [("a", {})], T)
    locker = await asyncpg.connect(pg._dsn)
    try:
        async with locker.transaction():
            await locker.execute("SELECT 1 FROM accounts WHERE user_id = 'a' FOR UPDATE")
            started = time.monotonic()
            with pytest.raises(TimeoutError):
                async with pg.write() as tx:
                    await tx.update_profile(1, "a", {"Tag_Profile_IM_Nick": "x"})
            assert time.monotonic() - started < 3
    finally:
        await locker.close()
    async with pg.read() as tx:  # the pool is healthy afterwards and nothing was written
        assert (await tx.get_profiles(1, ["a"]))["a"].sequence == 0


@needs_postgres
async def test_run_write_reruns_the_victim_of_a_deadlock(pg_url: str) -> None:
    pg = await PostgresStore.open(pg_url)  # the default command timeout outlasts deadlock_timeout
    try:
        await _deadlock_and_rerun(pg)
    finally:
        await pg.close()


async def _deadlock_and_rerun(pg: PostgresStore) -> None:
    async with pg.write() as tx:
        await tx.import_accounts(1, [("a", {}), ("b", {})], T)
    both_locked_first = asyncio.Barrier(2)
    attempts = {"ab": 0, "ba": 0}

    def work(order: str) -> object:
        async def run(tx: StoreTx) -> None:
            attempts[order] += 1
            first, second = order
            await tx.update_profile(1, first, {"Tag_Profile_IM_Nick": order})
            if attempts[order] == 1:
                await both_locked_first.wait()
            await tx.update_profile(1, second, {"Tag_Profile_IM_Nick": order})

        return run

    await asyncio.gather(pg.run_write(work("ab")), pg.run_write(work("ba")))  # type: ignore[arg-type]
    assert sorted(attempts.values()) == [1, 2]  # one was the deadlock victim and ran again
    async with pg.read() as tx:
        profiles = await tx.get_profiles(1, ["a", "b"])
    assert profiles["a"].sequence == profiles["b"].sequence == 2
    assert profiles["a"].values == profiles["b"].values  # the later one wrote both


@needs_postgres
async def test_run_write_does_not_rerun_other_errors(pg: PostgresStore) -> None:
    calls = 0

    async def work(tx: StoreTx) -> None:
        nonlocal calls
        calls += 1
        await tx.db.conn.execute("SELECT 1 / 0")

    with pytest.raises(asyncpg.DivisionByZeroError):
        await pg.run_write(work)
    assert calls == 1


def run_without(module: str, code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter where importing ``module`` fails (driver missing)."""
    prelude = f"import sys; sys.modules[{module!r}] = None\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_missing_postgres_driver_names_the_extra() -> None:
    done = run_without(
        "asyncpg",
        "import asyncio\n"
        "from relchain.storage import StorageError, open_store\n"
        "try:\n"
        "    asyncio.run(open_store('postgresql://u@127.0.0.1:1/db'))\n"
        "except StorageError as exc:\n"
        "    print(exc)\n",
    )
    assert done.returncode == 0, done.stderr
    assert "pip install 'relchain[postgres]'" in done.stdout


def test_missing_redis_client_names_the_extra() -> None:
    done = run_without(
        "redis.asyncio",
        "try:\n    import relchain.storage.redis\nexcept ImportError as exc:\n    print(exc)\n",
    )
    assert done.returncode == 0, done.stderr
    assert "pip install 'relchain[redis]'" in done.stdout
