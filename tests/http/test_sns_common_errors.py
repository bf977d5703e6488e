"""The failures every ``v4/sns/*`` API shares, driven through all 15 with their samples."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from relchain.http.routes import APIS
from tests.support import RestClient, bad_request, users

SNS_APIS = tuple(api for api in APIS if api.path.startswith("sns/"))

PATHS = [api.path for api in SNS_APIS]


def sample_of(path: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = orjson.loads(next(a.sample for a in SNS_APIS if a.path == path))
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


@pytest.mark.parametrize("path", PATHS)
async def test_missing_from_account_is_30001(rest: RestClient, path: str) -> None:
    bad_request(await rest.call(path, sample_of(path, From_Account=None)), 30001, "From_Account")


@pytest.mark.parametrize("path", PATHS)
async def test_from_account_of_the_wrong_type_is_30001(rest: RestClient, path: str) -> None:
    bad_request(await rest.call(path, sample_of(path, From_Account=42)), 30001, "From_Account")


@pytest.mark.parametrize("path", PATHS)
async def test_unknown_from_account_is_whole_request_30003(rest: RestClient, path: str) -> None:
    await users(rest, "UserID_2", "id1")
    body = sample_of(path, From_Account="ghost")
    if path == "sns/friend_get_list":
        body["TagList"] = ["Tag_SNS_IM_Remark"]
    if path in {"sns/friend_import", "sns/friend_update"}:
        body = {
            "From_Account": "ghost",
            "AddFriendItem": [{"To_Account": "id1", "AddSource": "AddSource_Type_A"}],
            "UpdateItem": [
                {"To_Account": "id1", "SnsItem": [{"Tag": "Tag_SNS_IM_Remark", "Value": "r"}]}
            ],
        }
    bad_request(await rest.call(path, body), 30003, "From_Account")


@pytest.mark.parametrize("path", PATHS)
async def test_a_non_admin_caller_is_30004(rest: RestClient, path: str) -> None:
    await users(rest, "id")
    data = await rest.call(path, sample_of(path), identifier="id")
    assert (data["ActionStatus"], data["ErrorCode"]) == ("FAIL", 30004)
    assert data["ErrorInfo"].startswith("identifier:")


@pytest.mark.parametrize("path", PATHS)
async def test_a_body_that_is_not_an_object_is_60003(rest: RestClient, path: str) -> None:
    data = await rest.call(path, raw=b"[1, 2]")
    assert (data["ActionStatus"], data["ErrorCode"]) == ("FAIL", 60003)
