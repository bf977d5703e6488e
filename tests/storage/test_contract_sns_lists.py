"""Storage contract for friend lists: create with members, delete, read, sequences."""

from __future__ import annotations

from dataclasses import replace

import pytest

from relchain.domain.errors import ApiError, Code
from relchain.domain.results import ItemResult, Reason
from relchain.ports import Store
from tests.support import LIMITS, befriend, counters, make_accounts
from tests.support import SDKAPPID as APP


async def test_group_add_creates_lists_and_puts_friends_in(store: Store) -> None:
    await make_accounts(store, "a", "b", "c")
    await befriend(store, "a", "b")
    async with store.write() as tx:
        result = await tx.add_friend_lists(
            APP, "a", ["g1", "g2"], ["b", "c", "ghost"], limits=LIMITS
        )
    assert result.results == [
        ItemResult.ok("b"),
        ItemResult("c", Code.SNS_GROUP_NOT_FRIEND, Reason.NOT_FRIEND),
        ItemResult("ghost", Code.SNS_ACCOUNT_NOT_FOUND, Reason.NO_ACCOUNT),
    ]
    async with store.read() as tx:
        lists, seq = await tx.get_friend_lists(APP, "a", None)
        only, _ = await tx.get_friend_lists(APP, "a", ["g2", "nope"])
        data = await tx.get_friends(APP, "a", ["b"])
    assert [(x.name, x.members) for x in lists] == [("g1", ("b",)), ("g2", ("b",))]
    assert [x.name for x in only] == ["g2"]
    assert seq == result.sequence == 1
    assert data["b"].groups == ("g1", "g2")


async def test_group_add_of_existing_lists_keeps_them(store: Store) -> None:
    await make_accounts(store, "a")
    async with store.write() as tx:
        first = await tx.add_friend_lists(APP, "a", ["g1"], [], limits=LIMITS)
        again = await tx.add_friend_lists(APP, "a", ["g1"], [], limits=LIMITS)
    assert (first.sequence, again.sequence) == (1, 1)


async def test_group_add_past_the_cap_raises_30011_and_writes_nothing(store: Store) -> None:
    await make_accounts(store, "a")
    limits = replace(LIMITS, max_lists=2)
    async with store.write() as tx:
        await tx.add_friend_lists(APP, "a", ["g1"], [], limits=limits)
    with pytest.raises(ApiError) as caught:
        async with store.write() as tx:
            await tx.add_friend_lists(APP, "a", ["g2", "g3"], [], limits=limits)
    assert caught.value.code == 30011
    async with store.read() as tx:
        lists, seq = await tx.get_friend_lists(APP, "a", None)
    assert ([x.name for x in lists], seq) == (["g1"], 1)


async def test_group_delete_removes_the_list_from_every_friend(store: Store) -> None:
    await make_accounts(store, "a", "b", "c")
    await befriend(store, "a", "b", "c")
    async with store.write() as tx:
        await tx.add_friend_lists(APP, "a", ["g1", "g2"], ["b", "c"], limits=LIMITS)
    _, std, _ = await counters(store, "a")
    async with store.write() as tx:
        seq = (await tx.delete_friend_lists(APP, "a", ["g1", "unknown"])).sequence
        unchanged = (await tx.delete_friend_lists(APP, "a", ["unknown"])).sequence
    assert seq == unchanged
    async with store.read() as tx:
        lists, _ = await tx.get_friend_lists(APP, "a", None)
        data = await tx.get_friends(APP, "a", ["b", "c"])
    assert [(x.name, x.members) for x in lists] == [("g2", ("b", "c"))]
    assert data["b"].groups == data["c"].groups == ("g2",)
    assert (await counters(store, "a"))[1] == std + 1


async def test_deleting_a_friend_leaves_its_lists(store: Store) -> None:
    await make_accounts(store, "a", "b")
    await befriend(store, "a", "b")
    async with store.write() as tx:
        await tx.add_friend_lists(APP, "a", ["g1"], ["b"], limits=LIMITS)
        await tx.delete_friends(APP, "a", ["b"], both=True)
    await befriend(store, "a", "b")
    async with store.read() as tx:
        lists, _ = await tx.get_friend_lists(APP, "a", None)
        data = await tx.get_friends(APP, "a", ["b"])
    assert [(x.name, x.members) for x in lists] == [("g1", ())]
    assert data["b"].groups == ()


async def test_renaming_a_list_keeps_its_place_and_members(store: Store) -> None:
    await make_accounts(store, "a", "b")
    await befriend(store, "a", "b")
    async with store.write() as tx:
        await tx.add_friend_lists(APP, "a", ["g1", "g2"], ["b"], limits=LIMITS)
    _, std, _ = await counters(store, "a")
    async with store.write() as tx:
        renamed = await tx.rename_friend_list(APP, "a", "g1", "work")
        clash = await tx.rename_friend_list(APP, "a", "work", "g2")
        missing = await tx.rename_friend_list(APP, "a", "nope", "x")
    assert renamed is not None and clash is None and missing is None
    assert renamed.changes.lists_created == [("a", "work")]
    async with store.read() as tx:
        lists, seq = await tx.get_friend_lists(APP, "a", None)
        data = await tx.get_friends(APP, "a", ["b"])
    assert [(x.name, x.members) for x in lists] == [("work", ("b",)), ("g2", ("b",))]
    assert seq == renamed.sequence == 2
    assert set(data["b"].groups) == {"work", "g2"}
    assert (await counters(store, "a"))[1] == std + 1  # the friend's data changed


async def test_taking_friends_out_of_a_list(store: Store) -> None:
    await make_accounts(store, "a", "b", "c")
    await befriend(store, "a", "b", "c")
    async with store.write() as tx:
        await tx.add_friend_lists(APP, "a", ["g1"], ["b"], limits=LIMITS)
        out = await tx.remove_from_friend_list(APP, "a", "g1", ["b", "c"])
    assert out.results == [
        ItemResult.ok("b"),
        ItemResult("c", Code.SNS_GROUP_NOT_FRIEND, Reason.NOT_FRIEND),
    ]
    async with store.read() as tx:
        lists, _ = await tx.get_friend_lists(APP, "a", None)
        data = await tx.get_friends(APP, "a", ["b"])
    assert [(x.name, x.members) for x in lists] == [("g1", ())]
    assert data["b"].groups == ()
