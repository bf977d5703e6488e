"""The ASGI application: ``create_app(config, store=None, clock=None, rate_counter=None)``.

Besides the API (``/v4/*``), three operational endpoints, answered straight from ASGI:

- ``GET /healthz``: the process is alive (answers without touching the database);
- ``GET /readyz``: the database answers and has every schema migration (HTTP 503 otherwise);
- ``GET /metrics``: Prometheus metrics, when the ``metrics`` setting is on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
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
from relchain.http.console import console_routes
from relchain.http.context import ServerContext
from relchain.http.events import EVENTS_PATH, EventsEndpoint
from relchain.http.gate import Gate
from relchain.http.gateway import GATEWAY_PATHS, Gateway
from relchain.http.logs import AccessLog, configure_logging, request_id_of
from relchain.http.metrics import CONTENT_TYPE, Metrics
from relchain.http.rest import PREFIX, RestApi, send_json
from relchain.http.wire import envelope
from relchain.ports import Clock, RateCounter, Store
from relchain.ratelimit import MemoryRateCounter, RateLimiter
from relchain.storage import open_store

__all__ = ["RelchainApp", "create_app", "create_app_from_env"]

log = logging.getLogger("relchain")

HEALTHY = orjson.dumps(envelope())
READY_TIMEOUT = 2.0  # seconds /readyz waits for the database
SAMPLE_SECONDS = 1.0  # how often the gauges are sampled


class RelchainApp(Starlette):
    """Starlette for the lifespan and any page; ``/v4/*`` and the operational endpoints are
    answered straight from ASGI (the hot path and the framework ceiling of the benchmarks), and
    the Web SDK's WebSocket (``/binfo``, ``/info``) by the user gateway."""

    rest: RestApi
    gateway: Gateway
    events: EventsEndpoint | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = scope["path"]
            if path.startswith(PREFIX):
                await self.rest(scope, receive, send)
                return
            if scope["method"] == "GET":
                if path == "/healthz":
                    await send_json(send, HEALTHY, request_id_of(scope["headers"]))
                    return
                if path == "/readyz":
                    await self.readyz(scope, send)
                    return
                if path == "/metrics" and self.state.ctx.metrics is not None:
                    await self.metrics(scope, send)
                    return
                if path == EVENTS_PATH and self.events is not None:
                    await self.events(scope, receive, send)
                    return
        elif scope["type"] == "websocket" and scope["path"] in GATEWAY_PATHS:
            await self.gateway(scope, receive, send)
            return
        await super().__call__(scope, receive, send)

    async def readyz(self, scope: Scope, send: Send) -> None:
        ctx: ServerContext = self.state.ctx
        try:
            pending = await asyncio.wait_for(ctx.store.pending_migrations(), READY_TIMEOUT)
        except Exception:
            log.exception("readiness check: the database did not answer")
            status, info = 503, "database: not answering (see the server log)"
        else:
            status = 503 if pending else 200
            info = f"database: migrations {pending} not applied (relchain db upgrade)"
        body = {"ready": True} if status == 200 else {"ready": False, "reason": info}
        await send_json(send, orjson.dumps(body), request_id_of(scope["headers"]), status)

    async def metrics(self, scope: Scope, send: Send) -> None:
        ctx: ServerContext = self.state.ctx
        assert ctx.metrics is not None
        text = ctx.metrics.render()
        headers = [
            (b"content-type", CONTENT_TYPE.encode()),
            (b"content-length", str(len(text)).encode()),
            (b"x-request-id", request_id_of(scope["headers"]).encode()),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": text})


async def not_found(request: Request, exc: Exception) -> Response:
    body = envelope(Code.BAD_RESOURCE, f"path: no API at {request.url.path}")
    return Response(orjson.dumps(body), media_type="application/json")


async def sample_forever(metrics: Metrics) -> None:
    while True:
        metrics.sample()
        await asyncio.sleep(SAMPLE_SECONDS)


async def start_events(ctx: ServerContext) -> asyncio.Task[None]:
    """The event log's wake-ups between processes (Redis when configured, else the database's
    own, if any) and its pruning task."""
    if ctx.config.redis:
        from relchain.storage.redis_signal import RedisSignal

        ctx.events.signal = RedisSignal(ctx.config.redis)
    else:
        ctx.events.signal = ctx.store.event_signal()
    await ctx.events.start()
    return asyncio.create_task(ctx.events.prune_forever(), name="events-prune")


async def stop_events(ctx: ServerContext, pruner: asyncio.Task[None]) -> None:
    pruner.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await pruner
    await ctx.events.close()


def create_app(
    config: Config | None = None,
    store: Store | None = None,
    clock: Clock | None = None,
    rate_counter: RateCounter | None = None,
) -> RelchainApp:
    """The relchain ASGI app. A ``store`` given is used as is (and not closed); otherwise the
    store at ``config.database`` is opened at startup and closed at shutdown. Without a
    ``rate_counter``, rate-limit state lives in Redis when ``config.redis`` is set, else in
    memory."""
    config = config or load_config()
    clock = clock or SystemClock()
    rest = RestApi()
    gateway = Gateway()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        shared = None  # a Redis state this app opened (and closes); needs relchain[redis]
        if rate_counter is None and config.redis:
            from relchain.storage.redis import RedisRateCounter

            shared = RedisRateCounter(config.redis)
        active = store if store is not None else await open_store(config.database)
        counter = rate_counter or shared or MemoryRateCounter()
        metrics = Metrics() if config.metrics else None
        access = AccessLog(config.log_format == "json") if config.access_log else None
        limiter = RateLimiter(counter, clock)
        ctx = ServerContext(config, active, clock, limiter, metrics, access)
        sampler = None
        if metrics is not None:
            metrics.attach(active)
            sampler = asyncio.create_task(sample_forever(metrics))
        rest.start(ctx)
        app.state.ctx = ctx
        pruner = await start_events(ctx)
        gateway.start(ctx, Gate(ctx), ctx.events)  # pushes the log's changes to the sockets
        assert rest.gate is not None
        relchain_app.events = EventsEndpoint(ctx, rest.gate)
        try:
            yield
        finally:
            await gateway.stop()
            await stop_events(ctx, pruner)
            if sampler is not None:
                sampler.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sampler
            if metrics is not None:
                metrics.close()
            if access is not None:
                access.flush()
            if shared is not None:
                await shared.close()
            if store is None:
                await active.close()

    app = relchain_app = RelchainApp(routes=console_routes(), lifespan=lifespan)
    app.rest = rest
    app.gateway = gateway
    app.add_exception_handler(404, not_found)
    app.add_exception_handler(405, not_found)
    return app


def create_app_from_env() -> RelchainApp:
    """Factory for ``--workers N`` (worker processes read their config from RELCHAIN_*)."""
    config = load_config()
    configure_logging(config)
    return create_app(config)
