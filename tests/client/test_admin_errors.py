"""AsyncAdmin against the real app: the server's refusals (UserSig, admin check, rate limit)
arrive as the exception of their family with the exact code; ``call`` reaches any API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import httpx
import pytest

from relchain.client import (
    AsyncAdmin,
    AuthError,
    PermissionDenied,
    ProfileTag,
    RateLimited,
)
from relchain.config import Config
from relchain.domain.apps import App
from relchain.http.app import create_app
from relchain.ports import Store
from tests.client.test_admin_follows import users
from tests.support import FrozenClock, set_settings

OpenClient = Callable[..., AbstractAsyncContextManager[AsyncAdmin]]


@pytest.fixture
def connect(store: Store, clock: FrozenClock, app: App) -> OpenClient:
    """Another AsyncAdmin of the same server, with other credentials."""

    @asynccontextmanager
    async def open_client(
        sdkappid: int = app.sdkappid, key: str = app.key, admin: str = app.admins[0]
    ) -> AsyncIterator[AsyncAdmin]:
        asgi = create_app(
            Config(database="unused://", app_cache_seconds=0), store=store, clock=clock
        )
        transport = httpx.ASGITransport(app=asgi)
        async with (
            asgi.router.lifespan_context(asgi),
            AsyncAdmin("http://relchain.test", sdkappid, key, admin, transport=transport) as client,
        ):
            yield client

    return open_client


async def test_a_wrong_key_or_app_is_an_auth_error(connect: OpenClient, app: App) -> None:
    async with connect(key="not-the-key") as client:
        with pytest.raises(AuthError) as wrong_key:
            await client.group_get("alice")
    assert wrong_key.value.error_code == 70009
    async with connect(sdkappid=app.sdkappid + 1) as client:
        with pytest.raises(AuthError) as wrong_app:
            await client.group_get("alice")
    assert wrong_app.value.error_code == 60006


async def test_a_user_who_is_not_an_admin_is_refused_with_each_services_code(
    connect: OpenClient, admin: AsyncAdmin
) -> None:
    await users(admin, "alice")
    async with connect(admin="alice") as client:
        with pytest.raises(PermissionDenied) as follow:
            await client.follow_get_info("alice", ["alice"])
        with pytest.raises(PermissionDenied) as profile:
            await client.portrait_get(["alice"], [ProfileTag.NICK])
        with pytest.raises(PermissionDenied) as account:
            await client.account_check(["alice"])
    codes = [e.value.error_code for e in (follow, profile, account)]
    assert codes == [30004, 40004, 70403]


async def test_over_the_rate_limit_the_client_retries_then_raises_and_nothing_was_done(
    admin: AsyncAdmin, store: Store
) -> None:
    """The test server's clock is frozen, so its one-second window never ends: every retry is
    refused too, and the client gives up after its attempts (2 in this fixture)."""
    await users(admin, "alice", "bob", "carol")
    await set_settings(store, rate_limit=1)  # per API command
    assert (await admin.follow_add("alice", ["bob"])).ok
    with pytest.raises(RateLimited) as caught:
        await admin.follow_add("alice", ["carol"])
    assert caught.value.error_code == 60007
    assert "gave up after 2 attempts" in caught.value.__notes__
    checks = await admin.follow_check("alice", ["bob", "carol"])
    assert [c.follow_type for c in checks] == [2, 0], "the refused follow did nothing"


async def test_call_reaches_any_api_with_a_wire_body(admin: AsyncAdmin) -> None:
    await users(admin, "alice", "bob")
    answer = await admin.call(
        "v4/follow/follow_add",
        {"From_Account": "alice", "FollowItem": [{"To_Account": "bob"}]},
    )
    assert answer == {
        "ResultItem": [{"To_Account": "bob", "ResultCode": 0, "ResultInfo": ""}],
        "ActionStatus": "OK",
        "ErrorCode": 0,
        "ErrorInfo": "",
        "ErrorDisplay": "",
    }
    counts = await admin.call(
        "follow/follow_get_info", {"From_Account": "bob", "To_Account": ["bob"]}, read=True
    )
    assert counts["FollowInfo"][0]["FollowerCount"] == 1
