"""Blocklists: add (ending friendships and requests both ways), delete, page, check."""

from __future__ import annotations

from collections.abc import Sequence

from relchain.domain.changes import friend_events
from relchain.domain.events import REST, Origin
from relchain.domain.sns.blocklist import BlockPage
from relchain.domain.sns.plan import SnsOutcome
from relchain.domain.sns.rules import SnsLimits
from relchain.ports import Tx
from relchain.services._base import ServiceBase

__all__ = ["BlocklistService"]


class BlocklistService(ServiceBase):
    async def add(
        self,
        sdkappid: int,
        user_id: str,
        others: Sequence[str],
        *,
        limits: SnsLimits,
        origin: Origin = REST,
    ) -> SnsOutcome:
        """Events: ``block.added``, and the friendships (``friend.deleted``) and pending
        requests (``request.deleted``) the blocks ended."""
        now, now_ms = self.now(), self.now_ms()

        async def work(tx: Tx) -> SnsOutcome:
            outcome = await tx.block(sdkappid, user_id, others, limits=limits, now=now)
            events = friend_events(user_id, outcome.changes, origin, fulfilled=False)
            await tx.append_events(sdkappid, events, now_ms)
            return outcome

        return await self.write_as(sdkappid, user_id, work)

    async def delete(
        self, sdkappid: int, user_id: str, others: Sequence[str], *, origin: Origin = REST
    ) -> SnsOutcome:
        now_ms = self.now_ms()

        async def work(tx: Tx) -> SnsOutcome:
            outcome = await tx.unblock(sdkappid, user_id, others)
            await tx.append_events(
                sdkappid, friend_events(user_id, outcome.changes, origin), now_ms
            )
            return outcome

        return await self.write_as(sdkappid, user_id, work)

    async def page(self, sdkappid: int, user_id: str, start: int, limit: int) -> BlockPage:
        return await self.read_as(
            sdkappid, user_id, lambda tx: tx.get_block_page(sdkappid, user_id, start, limit)
        )

    async def check(
        self, sdkappid: int, user_id: str, others: Sequence[str]
    ) -> dict[str, tuple[bool, bool]]:
        """For each existing account of ``others``: (``user_id`` blocks it, it blocks
        ``user_id``); missing accounts are left out."""
        return await self.read_as(
            sdkappid, user_id, lambda tx: tx.block_edges(sdkappid, user_id, others)
        )
