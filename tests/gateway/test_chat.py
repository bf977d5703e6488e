"""The Python ``Chat`` client against a real ``relchain serve``: the same scenarios as the Web
SDK tests (follows, friends and requests, blocklist, friend lists, profiles), exact codes."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest

from relchain.client import (
    AddType,
    Admin,
    AuthError,
    BlockingChat,
    Chat,
    FollowType,
    FriendRelation,
    InvalidRequest,
    NotFound,
    PermissionDenied,
    ProfileTag,
    generate_usersig,
)
from tests.gateway.realserver import RealServer
from tests.processes import ServeProcess
from tests.support import ADMIN, KEY, SDKAPPID

pytestmark = pytest.mark.e2e


@pytest.fixture
async def chats() -> AsyncIterator[list[Chat]]:
    opened: list[Chat] = []
    yield opened
    for chat in opened:
        await chat.close()


async def logged_in(server: RealServer, chats: list[Chat], user: str) -> Chat:
    chat = Chat(server.proc.url, server.sdkappid)
    chats.append(chat)
    await chat.login(user, server.usersig(user))
    return chat


async def test_login_codes(
    server: RealServer, chats: list[Chat], users: tuple[str, str, str]
) -> None:
    alice, bob, _ = users
    await server.import_accounts(alice)
    chat = Chat(server.proc.url, server.sdkappid)
    chats.append(chat)
    with pytest.raises(AuthError) as bad:
        await chat.login(alice, server.usersig(bob))
    assert bad.value.error_code == 70013
    missing = Chat(server.proc.url, server.sdkappid)
    chats.append(missing)
    with pytest.raises(NotFound) as gone:
        await missing.login(bob, server.usersig(bob))
    assert gone.value.error_code == 70107


async def test_follows(server: RealServer, chats: list[Chat], users: tuple[str, str, str]) -> None:
    alice, bob, carol = users
    await server.import_accounts(alice, bob, carol)
    chat = await logged_in(server, chats, alice)
    followed = await chat.follow_user([bob, carol, alice])
    assert [(r.account, r.code) for r in followed] == [(bob, 0), (carol, 0), (alice, 30001)]
    await server.ok(
        "follow/follow_add", {"From_Account": bob, "FollowItem": [{"To_Account": alice}]}
    )
    assert [e.account for e in (await chat.get_my_followers_list()).entries] == [bob]
    assert sorted([e.account async for e in chat.iter_my_following()]) == [bob, carol]
    assert [e.account async for e in chat.iter_mutual_followers()] == [bob]
    checks = await chat.check_follow_type([bob, carol])
    assert [c.follow_type for c in checks] == [FollowType.MUTUAL, FollowType.FOLLOWING]
    (mine,) = await chat.get_user_follow_info()
    assert (mine.followers, mine.following, mine.mutual) == (1, 2, 1)
    (theirs,) = await chat.get_user_follow_info([bob])
    assert (theirs.followers, theirs.following, theirs.mutual) == (1, 1, 1)
    await chat.unfollow_user([bob])
    assert [c.follow_type for c in await chat.check_follow_type([bob])] == [FollowType.FOLLOWER]
    with pytest.raises(InvalidRequest) as too_many:
        await chat.follow_user([f"x{i}" for i in range(21)])
    assert too_many.value.error_code == 30001


async def test_friends_and_requests(
    server: RealServer, chats: list[Chat], users: tuple[str, str, str]
) -> None:
    alice, bob, carol = users
    await server.import_accounts(alice, bob, carol)
    a = await logged_in(server, chats, alice)
    b = await logged_in(server, chats, bob)
    pending = await a.add_friend(bob, "AddSource_Type_Python", wording="hi", remark="Bob")
    assert pending.code == 30539
    applications = await b.get_friend_application_list()
    assert [(r.user_id, r.incoming, r.wording) for r in applications.requests] == [
        (alice, True, "hi")
    ]
    sent = await a.get_friend_application_list()
    assert [(r.user_id, r.incoming) for r in sent.requests] == [(bob, False)]
    assert applications.unread_count == 1
    await b.set_friend_application_read()
    assert (await b.get_friend_application_list()).unread_count == 0
    assert (await b.accept_friend_application(alice)).code == 0
    assert (await b.refuse_friend_application(carol)).code == 30001  # no request from carol
    friends = await a.get_friend_list()
    assert [(f.account, f.remark) for f in friends] == [(bob, "Bob")]
    checks = await b.check_friend([alice, carol])
    assert [c.relation for c in checks] == [FriendRelation.BOTH_WAY, FriendRelation.NO_RELATION]
    (info,) = await a.get_friend_profile([bob])
    assert info.account == bob and info.code == 0
    assert (await a.update_friend(bob, remark="Robert")).code == 0
    assert (await a.get_friend_list())[0].remark == "Robert"
    removed = await a.delete_friend([bob])
    assert [(r.account, r.code) for r in removed] == [(bob, 0)]
    assert await b.get_friend_list() == []  # Delete_Type_Both by default, as the Web SDK
    single = await a.add_friend(carol, "AddSource_Type_Python", type=AddType.SINGLE)
    assert single.code == 30539
    withdrawn = await a.delete_friend_application(carol, "Pendency_Type_SendOut")
    assert withdrawn.code == 0
    assert (await a.get_friend_application_list()).requests == ()


async def test_blocklist_and_friend_lists(
    server: RealServer, chats: list[Chat], users: tuple[str, str, str]
) -> None:
    alice, bob, carol = users
    await server.import_accounts(alice, bob, carol)
    await server.import_friends(alice, bob)
    chat = await logged_in(server, chats, alice)
    await chat.add_to_blacklist([carol])
    assert await chat.get_blacklist() == [carol]
    await chat.remove_from_blacklist([carol])
    assert await chat.get_blacklist() == []
    created = await chat.create_friend_group("work", [bob])
    assert [(r.account, r.code) for r in created.results] == [(bob, 0)]
    lists = await chat.get_friend_group_list()
    assert [(g.name, g.members) for g in lists.lists] == [("work", (bob,))]
    await chat.rename_friend_group("work", "office")
    out = await chat.remove_from_friend_group("office", [bob, carol])
    assert [(r.account, r.code) for r in out] == [(bob, 0), (carol, 32216)]
    assert [(r.account, r.code) for r in await chat.add_to_friend_group("office", [bob])] == [
        (bob, 0)
    ]
    lists = await chat.get_friend_group_list()
    assert [(g.name, g.members) for g in lists.lists] == [("office", (bob,))]
    with pytest.raises(InvalidRequest):
        await chat.rename_friend_group("nope", "x")
    await chat.delete_friend_group("office")
    assert (await chat.get_friend_group_list()).lists == ()


async def test_profiles_and_acting_as_itself(
    server: RealServer, chats: list[Chat], users: tuple[str, str, str]
) -> None:
    alice, bob, _ = users
    await server.import_accounts(alice, bob)
    chat = await logged_in(server, chats, alice)
    await chat.update_my_profile({ProfileTag.NICK: "Al", ProfileTag.LEVEL: 3})
    mine = await chat.get_my_profile()
    assert mine.tags[ProfileTag.NICK] == "Al" and mine.tags[ProfileTag.LEVEL] == 3
    (theirs,) = await chat.get_user_profile([bob])
    assert theirs.account == bob and theirs.tags[ProfileTag.NICK] == ""
    with pytest.raises(PermissionDenied) as banned:
        await chat.update_my_profile({ProfileTag.ADMIN_FORBID_TYPE: "AdminForbid_Type_None"})
    assert banned.value.error_code == 40004


def test_the_blocking_chat_runs_the_same_calls(serve: ServeProcess) -> None:
    """BlockingChat: no event loop in the caller; iterators and events are plain iterators."""
    with Admin(serve.url, SDKAPPID, KEY, ADMIN) as admin:
        admin.multiaccount_import(["dan", "erin"])
        admin.follow_add("erin", ["dan"])
    sig = generate_usersig(KEY, SDKAPPID, "dan", 600, int(time.time()))
    with BlockingChat(serve.url, SDKAPPID) as chat:
        chat.login("dan", sig)
        assert chat.user_id == "dan"
        assert [(r.account, r.code) for r in chat.follow_user(["erin"])] == [("erin", 0)]
        assert [e.account for e in chat.iter_my_following()] == ["erin"]
        assert [e.account for e in chat.iter_mutual_followers()] == ["erin"]
        (counts,) = chat.get_user_follow_info()
        assert (counts.followers, counts.following, counts.mutual) == (1, 1, 1)
        with pytest.raises(InvalidRequest):
            chat.check_follow_type([])
