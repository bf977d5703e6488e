"""The console in a real browser (Debian's Chromium, driven by Playwright) against a real
``relchain serve``: sign-in, the API tool, the user explorer, settings, phone width, sign-out.
Screenshots go to build/console-screenshots/ (the best ones are copied to docs/images/)."""

from __future__ import annotations

import json
import shlex
import subprocess
from typing import Any

import pytest
from playwright.sync_api import expect

from relchain.domain.apps import AppSettings
from relchain.domain.errors import MEANINGS, Code
from relchain.http.routes import BY_PATH
from tests.console.browser_support import PHONE, console_page, sign_in
from tests.console.conftest import KEY, ROOT, SDKAPPID, Console
from tests.processes import relchain

pytestmark = pytest.mark.e2e

FANS = [f"fan{n:02d}" for n in range(45)]


@pytest.fixture(scope="module")
def star(console: Console) -> str:
    """``star``, followed by 45 fans (three pages of 20), with a friend and a blocked account."""
    console.rest("im_open_login_svc/multiaccount_import", {"Accounts": ["star", *FANS]})
    for fan in FANS:
        console.rest(
            "follow/follow_add", {"From_Account": fan, "FollowItem": [{"To_Account": "star"}]}
        )
    console.rest(
        "follow/follow_add", {"From_Account": "star", "FollowItem": [{"To_Account": "fan00"}]}
    )
    console.rest(
        "sns/friend_add",
        {
            "From_Account": "star",
            "AddFriendItem": [{"To_Account": "fan01", "Remark": "first fan", "GroupName": "Fans",
                               "AddSource": "AddSource_Type_Test"}],
            "ForceAddFlags": 1,
        },
    )  # fmt: skip
    console.rest("sns/black_list_add", {"From_Account": "star", "To_Account": ["fan44"]})
    return "star"


def test_without_a_session_only_sign_in_is_served_and_the_keyboard_signs_in(
    browser: Any, console: Console, screenshots: Any
) -> None:
    with console_page(browser, console) as page:
        page.goto(f"{console.url}/console#/settings")
        assert page.url.split("#")[0] == f"{console.url}/console/sign-in"
        response = page.request.get(f"{console.url}/console/static/js/main.js")
        assert response.status == 401
        page.get_by_label("Secret key or UserSig").fill("wrong key")
        page.get_by_label("SDKAppID").fill(str(SDKAPPID))
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_contain_text("Wrong secret key")
        page.screenshot(path=screenshots / "sign-in.png")
        # keyboard only: SDKAppID keeps its value; Tab to identifier, to the radio group, to the key
        page.get_by_label("SDKAppID").focus()
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        page.keyboard.type(KEY)
        page.keyboard.press("Enter")
        expect(page.get_by_role("navigation", name="Console")).to_be_visible()
        expect(page.locator(".who")).to_contain_text(str(SDKAPPID))
        # the whole console works from the keyboard: Tab reaches the navigation, Enter follows it
        page.get_by_role("link", name="Settings").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="App settings")).to_be_focused()


