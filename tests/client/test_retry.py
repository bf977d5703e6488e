"""Retries: 60007 on every call with exponential backoff and jitter, bounded; transport failures
only where nothing can be done twice; a refused (expired) UserSig made again once."""

from __future__ import annotations

import httpx
import pytest

from relchain.client import (
    AuthError,
    ConnectError,
    FollowType,
    InvalidRequest,
    ProtocolError,
    RateLimited,
    Retry,
    TransportError,
)
from tests.client.mock import Scripted, fail, ok

FOLLOWERS = ok(FollowItem=[], NextCursor="")


def test_rate_limited_calls_are_tried_again_until_they_pass() -> None:
    server = Scripted(fail(60007), fail(60007), ok(ResultItem=[]))
    with server.admin() as admin:
        assert admin.follow_add("a", ["b"]).items == ()
    assert len(server.sent) == 3
    assert len({s.query["random"] for s in server.sent}) == 3, "each try has its own random"


def test_a_write_is_retried_on_60007_because_the_server_did_no_work() -> None:
    server = Scripted(fail(60007), ok())
    with server.admin() as admin:
        admin.friend_delete_all("a")
    assert [s.path for s in server.sent] == ["/v4/sns/friend_delete_all"] * 2


def test_retries_are_bounded_and_the_last_refusal_is_raised() -> None:
    server = Scripted(fail(60007, "over the limit"))
    admin = server.admin(Retry(attempts=4, base_delay=0))
    with admin, pytest.raises(RateLimited) as caught:
        admin.follow_check("a", ["b"])
    assert len(server.sent) == 4
    assert caught.value.error_code == 60007 and caught.value.error_info == "over the limit"
    assert "gave up after 4 attempts" in caught.value.__notes__


def test_one_attempt_means_no_retry() -> None:
    server = Scripted(fail(60007))
    with server.admin(Retry(attempts=1)) as admin, pytest.raises(RateLimited):
        admin.follow_check("a", ["b"])
    assert len(server.sent) == 1


@pytest.mark.parametrize("code", [60011, 60018, 60019])
def test_tencents_other_frequency_codes_are_retried_too(code: int) -> None:
    server = Scripted(fail(code), ok(ResultItem=[]))
    with server.admin() as admin:
        admin.follow_check("a", ["b"])
    assert len(server.sent) == 2


def test_other_failures_are_not_retried() -> None:
    server = Scripted(fail(30001, "WantNum: must be >= 1"))
    with server.admin() as admin, pytest.raises(InvalidRequest, match="WantNum"):
        admin.follow_get("a", FollowType.FOLLOWER, want_num=0)
    assert len(server.sent) == 1


def test_the_client_waits_with_exponential_backoff() -> None:
    """jitter=0: the waits are exactly 0.02, 0.04, 0.08 s (a sleep never ends early)."""
    server = Scripted(fail(60007), fail(60007), fail(60007), ok(ResultItem=[]))
    with server.admin(Retry(attempts=4, base_delay=0.02, max_delay=1, jitter=0)) as admin:
        admin.follow_check("a", ["b"])
    gaps = [
        later.at - earlier.at for earlier, later in zip(server.sent, server.sent[1:], strict=False)
    ]
    assert len(gaps) == 3
    assert all(gap >= wait for gap, wait in zip(gaps, [0.02, 0.04, 0.08], strict=True)), gaps


def test_backoff_doubles_up_to_the_cap_and_jitter_takes_off_a_share() -> None:
    policy = Retry(attempts=10, base_delay=0.1, max_delay=1.0, jitter=1.0)
    assert [policy.delay(n, 0.0) for n in range(6)] == [0.1, 0.2, 0.4, 0.8, 1.0, 1.0]
    assert policy.delay(3, 0.5) == pytest.approx(0.4)
    assert policy.delay(3, 0.999) == pytest.approx(0.0008)
    half = Retry(base_delay=1.0, max_delay=8.0, jitter=0.5)
    assert half.delay(1, 0.999) == pytest.approx(1.001)
    assert Retry(max_delay=3.0).delay(10_000, 0.0) == 3.0, "no overflow for a large retry count"


@pytest.mark.parametrize(
    "bad",
    [
        {"attempts": 0},
        {"base_delay": -1},
        {"max_delay": -0.5},
        {"jitter": 1.5},
        {"jitter": -0.1},
    ],
)
def test_a_retry_policy_out_of_range_is_refused(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=next(iter(bad))):
        Retry(**bad)  # type: ignore[arg-type]


def test_a_connection_that_could_not_be_opened_is_retried_also_for_writes() -> None:
    """Nothing was sent, so trying again cannot do a write twice."""
    server = Scripted(httpx.ConnectError("refused"), ok(ResultItem=[]))
    with server.admin() as admin:
        admin.follow_add("a", ["b"])
    assert len(server.sent) == 2


def test_a_write_that_may_have_reached_the_server_is_not_retried() -> None:
    server = Scripted(httpx.ReadTimeout("no answer"), ok(ResultItem=[]))
    with server.admin() as admin, pytest.raises(TransportError) as caught:
        admin.follow_add("a", ["b"])
    assert not isinstance(caught.value, ConnectError)
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    assert len(server.sent) == 1


def test_a_read_is_retried_after_a_timeout_or_a_dropped_connection() -> None:
    server = Scripted(httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("reset"), FOLLOWERS)
    with server.admin() as admin:
        assert admin.follow_get("a", FollowType.FOLLOWER).entries == ()
    assert len(server.sent) == 3


def test_connection_failures_raise_after_the_attempts() -> None:
    server = Scripted(httpx.ConnectError("refused"))
    admin = server.admin(Retry(attempts=3, base_delay=0))
    with admin, pytest.raises(ConnectError, match="account_check"):
        admin.account_check(["a"])
    assert len(server.sent) == 3


def test_a_proxy_error_is_retried_for_reads_only() -> None:
    bad_gateway = httpx.Response(502, text="<html>Bad Gateway</html>")
    server = Scripted(bad_gateway, ok(InfoItem=[]))
    with server.admin() as admin:
        admin.friend_check("a", ["b"])
    assert len(server.sent) == 2
    writer = Scripted(bad_gateway, ok(ResultItem=[]))
    with writer.admin() as admin, pytest.raises(ProtocolError) as caught:
        admin.friend_delete("a", ["b"])
    assert caught.value.status_code == 502 and len(writer.sent) == 1


def test_an_expired_usersig_is_made_again_once() -> None:
    server = Scripted(fail(70001, "usersig: expired"), ok(ResultItem=[]))
    with server.admin() as admin:
        admin.follow_add("a", ["b"])
    assert len(server.sent) == 2
    again = Scripted(fail(70001, "usersig: expired"))
    with again.admin() as admin, pytest.raises(AuthError):
        admin.follow_add("a", ["b"])
    assert len(again.sent) == 2, "made again once, not in a loop"


async def test_the_async_client_retries_the_same_way() -> None:
    server = Scripted(fail(60007), httpx.ConnectError("refused"), ok(ResultItem=[]))
    async with server.async_admin() as admin:
        await admin.follow_add("a", ["b"])
    assert len(server.sent) == 3
    writer = Scripted(httpx.ReadTimeout("no answer"))
    async with writer.async_admin() as admin:
        with pytest.raises(TransportError):
            await admin.follow_add("a", ["b"])
    assert len(writer.sent) == 1
    limited = Scripted(fail(60007))
    async with limited.async_admin(Retry(attempts=2, base_delay=0)) as admin:
        with pytest.raises(RateLimited):
            await admin.follow_check("a", ["b"])
    assert len(limited.sent) == 2
