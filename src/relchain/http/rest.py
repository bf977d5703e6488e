"""``/v4/{service}/{command}`` as a plain ASGI callable: the gate, the body, the handler, the
one envelope. It skips the framework's request and response objects on purpose: this path is
every API call, and they cost more than the rest of a one-row lookup (see benchmarks/)."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import json5
import orjson

from relchain.domain.errors import ApiError, Code, ServiceGroup
from relchain.http.call import Call
from relchain.http.context import ServerContext
from relchain.http.gate import Gate
from relchain.http.routes import BY_PATH
from relchain.http.wire import Body, envelope, error_info

__all__ = ["JSON_HEADERS", "RestApi", "parse_body", "send_json"]

log = logging.getLogger("relchain")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

JSON_HEADERS = [(b"content-type", b"application/json")]
PREFIX = "/v4/"


# A JSON string literal (an unterminated one runs to the end: possessive, so every position is
# scanned once, whatever the input), or a comma that only whitespace separates from a closing
# bracket.
_STRING_OR_TRAILING_COMMA = re.compile(rb'("(?:[^"\\]|\\[\s\S]?)*+(?:"|\Z))|,(\s*[\]}])')
_MAYBE_TRAILING_COMMA = re.compile(rb",\s*[\]}]")
LENIENT_PARSE_MAX_BYTES = 64 * 1024  # json5 is pure Python: only small bodies get it


def parse_body(raw: bytes, group: ServiceGroup) -> dict[str, Any]:
    """The request's JSON object, whatever the Content-Type.

    Strict JSON first (orjson). Then the same bytes with trailing commas removed, as in Tencent's
    documented samples (one regex pass in C, strings skipped), again with orjson, so a large
    body costs what strict JSON costs. Only a small body that is still refused gets the lenient
    json5 parser (comments, single quotes...), which runs in Python.

    A string holding the NUL character is refused with the group's bad-parameter code naming
    the field: no backend stores it the same way (PostgreSQL refuses it outright).
    """
    lenient = False
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        try:
            if not _MAYBE_TRAILING_COMMA.search(raw):
                raise orjson.JSONDecodeError("no trailing comma to remove", "", 0)
            data = orjson.loads(_STRING_OR_TRAILING_COMMA.sub(rb"\1\2", raw))
        except orjson.JSONDecodeError:
            if len(raw) > LENIENT_PARSE_MAX_BYTES:
                raise ApiError(Code.JSON_PARSE, "body: not valid JSON") from None
            lenient = True  # json5 also knows other escapes of NUL (\0, \x00)
            try:
                data = json5.loads(raw.decode("utf-8"))
            except (ValueError, UnicodeDecodeError, RecursionError):
                raise ApiError(Code.JSON_PARSE, "body: not valid JSON") from None
    if not isinstance(data, dict):
        raise ApiError(Code.JSON_PARSE, "body: must be a JSON object (send {} for no fields)")
    if lenient or b"\\u0000" in raw:
        where = nul_path(data, "")
        if where is not None:
            raise ApiError(group.bad_param, f"{where or 'body'}: must not contain NUL (\\u0000)")
    return data


def nul_path(value: Any, path: str) -> str | None:
    """The path of the first string (key or value) holding NUL, or ``None``."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                return f"{path}.{key!r}".lstrip(".")
            found = nul_path(item, f"{path}.{key}".lstrip("."))
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = nul_path(item, f"{path}[{index}]")
            if found is not None:
                return found
    return None


async def read_body(scope: Scope, receive: Receive, limit: int) -> bytes:
    """The whole body, refusing (60003) one over ``limit`` bytes without reading the rest."""
    for name, value in scope["headers"]:
        if name == b"content-length" and value.isdigit() and int(value) > limit:
            raise ApiError(Code.JSON_PARSE, f"body: larger than the limit of {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break  # the client went away
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise ApiError(Code.JSON_PARSE, f"body: larger than the limit of {limit} bytes")
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


async def send_json(send: Send, body: bytes) -> None:
    """HTTP 200 with a JSON body (every answer of the API is 200, errors too)."""
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [*JSON_HEADERS, (b"content-length", str(len(body)).encode())],
        }
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
        await send_json(send, orjson.dumps(await self.answer(scope, receive)))

    async def answer(self, scope: Scope, receive: Receive) -> dict[str, Any]:
        path = scope["path"][len(PREFIX) :]
        api = BY_PATH.get(path)
        if api is None:
            return envelope(Code.BAD_RESOURCE, f"path: no API /v4/{path}")
        assert self.ctx is not None and self.gate is not None, "the app was not started"
        try:
            if scope["method"] != "POST":
                raise ApiError(Code.HTTP_PARSE, f"method: {scope['method']} not allowed; use POST")
            app, identifier, now = await self.gate.admit(api, scope["query_string"])
            data = parse_body(
                await read_body(scope, receive, self.ctx.config.max_body_bytes), api.group
            )
            extra = await api.handler(Call(self.ctx, app, identifier, Body(data, api.group), now))
            return envelope(0, "", extra)
        except ApiError as exc:
            return envelope(exc.code, error_info(exc))
        except Exception:
            log.exception("internal error in /v4/%s", path)
            return envelope(api.group.internal, "internal error; see server log")
