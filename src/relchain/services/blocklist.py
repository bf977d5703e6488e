"""Blocklists: add (ending friendships and requests both ways), delete, page, check."""

from __future__ import annotations

from collections.abc import Sequence

from relchain.domain.blocklist import black_relation
from relchain.domain.errors import Code
from relchain.domain.friends import BlockPage, SnsLimits
from relchain.ports import Tx
from relchain.services._base import ServiceBase
from relchain.services.friends import CheckResult, ItemResult, require_user

__all__ = ["BlocklistService"]


class BlocklistService(ServiceBase):
    async def add(
        self, sdkappid: int, user_id: str, others: Sequence[str], *, limits: SnsLimits
    ) -> list[ItemResult]:
        now = self.now()

        async def work(tx: Tx) -> list[ItemResult]:
            await require_user(tx, sdkappid, user_id)
            return await tx.block(sdkappid, user_id, others, limits=limits, now=now)

        return await self.store.run_write(work)  # PostgreSQL: re-run if chosen as deadlock victim

    async def delete(self, sdkappid: int, user_id: str, others: Sequence[str]) -> list[ItemResult]:
        async def work(tx: Tx) -> list[ItemResult]:
            await require_user(tx, sdkappid, user_id)
            return await tx.unblock(sdkappid, user_id, others)

        return await self.store.run_write(work)

    async def page(self, sdkappid: int, user_id: str, start: int, limit: int) -> BlockPage:
        async with self.store.read() as tx:
            await require_user(tx, sdkappid, user_id)
            return await tx.get_block_page(sdkappid, user_id, start, limit)

    async def check(
        self, sdkappid: int, user_id: str, others: Sequence[str], *, both: bool
    ) -> list[CheckResult]:
        async with self.store.read() as tx:
            await require_user(tx, sdkappid, user_id)
            found = await tx.block_edges(sdkappid, user_id, others)
        results = []
        for other in others:
            mine, theirs = found.get(other, (False, False))
            kind = black_relation(mine, theirs, both)
            if other in found:
                results.append(CheckResult(other, kind, Code.OK, ""))
            else:
                results.append(
                    CheckResult(
                        other, kind, Code.SNS_ACCOUNT_NOT_FOUND, "Err_SNS_Account_Not_Exist"
                    )
                )
        return results
