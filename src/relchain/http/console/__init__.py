"""The web console at ``/console``: sign-in, the REST API debugging tool, the user explorer, the
app's settings and the live view (docs/console.md).

The page is plain ES modules with vendored Preact and htm (``static/``), served by relchain
itself; it reads and changes data through the public REST API. The server side here only signs
in and out, hands the page its session data, and reads and changes the app's settings.
"""

from __future__ import annotations

from functools import partial

from starlette.routing import BaseRoute, Route

from relchain.http.console._data import change_setting, home, settings, static_file, user_sig
from relchain.http.console._signin import ConsoleState, sign_in, sign_in_form, sign_out

__all__ = ["console_routes"]


def console_routes() -> list[BaseRoute]:
    """Every console URL, for the app's route table."""
    state = ConsoleState()
    return [
        Route("/console", partial(home, state), methods=["GET"]),
        Route("/console/", partial(home, state), methods=["GET"]),
        Route("/console/sign-in", partial(sign_in_form, state), methods=["GET"]),
        Route("/console/sign-in", partial(sign_in, state), methods=["POST"]),
        Route("/console/sign-out", partial(sign_out, state), methods=["POST"]),
        Route("/console/api/settings", partial(settings, state), methods=["GET"]),
        Route("/console/api/settings", partial(change_setting, state), methods=["POST"]),
        Route("/console/api/usersig", partial(user_sig, state), methods=["POST"]),
        Route("/console/static/{path:path}", partial(static_file, state), methods=["GET"]),
    ]
