"""Friend lists ("groups"): create with members, delete, read."""

from __future__ import annotations

from collections.abc import Sequence

from relchain.domain.errors import Code
from relchain.domain.results import ItemResult, Reason
from relchain.domain.sns.lists import FriendList, ListsOutcome, plan_list_add
from relchain.domain.sns.rules import SnsLimits
from relchain.storage.sns._base import SnsBase, Writes

__all__ = ["ListsMixin"]


class ListsMixin(SnsBase):
    async def add_friend_lists(
        self,
        sdkappid: int,
        user_id: str,
        names: Sequence[str],
        members: Sequence[str],
        *,
        limits: SnsLimits,
    ) -> ListsOutcome:
        """group_add: create the missing lists (:class:`TooManyLists` past the cap, nothing
        written) and put ``members`` in all ``names`` (non-friend 32216, no account 30003)."""
        await self._lock_caller(sdkappid, user_id)  # lists and edges of the caller only
        lists = await self._list_names(sdkappid, user_id)
        unique = list(dict.fromkeys(members))
        rows = await self.db.fetch(self.sql.friendship_of, sdkappid, user_id, unique)
        existing = {row[0] for row in rows}
        friends = {row[0] for row in rows if row[1]}
        missing, results = plan_list_add(lists, names, members, existing, friends, limits=limits)
        writes = Writes()
        await self._create_lists(sdkappid, user_id, missing, writes)
        wanted = list(dict.fromkeys(names))
        put = [f for f in unique if f in friends]
        if put and wanted:
            added = await self.db.fetch(self.sql.add_to_lists, sdkappid, user_id, put, wanted)
            if added:
                writes.add(user_id, standard_seq=1, list_seq=1)
                writes.changes.friends_updated += [
                    (user_id, f) for f in dict.fromkeys(row[0] for row in added)
                ]
        await self._apply(sdkappid, writes)
        sequence = (await self._user_row(sdkappid, user_id))["list_seq"]
        return ListsOutcome(results, sequence, writes.changes)

    async def delete_friend_lists(
        self, sdkappid: int, user_id: str, names: Sequence[str]
    ) -> ListsOutcome:
        """group_delete: remove the lists (unknown names are ignored) and their memberships."""
        wanted = list(dict.fromkeys(names))
        writes = Writes()
        if wanted:
            await self._lock_caller(sdkappid, user_id)
            gone = [
                r[0] for r in await self.db.fetch(self.sql.delete_lists, sdkappid, user_id, wanted)
            ]
            if gone:
                writes.add(user_id, list_seq=1)
                writes.changes.lists_deleted += [(user_id, name) for name in gone]
                members = await self.db.fetch(self.sql.empty_lists, sdkappid, user_id, gone)
                if members:
                    writes.add(user_id, standard_seq=1)
                    writes.changes.friends_updated += [
                        (user_id, f) for f in dict.fromkeys(row[0] for row in members)
                    ]
        await self._apply(sdkappid, writes)
        sequence = (await self._user_row(sdkappid, user_id))["list_seq"]
        return ListsOutcome([], sequence, writes.changes)

    async def rename_friend_list(
        self, sdkappid: int, user_id: str, old: str, new: str
    ) -> ListsOutcome | None:
        """The SDK's group_update rename: ``old`` (with its members, in its place) becomes
        ``new``; None when there is no list ``old`` or there is a list ``new`` (nothing done)."""
        await self._lock_caller(sdkappid, user_id)
        lists = await self._list_names(sdkappid, user_id)
        if old not in lists or new in lists:
            return None
        writes = Writes()
        await self.db.fetch(self.sql.rename_list, sdkappid, user_id, old, new)
        members = await self.db.fetch(self.sql.rename_list_members, sdkappid, user_id, old, new)
        writes.add(user_id, list_seq=1, standard_seq=1 if members else 0)
        writes.changes.lists_deleted.append((user_id, old))
        writes.changes.lists_created.append((user_id, new))
        writes.changes.friends_updated += [(user_id, row[0]) for row in members]
        await self._apply(sdkappid, writes)
        sequence = (await self._user_row(sdkappid, user_id))["list_seq"]
        return ListsOutcome([], sequence, writes.changes)

    async def remove_from_friend_list(
        self, sdkappid: int, user_id: str, name: str, members: Sequence[str]
    ) -> ListsOutcome:
        """The SDK's group_update delete: take ``members`` out of list ``name`` (one not in it:
        item 32216 as group_add's non-friend)."""
        await self._lock_caller(sdkappid, user_id)
        unique = list(dict.fromkeys(members))
        rows = await self.db.fetch(self.sql.remove_from_list, sdkappid, user_id, name, unique)
        removed = {row[0] for row in rows}
        writes = Writes()
        if removed:
            writes.add(user_id, list_seq=1, standard_seq=1)
            writes.changes.friends_updated += [(user_id, f) for f in unique if f in removed]
        await self._apply(sdkappid, writes)
        results = [
            ItemResult.ok(m)
            if m in removed
            else ItemResult(m, Code.SNS_GROUP_NOT_FRIEND, Reason.NOT_FRIEND)
            for m in members
        ]
        sequence = (await self._user_row(sdkappid, user_id))["list_seq"]
        return ListsOutcome(results, sequence, writes.changes)

    async def get_friend_lists(
        self, sdkappid: int, user_id: str, names: Sequence[str] | None
    ) -> tuple[list[FriendList], int]:
        """The lists (all, or those of ``names`` that exist) in creation order, and the list
        sequence."""
        lists = await self._list_names(sdkappid, user_id)
        if names is not None:
            wanted = set(names)
            lists = [name for name in lists if name in wanted]
        members: dict[str, list[str]] = {name: [] for name in lists}
        if lists:
            for name, friend in await self.db.fetch(
                self.sql.list_members, sdkappid, user_id, lists
            ):
                members[name].append(friend)
        sequence = (await self._user_row(sdkappid, user_id))["list_seq"]
        return [FriendList(name, tuple(members[name])) for name in lists], sequence
