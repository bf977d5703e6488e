"""friend_add over HTTP: AllowType, ForceAddFlags, blocklists, caps, lists, pending requests and
every whole-request error."""

from __future__ import annotations

from typing import Any

import pytest

from relchain.domain.errors import Code
from relchain.domain.profiles import DENY_ANY, NEED_CONFIRM
from relchain.ports import Store
from tests.support import SRC, RestClient, add, bad_request, check, codes, set_settings, users

ADD = "sns/friend_add"


async def test_allow_any_adds_both_ways_at_once(rest: RestClient) -> None:
    await users(rest, "a", "b")
    data = await add(rest, "a", "b")
    assert data["ResultItem"] == [{"To_Account": "b", "ResultCode": 0, "ResultInfo": ""}]
    assert "Fail_Account" not in data
    assert await check(rest, "a", "b") == ["CheckResult_Type_BothWay"]


async def test_add_type_defaults_to_both_and_single_is_one_way(rest: RestClient) -> None:
    await users(rest, "a", "b", "c")
    await rest.ok(
        ADD, {"From_Account": "a", "AddFriendItem": [{"To_Account": "b", "AddSource": SRC}]}
    )
    await add(rest, "a", "c", add_type="Add_Type_Single")
    assert await check(rest, "a", "b", "c") == [
        "CheckResult_Type_BothWay",
        "CheckResult_Type_AWithB",
    ]


async def test_need_confirm_answers_30539_and_stores_a_request(
    rest: RestClient, store: Store
) -> None:
    await users(rest, "a")
    await users(rest, "n", allow=NEED_CONFIRM)
    data = await add(rest, "a", "n", AddWording="hello")
    assert codes(data) == [Code.SNS_PENDING]
    assert data["Fail_Account"] == ["n"]
    assert await check(rest, "a", "n") == ["CheckResult_Type_NoRelation"]
    async with store.read() as tx:
        (request,) = await tx.list_friend_requests(1400000001, "n", incoming=True, limit=5)
    assert (request.requester, request.add_wording, request.add_source) == ("a", "hello", SRC)


async def test_a_new_account_needs_confirmation_by_default(rest: RestClient) -> None:
    await rest.import_accounts("a", "fresh")
    assert codes(await add(rest, "a", "fresh")) == [30539]


async def test_deny_any_is_30516_and_force_skips_allow_type(rest: RestClient) -> None:
    await users(rest, "a")
    await users(rest, "d", allow=DENY_ANY)
    await users(rest, "n", allow=NEED_CONFIRM)
    assert codes(await add(rest, "a", "d")) == [Code.SNS_PEER_DENY_ANY]
    assert codes(await add(rest, "a", "d", "n", force=1)) == [0, 0]
    assert await check(rest, "a", "d", "n") == ["CheckResult_Type_BothWay"] * 2


async def test_force_add_flags_other_than_1_mean_normal(rest: RestClient) -> None:
    """The doocs Java SDK sends 2 for "normal"; only 1 forces."""
    await users(rest, "a")
    await users(rest, "n", allow=NEED_CONFIRM)
    assert codes(await add(rest, "a", "n", force=2)) == [Code.SNS_PENDING]
    assert codes(await add(rest, "a", "n", force=0)) == [Code.SNS_PENDING]


async def test_group_name_may_be_a_one_name_array_as_at_friend_import(rest: RestClient) -> None:
    await users(rest, "a", "b")
    assert codes(await add(rest, "a", "b", GroupName=["Classmates"])) == [0]
    data = await rest.ok(
        "sns/group_get", {"From_Account": "a", "NeedFriend": "Need_Friend_Type_Yes"}
    )
    assert [(g["GroupName"], g["To_Account"]) for g in data["ResultItem"]] == [
        ("Classmates", ["b"])
    ]


