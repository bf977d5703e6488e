"""Acceptance in a real browser: ``@tencentcloud/chat@3.6.6`` loaded in a page of headless
chromium, logged in to a real ``relchain serve`` through ``proxyServer``; follow and friend
calls and a push."""

from __future__ import annotations

import pytest

from tests.gateway.browser import BrowserSdk, chromium
from tests.gateway.realserver import RealServer
from tests.processes import ServeProcess

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


async def test_the_sdk_in_chromium_logs_in_follows_and_blocks(serve: ServeProcess) -> None:
    server = RealServer(serve)
    try:
        await server.import_accounts("alice", "bob", "carol")
        async with chromium() as browser:
            sdk = await BrowserSdk.start(browser, server.sdkappid, server.proxy, name="alice")
            await sdk.login("alice", server.usersig("alice"))
            followed = await sdk.call("followUser", ["bob", "carol"])
            assert [(r["userID"], r["resultCode"]) for r in followed] == [("bob", 0), ("carol", 0)]
            types = await sdk.call("checkFollowType", ["bob"])
            assert types == [{"userID": "bob", "followType": 2}]
            listed = await sdk.call("getMyFollowingList")
            assert sorted(r["userID"] for r in listed["resultList"]) == ["bob", "carol"]
            await sdk.call("addToBlacklist", {"userIDList": ["carol"]})
            assert (await sdk.call("getUserFollowInfo"))[0]["followingCount"] == 2
            assert not sdk.seen("__unhandled"), sdk.events
            await sdk.close()
        blocked = await server.ok(
            "sns/black_list_get",
            {"From_Account": "alice", "StartIndex": 0, "MaxLimited": 10, "LastSequence": 0},
        )
        assert [b["To_Account"] for b in blocked["BlackListItem"]] == ["carol"]
    finally:
        await server.http.aclose()
