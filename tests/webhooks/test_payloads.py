"""Callback payloads (pure): each after-callback's body field by field against Tencent's
documented samples, the query string with its Sign, and how answers are read."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
import pytest

from relchain.domain.callbacks import Answer, CallbackCommand, sign
from relchain.domain.events import Event, EventKind, Origin
from relchain.webhooks import (
    PrevFriendItem,
    after_callback,
    answer_problem,
    callback_query,
    prev_friend_add_body,
    prev_friend_response_body,
    prev_vetoes,
)

T = 1702018343678
ADMIN = Origin("RESTAPI", "10.0.0.1", "administrator", False)
USER = Origin("Web", "10.0.0.2", "id", True)


def event(kind: EventKind, account: str, peers: tuple[str, ...] = (), **kw: Any) -> Event:
    origin = kw.pop("origin", ADMIN)
    return Event(7, 1400000001, T, kind, account, peers, kw, origin)


def test_sign_matches_the_documented_example() -> None:
    expected = "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061"
    assert sign("xxxxyyyy", 1669872112) == expected
    assert hashlib.sha256(b"xxxxyyyy1669872112").hexdigest() == expected


def test_follow_add_body_is_the_documented_sample() -> None:
    got = after_callback(
        event(EventKind.FOLLOW_ADDED, "UserID_001", ("UserID_002", "UserID_003"), mutual=[])
    )
    documented = (
        '{"CallbackCommand":"Follow.CallbackAfterFollowAdd","From_Account":"UserID_001",'
        '"FollowList":[{"To_Account":"UserID_002"},{"To_Account":"UserID_003"}],'
        '"EventTime":1702018343678}'
    )
    assert got == (CallbackCommand.FOLLOW_ADD, orjson.loads(documented))
    assert orjson.dumps(got[1]).decode() == documented  # field order too


def test_follow_delete_body_is_the_documented_sample() -> None:
    got = after_callback(
        event(EventKind.FOLLOW_DELETED, "UserID_001", ("UserID_002", "UserID_003"))
    )
    documented = (
        '{"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":"UserID_001",'
        '"To_Account":["UserID_002","UserID_003"],"EventTime":1702018343678}'
    )
    assert got is not None and orjson.dumps(got[1]).decode() == documented


def test_friend_add_body_is_the_documented_sample_plus_event_time() -> None:
    got = after_callback(
        event(
            EventKind.FRIEND_ADDED,
            "id",
            ("id1", "id2", "id3"),
            pairs=[["id", "id1"], ["id", "id2"], ["id", "id3"]],
            initiator="id",
            client_cmd="friend_add",
            force=1,
            origin=USER,
        )
    )
    assert got is not None
    command, body = got
    assert command is CallbackCommand.FRIEND_ADD
    assert body == {
        "CallbackCommand": "Sns.CallbackFriendAdd",
        "PairList": [
            {"From_Account": "id", "To_Account": "id1", "Initiator_Account": "id"},
            {"From_Account": "id", "To_Account": "id2", "Initiator_Account": "id"},
            {"From_Account": "id", "To_Account": "id3", "Initiator_Account": "id"},
        ],
        "ClientCmd": "FriendAdd",  # a user's own request (the client's name)
        "Admin_Account": "",  # not triggered by the backend
        "ForceFlag": 1,
        "EventTime": T,
    }


def test_friend_add_from_rest_names_the_admin_and_the_rest_command() -> None:
    got = after_callback(
        event(
            EventKind.FRIEND_ADDED,
            "b",
            ("a",),
            pairs=[["a", "b"], ["b", "a"]],
            initiator="a",
            client_cmd="friend_response",
            force=0,
        )
    )
    assert got is not None
    body = got[1]
    assert body["ClientCmd"] == "friend_response"
    assert body["Admin_Account"] == "administrator"
    assert body["ForceFlag"] == 0
    assert body["PairList"][1] == {"From_Account": "b", "To_Account": "a", "Initiator_Account": "a"}
    user = event(
        EventKind.FRIEND_ADDED,
        "b",
        ("a",),
        pairs=[["b", "a"]],
        client_cmd="friend_response",
        origin=USER,
    )
    assert (after_callback(user) or ({}, {}))[1]["ClientCmd"] == "FriendResponse"


def test_friend_import_fires_no_friend_add_callback() -> None:
    imported = event(
        EventKind.FRIEND_ADDED, "a", ("b",), pairs=[["a", "b"]], client_cmd="friend_import"
    )
    assert after_callback(imported) is None


@pytest.mark.parametrize(
    ("kind", "command"),
    [
        (EventKind.BLOCK_ADDED, "Sns.CallbackBlackListAdd"),
        (EventKind.BLOCK_DELETED, "Sns.CallbackBlackListDelete"),
    ],
)
def test_blocklist_bodies_list_each_pair(kind: EventKind, command: str) -> None:
    got = after_callback(event(kind, "id", ("id1", "id2")))
    assert got is not None
    assert got[1] == {
        "CallbackCommand": command,
        "PairList": [
            {"From_Account": "id", "To_Account": "id1"},
            {"From_Account": "id", "To_Account": "id2"},
        ],
        "EventTime": T,
    }


def test_friend_delete_body_lists_each_direction_removed() -> None:
    got = after_callback(
        event(EventKind.FRIEND_DELETED, "id", ("id1",), pairs=[["id", "id1"], ["id1", "id"]])
    )
    assert got is not None
    assert got[1] == {
        "CallbackCommand": "Sns.CallbackFriendDelete",
        "PairList": [
            {"From_Account": "id", "To_Account": "id1"},
            {"From_Account": "id1", "To_Account": "id"},
        ],
        "EventTime": T,
    }


def test_portrait_set_body() -> None:
    items = [
        {"Tag": "Tag_Profile_IM_Nick", "Value": "x"},
        {"Tag": "Tag_Profile_IM_Level", "Value": 3},
    ]
    got = after_callback(event(EventKind.PROFILE_SET, "id", items=items))
    assert got is not None
    assert got[1] == {
        "CallbackCommand": "Profile.CallbackPortraitSet",
        "Operator_Account": "administrator",
        "From_Account": "id",
        "ProfileItem": items,
        "EventTime": T,
    }
    own = after_callback(event(EventKind.PROFILE_SET, "id", items=items, origin=USER))
    assert own is not None and own[1]["Operator_Account"] == "id"


@pytest.mark.parametrize(
    "kind",
    [
        EventKind.FRIEND_UPDATED,
        EventKind.REQUEST_CREATED,
        EventKind.REQUEST_READ,
        EventKind.LIST_CREATED,
        EventKind.ACCOUNT_IMPORTED,
        EventKind.ACCOUNT_DELETED,
    ],
)
def test_kinds_without_a_tencent_callback_fire_none(kind: EventKind) -> None:
    assert after_callback(event(kind, "id", ("id1",))) is None


def test_query_has_the_documented_parameters_in_order_then_sign_then_event_id() -> None:
    query = callback_query(
        1400000001,
        "Sns.CallbackFriendAdd",
        Origin("Android", "1.2.3.4", "u", True),
        token="xxxxyyyy",
        request_time=1669872112,
        event_id=42,
    )
    assert query == [
        ("SdkAppid", "1400000001"),
        ("CallbackCommand", "Sns.CallbackFriendAdd"),
        ("contenttype", "json"),
        ("ClientIP", "1.2.3.4"),
        ("OptPlatform", "Android"),
        ("Sign", "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061"),
        ("RequestTime", "1669872112"),
        ("EventId", "42"),
    ]
    plain = callback_query(5, "Follow.CallbackAfterFollowAdd", Origin())
    assert [k for k, _ in plain] == [
        "SdkAppid",
        "CallbackCommand",
        "contenttype",
        "ClientIP",
        "OptPlatform",
    ]
    assert dict(plain)["OptPlatform"] == "RESTAPI"


def test_before_bodies() -> None:
    items = [
        PrevFriendItem(
            "id1",
            {
                "Remark": "r",
                "GroupName": "g",
                "AddSource": "AddSource_Type_Web",
                "AddWording": "hi",
            },
        )
    ]
    assert prev_friend_add_body("id", items, "Add_Type_Both", 0, T) == {
        "CallbackCommand": "Sns.CallbackPrevFriendAdd",
        "Requester_Account": "id",
        "From_Account": "id",
        "FriendItem": [
            {
                "To_Account": "id1",
                "Remark": "r",
                "GroupName": "g",
                "AddSource": "AddSource_Type_Web",
                "AddWording": "hi",
            }
        ],
        "AddType": "Add_Type_Both",
        "ForceAddFlags": 0,
        "EventTime": T,
    }
    responses = [
        PrevFriendItem(
            "id2", {"Remark": "", "TagName": "", "ResponseAction": "Response_Action_Agree"}
        )
    ]
    assert prev_friend_response_body("id", responses, T)["ResponseFriendItem"] == [
        {
            "To_Account": "id2",
            "Remark": "",
            "TagName": "",
            "ResponseAction": "Response_Action_Agree",
        }
    ]


def ok(data: object) -> Answer:
    return Answer(200, orjson.dumps(data).decode())


def test_answers_of_after_callbacks() -> None:
    assert answer_problem(ok({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""})) is None
    assert answer_problem(ok({"ErrorCode": 1})) is None  # after-callbacks' codes are ignored
    assert answer_problem(Answer(500, "{}")) == "HTTP 500"
    assert answer_problem(Answer(200, "OK")) == "answer is not JSON"
    assert answer_problem(Answer(200, "[1]")) == "answer is not a JSON object"
    assert answer_problem(Answer(error="no answer within 2000 ms")) == "no answer within 2000 ms"


def test_vetoes_per_item_and_for_all() -> None:
    answer = ok(
        {
            "ActionStatus": "OK",
            "ErrorCode": 0,
            "ErrorInfo": "",
            "ResultItem": [
                {"To_Account": "a", "ResultCode": 0, "ResultInfo": ""},
                {"To_Account": "b", "ResultCode": 38001, "ResultInfo": "no spam"},
                {"To_Account": "c", "ResultCode": 37999, "ResultInfo": "out of range"},
                {"To_Account": "d", "ResultCode": 39000},
                {"To_Account": "zz", "ResultCode": 38000},  # not asked: ignored
            ],
        }
    )
    assert prev_vetoes(answer, ["a", "b", "c", "d"]) == {"b": (38001, "no spam"), "d": (39000, "")}
    everyone = ok({"ErrorCode": 38500, "ErrorInfo": "closed"})
    assert prev_vetoes(everyone, ["a", "b"]) == {"a": (38500, "closed"), "b": (38500, "closed")}
    assert prev_vetoes(ok({"ErrorCode": 1}), ["a"]) == {}  # outside the range: ignored
    assert prev_vetoes(ok({"ErrorCode": 0}), ["a"]) == {}
    assert prev_vetoes(ok({"ResultItem": {}}), ["a"]) == "ResultItem is not an array"
    assert (
        prev_vetoes(ok({"ResultItem": [1]}), ["a"])
        == "ResultItem has an entry that is not an object"
    )
    assert prev_vetoes(Answer(502, ""), ["a"]) == "HTTP 502"
