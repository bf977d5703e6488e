"""Accounts: import (one or many), check, delete (with all relationship data)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from relchain.domain.errors import Code
from relchain.domain.results import ItemResult, Reason, results_for
from relchain.ports import Tx
from relchain.services._base import ServiceBase

__all__ = ["AccountService"]


class AccountService(ServiceBase):
    async def import_accounts(
        self, sdkappid: int, accounts: Sequence[tuple[str, Mapping[str, Any]]]
    ) -> set[str]:
        """Create accounts (idempotent); profile values given are set on each. Returns the
        accounts created."""
        async with self.store.write() as tx:
            return await tx.import_accounts(sdkappid, accounts, self.now())

    async def check(self, sdkappid: int, user_ids: Sequence[str]) -> set[str]:
        """The ids among ``user_ids`` that were imported."""
        async with self.store.read() as tx:
            return await tx.existing_accounts(sdkappid, user_ids)

    async def delete(self, sdkappid: int, user_ids: Sequence[str]) -> list[ItemResult]:
        """Delete accounts with their profile, follows, friends, blocklists, lists and requests.

        A result per item: 0 deleted, 70107 no such account.
        """

        async def work(tx: Tx) -> set[str]:
            existing = await tx.existing_accounts(sdkappid, user_ids)
            gone = sorted(existing)
            if gone:
                await tx.purge_follows(sdkappid, gone)
                await tx.purge_sns(sdkappid, gone)
                await tx.delete_accounts(sdkappid, gone)
            return existing

        existing = await self.store.run_write(work)
        return results_for(user_ids, existing, Code.ACCOUNT_NOT_FOUND, Reason.NO_ACCOUNT)
