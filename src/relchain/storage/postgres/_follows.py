"""Follow edges, mutual edges and counters (issue 3) on PostgreSQL.

Every method runs a fixed, small number of statements whatever the batch size (arrays passed
whole: ``= ANY($n)``, ``unnest``), each an index lookup or an index range bounded by the batch or
page size; lists are keyset-paged, counts are stored counters.

Concurrency (writes run at READ COMMITTED, any number of processes): the ``follow_counts`` row of
a user is the lock that serialises every change of that user's edges and counters. A write

1. creates the missing counter rows of From and every target (``INSERT ... ON CONFLICT DO
   NOTHING``, in ``user_id`` order),
2. locks those rows in ``user_id`` order (``SELECT ... ORDER BY user_id FOR NO KEY UPDATE``),
   which also reads the counters and which of the accounts exist,
3. only then reads the edges (a new statement: it sees everything committed by whoever held the
   locks before), decides with the pure planner and writes edges, mutual rows and counter deltas
   in one statement.

So two writers that share a user queue on its row: ``A -> B`` racing ``B -> A`` creates the mutual
pair exactly once, a cap is checked against counts no one else can change before the commit, and
one global order (``user_id``) means no deadlocks between follows. ``purge_follows`` (account
delete) locks the purged users and their peers in one sorted statement inside a savepoint and
re-reads the peers; a peer that appeared while it waited makes it roll the savepoint back (which
releases the locks) and lock the new set in order again. Only after several such rounds does it
lock late peers out of order, which can deadlock: callers run it (and follow writes) in
``store.run_write``, which re-runs the whole unit of work.

A follow that races the delete of one of its accounts may leave that account a counter row of
zeros (created by step 1 after the delete removed the row); it is never read for a missing account
and is exactly right if the id is imported again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson

from relchain.domain.follows import (
    FollowCaps,
    FollowCounts,
    FollowEntry,
    FollowPlan,
    FollowType,
    ListKind,
    Position,
    follow_type,
    plan_follows,
    plan_unfollows,
)
from relchain.storage.postgres._base import PostgresBase

__all__ = ["FollowsMixin"]


# -- follow_get pages ----------------------------------------------------------------------------
# (account, time, profile, profile_seq), newest first, ties by account descending (bytewise, as
# the COLLATE "C" column of the list index). The edge index drives the scan; each account is one
# primary-key lookup.

_PAGE = {
    ListKind.FANS: (
        "SELECT f.follower, f.created_at, a.profile::text, a.profile_seq FROM follows f"
        " LEFT JOIN accounts a ON a.sdkappid = f.sdkappid AND a.user_id = f.follower"
        " WHERE f.sdkappid = $1 AND f.followee = $2{after}"
        ' ORDER BY f.created_at DESC, f.follower COLLATE "C" DESC LIMIT $3',
        ' AND (f.created_at, f.follower COLLATE "C") < ($4, $5)',
    ),
    ListKind.FOLLOWING: (
        "SELECT f.followee, f.created_at, a.profile::text, a.profile_seq FROM follows f"
        " LEFT JOIN accounts a ON a.sdkappid = f.sdkappid AND a.user_id = f.followee"
        " WHERE f.sdkappid = $1 AND f.follower = $2{after}"
        ' ORDER BY f.created_at DESC, f.followee COLLATE "C" DESC LIMIT $3',
        ' AND (f.created_at, f.followee COLLATE "C") < ($4, $5)',
    ),
    ListKind.MUTUAL: (
        "SELECT m.peer_id, m.since, a.profile::text, a.profile_seq FROM follow_mutuals m"
        " LEFT JOIN accounts a ON a.sdkappid = m.sdkappid AND a.user_id = m.peer_id"
        " WHERE m.sdkappid = $1 AND m.user_id = $2{after}"
        ' ORDER BY m.since DESC, m.peer_id COLLATE "C" DESC LIMIT $3',
        ' AND (m.since, m.peer_id COLLATE "C") < ($4, $5)',
    ),
}
PAGE_SQL = {
    kind: (first.format(after=""), first.format(after=after))
    for kind, (first, after) in _PAGE.items()
}

EXISTS_SQL = "SELECT EXISTS (SELECT 1 FROM accounts WHERE sdkappid = $1 AND user_id = $2)"

# -- reads ---------------------------------------------------------------------------------------

COUNTS_SQL = """
SELECT a.user_id, c.followers, c.following, c.mutual
FROM accounts a
LEFT JOIN follow_counts c ON c.sdkappid = a.sdkappid AND c.user_id = a.user_id
WHERE a.sdkappid = $1 AND a.user_id = ANY($2::text[])
"""

# which of $2 exist (0), which of them $3 follows (1), which of them follow $3 (2): primary-key
# probes only, whatever the size of $3's lists
TYPES_SQL = """
SELECT 0, user_id FROM accounts WHERE sdkappid = $1 AND user_id = ANY($2::text[])
UNION ALL
SELECT 1, followee FROM follows
WHERE sdkappid = $1 AND follower = $3 AND followee = ANY($2::text[])
UNION ALL
SELECT 2, follower FROM follows
WHERE sdkappid = $1 AND follower = ANY($2::text[]) AND followee = $3
"""

# -- writes --------------------------------------------------------------------------------------

# step 1: a counter row for each existing account among $2 (sorted), so that there is a row to lock
ENSURE_COUNTS_SQL = """
INSERT INTO follow_counts (sdkappid, user_id)
SELECT a.sdkappid, a.user_id FROM accounts a
WHERE a.sdkappid = $1 AND a.user_id = ANY($2::text[])
ORDER BY a.user_id
ON CONFLICT (sdkappid, user_id) DO NOTHING
"""

# step 2: lock them in user_id order; a row whose account is gone (or that a concurrent account
# delete removed while we waited for it) is not returned: that account does not exist
LOCK_COUNTS_SQL = """
SELECT c.user_id, c.followers, c.following, c.mutual
FROM follow_counts c
WHERE c.sdkappid = $1 AND c.user_id = ANY($2::text[])
  AND EXISTS (SELECT 1 FROM accounts a WHERE a.sdkappid = c.sdkappid AND a.user_id = c.user_id)
