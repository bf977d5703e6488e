"""group_add / group_delete / group_get over HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from relchain.ports import Store
from tests.support import RestClient, add, bad_request, codes, set_settings, users

ADD = "sns/group_add"
DELETE = "sns/group_delete"
GET = "sns/group_get"


async def test_group_add_without_friends_answers_only_the_sequence(rest: RestClient) -> None:
    await users(rest, "a")
    data = await rest.ok(ADD, {"From_Account": "a", "GroupName": ["group1", "group2"]})
    assert data == {
        "CurrentSequence": 1,
        "ActionStatus": "OK",
        "ErrorCode": 0,
        "ErrorInfo": "",
        "ErrorDisplay": "",
    }


async def test_group_add_with_friends_answers_per_item(rest: RestClient) -> None:
    await users(rest, "a", "id1", "id2")
    await add(rest, "a", "id1")
    data = await rest.ok(
        ADD, {"From_Account": "a", "GroupName": ["group1"], "To_Account": ["id1", "id2", "id3"]}
    )
    assert data["ResultItem"][:2] == [
        {"To_Account": "id1", "ResultCode": 0, "ResultInfo": ""},
        {
            "To_Account": "id2",
            "ResultCode": 32216,
            "ResultInfo": "Err_SNS_GroupAdd_ToTinyId_Not_Friend",
        },
    ]
    assert codes(data)[2] == 30003
    assert data["Fail_Account"] == ["id2", "id3"]
    assert data["CurrentSequence"] == 1


async def test_group_add_past_the_list_cap_is_30011(rest: RestClient, store: Store) -> None:
    await users(rest, "a")
    await set_settings(store, max_friend_lists=2)
    await rest.ok(ADD, {"From_Account": "a", "GroupName": ["g1"]})
    data = await rest.call(ADD, {"From_Account": "a", "GroupName": ["g2", "g3"]})
    bad_request(data, 30011, "GroupName")
    got = await rest.ok(GET, {"From_Account": "a"})
    assert [i["GroupName"] for i in got["ResultItem"]] == ["g1"]


async def test_group_get_with_and_without_friends_and_filter(rest: RestClient) -> None:
    await users(rest, "a", "f1", "f2")
    await add(rest, "a", "f1", "f2")
    await rest.ok(ADD, {"From_Account": "a", "GroupName": ["group1"], "To_Account": ["f1"]})
    await rest.ok(ADD, {"From_Account": "a", "GroupName": ["group2"], "To_Account": ["f1", "f2"]})
    plain = await rest.ok(GET, {"From_Account": "a"})
    assert plain["ResultItem"] == [
        {"GroupName": "group1", "FriendNumber": 1},
        {"GroupName": "group2", "FriendNumber": 2},
    ]
    assert plain["CurrentSequence"] == 2
    full = await rest.ok(
        GET,
        {
            "From_Account": "a",
            "NeedFriend": "Need_Friend_Type_Yes",
            "GroupName": ["group1", "nope"],
        },
    )
    assert full["ResultItem"] == [{"GroupName": "group1", "FriendNumber": 1, "To_Account": ["f1"]}]
    older = await rest.ok(
        GET, {"From_Account": "a", "LastSequence": 0, "NeedFriend": "Need_Friend_Type_Yes"}
    )
    assert older["ResultItem"][1] == {
        "GroupName": "group2",
        "FriendNumber": 2,
        "To_Account": ["f1", "f2"],
    }


async def test_group_delete_removes_the_list_from_friends(rest: RestClient) -> None:
    await users(rest, "a", "f1")
    await add(rest, "a", "f1", GroupName="group1")
    await rest.ok(ADD, {"From_Account": "a", "GroupName": ["group2"], "To_Account": ["f1"]})
    data = await rest.ok(DELETE, {"From_Account": "a", "GroupName": ["group1", "unknown"]})
    assert data["CurrentSequence"] == 3
    friends = await rest.ok("sns/friend_get", {"From_Account": "a", "StartIndex": 0})
    values = {v["Tag"]: v["Value"] for v in friends["UserDataItem"][0]["ValueItem"]}
    assert values["Tag_SNS_IM_Group"] == ["group2"]
    lists = await rest.ok(GET, {"From_Account": "a"})
    assert [i["GroupName"] for i in lists["ResultItem"]] == ["group2"]


@pytest.mark.parametrize(
    ("path", "body", "code", "field"),
    [
        (ADD, {"From_Account": "a"}, 30001, "GroupName"),
        (ADD, {"From_Account": "a", "GroupName": []}, 30001, "GroupName"),
        (ADD, {"From_Account": "a", "GroupName": "g"}, 30001, "GroupName"),
        (ADD, {"From_Account": "a", "GroupName": [f"g{i}" for i in range(33)]}, 30001, "GroupName"),
        (ADD, {"From_Account": "a", "GroupName": ["g" * 31]}, 30001, "GroupName[0]"),
        (ADD, {"From_Account": "a", "GroupName": [""]}, 30001, "GroupName[0]"),
        (
            ADD,
            {"From_Account": "a", "GroupName": ["g"], "To_Account": ["b"] * 1001},
            30001,
            "To_Account",
        ),
        (ADD, {"From_Account": "ghost", "GroupName": ["g"]}, 30003, "From_Account"),
        (DELETE, {"From_Account": "a"}, 30001, "GroupName"),
        (
            DELETE,
            {"From_Account": "a", "GroupName": [f"g{i}" for i in range(33)]},
            30001,
            "GroupName",
        ),
        (DELETE, {"From_Account": "ghost", "GroupName": ["g"]}, 30003, "From_Account"),
        (GET, {"From_Account": "a", "NeedFriend": "yes"}, 30001, "NeedFriend"),
        (GET, {"From_Account": "a", "GroupName": [1]}, 30001, "GroupName[0]"),
        (GET, {"From_Account": "a", "LastSequence": "x"}, 30001, "LastSequence"),
        (GET, {}, 30001, "From_Account"),
        (GET, {"From_Account": "ghost"}, 30003, "From_Account"),
    ],
)
async def test_whole_request_errors(
    rest: RestClient, path: str, body: dict[str, Any], code: int, field: str
) -> None:
    await users(rest, "a", "b")
    bad_request(await rest.call(path, body), code, field)
    assert (await rest.ok(GET, {"From_Account": "a"}))["ResultItem"] == []
