"""Console sign-in, sessions and sign-out over HTTP (in-process, frozen clock, every backend)."""

from __future__ import annotations

import base64
import logging
from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest

from relchain.auth.usersig import generate_usersig, verify_usersig
from relchain.domain.apps import App
from relchain.domain.errors import MEANINGS
from relchain.http.routes import APIS
from relchain.ports import Store
from tests.console.http_support import (
    ORIGIN,
    SESSION_SECONDS,
    boot_data,
    console_http,
    login_token,
    sign_in,
)
from tests.support import ADMIN, KEY, SDKAPPID, T0, FrozenClock


@pytest.fixture
async def http(store: Store, clock: FrozenClock, app: App) -> AsyncIterator[httpx.AsyncClient]:
    async with console_http(store, clock) as client:
        yield client


async def test_without_a_session_only_the_sign_in_page_is_served(http: httpx.AsyncClient) -> None:
    home = await http.get("/console")
    assert home.status_code == 303 and home.headers["location"] == "/console/sign-in"
    form = await http.get("/console/sign-in")
    assert form.status_code == 200 and 'action="/console/sign-in"' in form.text
    assert (await http.get("/console/static/console.css")).status_code == 200  # its stylesheet
    for private in (
        "/console/static/js/main.js",
        "/console/static/vendor/preact.mjs",
        "/console/api/settings",
    ):
        assert (await http.get(private)).status_code == 401, private
    refused = await http.post("/console/api/settings", json={"name": "max_friends", "value": "1"})
    assert refused.status_code == 401


async def test_every_console_answer_forbids_framing_and_foreign_scripts(
    http: httpx.AsyncClient,
) -> None:
    for path in ("/console", "/console/sign-in", "/console/static/console.css"):
        headers = (await http.get(path)).headers
        assert headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "script-src 'self' 'sha256-" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


