"""The console's settings endpoint over HTTP: the CLI's validation, CSRF and same-origin checks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from relchain.domain.apps import SETTING_DOCS, App, AppSettings
from relchain.http.routes import BY_PATH
from relchain.ports import Store
from tests.console.http_support import ORIGIN, boot_data, console_http, sign_in
from tests.support import SDKAPPID, FrozenClock


@pytest.fixture
async def http(store: Store, clock: FrozenClock, app: App) -> AsyncIterator[httpx.AsyncClient]:
    async with console_http(store, clock) as client:
        await sign_in(client)
        yield client


async def csrf(http: httpx.AsyncClient) -> str:
    return str(boot_data(await http.get("/console"))["csrf"])


async def change(http: httpx.AsyncClient, body: Any, **headers: str) -> httpx.Response:
    return await http.post(
        "/console/api/settings", json=body, headers={"x-csrf-token": await csrf(http), **headers}
    )


async def stored(store: Store) -> AppSettings:
    async with store.read() as tx:
        app = await tx.get_app(SDKAPPID)
    assert app is not None
    return app.settings


async def test_the_settings_are_read_with_their_docs(http: httpx.AsyncClient, app: App) -> None:
    data = (await http.get("/console/api/settings")).json()
    assert data == {"settings": app.settings.to_json(), "docs": SETTING_DOCS}


async def test_a_setting_is_changed_as_relchain_app_set_changes_it(
    http: httpx.AsyncClient, store: Store
) -> None:
    done = await change(http, {"name": "max_friends", "value": "2500"})
    assert done.status_code == 200
    assert done.json()["settings"]["max_friends"] == 2500
    assert (await stored(store)).max_friends == 2500
    done = await change(http, {"name": "custom_profile_tags", "value": "Tag_Profile_Custom_Mood"})
    assert done.json()["settings"]["custom_profile_tags"] == ["Tag_Profile_Custom_Mood"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("max_friends", "lots"),
        ("max_following", "-1"),
        ("follow_enabled", "maybe"),
        ("custom_sns_tags", "Tag_SNS_Custom_waytoolongkeyword"),
        ("rate_limits", "follow/follow_add=fast"),
        ("no_such_setting", "1"),
    ],
)
async def test_a_bad_value_gets_the_clis_own_message_and_changes_nothing(
    http: httpx.AsyncClient, store: Store, app: App, name: str, value: str
) -> None:
    with pytest.raises(ValueError, match=name) as refused:
        app.settings.with_setting(name, value, frozenset(BY_PATH))
    done = await change(http, {"name": name, "value": value})
    assert done.status_code == 400
    assert done.json() == {"error": str(refused.value)}
    assert await stored(store) == app.settings


@pytest.mark.parametrize(
    "raw",
    [b"not json", b"[1, 2]", b'{"name": "max_friends"}', b'{"name": 1, "value": "2"}'],
)
async def test_a_malformed_request_is_refused(http: httpx.AsyncClient, raw: bytes) -> None:
    done = await http.post(
        "/console/api/settings", content=raw, headers={"x-csrf-token": await csrf(http)}
    )
    assert done.status_code == 400
    assert done.json()["error"].startswith("body: must be a JSON object")


async def test_a_huge_request_is_refused_unread(http: httpx.AsyncClient) -> None:
    done = await change(http, {"name": "max_friends", "value": "1" * 100_000})
    assert done.status_code == 400


async def test_a_change_needs_the_sessions_csrf_token_and_this_origin(
    http: httpx.AsyncClient, store: Store
) -> None:
    body = {"name": "max_friends", "value": "1"}
    no_token = await http.post("/console/api/settings", json=body)
    assert no_token.status_code == 403 and "CSRF" in no_token.json()["error"]
    wrong = await http.post("/console/api/settings", json=body, headers={"x-csrf-token": "x"})
    assert wrong.status_code == 403
    assert (await change(http, body, origin="https://evil.example")).status_code == 403
    assert (await change(http, body, **{"sec-fetch-site": "cross-site"})).status_code == 403
    assert (await change(http, body, origin=ORIGIN)).status_code == 200
    assert (await stored(store)).max_friends == 1
