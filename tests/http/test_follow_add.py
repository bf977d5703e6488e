"""follow_add over HTTP: per-item results, self-follow, repeats, duplicates, missing accounts,
batch limits, the feature switch and the four caps."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from relchain.domain.errors import Code
from relchain.ports import Store
from tests.support import SDKAPPID, T0, RestClient

ADD = "follow/follow_add"


async def set_settings(store: Store, **changes: Any) -> None:
    async with store.write() as tx:
        app = await tx.get_app(SDKAPPID)
        assert app is not None
        await tx.save_app(replace(app, settings=replace(app.settings, **changes)))


def bad_request(data: dict[str, Any], code: int, field: str) -> None:
    """A whole-request failure: the envelope only, ErrorInfo naming ``field``."""
    assert data == {
        "ActionStatus": "FAIL",
        "ErrorCode": code,
        "ErrorInfo": data["ErrorInfo"],
        "ErrorDisplay": "",
    }
    assert data["ErrorInfo"].startswith(f"{field}:"), data["ErrorInfo"]


async def follow(rest: RestClient, from_id: str, *to_ids: str) -> dict[str, Any]:
    return await rest.ok(
        ADD, {"From_Account": from_id, "FollowItem": [{"To_Account": t} for t in to_ids]}
    )


async def info(rest: RestClient, user: str) -> tuple[int, int, int]:
    data = await rest.ok("follow/follow_get_info", {"From_Account": user, "To_Account": [user]})
    item = data["FollowInfo"][0]
    return item["FollowerCount"], item["FollowingCount"], item["MutualFollowingCount"]


def codes(data: dict[str, Any]) -> list[int]:
    return [item["ResultCode"] for item in data["ResultItem"]]


async def test_documented_sample_follows_both_targets(rest: RestClient) -> None:
    await rest.import_accounts("UserID_001", "UserID_002", "UserID_003")
    data = await rest.ok(
        ADD,
        raw=b'{"From_Account":"UserID_001","FollowItem":[{"To_Account":"UserID_002"},'
        b'{"To_Account":"UserID_003"}]}',
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
    assert await info(rest, "UserID_001") == (0, 2, 0)
    assert await info(rest, "UserID_002") == (1, 0, 0)


async def test_self_follow_fails_that_item_only(rest: RestClient) -> None:
    await rest.import_accounts("a", "b")
    data = await follow(rest, "a", "a", "b")
    assert data["ResultItem"][0]["ResultCode"] == Code.SNS_BAD_PARAM
    assert "cannot follow oneself" in data["ResultItem"][0]["ResultInfo"]
    assert data["ResultItem"][1] == {"To_Account": "b", "ResultCode": 0, "ResultInfo": ""}
    assert data["Fail_Account"] == ["a"]
    assert await info(rest, "a") == (0, 1, 0)


async def test_following_again_answers_0_and_keeps_the_original_time(rest: RestClient) -> None:
    await rest.import_accounts("a", "b")
    await follow(rest, "a", "b")
    rest.clock.advance(500)
    data = await follow(rest, "a", "b")
    assert codes(data) == [0] and "Fail_Account" not in data
    page = await rest.ok(
        "follow/follow_get", {"From_Account": "a", "FollowType": 2, "StartCursor": ""}
    )
    assert [(i["To_Account"], i["FollowTime"]) for i in page["FollowItem"]] == [("b", T0)]
    assert await info(rest, "a") == (0, 1, 0)


async def test_missing_target_fails_that_item_with_30003(rest: RestClient) -> None:
    await rest.import_accounts("a", "b")
    data = await follow(rest, "a", "ghost", "b")
    assert data["ResultItem"][0]["ResultCode"] == Code.SNS_ACCOUNT_NOT_FOUND
    assert data["ResultItem"][0]["ResultInfo"].startswith("To_Account:")
    assert codes(data)[1] == 0
    assert data["Fail_Account"] == ["ghost"]


async def test_missing_from_account_fails_the_request_and_writes_nothing(
    rest: RestClient,
) -> None:
    await rest.import_accounts("b")
    bad_request(
        await rest.call(ADD, {"From_Account": "ghost", "FollowItem": [{"To_Account": "b"}]}),
        Code.SNS_ACCOUNT_NOT_FOUND,
        "From_Account",
    )
    assert await info(rest, "b") == (0, 0, 0)


async def test_duplicates_are_each_answered_and_followed_once(rest: RestClient) -> None:
    await rest.import_accounts("a", "b", "c")
    data = await follow(rest, "a", "b", "b", "ghost", "c", "ghost", "a", "a")
    assert codes(data) == [0, 0, 30003, 0, 30003, 30001, 30001]
    assert [i["To_Account"] for i in data["ResultItem"]] == [
        "b",
        "b",
        "ghost",
        "c",
        "ghost",
        "a",
        "a",
    ]
    assert data["Fail_Account"] == ["ghost", "ghost", "a", "a"]
    assert await info(rest, "a") == (0, 2, 0)
    assert await info(rest, "b") == (1, 0, 0)


async def test_following_back_makes_a_mutual_pair(rest: RestClient) -> None:
    await rest.import_accounts("a", "b")
    await follow(rest, "a", "b")
    await follow(rest, "b", "a")
    assert await info(rest, "a") == (1, 1, 1)
    assert await info(rest, "b") == (1, 1, 1)


async def test_twenty_items_pass_and_twenty_one_fail_naming_followitem(rest: RestClient) -> None:
    ids = [f"u{i}" for i in range(21)]
    await rest.import_accounts("a", *ids)
    assert codes(await follow(rest, "a", *ids[:20])) == [0] * 20
    data = await rest.call(
        ADD, {"From_Account": "a", "FollowItem": [{"To_Account": t} for t in ids]}
    )
    bad_request(data, Code.SNS_BAD_PARAM, "FollowItem")
    assert "at most 20" in data["ErrorInfo"] and "21" in data["ErrorInfo"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"FollowItem": [{"To_Account": "b"}]}, "From_Account"),
        ({"From_Account": 7, "FollowItem": [{"To_Account": "b"}]}, "From_Account"),
        ({"From_Account": "", "FollowItem": [{"To_Account": "b"}]}, "From_Account"),
        ({"From_Account": "a"}, "FollowItem"),
        ({"From_Account": "a", "FollowItem": []}, "FollowItem"),
        ({"From_Account": "a", "FollowItem": {"To_Account": "b"}}, "FollowItem"),
        ({"From_Account": "a", "FollowItem": ["b"]}, "FollowItem[0]"),
        ({"From_Account": "a", "FollowItem": [{"To": "b"}]}, "FollowItem[0].To_Account"),
        ({"From_Account": "a", "FollowItem": [{"To_Account": 5}]}, "FollowItem[0].To_Account"),
        (
            {"From_Account": "a", "FollowItem": [{"To_Account": "b"}, {"To_Account": "x" * 33}]},
            "FollowItem[1].To_Account",
        ),
    ],
)
async def test_bad_requests_answer_30001_naming_the_field(
    rest: RestClient, body: dict[str, Any], field: str
) -> None:
    await rest.import_accounts("a", "b")
    bad_request(await rest.call(ADD, body), Code.SNS_BAD_PARAM, field)
    assert await info(rest, "a") == (0, 0, 0)


async def test_non_admin_caller_gets_30004(rest: RestClient) -> None:
    await rest.import_accounts("a", "b")
    data = await rest.call(
        ADD, {"From_Account": "a", "FollowItem": [{"To_Account": "b"}]}, identifier="a"
    )
    bad_request(data, Code.SNS_NOT_ADMIN, "identifier")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (ADD, {"From_Account": "a", "FollowItem": [{"To_Account": "b"}]}),
        ("follow/follow_delete", {"From_Account": "a", "To_Account": ["b"]}),
        ("follow/follow_check", {"From_Account": "a", "To_Account": ["b"]}),
        ("follow/follow_get", {"From_Account": "a", "FollowType": 1, "StartCursor": ""}),
        ("follow/follow_get_info", {"From_Account": "a", "To_Account": ["b"]}),
    ],
)
async def test_feature_switch_off_answers_30005_on_every_follow_api(
    rest: RestClient, store: Store, path: str, body: dict[str, Any]
) -> None:
    await rest.import_accounts("a", "b")
    await set_settings(store, follow_enabled=False)
    bad_request(await rest.call(path, body), Code.FOLLOW_DISABLED, "follow_enabled")
    await set_settings(store, follow_enabled=True)
    await rest.ok(path, body)


async def test_following_cap_fails_items_past_it_in_order(rest: RestClient, store: Store) -> None:
    await set_settings(store, max_following=2)
    await rest.import_accounts("a", "b", "c", "d")
    data = await follow(rest, "a", "b", "c", "d", "b")
    assert codes(data) == [0, 0, 32100, 0]
    assert data["Fail_Account"] == ["d"]
    assert "2" in data["ResultItem"][2]["ResultInfo"]
    assert data["ResultItem"][2]["ResultInfo"].startswith("From_Account:")
    assert await info(rest, "a") == (0, 2, 0)


async def test_unlimited_followers_by_default_and_cap_32101_when_set(
    rest: RestClient, store: Store
) -> None:
    await rest.import_accounts("star", "f1", "f2", "f3")
    await follow(rest, "f1", "star")
    await set_settings(store, max_followers=2)
    assert codes(await follow(rest, "f2", "star")) == [0]
    data = await follow(rest, "f3", "star")
    assert codes(data) == [32101]
    assert data["ResultItem"][0]["ResultInfo"].startswith("To_Account:")
    assert await info(rest, "star") == (2, 0, 0)


async def test_mutual_cap_of_from_gives_32102_and_of_target_32103(
    rest: RestClient, store: Store
) -> None:
    await set_settings(store, max_mutual=1)
    await rest.import_accounts("a", "b", "c", "d")
    # a <-> b mutual already; c follows a: a following c back would give a a second mutual
    await follow(rest, "a", "b")
    await follow(rest, "b", "a")
    await follow(rest, "c", "a")
    data = await follow(rest, "a", "c")
    assert codes(data) == [32102]
    # d follows b; b is full, so d following... b following d back is b's own cap (32102),
    # and d -> b when b already follows d is the target's cap (32103)
    await follow(rest, "b", "d")
    data = await follow(rest, "d", "b")
    assert codes(data) == [32103]
    # a plain (non-mutual) follow is not limited by the mutual cap
    assert codes(await follow(rest, "c", "d")) == [0]
    assert await info(rest, "a") == (2, 1, 1)
    assert await info(rest, "b") == (1, 2, 1)


async def test_refollowing_at_the_cap_still_answers_0(rest: RestClient, store: Store) -> None:
    await set_settings(store, max_following=1)
    await rest.import_accounts("a", "b", "c")
    await follow(rest, "a", "b")
    assert codes(await follow(rest, "a", "b", "c")) == [0, 32100]


async def test_zero_caps_mean_unlimited(rest: RestClient, store: Store) -> None:
    await set_settings(store, max_following=0, max_followers=0, max_mutual=0)
    ids = [f"u{i}" for i in range(20)]
    await rest.import_accounts("a", *ids)
    for u in ids:
        await follow(rest, u, "a")
    assert codes(await follow(rest, "a", *ids)) == [0] * 20
    assert await info(rest, "a") == (20, 20, 20)
