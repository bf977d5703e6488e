"""Friend lists ("groups"): create (optionally with friends in them), delete, read."""

from __future__ import annotations

from collections.abc import Sequence

from relchain.domain.sns.lists import FriendList, ListsOutcome
from relchain.domain.sns.rules import SnsLimits
from relchain.services._base import ServiceBase

__all__ = ["ListService"]


class ListService(ServiceBase):
    async def add(
        self,
        sdkappid: int,
        user_id: str,
        names: Sequence[str],
        members: Sequence[str],
        *,
        limits: SnsLimits,
    ) -> ListsOutcome:
        return await self.write_as(
            sdkappid,
            user_id,
            lambda tx: tx.add_friend_lists(sdkappid, user_id, names, members, limits=limits),
        )

    async def delete(self, sdkappid: int, user_id: str, names: Sequence[str]) -> ListsOutcome:
        return await self.write_as(
            sdkappid, user_id, lambda tx: tx.delete_friend_lists(sdkappid, user_id, names)
        )

    async def get(
        self, sdkappid: int, user_id: str, names: Sequence[str] | None
    ) -> tuple[list[FriendList], int]:
        return await self.read_as(
            sdkappid, user_id, lambda tx: tx.get_friend_lists(sdkappid, user_id, names)
        )
