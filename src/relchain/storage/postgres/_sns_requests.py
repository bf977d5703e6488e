"""Pending friend requests: list (incoming / outgoing), accept, reject.

Stored by friend_add for targets with ``AllowType_Type_NeedConfirm``; the user-side API lists,
accepts and rejects them. friend_add also resolves them (see :mod:`relchain.domain.friends`).
"""

from __future__ import annotations

from relchain.domain.errors import Code
from relchain.domain.friends import FriendRequest, SnsLimits, plan_accept
from relchain.storage.postgres._sns_base import Deltas, SnsBase

__all__ = ["FriendRequestsMixin"]

REQUEST_COLUMNS = (
    "requester, target, created_at, add_source, add_wording, remark, group_name, both_ways"
)


class FriendRequestsMixin(SnsBase):
    async def list_friend_requests(
        self,
        sdkappid: int,
        user_id: str,
        *,
        incoming: bool,
        limit: int,
        before: tuple[int, str] | None = None,
    ) -> list[FriendRequest]:
        mine, other = ("target", "requester") if incoming else ("requester", "target")
        sql = f"SELECT {REQUEST_COLUMNS} FROM friend_requests WHERE sdkappid = $1 AND {mine} = $2"
        params: list[object] = [sdkappid, user_id]
        if before is not None:
            sql += f' AND (created_at, {other} COLLATE "C") < ($3::bigint, $4::text)'
            params += [before[0], before[1]]
        sql += f' ORDER BY created_at DESC, {other} COLLATE "C" DESC LIMIT ${len(params) + 1}'
        params.append(limit)
        return [self._request(row) for row in await self.conn.fetch(sql, *params)]

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
    ) -> tuple[str, int, str]:
        locked = await self._lock_caller(sdkappid, user_id, [requester])
        peers = await self._peer_states(
            sdkappid, user_id, [requester] if requester in locked else []
        )
        peer = peers.get(requester)
        if peer is None or peer.peer_request is None:
            return requester, Code.SNS_BAD_PARAM, "no pending friend request from this user"
        plan = plan_accept(
            await self._my_state(sdkappid, user_id, locked[user_id]),
            peer,
            both=both,
            remark=remark,
            group=group,
            limits=limits,
            now=now,
        )
        await self._apply_plan(sdkappid, user_id, plan, limits)
        return plan.results[0]

    async def reject_friend_request(self, sdkappid: int, user_id: str, requester: str) -> bool:
        await self._lock_caller(sdkappid, user_id, [requester])
        deltas = Deltas()
        found = await self._drop_requests(sdkappid, [(requester, user_id)], deltas)
        await self._apply(sdkappid, deltas)
        return found > 0
