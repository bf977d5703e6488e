"""Follow edges, mutual edges and per-user counters: every use case, once for every backend.

Each runs a fixed, small number of statements whatever the batch size (list parameters), each
an index lookup or an index range bounded by the batch or page size; lists are keyset-paged,
counts are stored counters.

Concurrency: the ``follow_counts`` row of a user is the lock that serialises every change of
that user's edges and counters. A write

1. locks the counter rows of From and every target in ``user_id`` order, creating missing rows
   in the same ordered pass (creating them first took rows in two orders: deadlocks; SQLite
   serialises whole write transactions and locks nothing),
2. only then reads, in one statement, which accounts exist with their counters and the edges
   between From and them (it sees everything committed by whoever held the locks before; an
   account it finds whose row it did not lock, deleted and imported again meanwhile, is
   locked then), and decides with the pure planner (:func:`relchain.domain.follows.plan_follows`),
3. writes edges, mutual rows and counter deltas (one statement on PostgreSQL).

So two writers that share a user queue on its row: ``A -> B`` racing ``B -> A`` creates the mutual
pair exactly once, a cap is checked against counts no one else can change before the commit, and
one global order means no deadlocks between follows. ``purge_follows`` (account delete) locks
the purged users and their peers in order (:meth:`TxBase._lock_related`), then removes everything
in one step. A follow that races the delete of one of its accounts may leave that account a
counter row of zeros; it is never read for a missing account and is right if the id comes back.
"""

from __future__ import annotations

from collections.abc import Sequence

import orjson

from relchain.domain import follows as rules
from relchain.domain.follows import FollowCounts, FollowEntry, FollowPlan
from relchain.storage._base import RELOCK_ROUNDS, ConcurrentChange, TxBase, sorted_unique
from relchain.storage.db import Row

__all__ = ["FollowsMixin"]


def _counts(row: Row) -> FollowCounts:
    """Counters of a row ``(user_id, followers, following, mutual)``; no counter row: zeros."""
    return FollowCounts(row[1], row[2], row[3]) if row[1] is not None else FollowCounts()


