"""``pushes_for``: every event kind becomes the right push bodies for each touched account."""

from __future__ import annotations

from typing import Any

import pytest

from relchain.domain.events import Event, EventKind
from relchain.domain.sns.friends import FriendData
from relchain.http.gateway import _pushes as pushes
from relchain.http.gateway._routing import Action, Push, friend_data_push, pushes_for

A, B, C = "alice", "bob", "carol"


def event(kind: EventKind, account: str, *peers: str, **data: Any) -> Event:
    return Event(
        id=7,
        sdkappid=1400000001,
        time_ms=1_700_000_123_456,
        kind=kind,
        account=account,
        peers=peers,
        data=data,
    )


def bodies(found: list[Push]) -> list[tuple[str, Any]]:
    assert all(p.action is Action.PUSH for p in found)
    return [(p.user, dict(p.body)) for p in found]


def test_follow_added_tells_both_sides_and_the_mutual_lists() -> None:
    found = pushes_for(event(EventKind.FOLLOW_ADDED, A, B, C, mutual=[C]))
    assert bodies(found) == [
        (
            A,
            pushes.follow_changed(
                [(B, pushes.FOLLOWING, True), (C, pushes.FOLLOWING, True), (C, pushes.MUTUAL, True)]
            ),
        ),
        (B, pushes.follow_changed([(A, pushes.FOLLOWERS, True)])),
        (C, pushes.follow_changed([(A, pushes.FOLLOWERS, True), (A, pushes.MUTUAL, True)])),
    ]


def test_follow_added_names_the_accounts_nick_and_avatar_when_read() -> None:
    names = {A: ("Al", ""), B: ("", "https://b.png")}
    found = pushes_for(event(EventKind.FOLLOW_ADDED, A, B), names)
    assert [dict(p.body)["EventArray"][0]["FollowChangeList"] for p in found] == [
        [
            {
                "From_Account": B,
                "FaceUrl": "https://b.png",
                "FollowDiffList": [{"IsAdd": 1, "FollowType": 2}],
            }
        ],
        [{"From_Account": A, "NickName": "Al", "FollowDiffList": [{"IsAdd": 1, "FollowType": 1}]}],
    ]


def test_follow_deleted_removes_from_both_sides() -> None:
    found = pushes_for(event(EventKind.FOLLOW_DELETED, A, B, mutual=[B]))
    assert bodies(found) == [
        (A, pushes.follow_changed([(B, pushes.FOLLOWING, False), (B, pushes.MUTUAL, False)])),
        (B, pushes.follow_changed([(A, pushes.FOLLOWERS, False), (A, pushes.MUTUAL, False)])),
    ]


def test_friend_added_pushes_each_direction_to_its_owner() -> None:
    pairs = [[A, B], [B, A], [A, C]]
    found = pushes_for(event(EventKind.FRIEND_ADDED, A, B, C, pairs=pairs, initiator=A))
    assert bodies(found) == [
        (A, pushes.friends_changed(A, [B, C], [])),
        (B, pushes.friends_changed(B, [A], [])),
    ]


def test_friend_deleted_one_way_tells_only_the_owner() -> None:
    found = pushes_for(event(EventKind.FRIEND_DELETED, A, B, pairs=[[A, B]]))
    assert bodies(found) == [(A, pushes.friends_changed(A, [], [B]))]


def test_friend_updated_asks_for_the_values_and_resyncs_on_lists() -> None:
    found = pushes_for(event(EventKind.FRIEND_UPDATED, A, B, fields=["Tag_SNS_IM_Remark"]))
    assert found == [
        Push(A, Action.FRIEND_DATA, friends=(B,), fields=("Tag_SNS_IM_Remark",)),
    ]
    found = pushes_for(event(EventKind.FRIEND_UPDATED, A, B, fields=["Tag_SNS_IM_Group"]))
    assert [p.action for p in found] == [Action.FRIEND_DATA, Action.RESYNC]


def test_friend_data_push_sends_cleared_values_empty() -> None:
    friend = FriendData(B, "AddSource_Type_Web", 5, custom={"Tag_SNS_Custom_x": 3})
    push = friend_data_push(
        A, [friend], ["Tag_SNS_IM_Remark", "Tag_SNS_Custom_x", "Tag_SNS_Custom_y"]
    )
    assert push.body == pushes.friends_updated(
        A, {B: [("Tag_SNS_IM_Remark", ""), ("Tag_SNS_Custom_x", 3), ("Tag_SNS_Custom_y", "")]}
    )
    everything = friend_data_push(A, [friend], [])
    assert everything.body == pushes.friends_updated(
        A,
        {
            B: [
                ("Tag_SNS_IM_AddSource", "AddSource_Type_Web"),
                ("Tag_SNS_IM_Remark", ""),
                ("Tag_SNS_IM_Group", []),
                ("Tag_SNS_IM_AddTime", 5),
                ("Tag_SNS_Custom_x", 3),
            ]
        },
    )


