"""Friends, blocklists, friend lists and pending requests (issue 4).

:class:`FriendsMixin` composes the friend use cases (this module) with the blocklist, friend-list
and request mixins, and owns ``purge_sns``. The decisions of friend_add / friend_import are the
pure planners of :mod:`relchain.domain.friends`; this module loads their input in a fixed number
of set-based queries and applies their plan the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from relchain.domain.errors import Code
from relchain.domain.friends import (
    AddRequest,
    FriendData,
    FriendPage,
    FriendUpdate,
    ImportItem,
    SnsLimits,
    plan_friend_add,
    plan_friend_import,
    plan_friend_update,
)
from relchain.storage.sqlite._base import marks
from relchain.storage.sqlite._sns_base import Deltas, SnsBase
from relchain.storage.sqlite._sns_blocklist import BlocklistMixin
from relchain.storage.sqlite._sns_lists import FriendListsMixin
from relchain.storage.sqlite._sns_requests import FriendRequestsMixin

__all__ = ["FriendsMixin"]

ItemResult = tuple[str, int, str]
FRIEND_COLUMNS = "friend, add_source, add_time, remark, add_wording, remark_time, custom, pos"
INFO_NOT_FRIEND = "Err_SNS_FriendDelete_Not_Friend"


class FriendsMixin(FriendRequestsMixin, FriendListsMixin, BlocklistMixin, SnsBase):
    # ------------------------------------------------------------ add / import

    async def add_friends(
        self,
        sdkappid: int,
        user_id: str,
        items: Sequence[AddRequest],
        *,
        both: bool,
        force: bool,
        limits: SnsLimits,
        now: int,
    ) -> list[ItemResult]:
        peers = self._peer_states(sdkappid, user_id, [i.to for i in items])
        plan = plan_friend_add(
            self._my_state(sdkappid, user_id),
            peers,
            items,
            both=both,
            force=force,
            limits=limits,
            now=now,
        )
        self._apply_plan(sdkappid, user_id, plan, limits)
        return plan.results

    async def import_friends(
        self,
        sdkappid: int,
        user_id: str,
        items: Sequence[ImportItem],
        *,
        limits: SnsLimits,
        now: int,
    ) -> list[ItemResult]:
        peers = self._peer_states(sdkappid, user_id, [i.to for i in items])
        plan = plan_friend_import(
            self._my_state(sdkappid, user_id),
            peers,
            items,
            limits=limits,
            now=now,
        )
        self._apply_plan(sdkappid, user_id, plan, limits)
        return plan.results

    # ------------------------------------------------------------ update

    async def update_friends(
        self,
        sdkappid: int,
        user_id: str,
        updates: Sequence[FriendUpdate],
        *,
        limits: SnsLimits,
        now: int,
    ) -> list[ItemResult]:
        targets = list(dict.fromkeys(u.to for u in updates))
        current = (
            {
                row[0]: self._custom(row[1])
                for row in self.conn.execute(
                    "SELECT friend, custom FROM friends WHERE sdkappid = ? AND owner = ?"
                    f" AND friend IN ({marks(len(targets))})",
                    (sdkappid, user_id, *targets),
                )
            }
            if targets
            else {}
        )
        plan = plan_friend_update(
            self._my_state(sdkappid, user_id), current, updates, limits=limits
        )
        self._create_lists(sdkappid, user_id, plan.new_lists)
        self.conn.executemany(
            "UPDATE friends SET remark = ?, remark_time = ?"
            " WHERE sdkappid = ? AND owner = ? AND friend = ?",
            [(remark, now, sdkappid, user_id, f) for f, remark in plan.remarks.items()],
        )
        self.conn.executemany(
            "UPDATE friends SET custom = ? WHERE sdkappid = ? AND owner = ? AND friend = ?",
            [(orjson.dumps(v).decode(), sdkappid, user_id, f) for f, v in plan.custom.items()],
        )
        if plan.groups:
            self.conn.execute(
                "DELETE FROM friend_list_members WHERE sdkappid = ? AND owner = ?"
                f" AND friend IN ({marks(len(plan.groups))})",
                (sdkappid, user_id, *plan.groups),
            )
            self.conn.executemany(
                "INSERT INTO friend_list_members (sdkappid, owner, friend, name)"
                " VALUES (?, ?, ?, ?)",
                [(sdkappid, user_id, f, g) for f, groups in plan.groups.items() for g in groups],
            )
        deltas = Deltas()
        deltas.add(
            user_id,
            standard_seq=plan.standard_changed,
            custom_seq=bool(plan.custom),
            list_seq=plan.lists_changed,
        )
        self._apply(sdkappid, deltas)
        return plan.results

    # ------------------------------------------------------------ delete

    async def delete_friends(
        self, sdkappid: int, user_id: str, friends: Sequence[str], *, both: bool
    ) -> dict[str, int]:
        targets = list(dict.fromkeys(friends))
        deltas = Deltas()
        # a reverse edge is removed only where the forward one existed
        removed = self._remove_edges(sdkappid, [(user_id, f) for f in targets], deltas)
        ok = {f for _, f in removed}
        if both and ok:
            self._remove_edges(sdkappid, [(f, user_id) for f in targets if f in ok], deltas)
        self._apply(sdkappid, deltas)
        return {f: (Code.OK if f in ok else Code.SNS_NOT_FRIEND_DELETE) for f in targets}

    async def delete_all_friends(self, sdkappid: int, user_id: str, *, both: bool) -> int:
        friends = [
            row[0]
            for row in self.conn.execute(
                "SELECT friend FROM friends WHERE sdkappid = ? AND owner = ?", (sdkappid, user_id)
            )
        ]
        if not friends:
            return 0
        deltas = Deltas()
        pairs = [(user_id, f) for f in friends]
        if both:
            pairs += [(f, user_id) for f in friends]
        self._remove_edges(sdkappid, pairs, deltas)
        self._apply(sdkappid, deltas)
        return len(friends)

    # ------------------------------------------------------------ reads

    async def friend_edges(
        self, sdkappid: int, user_id: str, others: Sequence[str]
    ) -> dict[str, tuple[bool, bool]]:
        others = list(dict.fromkeys(others))
        if not others:
            return {}
        n = marks(len(others))
        existing = [
            row[0]
            for row in self.conn.execute(
                f"SELECT user_id FROM accounts WHERE sdkappid = ? AND user_id IN ({n})",
                (sdkappid, *others),
            )
        ]
        mine = {
            row[0]
            for row in self.conn.execute(
                f"SELECT friend FROM friends WHERE sdkappid = ? AND owner = ? AND friend IN ({n})",
                (sdkappid, user_id, *others),
            )
        }
        theirs = {
            row[0]
            for row in self.conn.execute(
                f"SELECT owner FROM friends WHERE sdkappid = ? AND friend = ? AND owner IN ({n})",
                (sdkappid, user_id, *others),
            )
        }
        return {o: (o in mine, o in theirs) for o in existing}

    def _friend_rows(self, sdkappid: int, user_id: str, rows: list[Any]) -> list[FriendData]:
        if not rows:
            return []
        groups: dict[str, list[str]] = {}
        for friend, name in self.conn.execute(
            "SELECT m.friend, m.name FROM friend_list_members m JOIN friend_lists l"
            " ON l.sdkappid = m.sdkappid AND l.owner = m.owner AND l.name = m.name"
            f" WHERE m.sdkappid = ? AND m.owner = ? AND m.friend IN ({marks(len(rows))})"
            " ORDER BY l.pos",
            (sdkappid, user_id, *(r[0] for r in rows)),
        ):
            groups.setdefault(friend, []).append(name)
        return [
            FriendData(
                friend=r[0],
                add_source=r[1],
                add_time=r[2],
                remark=r[3],
                add_wording=r[4],
                remark_time=r[5],
                groups=tuple(groups.get(r[0], ())),
                custom=self._custom(r[6]),
                position=r[7],
            )
            for r in rows
        ]

    async def get_friend_page(
        self, sdkappid: int, user_id: str, start: int, limit: int
    ) -> FriendPage:
        rows = self.conn.execute(
            f"SELECT {FRIEND_COLUMNS} FROM friends"
            " WHERE sdkappid = ? AND owner = ? AND pos >= ? ORDER BY pos LIMIT ?",
            (sdkappid, user_id, start, limit + 1),
        ).fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        user = self._user_row(sdkappid, user_id)
        return FriendPage(
            friends=self._friend_rows(sdkappid, user_id, rows),
            friend_count=user["friend_count"],
            standard_sequence=user["standard_seq"],
            custom_sequence=user["custom_seq"],
            next_start=rows[-1][7] + 1 if more else 0,
        )

    async def get_friends(
        self, sdkappid: int, user_id: str, others: Sequence[str]
    ) -> dict[str, FriendData]:
        others = list(dict.fromkeys(others))
        if not others:
            return {}
        rows = self.conn.execute(
            f"SELECT {FRIEND_COLUMNS} FROM friends WHERE sdkappid = ? AND owner = ?"
            f" AND friend IN ({marks(len(others))})",
            (sdkappid, user_id, *others),
        ).fetchall()
        return {f.friend: f for f in self._friend_rows(sdkappid, user_id, rows)}

    # ------------------------------------------------------------ account_delete

    async def purge_sns(self, sdkappid: int, user_ids: Sequence[str]) -> None:
        """Set-based: fix the counters and sequences of everyone related to ``user_ids``, then
        drop every row of theirs."""
        if not user_ids:
            return
        n, ids = marks(len(user_ids)), (sdkappid, *user_ids)
        deltas = Deltas()
        for owner, had_custom in self.conn.execute(
            "SELECT owner, custom != '{}' FROM friends INDEXED BY friends_by_friend"
            f" WHERE sdkappid = ? AND friend IN ({n})",
            ids,
        ).fetchall():
            deltas.add(owner, friend_count=-1, standard_seq=1, custom_seq=bool(had_custom))
        for (owner,) in self.conn.execute(
            "SELECT owner FROM friend_list_members INDEXED BY friend_list_members_by_friend"
            f" WHERE sdkappid = ? AND friend IN ({n})",
            ids,
        ).fetchall():
            deltas.add(owner, list_seq=1)
        for (owner,) in self.conn.execute(
            "SELECT owner FROM blocklist INDEXED BY blocklist_by_blocked"
            f" WHERE sdkappid = ? AND blocked IN ({n})",
            ids,
        ).fetchall():
            deltas.add(owner, block_count=-1, block_seq=1)
        for (requester,) in self.conn.execute(
            "SELECT requester FROM friend_requests INDEXED BY friend_requests_incoming"
            f" WHERE sdkappid = ? AND target IN ({n})",
            ids,
        ).fetchall():
            deltas.add(requester, pending_count=-1)
        gone = set(user_ids)
        for user in list(deltas.users):
            if user in gone:
                del deltas.users[user]
        for table, first, second in (
            ("friends", "owner", "friend"),
            ("friend_list_members", "owner", "friend"),
            ("blocklist", "owner", "blocked"),
            ("friend_requests", "requester", "target"),
            ("sns_positions", "owner", "other"),
        ):
            self.conn.execute(
                f"DELETE FROM {table} WHERE sdkappid = ? AND {first} IN ({n})",
                ids,
            )
            self.conn.execute(
                f"DELETE FROM {table} WHERE sdkappid = ? AND {second} IN ({n})",
                ids,
            )
        self.conn.execute(f"DELETE FROM friend_lists WHERE sdkappid = ? AND owner IN ({n})", ids)
        self.conn.execute(f"DELETE FROM sns_users WHERE sdkappid = ? AND user_id IN ({n})", ids)
        self._apply(sdkappid, deltas)
