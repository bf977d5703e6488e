"""friend_delete, friend_delete_all and friend_check over HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import RestClient, add, bad_request, check, codes, users

DELETE = "sns/friend_delete"


async def test_delete_single_is_the_default(rest: RestClient) -> None:
    await users(rest, "a", "b")
    await add(rest, "a", "b")
    data = await rest.ok(DELETE, {"From_Account": "a", "To_Account": ["b"]})
    assert data["ResultItem"] == [{"To_Account": "b", "ResultCode": 0, "ResultInfo": ""}]
    assert await check(rest, "a", "b") == ["CheckResult_Type_BWithA"]


async def test_delete_both_and_31704_for_a_non_friend(rest: RestClient) -> None:
    await users(rest, "a", "b", "c")
    await add(rest, "a", "b")
    data = await rest.ok(
        DELETE, {"From_Account": "a", "To_Account": ["b", "c"], "DeleteType": "Delete_Type_Both"}
    )
    assert codes(data) == [0, 31704]
    assert data["Fail_Account"] == ["c"]
    assert await check(rest, "a", "b") == ["CheckResult_Type_NoRelation"]


async def test_delete_all_both_ways(rest: RestClient) -> None:
    await users(rest, "a", "b", "c")
    await add(rest, "a", "b", "c")
    data = await rest.ok(
        "sns/friend_delete_all", {"From_Account": "a", "DeleteType": "Delete_Type_Both"}
    )
    assert data == {"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "", "ErrorDisplay": ""}
    assert await check(rest, "a", "b", "c") == ["CheckResult_Type_NoRelation"] * 2


async def test_delete_all_single_keeps_the_reverse_edges(rest: RestClient) -> None:
    await users(rest, "a", "b")
    await add(rest, "a", "b")
    await rest.ok("sns/friend_delete_all", {"From_Account": "a"})
    assert await check(rest, "a", "b") == ["CheckResult_Type_BWithA"]


async def test_check_every_relation_value(rest: RestClient) -> None:
    await users(rest, "a", "both", "mine", "theirs", "none")
    await add(rest, "a", "both")
    await add(rest, "a", "mine", add_type="Add_Type_Single")
    await add(rest, "theirs", "a", add_type="Add_Type_Single")
    assert await check(rest, "a", "both", "mine", "theirs", "none") == [
        "CheckResult_Type_BothWay",
        "CheckResult_Type_AWithB",
        "CheckResult_Type_BWithA",
        "CheckResult_Type_NoRelation",
    ]
    assert await check(rest, "a", "both", "mine", "theirs", "none", both=False) == [
        "CheckResult_Type_AWithB",
        "CheckResult_Type_AWithB",
        "CheckResult_Type_NoRelation",
        "CheckResult_Type_NoRelation",
    ]


async def test_check_missing_account_is_per_item_30003(rest: RestClient) -> None:
    await users(rest, "a")
    data = await rest.ok(
        "sns/friend_check",
        {"From_Account": "a", "To_Account": ["ghost"], "CheckType": "CheckResult_Type_Both"},
    )
    assert data["InfoItem"] == [
        {
            "To_Account": "ghost",
            "Relation": "CheckResult_Type_NoRelation",
            "ResultCode": 30003,
            "ResultInfo": "Err_SNS_Account_Not_Exist",
        }
    ]
    assert data["Fail_Account"] == ["ghost"]


@pytest.mark.parametrize(
    ("path", "body", "code", "field"),
    [
        (DELETE, {"To_Account": ["b"]}, 30001, "From_Account"),
        (DELETE, {"From_Account": "a"}, 30001, "To_Account"),
        (DELETE, {"From_Account": "a", "To_Account": "b"}, 30001, "To_Account"),
        (DELETE, {"From_Account": "a", "To_Account": ["b"] * 1001}, 30001, "To_Account"),
        (DELETE, {"From_Account": "a", "To_Account": [""]}, 30001, "To_Account[0]"),
        (
            DELETE,
            {"From_Account": "a", "To_Account": ["b"], "DeleteType": "All"},
            30001,
            "DeleteType",
        ),
        (DELETE, {"From_Account": "ghost", "To_Account": ["b"]}, 30003, "From_Account"),
        ("sns/friend_delete_all", {"From_Account": "a", "DeleteType": 1}, 30001, "DeleteType"),
        ("sns/friend_delete_all", {}, 30001, "From_Account"),
        ("sns/friend_delete_all", {"From_Account": "ghost"}, 30003, "From_Account"),
        ("sns/friend_check", {"From_Account": "a", "To_Account": ["b"]}, 30001, "CheckType"),
        (
            "sns/friend_check",
            {"From_Account": "a", "To_Account": ["b"], "CheckType": "Both"},
            30001,
            "CheckType",
        ),
        (
            "sns/friend_check",
            {"From_Account": "a", "CheckType": "CheckResult_Type_Both"},
            30001,
            "To_Account",
        ),
        (
            "sns/friend_check",
            {"From_Account": "a", "To_Account": ["b"] * 1001, "CheckType": "CheckResult_Type_Both"},
            30001,
            "To_Account",
        ),
        (
            "sns/friend_check",
            {"From_Account": "ghost", "To_Account": ["b"], "CheckType": "CheckResult_Type_Both"},
            30003,
            "From_Account",
        ),
    ],
)
async def test_whole_request_errors(
    rest: RestClient, path: str, body: dict[str, Any], code: int, field: str
) -> None:
    await users(rest, "a", "b")
    await add(rest, "a", "b")
    bad_request(await rest.call(path, body), code, field)
    assert await check(rest, "a", "b") == ["CheckResult_Type_BothWay"]
