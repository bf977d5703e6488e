"""The session token (``a2``) a login gives the Web SDK: bound to the app (signed with its key)
and the user, and ending when the UserSig it came from ends.

The SDK sends it back on every frame, and alone (without the UserSig) when it logs in again on a
new socket after a reconnect; so the token carries the user and its expiry and is checked by
its signature, by whichever server process the new socket reaches. A new app key revokes every
token of the app.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from relchain.domain.errors import ApiError, Code

__all__ = ["SessionToken", "issue_token", "read_token"]

MAC_HEX = 32


@dataclass(frozen=True, slots=True)
class SessionToken:
    user: str
    expires_at: int
    token: str


def _mac(key: str, sdkappid: int, user: str, expires_at: int, nonce: str) -> str:
    message = f"relchain-a2\x00{sdkappid}\x00{user}\x00{expires_at}\x00{nonce}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()[:MAC_HEX]


def issue_token(key: str, sdkappid: int, user: str, expires_at: int) -> str:
    nonce = secrets.token_hex(8)
    name = base64.urlsafe_b64encode(user.encode()).decode().rstrip("=")
    return f"{name}.{expires_at}.{nonce}.{_mac(key, sdkappid, user, expires_at, nonce)}"


def read_token(token: str, key: str, sdkappid: int, now: int) -> SessionToken:
    """The user and expiry of a token this app issued: 70003 when it is not one, 70001 when it
    has expired (the SDK then reports ``KICKED_OUT_USERSIG_EXPIRED``)."""
    parts = token.split(".")
    invalid = ApiError(Code.SIG_INVALID, "a2: not a session token of this app; log in again")
    if len(parts) != 4 or not parts[1].isascii() or not parts[1].isdigit():
        raise invalid
    name, raw_expiry, nonce, mac = parts
    try:
        user = base64.urlsafe_b64decode(name + "=" * (-len(name) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise invalid from None
    expires_at = int(raw_expiry)
    if not hmac.compare_digest(mac, _mac(key, sdkappid, user, expires_at, nonce)):
        raise invalid
    if now > expires_at:
        raise ApiError(Code.SIG_EXPIRED, "a2: the session ended with its UserSig; log in again")
    return SessionToken(user, expires_at, token)
