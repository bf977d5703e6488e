"""PostgreSQL only: SNS writes of many processes at once around one hot user.

Each "process" is its own :class:`PostgresStore` (own pool, own connections) on one test
database, and for the REST test its own ASGI app. Afterwards the database itself is checked: no
cap is passed, every counter equals its rows, friendships made and ended both ways are
symmetric, no friendship coexists with a block, and nothing refers to a deleted account.
"""

from __future__ import annotations

import asyncio
import os
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

import asyncpg
import pytest

from relchain.domain.apps import App
from relchain.domain.errors import ApiError, Code
from relchain.domain.profiles import ALLOW_ANY, NEED_CONFIRM
from relchain.domain.sns.friends import AddRequest
from relchain.domain.sns.rules import SnsLimits
from relchain.ports import Store, Tx
from relchain.storage import open_store
from tests.support import ADMIN, KEY, SDKAPPID, FrozenClock, RestClient, running_client

POSTGRES_URL = os.environ.get("RELCHAIN_TEST_POSTGRES_URL", "")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not POSTGRES_URL, reason="RELCHAIN_TEST_POSTGRES_URL is not set"),
]
PROCESSES = 6
T = 1_700_000_000
SRC = "AddSource_Type_Test"


@pytest.fixture
async def url() -> str:
    from tests.storage.postgres_db import fresh_postgres_url

    return await fresh_postgres_url(POSTGRES_URL)


@pytest.fixture
async def stores(url: str) -> AsyncIterator[list[Store]]:
    # hundreds of units queue for a few connections and for the hot user's row: on a loaded
    # machine those waits pass the default 5 s acquire and command timeouts, and a unit can be
    # a deadlock victim (a delete locking late newcomers out of order) more than the default 3
    # times; these tests check invariants under contention, not how long a unit waits (a
    # stall still fails them: 60 s), so the bounds are wide
    slow = "acquire_timeout=60&command_timeout=60&write_retries=20"
    opened: list[Store] = [await open_store(f"{url}?{slow}")]  # migrates
    opened += [
        await open_store(f"{url}?pool_max=3&{slow}", migrate=False) for _ in range(PROCESSES - 1)
    ]
    try:
        yield opened
    finally:
        for store in opened:
            await store.close()


async def violations(url: str, caps: SnsLimits) -> dict[str, list[Any]]:
    """Every broken invariant, read straight from the tables (empty lists when all hold)."""
    conn = await asyncpg.connect(url)
    try:
        checks = {
            "counter != rows or over the cap": f"""
                SELECT u.user_id, u.friend_count, u.block_count, u.pending_count
                FROM sns_users u
                WHERE u.friend_count <> (SELECT count(*) FROM friends f
                                         WHERE f.sdkappid = u.sdkappid AND f.owner = u.user_id)
                   OR u.block_count <> (SELECT count(*) FROM blocklist b
                                        WHERE b.sdkappid = u.sdkappid AND b.owner = u.user_id)
                   OR u.pending_count <> (SELECT count(*) FROM friend_requests r
                                          WHERE r.sdkappid = u.sdkappid
                                            AND r.requester = u.user_id)
                   OR u.friend_count > {caps.max_friends or "u.friend_count"}
                   OR u.block_count > {caps.max_blocklist or "u.block_count"}
                   OR u.pending_count > {caps.max_pending or "u.pending_count"}""",
            "rows without a counter row": """
                SELECT owner FROM friends EXCEPT SELECT user_id FROM sns_users
                UNION SELECT owner FROM blocklist EXCEPT SELECT user_id FROM sns_users
                UNION SELECT requester FROM friend_requests EXCEPT SELECT user_id FROM sns_users""",
            "one-way friendship": """
                SELECT f.owner, f.friend FROM friends f WHERE NOT EXISTS (
                    SELECT 1 FROM friends r WHERE r.sdkappid = f.sdkappid
                      AND r.owner = f.friend AND r.friend = f.owner)""",
            "friendship next to a block": """
                SELECT b.owner, b.blocked FROM blocklist b JOIN friends f
                  ON f.sdkappid = b.sdkappid
                 AND ((f.owner = b.owner AND f.friend = b.blocked)
                      OR (f.owner = b.blocked AND f.friend = b.owner))""",
            "request next to a block": """
                SELECT b.owner, b.blocked FROM blocklist b JOIN friend_requests r
                  ON r.sdkappid = b.sdkappid
                 AND ((r.requester = b.owner AND r.target = b.blocked)
                      OR (r.requester = b.blocked AND r.target = b.owner))""",
            "position out of step": """
                SELECT f.owner, f.friend FROM friends f
                JOIN sns_users u ON u.sdkappid = f.sdkappid AND u.user_id = f.owner
                LEFT JOIN sns_positions p ON p.sdkappid = f.sdkappid AND p.owner = f.owner
                     AND p.kind = 'f' AND p.other = f.friend
                WHERE p.pos IS DISTINCT FROM f.pos OR f.pos >= u.next_friend_pos""",
            "refers to a deleted account": """
                SELECT 'friends', owner, friend FROM friends
                 WHERE owner NOT IN (SELECT user_id FROM accounts)
                    OR friend NOT IN (SELECT user_id FROM accounts)
                UNION ALL SELECT 'blocklist', owner, blocked FROM blocklist
                 WHERE owner NOT IN (SELECT user_id FROM accounts)
                    OR blocked NOT IN (SELECT user_id FROM accounts)
                UNION ALL SELECT 'request', requester, target FROM friend_requests
                 WHERE requester NOT IN (SELECT user_id FROM accounts)
                    OR target NOT IN (SELECT user_id FROM accounts)
                UNION ALL SELECT 'counters', user_id, '' FROM sns_users
                 WHERE user_id NOT IN (SELECT user_id FROM accounts)
                UNION ALL SELECT 'positions', owner, other FROM sns_positions
                 WHERE owner NOT IN (SELECT user_id FROM accounts)
                    OR other NOT IN (SELECT user_id FROM accounts)""",
        }
        found = {name: [tuple(r) for r in await conn.fetch(sql)] for name, sql in checks.items()}
    finally:
        await conn.close()
    return {name: rows for name, rows in found.items() if rows}


