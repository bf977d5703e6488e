"""Blocklists: add (ending friendships and requests both ways), delete, page, check."""

from __future__ import annotations

from collections.abc import Sequence

from relchain.domain.sns.blocklist import BlockPage
from relchain.domain.sns.plan import SnsOutcome
from relchain.domain.sns.rules import SnsLimits
from relchain.ports import Tx
from relchain.services._base import ServiceBase, require_user

__all__ = ["BlocklistService"]


class BlocklistService(ServiceBase):
    async def add(
        self, sdkappid: int, user_id: str, others: Sequence[str], *, limits: SnsLimits
    ) -> SnsOutcome:
        now = self.now()

        async def work(tx: Tx) -> SnsOutcome:
            await require_user(tx, sdkappid, user_id)
            return await tx.block(sdkappid, user_id, others, limits=limits, now=now)

        return await self.store.run_write(work)  # PostgreSQL: re-run if chosen as deadlock victim

    async def delete(self, sdkappid: int, user_id: str, others: Sequence[str]) -> SnsOutcome:
        async def work(tx: Tx) -> SnsOutcome:
            await require_user(tx, sdkappid, user_id)
            return await tx.unblock(sdkappid, user_id, others)

        return await self.store.run_write(work)

    async def page(self, sdkappid: int, user_id: str, start: int, limit: int) -> BlockPage:
        async with self.store.read() as tx:
            await require_user(tx, sdkappid, user_id)
            return await tx.get_block_page(sdkappid, user_id, start, limit)

    async def check(
        self, sdkappid: int, user_id: str, others: Sequence[str]
    ) -> dict[str, tuple[bool, bool]]:
        """For each existing account of ``others``: (``user_id`` blocks it, it blocks
        ``user_id``); missing accounts are left out."""
        async with self.store.read() as tx:
            await require_user(tx, sdkappid, user_id)
            return await tx.block_edges(sdkappid, user_id, others)
