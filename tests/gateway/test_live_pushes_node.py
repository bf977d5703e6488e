"""Acceptance: live pushes to the real ``@tencentcloud/chat@3.6.6`` (Node) from a real
``relchain serve``: changes made by the user, by other users and by the REST API reach every
logged-in SDK as its events, and its cached lists stay equal to the server's state."""

from __future__ import annotations

import random
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.gateway.realserver import RealServer
from tests.gateway.websdk import NodeSdk

pytestmark = pytest.mark.e2e

NEED_CONFIRM = "AllowType_Type_NeedConfirm"
WEB = "AddSource_Type_Web"


@pytest.fixture
async def sdks(server: RealServer) -> AsyncIterator[list[NodeSdk]]:
    started: list[NodeSdk] = []
    yield started
    for sdk in started:
        assert not sdk.seen("__unhandled"), sdk.events
        await sdk.close()


async def logged_in(server: RealServer, sdks: list[NodeSdk], user: str) -> NodeSdk:
    sdk = await NodeSdk.start(server.sdkappid, server.proxy, name=user)
    sdks.append(sdk)
    await sdk.login(user, server.usersig(user))
    return sdk


async def set_profile(server: RealServer, user: str, tag: str, value: Any) -> None:
    await server.ok(
        "profile/portrait_set",
        {"From_Account": user, "ProfileItem": [{"Tag": tag, "Value": value}]},
    )


# ------------------------------------------------------------------ the server's state


async def server_friends(server: RealServer, user: str) -> dict[str, tuple[str, list[str]]]:
    """friend -> (remark, lists) as the server has them."""
    got = await server.ok("sns/friend_get", {"From_Account": user, "StartIndex": 0})
    out = {}
    for item in got.get("UserDataItem", []):
        values = {v["Tag"]: v["Value"] for v in item["ValueItem"]}
        out[item["To_Account"]] = (
            values.get("Tag_SNS_IM_Remark", ""),
            values.get("Tag_SNS_IM_Group", []),
        )
    return out


def sdk_friends(friends: list[dict[str, Any]]) -> dict[str, tuple[str, list[str]]]:
    return {f["userID"]: (f["remark"], f["groupList"]) for f in friends}


async def server_blocklist(server: RealServer, user: str) -> list[str]:
    got = await server.ok(
        "sns/black_list_get",
        {"From_Account": user, "StartIndex": 0, "MaxLimited": 100, "LastSequence": 0},
    )
    return sorted(i["To_Account"] for i in got.get("BlackListItem", []))


async def server_groups(server: RealServer, user: str) -> dict[str, list[str]]:
    got = await server.ok(
        "sns/group_get", {"From_Account": user, "NeedFriend": "Need_Friend_Type_Yes"}
    )
    return {g["GroupName"]: sorted(g.get("To_Account", [])) for g in got.get("ResultItem", [])}


async def in_step(server: RealServer, sdk: NodeSdk, user: str) -> None:
    """The SDK's cached friends, blocklist and friend lists become the server's."""
    friends = await server_friends(server, user)
    await sdk.until("getFriendList", lambda fs: sdk_friends(fs) == friends)
    blocked = await server_blocklist(server, user)
    await sdk.until("getBlacklist", lambda bs: sorted(bs) == blocked)
    groups = await server_groups(server, user)
    await sdk.until(
        "getFriendGroupList",
        lambda gs: {g["name"]: sorted(g["userIDList"]) for g in gs} == groups,
    )


async def state(server: RealServer, user: str) -> tuple[Any, ...]:
    return (
        await server_friends(server, user),
        await server_blocklist(server, user),
        await server_groups(server, user),
    )


