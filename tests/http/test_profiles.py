"""Profile APIs over HTTP: every standard tag's type, enum and length rules; custom tags."""

from __future__ import annotations

from typing import Any

import pytest

from relchain.domain.errors import Code
from relchain.domain.profiles import STANDARD_TAGS
from tests.support import RestClient

SET = "profile/portrait_set"
GET = "profile/portrait_get"


async def set_one(rest: RestClient, tag: str, value: Any, user: str = "u1") -> dict[str, Any]:
    return await rest.call(
        SET, {"From_Account": user, "ProfileItem": [{"Tag": tag, "Value": value}]}
    )


async def get(rest: RestClient, users: list[str], tags: list[str]) -> dict[str, Any]:
    return await rest.ok(GET, {"To_Account": users, "TagList": tags})


GOOD_VALUES: dict[str, Any] = {
    "Tag_Profile_IM_Nick": "MyNickName",
    "Tag_Profile_IM_Gender": "Gender_Type_Female",
    "Tag_Profile_IM_BirthDay": 20190419,
    "Tag_Profile_IM_Location": "x" * 16,
    "Tag_Profile_IM_SelfSignature": "s" * 500,
    "Tag_Profile_IM_AllowType": "AllowType_Type_AllowAny",
    "Tag_Profile_IM_Language": 2,
    "Tag_Profile_IM_Image": "http://img/1.png",
    "Tag_Profile_IM_MsgSettings": 1,
    "Tag_Profile_IM_AdminForbidType": "AdminForbid_Type_SendOut",
    "Tag_Profile_IM_Level": 4294967295,
    "Tag_Profile_IM_Role": 0,
}


def test_every_standard_tag_has_a_good_value_here() -> None:
    assert set(GOOD_VALUES) == set(STANDARD_TAGS)


async def test_every_standard_tag_round_trips(rest: RestClient) -> None:
    await rest.import_accounts("u1")
    items = [{"Tag": tag, "Value": value} for tag, value in GOOD_VALUES.items()]
    await rest.ok(SET, {"From_Account": "u1", "ProfileItem": items})
    data = await get(rest, ["u1"], list(GOOD_VALUES))
    assert data["UserProfileItem"] == [
        {"To_Account": "u1", "ProfileItem": items, "ResultCode": 0, "ResultInfo": ""}
    ]


async def test_unset_standard_tags_read_as_their_defaults(rest: RestClient) -> None:
    await rest.import_accounts("u1")
    data = await get(
        rest,
        ["u1"],
        [
            "Tag_Profile_IM_Nick",
            "Tag_Profile_IM_AllowType",
            "Tag_Profile_IM_Level",
            "Tag_Profile_IM_Gender",
        ],
    )
    assert data["UserProfileItem"][0]["ProfileItem"] == [
        {"Tag": "Tag_Profile_IM_Nick", "Value": ""},
        {"Tag": "Tag_Profile_IM_AllowType", "Value": "AllowType_Type_NeedConfirm"},
        {"Tag": "Tag_Profile_IM_Level", "Value": 0},
        {"Tag": "Tag_Profile_IM_Gender", "Value": "Gender_Type_Unknown"},
    ]


@pytest.mark.parametrize(
    ("tag", "value", "code"),
    [
        ("Tag_Profile_IM_Nick", 5, Code.PROFILE_BAD_VALUE_TYPE),
        ("Tag_Profile_IM_Nick", "n" * 501, Code.PROFILE_VALUE_TOO_LONG),
        ("Tag_Profile_IM_Location", "x" * 17, Code.PROFILE_VALUE_TOO_LONG),
        ("Tag_Profile_IM_Gender", "Gender_Type_Other", Code.PROFILE_BAD_VALUE),
        ("Tag_Profile_IM_AllowType", "AllowType_Type_Maybe", Code.PROFILE_BAD_VALUE),
        ("Tag_Profile_IM_AdminForbidType", "x", Code.PROFILE_BAD_VALUE),
        ("Tag_Profile_IM_BirthDay", "20190419", Code.PROFILE_BAD_VALUE_TYPE),
        ("Tag_Profile_IM_Level", -1, Code.PROFILE_BAD_VALUE),
        ("Tag_Profile_IM_Level", 2**32, Code.PROFILE_BAD_VALUE),
        ("Tag_Profile_IM_Role", True, Code.PROFILE_BAD_VALUE_TYPE),
        ("Tag_Profile_IM_Unknown", "x", Code.PROFILE_TAG_NOT_FOUND),
        ("Tag_Profile_Custom_Test", "x", Code.PROFILE_TAG_NOT_FOUND),
    ],
)
async def test_bad_values_get_their_code_and_write_nothing(
    rest: RestClient, tag: str, value: Any, code: int
) -> None:
    await rest.import_accounts("u1")
    data = await rest.call(
        SET,
        {
            "From_Account": "u1",
            "ProfileItem": [
                {"Tag": "Tag_Profile_IM_Nick", "Value": "before"},
                {"Tag": tag, "Value": value},
            ],
        },
    )
    assert data["ErrorCode"] == code
    assert data["ErrorInfo"].startswith("ProfileItem[1]."), data["ErrorInfo"]
    after = await get(rest, ["u1"], ["Tag_Profile_IM_Nick"])
    assert after["UserProfileItem"][0]["ProfileItem"] == [
        {"Tag": "Tag_Profile_IM_Nick", "Value": ""}
    ]


