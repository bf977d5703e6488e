"""``/v4/{service}/{command}`` as a plain ASGI callable: the gate, the body, the handler, the
one envelope, then one access-log line and the metrics. It skips the framework's request and
response objects on purpose: this path is every API call, and they cost more than the rest of a
one-row lookup (see benchmarks/)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson

from relchain.domain.errors import ApiError, Code
from relchain.http.body import BodyTooLarge, ClientGone, parse_body, read_body
from relchain.http.call import Call, Outcome
from relchain.http.context import ServerContext
from relchain.http.gate import Gate
from relchain.http.logs import request_id_of
from relchain.http.routes import BY_PATH
from relchain.http.wire import Body, envelope, error_info

__all__ = ["JSON_HEADERS", "RestApi", "send_json"]

log = logging.getLogger("relchain")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

JSON_HEADERS = [(b"content-type", b"application/json")]
PREFIX = "/v4/"
DRAIN_MAX_BYTES = 64 * 1024 * 1024  # lingering close: most of an oversized body read and dropped


def headers_of(body: bytes, request_id: str, close: bool = False) -> list[tuple[bytes, bytes]]:
    headers = [
        *JSON_HEADERS,
        (b"content-length", str(len(body)).encode()),
        (b"x-request-id", request_id.encode()),
    ]
    if close:
        headers.append((b"connection", b"close"))
    return headers


async def send_json(send: Send, body: bytes, request_id: str, status: int = 200) -> None:
    """A JSON answer (every answer of the API is HTTP 200, errors too)."""
    await send(
        {"type": "http.response.start", "status": status, "headers": headers_of(body, request_id)}
    )
    await send({"type": "http.response.body", "body": body})


class RestApi:
    """Answers every request whose path starts with ``/v4/``."""

    def __init__(self) -> None:
        self.ctx: ServerContext | None = None
        self.gate: Gate | None = None

    def start(self, ctx: ServerContext) -> None:
        self.ctx = ctx
        self.gate = Gate(ctx)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        request_id = request_id_of(scope["headers"])
        outcome = Outcome(request_id)
        try:
            answer = await self.answer(scope, receive, outcome)
        except ClientGone:
            return
        code = answer["ErrorCode"]
        try:
            body = orjson.dumps(answer)
        except TypeError:  # input checks make this unreachable; never let it become a 500
            log.exception(
                "could not encode the answer of /v4/%s (request_id %s)",
                outcome.path,
                request_id,
            )
            group = BY_PATH[outcome.path].group
            body = orjson.dumps(envelope(group.internal, "internal error; see server log"))
        if outcome.drain:
            await self.answer_then_drain(scope, receive, send, body, request_id)
        else:
            await send_json(send, body, request_id)
        elapsed = time.perf_counter() - started
        assert self.ctx is not None
        if self.ctx.metrics is not None and outcome.path:
            self.ctx.metrics.request(outcome.path, code, elapsed)
        if self.ctx.access is not None:
            client = scope.get("client")
            self.ctx.access.write(
                {
                    "request_id": request_id,
                    "client": client[0] if client else "",
                    "method": scope["method"],
                    "path": scope["path"],
                    "sdkappid": outcome.sdkappid,
                    "identifier": outcome.identifier,
                    "code": code,
                    "ms": round(elapsed * 1000, 3),
                }
            )

    async def answer_then_drain(
        self, scope: Scope, receive: Receive, send: Send, body: bytes, request_id: str
    ) -> None:
        """Lingering close: send the whole answer, then read and drop the rest of the body (up
        to :data:`DRAIN_MAX_BYTES` and ``body_timeout``), then close. Closing with unread data
        would reset the connection, and a client still sending would never read the answer."""
        headers = headers_of(body, request_id, close=True)
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": True})
        expects_continue = any(
            name == b"expect" and value.lower() == b"100-continue"
            for name, value in scope["headers"]
        )
        if not expects_continue:  # such a client waits for our go-ahead: it sent no body
            assert self.ctx is not None
            drained = 0
            try:
                async with asyncio.timeout(self.ctx.config.body_timeout):
                    while drained < DRAIN_MAX_BYTES:
                        message = await receive()
                        drained += len(message.get("body", b""))
                        if message["type"] != "http.request" or not message.get("more_body"):
                            break
            except TimeoutError:
                pass
        await send({"type": "http.response.body", "body": b""})

    async def answer(self, scope: Scope, receive: Receive, outcome: Outcome) -> dict[str, Any]:
        path = scope["path"][len(PREFIX) :]
        api = BY_PATH.get(path)
        if api is None:
            return envelope(Code.BAD_RESOURCE, f"path: no API /v4/{path}")
        outcome.path = path
        assert self.ctx is not None and self.gate is not None, "the app was not started"
        try:
            if scope["method"] != "POST":
                raise ApiError(Code.HTTP_PARSE, f"method: {scope['method']} not allowed; use POST")
            app, identifier, now = await self.gate.admit(api, scope["query_string"], outcome)
            raw = await read_body(scope, receive, self.ctx.config.max_body_bytes)
            data = parse_body(raw, api.group)
            client = scope.get("client")
            call = Call(self.ctx, app, identifier, Body(data, api.group), now)
            call.client_ip = client[0] if client else ""
            extra = await api.handler(call)
            return envelope(0, "", extra)
        except BodyTooLarge as exc:
            outcome.drain = True
            return envelope(exc.code, exc.info)
        except ApiError as exc:
            return envelope(exc.code, error_info(exc))
        except ClientGone:
            raise
        except Exception:
            log.exception("internal error in /v4/%s (request_id %s)", path, outcome.request_id)
            return envelope(api.group.internal, "internal error; see server log")
