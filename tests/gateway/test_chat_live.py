"""The Python ``Chat`` client hears the live pushes of real changes (made by itself, by other
users and by the REST API), as the Web SDK does."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from relchain.auth.usersig import generate_usersig
from relchain.client import (
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
from tests.gateway.support import Served
from tests.support import SRC, FrozenClock, RestClient


class Heard:
    """The events of one ``Chat`` (an ``async for`` over ``chat.events()``)."""

    def __init__(self, chat: Chat) -> None:
        self.chat = chat
        self.stream = chat.events()

    async def next(self, name: Event) -> ChatEvent:
        """The next event called ``name`` (others on the way are skipped)."""
        while True:
            event = await self.stream.__anext__()
            if event.name is name:
                return event


@pytest.fixture
async def alice(
    served: Served, app: App, clock: FrozenClock, rest: RestClient
) -> AsyncIterator[Heard]:
    await rest.import_accounts("alice", "bob", "carol")
    chat = Chat(served.ws_url, app.sdkappid)
    usersig = generate_usersig(app.key, app.sdkappid, "alice", 600, int(clock.now()))
    heard = Heard(chat)
    await chat.login("alice", usersig)
    yield heard
    await chat.close()


async def test_chat_hears_follows_friends_requests_blocklist_lists_and_profile(
    alice: Heard, rest: RestClient
) -> None:
    await rest.ok(
        "follow/follow_add", {"From_Account": "bob", "FollowItem": [{"To_Account": "alice"}]}
    )
    assert (await alice.next(Event.MY_FOLLOWERS_LIST_UPDATED)).data == FollowListChange(
        ("bob",), True
    )
    await alice.chat.follow_user(["bob"])
    assert (await alice.next(Event.MY_FOLLOWING_LIST_UPDATED)).data == FollowListChange(
        ("bob",), True
    )
    assert (await alice.next(Event.MUTUAL_FOLLOWERS_LIST_UPDATED)).data == FollowListChange(
        ("bob",), True
    )

    await rest.ok(
        "profile/portrait_set",
        {
            "From_Account": "alice",
            "ProfileItem": [
                {"Tag": "Tag_Profile_IM_AllowType", "Value": "AllowType_Type_NeedConfirm"}
            ],
        },
    )
    assert (await alice.next(Event.PROFILE_UPDATED)).data == ProfileChange(
        "alice", {"Tag_Profile_IM_AllowType": "AllowType_Type_NeedConfirm"}
    )
    await rest.ok(
        "sns/friend_add",
        {
            "From_Account": "carol",
            "AddFriendItem": [{"To_Account": "alice", "AddSource": SRC, "AddWording": "hi"}],
        },
    )
    (request,) = (await alice.next(Event.FRIEND_APPLICATION_LIST_UPDATED)).data.added
    assert request == FriendRequest("carol", True, SRC, "hi", request.time)
    assert (await alice.chat.get_friend_application_list()).requests == (request,)

    await alice.chat.accept_friend_application("carol")
    assert (await alice.next(Event.FRIEND_LIST_UPDATED)).data == FriendListChange(("carol",))
    assert (await alice.next(Event.FRIEND_APPLICATION_LIST_UPDATED)).data == FriendRequestChange(
        removed=("carol",)
    )
    await rest.ok(
        "sns/friend_update",
        {
            "From_Account": "alice",
            "UpdateItem": [
                {"To_Account": "carol", "SnsItem": [{"Tag": "Tag_SNS_IM_Remark", "Value": "C"}]}
            ],
        },
    )
    assert (await alice.next(Event.FRIEND_LIST_UPDATED)).data == FriendListChange(
        updated=("carol",)
    )

    await rest.ok("sns/black_list_add", {"From_Account": "alice", "To_Account": ["bob"]})
    assert (await alice.next(Event.BLACKLIST_UPDATED)).data == BlocklistChange(("bob",))
    await rest.ok(
        "sns/group_add", {"From_Account": "alice", "GroupName": ["work"], "To_Account": ["carol"]}
    )
    assert (await alice.next(Event.FRIEND_GROUP_LIST_UPDATED)).data is None  # read it again
    assert [g.name for g in (await alice.chat.get_friend_group_list()).lists] == ["work"]

    await rest.ok("im_open_login_svc/account_delete", {"DeleteItem": [{"UserID": "alice"}]})
    assert (await alice.next(Event.KICKED_OUT)).data == "kicked"
