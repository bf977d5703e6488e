"""What the SNS mixins share: per-user counters and sequences, keyset positions, and writing or
removing friend edges set-based (one statement or one ``executemany`` per step, never a query per
item)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson

from relchain.domain.friends import (
    AddPlan,
    Edge,
    FriendRequest,
    MyState,
    PeerState,
    SnsLimits,
    plan_their_lists,
)
from relchain.domain.profiles import ALLOW_TYPE, NEED_CONFIRM
from relchain.storage._sns_deltas import COUNTERS, SEQUENCES, Deltas
from relchain.storage.sqlite._base import SQLiteBase, marks

__all__ = ["Deltas", "SnsBase", "pairs_sql"]

PAIRS_PER_STATEMENT = 4000  # 8000 parameters; SQLite allows 32766


def pairs_sql(count: int) -> str:
    """A subquery of ``count`` ``(?, ?)`` pairs for ``(a, b) IN <it>``.

    Written as a CTE rather than a bare ``IN (VALUES ...)``: SQLite then probes the index per pair
    instead of scanning every row of the app (checked with EXPLAIN QUERY PLAN in the tests).
    """
    return "(WITH p(a, b) AS (VALUES " + ",".join(["(?,?)"] * count) + ") SELECT a, b FROM p)"


class SnsBase(SQLiteBase):
    def _by_pairs(
        self, sql: str, head: tuple[Any, ...], pairs: Sequence[tuple[str, str]]
    ) -> list[Any]:
        """Run ``sql`` (its ``<PAIRS>`` replaced by :func:`pairs_sql`) over ``pairs`` in chunks
        that stay well under SQLite's bound-parameter limit; returns every row."""
        rows: list[Any] = []
        for start in range(0, len(pairs), PAIRS_PER_STATEMENT):
            chunk = pairs[start : start + PAIRS_PER_STATEMENT]
            flat = [v for pair in chunk for v in pair]
            rows += self.conn.execute(
                sql.replace("<PAIRS>", pairs_sql(len(chunk))), (*head, *flat)
            ).fetchall()
        return rows

    # ------------------------------------------------------------ users

    def _ensure_users(self, sdkappid: int, users: Iterable[str]) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO sns_users (sdkappid, user_id) VALUES (?, ?)",
            [(sdkappid, u) for u in set(users)],
        )

    def _user_row(self, sdkappid: int, user: str) -> dict[str, int]:
        row = self.conn.execute(
            "SELECT friend_count, block_count, pending_count, standard_seq, custom_seq,"
            " block_seq, list_seq FROM sns_users WHERE sdkappid = ? AND user_id = ?",
            (sdkappid, user),
        ).fetchone()
        names = (*COUNTERS, *SEQUENCES)
        return dict(zip(names, row or (0,) * len(names), strict=True))

    def _my_state(self, sdkappid: int, user: str) -> MyState:
        row = self._user_row(sdkappid, user)
        return MyState(
            user, row["friend_count"], row["pending_count"], self._list_names(sdkappid, user)
        )

    def _apply(self, sdkappid: int, deltas: Deltas) -> None:
        changed = {u: d for u, d in deltas.users.items() if any(vars(d).values())}
        if not changed:
            return
        self._ensure_users(sdkappid, changed)
        self.conn.executemany(
            "UPDATE sns_users SET friend_count = friend_count + ?, block_count = block_count + ?,"
            " pending_count = pending_count + ?, standard_seq = standard_seq + ?,"
            " custom_seq = custom_seq + ?, block_seq = block_seq + ?, list_seq = list_seq + ?"
            " WHERE sdkappid = ? AND user_id = ?",
            [
                (
                    d.friend_count,
                    d.block_count,
                    d.pending_count,
                    d.standard_seq,
                    d.custom_seq,
                    d.block_seq,
                    d.list_seq,
                    sdkappid,
                    user,
                )
                for user, d in changed.items()
            ],
        )

    # ------------------------------------------------------------ positions

    def _positions(
        self, sdkappid: int, kind: str, pairs: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], int]:
        """The keyset position of each (owner, other): the one it had before, or a new one."""
        if not pairs:
            return {}
        found = {
            (row[0], row[1]): row[2]
            for row in self._by_pairs(
                "SELECT owner, other, pos FROM sns_positions WHERE sdkappid = ? AND kind = ?"
                " AND (owner, other) IN <PAIRS>",
                (sdkappid, kind),
                pairs,
            )
        }
        missing = [p for p in dict.fromkeys(pairs) if p not in found]
        if missing:
            owners = sorted({owner for owner, _ in missing})
            self._ensure_users(sdkappid, owners)
            column = "next_friend_pos" if kind == "f" else "next_block_pos"
            nxt = dict(
                self.conn.execute(
                    f"SELECT user_id, {column} FROM sns_users WHERE sdkappid = ?"
                    f" AND user_id IN ({marks(len(owners))})",
                    (sdkappid, *owners),
                ).fetchall()
            )
            new = []
            for owner, other in missing:
                found[(owner, other)] = nxt[owner]
                new.append((sdkappid, owner, kind, other, nxt[owner]))
                nxt[owner] += 1
            self.conn.executemany("INSERT INTO sns_positions VALUES (?, ?, ?, ?, ?)", new)
            self.conn.executemany(
                f"UPDATE sns_users SET {column} = ? WHERE sdkappid = ? AND user_id = ?",
                [(pos, sdkappid, owner) for owner, pos in nxt.items()],
            )
        return found

    # ------------------------------------------------------------ lists

    def _list_names(self, sdkappid: int, owner: str) -> list[str]:
        return [
            row[0]
            for row in self.conn.execute(
                "SELECT name FROM friend_lists WHERE sdkappid = ? AND owner = ? ORDER BY pos",
                (sdkappid, owner),
            )
        ]

    def _create_lists(self, sdkappid: int, owner: str, names: Sequence[str]) -> None:
        if not names:
            return
        row = self.conn.execute(
            "SELECT coalesce(max(pos), 0) FROM friend_lists WHERE sdkappid = ? AND owner = ?",
            (sdkappid, owner),
        ).fetchone()
        start = int(row[0]) + 1
        self.conn.executemany(
            "INSERT OR IGNORE INTO friend_lists (sdkappid, owner, name, pos) VALUES (?, ?, ?, ?)",
            [(sdkappid, owner, name, start + i) for i, name in enumerate(names)],
        )

    # ------------------------------------------------------------ edges

    def _insert_edges(self, sdkappid: int, edges: Sequence[Edge], deltas: Deltas) -> None:
        if not edges:
            return
        pos = self._positions(sdkappid, "f", [(e.owner, e.friend) for e in edges])
        self.conn.executemany(
            "INSERT INTO friends (sdkappid, owner, friend, pos, add_source, add_time,"
            " add_wording, remark, remark_time, custom) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    sdkappid,
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
            ],
        )
        members = [(sdkappid, e.owner, e.friend, g) for e in edges for g in e.groups]
        self.conn.executemany(
            "INSERT OR IGNORE INTO friend_list_members (sdkappid, owner, friend, name)"
            " VALUES (?, ?, ?, ?)",
            members,
        )
        for e in edges:
            deltas.add(
                e.owner,
                friend_count=1,
                standard_seq=1,
                custom_seq=bool(e.custom),
                list_seq=bool(e.groups),
            )

    def _remove_edges(
        self, sdkappid: int, pairs: Sequence[tuple[str, str]], deltas: Deltas
    ) -> set[tuple[str, str]]:
        """Delete the edges (owner, friend) that exist, with their list memberships."""
        if not pairs:
            return set()
        gone = self._by_pairs(
            "DELETE FROM friends WHERE sdkappid = ? AND (owner, friend) IN <PAIRS>"
            " RETURNING owner, friend, custom != '{}'",
            (sdkappid,),
            pairs,
        )
        removed = {(row[0], row[1]) for row in gone}
        for owner, _friend, had_custom in gone:
            deltas.add(owner, friend_count=-1, standard_seq=1, custom_seq=bool(had_custom))
        if removed:
            for (owner,) in self._by_pairs(
                "DELETE FROM friend_list_members WHERE sdkappid = ?"
                " AND (owner, friend) IN <PAIRS> RETURNING owner",
                (sdkappid,),
                sorted(removed),
            ):
                deltas.add(owner, list_seq=1)
        return removed

    # ------------------------------------------------------------ requests

    def _insert_requests(
        self, sdkappid: int, requests: Sequence[FriendRequest], deltas: Deltas, *, new: bool
    ) -> None:
        if not requests:
            return
        self.conn.executemany(
            "INSERT OR REPLACE INTO friend_requests (sdkappid, requester, target, created_at,"
            " add_source, add_wording, remark, group_name, both_ways)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    sdkappid,
                    r.requester,
                    r.target,
                    r.created_at,
                    r.add_source,
                    r.add_wording,
                    r.remark,
                    r.group,
                    int(r.both),
                )
                for r in requests
            ],
        )
        if new:
            for r in requests:
                deltas.add(r.requester, pending_count=1)

    def _drop_requests(
        self, sdkappid: int, pairs: Sequence[tuple[str, str]], deltas: Deltas
    ) -> None:
        """Delete the pending requests (requester, target) that exist."""
        if not pairs:
            return
        for (requester,) in self._by_pairs(
            "DELETE FROM friend_requests WHERE sdkappid = ?"
            " AND (requester, target) IN <PAIRS> RETURNING requester",
            (sdkappid,),
            pairs,
        ):
            deltas.add(requester, pending_count=-1)

    def _peer_states(self, sdkappid: int, me: str, others: Sequence[str]) -> dict[str, PeerState]:
        """Everything the add planners need about ``others``, in seven indexed queries."""
        others = list(dict.fromkeys(o for o in others if o != me))
        if not others:
            return {}
        n, args = marks(len(others)), (sdkappid, *others)
        peers = {
            uid: PeerState(True, allow or NEED_CONFIRM)
            for uid, allow in self.conn.execute(
                f"SELECT user_id, json_extract(profile, '$.{ALLOW_TYPE}') FROM accounts"
                f" WHERE sdkappid = ? AND user_id IN ({n})",
                args,
            )
        }
        if not peers:
            return {}

        def each(sql: str, *params: Any) -> list[Any]:
            return [row[0] for row in self.conn.execute(sql, (sdkappid, *params, *others))]

        for o in each(
            f"SELECT friend FROM friends WHERE sdkappid = ? AND owner = ? AND friend IN ({n})", me
        ):
            peers[o].i_have_peer = True
        for o in each(
            f"SELECT owner FROM friends WHERE sdkappid = ? AND friend = ? AND owner IN ({n})", me
        ):
            peers[o].peer_has_me = True
        for o in each(
            f"SELECT blocked FROM blocklist WHERE sdkappid = ? AND owner = ? AND blocked IN ({n})",
            me,
        ):
            peers[o].i_block_peer = True
        for o in each(
            f"SELECT owner FROM blocklist WHERE sdkappid = ? AND blocked = ? AND owner IN ({n})",
            me,
        ):
            peers[o].peer_blocks_me = True
        for o in each(
            "SELECT target FROM friend_requests WHERE sdkappid = ? AND requester = ?"
            f" AND target IN ({n})",
            me,
        ):
            peers[o].my_request = True
        for row in self.conn.execute(
            "SELECT requester, target, created_at, add_source, add_wording, remark, group_name,"
            " both_ways FROM friend_requests WHERE sdkappid = ? AND target = ?"
            f" AND requester IN ({n})",
            (sdkappid, me, *others),
        ):
            peers[row[0]].peer_request = self._request(row)
        for uid, count in self.conn.execute(
            f"SELECT user_id, friend_count FROM sns_users WHERE sdkappid = ? AND user_id IN ({n})",
            args,
        ):
            peers[uid].friend_count = count
        return peers

    def _apply_plan(self, sdkappid: int, me: str, plan: AddPlan, limits: SnsLimits) -> None:
        deltas = Deltas()
        if plan.new_lists:
            self._create_lists(sdkappid, me, plan.new_lists)
            deltas.add(me, list_seq=1)
        self._drop_requests(sdkappid, plan.dropped_requests, deltas)
        self._insert_edges(sdkappid, self._their_lists(sdkappid, me, plan, limits, deltas), deltas)
        self._insert_requests(sdkappid, plan.new_requests, deltas, new=True)
        self._insert_requests(sdkappid, plan.renewed_requests, deltas, new=False)
        self._apply(sdkappid, deltas)

    def _their_lists(
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
        for owner, name, pos in self.conn.execute(
            "SELECT owner, name, pos FROM friend_lists WHERE sdkappid = ?"
            f" AND owner IN ({marks(len(owners))}) ORDER BY owner, pos",
            (sdkappid, *owners),
        ):
            lists[owner].append(name)
            top[owner] = max(top[owner], pos)
        edges, new = plan_their_lists(plan.edges, lists, top, limits.max_lists)
        for owner, _, _ in new:
            deltas.add(owner, list_seq=1)
        self.conn.executemany(
            "INSERT INTO friend_lists (sdkappid, owner, name, pos) VALUES (?, ?, ?, ?)",
            [(sdkappid, *n) for n in new],
        )
        return edges

    @staticmethod
    def _request(row: Sequence[Any]) -> FriendRequest:
        return FriendRequest(
            row[0], row[1], int(row[2]), row[3], row[4], row[5], row[6], bool(row[7])
        )

    @staticmethod
    def _custom(raw: str) -> Mapping[str, Any]:
        value: dict[str, Any] = orjson.loads(raw)
        return value
