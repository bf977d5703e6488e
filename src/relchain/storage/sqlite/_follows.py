"""Follow edges, mutual edges and counters (issue 3).

Every method runs a fixed, small number of statements whatever the batch size (IN lists and
``executemany``), each an index lookup or an index range bounded by the batch or page size.
Writes run inside the store's write transaction (``BEGIN IMMEDIATE`` under the process lock), so
what :func:`plan_follows` decides from the rows read here cannot be changed by another writer
before it is applied: the caps hold under any concurrency.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

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
from relchain.storage.sqlite._base import SQLiteBase, marks

__all__ = ["FollowsMixin"]

# follow_get pages: (account, time, profile, profile_seq), newest first, ties by account desc.
# LEFT JOIN keeps the edge table as the outer loop (driven by the ordered covering index); each
# account is then one primary-key lookup.
_PAGE_SQL = {
    ListKind.FANS: (
        "SELECT f.follower, f.created_at, a.profile, a.profile_seq FROM follows f"
        " LEFT JOIN accounts a ON a.sdkappid = f.sdkappid AND a.user_id = f.follower"
        " WHERE f.sdkappid = ? AND f.followee = ?{after}"
        " ORDER BY f.created_at DESC, f.follower DESC LIMIT ?",
        " AND (f.created_at, f.follower) < (?, ?)",
    ),
    ListKind.FOLLOWING: (
        "SELECT f.followee, f.created_at, a.profile, a.profile_seq FROM follows f"
        " LEFT JOIN accounts a ON a.sdkappid = f.sdkappid AND a.user_id = f.followee"
        " WHERE f.sdkappid = ? AND f.follower = ?{after}"
        " ORDER BY f.created_at DESC, f.followee DESC LIMIT ?",
        " AND (f.created_at, f.followee) < (?, ?)",
    ),
    ListKind.MUTUAL: (
        "SELECT m.peer_id, m.since, a.profile, a.profile_seq FROM follow_mutuals m"
        " LEFT JOIN accounts a ON a.sdkappid = m.sdkappid AND a.user_id = m.peer_id"
        " WHERE m.sdkappid = ? AND m.user_id = ?{after}"
        " ORDER BY m.since DESC, m.peer_id DESC LIMIT ?",
        " AND (m.since, m.peer_id) < (?, ?)",
    ),
}
PAGE_SQL = {
    kind: (first.format(after=""), first.format(after=after))
    for kind, (first, after) in _PAGE_SQL.items()
}

_RELATIONS_TAIL = (
    " EXISTS (SELECT 1 FROM follows f WHERE f.sdkappid = a.sdkappid AND f.follower = ?1"
    " AND f.followee = a.user_id),"
    " (SELECT r.created_at FROM follows r WHERE r.sdkappid = a.sdkappid"
    " AND r.follower = a.user_id AND r.followee = ?1)"
)
_RELATIONS_COUNTS_SQL = (
    "SELECT a.user_id, c.followers, c.following, c.mutual," + _RELATIONS_TAIL + " FROM accounts a"
    " LEFT JOIN follow_counts c ON c.sdkappid = a.sdkappid AND c.user_id = a.user_id"
    " WHERE a.sdkappid = ?2 AND a.user_id IN ({ids})"
)
_RELATIONS_SQL = (
    "SELECT a.user_id, NULL, NULL, NULL," + _RELATIONS_TAIL + " FROM accounts a"
    " WHERE a.sdkappid = ?2 AND a.user_id IN ({ids})"
)

_ADD_COUNTS_SQL = (
    "INSERT INTO follow_counts (sdkappid, user_id, followers, following, mutual)"
    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (sdkappid, user_id) DO UPDATE SET"
    " followers = followers + excluded.followers,"
    " following = following + excluded.following,"
    " mutual = mutual + excluded.mutual"
)


class FollowsMixin(SQLiteBase):
    # -- reads shared by the use cases ------------------------------------------------------

    def _accounts_with_counts(
        self, sdkappid: int, user_ids: Sequence[str]
    ) -> dict[str, FollowCounts]:
        """Existing accounts among ``user_ids`` with their counters (one query)."""
        rows = self.conn.execute(
            "SELECT a.user_id, c.followers, c.following, c.mutual FROM accounts a"
            " LEFT JOIN follow_counts c ON c.sdkappid = a.sdkappid AND c.user_id = a.user_id"
            f" WHERE a.sdkappid = ? AND a.user_id IN ({marks(len(user_ids))})",
            (sdkappid, *user_ids),
        ).fetchall()
        return {row[0]: _counts(row[1], row[2], row[3]) for row in rows}

    def _relations(
        self, sdkappid: int, user_id: str, peers: Sequence[str], *, with_counts: bool
    ) -> tuple[dict[str, FollowCounts], set[str], dict[str, int]]:
        """One query over ``user_id`` and ``peers``: the existing accounts (with their counters
        when asked), the peers ``user_id`` follows, and {peer following ``user_id``: since}.
        Each relation is a primary-key lookup."""
        rows = self.conn.execute(
            (_RELATIONS_COUNTS_SQL if with_counts else _RELATIONS_SQL).format(
                ids=marks(len(peers) + 1)
            ),
            (user_id, sdkappid, user_id, *peers),
        ).fetchall()
        accounts = {row[0]: _counts(row[1], row[2], row[3]) for row in rows}
        i_follow = {row[0] for row in rows if row[4]}
        follow_me = {row[0]: row[5] for row in rows if row[5] is not None}
        return accounts, i_follow, follow_me

    def _apply_counts(self, sdkappid: int, plan: FollowPlan) -> None:
        changed = [(sdkappid, user, *delta) for user, delta in plan.deltas.items() if any(delta)]
        if changed:
            self.conn.executemany(_ADD_COUNTS_SQL, changed)

    # -- writes -----------------------------------------------------------------------------

    async def add_follows(
        self, sdkappid: int, from_id: str, to_ids: Sequence[str], now: int, caps: FollowCaps
    ) -> list[int] | None:
        accounts, i_follow, follow_me = self._relations(sdkappid, from_id, to_ids, with_counts=True)
        if from_id not in accounts:
            return None
        plan = plan_follows(
            from_id,
            to_ids,
            existing=accounts,
            counts=accounts,
            i_follow=i_follow,
            follow_me=follow_me,
            caps=caps,
        )
        if plan.edges:
            self.conn.executemany(
                "INSERT INTO follows (sdkappid, follower, followee, created_at)"
                " VALUES (?, ?, ?, ?)",
                [(sdkappid, a, b, now) for a, b in plan.edges],
            )
            if plan.mutual_pairs:
                # mutual since the later of the two follow times (now, unless the clock went back)
                self.conn.executemany(
                    "INSERT INTO follow_mutuals (sdkappid, user_id, peer_id, since)"
                    " VALUES (?, ?, ?, ?)",
                    _both_sides(sdkappid, plan.mutual_pairs, follow_me, now),
                )
            self._apply_counts(sdkappid, plan)
        return plan.codes

    async def delete_follows(
        self, sdkappid: int, from_id: str, to_ids: Sequence[str]
    ) -> list[int] | None:
        existing, i_follow, follow_me = self._relations(
            sdkappid, from_id, to_ids, with_counts=False
        )
        if from_id not in existing:
            return None
        plan = plan_unfollows(
            from_id, to_ids, existing=existing, i_follow=i_follow, follow_me=follow_me
        )
        if plan.edges:
            gone = [b for _, b in plan.edges]
            self.conn.execute(
                "DELETE FROM follows WHERE sdkappid = ? AND follower = ?"
                f" AND followee IN ({marks(len(gone))})",
                (sdkappid, from_id, *gone),
            )
            if plan.mutual_pairs:
                self.conn.executemany(
                    "DELETE FROM follow_mutuals WHERE sdkappid = ? AND user_id = ? AND peer_id = ?",
                    [row[:3] for row in _both_sides(sdkappid, plan.mutual_pairs, {}, 0)],
                )
            self._apply_counts(sdkappid, plan)
        return plan.codes

    async def purge_follows(self, sdkappid: int, user_ids: Sequence[str]) -> None:
        """Set-based: three counter updates (aggregated with GROUP BY), then four deletes."""
        if not user_ids:
            return
        n = marks(len(user_ids))
        ids = tuple(user_ids)
        # accounts these users follow lose a follower each
        self.conn.execute(
            "UPDATE follow_counts SET followers = followers - d.n FROM ("
            " SELECT followee AS uid, count(*) AS n FROM follows"
            f" WHERE sdkappid = ? AND follower IN ({n})"
            " GROUP BY followee) AS d"
            " WHERE follow_counts.sdkappid = ? AND follow_counts.user_id = d.uid",
            (sdkappid, *ids, sdkappid),
        )
        # accounts following these users lose a following each
        self.conn.execute(
            "UPDATE follow_counts SET following = following - d.n FROM ("
            " SELECT follower AS uid, count(*) AS n FROM follows INDEXED BY follows_fans_by_time"
            f" WHERE sdkappid = ? AND followee IN ({n})"
            " GROUP BY follower) AS d"
            " WHERE follow_counts.sdkappid = ? AND follow_counts.user_id = d.uid",
            (sdkappid, *ids, sdkappid),
        )
        # their mutual peers lose a mutual each
        self.conn.execute(
            "UPDATE follow_counts SET mutual = mutual - d.n FROM ("
            " SELECT peer_id AS uid, count(*) AS n FROM follow_mutuals"
            f" WHERE sdkappid = ? AND user_id IN ({n})"
            " GROUP BY peer_id) AS d"
            " WHERE follow_counts.sdkappid = ? AND follow_counts.user_id = d.uid",
            (sdkappid, *ids, sdkappid),
        )
        # the peers' side of each mutual pair first (found through the users' side), then the rest
        self.conn.execute(
            "DELETE FROM follow_mutuals WHERE sdkappid = ? AND user_id IN ("
            f" SELECT peer_id FROM follow_mutuals WHERE sdkappid = ? AND user_id IN ({n}))"
            f" AND peer_id IN ({n})",
            (sdkappid, sdkappid, *ids, *ids),
        )
        self.conn.execute(
            f"DELETE FROM follow_mutuals WHERE sdkappid = ? AND user_id IN ({n})", (sdkappid, *ids)
        )
        self.conn.execute(
            f"DELETE FROM follows WHERE sdkappid = ? AND follower IN ({n})", (sdkappid, *ids)
        )
        self.conn.execute(
            f"DELETE FROM follows WHERE sdkappid = ? AND followee IN ({n})", (sdkappid, *ids)
        )
        self.conn.execute(
            f"DELETE FROM follow_counts WHERE sdkappid = ? AND user_id IN ({n})", (sdkappid, *ids)
        )

    # -- reads ------------------------------------------------------------------------------

    async def follow_types(
        self, sdkappid: int, from_id: str, to_ids: Sequence[str]
    ) -> dict[str, FollowType] | None:
        existing, i_follow, follow_me = self._relations(
            sdkappid, from_id, list(dict.fromkeys(to_ids)), with_counts=False
        )
        if from_id not in existing:
            return None
        return {
            t: follow_type(t in i_follow, t in follow_me)
            for t in dict.fromkeys(to_ids)
            if t in existing
        }

    async def follow_counts(
        self, sdkappid: int, user_ids: Sequence[str]
    ) -> dict[str, FollowCounts]:
        if not user_ids:
            return {}
        return self._accounts_with_counts(sdkappid, list(dict.fromkeys(user_ids)))

    async def list_follows(
        self, sdkappid: int, user_id: str, kind: ListKind, after: Position | None, limit: int
    ) -> list[FollowEntry] | None:
        first, later = PAGE_SQL[ListKind(kind)]
        if after is None:
            rows = self.conn.execute(first, (sdkappid, user_id, limit)).fetchall()
        else:
            rows = self.conn.execute(
                later, (sdkappid, user_id, after.time, after.account, limit)
            ).fetchall()
        # edges exist only between existing accounts (account_delete purges them), so only an
        # empty page needs to ask whether the account exists
        if not rows and not self._accounts_with_counts(sdkappid, [user_id]):
            return None
        loads = orjson.loads
        return [FollowEntry(a, t, loads(p) if p else {}, q or 0) for a, t, p, q in rows]


def _counts(followers: int | None, following: int | None, mutual: int | None) -> FollowCounts:
    if followers is None:  # no counter row yet
        return FollowCounts()
    return FollowCounts(followers, following or 0, mutual or 0)


def _both_sides(
    sdkappid: int, pairs: Iterable[tuple[str, str]], follow_me: Mapping[str, int], now: int
) -> list[tuple[int, str, str, int]]:
    """Both rows of each mutual pair ``(a, b)``; ``follow_me[b]`` is when b followed a."""
    rows = []
    for a, b in pairs:
        since = max(now, follow_me.get(b, now))
        rows.append((sdkappid, a, b, since))
        rows.append((sdkappid, b, a, since))
    return rows
