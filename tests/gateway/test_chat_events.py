"""``Chat``'s events: every push shape decoded (``on`` handlers and ``events()``), the resync
push, a reconnect that resumes the session, and the end of a session whose UserSig expired."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from relchain.auth.usersig import generate_usersig
from relchain.client import (
    AuthError,
    Backoff,
    BlocklistChange,
    Chat,
    ChatEvent,
    Event,
    FollowListChange,
    FriendListChange,
    FriendRequest,
    FriendRequestChange,
    ProfileChange,
)
from relchain.domain.apps import App
from relchain.http.gateway import _pushes as pushes
from tests.gateway.support import Served
from tests.support import FrozenClock, RestClient


@dataclass
class Logged:
    chat: Chat
    seen: list[ChatEvent]
    served: Served

    async def next(self, name: Event) -> ChatEvent:
        for _ in range(200):
            for event in self.seen:
                if event.name is name:
                    self.seen.remove(event)
                    return event
            await asyncio.sleep(0.02)
        raise AssertionError(f"no {name} in {self.seen}")

    async def push(self, body: dict[str, object]) -> None:
        assert await self.served.app.gateway.push(self.served_app, "alice", body) == 1

    served_app: int = 0


@pytest.fixture
async def alice(
    served: Served, app: App, clock: FrozenClock, rest: RestClient
) -> AsyncIterator[Logged]:
    await rest.import_accounts("alice", "bob", "carol")
    chat = Chat(served.ws_url, app.sdkappid, backoff=Backoff(first=0.05, most=0.2))
    seen: list[ChatEvent] = []
    for name in Event:
        chat.on(name, seen.append)
    await chat.login(
        "alice", generate_usersig(app.key, app.sdkappid, "alice", 600, int(clock.now()))
    )
    yield Logged(chat, seen, served, app.sdkappid)
    await chat.close()


async def test_login_says_ready(alice: Logged) -> None:
    assert (await alice.next(Event.SDK_READY)).data is None


async def test_every_push_becomes_its_event(alice: Logged) -> None:
    await alice.push(pushes.follow_changed([("bob", pushes.FOLLOWERS, True)]))
    assert (await alice.next(Event.MY_FOLLOWERS_LIST_UPDATED)).data == FollowListChange(
        ("bob",), True
    )
    await alice.push(pushes.follow_changed([("bob", pushes.MUTUAL, False)]))
    assert (await alice.next(Event.MUTUAL_FOLLOWERS_LIST_UPDATED)).data == FollowListChange(
        ("bob",), False
    )
    await alice.push(pushes.friends_changed("alice", ["bob"], ["carol"]))
    assert (await alice.next(Event.FRIEND_LIST_UPDATED)).data == FriendListChange(
        ("bob",), ("carol",)
    )
    await alice.push(pushes.friends_updated("alice", {"bob": [("Tag_SNS_IM_Remark", "B")]}))
    assert (await alice.next(Event.FRIEND_LIST_UPDATED)).data == FriendListChange(updated=("bob",))
    await alice.push(
        pushes.friend_requests_added(
            "alice",
            "carol",
            [{"account": "carol", "source": "AddSource_Type_Web", "wording": "hi", "time": 7}],
        )
    )
    assert (await alice.next(Event.FRIEND_APPLICATION_LIST_UPDATED)).data == FriendRequestChange(
        (FriendRequest("carol", True, "AddSource_Type_Web", "hi", 7),)
    )
    await alice.push(pushes.friend_requests_added("alice", "alice", [{"account": "bob"}]))
    sent = (await alice.next(Event.FRIEND_APPLICATION_LIST_UPDATED)).data
    assert sent.added[0].user_id == "bob" and not sent.added[0].incoming
    await alice.push(pushes.friend_requests_deleted("alice", ["carol"]))
    assert (await alice.next(Event.FRIEND_APPLICATION_LIST_UPDATED)).data == FriendRequestChange(
        removed=("carol",)
    )
    await alice.push(pushes.friend_requests_read("alice", 9))
    assert (await alice.next(Event.FRIEND_APPLICATION_LIST_UPDATED)).data == FriendRequestChange(
        read=True
    )
    await alice.push(pushes.blocklist_changed("alice", ["carol"], ["bob"]))
    assert (await alice.next(Event.BLACKLIST_UPDATED)).data == BlocklistChange(("carol",), ("bob",))
    await alice.push(
        pushes.profile_changed("alice", {"Tag_Profile_IM_Nick": "Al", "Tag_Profile_IM_Level": 2})
    )
    assert (await alice.next(Event.PROFILE_UPDATED)).data == ProfileChange(
        "alice", {"Tag_Profile_IM_Nick": "Al", "Tag_Profile_IM_Level": 2}
    )


async def test_events_iterator(alice: Logged) -> None:
    received: list[ChatEvent] = []

    async def listen() -> None:
        async for event in alice.chat.events():
            received.append(event)
            if event.name is Event.BLACKLIST_UPDATED:
                return

    task = asyncio.create_task(listen())
    await asyncio.sleep(0.05)
    await alice.push(pushes.blocklist_changed("alice", ["bob"], []))
    await asyncio.wait_for(task, 5)
    assert received == [ChatEvent(Event.BLACKLIST_UPDATED, BlocklistChange(("bob",)))]


async def test_the_resync_push_asks_to_read_the_lists_again(alice: Logged) -> None:
    assert await alice.served.app.gateway.resync(alice.served_app, "alice") == 1
    for name in (
        Event.FRIEND_LIST_UPDATED,
        Event.FRIEND_GROUP_LIST_UPDATED,
        Event.FRIEND_APPLICATION_LIST_UPDATED,
        Event.BLACKLIST_UPDATED,
    ):
        assert (await alice.next(name)).data is None


async def test_a_lost_connection_is_reopened_and_the_session_resumed(alice: Logged) -> None:
    alice.seen.clear()
    for conn in list(alice.served.app.gateway.connections):
        await conn.close(1012, "restart")
    assert (await alice.next(Event.NET_STATE_CHANGE)).data == "disconnected"
    assert (await alice.next(Event.NET_STATE_CHANGE)).data == "connecting"
    assert (await alice.next(Event.NET_STATE_CHANGE)).data == "connected"
    assert (await alice.next(Event.FRIEND_LIST_UPDATED)).data is None  # read it again
    result = await alice.chat.follow_user(["bob"])
    assert [(r.account, r.code) for r in result] == [("bob", 0)]


async def test_an_expired_usersig_ends_the_session(alice: Logged, clock: FrozenClock) -> None:
    clock.advance(601)
    with pytest.raises(AuthError) as expired:
        await alice.chat.follow_user(["bob"])
    assert expired.value.error_code == 70001
    assert (await alice.next(Event.KICKED_OUT)).data == 70001


async def test_a_kicked_out_session_does_not_reconnect(alice: Logged) -> None:
    alice.seen.clear()
    assert await alice.served.app.gateway.kick(alice.served_app, "alice", "account deleted") == 1
    assert (await alice.next(Event.KICKED_OUT)).data == "kicked"
    await asyncio.sleep(0.3)  # longer than the backoff: nothing reconnects
    assert not [e for e in alice.seen if e.data == "connecting"]
    assert alice.served.app.gateway.by_user.get((alice.served_app, "alice")) is None
