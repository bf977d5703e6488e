"""Reading and parsing a request body: bounded in size, in time and in parsing cost.

Parsing, whatever the ``Content-Type``:

1. strict JSON with orjson (the common case; nesting up to 1024 levels);
2. strict JSON that orjson refused only for a lone surrogate escape (``"\\udc00"``) goes to
   the standard library's C parser, which keeps it, so the field can be named below;
3. anything else to pyjson5 (JSON5 in C: trailing commas as in Tencent's samples, comments,
   single quotes...; nesting up to 256 levels), so a large lenient body costs about what strict
   JSON costs and never holds the event loop.

Then every string (keys too) must be valid text without NUL: a lone surrogate or NUL is refused
with the service's bad-parameter code naming the field, before anything is written (no backend
stores NUL the same way, and a lone surrogate cannot be encoded in the answer). The check costs
one C-speed re-encoding; the field is looked for only when something is wrong.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson
import pyjson5

from relchain.domain.errors import ApiError, Code, ServiceGroup

__all__ = [
    "LENIENT_MAX_DEPTH",
    "BodyTooLarge",
    "ClientGone",
    "bad_string",
    "parse_body",
    "read_body",
]

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]

LENIENT_MAX_DEPTH = 256  # pyjson5 recurses (in C, counted against Python's recursion limit)
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_BAD_CHAR = re.compile("[\x00\ud800-\udfff]")


class BodyTooLarge(ApiError):
    """The body is over the limit (60003); the rest should be drained before closing."""

    def __init__(self, limit: int) -> None:
        super().__init__(Code.JSON_PARSE, f"body: larger than the limit of {limit} bytes")


class ClientGone(Exception):
    """The client disconnected before its body was complete: there is no one to answer."""


def parse_body(raw: bytes, group: ServiceGroup) -> dict[str, Any]:
    """The request's JSON object (see the module docstring); :class:`ApiError` when it is not
    one: 60003 for syntax, the group's bad-parameter code for a bad string."""
    try:
        data = orjson.loads(raw)
        suspect = b"\\u0000" in raw  # orjson refuses lone surrogates, but keeps NUL escapes
    except orjson.JSONDecodeError:
        data = _lenient(raw)
        suspect = True
    if not isinstance(data, dict):
        raise ApiError(Code.JSON_PARSE, "body: must be a JSON object (send {} for no fields)")
    if suspect:
        found = bad_string(data)
        if found is not None:
            raise ApiError(group.bad_param, f"{found[0] or 'body'}: {found[1]}")
    return data


def _lenient(raw: bytes) -> Any:
    surrogates = _SURROGATE_ESCAPE.search(raw) is not None
    if surrogates:
        try:
            return json.loads(raw)
        except (ValueError, RecursionError):
            pass  # not strict JSON: the JSON5 parser says why
    try:
        return pyjson5.decode_utf8(raw, maxdepth=LENIENT_MAX_DEPTH)
    except pyjson5.Json5NestingTooDeep:
        raise ApiError(
            Code.JSON_PARSE, f"body: nested deeper than {LENIENT_MAX_DEPTH} levels"
        ) from None
    except pyjson5.Json5Exception as exc:
        reason = str(exc.args[0])[:200] if exc.args else "syntax error"
        if surrogates:
            reason += "; in a JSON5 body a \\uD800-\\uDFFF escape must be half of a surrogate pair"
        raise ApiError(Code.JSON_PARSE, f"body: not valid JSON ({reason})") from None


def bad_string(data: Any) -> tuple[str, str] | None:
    """``(path, why)`` of the first key or string holding NUL or a lone surrogate, or ``None``.

    A C-speed re-encoding answers "none" for almost every body; only when it fails or finds a
    NUL escape is the value walked (iteratively: nesting depth costs no stack) to name the field.
    """
    try:
        if b"\\u0000" not in orjson.dumps(data):
            return None
    except (TypeError, orjson.JSONEncodeError):
        pass  # a lone surrogate, an integer beyond 64 bits or very deep nesting: walk
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            why = _text_problem(value)
            if why:
                return path, why
        elif isinstance(value, dict):
            children = []
            for key, item in value.items():
                why = _text_problem(key)
                if why:
                    return f"{path}.{key!r}".lstrip("."), f"field name {why}"
                children.append((f"{path}.{key}".lstrip("."), item))
            stack.extend(reversed(children))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", item) for i, item in reversed(list(enumerate(value))))
    return None


def _text_problem(text: str) -> str | None:
    match = _BAD_CHAR.search(text)
    if match is None:
        return None
    if match.group() == "\x00":
        return "must not contain NUL (\\u0000)"
    return f"lone surrogate \\u{ord(match.group()):04x} is not valid text"


async def read_body(scope: MutableMapping[str, Any], receive: Receive, limit: int) -> bytes:
    """The whole body. :class:`BodyTooLarge` (60003) as soon as it is known to be over
    ``limit`` (by ``Content-Length`` or while reading); :class:`ClientGone` when the client
    disconnects first (the server's ``body_timeout`` closes a connection that stalls)."""
    for name, value in scope["headers"]:
        if (
            name == b"content-length"
            and value.isdigit()
            and (len(value) > 18 or int(value) > limit)
        ):
            raise BodyTooLarge(limit)
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            raise ClientGone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)
