"""Follows: follow, unfollow, check, counts and the three lists.

Each use case validates what it can without the database, then runs one transaction. Batches
may repeat an account: each occurrence is answered, the work is done once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from relchain.domain.changes import follow_events
from relchain.domain.errors import AccountMissing, Code
from relchain.domain.events import REST, Origin
from relchain.domain.follows import (
    FollowCaps,
    FollowCounts,
    FollowEntry,
    FollowPlan,
    FollowType,
    ListKind,
    Position,
)
from relchain.domain.results import ItemResult, Reason
from relchain.ports import Tx
from relchain.services._base import ServiceBase

__all__ = ["FollowPage", "FollowService"]


@dataclass(frozen=True, slots=True)
class FollowPage:
    """One page of a follow list; ``more`` is true exactly when entries follow the last."""

    entries: list[FollowEntry]
    more: bool


def _from_missing(from_id: str) -> AccountMissing:
    return AccountMissing(Code.SNS_ACCOUNT_NOT_FOUND, from_id)


def _per_item(to_ids: Sequence[str], plan: FollowPlan, oneself: str = "") -> list[ItemResult]:
    """The plan's results for every item of ``to_ids`` (repeats answered alike; ``oneself``
    was left out of the plan: 30001)."""
    by_target = {r.account: r for r in plan.results}
    return [
        ItemResult(t, Code.SNS_BAD_PARAM, Reason.SELF) if t == oneself else by_target[t]
        for t in to_ids
    ]


class FollowService(ServiceBase):
    async def follow(
        self,
        sdkappid: int,
        from_id: str,
        to_ids: Sequence[str],
        caps: FollowCaps,
        *,
        origin: Origin = REST,
    ) -> list[ItemResult]:
        """A result per item of ``to_ids``: 0, 30001 (oneself), 30003, 32100..32103."""
        targets = [t for t in dict.fromkeys(to_ids) if t != from_id]
        now, now_ms = self.now(), self.now_ms()

        async def work(tx: Tx) -> FollowPlan:
            plan = await tx.add_follows(sdkappid, from_id, targets, now, caps)
            if plan is None:
                raise _from_missing(from_id)
            events = follow_events(from_id, plan, added=True, origin=origin)
            await tx.append_events(sdkappid, events, now_ms)
            return plan  # plan.edges / plan.mutual_pairs: what changed

        # run_write: re-run if PostgreSQL aborts it as a deadlock victim (racing account_delete)
        return _per_item(to_ids, await self.store.run_write(work), oneself=from_id)

    async def unfollow(
        self, sdkappid: int, from_id: str, to_ids: Sequence[str], *, origin: Origin = REST
    ) -> list[ItemResult]:
        """A result per item of ``to_ids``: 0 (also when not followed) or 30003."""
        targets = list(dict.fromkeys(to_ids))
        now_ms = self.now_ms()

        async def work(tx: Tx) -> FollowPlan:
            plan = await tx.delete_follows(sdkappid, from_id, targets)
            if plan is None:
                raise _from_missing(from_id)
            events = follow_events(from_id, plan, added=False, origin=origin)
            await tx.append_events(sdkappid, events, now_ms)
            return plan

        return _per_item(to_ids, await self.store.run_write(work))

    async def check(
        self, sdkappid: int, from_id: str, to_ids: Sequence[str]
    ) -> list[FollowType | None]:
        """The relation of each item of ``to_ids`` to ``from_id``; ``None`` = no such account."""
        async with self.read_one() as tx:  # one statement
            types = await tx.follow_types(sdkappid, from_id, list(dict.fromkeys(to_ids)))
        if types is None:
            raise _from_missing(from_id)
        return [types.get(t) for t in to_ids]

    async def counts(
        self, sdkappid: int, from_id: str, user_ids: Sequence[str]
    ) -> list[FollowCounts | None]:
        """Counters of each item of ``user_ids``; ``None`` = no such account."""
        async with self.read_one() as tx:  # one statement
            found = await tx.follow_counts(sdkappid, list(dict.fromkeys([from_id, *user_ids])))
        if from_id not in found:
            raise _from_missing(from_id)
        return [found.get(u) for u in user_ids]

    async def page(
        self, sdkappid: int, from_id: str, kind: ListKind, after: Position | None, want: int
    ) -> FollowPage:
        """``want`` entries of a list after ``after``; reads one more to know if it ends.

        One statement, and a second only for an empty page: does the account exist? Their
        separate snapshots are harmless. Edges exist only between existing accounts and a new
        account has none, so an account's lists are empty whenever it does not exist and at
        the moment it comes to exist. Empty page, then the account exists: it existed with
        that empty list at the first snapshot, or it was created in between, empty at that
        moment. Empty page, then no account: it was missing at the first snapshot, or deleted
        in between, missing right after that. Either answer was true at some moment within
        the call."""
        async with self.read_one() as tx:
            entries = await tx.list_follows(sdkappid, from_id, kind, after, want + 1)
        if entries is None:
            raise _from_missing(from_id)
        if len(entries) <= want:
            return FollowPage(entries, more=False)
        return FollowPage(entries[:want], more=True)
