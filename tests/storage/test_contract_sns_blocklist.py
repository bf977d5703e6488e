"""Storage contract for blocklists: add, delete, page, check."""

from __future__ import annotations

from dataclasses import replace

from relchain.domain.errors import Code
from relchain.domain.profiles import NEED_CONFIRM
from relchain.domain.results import ItemResult, Reason
from relchain.ports import Store
from tests.support import LIMITS, befriend, codes, counters, edges, make_accounts
from tests.support import SDKAPPID as APP
from tests.support import T0 as T


async def block(store: Store, me: str, *others: str, limits: object = LIMITS) -> list[int]:
    async with store.write() as tx:
        results = await tx.block(APP, me, list(others), limits=limits, now=T)  # type: ignore[arg-type]
    return codes(results)


async def test_block_removes_the_friendship_both_ways(store: Store) -> None:
    await make_accounts(store, "a", "b")
    await befriend(store, "a", "b")
    assert await block(store, "a", "b") == [0]
    assert await edges(store, "a", "b") == {"b": (False, False)}
    assert (await counters(store, "a"))[0] == 0
    assert (await counters(store, "b"))[0] == 0
    async with store.read() as tx:
        assert await tx.block_edges(APP, "a", ["b"]) == {"b": (True, False)}
        assert await tx.block_edges(APP, "b", ["a"]) == {"a": (False, True)}


async def test_block_drops_pending_requests_both_ways(store: Store) -> None:
    await make_accounts(store, "a", "b", allow=NEED_CONFIRM)
    await befriend(store, "a", "b")
    await block(store, "b", "a")
    async with store.read() as tx:
        assert await tx.list_friend_requests(APP, "b", incoming=True, limit=9) == []
    # a's pending counter was given back
    await make_accounts(store, "c", allow=NEED_CONFIRM)
    assert await befriend(store, "a", "c", limits=replace(LIMITS, max_pending=1)) == [30539]


async def test_block_item_errors(store: Store) -> None:
    await make_accounts(store, "a", "b")
    await block(store, "a", "b")
    assert await block(store, "a", "b", "a", "ghost") == [30001, 30001, 30003]
    async with store.write() as tx:
        results = await tx.block(APP, "a", ["b"], limits=LIMITS, now=T)
    assert results.results == [ItemResult("b", Code.SNS_BAD_PARAM, Reason.ALREADY_BLOCKED)]


async def test_blocklist_cap_is_30013(store: Store) -> None:
    await make_accounts(store, "a", "b", "c")
    assert await block(store, "a", "b", "c", limits=replace(LIMITS, max_blocklist=1)) == [
        0,
        30013,
    ]


async def test_unblock_is_idempotent_and_missing_accounts_are_30003(store: Store) -> None:
    await make_accounts(store, "a", "b", "c")
    await block(store, "a", "b")
    async with store.write() as tx:
        results = await tx.unblock(APP, "a", ["b", "c", "ghost"])
    assert codes(results) == [0, 0, 30003]
    async with store.read() as tx:
        assert await tx.block_edges(APP, "a", ["b", "ghost"]) == {"b": (False, False)}
    assert await befriend(store, "a", "b") == [0]


async def test_block_page_is_keyset_with_a_sequence(store: Store) -> None:
    users = [f"u{i}" for i in range(5)]
    await make_accounts(store, "a", *users)
    async with store.read() as tx:
        assert (await tx.get_block_page(APP, "a", 0, 10)).sequence == 0
    await block(store, "a", *users)
    async with store.read() as tx:
        first = await tx.get_block_page(APP, "a", 0, 3)
    assert [u for u, _ in first.entries] == users[:3]
    assert first.entries[0][1] == T
    assert first.next_start > 0
    seq = first.sequence
    async with store.write() as tx:
        await tx.unblock(APP, "a", ["u0"])
    await block(store, "a", "u0")  # re-added: keeps its position, not returned again
    async with store.read() as tx:
        rest = await tx.get_block_page(APP, "a", first.next_start, 3)
    assert [u for u, _ in rest.entries] == users[3:]
    assert rest.next_start == 0
    assert rest.sequence == seq + 2
