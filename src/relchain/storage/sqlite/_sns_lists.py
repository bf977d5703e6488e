"""Friend lists ("groups"): create with members, delete, read."""

from __future__ import annotations

from collections.abc import Sequence

from relchain.domain.friends import FriendList, ListsResult, SnsLimits, plan_list_add
from relchain.storage.sqlite._base import marks
from relchain.storage.sqlite._sns_base import Deltas, SnsBase

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
        lists = self._list_names(sdkappid, user_id)
        unique = list(dict.fromkeys(members))
        existing: set[str] = set()
        friends: set[str] = set()
        if unique:
            n = marks(len(unique))
            existing = {
                row[0]
                for row in self.conn.execute(
                    f"SELECT user_id FROM accounts WHERE sdkappid = ? AND user_id IN ({n})",
                    (sdkappid, *unique),
                )
            }
            friends = {
                row[0]
                for row in self.conn.execute(
                    "SELECT friend FROM friends WHERE sdkappid = ? AND owner = ?"
                    f" AND friend IN ({n})",
                    (sdkappid, user_id, *unique),
                )
            }
        missing, results = plan_list_add(lists, names, members, existing, friends, limits=limits)
        deltas = Deltas()
        if missing:
            self._create_lists(sdkappid, user_id, missing)
            deltas.add(user_id, list_seq=1)
        wanted = list(dict.fromkeys(names))
        added = self.conn.executemany(
            "INSERT OR IGNORE INTO friend_list_members (sdkappid, owner, friend, name)"
            " VALUES (?, ?, ?, ?)",
            [(sdkappid, user_id, f, name) for f in unique if f in friends for name in wanted],
        ).rowcount
        if added > 0:
            deltas.add(user_id, standard_seq=1, list_seq=1)
        self._apply(sdkappid, deltas)
        return ListsResult(results, self._user_row(sdkappid, user_id)["list_seq"])

    async def delete_friend_lists(self, sdkappid: int, user_id: str, names: Sequence[str]) -> int:
        wanted = list(dict.fromkeys(names))
        deltas = Deltas()
        if wanted:
            n = marks(len(wanted))
            gone = self.conn.execute(
                f"DELETE FROM friend_lists WHERE sdkappid = ? AND owner = ? AND name IN ({n})"
                " RETURNING name",
                (sdkappid, user_id, *wanted),
            ).fetchall()
            if gone:
                deltas.add(user_id, list_seq=1)
                members = self.conn.execute(
                    "DELETE FROM friend_list_members WHERE sdkappid = ? AND owner = ?"
                    f" AND name IN ({marks(len(gone))}) RETURNING friend",
                    (sdkappid, user_id, *(row[0] for row in gone)),
                ).fetchall()
                if members:
                    deltas.add(user_id, standard_seq=1)
        self._apply(sdkappid, deltas)
        return self._user_row(sdkappid, user_id)["list_seq"]

    async def get_friend_lists(
        self, sdkappid: int, user_id: str, names: Sequence[str] | None
    ) -> tuple[list[FriendList], int]:
        lists = self._list_names(sdkappid, user_id)
        if names is not None:
            wanted = set(names)
            lists = [name for name in lists if name in wanted]
        members: dict[str, list[str]] = {name: [] for name in lists}
        if lists:
            for name, friend in self.conn.execute(
                "SELECT m.name, m.friend FROM friend_list_members m JOIN friends f"
                " ON f.sdkappid = m.sdkappid AND f.owner = m.owner AND f.friend = m.friend"
                f" WHERE m.sdkappid = ? AND m.owner = ? AND m.name IN ({marks(len(lists))})"
                " ORDER BY f.pos",
                (sdkappid, user_id, *lists),
            ):
                members[name].append(friend)
        sequence = self._user_row(sdkappid, user_id)["list_seq"]
        return [FriendList(name, tuple(members[name])) for name in lists], sequence
