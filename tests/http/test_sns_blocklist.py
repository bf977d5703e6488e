"""black_list_add / delete / get / check over HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from relchain.domain.profiles import NEED_CONFIRM
from relchain.ports import Store
from tests.support import T0, RestClient, add, bad_request, check, codes, set_settings, users

BLOCK = "sns/black_list_add"
UNBLOCK = "sns/black_list_delete"
GET = "sns/black_list_get"
CHECK = "sns/black_list_check"


async def black_check(rest: RestClient, me: str, *others: str, both: bool = True) -> list[str]:
    data = await rest.ok(
        CHECK,
        {
            "From_Account": me,
            "To_Account": list(others),
            "CheckType": "BlackCheckResult_Type_Both" if both else "BlackCheckResult_Type_Single",
        },
    )
    return [item["Relation"] for item in data["BlackListCheckItem"]]


async def test_block_ends_the_friendship_both_ways(rest: RestClient) -> None:
    await users(rest, "a", "b")
    await add(rest, "a", "b")
    data = await rest.ok(BLOCK, {"From_Account": "a", "To_Account": ["b"]})
    assert data["ResultItem"] == [{"To_Account": "b", "ResultCode": 0, "ResultInfo": ""}]
    assert await check(rest, "a", "b") == ["CheckResult_Type_NoRelation"]


async def test_block_drops_pending_requests(rest: RestClient, store: Store) -> None:
    await users(rest, "a")
    await users(rest, "n", allow=NEED_CONFIRM)
    await add(rest, "a", "n")
    await rest.ok(BLOCK, {"From_Account": "n", "To_Account": ["a"]})
    async with store.read() as tx:
        assert await tx.list_friend_requests(1400000001, "n", incoming=True, limit=5) == []


async def test_block_per_item_errors(rest: RestClient, store: Store) -> None:
    await users(rest, "a", "b", "c")
    await set_settings(store, max_blocklist=1)
    await rest.ok(BLOCK, {"From_Account": "a", "To_Account": ["b"]})
    data = await rest.ok(BLOCK, {"From_Account": "a", "To_Account": ["b", "a", "ghost", "c"]})
    assert data["ResultItem"][0] == {
        "To_Account": "b",
        "ResultCode": 30001,
        "ResultInfo": "Err_SNS_BlackListAdd_Already_Exist",
    }
    assert codes(data) == [30001, 30001, 30003, 30013]
    assert data["Fail_Account"] == ["b", "a", "ghost", "c"]


async def test_unblock(rest: RestClient) -> None:
    await users(rest, "a", "b", "c")
    await rest.ok(BLOCK, {"From_Account": "a", "To_Account": ["b"]})
    data = await rest.ok(UNBLOCK, {"From_Account": "a", "To_Account": ["b", "c", "ghost"]})
    assert codes(data) == [0, 0, 30003]
    assert data["Fail_Account"] == ["ghost"]
    assert await black_check(rest, "a", "b") == ["BlackCheckResult_Type_NO"]
    assert codes(await add(rest, "a", "b")) == [0]


async def test_check_every_relation_value(rest: RestClient) -> None:
    await users(rest, "a", "both", "mine", "theirs", "none")
    await rest.ok(BLOCK, {"From_Account": "a", "To_Account": ["both", "mine"]})
    for other in ("both", "theirs"):
        await rest.ok(BLOCK, {"From_Account": other, "To_Account": ["a"]})
    assert await black_check(rest, "a", "both", "mine", "theirs", "none") == [
        "BlackCheckResult_Type_BothWay",
        "BlackCheckResult_Type_AWithB",
        "BlackCheckResult_Type_BWithA",
        "BlackCheckResult_Type_NO",
    ]
    assert await black_check(rest, "a", "both", "mine", "theirs", "none", both=False) == [
        "BlackCheckResult_Type_AWithB",
        "BlackCheckResult_Type_AWithB",
        "BlackCheckResult_Type_NO",
        "BlackCheckResult_Type_NO",
    ]
    data = await rest.ok(
        CHECK,
        {"From_Account": "a", "To_Account": ["ghost"], "CheckType": "BlackCheckResult_Type_Both"},
    )
    assert data["BlackListCheckItem"] == [
        {
            "To_Account": "ghost",
            "Relation": "BlackCheckResult_Type_NO",
            "ResultCode": 30003,
            "ResultInfo": "Err_SNS_Account_Not_Exist",
        },
    ]
    assert data["Fail_Account"] == ["ghost"]


async def test_get_pages_with_the_misspelled_sequence_key(rest: RestClient) -> None:
    ids = [f"u{i}" for i in range(5)]
    await users(rest, "a", *ids)
    await rest.ok(BLOCK, {"From_Account": "a", "To_Account": ids})
    first = await rest.ok(
        GET, {"From_Account": "a", "StartIndex": 0, "MaxLimited": 3, "LastSequence": 0}
    )
    assert first["BlackListItem"] == [{"To_Account": u, "AddBlackTimeStamp": T0} for u in ids[:3]]
    assert first["StartIndex"] > 0
    assert first["CurruentSequence"] == 1
    assert "CurrentSequence" not in first
    rest_page = await rest.ok(
        GET,
        {
            "From_Account": "a",
            "StartIndex": first["StartIndex"],
            "MaxLimited": 3,
            "LastSequence": 1,
        },
    )
    assert [i["To_Account"] for i in rest_page["BlackListItem"]] == ids[3:]
    assert rest_page["StartIndex"] == 0


async def test_get_with_the_current_sequence_on_a_fresh_pull_is_empty(rest: RestClient) -> None:
    await users(rest, "a", "b")
    await rest.ok(BLOCK, {"From_Account": "a", "To_Account": ["b"]})
    body = {"From_Account": "a", "StartIndex": 0, "MaxLimited": 30, "LastSequence": 1}
    data = await rest.ok(GET, body)
    assert (data["BlackListItem"], data["StartIndex"], data["CurruentSequence"]) == ([], 0, 1)
    await rest.ok(UNBLOCK, {"From_Account": "a", "To_Account": ["b"]})
    changed = await rest.ok(GET, body)
    assert changed["CurruentSequence"] == 2


@pytest.mark.parametrize(
    ("path", "body", "code", "field"),
    [
        (BLOCK, {"From_Account": "a"}, 30001, "To_Account"),
        (BLOCK, {"To_Account": ["b"]}, 30001, "From_Account"),
        (BLOCK, {"From_Account": "a", "To_Account": ["b"] * 1001}, 30001, "To_Account"),
        (BLOCK, {"From_Account": "ghost", "To_Account": ["b"]}, 30003, "From_Account"),
        (UNBLOCK, {"From_Account": "a", "To_Account": [3]}, 30001, "To_Account[0]"),
        (UNBLOCK, {"From_Account": "a", "To_Account": ["b"] * 1001}, 30001, "To_Account"),
        (UNBLOCK, {"From_Account": "ghost", "To_Account": ["b"]}, 30003, "From_Account"),
        (GET, {"From_Account": "a", "MaxLimited": 3, "LastSequence": 0}, 30001, "StartIndex"),
        (GET, {"From_Account": "a", "StartIndex": 0, "LastSequence": 0}, 30001, "MaxLimited"),
        (
            GET,
            {"From_Account": "a", "StartIndex": 0, "MaxLimited": 1001, "LastSequence": 0},
            30001,
            "MaxLimited",
        ),
        (
            GET,
            {"From_Account": "a", "StartIndex": 0, "MaxLimited": 0, "LastSequence": 0},
            30001,
            "MaxLimited",
        ),
        (GET, {"From_Account": "a", "StartIndex": 0, "MaxLimited": 3}, 30001, "LastSequence"),
        (
            GET,
            {"From_Account": "ghost", "StartIndex": 0, "MaxLimited": 3, "LastSequence": 0},
            30003,
            "From_Account",
        ),
        (CHECK, {"From_Account": "a", "To_Account": ["b"]}, 30001, "CheckType"),
        (
            CHECK,
            {"From_Account": "a", "To_Account": ["b"], "CheckType": "CheckResult_Type_Both"},
            30001,
            "CheckType",
        ),
        (
            CHECK,
            {
                "From_Account": "a",
                "To_Account": ["b"] * 1001,
                "CheckType": "BlackCheckResult_Type_Both",
            },
            30001,
            "To_Account",
        ),
        (
            CHECK,
            {
                "From_Account": "ghost",
                "To_Account": ["b"],
                "CheckType": "BlackCheckResult_Type_Both",
            },
            30003,
            "From_Account",
        ),
    ],
)
async def test_whole_request_errors(
    rest: RestClient, path: str, body: dict[str, Any], code: int, field: str
) -> None:
    await users(rest, "a", "b")
    bad_request(await rest.call(path, body), code, field)
    assert await black_check(rest, "a", "b") == ["BlackCheckResult_Type_NO"]
