"""Friend lists ("groups"): create (optionally with friends in them), delete, read."""

from __future__ import annotations

from collections.abc import Sequence

from relchain.domain.sns.lists import FriendList, ListsOutcome
from relchain.domain.sns.rules import SnsLimits
from relchain.ports import Tx
from relchain.services._base import ServiceBase, require_user

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
        async def work(tx: Tx) -> ListsOutcome:
            await require_user(tx, sdkappid, user_id)
            return await tx.add_friend_lists(sdkappid, user_id, names, members, limits=limits)

        return await self.store.run_write(work)  # PostgreSQL: re-run if chosen as deadlock victim

    async def delete(self, sdkappid: int, user_id: str, names: Sequence[str]) -> ListsOutcome:
        async def work(tx: Tx) -> ListsOutcome:
            await require_user(tx, sdkappid, user_id)
            return await tx.delete_friend_lists(sdkappid, user_id, names)

        return await self.store.run_write(work)

    async def get(
        self, sdkappid: int, user_id: str, names: Sequence[str] | None
    ) -> tuple[list[FriendList], int]:
        async with self.store.read() as tx:
            await require_user(tx, sdkappid, user_id)
            return await tx.get_friend_lists(sdkappid, user_id, names)
