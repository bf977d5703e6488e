"""Golden tests: every documented ``v4/sns/*`` sample request (tencent-wire.md sections 6-8) is
accepted verbatim, and the answers match the documented responses field by field wherever the
values are deterministic (ids are the documented ones; times and sequences are ours)."""

from __future__ import annotations

from typing import Any

import orjson

from relchain.domain.profiles import ALLOW_ANY
from relchain.http.routes import APIS, BY_PATH
from relchain.ports import Store
from tests.support import T0, RestClient, set_settings, users

SNS_APIS = tuple(api for api in APIS if api.path.startswith("sns/"))

ENVELOPE = {"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "", "ErrorDisplay": ""}
SNS_PATHS = {
    "friend_add",
    "friend_import",
    "friend_update",
    "friend_delete",
    "friend_delete_all",
    "friend_check",
    "friend_get",
    "friend_get_list",
    "black_list_add",
    "black_list_delete",
    "black_list_get",
    "black_list_check",
    "group_add",
    "group_delete",
    "group_get",
}


def sample(command: str) -> dict[str, Any]:
    data: dict[str, Any] = orjson.loads(BY_PATH[f"sns/{command}"].sample)
    return data


async def send_sample(rest: RestClient, command: str) -> dict[str, Any]:
    """POST the documented sample bytes exactly as the route table holds them."""
    data = await rest.call(f"sns/{command}", raw=BY_PATH[f"sns/{command}"].sample.encode())
    assert data["ActionStatus"] == "OK", data
    return data


def test_every_sns_api_is_routed_with_a_sample() -> None:
    assert {api.path.removeprefix("sns/") for api in SNS_APIS} == SNS_PATHS
    for api in SNS_APIS:
        assert BY_PATH[api.path] is api
        assert isinstance(orjson.loads(api.sample), dict)


async def test_friend_add_sample(rest: RestClient) -> None:
    await users(rest, "id", "id1")
    data = await send_sample(rest, "friend_add")
    assert data == {
        **ENVELOPE,
        "ResultItem": [{"To_Account": "id1", "ResultCode": 0, "ResultInfo": ""}],
    }


async def test_friend_import_sample(rest: RestClient, store: Store) -> None:
    await set_settings(store, custom_sns_tags=("Tag_SNS_Custom_XXXX", "Tag_SNS_Custom_YYYY"))
    await users(rest, "id", "id1")
    data = await send_sample(rest, "friend_import")
    assert data == {
        **ENVELOPE,
        "ResultItem": [{"To_Account": "id1", "ResultCode": 0, "ResultInfo": ""}],
    }
    got = await rest.ok("sns/friend_get", {"From_Account": "id", "StartIndex": 0})
    assert got["UserDataItem"] == [
        {
            "To_Account": "id1",
            "ValueItem": [
                {"Tag": "Tag_SNS_IM_AddSource", "Value": "AddSource_Type_XXXXXXXX"},
                {"Tag": "Tag_SNS_IM_Remark", "Value": "remark1"},
                {"Tag": "Tag_SNS_IM_Group", "Value": ["Friends"]},
                {"Tag": "Tag_SNS_IM_AddTime", "Value": 1420000001},
                {"Tag": "Tag_SNS_Custom_XXXX", "Value": "Test"},
                {"Tag": "Tag_SNS_Custom_YYYY", "Value": 0},
            ],
        }
    ]


async def test_friend_import_sample_over_the_cap_says_so(rest: RestClient, store: Store) -> None:
    await set_settings(
        store, custom_sns_tags=("Tag_SNS_Custom_XXXX", "Tag_SNS_Custom_YYYY"), max_friends=1
    )
    await users(rest, "id", "id1", "other")
    await rest.ok(
        "sns/friend_add",
        {
            "From_Account": "id",
            "AddFriendItem": [{"To_Account": "other", "AddSource": "AddSource_Type_A"}],
        },
    )
    data = await send_sample(rest, "friend_import")
    assert data["ResultItem"] == [
        {
            "To_Account": "id1",
            "ResultCode": 30010,
            "ResultInfo": "Err_SNS_FriendImport_My_Friend_Num_Exceed_Threshold",
        },
    ]
    assert data["Fail_Account"] == ["id1"]


async def test_friend_update_sample(rest: RestClient, store: Store) -> None:
    await set_settings(store, custom_sns_tags=("Tag_SNS_Custom_Test",))
    await users(rest, "id", "id1")
    await send_sample(rest, "friend_add")
    data = await send_sample(rest, "friend_update")
    assert data == {
        **ENVELOPE,
        "ResultItem": [{"To_Account": "id1", "ResultCode": 0, "ResultInfo": ""}],
    }


async def test_friend_delete_and_delete_all_samples(rest: RestClient) -> None:
    await users(rest, "id", "id1", "id2", "id3")
    await rest.ok(
        "sns/friend_add",
        {
            "From_Account": "id",
            "AddFriendItem": [
                {"To_Account": f, "AddSource": "AddSource_Type_A"} for f in ("id1", "id2", "id3")
            ],
        },
    )
    data = await send_sample(rest, "friend_delete")
    assert data == {
        **ENVELOPE,
        "ResultItem": [
            {"To_Account": f, "ResultCode": 0, "ResultInfo": ""} for f in ("id1", "id2", "id3")
        ],
    }
    assert await send_sample(rest, "friend_delete_all") == ENVELOPE


async def test_friend_check_sample(rest: RestClient) -> None:
    await users(rest, "id", "id1", "id2", "id3", "id4", "id5")
    await rest.ok(
        "sns/friend_add",
        {
            "From_Account": "id",
            "AddFriendItem": [{"To_Account": "id1", "AddSource": "AddSource_Type_A"}],
        },
    )
    data = await send_sample(rest, "friend_check")
    assert data["InfoItem"][0] == {
        "To_Account": "id1",
        "Relation": "CheckResult_Type_BothWay",
        "ResultCode": 0,
        "ResultInfo": "",
    }
    assert data["InfoItem"][4] == {
        "To_Account": "id5",
        "Relation": "CheckResult_Type_NoRelation",
        "ResultCode": 0,
        "ResultInfo": "",
    }
    assert set(data) == set(ENVELOPE) | {"InfoItem"}


async def test_friend_get_sample_matches_the_documented_response(
    rest: RestClient, store: Store
) -> None:
    await set_settings(store, custom_sns_tags=("Tag_SNS_Custom_Test",))
    await users(rest, "id", "id1", "id2")
    await rest.ok(
        "sns/friend_import",
        {
            "From_Account": "id",
            "AddFriendItem": [
                {
                    "To_Account": "id1",
                    "AddSource": "AddSource_Type_Android",
                    "Remark": "Remark1",
                    "GroupName": ["Group1", "Group2"],
                    "AddTime": 1563867420,
                    "CustomItem": [{"Tag": "Tag_SNS_Custom_Test", "Value": "CustomData1"}],
                },
                {"To_Account": "id2", "AddSource": "AddSource_Type_Android"},
            ],
        },
    )
    data = await send_sample(rest, "friend_get")
    documented = {
        "UserDataItem": [
            {
                "To_Account": "id1",
                "ValueItem": [
                    {"Tag": "Tag_SNS_IM_AddSource", "Value": "AddSource_Type_Android"},
                    {"Tag": "Tag_SNS_IM_Remark", "Value": "Remark1"},
                    {"Tag": "Tag_SNS_IM_Group", "Value": ["Group1", "Group2"]},
                    {"Tag": "Tag_SNS_IM_AddTime", "Value": 1563867420},
                    {"Tag": "Tag_SNS_Custom_Test", "Value": "CustomData1"},
                ],
            }
        ],
        "StandardSequence": 88,
        "CustomSequence": 2,
        "FriendNum": 2,
        "CompleteFlag": 1,
        "NextStartIndex": 0,
        **ENVELOPE,
    }
    assert set(data) == set(documented)
    assert data["UserDataItem"][0] == documented["UserDataItem"][0]
    for key in ("FriendNum", "CompleteFlag", "NextStartIndex", *ENVELOPE):
        assert data[key] == documented[key], key
    assert isinstance(data["StandardSequence"], int) and data["StandardSequence"] > 0
    assert isinstance(data["CustomSequence"], int) and data["CustomSequence"] > 0


async def test_friend_get_list_sample_matches_the_documented_response(
    rest: RestClient, store: Store
) -> None:
    await set_settings(
        store,
        custom_sns_tags=("Tag_SNS_Custom_Test",),
        custom_profile_tags=("Tag_Profile_Custom_Test",),
    )
    await users(rest, "UserID_1", "UserID_2", "id3")
    await rest.ok(
        "profile/portrait_set",
        {
            "From_Account": "UserID_2",
            "ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "NickTest1"}],
        },
    )
    await rest.ok(
        "sns/friend_add",
        {
            "From_Account": "UserID_1",
            "AddFriendItem": [
                {
                    "To_Account": "UserID_2",
                    "AddSource": "AddSource_Type_A",
                    "Remark": "Remark1",
                    "GroupName": "Group1",
                }
            ],
        },
    )
    body = sample("friend_get_list")
    body["To_Account"] = ["UserID_2", "id3"]
    data = await rest.ok("sns/friend_get_list", body)
    assert data == {
        "InfoItem": [
            {
                "To_Account": "UserID_2",
                "SnsProfileItem": [
                    {"Tag": "Tag_Profile_IM_Nick", "Value": "NickTest1"},
                    {"Tag": "Tag_SNS_IM_Group", "Value": ["Group1"]},
                    {"Tag": "Tag_SNS_IM_Remark", "Value": "Remark1"},
                ],
                "ResultCode": 0,
                "ResultInfo": "",
            },
            {
                "To_Account": "id3",
                "ResultCode": 31211,
                "ResultInfo": "SNS_FRD_GET_LIST_FRD_NO_EXIST",
            },
        ],
        "Fail_Account": ["id3"],
        **ENVELOPE,
    }


async def test_black_list_samples(rest: RestClient, store: Store) -> None:
    await users(rest, "id", "id1", "id2", "id3", "id4", "id5")
    data = await send_sample(rest, "black_list_add")
    assert data == {
        **ENVELOPE,
        "ResultItem": [
            {"To_Account": f, "ResultCode": 0, "ResultInfo": ""} for f in ("id1", "id2", "id3")
        ],
    }
    again = await send_sample(rest, "black_list_add")
    assert again["ResultItem"][0] == {
        "To_Account": "id1",
        "ResultCode": 30001,
        "ResultInfo": "Err_SNS_BlackListAdd_Already_Exist",
    }
    await rest.ok("sns/black_list_add", {"From_Account": "id1", "To_Account": ["id"]})
    checked = await send_sample(rest, "black_list_check")
    assert checked["BlackListCheckItem"][0] == {
        "To_Account": "id1",
        "Relation": "BlackCheckResult_Type_BothWay",
        "ResultCode": 0,
        "ResultInfo": "",
    }
    assert checked["BlackListCheckItem"][4] == {
        "To_Account": "id5",
        "Relation": "BlackCheckResult_Type_NO",
        "ResultCode": 0,
        "ResultInfo": "",
    }
    got = await send_sample(rest, "black_list_get")
    assert got == {
        "BlackListItem": [
            {"To_Account": f, "AddBlackTimeStamp": T0} for f in ("id1", "id2", "id3")
        ],
        "StartIndex": 0,
        "CurruentSequence": 1,
        **ENVELOPE,
    }
    deleted = await send_sample(rest, "black_list_delete")
    assert deleted == {
        **ENVELOPE,
        "ResultItem": [
            {"To_Account": f, "ResultCode": 0, "ResultInfo": ""} for f in ("id1", "id2", "id3")
        ],
    }


async def test_group_samples_follow_the_documented_sequences(rest: RestClient) -> None:
    await users(rest, "id", "id1", "id2")
    await rest.ok(
        "sns/friend_add",
        {
            "From_Account": "id",
            "AddFriendItem": [
                {"To_Account": "id1", "AddSource": "AddSource_Type_A", "GroupName": "Classmates"}
            ],
        },
    )
    first = await rest.ok(
        "sns/group_add", {"From_Account": "id", "GroupName": ["group1", "group2", "group3"]}
    )
    assert first == {"CurrentSequence": 2, **ENVELOPE}
    second = await send_sample(rest, "group_add")
    assert second["ResultItem"][:2] == [
        {"To_Account": "id1", "ResultCode": 0, "ResultInfo": ""},
        {
            "To_Account": "id2",
            "ResultCode": 32216,
            "ResultInfo": "Err_SNS_GroupAdd_ToTinyId_Not_Friend",
        },
    ]
    assert second["Fail_Account"] == ["id2", "id3"]
    assert second["CurrentSequence"] == 3
    assert await send_sample(rest, "group_delete") == {"CurrentSequence": 4, **ENVELOPE}


async def test_group_get_sample_matches_the_documented_response(rest: RestClient) -> None:
    await users(rest, "id", "friend1")
    await rest.ok(
        "sns/friend_add",
        {
            "From_Account": "id",
            "AddFriendItem": [{"To_Account": "friend1", "AddSource": "AddSource_Type_A"}],
        },
    )
    await rest.ok("sns/group_add", {"From_Account": "id", "GroupName": ["group1"]})
    await rest.ok(
        "sns/group_add", {"From_Account": "id", "GroupName": ["group1"], "To_Account": ["friend1"]}
    )
    data = await send_sample(rest, "group_get")
    assert data == {
        "ResultItem": [{"GroupName": "group1", "FriendNumber": 1, "To_Account": ["friend1"]}],
        "CurrentSequence": 2,
        **ENVELOPE,
    }
    short = await rest.ok("sns/group_get", {"From_Account": "id"})
    assert short["ResultItem"] == [{"GroupName": "group1", "FriendNumber": 1}]


async def test_a_new_user_reads_back_friends_added_with_the_samples(rest: RestClient) -> None:
    """friend_add's sample, then friend_get's and friend_get_list's samples, look like the
    documented responses field by field."""
    await users(rest, "id", "id1", allow=ALLOW_ANY)
    await send_sample(rest, "friend_add")
    got = await send_sample(rest, "friend_get")
    assert got == {
        "UserDataItem": [
            {
                "To_Account": "id1",
                "ValueItem": [
                    {"Tag": "Tag_SNS_IM_AddSource", "Value": "AddSource_Type_XXXXXXXX"},
                    {"Tag": "Tag_SNS_IM_Remark", "Value": "remark1"},
                    {"Tag": "Tag_SNS_IM_Group", "Value": ["Classmates"]},
                    {"Tag": "Tag_SNS_IM_AddTime", "Value": T0},
                ],
            }
        ],
        "StandardSequence": got["StandardSequence"],
        "CustomSequence": 0,
        "FriendNum": 1,
        "CompleteFlag": 1,
        "NextStartIndex": 0,
        **ENVELOPE,
    }
    assert got["StandardSequence"] > 0
    # the reverse side (Add_Type_Both) has id as a friend, without remark or list
    back = await rest.ok("sns/friend_get", {"From_Account": "id1", "StartIndex": 0})
    assert back["UserDataItem"] == [
        {
            "To_Account": "id",
            "ValueItem": [
                {"Tag": "Tag_SNS_IM_AddSource", "Value": "AddSource_Type_XXXXXXXX"},
                {"Tag": "Tag_SNS_IM_AddTime", "Value": T0},
            ],
        }
    ]

    await users(rest, "UserID_1", "UserID_2", allow=ALLOW_ANY)
    await rest.ok(
        "profile/portrait_set",
        {
            "From_Account": "UserID_2",
            "ProfileItem": [{"Tag": "Tag_Profile_IM_Nick", "Value": "NickTest1"}],
        },
    )
    add = sample("friend_add")
    add["From_Account"] = "UserID_1"
    add["AddFriendItem"][0]["To_Account"] = "UserID_2"
    await rest.ok("sns/friend_add", add)
    body = sample("friend_get_list")
    body["TagList"] = [t for t in body["TagList"] if "Custom" not in t]  # none registered
    listed = await rest.ok("sns/friend_get_list", body)
    assert listed == {
        "InfoItem": [
            {
                "To_Account": "UserID_2",
                "SnsProfileItem": [
                    {"Tag": "Tag_Profile_IM_Nick", "Value": "NickTest1"},
                    {"Tag": "Tag_SNS_IM_Group", "Value": ["Classmates"]},
                    {"Tag": "Tag_SNS_IM_Remark", "Value": "remark1"},
                ],
                "ResultCode": 0,
                "ResultInfo": "",
            }
        ],
        **ENVELOPE,
    }


async def test_samples_with_unregistered_custom_tags_name_the_tag(rest: RestClient) -> None:
    await users(rest, "UserID_1", "UserID_2")
    data = await rest.call(
        "sns/friend_get_list", raw=BY_PATH["sns/friend_get_list"].sample.encode()
    )
    assert data["ErrorCode"] == 30001
    assert data["ErrorInfo"].startswith("TagList[0]:")
