"""AsyncAdmin against the real app: friends, friend requests by AllowType, and the walk over
every friend."""

from __future__ import annotations

import pytest

from relchain.client import (
    AddFriend,
    AddType,
    AllowType,
    AsyncAdmin,
    CheckType,
    DeleteType,
    FriendRelation,
    ImportFriend,
    InvalidRequest,
    NotFound,
    PermissionDenied,
    ProfileTag,
    SnsTag,
    UpdateFriend,
)
from relchain.ports import Store
from tests.client.test_admin_follows import users
from tests.support import FrozenClock, set_settings

SRC = "AddSource_Type_Client"


async def test_add_check_and_get_friends(admin: AsyncAdmin, clock: FrozenClock) -> None:
    await users(admin, "alice", "bob", "carol", "dave")
    await admin.portrait_set("carol", {ProfileTag.ALLOW_TYPE: AllowType.ALLOW_ANY})
    await admin.portrait_set("dave", {ProfileTag.ALLOW_TYPE: AllowType.DENY_ANY})
    added = await admin.friend_add(
        "alice",
        [
            AddFriend("bob", SRC, add_wording="hi"),
            AddFriend("carol", SRC, remark="Caro", group="Work"),
            AddFriend("dave", SRC),
            AddFriend("alice", SRC),
        ],
    )
    assert [(i.account, i.code) for i in added] == [
        ("bob", 30539),
        ("carol", 0),
        ("dave", 30516),
        ("alice", 30001),
    ]
    assert added.failed == ("bob", "dave", "alice")
    forced = await admin.friend_add("alice", [AddFriend("bob", SRC)], force_add=True)
    assert forced.ok
    checks = await admin.friend_check("alice", ["bob", "carol", "dave", "ghost"])
    assert [(c.relation, c.code) for c in checks] == [
        (FriendRelation.BOTH_WAY, 0),
        (FriendRelation.BOTH_WAY, 0),
        (FriendRelation.NO_RELATION, 0),
        (FriendRelation.NO_RELATION, 30003),
    ]
    single = await admin.friend_check("carol", ["alice"], check_type=CheckType.SINGLE)
    assert single[0].relation is FriendRelation.A_WITH_B

    page = await admin.friend_get("alice")
    assert page.complete and page.next_start_index == 0 and page.friend_count == 2
    assert [f.account for f in page.friends] == ["carol", "bob"]
    carol = page.friends[0]
    assert (carol.add_source, carol.remark, carol.groups, carol.add_time) == (
        SRC,
        "Caro",
        ("Work",),
        int(clock.now()),
    )
    assert page.friends[1].remark == "" and page.friends[1].groups == ()
    current = await admin.friend_get(
        "alice",
        standard_sequence=page.standard_sequence,
        custom_sequence=page.custom_sequence,
    )
    assert [f.tags for f in current.friends] == [{}, {}], "nothing changed since that pull"
    assert current.friends[0].add_source is None and current.friends[0].add_time is None


