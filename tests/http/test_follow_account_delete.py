"""account_delete removes the account's follows in both directions and fixes every counter."""

from __future__ import annotations

from typing import Any

from tests.support import RestClient, follow


async def info(rest: RestClient, user: str) -> tuple[int, int, int]:
    data = await rest.ok("follow/follow_get_info", {"From_Account": user, "To_Account": [user]})
    item = data["FollowInfo"][0]
    return item["FollowerCount"], item["FollowingCount"], item["MutualFollowingCount"]


async def listed(rest: RestClient, user: str, kind: int) -> list[str]:
    data: dict[str, Any] = await rest.ok(
        "follow/follow_get",
        {"From_Account": user, "FollowType": kind, "StartCursor": "", "WantNum": 1000},
    )
    return [item["To_Account"] for item in data["FollowItem"]]


async def test_deleting_accounts_purges_their_follows_and_fixes_every_counter(
    rest: RestClient,
) -> None:
    users = ["a", "b", "c", "d", "gone1", "gone2"]
    await rest.import_accounts(*users)
    for u in users:
        await follow(
            rest, u, *[v for v in users if v != u and ((ord(u[-1]) + ord(v[0])) % 3 or v == "a")]
        )
    await follow(rest, "gone1", "gone2")  # an edge between two deleted accounts
    await follow(rest, "b", "gone1", "gone2")
    await rest.ok(
        "im_open_login_svc/account_delete",
        {"DeleteItem": [{"UserID": "gone1"}, {"UserID": "gone2"}]},
    )
    for u in ["a", "b", "c", "d"]:
        lists = {kind: await listed(rest, u, kind) for kind in (1, 2, 3)}
        assert not {"gone1", "gone2"} & {acc for found in lists.values() for acc in found}
        assert await info(rest, u) == (len(lists[1]), len(lists[2]), len(lists[3]))
    check = await rest.ok(
        "follow/follow_check", {"From_Account": "b", "To_Account": ["gone1", "a"]}
    )
    assert [i["ResultCode"] for i in check["ResultItem"]] == [30003, 0]
    # imported again, the ids start with no follows at all
    await rest.import_accounts("gone1")
    assert await info(rest, "gone1") == (0, 0, 0)
    assert await listed(rest, "gone1", 1) == [] and await listed(rest, "gone1", 2) == []