def test_the_api_tool_sends_documented_samples_explains_codes_and_gives_curl(
    browser: Any, console: Console, screenshots: Any
) -> None:
    with console_page(browser, console) as page:
        sign_in(page, console)
        api = page.get_by_label("API", exact=True)
        body = page.get_by_label("Request body")
        code = page.get_by_test_id("error-code")
        for path in ("im_open_login_svc/multiaccount_import", "follow/follow_add"):
            api.select_option(path)
            assert body.input_value() == BY_PATH[path].sample  # verbatim, as documented
            page.get_by_role("button", name="Send").click()
            expect(code).to_have_text("ErrorCode 0")
            expect(page.get_by_label("Response body")).to_contain_text('"ActionStatus": "OK"')
        # follow_get's sample has the documented trailing comma: sent as is, accepted
        api.select_option("follow/follow_get")
        assert body.input_value().endswith(",}")
        body.fill(body.input_value().replace('"FollowType":1', '"FollowType":2'))
        page.get_by_role("button", name="Send").click()
        expect(page.get_by_label("Response body")).to_contain_text('"NextCursor": ""')

        # the curl line repeats the call exactly
        curl = page.get_by_test_id("curl").inner_text()
        assert curl.startswith(f"curl -s -X POST '{console.url}/v4/follow/follow_get?sdkappid=")
        out = subprocess.run(
            shlex.split(curl), capture_output=True, text=True, timeout=30, check=True
        )
        following = {item["To_Account"] for item in json.loads(out.stdout)["FollowItem"]}
        assert following == {"UserID_002", "UserID_003"}

        # an error is explained from relchain's error table
        api.select_option("follow/follow_add")
        body.fill('{"From_Account":"nobody","FollowItem":[{"To_Account":"UserID_002"}]}')
        body.press("Control+Enter")
        expect(code).to_have_text("ErrorCode 30003")
        expect(page.get_by_test_id("meaning").first).to_have_text(
            MEANINGS[Code.SNS_ACCOUNT_NOT_FOUND]
        )
        page.screenshot(path=screenshots / "api-tool.png", full_page=True)

        # the history keeps every request of this tab; one click restores a request
        history = page.get_by_role("region", name="History", exact=True).get_by_role("listitem")
        expect(history).to_have_count(4)
        history.last.get_by_role("button").click()
        expect(api).to_have_value("im_open_login_svc/multiaccount_import")
        assert body.input_value() == BY_PATH["im_open_login_svc/multiaccount_import"].sample


def follow_rows(page: Any, kind: int) -> list[str]:
    return (
        page.get_by_test_id(f"follow-list-{kind}")
        .locator("tbody tr td:first-child")
        .all_inner_texts()
    )


def test_the_explorer_pages_followers_with_the_real_cursors(
    browser: Any, console: Console, star: str, screenshots: Any
) -> None:
    with console_page(browser, console) as page:
        sign_in(page, console)
        page.get_by_role("link", name="Users").click()
        page.get_by_label("UserID").fill(star)
        page.get_by_role("button", name="Open").click()
        expect(page.get_by_test_id("followers-count")).to_have_text("45")
        expect(page.get_by_test_id("following-count")).to_have_text("1")
        expect(page.get_by_test_id("mutual-count")).to_have_text("1")
        pages = page.get_by_test_id("follow-list-1")
        seen: list[str] = []
        for number, size in ((1, 20), (2, 20), (3, 5)):
            expect(pages.get_by_test_id("page-number")).to_have_text(f"Page {number}")
            rows = follow_rows(page, 1)
            assert len(rows) == size
            seen += rows
            if number < 3:
                pages.get_by_role("button", name="Next page").click()
        expect(pages.get_by_role("button", name="Next page")).to_be_disabled()
        assert sorted(seen) == FANS  # every follower once, newest first, across three cursors
        pages.get_by_role("button", name="Previous page").click()
        expect(pages.get_by_test_id("page-number")).to_have_text("Page 2")
        assert follow_rows(page, 1) == seen[20:40]

        friends = page.get_by_role("region", name="Friends", exact=True)
        expect(friends.locator("tbody tr")).to_have_count(1)
        expect(friends.locator("tbody")).to_contain_text("first fan")
        expect(
            page.get_by_role("region", name="Blocklist", exact=True).locator("tbody")
        ).to_contain_text("fan44")
        expect(
            page.get_by_role("region", name="Friend lists", exact=True).locator("tbody")
        ).to_contain_text("Fans")
        page.get_by_role("region", name="Follows", exact=True).get_by_role(
            "button", name="Mutual"
        ).click()
        expect(page.get_by_test_id("follow-list-3").locator("tbody tr")).to_have_count(1)
        page.screenshot(path=screenshots / "user-explorer.png", full_page=True)


