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
        return {
            row[0]: FollowCounts(row[1], row[2], row[3]) if row[1] is not None else FollowCounts()
            for row in rows
        }

    def _existing(self, sdkappid: int, user_ids: Sequence[str]) -> set[str]:
        rows = self.conn.execute(
            "SELECT user_id FROM accounts"
            f" WHERE sdkappid = ? AND user_id IN ({marks(len(user_ids))})",
            (sdkappid, *user_ids),
        ).fetchall()
        return {row[0] for row in rows}

    def _edges(
        self, sdkappid: int, user_id: str, peers: Sequence[str]
    ) -> tuple[set[str], dict[str, int]]:
        """(peers ``user_id`` follows, {peer that follows ``user_id``: since when}), by
        primary-key lookups."""
        if not peers:
            return set(), {}
        n = marks(len(peers))
        rows = self.conn.execute(
            "SELECT 0, followee, created_at FROM follows"
            f" WHERE sdkappid = ? AND follower = ? AND followee IN ({n})"
            " UNION ALL SELECT 1, follower, created_at FROM follows"
            f" WHERE sdkappid = ? AND follower IN ({n}) AND followee = ?",
            (sdkappid, user_id, *peers, sdkappid, *peers, user_id),
        ).fetchall()
        i_follow = {peer for side, peer, _ in rows if side == 0}
        follow_me = {peer: time for side, peer, time in rows if side == 1}
        return i_follow, follow_me

    def _apply_counts(self, sdkappid: int, plan: FollowPlan) -> None:
        changed = [(sdkappid, user, *delta) for user, delta in plan.deltas.items() if any(delta)]
        if changed:
            self.conn.executemany(_ADD_COUNTS_SQL, changed)

    # -- writes -----------------------------------------------------------------------------

    async def add_follows(
        self, sdkappid: int, from_id: str, to_ids: Sequence[str], now: int, caps: FollowCaps
    ) -> list[int] | None:
        accounts = self._accounts_with_counts(sdkappid, [from_id, *to_ids])
        if from_id not in accounts:
            return None
        targets = [t for t in to_ids if t in accounts]
        i_follow, follow_me = self._edges(sdkappid, from_id, targets)
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
        existing = self._existing(sdkappid, [from_id, *to_ids])
        if from_id not in existing:
            return None
        targets = [t for t in to_ids if t in existing]
        i_follow, follow_me = self._edges(sdkappid, from_id, targets)
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
        existing = self._existing(sdkappid, [from_id, *to_ids])
        if from_id not in existing:
            return None
        targets = [t for t in dict.fromkeys(to_ids) if t in existing]
        if not targets:
            return {}
        i_follow, follow_me = self._edges(sdkappid, from_id, targets)
        return {t: follow_type(t in i_follow, t in follow_me) for t in targets}

    async def follow_counts(
        self, sdkappid: int, user_ids: Sequence[str]
    ) -> dict[str, FollowCounts]:
        if not user_ids:
            return {}
        return self._accounts_with_counts(sdkappid, list(dict.fromkeys(user_ids)))

    async def list_follows(
        self, sdkappid: int, user_id: str, kind: ListKind, after: Position | None, limit: int
    ) -> list[FollowEntry] | None:
        if not self._existing(sdkappid, [user_id]):
            return None
        first, later = PAGE_SQL[ListKind(kind)]
        if after is None:
            cursor = self.conn.execute(first, (sdkappid, user_id, limit))
        else:
            cursor = self.conn.execute(later, (sdkappid, user_id, after.time, after.account, limit))
        return [_entry(*row) for row in cursor.fetchall()]


def _entry(account: str, time: int, profile: str | None, seq: int | None) -> FollowEntry:
    return FollowEntry(account, time, orjson.loads(profile) if profile else {}, seq or 0)


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
