"""Found by scripts/fuzz.py on PostgreSQL (not fixed here: storage is another change's area).

follow_add / follow_delete racing with the import of the accounts they name: a write whose
``ensure_follow_counts`` + ``lock_follow_counts`` ran before an account's import committed holds
no lock on that account, yet its next statement (``follow_state``, READ COMMITTED) sees the
account. Two such writes then change the same edges and counters unserialised: a duplicate
``follows_pkey`` or a counter below 0 (``follow_counts_*_check``), answered 30006 with a
traceback, and counters that may drift. SQLite (one writer) cannot race. Proposed fix: let
``lock_follow_counts`` return the ids it locked and read ``follow_state`` for those only (an
account imported after the lock is, for this write, not there yet: 30003).
"""

from __future__ import annotations

import asyncio
import random

import pytest

from tests.support import RestClient

USERS = ["UserID_001", "UserID_002", "UserID_003"]


async def test_follow_writes_racing_the_import_of_their_accounts_stay_consistent(
    rest: RestClient, request: pytest.FixtureRequest
) -> None:
    if request.node.callspec.params["store"] == "postgres":
        request.applymarker(
            pytest.mark.xfail(
                strict=True,
                reason="follow writes do not lock accounts imported "
                "after their lock statement (see the module docstring)",
            )
        )
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