async def test_blocklists_are_30515_and_30525_even_forced(rest: RestClient) -> None:
    await users(rest, "a", "b", "c")
    await rest.ok("sns/black_list_add", {"From_Account": "a", "To_Account": ["b"]})
    await rest.ok("sns/black_list_add", {"From_Account": "c", "To_Account": ["a"]})
    data = await add(rest, "a", "b", "c", force=1)
    assert data["ResultItem"] == [
        {"To_Account": "b", "ResultCode": 30515, "ResultInfo": data["ResultItem"][0]["ResultInfo"]},
        {"To_Account": "c", "ResultCode": 30525, "ResultInfo": data["ResultItem"][1]["ResultInfo"]},
    ]
    assert data["Fail_Account"] == ["b", "c"]


async def test_per_item_30001_and_30003(rest: RestClient) -> None:
    await users(rest, "a", "b")
    data = await add(rest, "a", "a", "b", "b", "ghost")
    assert codes(data) == [30001, 0, 30001, 30003]
    assert data["Fail_Account"] == ["a", "b", "ghost"]
    again = await add(rest, "a", "b")
    assert again["ResultItem"][0]["ResultCode"] == 30001
    assert again["ResultItem"][0]["ResultInfo"] == "Err_SNS_FriendAdd_Friend_Exist"


async def test_friend_caps_are_30010_and_30014(rest: RestClient, store: Store) -> None:
    await users(rest, "a", "b", "c", "d")
    await set_settings(store, max_friends=1)
    assert codes(await add(rest, "a", "b", "c")) == [0, 30010]
    assert codes(await add(rest, "c", "b")) == [30014]


async def test_pending_requests_are_capped_30012(rest: RestClient, store: Store) -> None:
    await users(rest, "a")
    await users(rest, "n1", "n2", allow=NEED_CONFIRM)
    await set_settings(store, max_pending_requests=1)
    assert codes(await add(rest, "a", "n1", "n2")) == [30539, 30012]


async def test_group_name_creates_the_list_and_30011_past_the_cap(
    rest: RestClient, store: Store
) -> None:
    await users(rest, "a", "b", "c")
    await set_settings(store, max_friend_lists=1)
    assert codes(await add(rest, "a", "b", GroupName="Classmates")) == [0]
    assert codes(await add(rest, "a", "c", GroupName="Other")) == [30011]
    data = await rest.ok(
        "sns/group_get", {"From_Account": "a", "NeedFriend": "Need_Friend_Type_Yes"}
    )
    assert data["ResultItem"] == [
        {"GroupName": "Classmates", "FriendNumber": 1, "To_Account": ["b"]}
    ]


async def test_adding_back_a_requester_accepts_the_request(rest: RestClient) -> None:
    await users(rest, "a", "n", allow=NEED_CONFIRM)
    assert codes(await add(rest, "a", "n")) == [30539]
    assert codes(await add(rest, "n", "a", add_type="Add_Type_Single")) == [0]
    assert await check(rest, "a", "n") == ["CheckResult_Type_BothWay"]


async def test_from_account_that_does_not_exist_is_whole_request_30003(rest: RestClient) -> None:
    await users(rest, "b")
    data = await rest.call(
        ADD, {"From_Account": "ghost", "AddFriendItem": [{"To_Account": "b", "AddSource": SRC}]}
    )
    bad_request(data, 30003, "From_Account")


async def test_non_admin_gets_30004(rest: RestClient) -> None:
    await users(rest, "a", "b")
    data = await rest.call(
        ADD,
        {"From_Account": "a", "AddFriendItem": [{"To_Account": "b", "AddSource": SRC}]},
        identifier="a",
    )
    assert data["ErrorCode"] == 30004


