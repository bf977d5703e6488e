"""Live pushes to the previous Web SDK, ``tim-js-sdk@2.27.6`` (friendship build, headless
chromium): friends, friend requests and the blocklist changed by the REST API keep its caches
equal to the server's."""

from __future__ import annotations

import pytest

from tests.gateway.browser import BrowserSdk, chromium
from tests.gateway.realserver import RealServer
from tests.gateway.websdk import TIM_FRIENDSHIP

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

WEB = "AddSource_Type_Web"


async def test_tim_caches_follow_friends_requests_and_blocklist_changes(
    server: RealServer, users: tuple[str, str, str]
) -> None:
    alice, bob, carol = users
    await server.import_accounts(alice, bob, carol)
    await server.ok(
        "profile/portrait_set",
        {
            "From_Account": alice,
            "ProfileItem": [
                {"Tag": "Tag_Profile_IM_AllowType", "Value": "AllowType_Type_NeedConfirm"}
            ],
        },
    )
    async with chromium() as browser:
        sdk = await BrowserSdk.start(
            browser, server.sdkappid, server.proxy, module=TIM_FRIENDSHIP, name=alice
        )
        await sdk.login(alice, server.usersig(alice))

        await server.ok(  # bob asks alice
            "sns/friend_add",
            {
                "From_Account": bob,
                "AddFriendItem": [{"To_Account": alice, "AddSource": WEB, "AddWording": "hey"}],
            },
        )
        requests = await sdk.until(
            "getFriendApplicationList", lambda d: d["friendApplicationList"] != []
        )
        assert [
            (a["userID"], a["type"], a["source"], a["wording"])
            for a in requests["friendApplicationList"]
        ] == [(bob, "Pendency_Type_ComeIn", WEB, "hey")]
        assert requests["unreadCount"] == 1

        await sdk.call(
            "acceptFriendApplication", {"userID": bob, "type": "Response_Action_AgreeAndAdd"}
        )
        await sdk.until("getFriendList", lambda fs: [f["userID"] for f in fs] == [bob])
        await sdk.until("getFriendApplicationList", lambda d: d["friendApplicationList"] == [])

        await server.ok(
            "sns/friend_update",
            {
                "From_Account": alice,
                "UpdateItem": [
                    {"To_Account": bob, "SnsItem": [{"Tag": "Tag_SNS_IM_Remark", "Value": "B"}]}
                ],
            },
        )
        await sdk.until(
            "getFriendList", lambda fs: [(f["userID"], f["remark"]) for f in fs] == [(bob, "B")]
        )

        await server.ok("sns/black_list_add", {"From_Account": alice, "To_Account": [carol]})
        await sdk.until("getBlacklist", lambda bs: bs == [carol])
        await server.ok(
            "sns/friend_delete",
            {"From_Account": bob, "To_Account": [alice], "DeleteType": "Delete_Type_Both"},
        )
        await sdk.until("getFriendList", lambda fs: fs == [])
        await server.ok("sns/black_list_delete", {"From_Account": alice, "To_Account": [carol]})
        await sdk.until("getBlacklist", lambda bs: bs == [])
        await sdk.close()
    assert not sdk.seen("__unhandled"), sdk.events
