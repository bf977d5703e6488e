"""Admin endpoints of the webhook queue, for the console and scripts (docs/webhooks.md):

- ``GET /admin/webhooks/status?sdkappid=&identifier=&usersig=`` (``&failures=N``): what
  ``relchain webhooks status`` prints;
- ``POST /admin/webhooks/retry?sdkappid=&identifier=&usersig=`` (``&dead=1``): what
  ``relchain webhooks retry`` does.

Signed like REST calls (an App admin's UserSig in the query); every answer is HTTP 200 with the
Tencent envelope (``ActionStatus``, ``ErrorCode``, ``ErrorInfo``) and the data beside it.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from relchain.domain.apps import App
from relchain.domain.errors import ApiError, Code
from relchain.http.context import ServerContext
from relchain.http.gate import Gate, parse_query, split_query
from relchain.http.wire import envelope
from relchain.services.webhooks import WebhookService

__all__ = ["webhook_routes"]

MAX_FAILURES = 1000


def _answer(data: dict[str, Any], code: int = 0, info: str = "") -> Response:
    return Response(orjson.dumps({**envelope(code, info), **data}), media_type="application/json")


async def _admin(request: Request) -> tuple[ServerContext, App]:
    ctx: ServerContext = request.app.state.ctx
    raw = request.scope["query_string"]
    query = parse_query(raw)
    gate = Gate(ctx)
    now = ctx.clock.now()
    app = await gate.app(query.sdkappid, now)
    gate.check_usersig(app, query, int(now))
    if not app.is_admin(query.identifier):
        raise ApiError(
            Code.ACCOUNT_NOT_ADMIN, f"identifier: {query.identifier!r} is not an admin of this app"
        )
    return ctx, app


def _service(ctx: ServerContext) -> WebhookService:
    return WebhookService(ctx.store, ctx.clock)


async def status(request: Request) -> Response:
    try:
        ctx, app = await _admin(request)
        raw = split_query(request.scope["query_string"]).get("failures", ["20"])[0]
        if not raw.isdigit() or len(raw) > 4 or int(raw) > MAX_FAILURES:
            raise ApiError(Code.HTTP_PARSE, f"failures: must be 0..{MAX_FAILURES}, got {raw!r}")
        found = await _service(ctx).status(app.sdkappid, int(raw))
    except ApiError as exc:
        return _answer({}, exc.code, exc.info)
    return _answer(found.to_json())


async def retry(request: Request) -> Response:
    try:
        ctx, app = await _admin(request)
        raw = split_query(request.scope["query_string"]).get("dead", ["0"])[0]
        if raw not in ("0", "1"):
            raise ApiError(Code.HTTP_PARSE, f"dead: must be 0 or 1, got {raw!r}")
        retried = await _service(ctx).retry(app.sdkappid, dead=raw == "1")
    except ApiError as exc:
        return _answer({}, exc.code, exc.info)
    return _answer({"retried": retried})


def webhook_routes() -> list[BaseRoute]:
    return [
        Route("/admin/webhooks/status", status, methods=["GET"]),
        Route("/admin/webhooks/retry", retry, methods=["POST"]),
    ]