def test_request_created_is_sent_out_for_the_requester_and_incoming_for_targets() -> None:
    found = pushes_for(
        event(
            EventKind.REQUEST_CREATED,
            A,
            B,
            C,
            wording={B: "hi"},
            source={B: "AddSource_Type_Web", C: "AddSource_Type_App"},
        )
    )
    t = 1_700_000_123
    assert bodies(found) == [
        (
            A,
            pushes.friend_requests_added(
                A,
                A,
                [
                    {"account": B, "wording": "hi", "source": "AddSource_Type_Web", "time": t},
                    {"account": C, "wording": "", "source": "AddSource_Type_App", "time": t},
                ],
            ),
        ),
        (
            B,
            pushes.friend_requests_added(
                B, A, [{"account": A, "wording": "hi", "source": "AddSource_Type_Web", "time": t}]
            ),
        ),
        (
            C,
            pushes.friend_requests_added(
                C, A, [{"account": A, "wording": "", "source": "AddSource_Type_App", "time": t}]
            ),
        ),
    ]


def test_one_source_for_every_target() -> None:
    found = pushes_for(event(EventKind.REQUEST_CREATED, A, B, source="AddSource_Type_Web"))
    assert found[1].body["EventArray"][0]["FriendListMod"][0]["PendencyAdd"][0]["AddSource"] == (
        "AddSource_Type_Web"
    )


@pytest.mark.parametrize(
    "kind", [EventKind.REQUEST_ACCEPTED, EventKind.REQUEST_REFUSED, EventKind.REQUEST_DELETED]
)
def test_a_request_gone_reloads_both_sides(kind: EventKind) -> None:
    found = pushes_for(event(kind, A, B, C, direction="received"))
    assert bodies(found) == [
        (A, pushes.friend_requests_deleted(A, [B, C])),
        (B, pushes.friend_requests_deleted(B, [A])),
        (C, pushes.friend_requests_deleted(C, [A])),
    ]


def test_requests_read() -> None:
    assert bodies(pushes_for(event(EventKind.REQUEST_READ, A, up_to=99))) == [
        (A, pushes.friend_requests_read(A, 99))
    ]


def test_blocklist_changes_go_to_the_owner_only() -> None:
    assert bodies(pushes_for(event(EventKind.BLOCK_ADDED, A, B, C))) == [
        (A, pushes.blocklist_changed(A, [B, C], []))
    ]
    assert bodies(pushes_for(event(EventKind.BLOCK_DELETED, A, B))) == [
        (A, pushes.blocklist_changed(A, [], [B]))
    ]


@pytest.mark.parametrize(
    "kind", [EventKind.LIST_CREATED, EventKind.LIST_DELETED, EventKind.LIST_UPDATED]
)
def test_friend_lists_resync_the_owner(kind: EventKind) -> None:
    assert pushes_for(event(kind, A, B, names=["work"])) == [Push(A, Action.RESYNC)]


def test_profile_goes_to_the_account_and_its_friends() -> None:
    items = [
        {"Tag": "Tag_Profile_IM_Nick", "Value": "Al"},
        {"Tag": "Tag_Profile_IM_Level", "Value": 3},
    ]
    (push,) = pushes_for(event(EventKind.PROFILE_SET, A, items=items))
    assert push.to_friends
    assert (push.user, push.body) == (
        A,
        pushes.profile_changed(A, {"Tag_Profile_IM_Nick": "Al", "Tag_Profile_IM_Level": 3}),
    )


def test_account_deleted_kicks_and_imported_pushes_nothing() -> None:
    assert pushes_for(event(EventKind.ACCOUNT_DELETED, A)) == [Push(A, Action.KICK)]
    assert pushes_for(event(EventKind.ACCOUNT_IMPORTED, A)) == []


def test_account_deleted_removes_it_from_exactly_the_lists_that_held_it() -> None:
    """Friend removed for who had it as a friend, blocklist removal for who blocked it, a
    request reload (once) for each side of its requests; no one else is told."""
    D = "dave"
    found = pushes_for(
        event(
            EventKind.ACCOUNT_DELETED,
            A,
            friend_of=[B, C],
            blocked_by=[D],
            requests_from=[C],
            requests_to=[B, C],
        )
    )
    assert found[0] == Push(A, Action.KICK)
    assert bodies(found[1:]) == [
        (B, pushes.friends_changed(B, [], [A])),
        (C, pushes.friends_changed(C, [], [A])),
        (D, pushes.blocklist_changed(D, [], [A])),
        (C, pushes.friend_requests_deleted(C, [A])),
        (B, pushes.friend_requests_deleted(B, [A])),
    ]
    assert bodies(found[1:])[0][1]["EventArray"] == [
        {
            "Event": 3,
            "FriendListMod": [{"PushType": 2, "From_Account": B, "FriendDel_Account": [A]}],
        }
    ]
    bad = event(EventKind.ACCOUNT_DELETED, A, friend_of="bob", blocked_by=[1, B], requests_to=3)
    assert bodies(pushes_for(bad)[1:]) == [(B, pushes.blocklist_changed(B, [], [A]))]


@pytest.mark.parametrize("kind", list(EventKind))
def test_every_kind_survives_bad_data(kind: EventKind) -> None:
    """Data of the wrong types never raises (the log is read, not trusted blindly)."""
    bad = event(
        kind, A, B, mutual=5, pairs=[[A], "x", [1, 2]], fields=3, wording=[1], items="x", up_to="x"
    )
    for push in pushes_for(bad):
        assert push.user in (A, B)


def test_no_peer_no_push() -> None:
    for kind in (
        EventKind.FOLLOW_ADDED,
        EventKind.REQUEST_CREATED,
        EventKind.REQUEST_ACCEPTED,
        EventKind.BLOCK_ADDED,
        EventKind.FRIEND_UPDATED,
    ):
        assert pushes_for(event(kind, A)) == []
