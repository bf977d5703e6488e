"""Pending friend requests: list, accept, reject (the user side of NeedConfirm adds)."""

from __future__ import annotations

from relchain.domain.sns.plan import SnsChanges, SnsOutcome
from relchain.domain.sns.requests import FriendRequest
from relchain.domain.sns.rules import SnsLimits
from relchain.ports import Tx
from relchain.services._base import ServiceBase

__all__ = ["RequestService"]


class RequestService(ServiceBase):
    async def list(
        self,
        sdkappid: int,
        user_id: str,
        *,
        incoming: bool,
        limit: int,
        before: tuple[int, str] | None = None,
    ) -> list[FriendRequest]:
        async with self.store.read() as tx:
            return await tx.list_friend_requests(
                sdkappid, user_id, incoming=incoming, limit=limit, before=before
            )

    async def accept(
        self,
        sdkappid: int,
        user_id: str,
        requester: str,
        *,
        both: bool,
        remark: str = "",
        group: str = "",
        limits: SnsLimits,
    ) -> SnsOutcome:
        now = self.now()

        async def work(tx: Tx) -> SnsOutcome:
            return await tx.accept_friend_request(
                sdkappid,
                user_id,
                requester,
                both=both,
                remark=remark,
                group=group,
                limits=limits,
                now=now,
            )

        return await self.store.run_write(work)

    async def mark_read(self, sdkappid: int, user_id: str, time: int) -> None:
        async def work(tx: Tx) -> None:
            await tx.mark_friend_requests_read(sdkappid, user_id, time)

        await self.store.run_write(work)

    async def read_at(self, sdkappid: int, user_id: str) -> int:
        async with self.store.read() as tx:
            return await tx.friend_requests_read_at(sdkappid, user_id)

    async def reject(self, sdkappid: int, user_id: str, requester: str) -> SnsChanges:
        async def work(tx: Tx) -> SnsChanges:
            return await tx.reject_friend_request(sdkappid, user_id, requester)

        return await self.store.run_write(work)