def test_following_blocking_and_editing_from_the_explorer_change_the_account(
    browser: Any, console: Console, star: str
) -> None:
    console.rest("im_open_login_svc/account_import", {"UserID": "walker"})
    with console_page(browser, console) as page:
        sign_in(page, console)
        page.goto(f"{console.url}/console#/users/walker")
        expect(page.get_by_test_id("following-count")).to_have_text("0")
        actions = page.get_by_role("form", name="Act as walker")
        actions.get_by_label("Other account").fill(star)
        actions.get_by_role("button", name="Follow", exact=True).click()
        expect(actions.get_by_role("status")).to_have_text("Follow star: Done.")
        expect(page.get_by_test_id("following-count")).to_have_text("1")
        page.get_by_role("region", name="Follows", exact=True).get_by_role(
            "button", name="Following"
        ).click()
        expect(page.get_by_test_id("follow-list-2").locator("tbody")).to_contain_text(star)

        actions.get_by_role("button", name="Block", exact=True).click()
        expect(
            page.get_by_role("region", name="Blocklist", exact=True).locator("tbody")
        ).to_contain_text(star)
        actions.get_by_label("Other account").fill("nobody")
        actions.get_by_role("button", name="Follow", exact=True).click()
        expect(actions.get_by_role("alert")).to_contain_text("30003")

        actions.get_by_label("Other account").fill("fan03")
        actions.get_by_role("button", name="Add as friend").click()
        friends = page.get_by_role("region", name="Friends", exact=True)
        expect(friends.locator("tbody")).to_contain_text("fan03")
        friends.get_by_role("button", name="Edit").click()
        page.get_by_label("Remark for fan03").fill("trail buddy")
        page.get_by_label("Friend lists (comma-separated)").fill("Hikers, Runners")
        page.get_by_role("button", name="Save friend").click()
        expect(friends.locator("tbody")).to_contain_text("trail buddy")
        expect(friends.locator("tbody")).to_contain_text("Hikers, Runners")
        friends.get_by_role("button", name="Delete").click()
        expect(friends).to_contain_text("No friends.")

        lists = page.get_by_role("region", name="Friend lists", exact=True)
        expect(lists.locator("tbody")).to_contain_text("Runners")  # made by the friend's edit
        lists.get_by_label("New friend list").fill("Climbers")
        lists.get_by_role("button", name="Add list").click()
        expect(lists.locator("tbody")).to_contain_text("Climbers")
        for name in ("Climbers", "Hikers", "Runners"):
            lists.get_by_role("button", name=f"Delete list {name}").click()
        expect(lists).to_contain_text("No friend lists.")

        page.get_by_role("button", name="Edit profile").click()
        page.get_by_label("Nick").fill("Walker W")
        page.get_by_role("button", name="Save profile").click()
        expect(
            page.get_by_role("region", name="Profile", exact=True).locator("tbody")
        ).to_contain_text("Walker W")

        # the followed account's counts changed too
        page.get_by_test_id("follow-list-2").get_by_role("button", name=star).click()
        expect(page.get_by_role("heading", name=star, exact=True)).to_be_visible()
        expect(page.get_by_test_id("followers-count")).to_have_text("46")
        # and unfollowing from the list undoes it
        page.goto(f"{console.url}/console#/users/walker")
        page.get_by_role("region", name="Follows", exact=True).get_by_role(
            "button", name="Following"
        ).click()
        page.get_by_test_id("follow-list-2").get_by_role("button", name="Unfollow").click()
        expect(page.get_by_test_id("following-count")).to_have_text("0")


def test_a_bad_setting_value_shows_the_servers_validation_message(
    browser: Any, console: Console, screenshots: Any
) -> None:
    with pytest.raises(ValueError, match="max_friends") as refused:
        AppSettings().with_setting("max_friends", "lots", frozenset(BY_PATH))
    with console_page(browser, console) as page:
        sign_in(page, console)
        page.get_by_role("link", name="Settings").click()
        setting = page.locator("form[data-setting=max_friends]")
        setting.get_by_role("textbox").fill("lots")
        setting.get_by_role("button", name="Save").click()
        expect(setting.get_by_role("alert")).to_have_text(str(refused.value))
        expect(setting.get_by_role("textbox")).to_have_attribute("aria-invalid", "true")
        page.screenshot(path=screenshots / "settings.png", full_page=True)
        setting.get_by_role("textbox").fill("2500")
        setting.get_by_role("button", name="Save").click()
        expect(setting.get_by_role("status")).to_have_text("Saved.")
    shown = json.loads(relchain("app", "show", str(SDKAPPID), "--database", console.database))
    assert shown["settings"]["max_friends"] == 2500


