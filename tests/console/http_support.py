"""The console over HTTP in-process (ASGI), with a frozen clock: sign-in and session helpers."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from relchain.config import Config
from relchain.http.app import create_app
from relchain.ports import Store
from tests.support import ADMIN, KEY, SDKAPPID, FrozenClock

ORIGIN = "http://relchain"
SESSION_SECONDS = 3600


@asynccontextmanager
async def console_http(store: Store, clock: FrozenClock) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client of the whole app (console sessions last ``SESSION_SECONDS``)."""
    config = Config(
        database="unused://", app_cache_seconds=0, console_session_seconds=SESSION_SECONDS
    )
    asgi = create_app(config, store=store, clock=clock)
    async with asgi.router.lifespan_context(asgi):
        transport = httpx.ASGITransport(app=asgi)
        async with httpx.AsyncClient(transport=transport, base_url=ORIGIN) as http:
            yield http


async def login_token(http: httpx.AsyncClient) -> str:
    """Loads the sign-in form (which sets the login cookie) and returns the form's token."""
    page = await http.get("/console/sign-in")
    assert page.status_code == 200
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


async def sign_in(
    http: httpx.AsyncClient,
    secret: str = KEY,
    *,
    kind: str = "key",
    identifier: str = ADMIN,
    sdkappid: str = str(SDKAPPID),
    token: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """Posts the sign-in form as a browser on this origin does."""
    form = {
        "csrf": token if token is not None else await login_token(http),
        "sdkappid": sdkappid,
        "identifier": identifier,
        "kind": kind,
        "secret": secret,
    }
    return await http.post(
        "/console/sign-in", data=form, headers={"origin": ORIGIN, **(headers or {})}
    )


def boot_data(page: httpx.Response) -> dict[str, object]:
    """The session data the shell page hands to its scripts."""
    import orjson

    found = re.search(r'<script type="application/json" id="boot">(.*?)</script>', page.text, re.S)
    assert found, page.text
    data: dict[str, object] = orjson.loads(found.group(1))
    return data
