"""What the PostgreSQL SNS mixins share: locking the per-user rows, counters and sequences,
keyset positions, and writing or removing friend edges set-based (``unnest`` arrays, one
statement per step whatever the batch size, never a query per item).

Locking (writes run at READ COMMITTED): every write first locks the ``sns_users`` rows of every
user whose state it reads or changes, in one statement, ``ORDER BY user_id FOR NO KEY UPDATE``
(missing rows are created first, in the same order, with ``INSERT ... ON CONFLICT DO NOTHING``).
Every relation row (owner, other) is only ever changed by a transaction holding its owner's row,
and pair decisions (blocks, requests, the reverse edge) by one holding both users' rows; so what
a use case reads after its lock statement stays true until it commits, the caps hold across
processes, and writers queue in one global order instead of deadlocking.

``purge_sns`` and ``delete_all_friends`` (both ways) only know whom to lock by reading (the
friends, blockers and requesters of a user): they read, lock in order, read again, and when
someone became related in between they roll back to a savepoint (which gives the locks back)
and lock again with them (:meth:`SnsBase._lock_related`). Only if that keeps changing do they
lock a newcomer out of order; a deadlock that may cause is re-run by ``Store.run_write``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any

import orjson

from relchain.domain.errors import ApiError, Code
from relchain.domain.friends import (
    AddPlan,
    Edge,
    FriendRequest,
    MyState,
    PeerState,
    SnsLimits,
    plan_their_lists,
)
from relchain.domain.profiles import NEED_CONFIRM
from relchain.storage._sns_deltas import Deltas
from relchain.storage.postgres._base import PostgresBase
from relchain.storage.postgres._sns_sql import (
    APPLY_DELTAS,
    DROP_ORPHANS,
    DROP_REQUESTS,
    ENSURE_USERS,
    INSERT_DELTAS,
    INSERT_EDGES,
    INSERT_LISTS,
    INSERT_MEMBERS,
    LOCK_USERS,
    PEER_STATES,
    REMOVE_EDGES,
    REMOVE_MEMBERS,
    UPSERT_REQUESTS,
    USER_COLUMNS,
)

__all__ = ["Deltas", "SnsBase", "UserRow", "caller_gone"]

UserRow = dict[str, int]

RELOCK_ROUNDS = 3


class _Relock(Exception):
    """Who must be locked grew between reading it and locking it: lock again (savepoint)."""


def _pairs(pairs: Iterable[tuple[str, str]]) -> tuple[list[str], list[str]]:
    firsts: list[str] = []
    seconds: list[str] = []
    for first, second in pairs:
        firsts.append(first)
        seconds.append(second)
    return firsts, seconds


def caller_gone(user_id: str) -> ApiError:
    """The caller's account was deleted by a transaction that committed while we waited."""
    return ApiError(Code.SNS_ACCOUNT_NOT_FOUND, f"From_Account: account {user_id!r} does not exist")


