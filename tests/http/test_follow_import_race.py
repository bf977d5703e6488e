"""Found by scripts/fuzz.py on PostgreSQL, fixed by locking the counter rows in one ordered pass.

follow_add / follow_delete racing with the import of the accounts they name: a write whose
counter-row lock ran before an account's import committed held no lock on that account, yet its
next statement (READ COMMITTED) saw the account; two such writes then changed the same edges
and counters unserialised (a duplicate ``follows_pkey`` or a counter below 0, answered 30006).
Now the rows are created and locked in one statement and only those are read. SQLite (one
writer) cannot race; the test runs on both backends.
"""

from __future__ import annotations

import asyncio
import random

from tests.support import RestClient

USERS = ["UserID_001", "UserID_002", "UserID_003"]


async def test_follow_writes_racing_the_import_of_their_accounts_stay_consistent(
    rest: RestClient,
) -> None:
    calls = [
        ("follow/follow_add", {"From_Account": a, "FollowItem": [{"To_Account": b}]})
        for a in USERS
        for b in USERS
        if a != b
    ] + [
        ("follow/follow_delete", {"From_Account": a, "To_Account": [b for b in USERS if b != a]})
        for a in USERS
    ]
    codes: list[int] = []

    async def worker(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(40):
            if rng.random() < 0.3:
                await rest.call("im_open_login_svc/multiaccount_import", {"Accounts": USERS})
                continue
            path, body = rng.choice(calls)
            codes.append((await rest.call(path, body))["ErrorCode"])

    for round_ in range(5):  # each round starts with the accounts not imported yet
        await asyncio.gather(*(worker(round_ * 100 + i) for i in range(12)))
        assert 30006 not in codes, codes
        for user in USERS:
            data = await rest.ok(
                "follow/follow_get_info", {"From_Account": user, "To_Account": [user]}
            )
            item = data["FollowInfo"][0]
            following = await rest.ok(
                "follow/follow_get", {"From_Account": user, "FollowType": 2, "WantNum": 10}
            )
            assert item["FollowingCount"] == len(following["FollowItem"]), (user, item)
        await rest.ok(
            "im_open_login_svc/account_delete", {"DeleteItem": [{"UserID": u} for u in USERS]}
        )
