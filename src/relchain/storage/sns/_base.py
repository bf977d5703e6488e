"""The steps the sns use cases share: locking the per-user rows, counters and sequences,
keyset positions, and writing or removing friend edges and requests set-based (list
parameters: one statement per step whatever the batch size, never a query per item).

Locking (PostgreSQL writes run at READ COMMITTED; SQLite serialises whole write transactions):
every write first locks the ``sns_users`` rows of every user whose state it reads or changes, in
one statement, ``ORDER BY user_id`` (missing rows are created first, in the same order). Every
relation row (owner, other) is only ever changed by a transaction holding its owner's row, and
pair decisions (blocks, requests, the reverse edge) by one holding both users' rows; so what a
use case reads after its lock statement stays true until it commits, the caps hold across
processes, and writers queue in one global order instead of deadlocking. Use cases that only
know whom to lock by reading (account delete, delete-all both ways) use
:meth:`TxBase._lock_related`.

Every step records what it changed in a :class:`Writes`: the counter changes and sequence bumps
(written at once at the end) and the domain :class:`SnsChanges` the use case returns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import orjson

from relchain.domain.errors import AccountMissing, Code
from relchain.domain.profiles import NEED_CONFIRM
from relchain.domain.sns.friends import plan_their_lists
from relchain.domain.sns.plan import Edge, MyState, PeerState, SnsChanges, SnsPlan
from relchain.domain.sns.requests import FriendRequest
from relchain.domain.sns.rules import SnsLimits
from relchain.storage._base import TxBase, sorted_unique
from relchain.storage.db import Row, columns

__all__ = ["SnsBase", "UserDelta", "UserRow", "Writes"]


@dataclass
class UserDelta:
    """Counter changes (added up) and sequence bumps (0 or 1) of one user in one use case."""

    friend_count: int = 0
    block_count: int = 0
    pending_count: int = 0
    standard_seq: int = 0
    custom_seq: int = 0
    block_seq: int = 0
    list_seq: int = 0


USER_COLUMNS = tuple(f.name for f in fields(UserDelta))
SEQUENCES = frozenset(name for name in USER_COLUMNS if name.endswith("_seq"))
UserRow = dict[str, int]


@dataclass
class Writes:
    """What one use case changed: per-user deltas (written at once by :meth:`SnsBase._apply`)
    and the domain changes it returns."""

    users: dict[str, UserDelta] = field(default_factory=lambda: defaultdict(UserDelta))
    changes: SnsChanges = field(default_factory=SnsChanges)

    def add(self, user: str, **changes: int) -> None:
        """Counters add up; a sequence is bumped at most once per use case."""
        delta = self.users[user]
        for name, value in changes.items():
            if name in SEQUENCES:
                setattr(delta, name, 1 if value else getattr(delta, name))
            else:
                setattr(delta, name, getattr(delta, name) + value)


def request_of(row: Row, at: int = 0) -> FriendRequest:
    """A request from the columns requester, target, created_at, add_source, add_wording,
    remark, group_name, both_ways (from column ``at`` on)."""
    r = [row[at + i] for i in range(8)]
    return FriendRequest(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]))


class SnsBase(TxBase):
    # ------------------------------------------------------------ users and locks

    async def _lock_users(self, sdkappid: int, users: Iterable[str]) -> dict[str, UserRow]:
        """Lock the ``sns_users`` rows of those of ``users`` that are accounts, in ``user_id``
        order (creating missing rows first, in the same order), and return them.

        The users returned are the ones that exist for the rest of the transaction: an account
        delete locks the same row first (``purge_sns``). A user whose account was deleted by a
        transaction that committed while this one waited is left out.
        """
        wanted = sorted_unique(users)
        if not wanted:
            return {}
        await self.db.execute(self.sql.ensure_sns_users, sdkappid, wanted)
        locked: dict[str, UserRow] = {}
        orphans: list[str] = []
        for row in await self.db.fetch(self.sql.lock_sns_users, sdkappid, wanted):
            if row[-1]:
                locked[row[0]] = {name: row[i + 1] for i, name in enumerate(USER_COLUMNS)}
            else:
                orphans.append(row[0])
        if orphans:
            await self.db.execute(self.sql.drop_sns_orphans, sdkappid, orphans)
        return locked

    async def _lock_caller(
        self, sdkappid: int, user_id: str, others: Iterable[str] = ()
    ) -> dict[str, UserRow]:
        """:meth:`_lock_users` of the caller and ``others``; 30003 when the caller's account
        is gone (deleted by a transaction that committed while this one waited)."""
        locked = await self._lock_users(sdkappid, [user_id, *others])
        if user_id not in locked:
            raise AccountMissing(Code.SNS_ACCOUNT_NOT_FOUND, user_id)
        return locked

    async def _user_row(self, sdkappid: int, user: str) -> UserRow:
        row = await self.db.fetchrow(self.sql.sns_user, sdkappid, user)
        return dict(zip(USER_COLUMNS, row or (0,) * len(USER_COLUMNS), strict=True))

    async def _my_state(
        self, sdkappid: int, user: str, row: UserRow, *, lists: bool = True
    ) -> MyState:
        """The caller's state for a planner (``lists=False``: without its list names, for a
        plan that does not look at them: one statement less)."""
        names = await self._list_names(sdkappid, user) if lists else []
        return MyState(user, row["friend_count"], row["pending_count"], names)

    async def _apply(self, sdkappid: int, writes: Writes) -> None:
        """Write the counter changes and sequence bumps of every user at once."""
        changed = {u: d for u, d in writes.users.items() if any(vars(d).values())}
        if not changed:
            return
        users = sorted(changed)
        values = [[getattr(changed[u], name) for u in users] for name in USER_COLUMNS]
        done = {
            row[0]
            for row in await self.db.fetch(self.sql.apply_sns_deltas, sdkappid, users, *values)
        }
        if len(done) < len(users):  # no row yet: a user that was not locked (no account)
            missing = [i for i, u in enumerate(users) if u not in done]
            await self.db.execute(
                self.sql.insert_sns_deltas,
                sdkappid,
                [users[i] for i in missing],
                *([column[i] for i in missing] for column in values),
            )

    async def _pair_flags(
        self, sql: str, sdkappid: int, user_id: str, others: Sequence[str]
    ) -> dict[str, tuple[bool, bool]]:
        """For each existing account of ``others``: the two flags ``sql`` reads about it and
        ``user_id`` (one row per account: account, flag, flag)."""
        if not others:
            return {}
        rows = await self.db.fetch(sql, sdkappid, user_id, list(dict.fromkeys(others)))
        return {row[0]: (bool(row[1]), bool(row[2])) for row in rows}

    async def _keyset_page(
        self, sql: str, sdkappid: int, user_id: str, start: int, limit: int
    ) -> tuple[Sequence[Row], int]:
        """Up to ``limit`` rows of ``sql`` from position ``start`` on (the position is the last
        column), and where the next page starts (0: none follows)."""
        rows = await self.db.fetch(sql, sdkappid, user_id, start, limit + 1)
        if len(rows) <= limit:
            return rows, 0
        return rows[:limit], rows[limit - 1][-1] + 1

    # ------------------------------------------------------------ positions

    async def _positions(
        self, sdkappid: int, kind: str, pairs: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], int]:
        """The keyset position of each (owner, other) of ``kind`` (``f`` friend, ``b`` block):
        the one it had before, or a new one. The owners' rows must be locked."""
        if not pairs:
            return {}
        unique = list(dict.fromkeys(pairs))
        owners, others = columns(unique, 2)
        found = {
            (row[0], row[1]): row[2]
            for row in await self.db.fetch(self.sql.find_positions, sdkappid, kind, owners, others)
        }
        missing = [p for p in unique if p not in found]
        if missing:
            counts: dict[str, int] = defaultdict(int)
            for owner, _ in missing:
                counts[owner] += 1
            ids = sorted(counts)
            top = {
                row[0]: row[1]
                for row in await self.db.fetch(
                    self.sql.reserve_positions[kind], sdkappid, ids, [counts[o] for o in ids]
                )
            }
            nxt = {owner: top[owner] - counts[owner] for owner in ids}
            for owner, other in missing:
                found[(owner, other)] = nxt[owner]
                nxt[owner] += 1
            await self.db.execute(
                self.sql.insert_positions,
                sdkappid,
                kind,
                *columns(((o, t, found[(o, t)]) for o, t in missing), 3),
            )
        return found

    # ------------------------------------------------------------ lists

    async def _list_names(self, sdkappid: int, owner: str) -> list[str]:
        return [row[0] for row in await self.db.fetch(self.sql.list_names, sdkappid, owner)]

    async def _create_lists(
        self, sdkappid: int, owner: str, names: Sequence[str], writes: Writes
    ) -> None:
        """Create ``owner``'s lists ``names`` (after the ones they have, in this order)."""
        if not names:
            return
        await self.db.execute(
            self.sql.create_lists, sdkappid, owner, list(names), list(range(1, len(names) + 1))
        )
        writes.add(owner, list_seq=1)
        writes.changes.lists_created += [(owner, name) for name in names]

    # ------------------------------------------------------------ edges

    async def _insert_edges(self, sdkappid: int, edges: Sequence[Edge], writes: Writes) -> None:
        if not edges:
            return
        pos = await self._positions(sdkappid, "f", [(e.owner, e.friend) for e in edges])
        await self.db.execute(
            self.sql.insert_friends,
            sdkappid,
            *columns(
                (
                    (
                        e.owner,
                        e.friend,
                        pos[(e.owner, e.friend)],
                        e.add_source,
                        e.add_time,
                        e.add_wording,
                        e.remark,
                        e.remark_time,
                        orjson.dumps(dict(e.custom)).decode(),
                    )
                    for e in edges
                ),
                9,
            ),
        )
        members = [(e.owner, e.friend, g) for e in edges for g in e.groups]
        if members:
            await self.db.execute(self.sql.insert_list_members, sdkappid, *columns(members, 3))
        for e in edges:
            writes.add(
                e.owner,
                friend_count=1,
                standard_seq=1,
                custom_seq=bool(e.custom),
                list_seq=bool(e.groups),
            )
        writes.changes.friends_added += edges

    async def _remove_edges(
        self, sdkappid: int, pairs: Sequence[tuple[str, str]], writes: Writes
    ) -> set[tuple[str, str]]:
        """Delete the edges (owner, friend) that exist, with their list memberships."""
        if not pairs:
            return set()
        gone = await self.db.fetch(self.sql.remove_friends, sdkappid, *columns(pairs, 2))
        removed = {(row[0], row[1]) for row in gone}
        for row in gone:
            writes.add(row[0], friend_count=-1, standard_seq=1, custom_seq=bool(row[2]))
        if removed:
            for row in await self.db.fetch(
                self.sql.remove_friends_from_lists, sdkappid, *columns(sorted(removed), 2)
            ):
                writes.add(row[0], list_seq=1)
            writes.changes.friends_removed += sorted(removed)
        return removed

    # ------------------------------------------------------------ requests

    async def _insert_requests(
        self, sdkappid: int, requests: Sequence[FriendRequest], writes: Writes, *, new: bool
    ) -> None:
        if not requests:
            return
        await self.db.execute(
            self.sql.upsert_requests,
            sdkappid,
            *columns(
                (
                    (
                        r.requester,
                        r.target,
                        r.created_at,
                        r.add_source,
                        r.add_wording,
                        r.remark,
                        r.group,
                        r.both,
                    )
                    for r in requests
                ),
                8,
            ),
        )
        if new:
            for r in requests:
                writes.add(r.requester, pending_count=1)
        writes.changes.requests_added += requests

    async def _drop_requests(
        self, sdkappid: int, pairs: Sequence[tuple[str, str]], writes: Writes
    ) -> None:
        """Delete the pending requests (requester, target) that exist."""
        if not pairs:
            return
        for row in await self.db.fetch(self.sql.drop_requests, sdkappid, *columns(pairs, 2)):
            writes.add(row[0], pending_count=-1)
            writes.changes.requests_removed.append((row[0], row[1]))

    # ------------------------------------------------------------ adding friends

    async def _peer_states(
        self, sdkappid: int, me: str, others: Sequence[str]
    ) -> dict[str, PeerState]:
        """Everything the add planners need about ``others``, in one indexed query (run after
        locking ``me`` and ``others``)."""
        others = list(dict.fromkeys(o for o in others if o != me))
        if not others:
            return {}
        peers: dict[str, PeerState] = {}
        for row in await self.db.fetch(self.sql.peer_states, sdkappid, me, others):
            peers[row[0]] = PeerState(
                exists=True,
                allow_type=row[1] or NEED_CONFIRM,
                i_have_peer=bool(row[2]),
                peer_has_me=bool(row[3]),
                i_block_peer=bool(row[4]),
                peer_blocks_me=bool(row[5]),
                my_request=bool(row[6]),
                peer_request=request_of(row, 8) if row[8] is not None else None,
                friend_count=row[7],
            )
        return peers

    async def _apply_plan(
        self, sdkappid: int, me: str, plan: SnsPlan, limits: SnsLimits
    ) -> SnsChanges:
        writes = Writes()
        await self._create_lists(sdkappid, me, plan.new_lists, writes)
        await self._drop_requests(sdkappid, plan.dropped_requests, writes)
        edges = await self._their_lists(sdkappid, me, plan, limits, writes)
        await self._insert_edges(sdkappid, edges, writes)
        await self._insert_requests(sdkappid, plan.new_requests, writes, new=True)
        await self._insert_requests(sdkappid, plan.renewed_requests, writes, new=False)
        await self._apply(sdkappid, writes)
        return writes.changes

    async def _their_lists(
        self, sdkappid: int, me: str, plan: SnsPlan, limits: SnsLimits, writes: Writes
    ) -> list[Edge]:
        """Edges of other owners name lists from their own earlier requests: create those lists
        where the owner is under the list cap; otherwise add the friend outside any list.
        (One query for every such owner's lists, one insert.)"""
        owners = sorted({e.owner for e in plan.edges if e.owner != me and e.groups})
        if not owners:
            return list(plan.edges)
        lists: dict[str, list[str]] = {owner: [] for owner in owners}
        top: dict[str, int] = dict.fromkeys(owners, 0)
        for owner, name, pos in await self.db.fetch(self.sql.lists_of_owners, sdkappid, owners):
            lists[owner].append(name)
            top[owner] = max(top[owner], pos)
        edges, new = plan_their_lists(plan.edges, lists, top, limits.max_lists)
        if new:
            await self.db.execute(self.sql.insert_lists, sdkappid, *columns(new, 3))
        for owner, name, _ in new:
            writes.add(owner, list_seq=1)
            writes.changes.lists_created.append((owner, name))
        return edges

    @staticmethod
    def _custom(raw: str) -> Mapping[str, Any]:
        value: dict[str, Any] = orjson.loads(raw)
        return value
