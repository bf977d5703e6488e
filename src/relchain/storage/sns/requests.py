"""Pending friend requests: list (incoming / outgoing), accept, reject."""

from __future__ import annotations

from relchain.domain.sns.plan import PeerState, SnsChanges, SnsOutcome
from relchain.domain.sns.requests import FriendRequest, plan_accept
from relchain.domain.sns.rules import SnsLimits
from relchain.storage.sns._base import SnsBase, Writes, request_of

__all__ = ["RequestsMixin"]


class RequestsMixin(SnsBase):
    async def list_friend_requests(
        self,
        sdkappid: int,
        user_id: str,
        *,
        incoming: bool,
        limit: int,
        before: tuple[int, str] | None = None,
    ) -> list[FriendRequest]:
        """Pending requests sent to (``incoming``) or by ``user_id``, newest first; ``before``
        is the (created_at, other user) of the last one seen (keyset paging)."""
        first, later = self.sql.request_pages[incoming]
        if before is None:
            rows = await self.db.fetch(first, sdkappid, user_id, limit)
        else:
            rows = await self.db.fetch(later, sdkappid, user_id, limit, before[0], before[1])
        return [request_of(row) for row in rows]

    async def accept_friend_request(
        self,
        sdkappid: int,
        user_id: str,
        requester: str,
        *,
        both: bool,
        remark: str = "",
        group: str = "",
        limits: SnsLimits,
        now: int,
    ) -> SnsOutcome:
        """``user_id`` accepts ``requester``'s request (see
        :func:`relchain.domain.sns.requests.plan_accept`); the request is removed on success."""
        locked = await self._lock_caller(sdkappid, user_id, [requester])
        peers = await self._peer_states(
            sdkappid, user_id, [requester] if requester in locked else []
        )
        plan = plan_accept(
            await self._my_state(sdkappid, user_id, locked[user_id]),
            peers.get(requester, PeerState(exists=False)),
            requester,
            both=both,
            remark=remark,
            group=group,
            limits=limits,
            now=now,
        )
        return SnsOutcome(plan.results, await self._apply_plan(sdkappid, user_id, plan, limits))

    async def mark_friend_requests_read(self, sdkappid: int, user_id: str, time: int) -> None:
        """Incoming requests created up to ``time`` are read (a later mark never goes back)."""
        await self.db.execute(self.sql.mark_requests_read, sdkappid, user_id, time)

    async def friend_requests_read_at(self, sdkappid: int, user_id: str) -> int:
        """Until when ``user_id`` has read their incoming requests (0: never)."""
        row = await self.db.fetchrow(self.sql.requests_read_at, sdkappid, user_id)
        return int(row[0]) if row else 0

    async def reject_friend_request(
        self, sdkappid: int, user_id: str, requester: str
    ) -> SnsChanges:
        """``user_id`` rejects (drops) ``requester``'s request (``requests_removed`` is empty
        when there was none)."""
        await self._lock_caller(sdkappid, user_id, [requester])
        writes = Writes()
        await self._drop_requests(sdkappid, [(requester, user_id)], writes)
        await self._apply(sdkappid, writes)
        return writes.changes
