"""friend_get (keyset pages of 500, sequences) and friend_get_list over HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from relchain.ports import Store
from tests.support import SRC, T0, RestClient, add, bad_request, set_settings, users

GET = "sns/friend_get"
GET_LIST = "sns/friend_get_list"


async def many_friends(rest: RestClient, me: str, count: int) -> list[str]:
    ids = [f"f{i:04d}" for i in range(count)]
    for start in range(0, count, 100):
        await rest.import_accounts(*ids[start : start + 100])
    await rest.ok(
        "sns/friend_import",
        {"From_Account": me, "AddFriendItem": [{"To_Account": f, "AddSource": SRC} for f in ids]},
    )
    return ids


async def test_pages_of_500_with_next_start_index(rest: RestClient) -> None:
    await users(rest, "a")
    ids = await many_friends(rest, "a", 501)
    first = await rest.ok(GET, {"From_Account": "a", "StartIndex": 0})
    assert len(first["UserDataItem"]) == 500
    assert (first["FriendNum"], first["CompleteFlag"]) == (501, 0)
    assert first["NextStartIndex"] > 0
    second = await rest.ok(GET, {"From_Account": "a", "StartIndex": first["NextStartIndex"]})
    assert [i["To_Account"] for i in second["UserDataItem"]] == [ids[500]]
    assert (second["CompleteFlag"], second["NextStartIndex"]) == (1, 0)
    got = [i["To_Account"] for i in first["UserDataItem"] + second["UserDataItem"]]
    assert got == ids


async def test_a_scan_under_changes_never_returns_a_friend_twice(rest: RestClient) -> None:
    await users(rest, "a")
    ids = await many_friends(rest, "a", 600)
    first = await rest.ok(GET, {"From_Account": "a", "StartIndex": 0})
    seen = [i["To_Account"] for i in first["UserDataItem"]]
    # delete and re-add one already returned; delete one not yet returned
    await rest.ok("sns/friend_delete", {"From_Account": "a", "To_Account": [ids[0], ids[550]]})
    await add(rest, "a", ids[0], add_type="Add_Type_Single")
    start = first["NextStartIndex"]
    while start:
        page = await rest.ok(GET, {"From_Account": "a", "StartIndex": start})
        seen += [i["To_Account"] for i in page["UserDataItem"]]
        start = page["NextStartIndex"]
    assert len(seen) == len(set(seen)) == 599
    assert ids[550] not in seen


async def test_value_items_and_sequences(rest: RestClient, store: Store) -> None:
    await set_settings(store, custom_sns_tags=("Tag_SNS_Custom_Test",))
    await users(rest, "a", "b")
    await add(rest, "a", "b", Remark="Remark1", GroupName="Group1", AddWording="hi")
    await rest.ok(
        "sns/friend_update",
        {
            "From_Account": "a",
            "UpdateItem": [
                {
                    "To_Account": "b",
                    "SnsItem": [{"Tag": "Tag_SNS_Custom_Test", "Value": "CustomData1"}],
                }
            ],
        },
    )
    full = await rest.ok(
        GET, {"From_Account": "a", "StartIndex": 0, "StandardSequence": 0, "CustomSequence": 0}
    )
    assert full["UserDataItem"] == [
        {
            "To_Account": "b",
            "ValueItem": [
                {"Tag": "Tag_SNS_IM_AddSource", "Value": SRC},
                {"Tag": "Tag_SNS_IM_Remark", "Value": "Remark1"},
                {"Tag": "Tag_SNS_IM_Group", "Value": ["Group1"]},
                {"Tag": "Tag_SNS_IM_AddTime", "Value": T0},
                {"Tag": "Tag_SNS_Custom_Test", "Value": "CustomData1"},
            ],
        }
    ]
    std, cus = full["StandardSequence"], full["CustomSequence"]
    assert std > 0 and cus > 0

    async def value_tags(standard: int, custom: int) -> list[str]:
        data = await rest.ok(
            GET,
            {
                "From_Account": "a",
                "StartIndex": 0,
                "StandardSequence": standard,
                "CustomSequence": custom,
            },
        )
        assert [i["To_Account"] for i in data["UserDataItem"]] == ["b"]
        return [v["Tag"] for v in data["UserDataItem"][0]["ValueItem"]]

    assert await value_tags(std, 0) == ["Tag_SNS_Custom_Test"]
    assert await value_tags(0, cus) == [
        "Tag_SNS_IM_AddSource",
        "Tag_SNS_IM_Remark",
        "Tag_SNS_IM_Group",
        "Tag_SNS_IM_AddTime",
    ]
    assert await value_tags(std, cus) == []
    # a remark change bumps the standard sequence only
    await rest.ok(
        "sns/friend_update",
        {
            "From_Account": "a",
            "UpdateItem": [
                {"To_Account": "b", "SnsItem": [{"Tag": "Tag_SNS_IM_Remark", "Value": "R2"}]}
            ],
        },
    )
    after = await rest.ok(GET, {"From_Account": "a", "StartIndex": 0})
    assert (after["StandardSequence"], after["CustomSequence"]) == (std + 1, cus)


async def test_a_user_without_friends_gets_an_empty_complete_page(rest: RestClient) -> None:
    await users(rest, "a")
    data = await rest.ok(GET, {"From_Account": "a", "StartIndex": 0})
    assert {
        k: data[k] for k in ("UserDataItem", "FriendNum", "CompleteFlag", "NextStartIndex")
    } == {
        "UserDataItem": [],
        "FriendNum": 0,
        "CompleteFlag": 1,
        "NextStartIndex": 0,
    }


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"From_Account": "a"}, 30001, "StartIndex"),
        ({"From_Account": "a", "StartIndex": -1}, 30001, "StartIndex"),
        ({"From_Account": "a", "StartIndex": "0"}, 30001, "StartIndex"),
        (
            {"From_Account": "a", "StartIndex": 0, "StandardSequence": "x"},
            30001,
            "StandardSequence",
        ),
        ({"From_Account": "a", "StartIndex": 0, "CustomSequence": -2}, 30001, "CustomSequence"),
        ({"StartIndex": 0}, 30001, "From_Account"),
        ({"From_Account": "ghost", "StartIndex": 0}, 30003, "From_Account"),
    ],
)
async def test_friend_get_errors(
    rest: RestClient, body: dict[str, Any], code: int, field: str
) -> None:
    await users(rest, "a")
    bad_request(await rest.call(GET, body), code, field)


async def test_get_list_mixes_profile_and_friend_tags(rest: RestClient, store: Store) -> None:
    await set_settings(
        store,
        custom_sns_tags=("Tag_SNS_Custom_Test",),
        custom_profile_tags=("Tag_Profile_Custom_Test",),
    )
    await users(rest, "a", "b", "c")
    await rest.ok(
        "profile/portrait_set",
        {
            "From_Account": "b",
            "ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "NickTest1"}],
        },
    )
    await add(rest, "a", "b", Remark="Remark1", GroupName="Group1", AddWording="hello")
    data = await rest.ok(
        GET_LIST,
        {
            "From_Account": "a",
            "To_Account": ["b", "c", "ghost"],
            "TagList": [
                "Tag_Profile_Custom_Test",
                "Tag_Profile_IM_Image",
                "Tag_Profile_IM_Nick",
                "Tag_SNS_Custom_Test",
                "Tag_SNS_IM_Remark",
                "Tag_SNS_IM_Group",
                "Tag_SNS_IM_AddWording",
                "Tag_SNS_IM_AddTime",
            ],
        },
    )
    assert data["InfoItem"] == [
        {
            "To_Account": "b",
            "SnsProfileItem": [
                {"Tag": "Tag_Profile_IM_Nick", "Value": "NickTest1"},
                {"Tag": "Tag_SNS_IM_Group", "Value": ["Group1"]},
                {"Tag": "Tag_SNS_IM_Remark", "Value": "Remark1"},
                {"Tag": "Tag_SNS_IM_AddWording", "Value": "hello"},
                {"Tag": "Tag_SNS_IM_AddTime", "Value": T0},
            ],
            "ResultCode": 0,
            "ResultInfo": "",
        },
        {"To_Account": "c", "ResultCode": 31211, "ResultInfo": "SNS_FRD_GET_LIST_FRD_NO_EXIST"},
        {"To_Account": "ghost", "ResultCode": 30003, "ResultInfo": "Err_SNS_Account_Not_Exist"},
    ]
    assert data["Fail_Account"] == ["c", "ghost"]


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"From_Account": "a", "To_Account": ["b"]}, 30001, "TagList"),
        ({"From_Account": "a", "TagList": ["Tag_SNS_IM_Remark"]}, 30001, "To_Account"),
        (
            {"From_Account": "a", "To_Account": ["b"] * 101, "TagList": ["Tag_SNS_IM_Remark"]},
            30001,
            "To_Account",
        ),
        (
            {"From_Account": "a", "To_Account": ["b"], "TagList": ["Tag_SNS_IM_Nope"]},
            30001,
            "TagList[0]",
        ),
        (
            {"From_Account": "a", "To_Account": ["b"], "TagList": ["Tag_SNS_Custom_Nope"]},
            30001,
            "TagList[0]",
        ),
        (
            {"From_Account": "a", "To_Account": ["b"], "TagList": ["Tag_Profile_Custom_Nope"]},
            30001,
            "TagList[0]",
        ),
        ({"From_Account": "a", "To_Account": ["b"], "TagList": [1]}, 30001, "TagList[0]"),
        (
            {"From_Account": "ghost", "To_Account": ["b"], "TagList": ["Tag_SNS_IM_Remark"]},
            30003,
            "From_Account",
        ),
    ],
)
async def test_get_list_errors(
    rest: RestClient, body: dict[str, Any], code: int, field: str
) -> None:
    await users(rest, "a", "b")
    bad_request(await rest.call(GET_LIST, body), code, field)