def requests_of(data: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return sorted(
        (r["userID"], r["type"], r["source"], r["wording"]) for r in data["friendApplicationList"]
    )


# ------------------------------------------------------------------ follows


async def test_follows_are_pushed_to_both_sides_with_the_mutual_events(
    server: RealServer, sdks: list[NodeSdk], users: tuple[str, str, str]
) -> None:
    alice, bob, _ = users
    await server.import_accounts(alice, bob)
    await set_profile(server, bob, "Tag_Profile_IM_Nick", "Bobby")
    await set_profile(server, bob, "Tag_Profile_IM_Image", "https://example.com/b.png")
    a = await logged_in(server, sdks, alice)
    b = await logged_in(server, sdks, bob)

    await a.call("followUser", [bob])  # by the user; an add names the account's nick and avatar
    assert await a.wait_event("MY_FOLLOWING_LIST_UPDATED") == {
        "userInfoList": [{"userID": bob, "nick": "Bobby", "avatar": "https://example.com/b.png"}],
        "isAdd": True,
    }
    (listed,) = (await a.call("getMyFollowingList"))["resultList"]
    assert (listed["nick"], listed["avatar"]) == ("Bobby", "https://example.com/b.png")
    assert await b.wait_event("MY_FOLLOWERS_LIST_UPDATED") == {
        "userInfoList": [{"userID": alice}],
        "isAdd": True,
    }
    a.mark()
    b.mark()
    await server.ok(  # by the REST API: now mutual
        "follow/follow_add", {"From_Account": bob, "FollowItem": [{"To_Account": alice}]}
    )
    assert (await a.wait_event("MY_FOLLOWERS_LIST_UPDATED"))["isAdd"] is True
    assert await a.wait_event("MUTUAL_FOLLOWERS_LIST_UPDATED") == {
        "userInfoList": [{"userID": bob, "nick": "Bobby", "avatar": "https://example.com/b.png"}],
        "isAdd": True,
    }
    assert (await b.wait_event("MY_FOLLOWING_LIST_UPDATED"))["userInfoList"] == [
        {"userID": alice}  # alice has no nick or avatar
    ]
    assert (await b.wait_event("MUTUAL_FOLLOWERS_LIST_UPDATED"))["userInfoList"] == [
        {"userID": alice}
    ]
    a.mark()
    b.mark()
    await b.call("unfollowUser", [alice])  # by the other user
    assert await a.wait_event("MY_FOLLOWERS_LIST_UPDATED") == {
        "userInfoList": [bob],
        "isAdd": False,
    }
    assert await a.wait_event("MUTUAL_FOLLOWERS_LIST_UPDATED") == {
        "userInfoList": [bob],
        "isAdd": False,
    }
    assert await b.wait_event("MY_FOLLOWING_LIST_UPDATED") == {
        "userInfoList": [alice],
        "isAdd": False,
    }
    assert [r["userID"] for r in (await a.call("getMutualFollowersList"))["resultList"]] == []
    scrape = (await server.http.get("/metrics")).text
    queued = re.search(r'^relchain_gateway_pushes_total\{dropped="0"\} (\d+)', scrape, re.M)
    assert queued is not None and int(queued.group(1)) >= 6, scrape[-2000:]


# ------------------------------------------------------------------ friends and requests


async def test_requests_and_friends_stay_equal_to_the_server_with_three_users(
    server: RealServer, sdks: list[NodeSdk], users: tuple[str, str, str]
) -> None:
    alice, bob, carol = users
    await server.import_accounts(alice, bob, carol)
    await set_profile(server, carol, "Tag_Profile_IM_AllowType", NEED_CONFIRM)
    a = await logged_in(server, sdks, alice)
    b = await logged_in(server, sdks, bob)
    c = await logged_in(server, sdks, carol)

    # alice asks carol: alice sees a sent request, carol an incoming one (unread 1)
    pending = await a.call("addFriend", {"to": carol, "source": WEB, "wording": "hi"})
    assert pending["code"] == 30539
    mine = await a.until("getFriendApplicationList", lambda d: d["friendApplicationList"] != [])
    assert requests_of(mine) == [(carol, "Pendency_Type_SendOut", WEB, "hi")]
    theirs = await c.until("getFriendApplicationList", lambda d: d["friendApplicationList"] != [])
    assert requests_of(theirs) == [(alice, "Pendency_Type_ComeIn", WEB, "hi")]
    assert theirs["unreadCount"] == 1
    (request,) = theirs["friendApplicationList"]
    fresh = await logged_in(server, sdks, carol)  # what a login loads is what was pushed
    (loaded,) = (await fresh.call("getFriendApplicationList"))["friendApplicationList"]
    assert loaded == request

    # carol reads them (her other SDK hears it), then accepts both ways
    await c.call("setFriendApplicationRead")
    await fresh.until("getFriendApplicationList", lambda d: d["unreadCount"] == 0)
    await c.call(
        "acceptFriendApplication", {"userID": alice, "type": "Response_Action_AgreeAndAdd"}
    )
    for sdk, user in ((a, alice), (c, carol), (fresh, carol)):
        await sdk.until("getFriendApplicationList", lambda d: d["friendApplicationList"] == [])
        await in_step(server, sdk, user)
    assert set(sdk_friends(await a.call("getFriendList"))) == {carol}

    # bob adds alice (AllowAny, both ways): both lists gain the other
    await set_profile(server, alice, "Tag_Profile_IM_AllowType", "AllowType_Type_AllowAny")
    added = await b.call("addFriend", {"to": alice, "source": WEB, "remark": "Al"})
    assert added["code"] == 0, added
    await a.until("getFriendList", lambda fs: len(fs) == 2)
    for sdk, user in ((a, alice), (b, bob)):
        await in_step(server, sdk, user)
    assert sdk_friends(await b.call("getFriendList")) == {alice: ("Al", [])}

    # the REST API changes alice's remark of carol and deletes alice <-> bob
    await server.ok(
        "sns/friend_update",
        {
            "From_Account": alice,
            "UpdateItem": [
                {"To_Account": carol, "SnsItem": [{"Tag": "Tag_SNS_IM_Remark", "Value": "Caro"}]}
            ],
        },
    )
    await a.until("getFriendList", lambda fs: sdk_friends(fs).get(carol) == ("Caro", []))
    await server.ok(
        "sns/friend_delete",
        {"From_Account": alice, "To_Account": [bob], "DeleteType": "Delete_Type_Both"},
    )
    for sdk, user in ((a, alice), (b, bob), (c, carol)):
        await in_step(server, sdk, user)
    assert set(sdk_friends(await b.call("getFriendList"))) == set()

    # a request withdrawn by its sender disappears on both sides
    await set_profile(server, bob, "Tag_Profile_IM_AllowType", NEED_CONFIRM)
    await c.call("addFriend", {"to": bob, "source": WEB, "wording": "yo"})
    await b.until("getFriendApplicationList", lambda d: len(d["friendApplicationList"]) == 1)
    await c.call("deleteFriendApplication", {"userID": bob, "type": "Pendency_Type_SendOut"})
    await b.until("getFriendApplicationList", lambda d: d["friendApplicationList"] == [])
    await c.until("getFriendApplicationList", lambda d: d["friendApplicationList"] == [])


async def test_blocklist_and_friend_lists_changed_elsewhere(
    server: RealServer, sdks: list[NodeSdk], users: tuple[str, str, str]
) -> None:
    alice, bob, carol = users
    await server.import_accounts(alice, bob, carol)
    await server.import_friends(alice, bob, carol)
    a = await logged_in(server, sdks, alice)
    a2 = await logged_in(server, sdks, alice)  # a second device of alice

    await server.ok("sns/black_list_add", {"From_Account": alice, "To_Account": [carol]})
    assert await a.wait_event("BLACKLIST_UPDATED") == [carol]
    for sdk in (a, a2):
        await in_step(server, sdk, alice)  # blocking carol also ended the friendship
    await a2.call("removeFromBlacklist", {"userIDList": [carol]})
    await a.until("getBlacklist", lambda bs: bs == [])

    await server.ok(
        "sns/group_add", {"From_Account": alice, "GroupName": ["work"], "To_Account": [bob]}
    )
    for sdk in (a, a2):
        await in_step(server, sdk, alice)
    await a2.call("renameFriendGroup", {"oldName": "work", "newName": "job"})
    await a.until("getFriendGroupList", lambda gs: [g["name"] for g in gs] == ["job"])
    await a2.call("removeFromFriendGroup", {"name": "job", "userIDList": [bob]})
    for sdk in (a, a2):
        await in_step(server, sdk, alice)
    await a.call("createFriendGroup", {"name": "gym", "userIDList": [bob]})
    for sdk in (a, a2):
        await in_step(server, sdk, alice)
    await a.call("deleteFriendGroup", {"name": "job"})
    # (the SDK's reload ignores an empty list: a last list deleted elsewhere stays until the
    # SDK logs in again; docs/websdk.md says so)
    await a2.until("getFriendGroupList", lambda gs: [g["name"] for g in gs] == ["gym"])
    await in_step(server, a2, alice)


async def test_profiles_reach_the_user_and_their_friends(
    server: RealServer, sdks: list[NodeSdk], users: tuple[str, str, str]
) -> None:
    alice, bob, carol = users
    await server.import_accounts(alice, bob, carol)
    await server.import_friends(bob, alice)  # bob has alice as a friend; carol does not
    a = await logged_in(server, sdks, alice)
    a2 = await logged_in(server, sdks, alice)
    b = await logged_in(server, sdks, bob)
    c = await logged_in(server, sdks, carol)
    await b.until("getFriendList", lambda fs: len(fs) == 1)

    await a.call("updateMyProfile", {"nick": "Al", "level": 3})
    profiles = await a2.wait_event("PROFILE_UPDATED")
    assert [(p["userID"], p["nick"], p["level"]) for p in profiles] == [(alice, "Al", 3)]
    assert (await a2.call("getMyProfile"))["nick"] == "Al"
    await b.until("getFriendList", lambda fs: fs[0]["profile"]["nick"] == "Al")

    await set_profile(server, alice, "Tag_Profile_IM_Nick", "Alice")  # by the REST API
    await a.until("getMyProfile", lambda p: p["nick"] == "Alice")
    await b.until("getFriendList", lambda fs: fs[0]["profile"]["nick"] == "Alice")
    assert not c.seen("PROFILE_UPDATED")  # not carol's friend: nothing to tell


async def test_a_deleted_account_is_kicked_out(
    server: RealServer, sdks: list[NodeSdk], users: tuple[str, str, str]
) -> None:
    alice, bob, _ = users
    await server.import_accounts(alice, bob)
    a = await logged_in(server, sdks, alice)
    b = await logged_in(server, sdks, bob)
    await server.ok("im_open_login_svc/account_delete", {"DeleteItem": [{"UserID": alice}]})
    assert await a.wait_event("KICKED_OUT") == {"type": "REST_API_Kick"}
    await b.call("followUser", [bob + "x"])  # bob's session goes on
    assert not b.seen("KICKED_OUT")


async def test_a_deleted_account_leaves_the_caches_of_those_who_held_it(
    server: RealServer, sdks: list[NodeSdk], users: tuple[str, str, str]
) -> None:
    """dave (a friend of alice, in her friend list, who asked bob and was asked by carol) and
    erin (blocked by alice) are deleted by the REST API: every SDK that held them drops them."""
    alice, bob, carol = users
    dave, erin = alice.replace("alice", "dave"), alice.replace("alice", "erin")
    await server.import_accounts(alice, bob, carol, dave, erin)
    await server.ok(
        "sns/friend_add",
        {
            "From_Account": alice,
            "AddFriendItem": [{"To_Account": dave, "AddSource": WEB, "GroupName": "pals"}],
            "AddType": "Add_Type_Both",
            "ForceAddFlags": 1,
        },
    )
    await server.import_friends(alice, carol)
    await server.ok("sns/black_list_add", {"From_Account": alice, "To_Account": [erin]})
    for user in (bob, dave):
        await set_profile(server, user, "Tag_Profile_IM_AllowType", NEED_CONFIRM)
    a = await logged_in(server, sdks, alice)
    b = await logged_in(server, sdks, bob)
    c = await logged_in(server, sdks, carol)
    d = await logged_in(server, sdks, dave)
    assert (await d.call("addFriend", {"to": bob, "source": WEB}))["code"] == 30539
    assert (await c.call("addFriend", {"to": dave, "source": WEB}))["code"] == 30539
    await b.until("getFriendApplicationList", lambda r: len(r["friendApplicationList"]) == 1)
    await c.until("getFriendApplicationList", lambda r: len(r["friendApplicationList"]) == 1)
    await a.until("getFriendList", lambda fs: set(sdk_friends(fs)) == {dave, carol})
    await a.until("getBlacklist", lambda bs: bs == [erin])
    assert {g["name"]: g["userIDList"] for g in await a.call("getFriendGroupList")} == {
        "pals": [dave]
    }

    await server.ok(
        "im_open_login_svc/account_delete", {"DeleteItem": [{"UserID": dave}, {"UserID": erin}]}
    )
    assert await d.wait_event("KICKED_OUT") == {"type": "REST_API_Kick"}
    for sdk, user in ((a, alice), (b, bob), (c, carol)):
        await in_step(server, sdk, user)
        await sdk.until("getFriendApplicationList", lambda r: r["friendApplicationList"] == [])
    assert set(sdk_friends(await a.call("getFriendList"))) == {carol}
    assert await a.call("getBlacklist") == []
    assert {g["name"]: g["userIDList"] for g in await a.call("getFriendGroupList")} == {"pals": []}


async def test_any_sequence_of_changes_keeps_the_caches_equal_to_the_server(
    server: RealServer, sdks: list[NodeSdk], users: tuple[str, str, str]
) -> None:
    """A seeded random walk of REST changes to alice's friends, blocklist and friend lists
    (with bob and carol as the others); after each, both of alice's SDKs equal the server."""
    alice, bob, carol = users
    await server.import_accounts(alice, bob, carol)
    for user in (alice, bob, carol):
        await set_profile(server, user, "Tag_Profile_IM_AllowType", "AllowType_Type_AllowAny")
    await server.ok("sns/group_add", {"From_Account": alice, "GroupName": ["keep"]})
    devices = [await logged_in(server, sdks, alice), await logged_in(server, sdks, alice)]
    rng = random.Random(20261129)
    others = [bob, carol]

    def add(owner: str, other: str) -> tuple[str, dict[str, Any]]:
        kind = rng.choice(["Add_Type_Both", "Add_Type_Single"])
        item = {"To_Account": other, "AddSource": WEB, "Remark": rng.choice(["", "r1", "r2"])}
        return "sns/friend_add", {"From_Account": owner, "AddFriendItem": [item], "AddType": kind}

    def delete(owner: str, other: str) -> tuple[str, dict[str, Any]]:
        kind = rng.choice(["Delete_Type_Both", "Delete_Type_Single"])
        return "sns/friend_delete", {
            "From_Account": owner,
            "To_Account": [other],
            "DeleteType": kind,
        }

    def remark(owner: str, other: str) -> tuple[str, dict[str, Any]]:
        value = rng.choice(["", "x", "y"])
        item = {"To_Account": other, "SnsItem": [{"Tag": "Tag_SNS_IM_Remark", "Value": value}]}
        return "sns/friend_update", {"From_Account": owner, "UpdateItem": [item]}

    def block(owner: str, other: str) -> tuple[str, dict[str, Any]]:
        path = rng.choice(["sns/black_list_add", "sns/black_list_delete"])
        return path, {"From_Account": owner, "To_Account": [other]}

    def lists(owner: str, other: str) -> tuple[str, dict[str, Any]]:
        if rng.random() < 0.5:
            name = rng.choice(["keep", "work"])
            return "sns/group_add", {
                "From_Account": owner,
                "GroupName": [name],
                "To_Account": [other],
            }
        return "sns/group_delete", {"From_Account": owner, "GroupName": ["work"]}

    changed = 0
    for _ in range(60):
        change = rng.choice([add, add, add, delete, remark, remark, block, lists, lists])
        owner, other = rng.choice([(alice, rng.choice(others)), (rng.choice(others), alice)])
        if change in (remark, lists):
            owner, other = alice, rng.choice(others)
        path, body = change(owner, other)
        before = await state(server, alice)
        await server.rest(path, body)  # refused items are fine: the state is what counts
        changed += before != await state(server, alice)
        for device in devices:
            await in_step(server, device, alice)
    assert changed >= 15  # the walk did change alice's lists, not only try