async def test_signing_in_with_the_key_opens_a_session_whose_page_never_holds_the_key(
    http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    done = await sign_in(http)
    assert done.status_code == 303 and done.headers["location"] == "/console"
    cookie = next(
        c for c in done.headers.get_list("set-cookie") if c.startswith("relchain_console=")
    )
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/console" in cookie
    assert f"Max-Age={SESSION_SECONDS}" in cookie
    page = await http.get("/console")
    assert page.status_code == 200
    assert KEY not in page.text
    boot = boot_data(page)
    assert boot["sdkappid"] == SDKAPPID and boot["admin"] == ADMIN
    assert boot["expiresAt"] == T0 + SESSION_SECONDS
    # the page's UserSig is the admin's, valid exactly as long as the session
    sig = verify_usersig(str(boot["usersig"]), KEY, SDKAPPID, ADMIN, T0)
    assert sig.expires_at == T0 + SESSION_SECONDS
    assert boot["apis"] == [{"path": a.path, "sample": a.sample} for a in APIS]
    assert boot["errors"] == {str(int(code)): text for code, text in MEANINGS.items()}
    assert all(KEY not in record.getMessage() for record in caplog.records)
    assert any("signed in" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({"secret": "not the key"}, 401, "Wrong secret key, or &#x27;admin&#x27; is not an admin"),
        (
            {"identifier": "someone"},
            401,
            "Wrong secret key, or &#x27;someone&#x27; is not an admin",
        ),
        ({"sdkappid": "1400999999"}, 401, "No app has SDKAppID 1400999999."),
        ({"sdkappid": "14x"}, 400, "SDKAppID: must be a number from 1 to"),
        ({"sdkappid": "9999999999999999999"}, 400, "SDKAppID: must be a number from 1 to"),
        ({"sdkappid": "0"}, 400, "SDKAppID: must be a number from 1 to"),
        ({"sdkappid": "1" * 5000}, 400, "SDKAppID: must be a number from 1 to"),
        ({"secret": ""}, 400, "Give the admin identifier and a key or UserSig."),
        ({"kind": "password"}, 400, "Give the admin identifier and a key or UserSig."),
    ],
)
async def test_a_refused_sign_in_says_why_and_opens_no_session(
    http: httpx.AsyncClient,
    caplog: pytest.LogCaptureFixture,
    form: dict[str, str],
    status: int,
    message: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    done = await sign_in(http, **form)  # type: ignore[arg-type]
    assert done.status_code == status
    assert message in done.text
    assert "relchain_console=" not in done.headers.get("set-cookie", "")
    assert (await http.get("/console")).status_code == 303
    assert all(
        "not the key" not in r.getMessage() and KEY not in r.getMessage() for r in caplog.records
    )


async def test_a_usersig_opens_a_session_that_ends_with_it(
    http: httpx.AsyncClient, clock: FrozenClock
) -> None:
    sig = generate_usersig(KEY, SDKAPPID, ADMIN, 600, T0 - 100)
    done = await sign_in(http, sig, kind="usersig")
    assert done.status_code == 303
    boot = boot_data(await http.get("/console"))
    assert boot["expiresAt"] == T0 + 500  # the UserSig's end, before the session's own
    clock.advance(499)
    assert (await http.get("/console")).status_code == 200
    clock.advance(1)
    assert (await http.get("/console")).status_code == 303


@pytest.mark.parametrize(
    ("sig", "identifier", "message"),
    [
        (generate_usersig(KEY, SDKAPPID, ADMIN, 60, T0 - 120), ADMIN, "UserSig refused (70001)"),
        (generate_usersig("other key", SDKAPPID, ADMIN, 60, T0), ADMIN, "UserSig refused (70009)"),
        (generate_usersig(KEY, SDKAPPID, "bob", 60, T0), ADMIN, "UserSig refused (70013)"),
        (generate_usersig(KEY, 1400999999, ADMIN, 60, T0), ADMIN, "UserSig refused (70014)"),
        ("garbage", ADMIN, "UserSig refused (70003)"),
        (generate_usersig(KEY, SDKAPPID, "bob", 60, T0), "bob", "&#x27;bob&#x27; is not an admin"),
    ],
)
async def test_a_usersig_is_checked_as_the_rest_api_checks_it(
    http: httpx.AsyncClient, sig: str, identifier: str, message: str
) -> None:
    done = await sign_in(http, sig, kind="usersig", identifier=identifier)
    assert done.status_code == 401
    assert message in done.text


async def test_a_session_expires(http: httpx.AsyncClient, clock: FrozenClock) -> None:
    await sign_in(http)
    clock.advance(SESSION_SECONDS - 1)
    assert (await http.get("/console")).status_code == 200
    assert (await http.get("/console/api/settings")).status_code == 200
    clock.advance(1)
    home = await http.get("/console")
    assert home.status_code == 303 and home.headers["location"] == "/console/sign-in"
    assert (await http.get("/console/api/settings")).status_code == 401
    assert (await http.get("/console/static/js/main.js")).status_code == 401


async def test_changing_the_key_or_the_admins_ends_the_sessions(
    http: httpx.AsyncClient, store: Store, app: App
) -> None:
    await sign_in(http)
    assert (await http.get("/console")).status_code == 200
    async with store.write() as tx:
        await tx.save_app(replace(app, key="a new key"))
    assert (await http.get("/console")).status_code == 303
    async with store.write() as tx:
        await tx.save_app(replace(app, key=KEY, admins=("someone else",)))
    assert (await http.get("/console")).status_code == 303
    async with store.write() as tx:
        await tx.save_app(app)
    assert (await http.get("/console")).status_code == 200  # the same token, valid again


async def test_the_sign_in_form_is_protected_against_cross_site_requests(
    http: httpx.AsyncClient,
) -> None:
    token = await login_token(http)
    stranger = httpx.AsyncClient(transport=http._transport, base_url=ORIGIN)  # no login cookie
    async with stranger:
        assert (await sign_in(stranger, token=token)).status_code == 403
    assert (await sign_in(http, token="forged")).status_code == 403
    assert (await sign_in(http, token="")).status_code == 403
    evil = {"origin": "https://evil.example"}
    assert (await sign_in(http, token=token, headers=evil)).status_code == 403
    cross = {"sec-fetch-site": "cross-site"}
    assert (await sign_in(http, token=token, headers=cross)).status_code == 403
    assert (await http.get("/console")).status_code == 303
    assert (await sign_in(http, token=token)).status_code == 303  # the real form works


async def test_signing_out_needs_the_csrf_token_and_ends_the_session(
    http: httpx.AsyncClient,
) -> None:
    await sign_in(http)
    boot = boot_data(await http.get("/console"))
    token = http.cookies["relchain_console"]
    refused = await http.post("/console/sign-out", headers={"origin": ORIGIN})
    assert refused.status_code == 403
    refused = await http.post(
        "/console/sign-out", data={"csrf": str(boot["csrf"])}, headers={"origin": "http://evil"}
    )
    assert refused.status_code == 403
    assert (await http.get("/console")).status_code == 200
    done = await http.post("/console/sign-out", data={"csrf": str(boot["csrf"])})
    assert done.status_code == 303 and done.headers["location"] == "/console/sign-in"
    assert (await http.get("/console")).status_code == 303
    # the signed-out token, replayed, opens nothing
    http.cookies.set("relchain_console", token, path="/console")
    assert (await http.get("/console")).status_code == 303
    assert (await http.get("/console/api/settings")).status_code == 401


async def test_sign_in_attempts_are_rate_limited_per_app(http: httpx.AsyncClient) -> None:
    codes = [(await sign_in(http, "wrong")).status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]


@pytest.mark.parametrize("sdkappid", [0, -1, 2**63, 10**30])
async def test_a_forged_cookie_naming_an_impossible_app_is_only_refused(
    http: httpx.AsyncClient, sdkappid: int
) -> None:
    payload = f'{{"a":{sdkappid},"u":"{ADMIN}","i":{T0},"e":{T0 + 60},"n":"x"}}'.encode()
    token = "v1." + base64.urlsafe_b64encode(payload).rstrip(b"=").decode() + ".sig"
    http.cookies.set("relchain_console", token, path="/console")
    assert (await http.get("/console")).status_code == 303
    assert (await http.get("/console/api/settings")).status_code == 401
