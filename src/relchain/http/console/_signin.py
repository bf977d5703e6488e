"""Signing in and out of the console.

Sign-in takes an SDKAppID, an admin identifier and either the app's secret key or a UserSig of
that admin. The server checks the credential once (the key with a constant-time compare, a
UserSig with the same checks as the REST API) and opens a session (:mod:`._sessions`); the
credential is neither stored nor logged. The form is protected against login CSRF by a random
token held both in a cookie and in the form, and by the same-origin check.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from relchain.auth.usersig import SigError, verify_usersig
from relchain.domain.apps import App
from relchain.http.console._guard import (
    CSRF_HEADER,
    LOGIN_COOKIE,
    SESSION_COOKIE,
    BodyTooLarge,
    context,
    cross_site,
    current_session,
    read_body,
    same_token,
    secure,
    set_cookie,
)
from relchain.http.console._pages import sign_in_page
from relchain.http.console._sessions import INT64_MAX, SignedOut, csrf_matches, issue

__all__ = ["ConsoleState", "read_form", "sign_in", "sign_in_form", "sign_out"]

log = logging.getLogger("relchain.console")

MAX_FORM_BYTES = 16 * 1024
SIGN_IN_RATE = 5  # sign-in attempts per second per app (5 at once), across processes with Redis
LOGIN_COOKIE_SECONDS = 3600


@dataclass
class ConsoleState:
    """What the console keeps in one process."""

    signed_out: SignedOut = field(default_factory=SignedOut)


class Refused(Exception):
    """A credential that does not open a session; the message says why (shown on the form)."""


async def read_form(request: Request) -> dict[str, str]:
    """An ``application/x-www-form-urlencoded`` body (first value of each name), at most
    :data:`MAX_FORM_BYTES` (else :class:`BodyTooLarge`)."""
    raw = await read_body(request, MAX_FORM_BYTES)
    form: dict[str, str] = {}
    for name, value in parse_qsl(raw.decode("utf-8", "replace")):
        form.setdefault(name, value)
    return form


def redirect(location: str) -> Response:
    return secure(RedirectResponse(location, status_code=303))


def form_page(
    request: Request, message: str = "", status: int = 200, values: dict[str, str] | None = None
) -> Response:
    """The sign-in form, with a login-CSRF token in a cookie and in the form."""
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)
    response = HTMLResponse(sign_in_page(token, message, values or {}), status)
    set_cookie(response, request, LOGIN_COOKIE, token, LOGIN_COOKIE_SECONDS)
    return secure(response)


async def sign_in_form(state: ConsoleState, request: Request) -> Response:
    if await current_session(request, state.signed_out) is not None:
        return redirect("/console")
    return form_page(request)


async def sign_in(state: ConsoleState, request: Request) -> Response:
    if cross_site(request):
        return form_page(request, "Refused: the form was sent from another site.", 403)
    try:
        form = await read_form(request)
    except BodyTooLarge:
        return form_page(request, "Refused: the form is too large.", 413)
    values = {k: form.get(k, "").strip() for k in ("sdkappid", "identifier", "kind")}
    if not same_token(request.cookies.get(LOGIN_COOKIE, ""), form.get("csrf")) or not form.get(
        "csrf"
    ):
        return form_page(request, "The sign-in form expired: please sign in again.", 403, values)
    raw_app, identifier, kind = values["sdkappid"], values["identifier"], values["kind"]
    secret = form.get("secret", "").strip()
    digits = raw_app.isascii() and raw_app.isdigit() and len(raw_app) <= 19
    if not (digits and 0 < int(raw_app) <= INT64_MAX):
        return form_page(request, f"SDKAppID: must be a number from 1 to {INT64_MAX}.", 400, values)
    if not identifier or not secret or kind not in ("key", "usersig"):
        return form_page(request, "Give the admin identifier and a key or UserSig.", 400, values)
    ctx = context(request)
    sdkappid = int(raw_app)
    if not await ctx.limiter.allow(sdkappid, "console/sign-in", SIGN_IN_RATE, 100):
        return form_page(request, "Too many sign-in attempts: wait a second.", 429, values)
    now = int(ctx.clock.now())
    app = await ctx.apps.get(sdkappid)
    if app is None:
        return form_page(request, f"No app has SDKAppID {sdkappid}.", 401, values)
    try:
        valid_until = check_credential(app, identifier, kind, secret, now)
    except Refused as exc:
        log.warning("console: refused sign-in to app %s as %r (%s)", sdkappid, identifier, kind)
        return form_page(request, str(exc), 401, values)
    expires_at = min(now + ctx.config.console_session_seconds, valid_until)
    token, _session = issue(app, identifier, now, expires_at)
    log.info("console: %r signed in to app %s (%s)", identifier, sdkappid, kind)
    response = redirect("/console")
    set_cookie(response, request, SESSION_COOKIE, token, expires_at - now)
    response.delete_cookie(LOGIN_COOKIE, path="/console")
    return response


def check_credential(app: App, identifier: str, kind: str, secret: str, now: int) -> int:
    """Until when a session opened with this credential may last (a UserSig's expiry; a key
    sets no bound); raises :class:`Refused` saying why it opens none."""
    if kind == "key":
        good_key = hmac.compare_digest(app.key.encode("utf-8"), secret.encode("utf-8"))
        if not good_key or not app.is_admin(identifier):
            raise Refused(
                f"Wrong secret key, or {identifier!r} is not an admin of app {app.sdkappid}."
            )
        return 2**62
    try:
        verified = verify_usersig(secret, app.key, app.sdkappid, identifier, now)
    except SigError as exc:
        raise Refused(f"UserSig refused ({int(exc.code)}): {exc.reason}") from None
    if not app.is_admin(identifier):
        raise Refused(f"{identifier!r} is not an admin of app {app.sdkappid}.")
    return verified.expires_at


async def sign_out(state: ConsoleState, request: Request) -> Response:
    found = await current_session(request, state.signed_out)
    if found is not None:
        session, _app = found
        if cross_site(request):
            return secure(Response("cross-site request refused", 403))
        try:
            form = await read_form(request)
        except BodyTooLarge:
            return secure(Response("form too large", 413))
        given = request.headers.get(CSRF_HEADER) or form.get("csrf", "")
        if not csrf_matches(session, given):
            return secure(Response("missing or wrong CSRF token", 403))
        state.signed_out.add(session, int(context(request).clock.now()))
        log.info("console: %r signed out of app %s", session.admin, session.sdkappid)
    response = redirect("/console/sign-in")
    response.delete_cookie(SESSION_COOKIE, path="/console")
    return response
