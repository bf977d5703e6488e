"""AsyncAdmin against the real app: the follow APIs and the walks over every page."""

from __future__ import annotations

import pytest

from relchain.client import AsyncAdmin, FeatureDisabled, FollowType, InvalidRequest, ProfileTag
from relchain.ports import Store
from tests.support import FrozenClock, set_settings


async def users(admin: AsyncAdmin, *ids: str) -> None:
    for start in range(0, len(ids), 100):
        assert (await admin.multiaccount_import(list(ids[start : start + 100]))).ok


async def test_follow_check_counts_and_unfollow(admin: AsyncAdmin, clock: FrozenClock) -> None:
    await users(admin, "alice", "bob", "carol")
    added = await admin.follow_add("alice", ["bob", "carol", "alice", "ghost"])
    assert [(i.account, i.code) for i in added] == [
        ("bob", 0),
        ("carol", 0),
        ("alice", 30001),
        ("ghost", 30003),
    ]
    assert added.failed == ("alice", "ghost")
    assert (await admin.follow_add("bob", ["alice"])).ok
    checks = await admin.follow_check("alice", ["bob", "carol", "ghost"])
    assert [(c.follow_type, c.code) for c in checks] == [
        (FollowType.MUTUAL, 0),
        (FollowType.FOLLOWING, 0),
        (FollowType.NONE, 30003),
    ]
    reverse = await admin.follow_check("carol", ["alice"])
    assert reverse[0].follow_type is FollowType.FOLLOWER
    counts = await admin.follow_get_info("alice", ["alice", "bob", "ghost"])
    assert [(c.account, c.followers, c.following, c.mutual, c.code) for c in counts] == [
        ("alice", 1, 2, 1, 0),
        ("bob", 1, 1, 1, 0),
        ("ghost", 0, 0, 0, 30003),
    ]
    removed = await admin.follow_delete("alice", ["bob", "carol"])
    assert removed.ok and len(removed) == 2
    checks = await admin.follow_check("alice", ["bob", "carol"])
    assert [c.follow_type for c in checks] == [FollowType.FOLLOWER, FollowType.NONE]


async def test_follow_get_pages_with_profiles(admin: AsyncAdmin, clock: FrozenClock) -> None:
    await users(admin, "star", "f1", "f2", "f3")
    await admin.portrait_set("f2", {ProfileTag.NICK: "Two"})
    for fan in ("f1", "f2", "f3"):
        await admin.follow_add(fan, ["star"])
        clock.advance(1)
    first = await admin.follow_get("star", FollowType.FOLLOWER, want_num=2)
    assert [e.account for e in first.entries] == ["f3", "f2"]
    assert first.entries[1].profile == {"Tag_Profile_IM_Nick": "Two"}
    assert first.entries[1].profile_sequence == 1
    assert first.entries[0].follow_time == int(clock.now()) - 1
    assert first.next_cursor
    last = await admin.follow_get(
        "star", FollowType.FOLLOWER, start_cursor=first.next_cursor, want_num=2
    )
    assert [e.account for e in last.entries] == ["f1"] and last.next_cursor == ""


async def test_the_walks_return_every_follower_following_and_mutual_once(
    admin: AsyncAdmin, clock: FrozenClock
) -> None:
    fans = [f"fan{n:03}" for n in range(230)]
    await users(admin, "star", *fans)
    for start in range(0, len(fans), 20):
        for fan in fans[start : start + 20]:
            await admin.follow_add(fan, ["star"])
        clock.advance(1)
    assert (await admin.follow_add("star", fans[:45:3])).ok  # 15 mutual
    walked = [e.account async for e in admin.iter_followers("star", page_size=100)]
    assert sorted(walked) == fans and len(set(walked)) == 230
    following = [e.account async for e in admin.iter_following("star", page_size=7)]
    assert sorted(following) == fans[:45:3]
    mutual = [e.account async for e in admin.iter_mutual_followers("star", page_size=4)]
    assert sorted(mutual) == fans[:45:3]
    assert [e async for e in admin.iter_followers("fan001")] == []


async def test_follow_errors_map_to_their_classes(admin: AsyncAdmin) -> None:
    await users(admin, "alice")
    with pytest.raises(InvalidRequest) as caught:
        await admin.follow_get("alice", FollowType.FOLLOWER, start_cursor="not-a-cursor")
    assert caught.value.error_code == 30001 and caught.value.error_info.startswith("StartCursor")
    with pytest.raises(InvalidRequest):
        await admin.follow_add("alice", ["b"] * 21)


async def test_the_follow_switch_off_is_feature_disabled(admin: AsyncAdmin, store: Store) -> None:
    await users(admin, "alice")
    await set_settings(store, follow_enabled=False)
    with pytest.raises(FeatureDisabled) as caught:
        await admin.follow_get_info("alice", ["alice"])
    assert caught.value.error_code == 30005
