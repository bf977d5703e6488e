"""Acceptance with the previous Web SDK, ``tim-js-sdk@2.27.6`` (its friendship build, which has
friends, requests and the blocklist, no follows), in headless chromium (it is a browser SDK: it
reads ``window`` and ``navigator`` unguarded, so it does not run in Node) against a real
``relchain serve``."""

from __future__ import annotations

import pytest

from tests.gateway.browser import BrowserSdk, chromium
from tests.gateway.realserver import RealServer
from tests.gateway.websdk import TIM_FRIENDSHIP

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


async def test_tim_logs_in_and_uses_friends_and_the_blocklist(server: RealServer) -> None:
    await server.import_accounts("alice", "bob", "carol", "dave")
    await server.import_friends("alice", "bob", remark="B")
    await server.ok(
        "sns/friend_add",
        {
            "From_Account": "dave",
            "AddFriendItem": [
                {"To_Account": "alice", "AddSource": "AddSource_Type_Web", "AddWording": "hello"}
            ],
        },
    )
    await server.ok("sns/black_list_add", {"From_Account": "alice", "To_Account": ["carol"]})
    async with chromium() as browser:
        sdk = await BrowserSdk.start(
            browser, server.sdkappid, server.proxy, module=TIM_FRIENDSHIP, name="alice"
        )
        await sdk.login("alice", server.usersig("alice"))
        friends = await sdk.call("getFriendList")
        assert [(f["userID"], f["remark"]) for f in friends] == [("bob", "B")]
        assert await sdk.call("getBlacklist") == ["carol"]
        requests = await sdk.call("getFriendApplicationList")
        assert [
            (a["userID"], a["type"], a["wording"]) for a in requests["friendApplicationList"]
        ] == [("dave", "Pendency_Type_ComeIn", "hello")]
        checked = await sdk.call(
            "checkFriend", {"userIDList": ["bob", "carol"], "type": "CheckResult_Type_Single"}
        )
        assert [(r["userID"], r["relation"]) for r in checked["successUserIDList"]] == [
            ("bob", "CheckResult_Type_AWithB"),
            ("carol", "CheckResult_Type_NoRelation"),
        ]
        refused = await sdk.fails("addFriend", {"to": "carol", "source": "AddSource_Type_Web"})
        assert refused["code"] == 30515, refused  # carol is in alice's blocklist
        await sdk.call("removeFromBlacklist", {"userIDList": ["carol"]})
        assert await sdk.call("getBlacklist") == []
        await sdk.close()
    assert not sdk.seen("__unhandled"), sdk.events
