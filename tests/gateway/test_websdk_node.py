"""Acceptance: Tencent's own ``@tencentcloud/chat@3.6.6``, unmodified, in Node with
``proxyServer`` pointed at a real ``relchain serve``: login and the relationship calls."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.gateway.realserver import RealServer
from tests.gateway.websdk import NodeSdk

pytestmark = pytest.mark.e2e


@pytest.fixture
async def sdks(server: RealServer) -> AsyncIterator[list[NodeSdk]]:
    started: list[NodeSdk] = []
    yield started
    for sdk in started:
        await sdk.close()


async def logged_in(server: RealServer, sdks: list[NodeSdk], user: str) -> NodeSdk:
    sdk = await NodeSdk.start(server.sdkappid, server.proxy, name=user)
    sdks.append(sdk)
    await sdk.login(user, server.usersig(user))
    return sdk


async def test_login_makes_the_sdk_ready(
    server: RealServer, sdks: list[NodeSdk], users: tuple[str, str, str]
) -> None:
    alice, _, _ = users
    await server.import_accounts(alice)
    sdk = await logged_in(server, sdks, alice)
    assert sdk.seen("SDK_READY")
    assert not sdk.seen("__unhandled"), sdk.events
    profile = await sdk.call("getMyProfile")
    assert profile["userID"] == alice


async def test_follow_calls(
    server: RealServer, sdks: list[NodeSdk], users: tuple[str, str, str]
) -> None:
    alice, bob, carol = users
    await server.import_accounts(alice, bob, carol)
    sdk = await logged_in(server, sdks, alice)
    followed = await sdk.call("followUser", [bob, carol])
    assert [(r["userID"], r["resultCode"]) for r in followed] == [(bob, 0), (carol, 0)]
    following = await sdk.call("getMyFollowingList")
    assert sorted(r["userID"] for r in following["resultList"]) == [bob, carol]
    assert following["nextCursor"] == ""
    await server.ok(
        "follow/follow_add", {"From_Account": bob, "FollowItem": [{"To_Account": alice}]}
    )
    followers = await sdk.call("getMyFollowersList")
    assert [r["userID"] for r in followers["resultList"]] == [bob]
    mutual = await sdk.call("getMutualFollowersList")
    assert [r["userID"] for r in mutual["resultList"]] == [bob]
    types = await sdk.call("checkFollowType", [bob, carol, alice])
    assert types == [
        {"userID": bob, "followType": 3},
        {"userID": carol, "followType": 2},
        {"userID": alice, "followType": 0},
    ]
    assert await sdk.call("getUserFollowInfo") == [
        {"followersCount": 1, "followingCount": 2, "mutualFollowersCount": 1}
    ]
    assert await sdk.call("getUserFollowInfo", [bob]) == [
        {"followersCount": 1, "followingCount": 1, "mutualFollowersCount": 1}
    ]
    unfollowed = await sdk.call("unfollowUser", [bob])
    assert [(r["userID"], r["resultCode"]) for r in unfollowed] == [(bob, 0)]
    assert (await sdk.call("checkFollowType", [bob]))[0]["followType"] == 1
    assert not sdk.seen("__unhandled"), sdk.events


async def test_friend_calls(
    server: RealServer, sdks: list[NodeSdk], users: tuple[str, str, str]
) -> None:
    """addFriend with NeedConfirm leaves a request; the other side sees it, accepts it; then
    check, profile, remark, delete."""
    alice, bob, carol = users
    await server.import_accounts(alice, bob, carol)
    await server.ok(
        "profile/portrait_set",
        {
            "From_Account": carol,
            "ProfileItem": [{"Tag": "Tag_Profile_IM_AllowType", "Value": "AllowType_Type_DenyAny"}],
        },
    )
    a = await logged_in(server, sdks, alice)
    pending = await a.call(
        "addFriend", {"to": bob, "source": "AddSource_Type_Web", "wording": "hi", "remark": "Bob"}
    )
    assert pending["code"] == 30539, pending  # bob must confirm (NeedConfirm)
    denied = await a.fails("addFriend", {"to": carol, "source": "AddSource_Type_Web"})
    assert denied["code"] == 30516, denied

    b = await logged_in(server, sdks, bob)
    requests = await b.call("getFriendApplicationList")
    assert [(r["userID"], r["type"], r["wording"]) for r in requests["friendApplicationList"]] == [
        (alice, "Pendency_Type_ComeIn", "hi")
    ]
    await b.call(
        "acceptFriendApplication", {"userID": alice, "type": "Response_Action_AgreeAndAdd"}
    )
    checked = await b.call(
        "checkFriend", {"userIDList": [alice, carol], "type": "CheckResult_Type_Both"}
    )
    assert [(r["userID"], r["relation"]) for r in checked["successUserIDList"]] == [
        (alice, "CheckResult_Type_BothWay"),
        (carol, "CheckResult_Type_NoRelation"),
    ]
    server_side = await server.ok("sns/friend_get", {"From_Account": alice, "StartIndex": 0})
    values = {v["Tag"]: v["Value"] for v in server_side["UserDataItem"][0]["ValueItem"]}
    assert (
        server_side["UserDataItem"][0]["To_Account"] == bob and values["Tag_SNS_IM_Remark"] == "Bob"
    )


async def test_refusing_and_deleting_requests(
    server: RealServer, sdks: list[NodeSdk], users: tuple[str, str, str]
) -> None:
    alice, bob, carol = users
    await server.import_accounts(alice, bob, carol)
    for requester in (alice, carol):
        await server.ok(
            "sns/friend_add",
            {
                "From_Account": requester,
                "AddFriendItem": [{"To_Account": bob, "AddSource": "AddSource_Type_Web"}],
            },
        )
    b = await logged_in(server, sdks, bob)
    listed = await b.call("getFriendApplicationList")
    assert sorted(r["userID"] for r in listed["friendApplicationList"]) == [alice, carol]
    assert listed["unreadCount"] == 2
    await b.call("setFriendApplicationRead")
    assert (await b.call("getFriendApplicationList"))["unreadCount"] == 0
    b2 = await logged_in(server, sdks, bob)  # a second SDK of bob loads the count anew
    assert (await b2.call("getFriendApplicationList"))["unreadCount"] == 0
    await b.call("refuseFriendApplication", {"userID": alice})
    assert (await b.fails("refuseFriendApplication", {"userID": alice}))["code"] == 30001
    server_side = await server.ok(
        "sns/friend_check",
        {"From_Account": bob, "To_Account": [alice, carol], "CheckType": "CheckResult_Type_Both"},
    )
    assert {i["Relation"] for i in server_side["InfoItem"]} == {"CheckResult_Type_NoRelation"}


async def test_friends_loaded_at_login_can_be_updated_checked_and_deleted(
    server: RealServer, sdks: list[NodeSdk], users: tuple[str, str, str]
) -> None:
    alice, bob, carol = users
    await server.import_accounts(alice, bob, carol)
    await server.import_friends(alice, bob, remark="B")
    await server.import_friends(alice, carol)
    await server.ok(
        "profile/portrait_set",
        {"From_Account": bob, "ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "Bobby"}]},
    )
    a = await logged_in(server, sdks, alice)
    # the SDK fills remarks and profiles in after listing the friends: wait for bob's to arrive
    friends = await a.until(
        "getFriendList",
        lambda fs: (
            any(f["userID"] == bob and f["remark"] and f["profile"].get("nick") for f in fs)
            and len(fs) == 2
        ),
    )
    by_id = {f["userID"]: f for f in friends}
    assert by_id[bob]["remark"] == "B" and by_id[bob]["profile"]["nick"] == "Bobby"
    assert by_id[bob]["source"] == "AddSource_Type_Web"

    await a.call("updateFriend", {"userID": bob, "remark": "Robert"})
    remark = await server.ok(
        "sns/friend_get_list",
        {"From_Account": alice, "To_Account": [bob], "TagList": ["Tag_SNS_IM_Remark"]},
    )
    assert remark["InfoItem"][0]["SnsProfileItem"] == [
        {"Tag": "Tag_SNS_IM_Remark", "Value": "Robert"}
    ]
    profile = await a.call("getFriendProfile", {"userIDList": [bob]})
    assert [f["userID"] for f in profile["friendList"]] == [bob]

    deleted = await a.call("deleteFriend", {"userIDList": [carol], "type": "Delete_Type_Single"})
    assert deleted["successUserIDList"] == [{"userID": carol}]
    left = await server.ok("sns/friend_get", {"From_Account": alice, "StartIndex": 0})
    assert [i["To_Account"] for i in left["UserDataItem"]] == [bob]


async def test_friend_lists(
    server: RealServer, sdks: list[NodeSdk], users: tuple[str, str, str]
) -> None:
    alice, bob, carol = users
    await server.import_accounts(alice, bob, carol)
    await server.import_friends(alice, bob)
    a = await logged_in(server, sdks, alice)
    await a.until("getFriendList", lambda fs: len(fs) == 1)
    created = await a.call("createFriendGroup", {"name": "work", "userIDList": [bob, carol]})
    assert created["friendGroup"]["userIDList"] == [bob]
    assert [f["userID"] for f in created["failureUserIDList"]] == [carol]  # not a friend
    assert [(g["name"], g["userIDList"]) for g in await a.call("getFriendGroupList")] == [
        ("work", [bob])
    ]
    on_server = await server.ok(
        "sns/group_get", {"From_Account": alice, "NeedFriend": "Need_Friend_Type_Yes"}
    )
    assert [(g["GroupName"], g["To_Account"]) for g in on_server["ResultItem"]] == [("work", [bob])]
    await a.call("renameFriendGroup", {"oldName": "work", "newName": "office"})
    await a.call("removeFromFriendGroup", {"name": "office", "userIDList": [bob]})
    assert [(g["name"], g["userIDList"]) for g in await a.call("getFriendGroupList")] == [
        ("office", [])
    ]
    added = await a.call("addToFriendGroup", {"name": "office", "userIDList": [bob]})
    assert added["friendGroup"]["userIDList"] == [bob]
    on_server = await server.ok(
        "sns/group_get", {"From_Account": alice, "NeedFriend": "Need_Friend_Type_Yes"}
    )
    assert [(g["GroupName"], g["To_Account"]) for g in on_server["ResultItem"]] == [
        ("office", [bob])
    ]
    await a.call("deleteFriendGroup", {"name": "office"})
    assert await a.call("getFriendGroupList") == []
    on_server = await server.ok("sns/group_get", {"From_Account": alice})
    assert on_server["ResultItem"] == []


async def test_profiles(
    server: RealServer, sdks: list[NodeSdk], users: tuple[str, str, str]
) -> None:
    alice, bob, _ = users
    await server.import_accounts(alice, bob)
    await server.ok(
        "profile/portrait_set",
        {
            "From_Account": bob,
            "ProfileItem": [
                {"Tag": "Tag_Profile_IM_Nick", "Value": "Bobby"},
                {"Tag": "Tag_Profile_IM_Gender", "Value": "Gender_Type_Male"},
            ],
        },
    )
    a = await logged_in(server, sdks, alice)
    updated = await a.call(
        "updateMyProfile", {"nick": "Al", "allowType": "AllowType_Type_AllowAny", "level": 7}
    )
    assert updated["nick"] == "Al" and updated["level"] == 7
    mine = await server.ok(
        "profile/portrait_get",
        {
            "To_Account": [alice],
            "TagList": ["Tag_Profile_IM_Nick", "Tag_Profile_IM_AllowType", "Tag_Profile_IM_Level"],
        },
    )
    assert mine["UserProfileItem"][0]["ProfileItem"] == [
        {"Tag": "Tag_Profile_IM_Nick", "Value": "Al"},
        {"Tag": "Tag_Profile_IM_AllowType", "Value": "AllowType_Type_AllowAny"},
        {"Tag": "Tag_Profile_IM_Level", "Value": 7},
    ]
    others = await a.call("getUserProfile", {"userIDList": [bob]})
    assert [(p["userID"], p["nick"], p["gender"]) for p in others] == [
        (bob, "Bobby", "Gender_Type_Male")
    ]
    bad = await a.fails("updateMyProfile", {"nick": "x" * 501})
    assert bad["code"] == 2721, bad  # the SDK itself refuses a nick over 500 bytes
    unregistered = await a.fails(
        "updateMyProfile",
        {"profileCustomField": [{"key": "Tag_Profile_Custom_Nope", "value": "x"}]},
    )
    assert unregistered["code"] == 40009, unregistered  # the server: tag not registered


async def test_three_users_at_once(
    server: RealServer, sdks: list[NodeSdk], users: tuple[str, str, str]
) -> None:
    """Three SDKs logged in together, each acting as itself; each sees its own relations."""
    alice, bob, carol = users
    await server.import_accounts(alice, bob, carol)
    a, b, c = [await logged_in(server, sdks, u) for u in users]
    await a.call("followUser", [bob, carol])
    await b.call("followUser", [alice])
    await c.call("addToBlacklist", {"userIDList": [alice]})
    refused = await a.fails("addFriend", {"to": carol, "source": "AddSource_Type_Web"})
    assert refused["code"] == 30525  # alice is in carol's blocklist
    assert [r["userID"] for r in (await a.call("getMutualFollowersList"))["resultList"]] == [bob]
    assert [r["userID"] for r in (await c.call("getMyFollowersList"))["resultList"]] == [alice]
    assert await b.call("checkFollowType", [alice, carol]) == [
        {"userID": alice, "followType": 3},
        {"userID": carol, "followType": 0},
    ]
    blocked = await server.ok(
        "sns/black_list_get",
        {"From_Account": carol, "StartIndex": 0, "MaxLimited": 10, "LastSequence": 0},
    )
    assert [i["To_Account"] for i in blocked["BlackListItem"]] == [alice]
