"""Whole-request failures raise the exception of their code's family with the wire's
``ErrorCode``/``ErrorInfo``; answers that are not Tencent's envelope raise ProtocolError;
per-item failures stay values."""

from __future__ import annotations

import httpx
import pytest

from relchain.client import (
    ApiError,
    AuthError,
    FeatureDisabled,
    InvalidRequest,
    LimitExceeded,
    NotFound,
    PermissionDenied,
    ProtocolError,
    RateLimited,
    RelchainError,
    Retry,
    ServerError,
    TransportError,
)
from tests.client.mock import Scripted, fail, ok

FAMILIES = [
    (60007, RateLimited),
    (70001, AuthError),
    (70003, AuthError),
    (70009, AuthError),
    (70013, AuthError),
    (70014, AuthError),
    (60006, AuthError),
    (30004, PermissionDenied),
    (40004, PermissionDenied),
    (70403, PermissionDenied),
    (30009, PermissionDenied),
    (30001, InvalidRequest),
    (40001, InvalidRequest),
    (40009, InvalidRequest),
    (40601, InvalidRequest),
    (70402, InvalidRequest),
    (60002, InvalidRequest),
    (60003, InvalidRequest),
    (60009, InvalidRequest),
    (30003, NotFound),
    (40003, NotFound),
    (70107, NotFound),
    (30010, LimitExceeded),
    (30011, LimitExceeded),
    (32100, LimitExceeded),
    (30006, ServerError),
    (40006, ServerError),
    (70500, ServerError),
]


@pytest.mark.parametrize(("code", "family"), FAMILIES)
def test_each_code_raises_its_family(code: int, family: type[ApiError]) -> None:
    server = Scripted(fail(code, "Field: why"))
    with server.admin(Retry(attempts=1)) as admin, pytest.raises(family) as caught:
        admin.follow_check("a", ["b"])
    error = caught.value
    assert type(error) is family
    assert (error.error_code, error.error_info, error.path) == (
        code,
        "Field: why",
        "follow/follow_check",
    )
    assert str(error) == f"follow/follow_check: {code} Field: why"
    assert isinstance(error, ApiError) and isinstance(error, RelchainError)


def test_30005_is_the_follow_switch_only_on_follow_apis() -> None:
    server = Scripted(fail(30005, "follow_enabled: off"))
    with server.admin() as admin:
        with pytest.raises(FeatureDisabled):
            admin.follow_get_info("a", ["a"])
        with pytest.raises(ApiError) as caught:
            admin.friend_check("a", ["b"])
    assert type(caught.value) is ApiError and caught.value.error_code == 30005


def test_an_unknown_code_is_a_plain_api_error_with_its_display() -> None:
    body = fail(99999, "new") | {"ErrorDisplay": "shown to users"}
    server = Scripted(body)
    with server.admin() as admin, pytest.raises(ApiError) as caught:
        admin.group_get("a")
    assert type(caught.value) is ApiError
    assert caught.value.error_code == 99999 and caught.value.error_display == "shown to users"


def test_an_envelope_with_an_http_error_status_still_raises_its_code() -> None:
    server = Scripted(httpx.Response(429, json=fail(60007, "slow down")))
    with server.admin(Retry(attempts=1)) as admin, pytest.raises(RateLimited):
        admin.group_get("a")


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (httpx.Response(500, text="Internal Server Error"), "HTTP 500"),
        (httpx.Response(200, text="<html>portal login</html>"), "not a JSON object"),
        (httpx.Response(200, json=[1, 2]), "not a JSON object"),
        (httpx.Response(200, json={"ActionStatus": "OK"}), "ErrorCode: missing"),
        (httpx.Response(200, json={"ActionStatus": "FAIL", "ErrorCode": 0}), "FAIL without"),
        (httpx.Response(200, json=ok(FollowInfo="nope")), "FollowInfo: expected an array"),
        (
            httpx.Response(200, json=ok(FollowInfo=[{"To_Account": 5, "ResultCode": 0}])),
            r"FollowInfo\[0\].To_Account: expected a string",
        ),
        (
            httpx.Response(200, json=ok(FollowInfo=[{"To_Account": "b", "ResultCode": True}])),
            r"FollowInfo\[0\].ResultCode: expected an integer",
        ),
    ],
)
def test_an_answer_that_is_not_the_envelope_is_a_protocol_error(
    response: httpx.Response, message: str
) -> None:
    server = Scripted(response)
    with server.admin(Retry(attempts=1)) as admin, pytest.raises(ProtocolError, match=message):
        admin.follow_get_info("a", ["b"])


def test_an_unknown_enum_value_is_a_protocol_error() -> None:
    item = {"To_Account": "b", "ResultCode": 0, "ResultInfo": "", "FollowType": 7}
    server = Scripted(ok(ResultItem=[item]))
    with (
        server.admin() as admin,
        pytest.raises(ProtocolError, match=r"FollowType: unknown value 7"),
    ):
        admin.follow_check("a", ["b"])


def test_per_item_failures_are_values() -> None:
    items = [
        {"To_Account": "b", "ResultCode": 0, "ResultInfo": ""},
        {"To_Account": "a", "ResultCode": 30001, "ResultInfo": "To_Account: oneself"},
        {"To_Account": "x", "ResultCode": 30003, "ResultInfo": "no such account"},
    ]
    server = Scripted(ok(ResultItem=items, Fail_Account=["a", "x"]))
    with server.admin() as admin:
        result = admin.follow_add("a", ["b", "a", "x"])
    assert not result.ok
    assert result.failed == ("a", "x")
    assert [item.ok for item in result] == [True, False, False]
    assert result[1].info == "To_Account: oneself" and result.get("x") == result[2]
    assert result.get("nobody") is None and len(result) == 3 and result[:1] == (result[0],)


def test_transport_failures_are_relchain_errors_with_the_httpx_cause() -> None:
    server = Scripted(httpx.WriteError("broken pipe"))
    with server.admin() as admin, pytest.raises(RelchainError) as caught:
        admin.account_import("a")
    assert isinstance(caught.value, TransportError)
    assert "account_import: WriteError: broken pipe" in str(caught.value)
    assert isinstance(caught.value.__cause__, httpx.WriteError)
