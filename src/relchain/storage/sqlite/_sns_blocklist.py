"""Blocklists: add (dropping friendships and requests both ways), delete, page, check."""

from __future__ import annotations

from collections.abc import Sequence

from relchain.domain.errors import Code
from relchain.domain.friends import INFO_NO_ACCOUNT, BlockPage, SnsLimits, plan_block
from relchain.storage.sqlite._base import marks
from relchain.storage.sqlite._sns_base import Deltas, SnsBase

__all__ = ["BlocklistMixin"]

ItemResult = tuple[str, int, str]


class BlocklistMixin(SnsBase):
    def _existing(self, sdkappid: int, others: Sequence[str]) -> set[str]:
        if not others:
            return set()
        return {
            row[0]
            for row in self.conn.execute(
                "SELECT user_id FROM accounts WHERE sdkappid = ?"
                f" AND user_id IN ({marks(len(others))})",
                (sdkappid, *others),
            )
        }

    def _blocked_by(self, sdkappid: int, owner: str, others: Sequence[str]) -> set[str]:
        if not others:
            return set()
        return {
            row[0]
            for row in self.conn.execute(
                "SELECT blocked FROM blocklist WHERE sdkappid = ? AND owner = ?"
                f" AND blocked IN ({marks(len(others))})",
                (sdkappid, owner, *others),
            )
        }

    async def block(
        self, sdkappid: int, user_id: str, others: Sequence[str], *, limits: SnsLimits, now: int
    ) -> list[ItemResult]:
        unique = list(dict.fromkeys(others))
        existing = self._existing(sdkappid, unique)
        already = self._blocked_by(sdkappid, user_id, unique)
        results, added = plan_block(
            user_id,
            others,
            existing,
            already,
            self._user_row(sdkappid, user_id)["block_count"],
            limits=limits,
        )
        if added:
            deltas = Deltas()
            pos = self._positions(sdkappid, "b", [(user_id, o) for o in added])
            self.conn.executemany(
                "INSERT INTO blocklist (sdkappid, owner, blocked, pos, added_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [(sdkappid, user_id, o, pos[(user_id, o)], now) for o in added],
            )
            deltas.add(user_id, block_count=len(added), block_seq=1)
            both_ways = [(user_id, o) for o in added] + [(o, user_id) for o in added]
            self._remove_edges(sdkappid, both_ways, deltas)
            self._drop_requests(sdkappid, both_ways, deltas)
            self._apply(sdkappid, deltas)
        return results

    async def unblock(self, sdkappid: int, user_id: str, others: Sequence[str]) -> list[ItemResult]:
        unique = list(dict.fromkeys(others))
        existing = self._existing(sdkappid, unique)
        present = [o for o in unique if o in existing]
        if present:
            gone = self.conn.execute(
                "DELETE FROM blocklist WHERE sdkappid = ? AND owner = ?"
                f" AND blocked IN ({marks(len(present))}) RETURNING blocked",
                (sdkappid, user_id, *present),
            ).fetchall()
            if gone:
                deltas = Deltas()
                deltas.add(user_id, block_count=-len(gone), block_seq=1)
                self._apply(sdkappid, deltas)
        return [
            (o, Code.OK, "") if o in existing else (o, Code.SNS_ACCOUNT_NOT_FOUND, INFO_NO_ACCOUNT)
            for o in others
        ]

    async def get_block_page(
        self, sdkappid: int, user_id: str, start: int, limit: int
    ) -> BlockPage:
        rows = self.conn.execute(
            "SELECT blocked, added_at, pos FROM blocklist"
            " WHERE sdkappid = ? AND owner = ? AND pos >= ? ORDER BY pos LIMIT ?",
            (sdkappid, user_id, start, limit + 1),
        ).fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        return BlockPage(
            entries=[(r[0], int(r[1])) for r in rows],
            sequence=self._user_row(sdkappid, user_id)["block_seq"],
            next_start=rows[-1][2] + 1 if more else 0,
        )

    async def block_edges(
        self, sdkappid: int, user_id: str, others: Sequence[str]
    ) -> dict[str, tuple[bool, bool]]:
        unique = list(dict.fromkeys(others))
        existing = self._existing(sdkappid, unique)
        if not existing:
            return {}
        mine = self._blocked_by(sdkappid, user_id, unique)
        theirs = {
            row[0]
            for row in self.conn.execute(
                "SELECT owner FROM blocklist WHERE sdkappid = ? AND blocked = ?"
                f" AND owner IN ({marks(len(unique))})",
                (sdkappid, user_id, *unique),
            )
        }
        return {o: (o in mine, o in theirs) for o in unique if o in existing}
