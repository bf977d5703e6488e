"""The Web SDK's frames: ``{"head": {...}, "body": {...}}`` JSON, in binary (``/binfo``) or text
(``/info``) WebSocket messages. Reading a frame never raises past :class:`FrameError`, which
carries the reply to send (the connection stays up)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from relchain.domain.errors import Code
from relchain.http.body import bad_string
from relchain.http.wire import envelope

__all__ = ["PUSH_SERVCMD", "Frame", "FrameError", "push_frame", "read_frame", "reply_frame"]

PUSH_SERVCMD = "im_open_push.msg_push"
_NUL_TEXT = "\\u0000"  # JSON's only way to write NUL; orjson refuses a raw NUL byte
_NUL_BYTES = _NUL_TEXT.encode()


@dataclass(frozen=True, slots=True)
class Frame:
    """One request: ``servcmd`` is ``service.command``; ``seq`` is echoed in the reply."""

    head: dict[str, Any]
    body: dict[str, Any]
    servcmd: str
    seq: Any
    nul_field: str | None = None  # the body field holding NUL, refused by the command

    def head_str(self, name: str) -> str:
        value = self.head.get(name)
        if isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return ""


class FrameError(Exception):
    """A frame that cannot be served: the reply says why (with what head could be read)."""

    def __init__(self, code: int, info: str, head: dict[str, Any] | None = None) -> None:
        super().__init__(f"{code}: {info}")
        self.reply = reply_frame(head or {}, envelope(code, info))


def _reply_head(head: dict[str, Any]) -> dict[str, Any]:
    """What the SDK needs back in a reply's head: it matches by ``servcmd`` + ``seq``."""
    out: dict[str, Any] = {}
    for key in ("servcmd", "seq"):
        if key in head:
            out[key] = head[key]
    return out


def reply_frame(head: dict[str, Any], body: dict[str, Any]) -> bytes:
    return orjson.dumps({"head": _reply_head(head), "body": body})


def push_frame(body: dict[str, Any], servcmd: str = PUSH_SERVCMD) -> bytes:
    """A server push (``im_open_push.msg_push``), e.g. ``{"EventArray": [...]}``."""
    return orjson.dumps({"head": {"servcmd": servcmd, "seq": 0}, "body": body})


def read_frame(raw: bytes | str) -> Frame:
    """Parse one WebSocket message; :class:`FrameError` (with its reply) when it is not a frame
    of the protocol. JSON nested deeper than orjson's limit is refused like any other bad JSON."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise FrameError(Code.JSON_PARSE, "frame: not valid JSON") from None
    if not isinstance(data, dict):
        raise FrameError(Code.JSON_PARSE, "frame: must be a JSON object with head and body")
    head = data.get("head")
    if not isinstance(head, dict):
        raise FrameError(Code.HTTP_PARSE, "head: required, must be an object")
    servcmd = head.get("servcmd")
    if not isinstance(servcmd, str) or "." not in servcmd:
        raise FrameError(Code.HTTP_PARSE, "head.servcmd: required, a string service.command", head)
    seq = head.get("seq")
    if seq is not None and (isinstance(seq, (dict, list))):
        raise FrameError(Code.HTTP_PARSE, "head.seq: must be a number or string", {})
    body = data.get("body", {})
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise FrameError(
            Code.JSON_PARSE, "body: must be a JSON object (send {} for no fields)", head
        )
    nul_field = None
    if (_NUL_TEXT in raw) if isinstance(raw, str) else (_NUL_BYTES in raw):
        in_head = bad_string(head)
        if in_head is not None:
            where = f"head.{in_head[0]}" if in_head[0] else "head"
            raise FrameError(Code.HTTP_PARSE, f"{where}: {in_head[1]}", {})
        in_body = bad_string(body)
        nul_field = None if in_body is None else in_body[0]
    return Frame(head, body, servcmd, seq, nul_field)
