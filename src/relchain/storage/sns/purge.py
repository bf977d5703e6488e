"""account_delete's sns part: every friend, block, list and request of the deleted users."""

from __future__ import annotations

from collections.abc import Sequence

from relchain.domain.sns.plan import PurgedPeers
from relchain.storage._base import sorted_unique
from relchain.storage.sns._base import SnsBase, Writes

__all__ = ["PurgeMixin"]


class PurgeMixin(SnsBase):
    async def purge_sns(self, sdkappid: int, user_ids: Sequence[str]) -> dict[str, PurgedPeers]:
        """Lock the purged users and everyone related to them (in ``user_id`` order), fix the
        counters and sequences of the related users, then drop every row of the purged users.
        Returns, for each purged user, the kept users whose lists lost it (for their pushes)."""
        ids = sorted_unique(user_ids)
        if not ids:
            return {}

        async def related() -> list[str]:
            return [row[0] for row in await self.db.fetch(self.sql.sns_related, sdkappid, ids)]

        # the purged users' rows are locked too, so that a concurrent first write about one of
        # them conflicts with this transaction instead of slipping past it
        await self._lock_related(lambda users: self._lock_users(sdkappid, users), ids, related)
        gone = set(ids)
        purged = {user: PurgedPeers() for user in ids}
        writes = Writes()
        for owner, friend, had_custom in await self.db.fetch(
            self.sql.purge_friends_of, sdkappid, ids
        ):
            writes.add(owner, friend_count=-1, standard_seq=1, custom_seq=bool(had_custom))
            if owner not in gone:
                purged[friend].friend_of.append(owner)
        for (owner,) in await self.db.fetch(self.sql.purge_members_of, sdkappid, ids):
            writes.add(owner, list_seq=1)
        for owner, blocked in await self.db.fetch(self.sql.purge_blocks_of, sdkappid, ids):
            writes.add(owner, block_count=-1, block_seq=1)
            if owner not in gone:
                purged[blocked].blocked_by.append(owner)
        for requester, target in await self.db.fetch(self.sql.purge_requests_to, sdkappid, ids):
            writes.add(requester, pending_count=-1)
            if requester not in gone:
                purged[target].requests_from.append(requester)
        for requester, target in await self.db.fetch(self.sql.purge_requests_from, sdkappid, ids):
            purged[requester].requests_to.append(target)  # requests among them went just above
        for user in list(writes.users):
            if user in gone:
                del writes.users[user]
        await self.db.execute(self.sql.purge_sns_rows, sdkappid, ids)
        await self._apply(sdkappid, writes)
        for p in purged.values():
            for names in (p.friend_of, p.blocked_by, p.requests_from, p.requests_to):
                names.sort()
        return purged
