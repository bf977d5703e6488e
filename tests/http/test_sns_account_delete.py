"""account_delete removes the account's friends (both sides), blocklists, lists and requests."""

from __future__ import annotations

from relchain.domain.profiles import NEED_CONFIRM
from relchain.ports import Store
from tests.support import SDKAPPID, RestClient, add, check, codes, set_settings, users


async def test_account_delete_cleans_every_relationship(rest: RestClient, store: Store) -> None:
    await users(rest, "gone", "b", "c")
    await users(rest, "n", allow=NEED_CONFIRM)
    await add(rest, "gone", "b")
    await add(rest, "b", "c")
    await rest.ok(
        "sns/group_add", {"From_Account": "b", "GroupName": ["g"], "To_Account": ["gone", "c"]}
    )
    await rest.ok("sns/black_list_add", {"From_Account": "c", "To_Account": ["gone"]})
    await add(rest, "gone", "n")  # pending request
    before = await rest.ok("sns/friend_get", {"From_Account": "b", "StartIndex": 0})
    await rest.ok("im_open_login_svc/account_delete", {"DeleteItem": [{"UserID": "gone"}]})

    after = await rest.ok("sns/friend_get", {"From_Account": "b", "StartIndex": 0})
    assert [i["To_Account"] for i in after["UserDataItem"]] == ["c"]
    assert after["FriendNum"] == 1
    assert after["StandardSequence"] > before["StandardSequence"]
    lists = await rest.ok(
        "sns/group_get", {"From_Account": "b", "NeedFriend": "Need_Friend_Type_Yes"}
    )
    assert lists["ResultItem"] == [{"GroupName": "g", "FriendNumber": 1, "To_Account": ["c"]}]
    blocked = await rest.ok(
        "sns/black_list_get",
        {"From_Account": "c", "StartIndex": 0, "MaxLimited": 10, "LastSequence": 0},
    )
    assert blocked["BlackListItem"] == []
    async with store.read() as tx:
        assert await tx.list_friend_requests(SDKAPPID, "n", incoming=True, limit=5) == []

    # the id can be imported again and starts with no relationships
    await users(rest, "gone")
    assert await check(rest, "gone", "b", "c") == ["CheckResult_Type_NoRelation"] * 2
    await set_settings(store, max_blocklist=1)
    assert codes(
        await rest.ok("sns/black_list_add", {"From_Account": "c", "To_Account": ["b"]})
    ) == [0]