def test_every_page_fits_a_phone_screen(
    browser: Any, console: Console, star: str, screenshots: Any
) -> None:
    with console_page(browser, console, viewport=PHONE) as page:
        sign_in(page, console)
        for name, route, ready in (
            ("api-tool", "api", "REST API debugging tool"),
            ("user-explorer", f"users/{star}", "Follows"),
            ("settings", "settings", "App settings"),
        ):
            page.goto(f"{console.url}/console#/{route}")
            expect(page.get_by_role("heading", name=ready)).to_be_visible()
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name} is {overflow}px wider than a phone"
            page.screenshot(path=screenshots / f"phone-{name}.png")  # what a phone shows first


def test_signing_out_ends_the_session(browser: Any, console: Console) -> None:
    with console_page(browser, console) as page:
        sign_in(page, console)
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(f"{console.url}/console/sign-in")
        page.goto(f"{console.url}/console")
        assert page.url == f"{console.url}/console/sign-in"
        assert page.request.get(f"{console.url}/console/static/js/main.js").status == 401


def test_load_time_is_measured(browser: Any, console: Console) -> None:
    """Measures (does not assert) how long the console takes to load and render, cold (first
    load after sign-in, empty cache) and warm (a reload); written to build/console-load.json."""
    timing = """() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const ready = performance.getEntriesByName('console-ready')[0];
        return {dom_content_loaded_ms: Math.round(nav.domContentLoadedEventEnd),
                load_ms: Math.round(nav.loadEventEnd),
                rendered_ms: Math.round(ready.startTime)};
    }"""
    wait = "() => performance.getEntriesByName('console-ready').length > 0"
    with console_page(browser, console) as page:
        sign_in(page, console)
        page.wait_for_function(wait)
        cold = page.evaluate(timing)
        page.reload()
        page.wait_for_function(wait)
        warm = page.evaluate(timing)
    figures = {"cold": cold, "warm": warm}
    out = ROOT / "build" / "console-load.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"console load times: {figures}")
    assert cold["rendered_ms"] > 0 and warm["rendered_ms"] > 0


def test_pending_friend_requests_are_shown_both_ways_and_answered_from_the_explorer(
    browser: Any, console: Console
) -> None:
    console.rest("im_open_login_svc/multiaccount_import", {"Accounts": ["suitor", "shy"]})
    with console_page(browser, console) as page:
        sign_in(page, console)
        page.goto(f"{console.url}/console#/users/suitor")
        actions = page.get_by_role("form", name="Act as suitor")
        actions.get_by_label("Other account").fill("shy")
        actions.get_by_role("button", name="Send friend request").click()
        expect(actions.get_by_role("status")).to_contain_text("30539")  # shy must accept
        requests = page.get_by_role("region", name="Friend requests", exact=True)
        expect(requests.locator("tbody tr")).to_have_count(1)
        expect(requests.locator("tbody")).to_contain_text("from this account")

        requests.get_by_role("button", name="shy").click()
        expect(page.get_by_role("heading", name="shy", exact=True)).to_be_visible()
        requests = page.get_by_role("region", name="Friend requests", exact=True)
        expect(requests.locator("tbody")).to_contain_text("to this account")
        requests.get_by_role("button", name="Accept").click()
        expect(requests.get_by_role("status")).to_have_text("Accepted the request of suitor.")
        expect(requests).to_contain_text("No pending friend request.")
        friends = page.get_by_role("region", name="Friends", exact=True)
        expect(friends.locator("tbody")).to_contain_text("suitor")
