"""``GET /events``: a client that stops reading is dropped once ``BUFFER`` events wait for it;
the server goes on (every backend). Driven over ASGI with a ``send`` that never returns, as a
socket whose buffers are full."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlencode

from relchain.config import Config
from relchain.domain.apps import App
from relchain.domain.events import EventKind, NewEvent
from relchain.http.app import create_app
from relchain.http.events import BUFFER
from relchain.ports import Store
from tests.support import FrozenClock, RestClient

WAIT = 30.0


async def test_a_client_that_stops_reading_is_dropped(
    store: Store, clock: FrozenClock, app: App, rest: RestClient
) -> None:
    asgi = create_app(Config(database="unused://", app_cache_seconds=0), store=store, clock=clock)
    query = urlencode({**rest.query(), "since": 0}).encode()
    scope: dict[str, Any] = {
        "type": "http",
        "method": "GET",
        "path": "/events",
        "query_string": query,
        "headers": [],
    }
    sent: list[dict[str, Any]] = []
    stuck = asyncio.Event()

    async def receive() -> dict[str, Any]:
        await asyncio.Event().wait()  # the client never hangs up
        raise AssertionError

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if len(sent) >= 3:  # the head, the greeting, then the socket is full
            stuck.set()
            await asyncio.Event().wait()

    async with asgi.router.lifespan_context(asgi):
        streaming = asyncio.ensure_future(asgi(scope, receive, send))
        async with store.write() as tx:
            await tx.append_events(app.sdkappid, [NewEvent(EventKind.PROFILE_SET, "a")], 1)
        async with asyncio.timeout(WAIT):
            await stuck.wait()
        for start in range(0, BUFFER + 200, 100):
            async with store.write() as tx:
                events = [NewEvent(EventKind.PROFILE_SET, f"u{start + i}") for i in range(100)]
                await tx.append_events(app.sdkappid, events, 1)
        async with asyncio.timeout(WAIT):
            await streaming  # dropped: the handler is over, the connection closes
        assert sent[0]["status"] == 200
        assert b"event: profile.set" in sent[2]["body"]
        await rest.import_accounts("after")  # the server goes on
