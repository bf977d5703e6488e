"""Friend lists ("groups"): create with members, delete, read."""

from __future__ import annotations

from collections.abc import Sequence

from relchain.domain.friends import FriendList, ListsResult, SnsLimits, plan_list_add
from relchain.storage.postgres._sns_base import Deltas, SnsBase

__all__ = ["FriendListsMixin"]


class FriendListsMixin(SnsBase):
    async def add_friend_lists(
        self,
        sdkappid: int,
        user_id: str,
        names: Sequence[str],
        members: Sequence[str],
        *,
        limits: SnsLimits,
    ) -> ListsResult:
        await self._lock_caller(sdkappid, user_id)  # lists and edges of the caller only
        lists = await self._list_names(sdkappid, user_id)
        unique = list(dict.fromkeys(members))
        existing: set[str] = set()
        friends: set[str] = set()
        if unique:
            rows = await self.conn.fetch(
                "SELECT a.user_id, f.friend IS NOT NULL FROM accounts a"
                " LEFT JOIN friends f ON f.sdkappid = $1 AND f.owner = $2 AND f.friend = a.user_id"
                " WHERE a.sdkappid = $1 AND a.user_id = ANY($3::text[])",
                sdkappid,
                user_id,
                unique,
            )
            existing = {str(row[0]) for row in rows}
            friends = {str(row[0]) for row in rows if row[1]}
        missing, results = plan_list_add(lists, names, members, existing, friends, limits=limits)
        deltas = Deltas()
        if missing:
            await self._create_lists(sdkappid, user_id, missing)
            deltas.add(user_id, list_seq=1)
        wanted = list(dict.fromkeys(names))
        put = [f for f in unique if f in friends]
        if put and wanted:
            added = await self.conn.fetch(
                "INSERT INTO friend_list_members (sdkappid, owner, friend, name)"
                " SELECT $1, $2, f, n FROM unnest($3::text[]) AS f, unnest($4::text[]) AS n"
                " ON CONFLICT DO NOTHING RETURNING 1",
                sdkappid,
                user_id,
                put,
                wanted,
            )
            if added:
                deltas.add(user_id, standard_seq=1, list_seq=1)
        await self._apply(sdkappid, deltas)
        return ListsResult(results, (await self._user_row(sdkappid, user_id))["list_seq"])

    async def delete_friend_lists(self, sdkappid: int, user_id: str, names: Sequence[str]) -> int:
        wanted = list(dict.fromkeys(names))
        deltas = Deltas()
        if wanted:
            await self._lock_caller(sdkappid, user_id)
            gone = await self.conn.fetch(
                "DELETE FROM friend_lists WHERE sdkappid = $1 AND owner = $2"
                " AND name = ANY($3::text[]) RETURNING name",
                sdkappid,
                user_id,
                wanted,
            )
            if gone:
                deltas.add(user_id, list_seq=1)
                members = await self.conn.fetch(
                    "DELETE FROM friend_list_members WHERE sdkappid = $1 AND owner = $2"
                    " AND name = ANY($3::text[]) RETURNING friend",
                    sdkappid,
                    user_id,
                    [str(row[0]) for row in gone],
                )
                if members:
                    deltas.add(user_id, standard_seq=1)
        await self._apply(sdkappid, deltas)
        return (await self._user_row(sdkappid, user_id))["list_seq"]

    async def get_friend_lists(
        self, sdkappid: int, user_id: str, names: Sequence[str] | None
    ) -> tuple[list[FriendList], int]:
        lists = await self._list_names(sdkappid, user_id)
        if names is not None:
            wanted = set(names)
            lists = [name for name in lists if name in wanted]
        members: dict[str, list[str]] = {name: [] for name in lists}
        if lists:
            for row in await self.conn.fetch(
                "SELECT m.name, m.friend FROM friend_list_members m JOIN friends f"
                " ON f.sdkappid = m.sdkappid AND f.owner = m.owner AND f.friend = m.friend"
                " WHERE m.sdkappid = $1 AND m.owner = $2 AND m.name = ANY($3::text[])"
                " ORDER BY f.pos",
                sdkappid,
                user_id,
                lists,
            ):
                members[str(row[0])].append(str(row[1]))
        sequence = (await self._user_row(sdkappid, user_id))["list_seq"]
        return [FriendList(name, tuple(members[name])) for name in lists], sequence
