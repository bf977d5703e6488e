"""The console's two HTML documents: the sign-in form (works without JavaScript) and the shell
that loads the page's ES modules. Both are small strings; every value is escaped."""

from __future__ import annotations

import base64
import hashlib
from html import escape
from typing import Any

import orjson

__all__ = ["CONTENT_SECURITY_POLICY", "shell_page", "sign_in_page"]

STATIC = "/console/static"

# The vendored modules are imported by bare name ("preact") inside the vendored files; an import
# map resolves those names to relchain's own copies (nothing is fetched from anywhere else).
IMPORT_MAP = orjson.dumps(
    {
        "imports": {
            "preact": f"{STATIC}/vendor/preact.mjs",
            "preact/hooks": f"{STATIC}/vendor/preact-hooks.mjs",
            "htm": f"{STATIC}/vendor/htm.mjs",
        }
    }
).decode()
_IMPORT_MAP_HASH = base64.b64encode(hashlib.sha256(IMPORT_MAP.encode()).digest()).decode()

# Only relchain's own files run; the one inline script is the import map, allowed by its hash.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; "
    f"script-src 'self' 'sha256-{_IMPORT_MAP_HASH}'; "
    "style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

# Modules the shell preloads, so the browser fetches them in parallel instead of one import
# level at a time.
MODULES = (
    "js/main.js",
    "js/ui.js",
    "js/rest.js",
    "js/debug.js",
    "js/explorer.js",
    "js/settings.js",
    "js/profile.js",
    "js/lists.js",
    "js/server.js",
    "js/gateway.js",
    "js/requests.js",
    "vendor/preact.mjs",
    "vendor/preact-hooks.mjs",
    "vendor/htm.mjs",
)

_HEAD = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{static}/console.css">
"""


def sign_in_page(login_token: str, message: str, values: dict[str, str]) -> str:
    """The sign-in form; ``message`` (if any) says why the last try failed."""
    sdkappid = escape(values.get("sdkappid", ""))
    identifier = escape(values.get("identifier", "administrator"))
    kind = values.get("kind", "key")
    alert = (
        f'<p class="alert" role="alert" id="sign-in-error">{escape(message)}</p>' if message else ""
    )
    checked_key = " checked" if kind != "usersig" else ""
    checked_sig = " checked" if kind == "usersig" else ""
    return (
        _HEAD.format(title="Sign in - relchain console", static=STATIC)
        + f"""</head>
<body class="sign-in">
<main id="main" class="card">
<h1>relchain console</h1>
<p class="muted">Sign in with an app's SDKAppID and an admin identifier.</p>
{alert}
<form method="post" action="/console/sign-in" autocomplete="off">
<input type="hidden" name="csrf" value="{escape(login_token)}">
<label for="sdkappid">SDKAppID</label>
<input id="sdkappid" name="sdkappid" inputmode="numeric" required value="{sdkappid}" autofocus>
<label for="identifier">Admin identifier</label>
<input id="identifier" name="identifier" required value="{identifier}">
<fieldset>
<legend>Sign in with</legend>
<label class="inline"><input type="radio" name="kind" value="key"{checked_key}>
 the app's secret key</label>
<label class="inline"><input type="radio" name="kind" value="usersig"{checked_sig}>
 an admin UserSig</label>
</fieldset>
<label for="secret">Secret key or UserSig</label>
<input id="secret" name="secret" type="password" required spellcheck="false">
<p class="muted small">The key is checked once by the server and never stored or logged;
the session lasts until it expires or you sign out.</p>
<button type="submit">Sign in</button>
</form>
</main>
</body>
</html>
"""
    )


def shell_page(boot: dict[str, Any]) -> str:
    """The signed-in page: the session's data as JSON, then the modules that render it."""
    data = orjson.dumps(boot).decode().replace("<", "\\u003c")  # no "</script>" or "<!--" inside
    preloads = "".join(f'<link rel="modulepreload" href="{STATIC}/{m}">\n' for m in MODULES)
    return (
        _HEAD.format(title="relchain console", static=STATIC)
        + f'<script type="importmap">{IMPORT_MAP}</script>\n'
        + preloads
        + f"""<script type="module" src="{STATIC}/js/main.js"></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<script type="application/json" id="boot">{data}</script>
<div id="app"><p class="loading">Loading the console…</p></div>
<noscript><p class="alert">The console needs JavaScript.</p></noscript>
</body>
</html>
"""
    )