class SnsBase(PostgresBase):
    # ------------------------------------------------------------ users and locks

    async def _lock_users(self, sdkappid: int, users: Iterable[str]) -> dict[str, UserRow]:
        """Lock the ``sns_users`` rows of those of ``users`` that are accounts, in ``user_id``
        order (creating missing rows first, in the same order), and return them.

        The users returned are the ones that exist for the rest of the transaction: an account
        delete locks the same row first (``purge_sns``). A user whose account was deleted by a
        transaction that committed while this one waited is left out.
        """
        wanted = sorted(set(users))
        if not wanted:
            return {}
        await self.conn.execute(ENSURE_USERS, sdkappid, wanted)
        locked: dict[str, UserRow] = {}
        orphans: list[str] = []
        for row in await self.conn.fetch(LOCK_USERS, sdkappid, wanted):
            if row[-1]:
                locked[str(row[0])] = {name: int(row[i + 1]) for i, name in enumerate(USER_COLUMNS)}
            else:
                orphans.append(str(row[0]))
        if orphans:
            await self.conn.execute(DROP_ORPHANS, sdkappid, orphans)
        return locked

    async def _lock_related(
        self,
        sdkappid: int,
        fixed: Sequence[str],
        find: Callable[[], Awaitable[list[str]]],
    ) -> dict[str, UserRow]:
        """Lock ``fixed`` and the users ``find`` names, in one ordered statement, when who is
        related is only known by reading.

        ``find`` is read before the lock and again after it (stable then, as long as ``fixed``
        holds the owners or targets it reads about). When the second read names someone not
        locked (a relation created in between), the locks are given back by rolling back to a
        savepoint and taken again, in order, with them. After a few rounds the newcomers are
        locked on top, out of order; a deadlock that may cause is re-run by ``run_write``.
        """
        wanted = set(await find())
        for _ in range(RELOCK_ROUNDS):
            try:
                async with self.conn.transaction():  # a savepoint
                    locked = await self._lock_users(sdkappid, [*fixed, *wanted])
                    extra = set(await find()) - wanted
                    if extra:
                        wanted |= extra
                        raise _Relock
                    return locked
            except _Relock:
                continue
        locked = await self._lock_users(sdkappid, [*fixed, *wanted])
        extra = set(await find()) - wanted
        if extra:
            locked.update(await self._lock_users(sdkappid, extra))
        return locked

    async def _lock_caller(
        self, sdkappid: int, user_id: str, others: Iterable[str] = ()
    ) -> dict[str, UserRow]:
        """:meth:`_lock_users` of the caller and ``others``; 30003 when the caller's account
        is gone (deleted by a transaction that committed while this one waited)."""
        locked = await self._lock_users(sdkappid, [user_id, *others])
        if user_id not in locked:
            raise caller_gone(user_id)
        return locked

    async def _user_row(self, sdkappid: int, user: str) -> UserRow:
        row = await self.conn.fetchrow(
            f"SELECT {', '.join(USER_COLUMNS)} FROM sns_users WHERE sdkappid = $1 AND user_id = $2",
            sdkappid,
            user,
        )
        return {
            name: (int(row[i]) if row is not None else 0) for i, name in enumerate(USER_COLUMNS)
        }

    async def _my_state(self, sdkappid: int, user: str, row: UserRow) -> MyState:
        return MyState(
            user, row["friend_count"], row["pending_count"], await self._list_names(sdkappid, user)
        )

    async def _apply(self, sdkappid: int, deltas: Deltas) -> None:
        changed = {u: d for u, d in deltas.users.items() if any(vars(d).values())}
        if not changed:
            return
        users = sorted(changed)
        rows = await self.conn.fetch(
            APPLY_DELTAS,
            sdkappid,
            users,
            *([getattr(changed[u], name) for u in users] for name in USER_COLUMNS),
        )
        done = {str(row[0]) for row in rows}
        if len(done) < len(users):
            users = [u for u in users if u not in done]
            await self.conn.execute(
                INSERT_DELTAS,
                sdkappid,
                users,
                *([getattr(changed[u], name) for u in users] for name in USER_COLUMNS),
            )

    # ------------------------------------------------------------ positions

    async def _positions(
        self, sdkappid: int, kind: str, pairs: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], int]:
        """The keyset position of each (owner, other): the one it had before, or a new one.
        The owners' ``sns_users`` rows must be locked by this transaction."""
        if not pairs:
            return {}
        unique = list(dict.fromkeys(pairs))
        owners_, others_ = _pairs(unique)
        found = {
            (str(row[0]), str(row[1])): int(row[2])
            for row in await self.conn.fetch(
                "SELECT s.owner, s.other, s.pos"
                " FROM unnest($3::text[], $4::text[]) AS p(owner, other)"
                " JOIN sns_positions s ON s.sdkappid = $1 AND s.owner = p.owner"
                " AND s.kind = $2 AND s.other = p.other",
                sdkappid,
                kind,
                owners_,
                others_,
            )
        }
        missing = [p for p in unique if p not in found]
        if missing:
            counts: dict[str, int] = defaultdict(int)
            for owner, _ in missing:
                counts[owner] += 1
            owners = sorted(counts)
            column = "next_friend_pos" if kind == "f" else "next_block_pos"
            nxt = {
                str(row[0]): int(row[1])
                for row in await self.conn.fetch(
                    f"UPDATE sns_users s SET {column} = s.{column} + n.count"
                    " FROM unnest($2::text[], $3::bigint[]) AS n(user_id, count)"
                    " WHERE s.sdkappid = $1 AND s.user_id = n.user_id"
                    f" RETURNING s.user_id, s.{column} - n.count",
                    sdkappid,
                    owners,
                    [counts[o] for o in owners],
                )
            }
            new_owner, new_other, new_pos = [], [], []
            for owner, other in missing:
                found[(owner, other)] = nxt[owner]
                new_owner.append(owner)
                new_other.append(other)
                new_pos.append(nxt[owner])
                nxt[owner] += 1
            await self.conn.execute(
                "INSERT INTO sns_positions (sdkappid, owner, kind, other, pos)"
                " SELECT $1, p.owner, $2, p.other, p.pos"
                " FROM unnest($3::text[], $4::text[], $5::bigint[]) AS p(owner, other, pos)",
                sdkappid,
                kind,
                new_owner,
                new_other,
                new_pos,
            )
        return found

    # ------------------------------------------------------------ lists

    async def _list_names(self, sdkappid: int, owner: str) -> list[str]:
        rows = await self.conn.fetch(
            "SELECT name FROM friend_lists WHERE sdkappid = $1 AND owner = $2 ORDER BY pos",
            sdkappid,
            owner,
        )
        return [str(row[0]) for row in rows]

    async def _create_lists(self, sdkappid: int, owner: str, names: Sequence[str]) -> None:
        if not names:
            return
        await self.conn.execute(
            "INSERT INTO friend_lists (sdkappid, owner, name, pos)"
            " SELECT $1, $2, n.name, n.ord + (SELECT coalesce(max(pos), 0) FROM friend_lists"
            "   WHERE sdkappid = $1 AND owner = $2)"
            " FROM unnest($3::text[]) WITH ORDINALITY AS n(name, ord)"
            " ON CONFLICT DO NOTHING",
            sdkappid,
            owner,
            list(names),
        )

    # ------------------------------------------------------------ edges

    async def _insert_edges(self, sdkappid: int, edges: Sequence[Edge], deltas: Deltas) -> None:
        if not edges:
            return
        pos = await self._positions(sdkappid, "f", [(e.owner, e.friend) for e in edges])
        await self.conn.execute(
            INSERT_EDGES,
            sdkappid,
            [e.owner for e in edges],
            [e.friend for e in edges],
            [pos[(e.owner, e.friend)] for e in edges],
            [e.add_source for e in edges],
            [e.add_time for e in edges],
            [e.add_wording for e in edges],
            [e.remark for e in edges],
            [e.remark_time for e in edges],
            [orjson.dumps(dict(e.custom)).decode() for e in edges],
        )
        members = [(e.owner, e.friend, g) for e in edges for g in e.groups]
        if members:
            await self.conn.execute(
                INSERT_MEMBERS,
                sdkappid,
                [m[0] for m in members],
                [m[1] for m in members],
                [m[2] for m in members],
            )
        for e in edges:
            deltas.add(
                e.owner,
                friend_count=1,
                standard_seq=1,
                custom_seq=bool(e.custom),
                list_seq=bool(e.groups),
            )

    async def _remove_edges(
        self, sdkappid: int, pairs: Sequence[tuple[str, str]], deltas: Deltas
    ) -> set[tuple[str, str]]:
        """Delete the edges (owner, friend) that exist, with their list memberships."""
        if not pairs:
            return set()
        gone = await self.conn.fetch(REMOVE_EDGES, sdkappid, *_pairs(pairs))
        removed = {(str(row[0]), str(row[1])) for row in gone}
        for row in gone:
            deltas.add(str(row[0]), friend_count=-1, standard_seq=1, custom_seq=bool(row[2]))
        if removed:
            for row in await self.conn.fetch(REMOVE_MEMBERS, sdkappid, *_pairs(sorted(removed))):
                deltas.add(str(row[0]), list_seq=1)
        return removed

    # ------------------------------------------------------------ requests

    async def _insert_requests(
        self, sdkappid: int, requests: Sequence[FriendRequest], deltas: Deltas, *, new: bool
    ) -> None:
        if not requests:
            return
        await self.conn.execute(
            UPSERT_REQUESTS,
            sdkappid,
            [r.requester for r in requests],
            [r.target for r in requests],
            [r.created_at for r in requests],
            [r.add_source for r in requests],
            [r.add_wording for r in requests],
            [r.remark for r in requests],
            [r.group for r in requests],
            [r.both for r in requests],
        )
        if new:
            for r in requests:
                deltas.add(r.requester, pending_count=1)

    async def _drop_requests(
        self, sdkappid: int, pairs: Sequence[tuple[str, str]], deltas: Deltas
    ) -> int:
        """Delete the pending requests (requester, target) that exist; returns how many."""
        if not pairs:
            return 0
        rows = await self.conn.fetch(DROP_REQUESTS, sdkappid, *_pairs(pairs))
        for row in rows:
            deltas.add(str(row[0]), pending_count=-1)
        return len(rows)

    async def _peer_states(
        self, sdkappid: int, me: str, others: Sequence[str]
    ) -> dict[str, PeerState]:
        """Everything the add planners need about ``others``, in one indexed query (run after
        locking ``me`` and ``others``)."""
        others = list(dict.fromkeys(o for o in others if o != me))
        if not others:
            return {}
        peers: dict[str, PeerState] = {}
        for row in await self.conn.fetch(PEER_STATES, sdkappid, me, others):
            peers[str(row[0])] = PeerState(
                exists=True,
                allow_type=str(row[1]) if row[1] else NEED_CONFIRM,
                i_have_peer=bool(row[2]),
                peer_has_me=bool(row[3]),
                i_block_peer=bool(row[4]),
                peer_blocks_me=bool(row[5]),
                my_request=bool(row[6]),
                peer_request=self._request(row[8:]) if row[8] is not None else None,
                friend_count=int(row[7]),
            )
        return peers

    async def _apply_plan(self, sdkappid: int, me: str, plan: AddPlan, limits: SnsLimits) -> None:
        deltas = Deltas()
        if plan.new_lists:
            await self._create_lists(sdkappid, me, plan.new_lists)
            deltas.add(me, list_seq=1)
        await self._drop_requests(sdkappid, plan.dropped_requests, deltas)
        edges = await self._their_lists(sdkappid, me, plan, limits, deltas)
        await self._insert_edges(sdkappid, edges, deltas)
        await self._insert_requests(sdkappid, plan.new_requests, deltas, new=True)
        await self._insert_requests(sdkappid, plan.renewed_requests, deltas, new=False)
        await self._apply(sdkappid, deltas)

    async def _their_lists(
        self, sdkappid: int, me: str, plan: AddPlan, limits: SnsLimits, deltas: Deltas
    ) -> list[Edge]:
        """Edges of other owners name lists from their own earlier requests: create those lists
        where the owner is under the list cap; otherwise add the friend outside any list.
        (One query for every such owner's lists, one insert.)"""
        owners = sorted({e.owner for e in plan.edges if e.owner != me and e.groups})
        if not owners:
            return list(plan.edges)
        lists: dict[str, list[str]] = {owner: [] for owner in owners}
        top: dict[str, int] = dict.fromkeys(owners, 0)
        for row in await self.conn.fetch(
            "SELECT owner, name, pos FROM friend_lists WHERE sdkappid = $1"
            " AND owner = ANY($2::text[]) ORDER BY owner, pos",
            sdkappid,
            owners,
        ):
            lists[str(row[0])].append(str(row[1]))
            top[str(row[0])] = max(top[str(row[0])], int(row[2]))
        edges, new = plan_their_lists(plan.edges, lists, top, limits.max_lists)
        for owner, _, _ in new:
            deltas.add(owner, list_seq=1)
        if new:
            await self.conn.execute(
                INSERT_LISTS,
                sdkappid,
                [n[0] for n in new],
                [n[1] for n in new],
                [n[2] for n in new],
            )
        return edges

    @staticmethod
    def _request(row: Sequence[Any]) -> FriendRequest:
        return FriendRequest(
            str(row[0]),
            str(row[1]),
            int(row[2]),
            str(row[3]),
            str(row[4]),
            str(row[5]),
            str(row[6]),
            bool(row[7]),
        )

    @staticmethod
    def _custom(raw: str) -> Mapping[str, Any]:
        value: dict[str, Any] = orjson.loads(raw)
        return value