async def run_all(stores: list[Store], works: list[Callable[[Tx], Awaitable[Any]]]) -> int:
    """Run every unit of work at once, spread over the stores; returns how many failed because
    their caller's account had been deleted meanwhile (30003, the only failure allowed)."""

    async def one(store: Store, work: Callable[[Tx], Awaitable[Any]]) -> bool:
        try:
            await store.run_write(work)
        except ApiError as exc:
            if exc.code != Code.SNS_ACCOUNT_NOT_FOUND:
                raise
            return False
        return True

    done = await asyncio.gather(*(one(stores[n % len(stores)], w) for n, w in enumerate(works)))
    return done.count(False)


async def friend_rows(url: str, owner: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM friends WHERE owner = $1", owner))
    finally:
        await conn.close()


# ---------------------------------------------------------------- over REST, app settings


async def test_friend_cap_from_the_app_setting_holds_across_processes(
    stores: list[Store], url: str
) -> None:
    """Forty fans add the hot user while the hot user adds them, over six processes at once;
    with the app's max_friends at 5 exactly five friendships exist, both ways."""
    clock = FrozenClock()
    app = App(sdkappid=SDKAPPID, key=KEY, admins=(ADMIN,))
    async with stores[0].write() as tx:
        await tx.create_app(app, T)
    async with AsyncExitStack() as stack:
        clients = [await stack.enter_async_context(running_client(s, clock, app)) for s in stores]
        fans = [f"fan{i:02d}" for i in range(40)]
        await clients[0].import_accounts("hot", *fans)
        await clients[0].set_setting("max_friends", "5")

        async def add(client: RestClient, me: str, *others: str) -> list[int]:
            data = await client.ok(
                "sns/friend_add",
                {
                    "From_Account": me,
                    "AddFriendItem": [{"To_Account": o, "AddSource": SRC} for o in others],
                    "AddType": "Add_Type_Both",
                    "ForceAddFlags": 1,
                },
            )
            return [item["ResultCode"] for item in data["ResultItem"]]

        calls = [add(clients[i % PROCESSES], fan, "hot") for i, fan in enumerate(fans)]
        calls += [
            add(clients[(i + 3) % PROCESSES], "hot", *fans[i * 8 : i * 8 + 8]) for i in range(5)
        ]
        results = await asyncio.gather(*calls)
        codes = [code for result in results for code in result]
        assert set(codes) <= {0, 30001, 30010, 30014}
        assert codes.count(0) == 5  # each 0 made one new friendship, both ways
        data = await clients[1].ok("sns/friend_get", {"From_Account": "hot", "StartIndex": 0})
        assert data["FriendNum"] == 5 and len(data["UserDataItem"]) == 5
    assert await friend_rows(url, "hot") == 5
    assert await violations(url, SnsLimits(max_friends=5)) == {}


# ---------------------------------------------------------------- mixed churn, storage API


async def test_mixed_churn_around_a_hot_user_keeps_every_invariant(
    stores: list[Store], url: str
) -> None:
    """Hundreds of adds (forced and not), deletes, blocks, unblocks, accepts, delete-alls and
    account deletes around one hot user, from six stores at once."""
    rng = random.Random(4)
    caps = SnsLimits(max_friends=4, max_blocklist=3, max_lists=32, max_pending=2)
    users = [f"u{i:02d}" for i in range(30)]
    async with stores[0].write() as tx:
        await tx.import_accounts(
            1,
            [("hot", {"Tag_Profile_IM_AllowType": NEED_CONFIRM})]
            + [
                (u, {"Tag_Profile_IM_AllowType": ALLOW_ANY if i % 3 else NEED_CONFIRM})
                for i, u in enumerate(users)
            ],
            T,
        )
    doomed = set(rng.sample(users, 4))  # accounts deleted during the churn

    def op(n: int) -> Callable[[Tx], Awaitable[Any]]:
        u = rng.choice(users)
        some = rng.sample(users, 3)
        kind = rng.randrange(12)
        if kind == 0 and u in doomed:
            doomed.discard(u)

            async def purge(tx: Tx) -> Any:
                if await tx.existing_accounts(1, [u]):
                    await tx.purge_sns(1, [u])
                    await tx.delete_accounts(1, [u])

            return purge
        if kind <= 2:
            return lambda tx: tx.add_friends(
                1, u, [AddRequest("hot", SRC)], both=True, force=bool(n % 2), limits=caps, now=T
            )
        if kind <= 4:
            return lambda tx: tx.add_friends(
                1,
                "hot",
                [AddRequest(o, SRC, group=f"g{n % 3}") for o in some],
                both=True,
                force=bool(n % 2),
                limits=caps,
                now=T,
            )
        if kind == 5:
            return lambda tx: tx.delete_friends(1, u, ["hot"], both=True)
        if kind == 6:
            return lambda tx: tx.block(1, "hot", some, limits=caps, now=T)
        if kind == 7:
            return lambda tx: tx.block(1, u, ["hot"], limits=caps, now=T)
        if kind == 8:
            return lambda tx: tx.unblock(1, "hot", some)
        if kind == 9:
            return lambda tx: tx.unblock(1, u, ["hot"])
        if kind == 10:
            return lambda tx: tx.accept_friend_request(1, "hot", u, both=True, limits=caps, now=T)
        return lambda tx: tx.delete_all_friends(1, "hot", both=True)

    works = [op(n) for n in range(400)]
    await run_all(stores, works)
    assert await violations(url, caps) == {}
    async with stores[2].read() as tx:
        page = await tx.get_friend_page(1, "hot", 0, 100)
    assert page.friend_count == len(page.friends) == await friend_rows(url, "hot")


async def test_account_deletes_racing_adds_leave_nothing_behind(
    stores: list[Store], url: str
) -> None:
    """While fans add and block the hot user and the hot user adds them, the hot user and some
    fans are deleted: no row refers to them afterwards and every counter is right."""
    caps = SnsLimits(max_friends=0, max_blocklist=0, max_lists=32, max_pending=0)
    fans = [f"f{i:02d}" for i in range(24)]
    async with stores[0].write() as tx:
        await tx.import_accounts(
            1, [(u, {"Tag_Profile_IM_AllowType": ALLOW_ANY}) for u in ("hot", *fans)], T
        )

    def delete(*ids: str) -> Callable[[Tx], Awaitable[Any]]:
        async def work(tx: Tx) -> Any:
            gone = sorted(await tx.existing_accounts(1, list(ids)))
            if gone:
                await tx.purge_sns(1, gone)
                await tx.delete_accounts(1, gone)

        return work

    works: list[Callable[[Tx], Awaitable[Any]]] = []
    for i, fan in enumerate(fans):
        works.append(
            lambda tx, fan=fan: tx.add_friends(
                1, fan, [AddRequest("hot", SRC)], both=True, force=False, limits=caps, now=T
            )
        )
        if i % 4 == 1:
            works.append(lambda tx, fan=fan: tx.block(1, fan, ["hot"], limits=caps, now=T))
        if i % 6 == 2:
            works.append(
                lambda tx, i=i: tx.add_friends(
                    1,
                    "hot",
                    [AddRequest(f, SRC) for f in fans[i : i + 5]],
                    both=True,
                    force=True,
                    limits=caps,
                    now=T,
                )
            )
        if i == 12:
            works.append(delete("hot"))
        if i % 8 == 5:
            works.append(delete(fan, fans[i - 3]))
    await run_all(stores, works)
    assert await violations(url, caps) == {}
    async with stores[1].read() as tx:
        assert await tx.existing_accounts(1, ["hot"]) == set()
        for fan in fans[:3]:
            assert await tx.friend_edges(1, fan, ["hot"]) == {}
