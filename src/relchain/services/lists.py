"""Friend lists ("groups"): create (optionally with friends in them), delete, read."""

from __future__ import annotations

from collections.abc import Sequence

from relchain.domain.errors import ApiError, Code
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

    async def rename(self, sdkappid: int, user_id: str, old: str, new: str) -> ListsOutcome:
        """Rename a list: 30001 when there is no list ``old`` or a list ``new`` exists."""
        outcome = await self.write_as(
            sdkappid, user_id, lambda tx: tx.rename_friend_list(sdkappid, user_id, old, new)
        )
        if outcome is None:
            raise ApiError(
                Code.SNS_BAD_PARAM,
                f"GroupNewName: no friend list {old!r}, or a friend list {new!r} exists already",
            )
        return outcome

    async def remove_members(
        self, sdkappid: int, user_id: str, name: str, members: Sequence[str]
    ) -> ListsOutcome:
        return await self.write_as(
            sdkappid,
            user_id,
            lambda tx: tx.remove_from_friend_list(sdkappid, user_id, name, members),
        )

    async def get(
        self, sdkappid: int, user_id: str, names: Sequence[str] | None
    ) -> tuple[list[FriendList], int]:
        return await self.read_as(
            sdkappid, user_id, lambda tx: tx.get_friend_lists(sdkappid, user_id, names)
        )
