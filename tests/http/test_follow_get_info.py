"""follow_get_info over HTTP: counters, From in To_Account, missing accounts, limits."""

from __future__ import annotations

from typing import Any

import pytest

from relchain.domain.errors import Code
from tests.support import RestClient, bad_request, follow

INFO = "follow/follow_get_info"


async def test_documented_sample_with_from_in_to_account(rest: RestClient) -> None:
    await rest.import_accounts("UserID_001", "UserID_002", "UserID_003")
    await follow(rest, "UserID_001", "UserID_002", "UserID_003")
    await follow(rest, "UserID_003", "UserID_001")
    data = await rest.ok(
        INFO,
        raw=b'{"From_Account":"UserID_001","To_Account":["UserID_001","UserID_002","UserID_003"]}',
    )
    assert data == {
        "FollowInfo": [
            {
                "To_Account": "UserID_001",
                "ResultCode": 0,
                "ResultInfo": "",
                "FollowerCount": 1,
                "FollowingCount": 2,
                "MutualFollowingCount": 1,
            },
            {
                "To_Account": "UserID_002",
                "ResultCode": 0,
                "ResultInfo": "",
                "FollowerCount": 1,
                "FollowingCount": 0,
                "MutualFollowingCount": 0,
            },
            {
                "To_Account": "UserID_003",
                "ResultCode": 0,
                "ResultInfo": "",
                "FollowerCount": 1,
                "FollowingCount": 1,
                "MutualFollowingCount": 1,
            },
        ],
        "ActionStatus": "OK",
        "ErrorCode": 0,
        "ErrorInfo": "",
        "ErrorDisplay": "",
    }


async def test_missing_target_fails_that_item_with_zero_counts(rest: RestClient) -> None:
    await rest.import_accounts("me")
    data = await rest.ok(INFO, {"From_Account": "me", "To_Account": ["ghost", "me", "ghost"]})
    assert data["FollowInfo"][0] == {
        "To_Account": "ghost",
        "ResultCode": 30003,
        "ResultInfo": data["FollowInfo"][0]["ResultInfo"],
        "FollowerCount": 0,
        "FollowingCount": 0,
        "MutualFollowingCount": 0,
    }
    assert data["FollowInfo"][0]["ResultInfo"].startswith("To_Account:")
    assert data["FollowInfo"][1]["ResultCode"] == 0
    assert data["Fail_Account"] == ["ghost", "ghost"]


async def test_missing_from_account_fails_the_request(rest: RestClient) -> None:
    await rest.import_accounts("b")
    data = await rest.call(INFO, {"From_Account": "ghost", "To_Account": ["b"]})
    bad_request(data, Code.SNS_ACCOUNT_NOT_FOUND, "From_Account")


async def test_twenty_pass_and_twenty_one_fail(rest: RestClient) -> None:
    ids = [f"u{i}" for i in range(21)]
    await rest.import_accounts("me", *ids)
    data = await rest.ok(INFO, {"From_Account": "me", "To_Account": ids[:20]})
    assert len(data["FollowInfo"]) == 20
    data = await rest.call(INFO, {"From_Account": "me", "To_Account": ids})
    bad_request(data, Code.SNS_BAD_PARAM, "To_Account")
    assert "at most 20" in data["ErrorInfo"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"To_Account": ["me"]}, "From_Account"),
        ({"From_Account": None, "To_Account": ["me"]}, "From_Account"),
        ({"From_Account": "me", "To_Account": ["me", 7]}, "To_Account[1]"),
        ({"From_Account": "me"}, "To_Account"),
        ({"From_Account": "me", "To_Account": []}, "To_Account"),
        ({"From_Account": "me", "To_Account": {"a": 1}}, "To_Account"),
        ({"From_Account": "me", "To_Account": ["me", ""]}, "To_Account[1]"),
    ],
)
async def test_bad_requests_answer_30001_naming_the_field(
    rest: RestClient, body: dict[str, Any], field: str
) -> None:
    await rest.import_accounts("me")
    bad_request(await rest.call(INFO, body), Code.SNS_BAD_PARAM, field)