class FollowsMixin(TxBase):
    async def _lock_counts(self, sdkappid: int, user_ids: Sequence[str]) -> set[str] | None:
        """Step 1: lock the counter rows of the existing accounts among ``user_ids`` in
        ``user_id`` order (creating missing rows as it goes, in the same pass); the users whose
        row is locked, or ``None`` where the backend locks nothing (SQLite serialises whole
        write transactions)."""
        ids = sorted_unique(user_ids)
        lock = self.sql.lock_follow_counts
        if not isinstance(lock, str):
            await self.db.execute(lock, sdkappid, ids)
            return None
        return {row[0] for row in await self.db.fetch(lock, sdkappid, ids)}

    async def _locked_state(
        self, sdkappid: int, from_id: str, to_ids: Sequence[str]
    ) -> tuple[dict[str, FollowCounts], set[str], dict[str, int]] | None:
        """Steps 1 and 2 of a write: lock, then read (a new statement: it sees everything
        committed by whoever held the locks before) the counters of the accounts that exist,
        the targets ``from_id`` follows and {target following ``from_id``: since when};
        ``None`` when ``from_id`` does not exist.

        Every account the read finds must be locked: one deleted and imported again while this
        transaction waited for its counter row found that row deleted (so unlocked, and with no
        row to count on: its counters would be lost); its new row is then created and locked,
        on top of the others (out of order: a deadlock that may cause is re-run by
        ``Store.run_write``)."""
        ids = sorted_unique([from_id, *to_ids])
        wanted = ids
        held: set[str] = set()
        for _ in range(RELOCK_ROUNDS + 1):
            locked = await self._lock_counts(sdkappid, wanted)
            rows = await self.db.fetch(self.sql.follow_state, sdkappid, ids, from_id)
            if locked is None:
                break
            held |= locked
            wanted = sorted({r[0] for r in rows} - held)
            if not wanted:
                break
        else:
            raise ConcurrentChange(f"counter rows of {wanted} kept changing under this write")
        counts = {r[0]: _counts(r) for r in rows}
        if from_id not in counts:
            return None
        i_follow = {r[0] for r in rows if r[4] and r[0] != from_id}
        follow_me = {r[0]: r[5] for r in rows if r[5] is not None and r[0] != from_id}
        return counts, i_follow, follow_me

    @staticmethod
    def _deltas(plan: FollowPlan) -> list[list[object]]:
        """The plan's counter changes as four lists: users, followers, following, mutual."""
        changed = sorted((user, d) for user, d in plan.deltas.items() if any(d))
        return [
            [user for user, _ in changed],
            [d[0] for _, d in changed],
            [d[1] for _, d in changed],
            [d[2] for _, d in changed],
        ]

    # -- writes -----------------------------------------------------------------------------

    async def add_follows(
        self, sdkappid: int, from_id: str, to_ids: Sequence[str], now: int, caps: rules.FollowCaps
    ) -> FollowPlan | None:
        state = await self._locked_state(sdkappid, from_id, to_ids)
        if state is None:
            return None
        counts, i_follow, follow_me = state
        plan = rules.plan_follows(
            from_id,
            to_ids,
            existing=counts,
            counts=counts,
            i_follow=i_follow,
            follow_me=follow_me,
            caps=caps,
        )
        if plan.edges:
            mutual: list[list[object]] = [[], [], []]
            for a, b in plan.mutual_pairs:
                since = rules.mutual_since(now, follow_me.get(b))
                for row in ((a, b, since), (b, a, since)):
                    for column, value in zip(mutual, row, strict=True):
                        column.append(value)
            await self.db.execute(
                self.sql.add_follows,
                sdkappid,
                from_id,
                [b for _, b in plan.edges],
                now,
                *mutual,
                *self._deltas(plan),
            )
        return plan

    async def delete_follows(
        self, sdkappid: int, from_id: str, to_ids: Sequence[str]
    ) -> FollowPlan | None:
        state = await self._locked_state(sdkappid, from_id, to_ids)
        if state is None:
            return None
        counts, i_follow, follow_me = state
        plan = rules.plan_unfollows(
            from_id, to_ids, existing=counts, i_follow=i_follow, follow_me=follow_me
        )
        if plan.edges:
            pairs = [*plan.mutual_pairs, *((b, a) for a, b in plan.mutual_pairs)]
            await self.db.execute(
                self.sql.delete_follows,
                sdkappid,
                from_id,
                [b for _, b in plan.edges],
                [a for a, _ in pairs],
                [b for _, b in pairs],
                *self._deltas(plan),
            )
        return plan

    async def purge_follows(self, sdkappid: int, user_ids: Sequence[str]) -> None:
        """Lock the users and their peers, then remove every edge of the users in both
        directions and fix the peers' counters (one statement on PostgreSQL).

        Correctness needs only the purged users' rows: once they are held, no one can add or
        remove an edge of theirs, and the removal reads the edges afresh and lowers the peers'
        counters by increments. Locking the peers too, in one order, keeps purges and follows
        from deadlocking."""
        ids = sorted_unique(user_ids)
        if not ids:
            return

        async def peers() -> list[str]:
            return [r[0] for r in await self.db.fetch(self.sql.follow_peers, sdkappid, ids)]

        # a user followed by many is followed again often: more rounds before out of order
        async def lock(users: list[str]) -> dict[str, None]:
            return dict.fromkeys(await self._lock_counts(sdkappid, users) or ())

        await self._lock_related(lock, ids, peers, rounds=8)
        await self.db.execute(self.sql.purge_follows, sdkappid, ids)

    # -- reads ------------------------------------------------------------------------------

    async def follow_types(
        self, sdkappid: int, from_id: str, to_ids: Sequence[str]
    ) -> dict[str, rules.FollowType] | None:
        rows = await self.db.fetch(
            self.sql.follow_types, sdkappid, sorted_unique([from_id, *to_ids]), from_id
        )
        found: dict[int, set[str]] = {0: set(), 1: set(), 2: set()}
        for side, user in rows:
            found[side].add(user)
        if from_id not in found[0]:
            return None
        return {
            t: rules.follow_type(t in found[1], t in found[2])
            for t in dict.fromkeys(to_ids)
            if t in found[0]
        }

    async def follow_counts(
        self, sdkappid: int, user_ids: Sequence[str]
    ) -> dict[str, FollowCounts]:
        if not user_ids:
            return {}
        rows = await self.db.fetch(self.sql.follow_counts, sdkappid, sorted_unique(user_ids))
        return {r[0]: _counts(r) for r in rows}

    async def list_follows(
        self,
        sdkappid: int,
        user_id: str,
        kind: rules.ListKind,
        after: rules.Position | None,
        limit: int,
    ) -> list[FollowEntry] | None:
        first, later = self.sql.follow_pages[rules.ListKind(kind)]
        if after is None:
            rows = await self.db.fetch(first, sdkappid, user_id, limit)
        else:
            rows = await self.db.fetch(later, sdkappid, user_id, limit, after.time, after.account)
        # edges exist only between existing accounts (account_delete purges them), so only an
        # empty page needs to ask whether the account exists
        if not rows and not await self.db.fetchval(self.sql.account_exists, sdkappid, user_id):
            return None
        loads = orjson.loads
        return [FollowEntry(a, t, loads(p) if p else {}, q or 0) for a, t, p, q in rows]
