"""Blocklists: add (ending friendships and requests both ways), delete, page, check."""

from __future__ import annotations

from collections.abc import Sequence

from relchain.domain.sns.blocklist import BlockPage
from relchain.domain.sns.plan import SnsOutcome
from relchain.domain.sns.rules import SnsLimits
from relchain.services._base import ServiceBase

__all__ = ["BlocklistService"]


class BlocklistService(ServiceBase):
    async def add(
        self, sdkappid: int, user_id: str, others: Sequence[str], *, limits: SnsLimits
    ) -> SnsOutcome:
        now = self.now()
        return await self.write_as(
            sdkappid,
            user_id,
            lambda tx: tx.block(sdkappid, user_id, others, limits=limits, now=now),
        )

    async def delete(self, sdkappid: int, user_id: str, others: Sequence[str]) -> SnsOutcome:
        return await self.write_as(
            sdkappid, user_id, lambda tx: tx.unblock(sdkappid, user_id, others)
        )

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
