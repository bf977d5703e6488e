"""Friends: add, import, update, delete, delete all, and the reads."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import orjson

from relchain.domain.errors import Code
from relchain.domain.results import Reason, results_for
from relchain.domain.sns.friends import (
    AddRequest,
    FriendData,
    FriendPage,
    FriendUpdate,
    ImportItem,
    plan_friend_add,
    plan_friend_import,
    plan_friend_update,
)
from relchain.domain.sns.plan import MyState, PeerState, SnsChanges, SnsOutcome, SnsPlan
from relchain.domain.sns.rules import SnsLimits
from relchain.storage.db import Row, columns
from relchain.storage.sns._base import SnsBase, Writes

__all__ = ["FriendsMixin"]

Decide = Callable[[MyState, Mapping[str, PeerState]], SnsPlan]


class FriendsMixin(SnsBase):
    # ------------------------------------------------------------ add / import

    async def _add(
        self, sdkappid: int, user_id: str, targets: Sequence[str], limits: SnsLimits, decide: Decide
    ) -> SnsOutcome:
        """Lock the caller and the targets (blocks, requests and the reverse edges are pair
        state), read their state, decide, apply."""
        locked = await self._lock_caller(sdkappid, user_id, targets)
        peers = await self._peer_states(sdkappid, user_id, [t for t in targets if t in locked])
        plan = decide(await self._my_state(sdkappid, user_id, locked[user_id]), peers)
        return SnsOutcome(plan.results, await self._apply_plan(sdkappid, user_id, plan, limits))

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
    ) -> SnsOutcome:
        return await self._add(
            sdkappid,
            user_id,
            [i.to for i in items],
            limits,
            lambda mine, peers: plan_friend_add(
                mine, peers, items, both=both, force=force, limits=limits, now=now
            ),
        )

    async def import_friends(
        self,
        sdkappid: int,
        user_id: str,
        items: Sequence[ImportItem],
        *,
        limits: SnsLimits,
        now: int,
    ) -> SnsOutcome:
        return await self._add(
            sdkappid,
            user_id,
            [i.to for i in items],
            limits,
            lambda mine, peers: plan_friend_import(mine, peers, items, limits=limits, now=now),
        )

    # ------------------------------------------------------------ update

    async def update_friends(
        self,
        sdkappid: int,
        user_id: str,
        updates: Sequence[FriendUpdate],
        *,
        limits: SnsLimits,
        now: int,
    ) -> SnsOutcome:
        locked = await self._lock_caller(sdkappid, user_id)  # only the caller's edges change
        targets = list(dict.fromkeys(u.to for u in updates))
        current = {
            row[0]: self._custom(row[1])
            for row in await self.db.fetch(self.sql.friends_custom, sdkappid, user_id, targets)
        }
        # the caller's lists matter only to updates that set groups
        lists = any(u.groups is not None for u in updates)
        plan = plan_friend_update(
            await self._my_state(sdkappid, user_id, locked[user_id], lists=lists),
            current,
            updates,
            limits=limits,
        )
        writes = Writes()
        await self._create_lists(sdkappid, user_id, plan.new_lists, writes)
        if plan.remarks:
            await self.db.execute(
                self.sql.update_remarks,
                sdkappid,
                user_id,
                now,
                list(plan.remarks),
                list(plan.remarks.values()),
            )
        if plan.custom:
            await self.db.execute(
                self.sql.update_custom,
                sdkappid,
                user_id,
                list(plan.custom),
                [orjson.dumps(v).decode() for v in plan.custom.values()],
            )
        if plan.groups:
            await self.db.execute(self.sql.clear_memberships, sdkappid, user_id, list(plan.groups))
            members = [(f, g) for f, groups in plan.groups.items() for g in groups]
            if members:
                await self.db.execute(
                    self.sql.set_memberships, sdkappid, user_id, *columns(members, 2)
                )
        writes.add(
            user_id,
            standard_seq=plan.standard_changed,
            custom_seq=bool(plan.custom),
            list_seq=plan.lists_changed,
        )
        writes.changes.friends_updated += [
            (user_id, f) for f in dict.fromkeys([*plan.remarks, *plan.custom, *plan.groups])
        ]
        await self._apply(sdkappid, writes)
        return SnsOutcome(plan.results, writes.changes)

    # ------------------------------------------------------------ delete

    async def delete_friends(
        self, sdkappid: int, user_id: str, friends: Sequence[str], *, both: bool
    ) -> SnsOutcome:
        """Remove ``user_id -> f`` (and ``f -> user_id`` when ``both``): 0, or 31704 when
        ``user_id -> f`` did not exist (then nothing is removed for ``f``); a result per item."""
        targets = list(dict.fromkeys(friends))
        # the reverse edges (and their owners' counters) change only with Delete_Type_Both
        await self._lock_caller(sdkappid, user_id, targets if both else ())
        writes = Writes()
        # a reverse edge is removed only where the forward one existed
        removed = await self._remove_edges(sdkappid, [(user_id, f) for f in targets], writes)
        ok = {f for _, f in removed}
        if both and ok:
            await self._remove_edges(sdkappid, [(f, user_id) for f in targets if f in ok], writes)
        await self._apply(sdkappid, writes)
        results = results_for(friends, ok, Code.SNS_NOT_FRIEND_DELETE, Reason.NOT_FRIEND)
        return SnsOutcome(results, writes.changes)

    async def _friend_ids(self, sdkappid: int, user_id: str) -> list[str]:
        return [row[0] for row in await self.db.fetch(self.sql.friend_ids, sdkappid, user_id)]

    async def delete_all_friends(self, sdkappid: int, user_id: str, *, both: bool) -> SnsChanges:
        """Remove every friend of ``user_id`` (and the reverse edges when ``both``). Lists stay
        (empty)."""
        if both:  # the friends' edges to the caller and their counters change too
            await self._lock_related(
                lambda users: self._lock_caller(sdkappid, user_id, users),
                [],
                lambda: self._friend_ids(sdkappid, user_id),
            )
        else:
            await self._lock_caller(sdkappid, user_id)
        friends = await self._friend_ids(sdkappid, user_id)
        writes = Writes()
        pairs = [(user_id, f) for f in friends]
        if both:
            pairs += [(f, user_id) for f in friends]
        await self._remove_edges(sdkappid, pairs, writes)
        await self._apply(sdkappid, writes)
        return writes.changes

    # ------------------------------------------------------------ reads

    async def friend_edges(
        self, sdkappid: int, user_id: str, others: Sequence[str]
    ) -> dict[str, tuple[bool, bool]]:
        """For each existing account of ``others``: (``user_id -> o`` exists, ``o -> user_id``)."""
        return await self._pair_flags(self.sql.friend_edges, sdkappid, user_id, others)

    async def _friend_data(
        self, sdkappid: int, user_id: str, rows: Sequence[Row]
    ) -> list[FriendData]:
        if not rows:
            return []
        groups: dict[str, list[str]] = {}
        for friend, name in await self.db.fetch(
            self.sql.groups_of_friends, sdkappid, user_id, [r[0] for r in rows]
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
        rows, next_start = await self._keyset_page(
            self.sql.friend_page, sdkappid, user_id, start, limit
        )
        user = await self._user_row(sdkappid, user_id)
        return FriendPage(
            friends=await self._friend_data(sdkappid, user_id, rows),
            friend_count=user["friend_count"],
            standard_sequence=user["standard_seq"],
            custom_sequence=user["custom_seq"],
            next_start=next_start,
        )

    async def get_friends(
        self, sdkappid: int, user_id: str, others: Sequence[str]
    ) -> dict[str, FriendData]:
        if not others:
            return {}
        rows = await self.db.fetch(
            self.sql.friends_of, sdkappid, user_id, list(dict.fromkeys(others))
        )
        return {f.friend: f for f in await self._friend_data(sdkappid, user_id, rows)}
