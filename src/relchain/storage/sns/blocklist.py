"""Blocklists: add (ending friendships and requests both ways), delete, page, check."""

from __future__ import annotations

from collections.abc import Sequence

from relchain.domain.errors import Code
from relchain.domain.results import Reason, results_for
from relchain.domain.sns.blocklist import BlockPage, plan_block
from relchain.domain.sns.plan import SnsOutcome
from relchain.domain.sns.rules import SnsLimits
from relchain.storage.sns._base import SnsBase, Writes

__all__ = ["BlocklistMixin"]


class BlocklistMixin(SnsBase):
    async def block(
        self, sdkappid: int, user_id: str, others: Sequence[str], *, limits: SnsLimits, now: int
    ) -> SnsOutcome:
        """black_list_add: see :func:`relchain.domain.sns.blocklist.plan_block`; removes the
        friendships and pending requests between the two, both ways."""
        unique = list(dict.fromkeys(others))
        locked = await self._lock_caller(sdkappid, user_id, unique)  # both sides change
        existing = {o for o in unique if o in locked}
        already = {
            row[0] for row in await self.db.fetch(self.sql.blocked_of, sdkappid, user_id, unique)
        }
        results, added = plan_block(
            user_id, others, existing, already, locked[user_id]["block_count"], limits=limits
        )
        writes = Writes()
        if added:
            pos = await self._positions(sdkappid, "b", [(user_id, o) for o in added])
            await self.db.execute(
                self.sql.insert_blocks,
                sdkappid,
                user_id,
                added,
                [pos[(user_id, o)] for o in added],
                now,
            )
            writes.add(user_id, block_count=len(added), block_seq=1)
            writes.changes.blocks_added += [(user_id, o) for o in added]
            both_ways = [(user_id, o) for o in added] + [(o, user_id) for o in added]
            await self._remove_edges(sdkappid, both_ways, writes)
            await self._drop_requests(sdkappid, both_ways, writes)
            await self._apply(sdkappid, writes)
        return SnsOutcome(results, writes.changes)

    async def unblock(self, sdkappid: int, user_id: str, others: Sequence[str]) -> SnsOutcome:
        """black_list_delete: 0 (also when not blocked); no account -> 30003."""
        unique = list(dict.fromkeys(others))
        await self._lock_caller(sdkappid, user_id)  # only the caller's entries change
        existing = {
            row[0] for row in await self.db.fetch(self.sql.existing_accounts, sdkappid, unique)
        }
        writes = Writes()
        present = [o for o in unique if o in existing]
        if present:
            gone = await self.db.fetch(self.sql.delete_blocks, sdkappid, user_id, present)
            if gone:
                writes.add(user_id, block_count=-len(gone), block_seq=1)
                writes.changes.blocks_removed += [(user_id, row[0]) for row in gone]
                await self._apply(sdkappid, writes)
        results = results_for(others, existing, Code.SNS_ACCOUNT_NOT_FOUND, Reason.NO_ACCOUNT)
        return SnsOutcome(results, writes.changes)

    async def get_block_page(
        self, sdkappid: int, user_id: str, start: int, limit: int
    ) -> BlockPage:
        rows, next_start = await self._keyset_page(
            self.sql.block_page, sdkappid, user_id, start, limit
        )
        return BlockPage(
            entries=[(r[0], r[1]) for r in rows],
            sequence=(await self._user_row(sdkappid, user_id))["block_seq"],
            next_start=next_start,
        )

    async def block_edges(
        self, sdkappid: int, user_id: str, others: Sequence[str]
    ) -> dict[str, tuple[bool, bool]]:
        """For each existing account of ``others``: (``user_id`` blocks o, o blocks ``user_id``)."""
        return await self._pair_flags(self.sql.block_edges, sdkappid, user_id, others)
