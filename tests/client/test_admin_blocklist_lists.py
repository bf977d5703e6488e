"""AsyncAdmin against the real app: blocklists (with the walk over every page) and friend
lists."""

from __future__ import annotations

import pytest

from relchain.client import (
    AddFriend,
    AsyncAdmin,
    BlockCheckType,
    BlockRelation,
    FriendRelation,
    LimitExceeded,
)
from relchain.ports import Store
from tests.client.test_admin_follows import users
from tests.support import FrozenClock, set_settings

SRC = "AddSource_Type_Client"


async def test_block_check_get_and_unblock(admin: AsyncAdmin, clock: FrozenClock) -> None:
    await users(admin, "alice", "bob", "carol")
    await admin.friend_add("alice", [AddFriend("bob", SRC)], force_add=True)
    blocked = await admin.black_list_add("alice", ["bob", "carol", "alice", "ghost"])
    assert [(i.account, i.code) for i in blocked] == [
        ("bob", 0),
        ("carol", 0),
        ("alice", 30001),
        ("ghost", 30003),
    ]
    assert (await admin.friend_check("alice", ["bob"]))[0].relation is (
        FriendRelation.NO_RELATION
    ), "blocking ends the friendship"
    checks = await admin.black_list_check("alice", ["bob", "ghost"])
    assert [(c.relation, c.code) for c in checks] == [
        (BlockRelation.A_WITH_B, 0),
        (BlockRelation.NO, 30003),
    ]
    other_way = await admin.black_list_check("bob", ["alice"])
    assert other_way[0].relation is BlockRelation.B_WITH_A
    single = await admin.black_list_check("bob", ["alice"], check_type=BlockCheckType.SINGLE)
    assert single[0].relation is BlockRelation.NO
    page = await admin.black_list_get("alice")
    assert [(e.account, e.blocked_at) for e in page.entries] == [
        ("bob", int(clock.now())),
        ("carol", int(clock.now())),
    ]
    assert page.next_start_index == 0 and page.sequence > 0
    unchanged = await admin.black_list_get("alice", last_sequence=page.sequence)
    assert unchanged.entries == () and unchanged.sequence == page.sequence
    unblocked = await admin.black_list_delete("alice", ["bob", "ghost"])
    assert [i.code for i in unblocked] == [0, 30003]
    assert [e.account async for e in admin.iter_blocklist("alice")] == ["carol"]


async def test_the_walk_returns_the_whole_blocklist_across_pages(admin: AsyncAdmin) -> None:
    others = [f"u{n:03}" for n in range(57)]
    await users(admin, "alice", *others)
    assert (await admin.black_list_add("alice", others)).ok
    first = await admin.black_list_get("alice", max_limited=20)
    assert len(first.entries) == 20 and first.next_start_index
    walked = [e.account async for e in admin.iter_blocklist("alice", page_size=20)]
    assert walked == others


async def test_friend_lists_add_get_and_delete(admin: AsyncAdmin) -> None:
    await users(admin, "alice", "bob", "carol")
    for other in ("bob", "carol"):
        await admin.friend_add("alice", [AddFriend(other, SRC)], force_add=True)
    created = await admin.group_add("alice", ["Work", "Gym"])
    assert created.sequence > 0 and created.results.items == ()
    filled = await admin.group_add("alice", ["Work"], ["bob", "carol", "ghost"])
    assert [(i.account, i.code) for i in filled.results] == [
        ("bob", 0),
        ("carol", 0),
        ("ghost", 30003),
    ]
    assert filled.sequence > created.sequence
    lists = await admin.group_get("alice", need_friend=True)
    assert [(g.name, g.friend_count, g.members) for g in lists.lists] == [
        ("Work", 2, ("bob", "carol")),
        ("Gym", 0, ()),
    ]
    assert lists.sequence == filled.sequence
    only = await admin.group_get("alice", group_names=["Gym"])
    assert only.lists[0].members is None and only.get("Work") is None
    assert only.get("Gym") == only.lists[0]
    sequence = await admin.group_delete("alice", ["Work", "Unknown"])
    assert sequence > filled.sequence
    assert [g.name for g in (await admin.group_get("alice")).lists] == ["Gym"]


async def test_the_list_cap_is_limit_exceeded(admin: AsyncAdmin, store: Store) -> None:
    await set_settings(store, max_friend_lists=2)
    await users(admin, "alice")
    with pytest.raises(LimitExceeded) as caught:
        await admin.group_add("alice", ["A", "B", "C"])
    assert caught.value.error_code == 30011 and caught.value.error_info.startswith("GroupName")
