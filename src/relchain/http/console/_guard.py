"""What every console request passes: the session cookie, same-origin and CSRF checks, and the
security headers of every console response."""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from relchain.domain.apps import App
from relchain.http.console._pages import CONTENT_SECURITY_POLICY
from relchain.http.console._sessions import Session, SignedOut, peek_sdkappid, verify
from relchain.http.context import ServerContext

__all__ = [
    "CSRF_HEADER",
    "LOGIN_COOKIE",
    "SESSION_COOKIE",
    "BodyTooLarge",
    "context",
    "cross_site",
    "current_session",
    "read_body",
    "same_token",
    "secure",
    "set_cookie",
]

SESSION_COOKIE = "relchain_console"
LOGIN_COOKIE = "relchain_console_login"
CSRF_HEADER = "x-csrf-token"
COOKIE_PATH = "/console"


class BodyTooLarge(Exception):
    pass


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing (:class:`BodyTooLarge`) one over ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def context(request: Request) -> ServerContext:
    ctx: ServerContext = request.app.state.ctx
    return ctx


async def current_session(request: Request, signed_out: SignedOut) -> tuple[Session, App] | None:
    """The request's valid session and its app, or ``None`` (no cookie, forged, expired,
    signed out, or the admin or the app's key changed)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    sdkappid = peek_sdkappid(token)
    if sdkappid is None:
        return None
    ctx = context(request)
    app = await ctx.apps.get(sdkappid)
    if app is None:
        return None
    session = verify(token, app, int(ctx.clock.now()))
    if session is None or session in signed_out:
        return None
    return session, app


def cross_site(request: Request) -> bool:
    """Whether a browser says this request comes from another site: an ``Origin`` whose host is
    not this server's, or ``Sec-Fetch-Site: cross-site``. Clients that send neither (curl) still
    need the CSRF token, which only the page has."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        return True
    origin = request.headers.get("origin")
    if origin is None:
        return False
    return urlsplit(origin).netloc != request.headers.get("host", "")


def same_token(expected: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(
        expected.encode("utf-8", "replace"), given.encode("utf-8", "replace")
    )


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    """An HttpOnly, SameSite=Strict cookie for ``/console`` (Secure over HTTPS)."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def secure(response: Response) -> Response:
    """The headers of every console response: no caching of private data, no framing, only
    relchain's own scripts."""
    headers = response.headers
    headers.setdefault("cache-control", "no-store")
    headers["content-security-policy"] = CONTENT_SECURITY_POLICY
    headers["x-content-type-options"] = "nosniff"
    headers["x-frame-options"] = "DENY"
    headers["referrer-policy"] = "same-origin"
    return response
