"""Console sessions: signed tokens, their CSRF tokens, and sign-out.

A session is a token in an HttpOnly cookie, signed with a key derived from the app's secret key
(``HMAC(app key, "relchain console session v1")``). Nothing is stored on the server, so every
process of a deployment reads the same sessions; changing the app's key ends every session of
that app, and so does removing the admin. A token says which app and admin, when it was issued,
when it expires (never later than the UserSig it was opened with) and a random id.

The CSRF token of a session is ``HMAC(derived key, "csrf:" + id)``: the page sends it back in a
header (or a form field) with every state-changing request; a cross-site page cannot read it.

Sign-out clears the cookie and remembers the token's id until it expires, in this process
(:class:`SignedOut`); docs/console.md says what that means with several processes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from dataclasses import dataclass

import orjson

from relchain.domain.apps import App

__all__ = [
    "INT64_MAX",
    "Session",
    "SignedOut",
    "csrf_matches",
    "issue",
    "peek_sdkappid",
    "verify",
]

_VERSION = "v1"
_CONTEXT = b"relchain console session v1"
MAX_TOKEN_LENGTH = 1024
INT64_MAX = 2**63 - 1


@dataclass(frozen=True, slots=True)
class Session:
    """A verified console session: who signed in to which app, and until when."""

    sdkappid: int
    admin: str
    issued_at: int
    expires_at: int
    id: str
    csrf: str


def _derived_key(app: App) -> bytes:
    return hmac.new(app.key.encode("utf-8"), _CONTEXT, hashlib.sha256).digest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(key: bytes, message: str) -> str:
    return _b64(hmac.new(key, message.encode("ascii"), hashlib.sha256).digest())


def _csrf(key: bytes, session_id: str) -> str:
    return _sign(key, f"csrf:{session_id}")


def issue(app: App, admin: str, now: int, expires_at: int) -> tuple[str, Session]:
    """A new session token for ``admin`` of ``app``, and the session it stands for."""
    session_id = secrets.token_urlsafe(18)
    payload = _b64(
        orjson.dumps({"a": app.sdkappid, "u": admin, "i": now, "e": expires_at, "n": session_id})
    )
    key = _derived_key(app)
    token = f"{_VERSION}.{payload}.{_sign(key, f'{_VERSION}.{payload}')}"
    return token, Session(app.sdkappid, admin, now, expires_at, session_id, _csrf(key, session_id))


def _payload(token: str) -> dict[str, object] | None:
    if len(token) > MAX_TOKEN_LENGTH:
        return None
    version, _, rest = token.partition(".")
    payload, _, _sig = rest.partition(".")
    if version != _VERSION or not payload:
        return None
    try:
        data = orjson.loads(_unb64(payload))
    except (binascii.Error, ValueError):
        return None
    return data if isinstance(data, dict) else None


def peek_sdkappid(token: str) -> int | None:
    """The app a token claims to belong to (unverified: only to find the key to verify it)."""
    data = _payload(token)
    sdkappid = data.get("a") if data else None
    if not isinstance(sdkappid, int) or isinstance(sdkappid, bool):
        return None
    return sdkappid if 0 < sdkappid <= INT64_MAX else None  # what a database can look up


def verify(token: str, app: App, now: int) -> Session | None:
    """The session of a token that ``app``'s key signed, that has not expired and whose admin is
    still an admin; ``None`` otherwise."""
    data = _payload(token)
    if data is None:
        return None
    signed, _, sig = token.rpartition(".")
    key = _derived_key(app)
    if not hmac.compare_digest(_sign(key, signed).encode("ascii"), sig.encode("utf-8", "replace")):
        return None
    admin, issued, expires, session_id = data.get("u"), data.get("i"), data.get("e"), data.get("n")
    if not (
        data.get("a") == app.sdkappid
        and isinstance(admin, str)
        and isinstance(issued, int)
        and isinstance(expires, int)
        and isinstance(session_id, str)
    ):
        return None
    if now >= expires or not app.is_admin(admin):
        return None
    return Session(app.sdkappid, admin, issued, expires, session_id, _csrf(key, session_id))


def csrf_matches(session: Session, given: str) -> bool:
    """Whether ``given`` is this session's CSRF token (constant-time)."""
    return hmac.compare_digest(session.csrf.encode("ascii"), given.encode("utf-8", "replace"))


class SignedOut:
    """Ids of sessions signed out in this process, kept until the sessions would have expired."""

    def __init__(self, max_size: int = 100_000) -> None:
        self._until: dict[str, int] = {}
        self._max_size = max_size

    def add(self, session: Session, now: int) -> None:
        if len(self._until) >= self._max_size:
            self._until = {k: v for k, v in self._until.items() if v > now}
        self._until[session.id] = session.expires_at

    def __contains__(self, session: Session) -> bool:
        return session.id in self._until
