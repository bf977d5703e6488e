"""The ASGI application: ``create_app(config, store=None, clock=None)``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import json5
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from relchain.config import Config, load_config
from relchain.domain.errors import ApiError, Code
from relchain.http.call import Call
from relchain.http.context import ServerContext
from relchain.http.gate import Gate
from relchain.http.routes import BY_PATH
from relchain.http.wire import Body, envelope
from relchain.ports import Clock, RateCounter, Store
from relchain.ratelimit import MemoryRateCounter, RateLimiter
from relchain.services._base import SystemClock
from relchain.storage import open_store

__all__ = ["create_app", "create_app_from_env"]

log = logging.getLogger("relchain")
ANY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def json_response(body: dict[str, Any]) -> Response:
    return Response(orjson.dumps(body), media_type="application/json")


def parse_body(raw: bytes) -> dict[str, Any]:
    """The request's JSON object, whatever the Content-Type; trailing commas are accepted."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        try:
            data = json5.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise ApiError(Code.JSON_PARSE, "body: not valid JSON") from None
    if not isinstance(data, dict):
        raise ApiError(Code.JSON_PARSE, "body: must be a JSON object (send {} for no fields)")
    return data


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ApiError(Code.JSON_PARSE, f"body: larger than the limit of {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(Code.JSON_PARSE, f"body: larger than the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


class RestEndpoint:
    """``/v4/{service}/{command}``: the gate, the body, the handler, the envelope."""

    def __init__(self) -> None:
        self.ctx: ServerContext | None = None
        self.gate: Gate | None = None

    def start(self, ctx: ServerContext) -> None:
        self.ctx = ctx
        self.gate = Gate(ctx)

    async def handle(self, request: Request) -> Response:
        path = f"{request.path_params['service']}/{request.path_params['command']}"
        api = BY_PATH.get(path)
        if api is None:
            return json_response(envelope(Code.BAD_RESOURCE, f"path: no API /v4/{path}"))
        assert self.ctx is not None and self.gate is not None, "the app was not started"
        try:
            if request.method != "POST":
                raise ApiError(Code.HTTP_PARSE, f"method: {request.method} not allowed; use POST")
            app, identifier, now = await self.gate.admit(api, request.scope["query_string"])
            data = parse_body(await read_body(request, self.ctx.config.max_body_bytes))
            extra = await api.handler(Call(self.ctx, app, identifier, Body(data, api.group), now))
            return json_response(envelope(0, "", extra))
        except ApiError as exc:
            return json_response(envelope(exc.code, exc.info))
        except Exception:
            log.exception("internal error in /v4/%s", path)
            return json_response(envelope(api.group.internal, "internal error; see server log"))


async def not_found(request: Request, exc: Exception) -> Response:
    return json_response(envelope(Code.BAD_RESOURCE, f"path: no API at {request.url.path}"))


async def healthz(request: Request) -> Response:
    return json_response(envelope())


def create_app(
    config: Config | None = None,
    store: Store | None = None,
    clock: Clock | None = None,
    rate_counter: RateCounter | None = None,
) -> Starlette:
    """The relchain ASGI app. A ``store`` given is used as is (and not closed); otherwise the
    store at ``config.database`` is opened at startup and closed at shutdown."""
    config = config or load_config()
    clock = clock or SystemClock()
    endpoint = RestEndpoint()

    async def rest(request: Request) -> Response:
        return await endpoint.handle(request)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        shared = None  # a Redis counter this app opened (and closes); needs relchain[redis]
        if rate_counter is None and config.redis:
            from relchain.storage.redis import RedisRateCounter

            shared = RedisRateCounter(config.redis)
        active = store if store is not None else await open_store(config.database)
        counter = rate_counter or shared or MemoryRateCounter()
        ctx = ServerContext(config, active, clock, RateLimiter(counter, clock))
        endpoint.start(ctx)
        app.state.ctx = ctx
        try:
            yield
        finally:
            if shared is not None:
                await shared.close()
            if store is None:
                await active.close()

    routes = [
        Route("/v4/{service}/{command}", rest, methods=ANY_METHOD),
        Route("/healthz", healthz, methods=["GET"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_exception_handler(404, not_found)
    app.add_exception_handler(405, not_found)
    return app


def create_app_from_env() -> Starlette:
    """Factory for ``uvicorn --factory`` (worker processes read their config from RELCHAIN_*)."""
    return create_app(load_config())
