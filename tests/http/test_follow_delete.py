"""follow_delete over HTTP: unfollow, idempotent repeats, missing accounts, mutual pairs,
duplicates and batch limits."""

from __future__ import annotations

from typing import Any

import pytest

from relchain.domain.errors import Code
from tests.support import RestClient, bad_request, follow

DELETE = "follow/follow_delete"


async def info(rest: RestClient, user: str) -> tuple[int, int, int]:
    data = await rest.ok("follow/follow_get_info", {"From_Account": user, "To_Account": [user]})
    item = data["FollowInfo"][0]
    return item["FollowerCount"], item["FollowingCount"], item["MutualFollowingCount"]


async def listed(rest: RestClient, user: str, kind: int) -> list[str]:
    data = await rest.ok(
        "follow/follow_get", {"From_Account": user, "FollowType": kind, "StartCursor": ""}
    )
    return [item["To_Account"] for item in data["FollowItem"]]


async def test_documented_sample_unfollows_both(rest: RestClient) -> None:
    await rest.import_accounts("UserID_001", "UserID_002", "UserID_003")
    await follow(rest, "UserID_001", "UserID_002", "UserID_003")
    data = await rest.ok(
        DELETE, raw=b'{"From_Account":"UserID_001","To_Account":["UserID_002","UserID_003"]}'
    )
    assert data == {
        "ResultItem": [
            {"To_Account": "UserID_002", "ResultCode": 0, "ResultInfo": ""},
            {"To_Account": "UserID_003", "ResultCode": 0, "ResultInfo": ""},
        ],
        "ActionStatus": "OK",
        "ErrorCode": 0,
        "ErrorInfo": "",
        "ErrorDisplay": "",
    }
    assert await info(rest, "UserID_001") == (0, 0, 0)
    assert await listed(rest, "UserID_002", 1) == []


async def test_unfollowing_someone_not_followed_answers_0(rest: RestClient) -> None:
    await rest.import_accounts("a", "b")
    for _ in range(2):
        data = await rest.ok(DELETE, {"From_Account": "a", "To_Account": ["b", "a"]})
        assert [i["ResultCode"] for i in data["ResultItem"]] == [0, 0]
        assert "Fail_Account" not in data
    assert await info(rest, "a") == (0, 0, 0)
    assert await info(rest, "b") == (0, 0, 0)


async def test_unfollowing_breaks_the_mutual_pair_on_both_sides(rest: RestClient) -> None:
    await rest.import_accounts("a", "b")
    await follow(rest, "a", "b")
    await follow(rest, "b", "a")
    await rest.ok(DELETE, {"From_Account": "b", "To_Account": ["a"]})
    assert await info(rest, "a") == (0, 1, 0)
    assert await info(rest, "b") == (1, 0, 0)
    assert await listed(rest, "a", 3) == [] and await listed(rest, "b", 3) == []
    assert await listed(rest, "a", 2) == ["b"] and await listed(rest, "b", 1) == ["a"]


async def test_missing_target_fails_that_item_with_30003(rest: RestClient) -> None:
    await rest.import_accounts("a", "b")
    await follow(rest, "a", "b")
    data = await rest.ok(DELETE, {"From_Account": "a", "To_Account": ["ghost", "b", "ghost"]})
    assert [i["ResultCode"] for i in data["ResultItem"]] == [30003, 0, 30003]
    assert data["ResultItem"][0]["ResultInfo"].startswith("To_Account:")
    assert data["Fail_Account"] == ["ghost", "ghost"]
    assert await info(rest, "a") == (0, 0, 0)


async def test_duplicates_are_each_answered_and_unfollowed_once(rest: RestClient) -> None:
    await rest.import_accounts("a", "b", "c")
    await follow(rest, "a", "b", "c")
    data = await rest.ok(DELETE, {"From_Account": "a", "To_Account": ["b", "b", "b"]})
    assert [i["ResultCode"] for i in data["ResultItem"]] == [0, 0, 0]
    assert await info(rest, "a") == (0, 1, 0)
    assert await info(rest, "b") == (0, 0, 0)


async def test_missing_from_account_fails_the_request(rest: RestClient) -> None:
    await rest.import_accounts("b")
    data = await rest.call(DELETE, {"From_Account": "ghost", "To_Account": ["b"]})
    bad_request(data, Code.SNS_ACCOUNT_NOT_FOUND, "From_Account")


async def test_twenty_pass_and_twenty_one_fail_naming_to_account(rest: RestClient) -> None:
    ids = [f"u{i}" for i in range(21)]
    await rest.import_accounts("a", *ids)
    await rest.ok(DELETE, {"From_Account": "a", "To_Account": ids[:20]})
    data = await rest.call(DELETE, {"From_Account": "a", "To_Account": ids})
    bad_request(data, Code.SNS_BAD_PARAM, "To_Account")
    assert "at most 20" in data["ErrorInfo"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"To_Account": ["b"]}, "From_Account"),
        ({"From_Account": "a", "To_Account": ["b", "x" * 33]}, "To_Account[1]"),
        ({"From_Account": ["a"], "To_Account": ["b"]}, "From_Account"),
        ({"From_Account": "a"}, "To_Account"),
        ({"From_Account": "a", "To_Account": []}, "To_Account"),
        ({"From_Account": "a", "To_Account": "b"}, "To_Account"),
        ({"From_Account": "a", "To_Account": [{"To_Account": "b"}]}, "To_Account[0]"),
        ({"From_Account": "a", "To_Account": ["b", None]}, "To_Account[1]"),
    ],
)
async def test_bad_requests_answer_30001_naming_the_field(
    rest: RestClient, body: dict[str, Any], field: str
) -> None:
    await rest.import_accounts("a", "b")
    await follow(rest, "a", "b")
    bad_request(await rest.call(DELETE, body), Code.SNS_BAD_PARAM, field)
    assert await info(rest, "a") == (0, 1, 0)
