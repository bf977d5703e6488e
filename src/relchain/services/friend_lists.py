"""Friend lists ("groups"): create (optionally with friends in them), delete, read."""

from __future__ import annotations

from collections.abc import Sequence

from relchain.domain.friends import FriendList, ListsResult, SnsLimits
from relchain.services._base import ServiceBase
from relchain.services.friends import require_user

__all__ = ["FriendListService"]


class FriendListService(ServiceBase):
    async def add(
        self,
        sdkappid: int,
        user_id: str,
        names: Sequence[str],
        members: Sequence[str],
        *,
        limits: SnsLimits,
    ) -> ListsResult:
        async with self.store.write() as tx:
            await require_user(tx, sdkappid, user_id)
            return await tx.add_friend_lists(sdkappid, user_id, names, members, limits=limits)

    async def delete(self, sdkappid: int, user_id: str, names: Sequence[str]) -> int:
        async with self.store.write() as tx:
            await require_user(tx, sdkappid, user_id)
            return await tx.delete_friend_lists(sdkappid, user_id, names)

    async def get(
        self, sdkappid: int, user_id: str, names: Sequence[str] | None
    ) -> tuple[list[FriendList], int]:
        async with self.store.read() as tx:
            await require_user(tx, sdkappid, user_id)
            return await tx.get_friend_lists(sdkappid, user_id, names)
