"""friend_import and friend_update over HTTP: custom tags, times, lists, errors."""

from __future__ import annotations

from typing import Any

import pytest

from relchain.domain.profiles import DENY_ANY
from relchain.ports import Store
from tests.support import SRC, T0, RestClient, add, bad_request, check, codes, set_settings, users

IMPORT = "sns/friend_import"
UPDATE = "sns/friend_update"
TAGS = ("Tag_SNS_Custom_Test", "Tag_SNS_Custom_Num")


async def values(rest: RestClient, me: str, other: str) -> dict[str, Any]:
    data = await rest.ok("sns/friend_get", {"From_Account": me, "StartIndex": 0})
    for item in data["UserDataItem"]:
        if item["To_Account"] == other:
            return {v["Tag"]: v["Value"] for v in item["ValueItem"]}
    raise AssertionError(f"{other} is not a friend of {me}")


async def test_import_is_one_way_ignores_allow_type_and_keeps_times(
    rest: RestClient, store: Store
) -> None:
    await set_settings(store, custom_sns_tags=TAGS)
    await users(rest, "a")
    await users(rest, "d", allow=DENY_ANY)
    data = await rest.ok(
        IMPORT,
        {
            "From_Account": "a",
            "AddFriendItem": [
                {
                    "To_Account": "d",
                    "Remark": "rd",
                    "RemarkTime": 1420000001,
                    "GroupName": ["Friends", "Work"],
                    "AddSource": SRC,
                    "AddWording": "w",
                    "AddTime": 1420000002,
                    "CustomItem": [
                        {"Tag": "Tag_SNS_Custom_Test", "Value": "Test"},
                        {"Tag": "Tag_SNS_Custom_Num", "Value": 0},
                    ],
                }
            ],
        },
    )
    assert data["ResultItem"] == [{"To_Account": "d", "ResultCode": 0, "ResultInfo": ""}]
    assert await check(rest, "a", "d") == ["CheckResult_Type_AWithB"]
    assert await values(rest, "a", "d") == {
        "Tag_SNS_IM_AddSource": SRC,
        "Tag_SNS_IM_Remark": "rd",
        "Tag_SNS_IM_Group": ["Friends", "Work"],
        "Tag_SNS_IM_AddTime": 1420000002,
        "Tag_SNS_Custom_Test": "Test",
        "Tag_SNS_Custom_Num": 0,
    }


async def test_import_without_add_time_uses_now(rest: RestClient) -> None:
    await users(rest, "a", "b")
    await rest.ok(
        IMPORT, {"From_Account": "a", "AddFriendItem": [{"To_Account": "b", "AddSource": SRC}]}
    )
    assert (await values(rest, "a", "b"))["Tag_SNS_IM_AddTime"] == T0


async def test_import_per_item_errors(rest: RestClient, store: Store) -> None:
    await users(rest, "a", "b", "c")
    await set_settings(store, max_friends=1)
    items = [{"To_Account": t, "AddSource": SRC} for t in ("b", "b", "ghost", "c", "a")]
    data = await rest.ok(IMPORT, {"From_Account": "a", "AddFriendItem": items})
    assert codes(data) == [0, 30001, 30003, 30010, 30001]


@pytest.mark.parametrize(
    ("item", "field"),
    [
        (
            {"CustomItem": [{"Tag": "Tag_SNS_Custom_Nope", "Value": "x"}]},
            "AddFriendItem[0].CustomItem[0].Tag",
        ),
        (
            {"CustomItem": [{"Tag": "Tag_SNS_IM_Remark", "Value": "x"}]},
            "AddFriendItem[0].CustomItem[0].Tag",
        ),
        ({"CustomItem": [{"Tag": "Tag_SNS_Custom_Test"}]}, "AddFriendItem[0].CustomItem[0].Value"),
        (
            {"CustomItem": [{"Tag": "Tag_SNS_Custom_Test", "Value": "x" * 501}]},
            "AddFriendItem[0].CustomItem[0].Value",
        ),
        (
            {"CustomItem": [{"Tag": "Tag_SNS_Custom_Test", "Value": -1}]},
            "AddFriendItem[0].CustomItem[0].Value",
        ),
        (
            {"CustomItem": [{"Tag": "Tag_SNS_Custom_Test", "Value": [1]}]},
            "AddFriendItem[0].CustomItem[0].Value",
        ),
        ({"GroupName": ["g" * 31]}, "AddFriendItem[0].GroupName[0]"),
        ({"GroupName": [""]}, "AddFriendItem[0].GroupName[0]"),
        ({"GroupName": 5}, "AddFriendItem[0].GroupName"),
        ({"AddTime": "now"}, "AddFriendItem[0].AddTime"),
        ({"RemarkTime": -5}, "AddFriendItem[0].RemarkTime"),
        ({"AddSource": None}, "AddFriendItem[0].AddSource"),
    ],
)
async def test_import_whole_request_errors(
    rest: RestClient, store: Store, item: dict[str, Any], field: str
) -> None:
    await set_settings(store, custom_sns_tags=TAGS)
    await users(rest, "a", "b")
    body = {"From_Account": "a", "AddFriendItem": [{"To_Account": "b", "AddSource": SRC, **item}]}
    bad_request(await rest.call(IMPORT, body), 30001, field)
    assert await check(rest, "a", "b") == ["CheckResult_Type_NoRelation"]


