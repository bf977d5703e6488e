"""Fixtures of the client tests: an ``AsyncAdmin`` over in-process ASGI against the real app,
on every backend (SQLite, PostgreSQL)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import httpx
import pytest

from relchain.client import AsyncAdmin, Retry
from relchain.config import Config
from relchain.domain.apps import App
from relchain.http.app import create_app
from relchain.ports import Store
from tests.support import FrozenClock


@pytest.fixture
def clock() -> FrozenClock:
    """The server's clock, frozen at the real time: the client signs with the real time."""
    return FrozenClock(float(int(time.time())))


@pytest.fixture
async def admin(store: Store, clock: FrozenClock, app: App) -> AsyncIterator[AsyncAdmin]:
    """An AsyncAdmin of the test app, talking to the real app over ``httpx.ASGITransport``."""
    asgi = create_app(Config(database="unused://", app_cache_seconds=0), store=store, clock=clock)
    async with (
        asgi.router.lifespan_context(asgi),
        AsyncAdmin(
            "http://relchain.test",
            app.sdkappid,
            app.key,
            app.admins[0],
            transport=httpx.ASGITransport(app=asgi),
            retry=Retry(attempts=2, base_delay=0),
        ) as client,
    ):
        yield client
