"""Friend lists ("groups"): create (optionally with friends in them), delete, read."""

from __future__ import annotations

from collections.abc import Sequence

from relchain.domain.changes import (
    list_add_events,
    list_delete_events,
    list_remove_events,
    list_rename_events,
)
from relchain.domain.errors import ApiError, Code
from relchain.domain.events import REST, Origin
from relchain.domain.sns.lists import FriendList, ListsOutcome
from relchain.domain.sns.rules import SnsLimits
from relchain.ports import Tx
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
        origin: Origin = REST,
    ) -> ListsOutcome:
        now_ms = self.now_ms()

        async def work(tx: Tx) -> ListsOutcome:
            outcome = await tx.add_friend_lists(sdkappid, user_id, names, members, limits=limits)
            events = list_add_events(user_id, names, outcome.changes, origin)
            await tx.append_events(sdkappid, events, now_ms)
            return outcome

        return await self.write_as(sdkappid, user_id, work)

    async def delete(
        self, sdkappid: int, user_id: str, names: Sequence[str], *, origin: Origin = REST
    ) -> ListsOutcome:
        now_ms = self.now_ms()

        async def work(tx: Tx) -> ListsOutcome:
            outcome = await tx.delete_friend_lists(sdkappid, user_id, names)
            events = list_delete_events(user_id, outcome.changes, origin)
            await tx.append_events(sdkappid, events, now_ms)
            return outcome

        return await self.write_as(sdkappid, user_id, work)

    async def rename(
        self, sdkappid: int, user_id: str, old: str, new: str, *, origin: Origin = REST
    ) -> ListsOutcome:
        """Rename a list: 30001 when there is no list ``old`` or a list ``new`` exists."""
        now_ms = self.now_ms()

        async def work(tx: Tx) -> ListsOutcome | None:
            outcome = await tx.rename_friend_list(sdkappid, user_id, old, new)
            if outcome is not None:
                events = list_rename_events(user_id, old, new, origin)
                await tx.append_events(sdkappid, events, now_ms)
            return outcome

        outcome = await self.write_as(sdkappid, user_id, work)
        if outcome is None:
            raise ApiError(
                Code.SNS_BAD_PARAM,
                f"GroupNewName: no friend list {old!r}, or a friend list {new!r} exists already",
            )
        return outcome

    async def remove_members(
        self,
        sdkappid: int,
        user_id: str,
        name: str,
        members: Sequence[str],
        *,
        origin: Origin = REST,
    ) -> ListsOutcome:
        now_ms = self.now_ms()

        async def work(tx: Tx) -> ListsOutcome:
            outcome = await tx.remove_from_friend_list(sdkappid, user_id, name, members)
            events = list_remove_events(user_id, name, outcome.changes, origin)
            await tx.append_events(sdkappid, events, now_ms)
            return outcome

        return await self.write_as(sdkappid, user_id, work)

    async def get(
        self, sdkappid: int, user_id: str, names: Sequence[str] | None
    ) -> tuple[list[FriendList], int]:
        return await self.read_as(
            sdkappid, user_id, lambda tx: tx.get_friend_lists(sdkappid, user_id, names)
        )