ORDER BY c.user_id
FOR NO KEY UPDATE OF c
"""

# step 3: the edges between From ($2) and the targets ($3), after the locks
EDGES_SQL = """
SELECT 0 AS side, followee AS peer, created_at FROM follows
WHERE sdkappid = $1 AND follower = $2 AND followee = ANY($3::text[])
UNION ALL
SELECT 1, follower, created_at FROM follows
WHERE sdkappid = $1 AND follower = ANY($3::text[]) AND followee = $2
"""


def _apply_counts(first: int) -> str:
    """The counter update of a write: deltas as four arrays from parameter ``$first`` on."""
    a, b, c, d = (f"${n}" for n in range(first, first + 4))
    return f"""
UPDATE follow_counts c
SET followers = c.followers + d.followers,
    following = c.following + d.following,
    mutual = c.mutual + d.mutual
FROM unnest({a}::text[], {b}::int[], {c}::int[], {d}::int[])
    AS d(user_id, followers, following, mutual)
WHERE c.sdkappid = $1 AND c.user_id = d.user_id
"""


# step 4 of follow_add, one statement: edges From ($2) -> $3[] at $4, mutual rows
# ($5[], $6[], since $7[]) and counter deltas ($8[]..$11[])
ADD_SQL = """
WITH new_edges AS (
    INSERT INTO follows (sdkappid, follower, followee, created_at)
    SELECT $1, $2, t, $4 FROM unnest($3::text[]) AS t
), new_mutuals AS (
    INSERT INTO follow_mutuals (sdkappid, user_id, peer_id, since)
    SELECT $1, m.user_id, m.peer_id, m.since
    FROM unnest($5::text[], $6::text[], $7::bigint[]) AS m(user_id, peer_id, since)
)""" + _apply_counts(8)

# step 4 of follow_delete, one statement: edges From ($2) -> $3[], mutual rows ($4[], $5[]) and
# counter deltas ($6[]..$9[])
DELETE_SQL = """
WITH gone_edges AS (
    DELETE FROM follows WHERE sdkappid = $1 AND follower = $2 AND followee = ANY($3::text[])
), gone_mutuals AS (
    DELETE FROM follow_mutuals m
    USING unnest($4::text[], $5::text[]) AS g(user_id, peer_id)
    WHERE m.sdkappid = $1 AND m.user_id = g.user_id AND m.peer_id = g.peer_id
)""" + _apply_counts(6)

# purge: counter rows of the purged users (the caller has checked they exist), created so that a
# concurrent follow of one of them queues on it
ENSURE_PURGED_SQL = """
INSERT INTO follow_counts (sdkappid, user_id)
SELECT $1, u FROM unnest($2::text[]) AS u ORDER BY u
ON CONFLICT (sdkappid, user_id) DO NOTHING
"""

# purge: lock the purged users and everyone with an edge to or from them, except those already
# locked ($3), in user_id order. The peers are those of the statement's snapshot: an edge added
# while it waited for a lock (by whoever held it) brings a peer it did not lock.
LOCK_PURGE_SQL = """
SELECT c.user_id FROM follow_counts c
WHERE c.sdkappid = $1 AND c.user_id IN (
        SELECT u FROM unnest($2::text[]) AS u
        UNION SELECT followee FROM follows WHERE sdkappid = $1 AND follower = ANY($2::text[])
        UNION SELECT follower FROM follows WHERE sdkappid = $1 AND followee = ANY($2::text[])
    )
  AND c.user_id <> ALL($3::text[])
