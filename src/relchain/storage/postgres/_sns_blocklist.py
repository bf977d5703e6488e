"""Blocklists: add (dropping friendships and requests both ways), delete, page, check."""

from __future__ import annotations

from collections.abc import Sequence

from relchain.domain.errors import Code
from relchain.domain.friends import INFO_NO_ACCOUNT, BlockPage, SnsLimits, plan_block
from relchain.storage.postgres._sns_base import Deltas, SnsBase

__all__ = ["BlocklistMixin"]

ItemResult = tuple[str, int, str]


class BlocklistMixin(SnsBase):
    async def _existing(self, sdkappid: int, others: Sequence[str]) -> set[str]:
        if not others:
            return set()
        rows = await self.conn.fetch(
            "SELECT user_id FROM accounts WHERE sdkappid = $1 AND user_id = ANY($2::text[])",
            sdkappid,
            list(others),
        )
        return {str(row[0]) for row in rows}

    async def _blocked_by(self, sdkappid: int, owner: str, others: Sequence[str]) -> set[str]:
        if not others:
            return set()
        rows = await self.conn.fetch(
            "SELECT blocked FROM blocklist WHERE sdkappid = $1 AND owner = $2"
            " AND blocked = ANY($3::text[])",
            sdkappid,
            owner,
            list(others),
        )
        return {str(row[0]) for row in rows}

    async def block(
        self, sdkappid: int, user_id: str, others: Sequence[str], *, limits: SnsLimits, now: int
    ) -> list[ItemResult]:
        unique = list(dict.fromkeys(others))
        # both sides: the friendships and requests between the two are removed
        locked = await self._lock_caller(sdkappid, user_id, unique)
        existing = {o for o in unique if o in locked}  # the accounts whose rows are locked
        already = await self._blocked_by(sdkappid, user_id, unique)
        results, added = plan_block(
            user_id,
            others,
            existing,
            already,
            locked[user_id]["block_count"],
            limits=limits,
        )
        if added:
            deltas = Deltas()
            pos = await self._positions(sdkappid, "b", [(user_id, o) for o in added])
            await self.conn.execute(
                "INSERT INTO blocklist (sdkappid, owner, blocked, pos, added_at)"
                " SELECT $1, $2, b.blocked, b.pos, $5"
                " FROM unnest($3::text[], $4::bigint[]) AS b(blocked, pos)",
                sdkappid,
                user_id,
                added,
                [pos[(user_id, o)] for o in added],
                now,
            )
            deltas.add(user_id, block_count=len(added), block_seq=1)
            both_ways = [(user_id, o) for o in added] + [(o, user_id) for o in added]
            await self._remove_edges(sdkappid, both_ways, deltas)
            await self._drop_requests(sdkappid, both_ways, deltas)
            await self._apply(sdkappid, deltas)
        return results

    async def unblock(self, sdkappid: int, user_id: str, others: Sequence[str]) -> list[ItemResult]:
        unique = list(dict.fromkeys(others))
        await self._lock_caller(sdkappid, user_id)  # only the caller's entries change
        existing = await self._existing(sdkappid, unique)
        present = [o for o in unique if o in existing]
        if present:
            gone = await self.conn.fetch(
                "DELETE FROM blocklist WHERE sdkappid = $1 AND owner = $2"
                " AND blocked = ANY($3::text[]) RETURNING blocked",
                sdkappid,
                user_id,
                present,
            )
            if gone:
                deltas = Deltas()
                deltas.add(user_id, block_count=-len(gone), block_seq=1)
                await self._apply(sdkappid, deltas)
        return [
            (o, Code.OK, "") if o in existing else (o, Code.SNS_ACCOUNT_NOT_FOUND, INFO_NO_ACCOUNT)
            for o in others
        ]

    async def get_block_page(
        self, sdkappid: int, user_id: str, start: int, limit: int
    ) -> BlockPage:
        rows = await self.conn.fetch(
            "SELECT blocked, added_at, pos FROM blocklist"
            " WHERE sdkappid = $1 AND owner = $2 AND pos >= $3 ORDER BY pos LIMIT $4",
            sdkappid,
            user_id,
            start,
            limit + 1,
        )
        more = len(rows) > limit
        rows = rows[:limit]
        return BlockPage(
            entries=[(str(r[0]), int(r[1])) for r in rows],
            sequence=(await self._user_row(sdkappid, user_id))["block_seq"],
            next_start=int(rows[-1][2]) + 1 if more else 0,
        )

    async def block_edges(
        self, sdkappid: int, user_id: str, others: Sequence[str]
    ) -> dict[str, tuple[bool, bool]]:
        unique = list(dict.fromkeys(others))
        existing = await self._existing(sdkappid, unique)
        if not existing:
            return {}
        mine = await self._blocked_by(sdkappid, user_id, unique)
        rows = await self.conn.fetch(
            "SELECT owner FROM blocklist WHERE sdkappid = $1 AND blocked = $2"
            " AND owner = ANY($3::text[])",
            sdkappid,
            user_id,
            unique,
        )
        theirs = {str(row[0]) for row in rows}
        return {o: (o in mine, o in theirs) for o in unique if o in existing}
