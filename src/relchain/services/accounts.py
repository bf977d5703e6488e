"""Accounts: import (one or many), check, delete (with all relationship data)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from relchain.domain.changes import account_events, profile_events
from relchain.domain.errors import Code
from relchain.domain.events import REST, Origin
from relchain.domain.results import ItemResult, Reason, results_for
from relchain.ports import Tx
from relchain.services._base import ServiceBase

__all__ = ["AccountService"]


class AccountService(ServiceBase):
    async def import_accounts(
        self,
        sdkappid: int,
        accounts: Sequence[tuple[str, Mapping[str, Any]]],
        *,
        origin: Origin = REST,
    ) -> set[str]:
        """Create accounts (idempotent); profile values given are set on each. Returns the
        accounts created. Events: ``account.imported`` for each account created, and
        ``profile.set`` for the values given to an account that existed."""
        now, now_ms = self.now(), self.now_ms()
        async with self.store.write() as tx:
            created = await tx.import_accounts(sdkappid, accounts, now)
            events = account_events((u for u, _ in accounts if u in created), origin, imported=True)
            for user_id, values in accounts:
                if user_id not in created:
                    events += profile_events(user_id, values, origin)
            await tx.append_events(sdkappid, events, now_ms)
        return created

    async def check(self, sdkappid: int, user_ids: Sequence[str]) -> set[str]:
        """The ids among ``user_ids`` that were imported."""
        async with self.read_one() as tx:  # one statement
            return await tx.existing_accounts(sdkappid, user_ids)

    async def delete(
        self, sdkappid: int, user_ids: Sequence[str], *, origin: Origin = REST
    ) -> list[ItemResult]:
        """Delete accounts with their profile, follows, friends, blocklists, lists and requests.

        A result per item: 0 deleted, 70107 no such account. Events: ``account.deleted`` per
        account deleted (no event per edge: its data names the other users whose friends,
        blocklist or requests lost the account, for their pushes).
        """
        now_ms = self.now_ms()

        async def work(tx: Tx) -> set[str]:
            existing = await tx.existing_accounts(sdkappid, user_ids)
            gone = sorted(existing)
            if gone:
                await tx.purge_follows(sdkappid, gone)
                purged = await tx.purge_sns(sdkappid, gone)
                await tx.delete_accounts(sdkappid, gone)
                events = account_events(
                    (u for u in user_ids if u in existing), origin, imported=False, purged=purged
                )
                await tx.append_events(sdkappid, events, now_ms)
            return existing

        existing = await self.store.run_write(work)
        return results_for(user_ids, existing, Code.ACCOUNT_NOT_FOUND, Reason.NO_ACCOUNT)
