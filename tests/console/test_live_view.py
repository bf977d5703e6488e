"""The console's live view in a real browser (Debian's Chromium, driven by Playwright) against a
real ``relchain serve``: the event log streams into the page as changes commit, filtered by
account and kind, and the explorer's counts follow changes made elsewhere."""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.console.browser_support import PHONE, console_page, sign_in
from tests.console.conftest import SDKAPPID, Console
from tests.processes import relchain

pytestmark = pytest.mark.e2e


def events_table(page: Any) -> Any:
    return page.locator("[data-live-events] tbody")


def test_following_from_the_explorer_streams_into_the_live_view_and_moves_the_counts(
    browser: Any, console: Console, screenshots: Any
) -> None:
    console.rest("im_open_login_svc/multiaccount_import", {"Accounts": ["lv_star", "lv_fan"]})
    with console_page(browser, console) as live, console_page(browser, console) as explorer:
        sign_in(live, console)
        live.goto(f"{console.url}/console#/live")
        expect(live.get_by_role("heading", name="Live events")).to_be_visible()
        # it opens with the newest events of the log: the import just made
        expect(events_table(live)).to_contain_text("account.imported")
        expect(live.locator("[data-stream]")).to_have_attribute("data-stream", "live")

        sign_in(explorer, console)
        explorer.goto(f"{console.url}/console#/users/lv_star")
        expect(explorer.get_by_test_id("followers-count")).to_have_text("0")
        expect(explorer.locator("[data-user]")).to_have_attribute("data-stream", "live")

        # a change made elsewhere (the REST API) reaches the open explorer without a reload
        console.rest(
            "follow/follow_add",
            {"From_Account": "lv_fan", "FollowItem": [{"To_Account": "lv_star"}]},
        )
        expect(explorer.get_by_test_id("followers-count")).to_have_text("1")
        first = events_table(live).locator("tr").first
        expect(first).to_contain_text("follow.added")
        expect(first).to_contain_text("lv_fan")
        expect(first).to_contain_text("lv_star")
        expect(first).to_contain_text("RESTAPI")

        # following from the page: the live view shows it, the counts change
        actions = explorer.get_by_role("form", name="Act as lv_star")
        actions.get_by_label("Other account").fill("lv_fan")
        actions.get_by_role("button", name="Follow", exact=True).click()
        expect(actions.get_by_role("status")).to_have_text("Follow lv_fan: Done.")
        expect(explorer.get_by_test_id("following-count")).to_have_text("1")
        first = events_table(live).locator("tr").first
        expect(first).to_contain_text("lv_star")
        expect(first).to_contain_text("mutual: lv_fan")  # they now follow each other
        live.screenshot(path=screenshots / "live-events.png", full_page=True)


def test_the_live_view_filters_by_account_and_kind(browser: Any, console: Console) -> None:
    console.rest("im_open_login_svc/multiaccount_import", {"Accounts": ["lf_a", "lf_b", "lf_c"]})
    with console_page(browser, console) as page:
        sign_in(page, console)
        page.goto(f"{console.url}/console#/live")
        form = page.get_by_role("search", name="Filter events")
        form.get_by_label("Account").fill("lf_b")
        form.get_by_label("Kind").select_option("block.added")
        form.get_by_role("button", name="Apply").click()
        expect(page.locator("[data-stream]")).to_have_attribute("data-stream", "live")
        expect(page.get_by_text("No events yet")).to_be_visible()

        console.rest("sns/black_list_add", {"From_Account": "lf_a", "To_Account": ["lf_c"]})
        console.rest(
            "follow/follow_add", {"From_Account": "lf_a", "FollowItem": [{"To_Account": "lf_b"}]}
        )
        console.rest("sns/black_list_add", {"From_Account": "lf_a", "To_Account": ["lf_b"]})
        rows = events_table(page).locator("tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("block.added")
        expect(rows.first).to_contain_text("lf_b")

        # an account link opens it in the explorer
        rows.first.get_by_role("link", name="lf_a").click()
        expect(page.get_by_role("heading", name="lf_a", exact=True)).to_be_visible()


def test_the_live_view_fits_a_phone_screen(browser: Any, console: Console) -> None:
    with console_page(browser, console, viewport=PHONE) as page:
        sign_in(page, console)
        page.goto(f"{console.url}/console#/live")
        expect(page.get_by_role("heading", name="Live events")).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the live view is {overflow}px wider than a phone"


def test_the_webhook_panel_shows_failed_deliveries_and_retries_them(
    browser: Any, console: Console
) -> None:
    """A receiver that refuses every connection: the follow's delivery fails, the panel shows it
    with its last answer, and Retry failed queues it again."""
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    relchain(
        "app", "set", str(SDKAPPID), "callback_url", f"http://127.0.0.1:{port}/callback",
        "--database", console.database,
    )  # fmt: skip
    time.sleep(2.5)  # running servers read a changed setting within app_cache_seconds (2 s)
    console.rest("im_open_login_svc/multiaccount_import", {"Accounts": ["wh_a", "wh_b"]})
    console.rest(
        "follow/follow_add", {"From_Account": "wh_a", "FollowItem": [{"To_Account": "wh_b"}]}
    )
    with console_page(browser, console) as page:
        sign_in(page, console)
        page.goto(f"{console.url}/console#/live")
        panel = page.locator("[data-webhooks]")
        expect(panel).to_contain_text(f"http://127.0.0.1:{port}/callback")
        failures = panel.get_by_role("region", name="Failed deliveries table")
        expect(failures).to_contain_text("Follow.CallbackAfterFollowAdd", timeout=20_000)
        expect(failures).to_contain_text("failed")
        panel.get_by_role("button", name="Retry failed").click()
        expect(panel.get_by_role("status")).to_contain_text("deliveries queued again")
    relchain("app", "set", str(SDKAPPID), "callback_url", "", "--database", console.database)
