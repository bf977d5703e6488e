"""PostgreSQL only: follows interleaved with an account delete, step by step.

Each test holds one transaction at a chosen point (a raw row lock, or a unit of work paused on an
event) and waits until the other is blocked on that lock (``pg_stat_activity``), so the
interleaving the stress test meets once in many runs happens every time.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator

import asyncpg
import pytest

from relchain.domain.follows import FollowCaps, FollowCounts
from relchain.storage.postgres import PostgresStore
from relchain.storage.tx import StoreTx

POSTGRES_URL = os.environ.get("RELCHAIN_TEST_POSTGRES_URL", "")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not POSTGRES_URL, reason="RELCHAIN_TEST_POSTGRES_URL is not set"),
]
T = 1_700_000_000
APP = 1


@pytest.fixture
async def pg() -> AsyncIterator[PostgresStore]:
    from tests.storage.postgres_db import fresh_postgres_url

    store = await PostgresStore.open(await fresh_postgres_url(POSTGRES_URL))
    yield store
    await store.close()


async def blocked_on_a_lock(store: PostgresStore, count: int = 1) -> None:
    """Wait until ``count`` of the store's connections wait for a lock (10 s at most)."""
    admin = await asyncpg.connect(store._dsn)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            waiting = await admin.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND application_name = 'relchain' AND wait_event_type = 'Lock'"
            )
            if waiting >= count:
                return
            await asyncio.sleep(0.01)
        raise AssertionError("the other transaction never waited for the lock")
    finally:
        await admin.close()


async def edges_and_counts(store: PostgresStore) -> tuple[dict[str, FollowCounts], list[str]]:
    async with store.read() as tx:
        counts = await tx.follow_counts(APP, ["v", "w", "x"])
        rows = await tx.db.fetch(
            "SELECT follower || '->' || followee FROM follows WHERE sdkappid = $1 ORDER BY 1", APP
        )
    return counts, [r[0] for r in rows]


async def test_a_follow_waiting_for_an_account_deleted_and_imported_again_counts_its_edge(
    pg: PostgresStore,
) -> None:
    """x follows v while v is deleted and imported again: the follow waited for v's counter
    row, which the delete removed; the edge it then adds is counted on v's new row (it was
    lost: an edge with followers 0, and v's counters unlocked for the rest of the follow)."""
    async with pg.write() as tx:
        await tx.import_accounts(APP, [("v", {}), ("w", {}), ("x", {})], T)
        await tx.add_follows(APP, "w", ["v"], T, FollowCaps())  # v has a counter row

    async def follow(tx: StoreTx) -> object:
        return await tx.add_follows(APP, "x", ["v"], T + 1, FollowCaps())

    async with pg.write() as deleter:
        # the delete holds v's counter row (purge_follows' first step) when the follow starts
        # (fetch: a statement for effect only may wait for the next one, this lock may not)
        await deleter.db.fetch(
            "SELECT 1 FROM follow_counts WHERE sdkappid = $1 AND user_id = 'v' FOR UPDATE", APP
        )
        following = asyncio.create_task(pg.run_write(follow))
        await blocked_on_a_lock(pg)
        await deleter.purge_follows(APP, ["v"])
        await deleter.purge_sns(APP, ["v"])
        await deleter.delete_accounts(APP, ["v"])
        await deleter.import_accounts(APP, [("v", {})], T + 2)
    await asyncio.wait_for(following, 10)

    counts, edges = await edges_and_counts(pg)
    assert edges == ["x->v"]
    assert counts["v"] == FollowCounts(followers=1, following=0, mutual=0)
    assert counts["x"] == FollowCounts(followers=0, following=1, mutual=0)
    assert counts["w"] == FollowCounts()


async def test_an_unfollow_waiting_for_an_account_deleted_and_imported_again_changes_nothing(
    pg: PostgresStore,
) -> None:
    """The unfollow of an edge the delete removed finds no edge: no counter goes down twice."""
    async with pg.write() as tx:
        await tx.import_accounts(APP, [("v", {}), ("x", {})], T)
        await tx.add_follows(APP, "x", ["v"], T, FollowCaps())
        await tx.add_follows(APP, "v", ["x"], T, FollowCaps())

    async def unfollow(tx: StoreTx) -> object:
        return await tx.delete_follows(APP, "x", ["v"])

    async with pg.write() as deleter:
        await deleter.db.fetch(
            "SELECT 1 FROM follow_counts WHERE sdkappid = $1 AND user_id = 'v' FOR UPDATE", APP
        )
        unfollowing = asyncio.create_task(pg.run_write(unfollow))
        await blocked_on_a_lock(pg)
        await deleter.purge_follows(APP, ["v"])
        await deleter.purge_sns(APP, ["v"])
        await deleter.delete_accounts(APP, ["v"])
        await deleter.import_accounts(APP, [("v", {})], T + 2)
    await asyncio.wait_for(unfollowing, 10)

    counts, edges = await edges_and_counts(pg)
    assert edges == []
    assert counts["v"] == counts["x"] == FollowCounts()