ORDER BY c.user_id
FOR UPDATE OF c
"""

# purge, after locking: a peer not among the locked ($3), if any
NEW_PEER_SQL = """
SELECT followee FROM follows
WHERE sdkappid = $1 AND follower = ANY($2::text[]) AND followee <> ALL($3::text[])
UNION ALL
SELECT follower FROM follows
WHERE sdkappid = $1 AND followee = ANY($2::text[]) AND follower <> ALL($3::text[])
LIMIT 1
"""

PURGE_LOCK_ATTEMPTS = 8  # in global order; then the late peers are locked out of order

# purge, under the locks: every counter of a peer lowered by what it loses (one update per row:
# the deltas are summed first), then the mutual rows (both sides), the edges (both directions)
# and the purged users' counters removed
PURGE_SQL = """
WITH lost AS (
    SELECT followee AS user_id, 1 AS followers, 0 AS following, 0 AS mutual FROM follows
    WHERE sdkappid = $1 AND follower = ANY($2::text[])
    UNION ALL
    SELECT follower, 0, 1, 0 FROM follows WHERE sdkappid = $1 AND followee = ANY($2::text[])
    UNION ALL
    SELECT peer_id, 0, 0, 1 FROM follow_mutuals WHERE sdkappid = $1 AND user_id = ANY($2::text[])
), deltas AS (
    SELECT user_id, sum(followers) AS followers, sum(following) AS following,
           sum(mutual) AS mutual
    FROM lost WHERE user_id <> ALL($2::text[]) GROUP BY user_id
), fixed AS (
    UPDATE follow_counts c
    SET followers = c.followers - d.followers,
        following = c.following - d.following,
        mutual = c.mutual - d.mutual
    FROM deltas d
    WHERE c.sdkappid = $1 AND c.user_id = d.user_id
), mine AS (
    SELECT user_id, peer_id FROM follow_mutuals
    WHERE sdkappid = $1 AND user_id = ANY($2::text[])
), gone_mutuals AS (
    DELETE FROM follow_mutuals m
    WHERE m.sdkappid = $1 AND (m.user_id, m.peer_id) IN (
        SELECT user_id, peer_id FROM mine UNION ALL SELECT peer_id, user_id FROM mine
    )
), gone_edges AS (
    DELETE FROM follows
    WHERE sdkappid = $1 AND (follower = ANY($2::text[]) OR followee = ANY($2::text[]))
)
DELETE FROM follow_counts WHERE sdkappid = $1 AND user_id = ANY($2::text[])
"""


def _sorted_unique(user_ids: Iterable[str]) -> list[str]:
    return sorted(set(user_ids))


class FollowsMixin(PostgresBase):
    # -- shared steps of the writes ---------------------------------------------------------

    async def _lock_counts(self, sdkappid: int, user_ids: Sequence[str]) -> dict[str, FollowCounts]:
        """Steps 1 and 2: create and lock the counter rows of the existing accounts among
        ``user_ids`` in ``user_id`` order; returns their counters (the accounts that exist)."""
        ids = _sorted_unique(user_ids)
        await self.conn.execute(ENSURE_COUNTS_SQL, sdkappid, ids)
        rows = await self.conn.fetch(LOCK_COUNTS_SQL, sdkappid, ids)
        return {str(r[0]): FollowCounts(int(r[1]), int(r[2]), int(r[3])) for r in rows}

    async def _edges(
        self, sdkappid: int, user_id: str, peers: Sequence[str]
    ) -> tuple[set[str], dict[str, int]]:
        """(peers ``user_id`` follows, {peer that follows ``user_id``: since when})."""
        if not peers:
            return set(), {}
        rows = await self.conn.fetch(EDGES_SQL, sdkappid, user_id, list(peers))
        i_follow = {str(r[1]) for r in rows if r[0] == 0}
        follow_me = {str(r[1]): int(r[2]) for r in rows if r[0] == 1}
        return i_follow, follow_me

    @staticmethod
    def _deltas(plan: FollowPlan) -> list[list[Any]]:
        """The plan's counter changes as four arrays: users, followers, following, mutual."""
        changed = [(user, d) for user, d in plan.deltas.items() if any(d)]
        return [
            [user for user, _ in changed],
            [d[0] for _, d in changed],
            [d[1] for _, d in changed],
            [d[2] for _, d in changed],
        ]

    # -- writes -----------------------------------------------------------------------------

    async def add_follows(
        self, sdkappid: int, from_id: str, to_ids: Sequence[str], now: int, caps: FollowCaps
    ) -> list[int] | None:
        counts = await self._lock_counts(sdkappid, [from_id, *to_ids])
        if from_id not in counts:
            return None
        targets = [t for t in to_ids if t in counts]
        i_follow, follow_me = await self._edges(sdkappid, from_id, targets)
        plan = plan_follows(
            from_id,
            to_ids,
            existing=counts,
            counts=counts,
            i_follow=i_follow,
            follow_me=follow_me,
            caps=caps,
        )
        if plan.edges:
            mutual = _both_sides(plan.mutual_pairs, follow_me, now)
            await self.conn.execute(
                ADD_SQL,
                sdkappid,
                from_id,
                [b for _, b in plan.edges],
                now,
                [m[0] for m in mutual],
                [m[1] for m in mutual],
                [m[2] for m in mutual],
                *self._deltas(plan),
            )
        return plan.codes

    async def delete_follows(
        self, sdkappid: int, from_id: str, to_ids: Sequence[str]
    ) -> list[int] | None:
        counts = await self._lock_counts(sdkappid, [from_id, *to_ids])
        if from_id not in counts:
            return None
        targets = [t for t in to_ids if t in counts]
        i_follow, follow_me = await self._edges(sdkappid, from_id, targets)
        plan = plan_unfollows(
            from_id, to_ids, existing=counts, i_follow=i_follow, follow_me=follow_me
        )
        if plan.edges:
            mutual = _both_sides(plan.mutual_pairs, {}, 0)
            await self.conn.execute(
                DELETE_SQL,
                sdkappid,
                from_id,
                [b for _, b in plan.edges],
                [m[0] for m in mutual],
                [m[1] for m in mutual],
                *self._deltas(plan),
            )
        return plan.codes

    async def purge_follows(self, sdkappid: int, user_ids: Sequence[str]) -> None:
        """Set-based: lock the users and their peers, then one statement fixes every counter and
        deletes every row.

        Inside a savepoint, the users' counter rows are created where missing and the users and
        their peers locked in one sorted statement. If that is not the complete set (a peer
        appeared while it waited: someone followed a purged user just before we locked them; or
        a concurrent account delete removed a user's row), the savepoint is rolled back,
        releasing every lock, and the now current set is locked again in order: a purge never
        waits for a lock out of order. Only after :data:`PURGE_LOCK_ATTEMPTS` such rounds are
        the missing rows locked out of order (which may deadlock; callers use
        ``store.run_write``, which re-runs the unit of work).

        Correctness needs only the purged users' rows: once they are held, no one can add or
        remove an edge of theirs, and the final statement reads the edges afresh and lowers the
        peers' counters by increments (a peer's row changed meanwhile is updated on its newest
        version). Locking the peers first is what keeps the order, so purges do not deadlock.
        """
        ids = _sorted_unique(user_ids)
        if not ids:
            return
        locked: list[str] = []
        complete = False
        for attempt in range(PURGE_LOCK_ATTEMPTS):
            savepoint = self.conn.transaction()
            await savepoint.start()
            await self.conn.execute(ENSURE_PURGED_SQL, sdkappid, ids)
            locked = [str(r[0]) for r in await self.conn.fetch(LOCK_PURGE_SQL, sdkappid, ids, [])]
            complete = set(ids) <= set(locked) and (
                await self.conn.fetchval(NEW_PEER_SQL, sdkappid, ids, locked) is None
            )
            if complete or attempt == PURGE_LOCK_ATTEMPTS - 1:
                await savepoint.commit()  # RELEASE: the locks stay with the transaction
                break
            await savepoint.rollback()
        while not complete:
            # a lock statement that finds nothing new did not wait: its snapshot is current
            await self.conn.execute(ENSURE_PURGED_SQL, sdkappid, ids)
            rows = await self.conn.fetch(LOCK_PURGE_SQL, sdkappid, ids, locked)
            locked += [str(r[0]) for r in rows]
            complete = not rows
        await self.conn.execute(PURGE_SQL, sdkappid, ids)

    # -- reads ------------------------------------------------------------------------------

    async def follow_types(
        self, sdkappid: int, from_id: str, to_ids: Sequence[str]
    ) -> dict[str, FollowType] | None:
        rows = await self.conn.fetch(
            TYPES_SQL, sdkappid, _sorted_unique([from_id, *to_ids]), from_id
        )
        found: dict[int, set[str]] = {0: set(), 1: set(), 2: set()}
        for side, user in rows:
            found[side].add(str(user))
        if from_id not in found[0]:
            return None
        return {
            t: follow_type(t in found[1], t in found[2])
            for t in dict.fromkeys(to_ids)
            if t in found[0]
        }

    async def follow_counts(
        self, sdkappid: int, user_ids: Sequence[str]
    ) -> dict[str, FollowCounts]:
        if not user_ids:
            return {}
        rows = await self.conn.fetch(COUNTS_SQL, sdkappid, _sorted_unique(user_ids))
        return {
            str(r[0]): FollowCounts(int(r[1]), int(r[2]), int(r[3]))
            if r[1] is not None
            else FollowCounts()
            for r in rows
        }

    async def list_follows(
        self, sdkappid: int, user_id: str, kind: ListKind, after: Position | None, limit: int
    ) -> list[FollowEntry] | None:
        if not await self.conn.fetchval(EXISTS_SQL, sdkappid, user_id):
            return None
        first, later = PAGE_SQL[ListKind(kind)]
        if after is None:
            rows = await self.conn.fetch(first, sdkappid, user_id, limit)
        else:
            rows = await self.conn.fetch(later, sdkappid, user_id, limit, after.time, after.account)
        return [_entry(*row) for row in rows]


def _entry(account: str, time: int, profile: str | None, seq: int | None) -> FollowEntry:
    return FollowEntry(str(account), int(time), orjson.loads(profile) if profile else {}, seq or 0)


def _both_sides(
    pairs: Iterable[tuple[str, str]], follow_me: Mapping[str, int], now: int
) -> list[tuple[str, str, int]]:
    """Both rows of each mutual pair ``(a, b)``; ``follow_me[b]`` is when b followed a; mutual
    since the later of the two follow times (``now``, unless the clock went back)."""
    rows = []
    for a, b in pairs:
        since = max(now, follow_me.get(b, now))
        rows.append((a, b, since))
        rows.append((b, a, since))
    return rows