async def test_import_over_1000_items_is_30001(rest: RestClient) -> None:
    await users(rest, "a")
    items = [{"To_Account": f"u{i}", "AddSource": SRC} for i in range(1001)]
    bad_request(
        await rest.call(IMPORT, {"From_Account": "a", "AddFriendItem": items}),
        30001,
        "AddFriendItem",
    )


async def test_update_remark_lists_and_custom(rest: RestClient, store: Store) -> None:
    await set_settings(store, custom_sns_tags=TAGS)
    await users(rest, "a", "b", "c")
    await add(rest, "a", "b")
    data = await rest.ok(
        UPDATE,
        {
            "From_Account": "a",
            "UpdateItem": [
                {
                    "To_Account": "b",
                    "SnsItem": [
                        {"Tag": "Tag_SNS_IM_Remark", "Value": "remark1"},
                        {"Tag": "Tag_SNS_IM_Group", "Value": ["group1", "group2"]},
                        {"Tag": "Tag_SNS_Custom_Test", "Value": "test"},
                    ],
                },
                {"To_Account": "c", "SnsItem": [{"Tag": "Tag_SNS_IM_Remark", "Value": "x"}]},
            ],
        },
    )
    assert codes(data) == [0, 31704]
    assert data["Fail_Account"] == ["c"]
    got = await values(rest, "a", "b")
    assert got["Tag_SNS_IM_Remark"] == "remark1"
    assert got["Tag_SNS_IM_Group"] == ["group1", "group2"]
    assert got["Tag_SNS_Custom_Test"] == "test"
    lists = await rest.ok("sns/group_get", {"From_Account": "a"})
    assert [x["GroupName"] for x in lists["ResultItem"]] == ["group1", "group2"]


async def test_update_to_no_lists_clears_the_group_tag(rest: RestClient) -> None:
    await users(rest, "a", "b")
    await add(rest, "a", "b", GroupName="G")
    await rest.ok(
        UPDATE,
        {
            "From_Account": "a",
            "UpdateItem": [
                {"To_Account": "b", "SnsItem": [{"Tag": "Tag_SNS_IM_Group", "Value": []}]}
            ],
        },
    )
    assert "Tag_SNS_IM_Group" not in await values(rest, "a", "b")


@pytest.mark.parametrize(
    ("sns_item", "field"),
    [
        ({"Tag": "Tag_SNS_IM_AddSource", "Value": SRC}, "UpdateItem[0].SnsItem[0].Tag"),
        ({"Tag": "Tag_SNS_IM_AddTime", "Value": 1}, "UpdateItem[0].SnsItem[0].Tag"),
        ({"Tag": "Tag_SNS_IM_AddWording", "Value": "w"}, "UpdateItem[0].SnsItem[0].Tag"),
        ({"Tag": "Tag_Profile_IM_Nick", "Value": "n"}, "UpdateItem[0].SnsItem[0].Tag"),
        ({"Tag": "Tag_SNS_Custom_Nope", "Value": "n"}, "UpdateItem[0].SnsItem[0].Tag"),
        ({"Tag": "Tag_SNS_IM_Remark"}, "UpdateItem[0].SnsItem[0].Value"),
        ({"Tag": "Tag_SNS_IM_Remark", "Value": "r" * 97}, "UpdateItem[0].SnsItem[0].Value"),
        ({"Tag": "Tag_SNS_IM_Remark", "Value": 5}, "UpdateItem[0].SnsItem[0].Value"),
        ({"Tag": "Tag_SNS_IM_Group", "Value": "g"}, "UpdateItem[0].SnsItem[0].Value"),
        ({"Tag": "Tag_SNS_IM_Group", "Value": ["g" * 31]}, "UpdateItem[0].SnsItem[0].Value[0]"),
        ({"Tag": "Tag_SNS_Custom_Test", "Value": True}, "UpdateItem[0].SnsItem[0].Value"),
        ({"Value": "x"}, "UpdateItem[0].SnsItem[0].Tag"),
    ],
)
async def test_update_whole_request_errors(
    rest: RestClient, store: Store, sns_item: dict[str, Any], field: str
) -> None:
    await set_settings(store, custom_sns_tags=TAGS)
    await users(rest, "a", "b")
    await add(rest, "a", "b")
    body = {"From_Account": "a", "UpdateItem": [{"To_Account": "b", "SnsItem": [sns_item]}]}
    bad_request(await rest.call(UPDATE, body), 30001, field)


async def test_update_limits_and_missing_fields(rest: RestClient) -> None:
    await users(rest, "a", "b")
    items = [{"To_Account": "b", "SnsItem": [{"Tag": "Tag_SNS_IM_Remark", "Value": "r"}]}] * 1001
    bad_request(
        await rest.call(UPDATE, {"From_Account": "a", "UpdateItem": items}), 30001, "UpdateItem"
    )
    bad_request(await rest.call(UPDATE, {"From_Account": "a"}), 30001, "UpdateItem")
    bad_request(
        await rest.call(UPDATE, {"From_Account": "a", "UpdateItem": [{"To_Account": "b"}]}),
        30001,
        "UpdateItem[0].SnsItem",
    )
    bad_request(
        await rest.call(
            UPDATE,
            {
                "From_Account": "ghost",
                "UpdateItem": [
                    {"To_Account": "b", "SnsItem": [{"Tag": "Tag_SNS_IM_Remark", "Value": "r"}]}
                ],
            },
        ),
        30003,
        "From_Account",
    )