async def test_single_add_import_update_and_get_list(admin: AsyncAdmin, store: Store) -> None:
    await set_settings(store, custom_sns_tags=("Tag_SNS_Custom_Mood",))
    await users(admin, "alice", "bob", "carol")
    await admin.portrait_set("bob", {ProfileTag.NICK: "Bobby"})
    single = await admin.friend_add(
        "alice", [AddFriend("bob", SRC)], add_type=AddType.SINGLE, force_add=True
    )
    assert single.ok
    assert (await admin.friend_check("bob", ["alice"]))[0].relation is FriendRelation.B_WITH_A
    imported = await admin.friend_import(
        "alice",
        [
            ImportFriend(
                "carol",
                SRC,
                remark="C",
                groups=["Old", "Team"],
                add_time=1_500_000_000,
                custom={"Tag_SNS_Custom_Mood": "calm"},
            ),
            ImportFriend("bob", SRC),
        ],
    )
    assert [i.code for i in imported] == [0, 30001]
    updated = await admin.friend_update(
        "alice",
        [
            UpdateFriend("bob", remark="B", groups=["Team"]),
            UpdateFriend("carol", groups=[], custom={"Tag_SNS_Custom_Mood": 3}),
            UpdateFriend("ghost", remark="x"),
        ],
    )
    assert [i.code for i in updated] == [0, 0, 31704]
    infos = await admin.friend_get_list(
        "alice",
        ["bob", "carol", "ghost"],
        [ProfileTag.NICK, SnsTag.REMARK, SnsTag.GROUP, SnsTag.ADD_TIME, "Tag_SNS_Custom_Mood"],
    )
    bob, carol, ghost = infos
    assert bob.tags["Tag_Profile_IM_Nick"] == "Bobby"
    assert (bob.tags["Tag_SNS_IM_Remark"], bob.tags["Tag_SNS_IM_Group"]) == ("B", ["Team"])
    assert carol.tags["Tag_SNS_IM_AddTime"] == 1_500_000_000
    assert carol.tags["Tag_SNS_Custom_Mood"] == 3 and "Tag_SNS_IM_Group" not in carol.tags
    assert ghost.code == 30003 and infos.failed == ("ghost",)
    page = await admin.friend_get("alice")
    assert {f.account: f.custom for f in page.friends} == {
        "bob": {},
        "carol": {"Tag_SNS_Custom_Mood": 3},
    }


async def test_delete_one_side_both_sides_and_all(admin: AsyncAdmin) -> None:
    await users(admin, "alice", "bob", "carol", "dave")
    for other in ("bob", "carol", "dave"):
        await admin.friend_add("alice", [AddFriend(other, SRC)], force_add=True)
    removed = await admin.friend_delete("alice", ["bob", "ghost"])
    assert [(i.account, i.code) for i in removed] == [("bob", 0), ("ghost", 31704)]
    assert (await admin.friend_check("bob", ["alice"]))[0].relation is FriendRelation.A_WITH_B
    both = await admin.friend_delete("alice", ["carol"], delete_type=DeleteType.BOTH)
    assert both.ok
    assert (await admin.friend_check("carol", ["alice"]))[0].relation is (
        FriendRelation.NO_RELATION
    )
    await admin.friend_delete_all("alice", delete_type=DeleteType.BOTH)
    assert (await admin.friend_get("alice")).friend_count == 0
    assert (await admin.friend_get("dave")).friend_count == 0


async def test_the_walk_returns_every_friend_across_pages(admin: AsyncAdmin) -> None:
    """friend_get pages hold 500: 1,234 friends take three pages."""
    friends = [f"fr{n:04}" for n in range(1234)]
    await users(admin, "alice", *friends)
    for start in range(0, len(friends), 1000):
        batch = [ImportFriend(f, SRC) for f in friends[start : start + 1000]]
        assert (await admin.friend_import("alice", batch)).ok
    first = await admin.friend_get("alice")
    assert len(first.friends) == 500 and not first.complete and first.friend_count == 1234
    walked = [f.account async for f in admin.iter_friends("alice")]
    assert walked == friends, "in the order they were added, each once"
    assert [f async for f in admin.iter_friends("fr0001")] == []


async def test_sns_errors_map_to_their_classes(admin: AsyncAdmin) -> None:
    await users(admin, "alice", "bob")
    with pytest.raises(NotFound) as missing:
        await admin.friend_get("ghost")
    assert missing.value.error_code == 30003
    with pytest.raises(InvalidRequest) as bad:
        await admin.friend_add("alice", [AddFriend("bob", "NotASource")])
    assert bad.value.error_info.startswith("AddFriendItem[0].AddSource")
    await admin.portrait_set("alice", {ProfileTag.ADMIN_FORBID_TYPE: "AdminForbid_Type_SendOut"})
    with pytest.raises(PermissionDenied) as forbidden:
        await admin.friend_add("alice", [AddFriend("bob", SRC)])
    assert forbidden.value.error_code == 30009
