"""Helpers of the SNS storage contract tests (accounts with an AllowType, edge reads)."""

from __future__ import annotations

from relchain.domain.profiles import ALLOW_ANY
from relchain.domain.sns.friends import AddRequest
from relchain.domain.sns.rules import SnsLimits
from relchain.ports import Store
from tests.support import codes

APP = 1400000001
T = 1_700_000_000
SRC = "AddSource_Type_Test"
LIMITS = SnsLimits()


async def make_accounts(store: Store, *users: str, allow: str = ALLOW_ANY) -> None:
    async with store.write() as tx:
        await tx.import_accounts(APP, [(u, {"Tag_Profile_IM_AllowType": allow}) for u in users], T)


async def befriend(
    store: Store,
    me: str,
    *others: str,
    both: bool = True,
    force: bool = False,
    limits: SnsLimits = LIMITS,
    now: int = T,
) -> list[int]:
    """friend_add; returns the per-item codes."""
    async with store.write() as tx:
        results = await tx.add_friends(
            APP,
            me,
            [AddRequest(o, SRC) for o in others],
            both=both,
            force=force,
            limits=limits,
            now=now,
        )
    return codes(results)


async def edges(store: Store, me: str, *others: str) -> dict[str, tuple[bool, bool]]:
    async with store.read() as tx:
        return await tx.friend_edges(APP, me, list(others))


async def counters(store: Store, user: str) -> tuple[int, int, int]:
    """(friend count, standard sequence, custom sequence) as friend_get reports them."""
    async with store.read() as tx:
        page = await tx.get_friend_page(APP, user, 0, 1)
    return page.friend_count, page.standard_sequence, page.custom_sequence
