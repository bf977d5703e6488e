"""The ASGI application: ``create_app(config, store=None, clock=None, rate_counter=None)``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from relchain.clock import SystemClock
from relchain.config import Config, load_config
from relchain.domain.errors import Code
from relchain.http.context import ServerContext
from relchain.http.gate import Gate
from relchain.http.gateway import GATEWAY_PATHS, Gateway
from relchain.http.rest import PREFIX, RestApi, send_json
from relchain.http.wire import envelope
from relchain.ports import Clock, RateCounter, Store
from relchain.ratelimit import MemoryRateCounter, RateLimiter
from relchain.storage import open_store

__all__ = ["RelchainApp", "create_app", "create_app_from_env"]

HEALTHY = orjson.dumps(envelope())


class RelchainApp(Starlette):
    """Starlette for the lifespan and any page; ``/v4/*`` and ``GET /healthz`` are answered
    straight from ASGI (the hot path and the framework ceiling of the benchmarks), and the Web
    SDK's WebSocket (``/binfo``, ``/info``) by the user gateway."""

    rest: RestApi
    gateway: Gateway

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = scope["path"]
            if path.startswith(PREFIX):
                await self.rest(scope, receive, send)
                return
            if path == "/healthz" and scope["method"] == "GET":
                await send_json(send, HEALTHY)
                return
        elif scope["type"] == "websocket" and scope["path"] in GATEWAY_PATHS:
            await self.gateway(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


async def not_found(request: Request, exc: Exception) -> Response:
    body = envelope(Code.BAD_RESOURCE, f"path: no API at {request.url.path}")
    return Response(orjson.dumps(body), media_type="application/json")


def create_app(
    config: Config | None = None,
    store: Store | None = None,
    clock: Clock | None = None,
    rate_counter: RateCounter | None = None,
) -> RelchainApp:
    """The relchain ASGI app. A ``store`` given is used as is (and not closed); otherwise the
    store at ``config.database`` is opened at startup and closed at shutdown. Without a
    ``rate_counter``, counters live in Redis when ``config.redis`` is set, else in memory."""
    config = config or load_config()
    clock = clock or SystemClock()
    rest = RestApi()
    gateway = Gateway()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        shared = None  # a Redis counter this app opened (and closes); needs relchain[redis]
        if rate_counter is None and config.redis:
            from relchain.storage.redis import RedisRateCounter

            shared = RedisRateCounter(config.redis)
        active = store if store is not None else await open_store(config.database)
        counter = rate_counter or shared or MemoryRateCounter()
        ctx = ServerContext(config, active, clock, RateLimiter(counter, clock))
        rest.start(ctx)
        gateway.start(ctx, Gate(ctx))
        app.state.ctx = ctx
        try:
            yield
        finally:
            await gateway.stop()
            if shared is not None:
                await shared.close()
            if store is None:
                await active.close()

    app = RelchainApp(routes=[], lifespan=lifespan)
    app.rest = rest
    app.gateway = gateway
    app.add_exception_handler(404, not_found)
    app.add_exception_handler(405, not_found)
    return app


def create_app_from_env() -> RelchainApp:
    """Factory for ``uvicorn --factory`` (worker processes read their config from RELCHAIN_*)."""
    return create_app(load_config())
