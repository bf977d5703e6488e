"""Friends, blocklists, friend lists and pending requests (issue 4) on PostgreSQL.

:class:`FriendsMixin` composes the friend use cases (this module) with the blocklist, friend-list
and request mixins, and owns ``purge_sns``. The decisions are the pure planners of
:mod:`relchain.domain.friends`, fed with what is read *after* locking the ``sns_users`` rows of
everyone involved (see :mod:`relchain.storage.postgres._sns_base` for the locking rules).
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
from relchain.storage.postgres._sns_base import Deltas, SnsBase, caller_gone
from relchain.storage.postgres._sns_blocklist import BlocklistMixin
from relchain.storage.postgres._sns_lists import FriendListsMixin
from relchain.storage.postgres._sns_requests import FriendRequestsMixin

__all__ = ["FriendsMixin"]

ItemResult = tuple[str, int, str]
FRIEND_COLUMNS = "friend, add_source, add_time, remark, add_wording, remark_time, custom::text, pos"

# users whose counters a purge changes (they have an edge to, a block of, or a request to one
# of the purged users); read once before locking and once after
RELATED = """
SELECT owner FROM friends WHERE sdkappid = $1 AND friend = ANY($2::text[])
UNION SELECT owner FROM blocklist WHERE sdkappid = $1 AND blocked = ANY($2::text[])
UNION SELECT requester FROM friend_requests WHERE sdkappid = $1 AND target = ANY($2::text[])
"""


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
        targets = [i.to for i in items]
        locked = await self._lock_caller(sdkappid, user_id, targets)
        peers = await self._peer_states(sdkappid, user_id, [t for t in targets if t in locked])
        plan = plan_friend_add(
            await self._my_state(sdkappid, user_id, locked[user_id]),
            peers,
            items,
            both=both,
            force=force,
            limits=limits,
            now=now,
        )
        await self._apply_plan(sdkappid, user_id, plan, limits)
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
        targets = [i.to for i in items]
        locked = await self._lock_caller(sdkappid, user_id, targets)  # blocks are pair state
        peers = await self._peer_states(sdkappid, user_id, [t for t in targets if t in locked])
        plan = plan_friend_import(
            await self._my_state(sdkappid, user_id, locked[user_id]),
            peers,
            items,
            limits=limits,
            now=now,
        )
        await self._apply_plan(sdkappid, user_id, plan, limits)
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
        locked = await self._lock_caller(sdkappid, user_id)  # only the caller's edges change
        targets = list(dict.fromkeys(u.to for u in updates))
        current = (
            {
                str(row[0]): self._custom(row[1])
                for row in await self.conn.fetch(
                    "SELECT friend, custom::text FROM friends WHERE sdkappid = $1 AND owner = $2"
                    " AND friend = ANY($3::text[])",
                    sdkappid,
                    user_id,
                    targets,
                )
            }
            if targets
            else {}
        )
        plan = plan_friend_update(
            await self._my_state(sdkappid, user_id, locked[user_id]),
            current,
            updates,
            limits=limits,
        )
        await self._create_lists(sdkappid, user_id, plan.new_lists)
        if plan.remarks:
            await self.conn.execute(
                "UPDATE friends f SET remark = u.remark, remark_time = $3"
                " FROM unnest($4::text[], $5::text[]) AS u(friend, remark)"
                " WHERE f.sdkappid = $1 AND f.owner = $2 AND f.friend = u.friend",
                sdkappid,
                user_id,
                now,
                list(plan.remarks),
                list(plan.remarks.values()),
            )
        if plan.custom:
            await self.conn.execute(
                "UPDATE friends f SET custom = u.custom::jsonb"
                " FROM unnest($3::text[], $4::text[]) AS u(friend, custom)"
                " WHERE f.sdkappid = $1 AND f.owner = $2 AND f.friend = u.friend",
                sdkappid,
                user_id,
                list(plan.custom),
                [orjson.dumps(v).decode() for v in plan.custom.values()],
            )
        if plan.groups:
            await self.conn.execute(
                "DELETE FROM friend_list_members WHERE sdkappid = $1 AND owner = $2"
                " AND friend = ANY($3::text[])",
                sdkappid,
                user_id,
                list(plan.groups),
            )
            members = [(f, g) for f, groups in plan.groups.items() for g in groups]
            if members:
                await self.conn.execute(
                    "INSERT INTO friend_list_members (sdkappid, owner, friend, name)"
                    " SELECT $1, $2, m.friend, m.name"
                    " FROM unnest($3::text[], $4::text[]) AS m(friend, name)",
                    sdkappid,
                    user_id,
                    [m[0] for m in members],
                    [m[1] for m in members],
                )
        deltas = Deltas()
        deltas.add(
            user_id,
            standard_seq=plan.standard_changed,
            custom_seq=bool(plan.custom),
            list_seq=plan.lists_changed,
        )
        await self._apply(sdkappid, deltas)
        return plan.results

    # ------------------------------------------------------------ delete

    async def delete_friends(
        self, sdkappid: int, user_id: str, friends: Sequence[str], *, both: bool
    ) -> dict[str, int]:
        targets = list(dict.fromkeys(friends))
        # the reverse edges (and their owners' counters) change only with Delete_Type_Both
        await self._lock_caller(sdkappid, user_id, targets if both else ())
        deltas = Deltas()
        # a reverse edge is removed only where the forward one existed
        removed = await self._remove_edges(sdkappid, [(user_id, f) for f in targets], deltas)
        ok = {f for _, f in removed}
        if both and ok:
            await self._remove_edges(sdkappid, [(f, user_id) for f in targets if f in ok], deltas)
        await self._apply(sdkappid, deltas)
        return {f: (Code.OK if f in ok else Code.SNS_NOT_FRIEND_DELETE) for f in targets}

    async def _friend_ids(self, sdkappid: int, user_id: str) -> list[str]:
        rows = await self.conn.fetch(
            "SELECT friend FROM friends WHERE sdkappid = $1 AND owner = $2", sdkappid, user_id
        )
        return [str(row[0]) for row in rows]

    async def delete_all_friends(self, sdkappid: int, user_id: str, *, both: bool) -> int:
        if both:  # the friends' edges to the caller and their counters change too
            locked = await self._lock_related(
                sdkappid, [user_id], lambda: self._friend_ids(sdkappid, user_id)
            )
            if user_id not in locked:
                raise caller_gone(user_id)
        else:
            await self._lock_caller(sdkappid, user_id)
        friends = await self._friend_ids(sdkappid, user_id)
        if not friends:
            return 0
        deltas = Deltas()
        pairs = [(user_id, f) for f in friends]
        if both:
            pairs += [(f, user_id) for f in friends]
        await self._remove_edges(sdkappid, pairs, deltas)
        await self._apply(sdkappid, deltas)
        return len(friends)

    # ------------------------------------------------------------ reads

    async def friend_edges(
        self, sdkappid: int, user_id: str, others: Sequence[str]
    ) -> dict[str, tuple[bool, bool]]:
        others = list(dict.fromkeys(others))
        if not others:
            return {}
        rows = await self.conn.fetch(
            "SELECT a.user_id,"
            " EXISTS (SELECT 1 FROM friends f"
            "   WHERE f.sdkappid = $1 AND f.owner = $2 AND f.friend = a.user_id),"
            " EXISTS (SELECT 1 FROM friends f"
            "   WHERE f.sdkappid = $1 AND f.owner = a.user_id AND f.friend = $2)"
            " FROM accounts a WHERE a.sdkappid = $1 AND a.user_id = ANY($3::text[])",
            sdkappid,
            user_id,
            others,
        )
        return {str(row[0]): (bool(row[1]), bool(row[2])) for row in rows}

    async def _friend_rows(self, sdkappid: int, user_id: str, rows: list[Any]) -> list[FriendData]:
        if not rows:
            return []
        groups: dict[str, list[str]] = {}
        for friend, name in await self.conn.fetch(
            "SELECT m.friend, m.name FROM friend_list_members m JOIN friend_lists l"
            " ON l.sdkappid = m.sdkappid AND l.owner = m.owner AND l.name = m.name"
            " WHERE m.sdkappid = $1 AND m.owner = $2 AND m.friend = ANY($3::text[])"
            " ORDER BY l.pos",
            sdkappid,
            user_id,
            [r[0] for r in rows],
        ):
            groups.setdefault(str(friend), []).append(str(name))
        return [
            FriendData(
                friend=str(r[0]),
                add_source=str(r[1]),
                add_time=int(r[2]),
                remark=str(r[3]),
                add_wording=str(r[4]),
                remark_time=int(r[5]),
                groups=tuple(groups.get(str(r[0]), ())),
                custom=self._custom(r[6]),
                position=int(r[7]),
            )
            for r in rows
        ]

    async def get_friend_page(
        self, sdkappid: int, user_id: str, start: int, limit: int
    ) -> FriendPage:
        rows = await self.conn.fetch(
            f"SELECT {FRIEND_COLUMNS} FROM friends"
            " WHERE sdkappid = $1 AND owner = $2 AND pos >= $3 ORDER BY pos LIMIT $4",
            sdkappid,
            user_id,
            start,
            limit + 1,
        )
        more = len(rows) > limit
        rows = rows[:limit]
        user = await self._user_row(sdkappid, user_id)
        return FriendPage(
            friends=await self._friend_rows(sdkappid, user_id, rows),
            friend_count=user["friend_count"],
            standard_sequence=user["standard_seq"],
            custom_sequence=user["custom_seq"],
            next_start=int(rows[-1][7]) + 1 if more else 0,
        )

    async def get_friends(
        self, sdkappid: int, user_id: str, others: Sequence[str]
    ) -> dict[str, FriendData]:
        others = list(dict.fromkeys(others))
        if not others:
            return {}
        rows = await self.conn.fetch(
            f"SELECT {FRIEND_COLUMNS} FROM friends WHERE sdkappid = $1 AND owner = $2"
            " AND friend = ANY($3::text[])",
            sdkappid,
            user_id,
            others,
        )
        return {f.friend: f for f in await self._friend_rows(sdkappid, user_id, list(rows))}

    # ------------------------------------------------------------ account_delete

    async def purge_sns(self, sdkappid: int, user_ids: Sequence[str]) -> None:
        """Set-based: lock the purged users and everyone related to them (in ``user_id`` order),
        fix the counters and sequences of the related users, then drop every row of theirs."""
        if not user_ids:
            return
        ids = sorted(set(user_ids))

        async def related() -> list[str]:
            return [str(row[0]) for row in await self.conn.fetch(RELATED, sdkappid, ids)]

        # the purged users' rows are created too (``fixed``), so that a concurrent first write
        # about one of them conflicts with this transaction instead of slipping past it
        await self._lock_related(sdkappid, ids, related)
        gone = set(ids)
        deltas = Deltas()
        for row in await self.conn.fetch(
            "DELETE FROM friends WHERE sdkappid = $1 AND friend = ANY($2::text[])"
            " RETURNING owner, custom <> '{}'::jsonb",
            sdkappid,
            ids,
        ):
            deltas.add(str(row[0]), friend_count=-1, standard_seq=1, custom_seq=bool(row[1]))
        for row in await self.conn.fetch(
            "DELETE FROM friend_list_members WHERE sdkappid = $1 AND friend = ANY($2::text[])"
            " RETURNING owner",
            sdkappid,
            ids,
        ):
            deltas.add(str(row[0]), list_seq=1)
        for row in await self.conn.fetch(
            "DELETE FROM blocklist WHERE sdkappid = $1 AND blocked = ANY($2::text[])"
            " RETURNING owner",
            sdkappid,
            ids,
        ):
            deltas.add(str(row[0]), block_count=-1, block_seq=1)
        for row in await self.conn.fetch(
            "DELETE FROM friend_requests WHERE sdkappid = $1 AND target = ANY($2::text[])"
            " RETURNING requester",
            sdkappid,
            ids,
        ):
            deltas.add(str(row[0]), pending_count=-1)
        for user in list(deltas.users):
            if user in gone:
                del deltas.users[user]
        for table, column in (
            ("friends", "owner"),
            ("friend_list_members", "owner"),
            ("blocklist", "owner"),
            ("friend_requests", "requester"),
            ("sns_positions", "owner"),
            ("sns_positions", "other"),
            ("friend_lists", "owner"),
            ("sns_users", "user_id"),
        ):
            await self.conn.execute(
                f"DELETE FROM {table} WHERE sdkappid = $1 AND {column} = ANY($2::text[])",
                sdkappid,
                ids,
            )
        await self._apply(sdkappid, deltas)
