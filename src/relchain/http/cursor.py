"""The follow_get cursor: opaque, URL-safe, bound to (app, From_Account, FollowType).

A wire encoding of a list :class:`relchain.domain.follows.Position`: the services page by
position, the handlers turn positions into ``NextCursor`` and ``StartCursor`` back.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct

from relchain.domain.accounts import userid_problem
from relchain.domain.errors import ApiError, Code
from relchain.domain.follows import ListKind, Position

__all__ = ["decode_cursor", "encode_cursor"]


_CURSOR_VERSION = 1
_HEADER = struct.Struct(">BBq")  # version, list kind, time
_TAG_BYTES = 8
_CURSOR_KEY = b"relchain/follow_get/cursor/v1"
_MAX_CURSOR_CHARS = 128


def _cursor_tag(payload: bytes, sdkappid: int, from_id: str) -> bytes:
    scope = f"{sdkappid}\x00{from_id}".encode()
    return hashlib.blake2b(
        payload + b"\x00" + scope, digest_size=_TAG_BYTES, key=_CURSOR_KEY
    ).digest()


def encode_cursor(sdkappid: int, from_id: str, kind: ListKind, after: Position) -> str:
    """The ``NextCursor`` that continues the list after ``after``.

    base64url (no padding) of version, kind, time, account and a checksum that binds the cursor
    to this app, user and list, so a cursor of another list, or a damaged one, is refused.
    """
    payload = _HEADER.pack(_CURSOR_VERSION, int(kind), after.time) + after.account.encode("ascii")
    raw = payload + _cursor_tag(payload, sdkappid, from_id)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode_cursor(sdkappid: int, from_id: str, kind: ListKind, token: str) -> Position | None:
    """The position a ``StartCursor`` continues after; ``None`` for ``""`` (the first page).

    Raises 30001 naming ``StartCursor`` when the cursor is malformed or was not issued for this
    app, ``From_Account`` and ``FollowType``.
    """
    if token == "":
        return None

    def bad(why: str) -> ApiError:
        return ApiError(Code.SNS_BAD_PARAM, f"StartCursor: {why}")

    if len(token) > _MAX_CURSOR_CHARS or not token.isascii():
        raise bad("not a cursor issued by follow_get")
    try:
        raw = base64.b64decode(token + "=" * (-len(token) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise bad("not a cursor issued by follow_get") from None
    if len(raw) <= _HEADER.size + _TAG_BYTES:
        raise bad("not a cursor issued by follow_get")
    payload, tag = raw[:-_TAG_BYTES], raw[-_TAG_BYTES:]
    version, raw_kind, time = _HEADER.unpack_from(payload)
    if version != _CURSOR_VERSION:
        raise bad("not a cursor issued by follow_get")
    if not hmac.compare_digest(tag, _cursor_tag(payload, sdkappid, from_id)):
        raise bad("not a cursor of this From_Account's list (or damaged)")
    if raw_kind != int(kind):
        raise bad(f"issued for FollowType {raw_kind}, not {int(kind)}")
    account = payload[_HEADER.size :].decode("ascii", errors="replace")
    if userid_problem(account) is not None:
        raise bad("not a cursor issued by follow_get")
    return Position(time, account)
