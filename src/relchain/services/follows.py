"""Follows: follow, unfollow, check, counts and the three lists (issue 3).

Each use case validates what it can without the database, then runs one transaction. Batches
may repeat an account: each occurrence is answered, the work is done once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from relchain.domain.errors import ApiError, Code
from relchain.domain.follows import (
    FollowCaps,
    FollowCounts,
    FollowEntry,
    FollowType,
    ListKind,
    decode_cursor,
    encode_cursor,
)
from relchain.ports import Tx
from relchain.services._base import ServiceBase

__all__ = ["FollowPage", "FollowService"]


@dataclass(frozen=True, slots=True)
class FollowPage:
    """One page of a follow list; ``next_cursor`` is ``""`` exactly when nothing follows."""

    entries: list[FollowEntry]
    next_cursor: str


def _from_missing(from_id: str) -> ApiError:
    return ApiError(Code.SNS_ACCOUNT_NOT_FOUND, f"From_Account: account {from_id!r} does not exist")


class FollowService(ServiceBase):
    async def follow(
        self, sdkappid: int, from_id: str, to_ids: Sequence[str], caps: FollowCaps
    ) -> list[int]:
        """A result code per item of ``to_ids``: 0, 30001 (oneself), 30003, 32100..32103."""
        targets = [t for t in dict.fromkeys(to_ids) if t != from_id]
        now = self.now()

        async def work(tx: Tx) -> list[int] | None:
            return await tx.add_follows(sdkappid, from_id, targets, now, caps)

        # run_write: re-run if PostgreSQL aborts it as a deadlock victim (racing account_delete)
        codes = await self.store.run_write(work)
        if codes is None:
            raise _from_missing(from_id)
        by_target = dict(zip(targets, codes, strict=True))
        return [Code.SNS_BAD_PARAM if t == from_id else by_target[t] for t in to_ids]

    async def unfollow(self, sdkappid: int, from_id: str, to_ids: Sequence[str]) -> list[int]:
        """A result code per item of ``to_ids``: 0 (also when not followed) or 30003."""
        targets = list(dict.fromkeys(to_ids))

        async def work(tx: Tx) -> list[int] | None:
            return await tx.delete_follows(sdkappid, from_id, targets)

        codes = await self.store.run_write(work)
        if codes is None:
            raise _from_missing(from_id)
        by_target = dict(zip(targets, codes, strict=True))
        return [by_target[t] for t in to_ids]

    async def check(
        self, sdkappid: int, from_id: str, to_ids: Sequence[str]
    ) -> list[FollowType | None]:
        """The relation of each item of ``to_ids`` to ``from_id``; ``None`` = no such account."""
        async with self.store.read() as tx:
            types = await tx.follow_types(sdkappid, from_id, list(dict.fromkeys(to_ids)))
        if types is None:
            raise _from_missing(from_id)
        return [types.get(t) for t in to_ids]

    async def counts(
        self, sdkappid: int, from_id: str, user_ids: Sequence[str]
    ) -> list[FollowCounts | None]:
        """Counters of each item of ``user_ids``; ``None`` = no such account."""
        async with self.store.read() as tx:
            found = await tx.follow_counts(sdkappid, list(dict.fromkeys([from_id, *user_ids])))
        if from_id not in found:
            raise _from_missing(from_id)
        return [found.get(u) for u in user_ids]

    async def page(
        self, sdkappid: int, from_id: str, kind: ListKind, cursor: str, want: int
    ) -> FollowPage:
        """``want`` entries of a list after ``cursor``; reads one more to know if it ends."""
        after = decode_cursor(sdkappid, from_id, kind, cursor)
        async with self.store.read() as tx:
            entries = await tx.list_follows(sdkappid, from_id, kind, after, want + 1)
        if entries is None:
            raise _from_missing(from_id)
        if len(entries) <= want:
            return FollowPage(entries, "")
        entries = entries[:want]
        return FollowPage(entries, encode_cursor(sdkappid, from_id, kind, entries[-1].position))
