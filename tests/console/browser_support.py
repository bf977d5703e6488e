"""A Chromium page on the console that records every request and every script error, so a test
can check that nothing came from anywhere but relchain and that no script failed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.console.conftest import ADMIN, KEY, SDKAPPID, Console

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@contextmanager
def console_page(
    browser: Any, console: Console, viewport: dict[str, int] = LAPTOP
) -> Iterator[Any]:
    """A fresh browser context (no cookies) and page; on exit, asserts that every request went
    to the relchain server, that every file loaded and that no script error happened."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(10_000)
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    # a refused sign-in (401) or setting (400) logs "Failed to load resource": expected; a
    # script, stylesheet or image that fails to load is not
    page.on(
        "response",
        lambda r: (
            r.status >= 400
            and r.request.resource_type not in ("document", "fetch")
            and errors.append(f"{r.status} {r.url}")
        ),
    )
    try:
        yield page
    finally:
        context.close()
    foreign = [u for u in requests if not u.startswith((console.url + "/", "data:"))]
    assert not foreign, f"requests outside relchain: {foreign}"
    assert not errors, f"errors in the page: {errors}"


def sign_in(page: Any, console: Console, secret: str = KEY, kind: str = "key") -> None:
    """Signs in through the form, as a person would, and waits for the console to render."""
    page.goto(f"{console.url}/console")
    page.get_by_label("SDKAppID").fill(str(SDKAPPID))
    page.get_by_label("Admin identifier").fill(ADMIN)
    page.get_by_label("the app's secret key" if kind == "key" else "an admin UserSig").check()
    page.get_by_label("Secret key or UserSig").fill(secret)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Console").wait_for()
