"""Follows under concurrent requests (asyncio.gather over the REST client): the caps are never
passed, and list scans stay exact while other requests follow and unfollow."""

from __future__ import annotations

import asyncio
import random
from dataclasses import replace
from typing import Any

from relchain.ports import Store
from tests.support import SDKAPPID, RestClient


async def set_settings(store: Store, **changes: Any) -> None:
    async with store.write() as tx:
        app = await tx.get_app(SDKAPPID)
        assert app is not None
        await tx.save_app(replace(app, settings=replace(app.settings, **changes)))


async def follow(rest: RestClient, from_id: str, *to_ids: str) -> dict[str, Any]:
    return await rest.ok(
        "follow/follow_add",
        {"From_Account": from_id, "FollowItem": [{"To_Account": t} for t in to_ids]},
    )


async def info(rest: RestClient, user: str) -> tuple[int, int, int]:
    data = await rest.ok("follow/follow_get_info", {"From_Account": user, "To_Account": [user]})
    item = data["FollowInfo"][0]
    return item["FollowerCount"], item["FollowingCount"], item["MutualFollowingCount"]


async def scan(rest: RestClient, user: str, kind: int, want: int) -> list[str]:
    out: list[str] = []
    cursor = ""
    while True:
        data = await rest.ok(
            "follow/follow_get",
            {"From_Account": user, "FollowType": kind, "StartCursor": cursor, "WantNum": want},
        )
        out += [item["To_Account"] for item in data["FollowItem"]]
        cursor = data["NextCursor"]
        if not cursor:
            return out


async def test_concurrent_follow_adds_never_pass_the_following_cap(
    rest: RestClient, store: Store
) -> None:
    await set_settings(store, max_following=37)
    targets = [f"t{i:02d}" for i in range(60)]
    await rest.import_accounts("a", *targets)
    batches = [[targets[(i * 7 + j) % 60] for j in range(20)] for i in range(30)]
    results = await asyncio.gather(*(follow(rest, "a", *batch) for batch in batches))
    followed = {
        item["To_Account"]
        for data in results
        for item in data["ResultItem"]
        if item["ResultCode"] == 0
    }
    refused = [i for data in results for i in data["ResultItem"] if i["ResultCode"] == 32100]
    assert len(followed) == 37 and refused
    assert await info(rest, "a") == (0, 37, 0)
    assert sorted(await scan(rest, "a", 2, 10)) == sorted(followed)


async def test_concurrent_fans_never_pass_the_followers_cap(rest: RestClient, store: Store) -> None:
    await set_settings(store, max_followers=25)
    fans = [f"f{i:02d}" for i in range(40)]
    await rest.import_accounts("star", *fans)
    results = await asyncio.gather(*(follow(rest, f, "star") for f in fans))
    codes = sorted(data["ResultItem"][0]["ResultCode"] for data in results)
    assert codes == [0] * 25 + [32101] * 15
    assert await info(rest, "star") == (25, 0, 0)
    assert len(await scan(rest, "star", 1, 7)) == 25


async def test_concurrent_follow_backs_never_pass_the_mutual_cap(
    rest: RestClient, store: Store
) -> None:
    fans = [f"f{i:02d}" for i in range(30)]
    await rest.import_accounts("star", *fans)
    await follow(rest, "star", *fans[:20])
    await follow(rest, "star", *fans[20:])
    await set_settings(store, max_mutual=5)
    results = await asyncio.gather(*(follow(rest, f, "star") for f in fans))
    codes = sorted(data["ResultItem"][0]["ResultCode"] for data in results)
    assert codes == [0] * 5 + [32103] * 25
    assert await info(rest, "star") == (5, 30, 5)
    assert len(await scan(rest, "star", 3, 2)) == 5


async def test_scans_are_exact_while_others_follow_and_unfollow(rest: RestClient) -> None:
    stable = [f"s{i:02d}" for i in range(25)]
    churn = [f"c{i:02d}" for i in range(25)]
    await rest.import_accounts("star", *stable, *churn)
    for i, s in enumerate(stable):
        if i % 5 == 0:
            rest.clock.advance(1)
        await follow(rest, s, "star")
    await follow(rest, "star", *stable[:20])
    await follow(rest, "star", *stable[20:])
    rng = random.Random(3)
    stop = asyncio.Event()

    async def churner(seed: int) -> None:
        local = random.Random(seed)
        while not stop.is_set():
            c = local.choice(churn)
            if local.random() < 0.5:
                await follow(rest, c, "star")
                await follow(rest, "star", c)
            else:
                await rest.ok("follow/follow_delete", {"From_Account": c, "To_Account": ["star"]})
            if local.random() < 0.3:
                rest.clock.advance(local.choice([0, 1]))

    async def scanner(kind: int) -> list[list[str]]:
        scans = []
        for _ in range(6):
            scans.append(await scan(rest, "star", kind, rng.choice([1, 2, 3, 7])))
        stop.set()
        return scans

    churners = [asyncio.create_task(churner(seed)) for seed in range(3)]
    for kind in (1, 3):
        stop.clear()
        scans = await scanner(kind)
        for found in scans:
            assert len(found) == len(set(found)), "an account was returned twice"
            assert set(stable) <= set(found), "a stable account was skipped"
            assert set(found) <= set(stable) | set(churn)
    stop.set()
    await asyncio.gather(*churners)
    # and after the churn, every counter equals its list
    for user in ["star", *churn[:5]]:
        fans, following, mutual = await info(rest, user)
        assert fans == len(await scan(rest, user, 1, 4))
        assert following == len(await scan(rest, user, 2, 4))
        assert mutual == len(await scan(rest, user, 3, 4))