async def test_registered_custom_tag_takes_strings_and_integers(rest: RestClient) -> None:
    await rest.import_accounts("u1")
    await rest.set_setting("custom_profile_tags", "Tag_Profile_Custom_Test,Tag_Profile_Custom_Lvl")
    await rest.ok(
        SET,
        {
            "From_Account": "u1",
            "ProfileItem": [
                {"Tag": "Tag_Profile_Custom_Test", "Value": "Custom Data"},
                {"Tag": "Tag_Profile_Custom_Lvl", "Value": 7},
            ],
        },
    )
    data = await get(rest, ["u1"], ["Tag_Profile_Custom_Test", "Tag_Profile_Custom_Lvl"])
    assert data["UserProfileItem"][0]["ProfileItem"] == [
        {"Tag": "Tag_Profile_Custom_Test", "Value": "Custom Data"},
        {"Tag": "Tag_Profile_Custom_Lvl", "Value": 7},
    ]
    bad = await set_one(rest, "Tag_Profile_Custom_Test", [1])
    assert bad["ErrorCode"] == Code.PROFILE_BAD_VALUE_TYPE


async def test_unset_custom_tag_is_left_out(rest: RestClient) -> None:
    await rest.import_accounts("u1")
    await rest.set_setting("custom_profile_tags", "Tag_Profile_Custom_Test")
    data = await get(rest, ["u1"], ["Tag_Profile_Custom_Test"])
    assert data["UserProfileItem"][0]["ProfileItem"] == []


async def test_portrait_set_of_a_missing_account_is_40003(rest: RestClient) -> None:
    data = await set_one(rest, "Tag_Profile_IM_Nick", "x", user="ghost")
    assert data["ErrorCode"] == Code.PROFILE_ACCOUNT_NOT_FOUND
    assert data["ErrorInfo"].startswith("From_Account:")


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "x"}]}, 40001, "From_Account"),
        ({"From_Account": "u1"}, 40001, "ProfileItem"),
        ({"From_Account": "u1", "ProfileItem": {}}, 40001, "ProfileItem"),
        ({"From_Account": "u1", "ProfileItem": ["x"]}, 40001, "ProfileItem[0]"),
        ({"From_Account": "u1", "ProfileItem": [{"Value": "x"}]}, 40001, "ProfileItem[0].Tag"),
        (
            {"From_Account": "u1", "ProfileItem": [{"Tag": "Tag_Profile_IM_Nick"}]},
            40001,
            "ProfileItem[0].Value",
        ),
    ],
)
async def test_portrait_set_malformed_requests(
    rest: RestClient, body: dict[str, Any], code: int, field: str
) -> None:
    await rest.import_accounts("u1")
    data = await rest.call(SET, body)
    assert data["ErrorCode"] == code
    assert data["ErrorInfo"].startswith(f"{field}:"), data["ErrorInfo"]


async def test_portrait_get_answers_missing_accounts_per_item(rest: RestClient) -> None:
    await rest.import_accounts("id1")
    await set_one(rest, "Tag_Profile_IM_Nick", "NickNameTest1", user="id1")
    data = await get(rest, ["id1", "id4"], ["Tag_Profile_IM_Nick"])
    assert data["UserProfileItem"] == [
        {
            "To_Account": "id1",
            "ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "NickNameTest1"}],
            "ResultCode": 0,
            "ResultInfo": "",
        },
        {"To_Account": "id4", "ResultCode": 40003, "ResultInfo": "Err_Profile_Account_Not_Exist"},
    ]
    assert data["Fail_Account"] == ["id4"]


async def test_portrait_get_without_failures_has_no_fail_account(rest: RestClient) -> None:
    await rest.import_accounts("id1")
    assert "Fail_Account" not in await get(rest, ["id1"], ["Tag_Profile_IM_Nick"])


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"TagList": ["Tag_Profile_IM_Nick"]}, 40002, "To_Account"),
        (
            {"To_Account": [f"u{i}" for i in range(101)], "TagList": ["Tag_Profile_IM_Nick"]},
            40001,
            "To_Account",
        ),
        ({"To_Account": ["u1"]}, 40001, "TagList"),
        ({"To_Account": ["u1"], "TagList": ["Tag_Profile_IM_Nope"]}, 40009, "TagList[0]"),
        ({"To_Account": ["u1"], "TagList": [3]}, 40001, "TagList[0]"),
        ({"To_Account": [""], "TagList": ["Tag_Profile_IM_Nick"]}, 40001, "To_Account[0]"),
    ],
)
async def test_portrait_get_malformed_requests(
    rest: RestClient, body: dict[str, Any], code: int, field: str
) -> None:
    data = await rest.call(GET, body)
    assert data["ErrorCode"] == code
    assert data["ErrorInfo"].startswith(f"{field}:"), data["ErrorInfo"]


async def test_profile_sequence_bumps_on_each_set(rest: RestClient) -> None:
    await rest.import_accounts("u1")
    for nick in ("a", "b", "c"):
        await rest.ok(
            SET,
            {"From_Account": "u1", "ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": nick}]},
        )
    async with rest.store.read() as tx:
        profiles = await tx.get_profiles(rest.app.sdkappid, ["u1"])
    assert profiles["u1"].sequence == 3
