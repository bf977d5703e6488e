"""The signed-in console: the shell page with the session's data, the app's settings, and the
static files (served only to a session, but for the sign-in page's stylesheet).

Everything else the page shows it reads from relchain's public REST API itself, with the admin
UserSig it is given here.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.staticfiles import StaticFiles

from relchain import __version__
from relchain.auth.usersig import generate_usersig
from relchain.domain.accounts import userid_problem
from relchain.domain.apps import SETTING_DOCS, App
from relchain.domain.errors import MEANINGS
from relchain.domain.profiles import STANDARD_TAGS
from relchain.http.console._guard import (
    CSRF_HEADER,
    BodyTooLarge,
    context,
    cross_site,
    current_session,
    read_body,
    secure,
)
from relchain.http.console._pages import shell_page
from relchain.http.console._sessions import Session, csrf_matches
from relchain.http.console._signin import ConsoleState, redirect
from relchain.http.routes import APIS, BY_PATH

__all__ = [
    "Refusal",
    "change_setting",
    "home",
    "json_response",
    "refuse",
    "session_for_change",
    "settings",
    "static_file",
    "user_sig",
]

log = logging.getLogger("relchain.console")

API_COMMANDS = frozenset(BY_PATH)  # what the rate_limits setting may name, as for the CLI
PUBLIC_FILES = frozenset({"console.css"})
MAX_JSON_BYTES = 64 * 1024

_static = StaticFiles(packages=[("relchain.http.console", "static")])


def json_response(data: Any, status: int = 200) -> Response:
    return secure(JSONResponse(data, status))


def refuse(status: int, error: str) -> Response:
    return json_response({"error": error}, status)


def settings_json(app: App) -> dict[str, Any]:
    return {"settings": app.settings.shown_json(), "docs": SETTING_DOCS}


def boot_data(session: Session, app: App, now: int) -> dict[str, Any]:
    """What the page needs to start: who is signed in, a UserSig for the REST API that lasts as
    long as the session, the CSRF token, the API catalogue and the error table."""
    return {
        "version": __version__,
        "sdkappid": app.sdkappid,
        "admin": session.admin,
        "usersig": generate_usersig(
            app.key, app.sdkappid, session.admin, session.expires_at - now, now
        ),
        "expiresAt": session.expires_at,
        "csrf": session.csrf,
        "apis": [{"path": api.path, "sample": api.sample} for api in APIS],
        "errors": {str(int(code)): text for code, text in MEANINGS.items()},
        "profileTags": list(STANDARD_TAGS),
        **settings_json(app),
    }


async def home(state: ConsoleState, request: Request) -> Response:
    found = await current_session(request, state.signed_out)
    if found is None:
        return redirect("/console/sign-in")
    session, app = found
    now = int(context(request).clock.now())
    return secure(HTMLResponse(shell_page(boot_data(session, app, now))))


async def settings(state: ConsoleState, request: Request) -> Response:
    found = await current_session(request, state.signed_out)
    if found is None:
        return refuse(401, "no session: sign in at /console/sign-in")
    return json_response(settings_json(found[1]))


class Refusal(Exception):
    """A console request refused with an HTTP status and ``{"error": ...}``."""

    def __init__(self, status: int, error: str) -> None:
        super().__init__(error)
        self.status = status
        self.error = error


async def session_for_change(
    state: ConsoleState, request: Request
) -> tuple[Session, App, dict[str, Any]]:
    """What every state-changing console request passes: a session, this origin, the session's
    CSRF token, and a JSON object body (returned with the session and app); else
    :class:`Refusal`."""
    found = await current_session(request, state.signed_out)
    if found is None:
        raise Refusal(401, "no session: sign in at /console/sign-in")
    session, app = found
    if cross_site(request):
        raise Refusal(403, "cross-site request refused")
    if not csrf_matches(session, request.headers.get(CSRF_HEADER, "")):
        raise Refusal(403, f"missing or wrong CSRF token (header {CSRF_HEADER})")
    try:
        data = orjson.loads(await read_body(request, MAX_JSON_BYTES))
    except (BodyTooLarge, ValueError):
        data = None
    if not isinstance(data, dict):
        raise Refusal(400, "body: must be a JSON object")
    return session, app, data


async def change_setting(state: ConsoleState, request: Request) -> Response:
    """``{"name": ..., "value": "text"}``: one per-app setting, parsed and checked by the same
    function as ``relchain app set``; its message is the answer when the value is refused."""
    try:
        _session, app, data = await session_for_change(state, request)
        name, value = data.get("name"), data.get("value")
        if not isinstance(name, str) or not isinstance(value, str):
            raise Refusal(400, "body: must be a JSON object with the strings name and value")
        try:
            updated = await context(request).apps.set_setting(
                app.sdkappid, name, value, API_COMMANDS
            )
        except ValueError as exc:
            raise Refusal(400, str(exc)) from None
    except Refusal as refusal:
        return refuse(refusal.status, refusal.error)
    return json_response(settings_json(updated))


USER_SIG_SECONDS = 300


async def user_sig(state: ConsoleState, request: Request) -> Response:
    """``{"user": id}``: a UserSig of that user, valid 5 minutes (never beyond the session), for
    the page to act as the user on the user gateway where the REST API has no call (pending
    friend requests)."""
    try:
        session, app, data = await session_for_change(state, request)
    except Refusal as refusal:
        return refuse(refusal.status, refusal.error)
    user = data.get("user")
    problem = userid_problem(user)
    if problem:
        return refuse(400, f"user: {problem}")
    assert isinstance(user, str)
    now = int(context(request).clock.now())
    expires_at = min(now + USER_SIG_SECONDS, session.expires_at)
    log.info("console: %r made a UserSig for %r (app %s)", session.admin, user, app.sdkappid)
    sig = generate_usersig(app.key, app.sdkappid, user, expires_at - now, now)
    return json_response({"usersig": sig, "expiresAt": expires_at})


async def static_file(state: ConsoleState, request: Request) -> Response:
    path = request.path_params["path"]
    if path not in PUBLIC_FILES and await current_session(request, state.signed_out) is None:
        return secure(Response("sign in first: /console/sign-in", 401))
    response = await _static.get_response(path, request.scope)
    response.headers["cache-control"] = "no-cache"  # revalidate (ETag): a new relchain, new files
    return secure(response)
