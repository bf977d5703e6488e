"""follow_check over HTTP: the four FollowType values, missing accounts, duplicates, limits."""

from __future__ import annotations

from typing import Any

import pytest

from relchain.domain.errors import Code
from tests.support import RestClient, bad_request, follow

CHECK = "follow/follow_check"


async def test_follow_type_of_each_relation(rest: RestClient) -> None:
    await rest.import_accounts("me", "none", "fan", "idol", "pal")
    await follow(rest, "fan", "me")
    await follow(rest, "me", "idol", "pal")
    await follow(rest, "pal", "me")
    data = await rest.ok(
        CHECK, {"From_Account": "me", "To_Account": ["none", "fan", "idol", "pal", "me"]}
    )
    assert data == {
        "ResultItem": [
            {"To_Account": "none", "ResultCode": 0, "ResultInfo": "", "FollowType": 0},
            {"To_Account": "fan", "ResultCode": 0, "ResultInfo": "", "FollowType": 1},
            {"To_Account": "idol", "ResultCode": 0, "ResultInfo": "", "FollowType": 2},
            {"To_Account": "pal", "ResultCode": 0, "ResultInfo": "", "FollowType": 3},
            {"To_Account": "me", "ResultCode": 0, "ResultInfo": "", "FollowType": 0},
        ],
        "ActionStatus": "OK",
        "ErrorCode": 0,
        "ErrorInfo": "",
        "ErrorDisplay": "",
    }


async def test_documented_sample_answers_no_relation(rest: RestClient) -> None:
    await rest.import_accounts("UserID_001", "UserID_002", "UserID_003")
    data = await rest.ok(
        CHECK, raw=b'{"From_Account":"UserID_001","To_Account":["UserID_002","UserID_003"]}'
    )
    assert [(i["To_Account"], i["FollowType"]) for i in data["ResultItem"]] == [
        ("UserID_002", 0),
        ("UserID_003", 0),
    ]


async def test_missing_target_fails_that_item_and_duplicates_are_each_answered(
    rest: RestClient,
) -> None:
    await rest.import_accounts("me", "idol")
    await follow(rest, "me", "idol")
    data = await rest.ok(CHECK, {"From_Account": "me", "To_Account": ["idol", "ghost", "idol"]})
    assert [(i["ResultCode"], i["FollowType"]) for i in data["ResultItem"]] == [
        (0, 2),
        (30003, 0),
        (0, 2),
    ]
    assert data["ResultItem"][1]["ResultInfo"].startswith("To_Account:")
    assert data["Fail_Account"] == ["ghost"]


async def test_missing_from_account_fails_the_request(rest: RestClient) -> None:
    await rest.import_accounts("b")
    data = await rest.call(CHECK, {"From_Account": "ghost", "To_Account": ["b"]})
    bad_request(data, Code.SNS_ACCOUNT_NOT_FOUND, "From_Account")


async def test_hundred_pass_and_a_hundred_and_one_fail(rest: RestClient) -> None:
    await rest.import_accounts("me")
    ids = [f"u{i}" for i in range(101)]
    data = await rest.ok(CHECK, {"From_Account": "me", "To_Account": ids[:100]})
    assert len(data["ResultItem"]) == 100 and len(data["Fail_Account"]) == 100
    data = await rest.call(CHECK, {"From_Account": "me", "To_Account": ids})
    bad_request(data, Code.SNS_BAD_PARAM, "To_Account")
    assert "at most 100" in data["ErrorInfo"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"To_Account": ["b"]}, "From_Account"),
        ({"From_Account": 3, "To_Account": ["b"]}, "From_Account"),
        ({"From_Account": "me", "To_Account": ["b", "x" * 33]}, "To_Account[1]"),
        ({"From_Account": "me"}, "To_Account"),
        ({"From_Account": "me", "To_Account": []}, "To_Account"),
        ({"From_Account": "me", "To_Account": "b"}, "To_Account"),
        ({"From_Account": "me", "To_Account": [1]}, "To_Account[0]"),
    ],
)
async def test_bad_requests_answer_30001_naming_the_field(
    rest: RestClient, body: dict[str, Any], field: str
) -> None:
    await rest.import_accounts("me", "b")
    bad_request(await rest.call(CHECK, body), Code.SNS_BAD_PARAM, field)
