"""Storage contract of the webhook queue (both backends): the cursor, deliveries claimed one
at a time per account in event order, leases, results, counts, retry and pruning."""

from __future__ import annotations

import asyncio

import pytest

from relchain.domain.callbacks import Delivery, DeliveryState, NewDelivery
from relchain.ports import Store
from relchain.storage import open_store
from tests.conftest import POSTGRES_URL
from tests.storage.postgres_db import fresh_postgres_url
from tests.support import SDKAPPID as APP

NOW = 1_700_000_000_000


def new(event_id: int, account: str, command: str = "Follow.CallbackAfterFollowAdd") -> NewDelivery:
    return NewDelivery(event_id, command, account, f'{{"e":{event_id}}}', "RESTAPI", "", NOW - 5)


async def claim(store: Store, now: int = NOW, limit: int = 100) -> list[Delivery]:
    async with store.write() as tx:
        return await tx.claim_deliveries(now, now + 30_000, limit, [APP])


async def record(store: Store, d: Delivery, state: DeliveryState, **kw: int) -> None:
    async with store.write() as tx:
        await tx.record_delivery(
            d,
            state,
            next_ms=kw.get("next_ms", 0),
            done_ms=kw.get("done_ms", NOW),
            answer="HTTP 500" if state is not DeliveryState.DELIVERED else "",
        )


async def test_the_cursor_starts_where_told_and_moves(store: Store) -> None:
    async with store.write() as tx:
        assert await tx.lock_webhook_cursor(APP, 17) == 17
        await tx.set_webhook_cursor(APP, 40)
    async with store.write() as tx:
        assert await tx.lock_webhook_cursor(APP, 0) == 40  # the start only counts once


async def test_claims_take_the_oldest_of_each_account_and_lease_it(store: Store) -> None:
    async with store.write() as tx:
        await tx.add_deliveries(APP, [new(1, "a"), new(2, "b"), new(3, "a"), new(4, "c")], NOW)
        await tx.add_deliveries(APP, [new(1, "a")], NOW)  # queued twice: kept once
    first = await claim(store)
    assert [(d.event_id, d.account) for d in first] == [(1, "a"), (2, "b"), (4, "c")]
    assert first[0].body == '{"e":1}' and first[0].event_ms == NOW - 5
    assert await claim(store) == []  # leased; 3 waits for 1
    async with store.write() as tx:
        assert await tx.claim_deliveries(NOW + 30_000, NOW, 10, [APP + 1]) == []  # other apps
    await record(store, first[0], DeliveryState.DELIVERED)
    (third,) = await claim(store)
    assert third.event_id == 3
    assert [d.event_id for d in await claim(store, NOW + 30_000)] == [2, 3, 4]  # leases ended


async def test_a_failed_delivery_holds_its_account_until_it_is_due(store: Store) -> None:
    async with store.write() as tx:
        await tx.add_deliveries(APP, [new(1, "a"), new(2, "a")], NOW)
        assert await tx.deliveries_due(NOW)
    (one,) = await claim(store)
    await record(store, one, DeliveryState.FAILED, next_ms=NOW + 1000)
    assert await claim(store) == []
    async with store.read() as tx:
        assert await tx.deliveries_due(NOW)  # a hint: 2 is due, though it waits for 1
        assert not await tx.deliveries_due(NOW - 1)
        assert await tx.webhook_queue_depth() == 2
    (again,) = await claim(store, NOW + 1000)
    assert (again.event_id, again.attempts) == (1, 1)
    await record(store, again, DeliveryState.DEAD)  # a dead one no longer holds the account
    (two,) = await claim(store, NOW + 1000)
    assert two.event_id == 2
    await record(store, two, DeliveryState.DELIVERED)
    await record(store, two, DeliveryState.FAILED)  # a late result of a done delivery: ignored
    async with store.read() as tx:
        assert await tx.delivery_counts(APP) == {
            "Follow.CallbackAfterFollowAdd": {"dead": 1, "delivered": 1}
        }
        (failure,) = await tx.delivery_failures(APP, 10)
        assert (failure.event_id, failure.state, failure.attempts) == (1, "dead", 2)
        assert failure.last_answer == "HTTP 500"
        assert await tx.webhook_queue_depth() == 0


async def test_retry_moves_failed_and_on_request_dead_deliveries_to_now(store: Store) -> None:
    async with store.write() as tx:
        await tx.add_deliveries(APP, [new(1, "a"), new(2, "b")], NOW)
    one, two = await claim(store)
    await record(store, one, DeliveryState.FAILED, next_ms=NOW + 60_000)
    await record(store, two, DeliveryState.DEAD)
    async with store.write() as tx:
        assert await tx.retry_deliveries(APP, NOW + 1, dead=False) == 1
    assert [d.event_id for d in await claim(store, NOW + 1)] == [1]
    async with store.write() as tx:
        assert await tx.retry_deliveries(APP, NOW + 2, dead=True) == 1  # 1 is being sent
    revived = await claim(store, NOW + 2)
    assert [(d.event_id, d.created_ms) for d in revived] == [(2, NOW + 2)]  # a new window


async def test_delivered_ones_are_pruned_by_age(store: Store) -> None:
    async with store.write() as tx:
        await tx.add_deliveries(APP, [new(1, "a"), new(2, "b"), new(3, "c")], NOW)
    one, two, _ = await claim(store)
    await record(store, one, DeliveryState.DELIVERED, done_ms=NOW)
    await record(store, two, DeliveryState.DELIVERED, done_ms=NOW + 10)
    async with store.write() as tx:
        assert await tx.prune_deliveries(NOW + 5, 100) == 1
        assert await tx.delivery_counts(APP) == {
            "Follow.CallbackAfterFollowAdd": {"delivered": 1, "pending": 1}
        }


async def test_deleting_the_app_deletes_its_queue(store: Store) -> None:
    async with store.write() as tx:
        await tx.add_deliveries(APP, [new(1, "a")], NOW)
        await tx.lock_webhook_cursor(APP, 3)
        deleted = await tx.delete_app(APP)
    assert deleted["webhook_deliveries"] == 1 and deleted["webhook_cursors"] == 1


@pytest.mark.skipif(not POSTGRES_URL, reason="needs RELCHAIN_TEST_POSTGRES_URL")
async def test_postgres_two_claimers_never_take_the_same_delivery() -> None:
    """Two servers claiming at once (two pools): SKIP LOCKED gives each its own rows, and a
    cursor held by one is skipped by the other."""
    url = await fresh_postgres_url(POSTGRES_URL)
    store, other = await open_store(url), await open_store(url)
    try:
        async with store.write() as tx:
            await tx.add_deliveries(APP, [new(i, f"u{i}") for i in range(1, 41)], NOW)
            await tx.lock_webhook_cursor(APP, 0)  # created (a creation waits for the first)
        held = asyncio.Event()
        release = asyncio.Event()

        async def first() -> list[Delivery]:
            async with store.write() as tx:
                got = await tx.claim_deliveries(NOW, NOW + 30_000, 15, [APP])
                assert await tx.lock_webhook_cursor(APP, 0) == 0
                held.set()
                await release.wait()
            return got

        task = asyncio.create_task(first())
        await held.wait()
        async with other.write() as tx:
            second = await tx.claim_deliveries(NOW, NOW + 30_000, 100, [APP])
            assert await tx.lock_webhook_cursor(APP, 0) is None  # the other holds it
        release.set()
        mine = await task
        assert len(mine) == 15 and len(second) == 25
        assert {d.event_id for d in mine}.isdisjoint(d.event_id for d in second)
    finally:
        await other.close()
        await store.close()