def _item(**fields: Any) -> dict[str, Any]:
    return {"To_Account": "b", "AddSource": SRC, **fields}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"AddFriendItem": [_item()]}, "From_Account"),
        ({"From_Account": "a"}, "AddFriendItem"),
        ({"From_Account": "a", "AddFriendItem": {}}, "AddFriendItem"),
        ({"From_Account": "a", "AddFriendItem": []}, "AddFriendItem"),
        ({"From_Account": "a", "AddFriendItem": [_item()] * 1001}, "AddFriendItem"),
        ({"From_Account": "a", "AddFriendItem": ["b"]}, "AddFriendItem[0]"),
        (
            {"From_Account": "a", "AddFriendItem": [{"AddSource": SRC}]},
            "AddFriendItem[0].To_Account",
        ),
        (
            {"From_Account": "a", "AddFriendItem": [_item(To_Account=7)]},
            "AddFriendItem[0].To_Account",
        ),
        (
            {"From_Account": "a", "AddFriendItem": [{"To_Account": "b"}]},
            "AddFriendItem[0].AddSource",
        ),
        (
            {"From_Account": "a", "AddFriendItem": [_item(AddSource="Android")]},
            "AddFriendItem[0].AddSource",
        ),
        (
            {"From_Account": "a", "AddFriendItem": [_item(AddSource="AddSource_Type_Android9")]},
            "AddFriendItem[0].AddSource",
        ),
        (
            {"From_Account": "a", "AddFriendItem": [_item(AddSource="AddSource_Type_Abcdefghi")]},
            "AddFriendItem[0].AddSource",
        ),
        (
            {"From_Account": "a", "AddFriendItem": [_item(AddSource="AddSource_Type_")]},
            "AddFriendItem[0].AddSource",
        ),
        (
            {"From_Account": "a", "AddFriendItem": [_item(Remark="r" * 97)]},
            "AddFriendItem[0].Remark",
        ),
        (
            {"From_Account": "a", "AddFriendItem": [_item(GroupName="g" * 31)]},
            "AddFriendItem[0].GroupName",
        ),
        (
            {"From_Account": "a", "AddFriendItem": [_item(GroupName=["g", "h"])]},
            "AddFriendItem[0].GroupName",
        ),
        (
            {"From_Account": "a", "AddFriendItem": [_item(AddWording="w" * 257)]},
            "AddFriendItem[0].AddWording",
        ),
        ({"From_Account": "a", "AddFriendItem": [_item()], "AddType": "Both"}, "AddType"),
        ({"From_Account": "a", "AddFriendItem": [_item()], "ForceAddFlags": "1"}, "ForceAddFlags"),
    ],
)
async def test_whole_request_errors_are_30001_naming_the_field(
    rest: RestClient, body: dict[str, Any], field: str
) -> None:
    await users(rest, "a", "b")
    bad_request(await rest.call(ADD, body), 30001, field)
    assert await check(rest, "a", "b") == ["CheckResult_Type_NoRelation"]


async def test_limits_in_bytes_accept_the_maximum(rest: RestClient) -> None:
    await users(rest, "a", "b")
    data = await add(rest, "a", "b", Remark="é" * 48, GroupName="g" * 30, AddWording="w" * 256)
    assert codes(data) == [0]
    add_source = await rest.ok(
        ADD,
        {
            "From_Account": "b",
            "AddFriendItem": [{"To_Account": "a", "AddSource": "AddSource_Type_Abcdefgh"}],
        },
    )
    assert codes(add_source) == [30001]  # b already has a (both-way add): Friend_Exist


async def test_admin_forbid_send_out_is_30009_unless_forced(rest: RestClient) -> None:
    await users(rest, "a", "b")
    await rest.ok(
        "profile/portrait_set",
        {
            "From_Account": "a",
            "ProfileItem": [
                {"Tag": "Tag_Profile_IM_AdminForbidType", "Value": "AdminForbid_Type_SendOut"}
            ],
        },
    )
    body = {"From_Account": "a", "AddFriendItem": [{"To_Account": "b", "AddSource": SRC}]}
    bad_request(await rest.call(ADD, body), 30009, "From_Account")
    assert await check(rest, "a", "b") == ["CheckResult_Type_NoRelation"]
    assert codes(await rest.ok(ADD, {**body, "ForceAddFlags": 1})) == [0]
