"""The console's UserSig endpoint (for acting as a user on the user gateway): CSRF, validity."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from relchain.auth.usersig import verify_usersig
from relchain.domain.apps import App
from relchain.ports import Store
from tests.console.http_support import SESSION_SECONDS, boot_data, console_http, sign_in
from tests.support import KEY, SDKAPPID, T0, FrozenClock


@pytest.fixture
async def http(store: Store, clock: FrozenClock, app: App) -> AsyncIterator[httpx.AsyncClient]:
    async with console_http(store, clock) as client:
        await sign_in(client)
        yield client


async def make(http: httpx.AsyncClient, body: object, token: str | None = None) -> httpx.Response:
    csrf = token if token is not None else str(boot_data(await http.get("/console"))["csrf"])
    return await http.post("/console/api/usersig", json=body, headers={"x-csrf-token": csrf})


async def test_a_users_usersig_lasts_five_minutes(http: httpx.AsyncClient) -> None:
    done = await make(http, {"user": "alice"})
    assert done.status_code == 200
    data = done.json()
    assert data["expiresAt"] == T0 + 300
    assert verify_usersig(data["usersig"], KEY, SDKAPPID, "alice", T0).expires_at == T0 + 300


async def test_it_never_outlives_the_session(http: httpx.AsyncClient, clock: FrozenClock) -> None:
    clock.advance(SESSION_SECONDS - 60)
    data = (await make(http, {"user": "alice"})).json()
    assert data["expiresAt"] == T0 + SESSION_SECONDS


@pytest.mark.parametrize("body", [{}, {"user": ""}, {"user": 5}, {"user": "x" * 33}])
async def test_a_bad_user_is_refused(http: httpx.AsyncClient, body: object) -> None:
    done = await make(http, body)
    assert done.status_code == 400
    assert done.json()["error"].startswith("user: ")


async def test_it_needs_the_csrf_token_and_a_session(
    http: httpx.AsyncClient, clock: FrozenClock
) -> None:
    assert (await make(http, {"user": "alice"}, token="wrong")).status_code == 403
    clock.advance(SESSION_SECONDS)
    assert (await make(http, {"user": "alice"}, token="wrong")).status_code == 401


async def test_a_body_that_is_not_an_object_is_refused(http: httpx.AsyncClient) -> None:
    done = await make(http, [1])
    assert done.status_code == 400
    assert done.json()["error"] == "body: must be a JSON object"
