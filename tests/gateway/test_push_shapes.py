"""Every push shape of docs/websdk.md, sent by the server to the real ``@tencentcloud/chat``
(Node) and checked to be decoded into the right SDK event and cache."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from relchain.auth.usersig import generate_usersig
from relchain.domain.apps import App
from relchain.http.gateway import _pushes as pushes
from relchain.storage import open_store
from tests.gateway.support import Served, serving
from tests.gateway.websdk import NodeSdk
from tests.support import ADMIN, KEY, SDKAPPID, FrozenClock, RestClient, running_client

ALICE, BOB, CAROL, DAVE = "alice", "bob", "carol", "dave"


@dataclass
class World:
    served: Served
    rest: RestClient
    sdk: NodeSdk

    async def push(self, body: dict[str, object], user: str = ALICE) -> None:
        self.sdk.mark()
        assert await self.served.app.gateway.push(SDKAPPID, user, body) == 1


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    """alice logged in with the real SDK; bob, carol and dave exist."""
    clock = FrozenClock()
    store = await open_store(f"sqlite:///{tmp_path / 'push.db'}")
    app = App(sdkappid=SDKAPPID, key=KEY, admins=(ADMIN,))
    async with store.write() as tx:
        await tx.create_app(app, int(clock.now()))
    try:
        async with running_client(store, clock, app) as rest, serving(store, clock) as served:
            await rest.import_accounts(ALICE, BOB, CAROL, DAVE)
            sdk = await NodeSdk.start(SDKAPPID, served.ws_url, name=ALICE)
            try:
                await sdk.login(
                    ALICE, generate_usersig(KEY, SDKAPPID, ALICE, 86400, int(clock.now()))
                )
                yield World(served, rest, sdk)
                assert not sdk.seen("__unhandled"), sdk.events
            finally:
                await sdk.close()
    finally:
        await store.close()


@pytest.mark.parametrize(
    ("kind", "event"),
    [
        (pushes.FOLLOWERS, "MY_FOLLOWERS_LIST_UPDATED"),
        (pushes.FOLLOWING, "MY_FOLLOWING_LIST_UPDATED"),
        (pushes.MUTUAL, "MUTUAL_FOLLOWERS_LIST_UPDATED"),
    ],
)
async def test_follow_changes(world: World, kind: int, event: str) -> None:
    await world.push(pushes.follow_changed([(CAROL, kind, True)]))
    assert await world.sdk.wait_event(event) == {"userInfoList": [{"userID": CAROL}], "isAdd": True}
    await world.push(pushes.follow_changed([(CAROL, kind, False)]))
    assert await world.sdk.wait_event(event) == {"userInfoList": [CAROL], "isAdd": False}


async def test_friend_added_updated_removed(world: World) -> None:
    await world.rest.ok(
        "sns/friend_import",
        {
            "From_Account": ALICE,
            "AddFriendItem": [
                {"To_Account": BOB, "Remark": "B", "AddSource": "AddSource_Type_Web"}
            ],
        },
    )
    await world.push(pushes.friends_changed(ALICE, [BOB], []))
    # the SDK lists the new friend at once and fills its remark from its own friend_get after
    friends = await world.sdk.until(
        "getFriendList", lambda fs: [(f["userID"], f["remark"]) for f in fs] == [(BOB, "B")]
    )
    assert friends[0]["userID"] == BOB

    await world.push(pushes.friends_updated(ALICE, {BOB: [("Tag_SNS_IM_Remark", "Bobby")]}))
    await world.sdk.until("getFriendList", lambda fs: fs[0]["remark"] == "Bobby")

    await world.push(pushes.friends_changed(ALICE, [], [BOB]))
    await world.sdk.until("getFriendList", lambda fs: fs == [])


async def test_blocklist_changes(world: World) -> None:
    await world.push(pushes.blocklist_changed(ALICE, [DAVE, CAROL], []))
    assert await world.sdk.wait_event("BLACKLIST_UPDATED") == [DAVE, CAROL]
    await world.push(pushes.blocklist_changed(ALICE, [], [DAVE]))
    assert await world.sdk.wait_event("BLACKLIST_UPDATED") == [CAROL]
    assert await world.sdk.call("getBlacklist") == [CAROL]


async def test_friend_request_changes(world: World) -> None:
    incoming = {"account": CAROL, "source": "AddSource_Type_Web", "wording": "hi", "time": 5}
    await world.push(pushes.friend_requests_added(ALICE, CAROL, [incoming]))
    update = await world.sdk.wait_event("FRIEND_APPLICATION_LIST_UPDATED")
    assert update["unreadCount"] == 1
    assert update["friendApplicationList"] == [
        {
            "userID": CAROL,
            "nick": "",
            "avatar": "",
            "time": 5,
            "source": "AddSource_Type_Web",
            "wording": "hi",
            "type": "Pendency_Type_ComeIn",
        }
    ]
    await world.push(pushes.friend_requests_added(ALICE, ALICE, [{"account": DAVE}]))
    update = await world.sdk.wait_event("FRIEND_APPLICATION_LIST_UPDATED")
    assert {(a["userID"], a["type"]) for a in update["friendApplicationList"]} == {
        (CAROL, "Pendency_Type_ComeIn"),
        (DAVE, "Pendency_Type_SendOut"),
    }
    assert update["unreadCount"] == 1  # only incoming requests count
    await world.push(pushes.friend_requests_read(ALICE, 6))
    assert (await world.sdk.wait_event("FRIEND_APPLICATION_LIST_UPDATED"))["unreadCount"] == 0
    # a deleted request makes the SDK reload the list from the server (which has none)
    await world.push(pushes.friend_requests_deleted(ALICE, [CAROL]))
    update = await world.sdk.wait_event(
        "FRIEND_APPLICATION_LIST_UPDATED", lambda d: d["friendApplicationList"] == []
    )
    assert update["unreadCount"] == 0


async def test_profile_change_of_the_user(world: World) -> None:
    await world.push(
        pushes.profile_changed(ALICE, {"Tag_Profile_IM_Nick": "Al", "Tag_Profile_IM_Level": 3})
    )
    profiles = await world.sdk.wait_event("PROFILE_UPDATED")
    assert [(p["userID"], p["nick"], p["level"]) for p in profiles] == [(ALICE, "Al", 3)]


async def test_resync_reloads_friend_lists(world: World) -> None:
    """Friend lists changed elsewhere: the resync push makes the SDK log in again and reload."""
    await world.rest.ok(
        "sns/friend_import",
        {
            "From_Account": ALICE,
            "AddFriendItem": [{"To_Account": BOB, "AddSource": "AddSource_Type_Web"}],
        },
    )
    await world.rest.ok(
        "sns/group_add", {"From_Account": ALICE, "GroupName": ["work"], "To_Account": [BOB]}
    )
    world.sdk.mark()
    assert await world.served.app.gateway.resync(SDKAPPID, ALICE) == 1
    groups = await world.sdk.wait_event("FRIEND_GROUP_LIST_UPDATED")
    assert [(g["name"], g["userIDList"]) for g in groups] == [("work", [BOB])]
    assert await world.sdk.until("getFriendGroupList", lambda gs: gs != []) == groups
    friends = await world.sdk.until("getFriendList", lambda fs: fs != [])
    assert [(f["userID"], f["groupList"]) for f in friends] == [(BOB, ["work"])]


async def test_kicked_out(world: World) -> None:
    """A deleted account's sessions end: KICKED_OUT (REST_API_Kick), then the socket closes."""
    world.sdk.mark()
    assert await world.served.app.gateway.kick(SDKAPPID, ALICE, "account deleted") == 1
    kicked = await world.sdk.wait_event("KICKED_OUT")
    assert kicked == {"type": "REST_API_Kick"}
    assert world.served.app.gateway.by_user.get((SDKAPPID, ALICE)) is None
