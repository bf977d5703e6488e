"""Every write API appends exactly the events of what it changed (every backend), with the
REST origin; refused items, no-op calls and refused requests append nothing."""

from __future__ import annotations

from typing import Any

from relchain.domain.events import Event
from relchain.domain.profiles import NEED_CONFIRM
from relchain.ports import Store
from relchain.webhooks import after_callback
from tests.eventlog import settled
from tests.support import SRC, T0, RestClient, add, users

Row = tuple[str, str, tuple[str, ...], dict[str, Any]]


class Log:
    """The events appended since the last look."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.last = 0

    async def new(self) -> list[Event]:
        events = await settled(self.store, after=self.last)
        if events:
            self.last = events[-1].id
        return events

    async def rows(self) -> list[Row]:
        return [(str(e.kind), e.account, e.peers, dict(e.data)) for e in await self.new()]


async def start(rest: RestClient, *ids: str, allow: str = "AllowType_Type_AllowAny") -> Log:
    await users(rest, *ids, allow=allow)
    log = Log(rest.store)
    await log.new()
    return log


async def test_follow_add_appends_the_targets_followed_with_the_rest_origin(
    rest: RestClient,
) -> None:
    log = await start(rest, "a", "b", "c")
    await rest.ok("follow/follow_add", {"From_Account": "b", "FollowItem": [{"To_Account": "a"}]})
    await log.new()
    body = {"From_Account": "a", "FollowItem": [{"To_Account": t} for t in ("b", "c", "ghost")]}
    await rest.ok("follow/follow_add", body)
    events = await log.new()
    assert [(e.kind, e.account, e.peers, e.data) for e in events] == [
        ("follow.added", "a", ("b", "c"), {"mutual": ["b"]})
    ]
    origin = events[0].origin
    assert (origin.platform, origin.operator, origin.user_initiated) == ("RESTAPI", "admin", False)
    await rest.ok("follow/follow_add", body)  # already followed: nothing changes
    assert await log.rows() == []


async def test_follow_delete_appends_what_was_unfollowed_only(rest: RestClient) -> None:
    log = await start(rest, "a", "b", "c")
    for me, other in (("a", "b"), ("b", "a")):
        await rest.ok(
            "follow/follow_add", {"From_Account": me, "FollowItem": [{"To_Account": other}]}
        )
    await log.new()
    await rest.ok("follow/follow_delete", {"From_Account": "a", "To_Account": ["b", "c"]})
    assert await log.rows() == [("follow.deleted", "a", ("b",), {"mutual": ["b"]})]
    await rest.ok("follow/follow_delete", {"From_Account": "a", "To_Account": ["b", "c"]})
    assert await log.rows() == []


async def test_friend_add_both_ways_and_requests(rest: RestClient) -> None:
    log = await start(rest, "a", "b")
    await users(rest, "t", allow=NEED_CONFIRM)
    await log.new()
    await add(rest, "a", "b", "t", "ghost", AddWording="hello")
    assert await log.rows() == [
        (
            "friend.added",
            "a",
            ("b",),
            {
                "pairs": [["a", "b"], ["b", "a"]],
                "initiator": "a",
                "client_cmd": "friend_add",
                "force": 0,
            },
        ),
        (
            "request.created",
            "a",
            ("t",),
            {"wording": {"t": "hello"}, "source": {"t": SRC}, "time": {"t": T0}},
        ),
    ]
    await add(rest, "a", "b")  # already friends: refused item, nothing appended
    assert await log.rows() == []


async def test_friend_add_accepting_a_pending_request_and_forced(rest: RestClient) -> None:
    log = await start(rest, "a", "t", allow=NEED_CONFIRM)
    await add(rest, "a", "t")
    await log.new()
    await add(rest, "t", "a", add_type="Add_Type_Single", force=1)
    rows = await log.rows()
    assert [(k, acc, peers) for k, acc, peers, _ in rows] == [
        ("friend.added", "t", ("a",)),
        ("request.accepted", "t", ("a",)),
    ]
    assert rows[0][3]["force"] == 1 and rows[0][3]["pairs"] == [["t", "a"], ["a", "t"]]


async def test_import_update_delete_and_delete_all(rest: RestClient) -> None:
    log = await start(rest, "a", "b", "c")
    await rest.ok(
        "sns/friend_import",
        {
            "From_Account": "a",
            "AddFriendItem": [
                {"To_Account": "b", "AddSource": SRC},
                {"To_Account": "a", "AddSource": SRC},  # oneself: refused
            ],
        },
    )
    rows = await log.rows()
    assert [(k, acc, peers, d["pairs"], d["client_cmd"]) for k, acc, peers, d in rows] == [
        ("friend.added", "a", ("b",), [["a", "b"]], "friend_import")
    ]
    update = {
        "From_Account": "a",
        "UpdateItem": [
            {
                "To_Account": "b",
                "SnsItem": [{"Tag": "Tag_SNS_IM_Remark", "Value": "bee"}],
            },
            {"To_Account": "c", "SnsItem": [{"Tag": "Tag_SNS_IM_Remark", "Value": "x"}]},
        ],
    }
    await rest.ok("sns/friend_update", update)
    assert await log.rows() == [("friend.updated", "a", ("b",), {"fields": ["Tag_SNS_IM_Remark"]})]
    delete = {"From_Account": "a", "To_Account": ["b", "c"], "DeleteType": "Delete_Type_Both"}
    await rest.ok("sns/friend_delete", delete)
    assert await log.rows() == [("friend.deleted", "a", ("b",), {"pairs": [["a", "b"]]})]
    await rest.ok("sns/friend_delete", delete)  # nothing left: nothing appended
    await add(rest, "a", "b", "c")
    await log.new()
    await rest.ok("sns/friend_delete_all", {"From_Account": "a"})
    rows = await log.rows()
    assert [(k, acc, sorted(peers)) for k, acc, peers, _ in rows] == [
        ("friend.deleted", "a", ["b", "c"])
    ]
    assert sorted(rows[0][3]["pairs"]) == [["a", "b"], ["a", "c"]]


async def test_block_ends_friendships_and_requests_and_unblock(rest: RestClient) -> None:
    log = await start(rest, "a", "b")
    await users(rest, "t", allow=NEED_CONFIRM)
    await add(rest, "a", "b", "t")
    await log.new()
    await rest.ok("sns/black_list_add", {"From_Account": "a", "To_Account": ["b", "t", "ghost"]})
    rows = await log.rows()
    assert [(k, acc, tuple(sorted(p))) for k, acc, p, _ in rows] == [
        ("friend.deleted", "a", ("b",)),
        ("block.added", "a", ("b", "t")),
        ("request.deleted", "a", ("t",)),
    ]
    assert rows[2][3] == {"direction": "sent"}
    await rest.ok("sns/black_list_add", {"From_Account": "a", "To_Account": ["b"]})
    assert await log.rows() == []  # already blocked: refused item
    await rest.ok("sns/black_list_delete", {"From_Account": "a", "To_Account": ["b", "ghost"]})
    assert await log.rows() == [("block.deleted", "a", ("b",), {})]
    await rest.ok("sns/black_list_delete", {"From_Account": "a", "To_Account": ["b"]})
    assert await log.rows() == []


async def test_friend_lists_created_updated_deleted(rest: RestClient) -> None:
    log = await start(rest, "a", "b", "c")
    await add(rest, "a", "b")
    await log.new()
    group = {"From_Account": "a", "GroupName": ["g1"], "To_Account": ["b", "c"]}
    await rest.ok("sns/group_add", group)
    assert await log.rows() == [("list.created", "a", ("b",), {"names": ["g1"]})]
    await rest.ok("sns/group_add", {"From_Account": "a", "GroupName": ["g1", "g2"]})
    assert await log.rows() == [("list.created", "a", (), {"names": ["g2"]})]
    await rest.ok("sns/group_add", {"From_Account": "a", "GroupName": ["g2"], "To_Account": ["b"]})
    assert await log.rows() == [("list.updated", "a", ("b",), {"names": ["g2"], "added": ["b"]})]
    await rest.ok("sns/group_delete", {"From_Account": "a", "GroupName": ["g1", "nope"]})
    assert await log.rows() == [("list.deleted", "a", (), {"names": ["g1"]})]
    await rest.ok("sns/group_delete", {"From_Account": "a", "GroupName": ["nope"]})
    assert await log.rows() == []


async def test_profile_set_and_accounts(rest: RestClient) -> None:
    log = Log(rest.store)
    await rest.ok("im_open_login_svc/account_import", {"UserID": "a", "Nick": "A"})
    await rest.ok("im_open_login_svc/multiaccount_import", {"Accounts": ["a", "b", "c"]})
    assert await log.rows() == [
        ("account.imported", "a", (), {}),
        ("account.imported", "b", (), {}),
        ("account.imported", "c", (), {}),
    ]
    await rest.ok("im_open_login_svc/account_import", {"UserID": "a", "Nick": "A2"})
    assert await log.rows() == [
        ("profile.set", "a", (), {"items": [{"Tag": "Tag_Profile_IM_Nick", "Value": "A2"}]})
    ]
    item = {"Tag": "Tag_Profile_IM_Nick", "Value": "Bee"}
    await rest.ok("profile/portrait_set", {"From_Account": "b", "ProfileItem": [item]})
    assert await log.rows() == [("profile.set", "b", (), {"items": [item]})]
    missing = await rest.call("profile/portrait_set", {"From_Account": "zz", "ProfileItem": [item]})
    assert missing["ErrorCode"] == 40003
    await rest.ok(
        "im_open_login_svc/account_delete",
        {"DeleteItem": [{"UserID": "b"}, {"UserID": "zz"}, {"UserID": "c"}]},
    )
    assert await log.rows() == [
        ("account.deleted", "b", (), {}),
        ("account.deleted", "c", (), {}),
    ]


async def test_account_delete_names_the_users_whose_lists_lost_the_account(
    rest: RestClient,
) -> None:
    """Still one event per account (no event per edge, no webhook): its data names who had it
    as a friend, who blocked it and both sides of its pending requests."""
    log = await start(rest, "b", "c", "d")
    await users(rest, "a", "e", allow=NEED_CONFIRM)
    await add(rest, "a", "b", force=1)  # a <-> b
    await rest.ok("sns/black_list_add", {"From_Account": "c", "To_Account": ["a"]})
    await add(rest, "d", "a")  # d asks a
    await add(rest, "a", "e")  # a asks e
    await log.new()
    await rest.ok("im_open_login_svc/account_delete", {"DeleteItem": [{"UserID": "a"}]})
    (deleted,) = await log.new()
    assert (deleted.kind, deleted.account, deleted.peers, dict(deleted.data)) == (
        "account.deleted",
        "a",
        (),
        {"friend_of": ["b"], "blocked_by": ["c"], "requests_from": ["d"], "requests_to": ["e"]},
    )
    assert after_callback(deleted) is None


async def test_a_refused_request_appends_nothing(rest: RestClient) -> None:
    log = await start(rest, "a", "b")
    item = {"Tag": "Tag_Profile_IM_AdminForbidType", "Value": "AdminForbid_Type_SendOut"}
    await rest.ok("profile/portrait_set", {"From_Account": "a", "ProfileItem": [item]})
    await log.new()
    refused = await rest.call(
        "sns/friend_add",
        {"From_Account": "a", "AddFriendItem": [{"To_Account": "b", "AddSource": SRC}]},
    )
    assert refused["ErrorCode"] == 30009
    assert await log.rows() == []
