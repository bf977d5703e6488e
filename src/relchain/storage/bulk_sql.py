"""The statements of the bulk use cases (export, import, check, repair), once for both dialects.

The set-based statements here are standard SQL that SQLite (3.33+) and PostgreSQL both run
(``ON CONFLICT``, ``UPDATE ... FROM``, window functions); where the dialects differ, a
:class:`Dialect` supplies the piece (parameter numbers, the larger of two values, merging two
JSON objects). Every statement takes the app as parameter 1.

Check statements return up to :data:`EXAMPLES` example rows of one kind of problem, as text
columns; an empty result means the invariant holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["EXAMPLES", "BulkStatements", "Dialect"]

EXAMPLES = 1000  # rows a check statement returns at most


@dataclass(frozen=True, slots=True)
class Dialect:
    """The pieces the two dialects write differently."""

    param: str  # "?" or "$"
    greatest: str  # "max" (SQLite's scalar max) or "greatest"
    json_patch: str  # "{old}" merged with "{new}" (the new values win)
    json_text: str  # a JSON column as text: "{col}" or "{col}::text"
    collate: str  # bytewise order of text: "" (SQLite's own) or ' COLLATE "C"'
    json_cast: str  # after a JSON text parameter: "" or "::jsonb"

    def p(self, n: int) -> str:
        return f"{self.param}{n}"


def _exists(table: str, where: str) -> str:
    return f"EXISTS (SELECT 1 FROM {table} WHERE {where})"


class BulkStatements:
    """Every bulk statement of one dialect, built from its :class:`Dialect`."""

    def __init__(self, d: Dialect) -> None:
        a = d.p(1)
        self.dialect = d

        def acc(col: str) -> str:
            return _exists("accounts ac", f"ac.sdkappid = {a} AND ac.user_id = {col}")

        def follow(x: str, y: str) -> str:
            where = f"fx.sdkappid = {a} AND fx.follower = {x} AND fx.followee = {y}"
            return _exists("follows fx", where)

        def blocked(x: str, y: str) -> str:
            return _exists(
                "blocklist bx", f"bx.sdkappid = {a} AND bx.owner = {x} AND bx.blocked = {y}"
            )

        def friend(x: str, y: str) -> str:
            return _exists(
                "friends fr", f"fr.sdkappid = {a} AND fr.owner = {x} AND fr.friend = {y}"
            )

        since = f"{d.greatest}(x.created_at, y.created_at)"
        mutual_pairs = (
            "FROM follows x JOIN follows y ON y.sdkappid = x.sdkappid"
            " AND y.follower = x.followee AND y.followee = x.follower"
            f" WHERE x.sdkappid = {a}"
        )

        # -- export: every row of the app, in one bytewise order ---------------------------
        c = d.collate
        self.dump = MappingProxyType(
            {
                "account": "SELECT user_id, created_at, "
                + d.json_text.format(col="profile")
                + f" FROM accounts WHERE sdkappid = {a} ORDER BY user_id{c}",
                "follow": "SELECT follower, followee, created_at FROM follows"
                f" WHERE sdkappid = {a} ORDER BY follower{c}, followee{c}",
                "list": f"SELECT owner, name FROM friend_lists WHERE sdkappid = {a}"
                f" ORDER BY owner{c}, pos, name{c}",
                "friend": "SELECT f.owner, f.friend, f.add_source, f.add_time, f.add_wording,"
                " f.remark, f.remark_time, "
                + d.json_text.format(col="f.custom")
                + f" FROM friends f WHERE f.sdkappid = {a} ORDER BY f.owner{c}, f.pos",
                "member": "SELECT m.owner, m.friend, m.name FROM friend_list_members m"
                " JOIN friend_lists l ON l.sdkappid = m.sdkappid AND l.owner = m.owner"
                f" AND l.name = m.name WHERE m.sdkappid = {a}"
                f" ORDER BY m.owner{c}, l.pos, m.name{c}, m.friend{c}",
                "block": "SELECT owner, blocked, added_at FROM blocklist"
                f" WHERE sdkappid = {a} ORDER BY owner{c}, pos",
                "request": "SELECT requester, target, created_at, add_source, add_wording,"
                " remark, group_name, both_ways FROM friend_requests"
                f" WHERE sdkappid = {a} ORDER BY requester{c}, target{c}",
            }
        )
        j = d.json_cast
        self.save_app = (
            f"UPDATE apps SET admins = {d.p(2)}{j}, settings = {d.p(3)}{j} WHERE sdkappid = {a}"
        )
        self.account_ids = f"SELECT user_id FROM accounts WHERE sdkappid = {a}"
        self.follow_rows = f"SELECT count(*) FROM follows WHERE sdkappid = {a}"

        # -- import: what the loaded rows imply, computed at the end -----------------------
        # new rows carry a negative position (minus their line), so they are told apart
        def place(table: str, key: str, kind: str, next_col: str) -> tuple[str, str]:
            reuse = (
                f"UPDATE {table} SET pos = p.pos FROM sns_positions p"
                f" WHERE {table}.sdkappid = {a} AND {table}.pos < 0 AND p.sdkappid = {a}"
                f" AND p.owner = {table}.owner AND p.kind = '{kind}' AND p.other = {table}.{key}"
            )
            fresh = (
                f"WITH r AS (SELECT owner, {key} AS other, row_number() OVER"
                f" (PARTITION BY owner ORDER BY pos DESC) AS n FROM {table}"
                f" WHERE sdkappid = {a} AND pos < 0),"
                " b AS (SELECT owner, max(top) AS top FROM ("
                f" SELECT user_id AS owner, {next_col} - 1 AS top FROM sns_users"
                f" WHERE sdkappid = {a} UNION ALL SELECT owner, max(pos) FROM sns_positions"
                f" WHERE sdkappid = {a} AND kind = '{kind}' GROUP BY owner) t GROUP BY owner)"
                f" UPDATE {table} SET pos = coalesce(b.top, 0) + r.n"
                " FROM r LEFT JOIN b ON b.owner = r.owner"
                f" WHERE {table}.sdkappid = {a} AND {table}.owner = r.owner"
                f" AND {table}.{key} = r.other"
            )
            return reuse, fresh

        self.import_members = (
            "INSERT INTO friend_list_members (sdkappid, owner, friend, name)"
            " SELECT m.sdkappid, m.owner, m.friend, m.name FROM import_members m"
            " JOIN friends f ON f.sdkappid = m.sdkappid AND f.owner = m.owner"
            f" AND f.friend = m.friend WHERE m.sdkappid = {a} AND f.pos < 0"
            " ON CONFLICT DO NOTHING"
        )
        self.import_member_lists = (
            "INSERT INTO friend_lists (sdkappid, owner, name, pos)"
            " SELECT m.sdkappid, m.owner, m.name, max(f.pos) FROM import_members m"
            " JOIN friends f ON f.sdkappid = m.sdkappid AND f.owner = m.owner"
            f" AND f.friend = m.friend WHERE m.sdkappid = {a} AND f.pos < 0"
            " GROUP BY m.sdkappid, m.owner, m.name ON CONFLICT DO NOTHING"
        )
        # sequences: one bump per owner whose data the import changed (as one write would)
        self.import_bumps = (
            "INSERT INTO sns_users (sdkappid, user_id, standard_seq, custom_seq)"
            " SELECT sdkappid, owner, 1, max(CASE WHEN custom <> '{}' THEN 1 ELSE 0 END)"
            f" FROM friends WHERE sdkappid = {a} AND pos < 0 GROUP BY sdkappid, owner"
            " ON CONFLICT (sdkappid, user_id) DO UPDATE SET"
            " standard_seq = sns_users.standard_seq + 1,"
            " custom_seq = sns_users.custom_seq + excluded.custom_seq",
            "INSERT INTO sns_users (sdkappid, user_id, block_seq)"
            f" SELECT sdkappid, owner, 1 FROM blocklist WHERE sdkappid = {a} AND pos < 0"
            " GROUP BY sdkappid, owner ON CONFLICT (sdkappid, user_id) DO UPDATE SET"
            " block_seq = sns_users.block_seq + 1",
            "INSERT INTO sns_users (sdkappid, user_id, list_seq)"
            f" SELECT sdkappid, owner, 1 FROM friend_lists WHERE sdkappid = {a} AND pos < 0"
            " GROUP BY sdkappid, owner ON CONFLICT (sdkappid, user_id) DO UPDATE SET"
            " list_seq = sns_users.list_seq + 1",
        )
        self.import_positions = (
            *place("friends", "friend", "f", "next_friend_pos"),
            *place("blocklist", "blocked", "b", "next_block_pos"),
        )
        self.import_list_positions = (
            f"WITH r AS (SELECT owner, name, row_number() OVER"
            f" (PARTITION BY owner ORDER BY pos DESC, name) AS n FROM friend_lists"
            f" WHERE sdkappid = {a} AND pos < 0),"
            f" b AS (SELECT owner, max(pos) AS top FROM friend_lists WHERE sdkappid = {a}"
            " AND pos > 0 GROUP BY owner)"
            " UPDATE friend_lists SET pos = coalesce(b.top, 0) + r.n"
            " FROM r LEFT JOIN b ON b.owner = r.owner"
            f" WHERE friend_lists.sdkappid = {a} AND friend_lists.owner = r.owner"
            " AND friend_lists.name = r.name"
        )

        # -- repair: each step fixes one kind of problem (see ``checks``) ---------------------
        def recount(table: str, key: str, column: str, source: str, by: str) -> str:
            return (
                f"INSERT INTO {table} (sdkappid, {key}, {column})"
                f" SELECT sdkappid, {by}, count(*) FROM {source} WHERE sdkappid = {a}"
                f" GROUP BY sdkappid, {by} ON CONFLICT (sdkappid, {key}) DO UPDATE"
                f" SET {column} = excluded.{column} WHERE {table}.{column} <> excluded.{column}"
            )

        def unzero(table: str, key: str, column: str, source: str, by: str) -> str:
            return (
                f"UPDATE {table} SET {column} = 0 WHERE sdkappid = {a} AND {column} <> 0"
                f" AND NOT {_exists(source + ' s', f's.sdkappid = {a} AND s.{by} = {table}.{key}')}"
            )

        counters = (
            ("follow_counts", "user_id", "followers", "follows", "followee"),
            ("follow_counts", "user_id", "following", "follows", "follower"),
            ("follow_counts", "user_id", "mutual", "follow_mutuals", "user_id"),
            ("sns_users", "user_id", "friend_count", "friends", "owner"),
            ("sns_users", "user_id", "block_count", "blocklist", "owner"),
            ("sns_users", "user_id", "pending_count", "friend_requests", "requester"),
        )
        self.counters = counters

        def positions(table: str, key: str, kind: str) -> str:
            return (
                "INSERT INTO sns_positions (sdkappid, owner, kind, other, pos)"
                f" SELECT sdkappid, owner, '{kind}', {key}, pos FROM {table}"
                f" WHERE sdkappid = {a} ON CONFLICT (sdkappid, owner, kind, other) DO UPDATE"
                " SET pos = excluded.pos WHERE sns_positions.pos <> excluded.pos"
            )

        def next_pos(kind: str, column: str) -> tuple[str, str]:
            return (
                "INSERT INTO sns_users (sdkappid, user_id)"
                f" SELECT DISTINCT sdkappid, owner FROM sns_positions WHERE sdkappid = {a}"
                f" AND kind = '{kind}' ON CONFLICT (sdkappid, user_id) DO NOTHING",
                f"UPDATE sns_users SET {column} = m.top + 1 FROM (SELECT owner, max(pos) AS top"
                f" FROM sns_positions WHERE sdkappid = {a} AND kind = '{kind}' GROUP BY owner) m"
                f" WHERE sns_users.sdkappid = {a} AND sns_users.user_id = m.owner"
                f" AND sns_users.{column} <= m.top",
            )

        def orphans(table: str, *cols: str) -> str:
            missing = " OR ".join(f"NOT {acc(f'{table}.{c}')}" for c in cols)
            return f"DELETE FROM {table} WHERE sdkappid = {a} AND ({missing})"

        self.repairs: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
            {
                "self_edges": (
                    f"DELETE FROM follows WHERE sdkappid = {a} AND follower = followee",
                    f"DELETE FROM friends WHERE sdkappid = {a} AND owner = friend",
                    f"DELETE FROM blocklist WHERE sdkappid = {a} AND owner = blocked",
                    f"DELETE FROM friend_requests WHERE sdkappid = {a} AND requester = target",
                ),
                "orphans": (
                    orphans("follows", "follower", "followee"),
                    orphans("friends", "owner", "friend"),
                    orphans("blocklist", "owner", "blocked"),
                    orphans("friend_requests", "requester", "target"),
                    orphans("friend_lists", "owner"),
                ),
                "members": (
                    f"DELETE FROM friend_list_members WHERE sdkappid = {a} AND NOT "
                    + friend("friend_list_members.owner", "friend_list_members.friend"),
                    "INSERT INTO friend_lists (sdkappid, owner, name, pos)"
                    " SELECT sdkappid, owner, name, -1 FROM friend_list_members m"
                    f" WHERE sdkappid = {a} AND NOT "
                    + _exists(
                        "friend_lists l",
                        f"l.sdkappid = {a} AND l.owner = m.owner AND l.name = m.name",
                    )
                    + " GROUP BY sdkappid, owner, name",
                    self.import_list_positions,
                ),
                "mutuals": (
                    f"DELETE FROM follow_mutuals WHERE sdkappid = {a} AND NOT ("
                    + follow("follow_mutuals.user_id", "follow_mutuals.peer_id")
                    + " AND "
                    + follow("follow_mutuals.peer_id", "follow_mutuals.user_id")
                    + ")",
                    "INSERT INTO follow_mutuals (sdkappid, user_id, peer_id, since)"
                    f" SELECT x.sdkappid, x.follower, x.followee, {since} {mutual_pairs}"
                    " ON CONFLICT (sdkappid, user_id, peer_id) DO UPDATE SET since ="
                    " excluded.since WHERE follow_mutuals.since <> excluded.since",
                ),
                "counters": tuple(
                    s for c in counters for s in (recount(*c), unzero(c[0], c[1], c[2], c[3], c[4]))
                ),
                "positions": (
                    positions("friends", "friend", "f"),
                    positions("blocklist", "blocked", "b"),
                    *next_pos("f", "next_friend_pos"),
                    *next_pos("b", "next_block_pos"),
                ),
            }
        )

        # -- check: example rows of each kind of problem --------------------------------------
        lim = f" LIMIT {EXAMPLES}"

        def counter_check(table: str, key: str, column: str, source: str, by: str) -> str:
            actual = (
                f"SELECT {by} AS uid, count(*) AS n FROM {source} WHERE sdkappid = {a}"
                f" GROUP BY {by}"
            )
            return (
                f"SELECT c.{key}, c.{column}, coalesce(t.n, 0) FROM {table} c"
                f" LEFT JOIN ({actual}) t ON t.uid = c.{key}"
                f" WHERE c.sdkappid = {a} AND c.{column} <> coalesce(t.n, 0)"
                f" UNION ALL SELECT t.uid, 0, t.n FROM ({actual}) t WHERE NOT "
                + _exists(f"{table} c", f"c.sdkappid = {a} AND c.{key} = t.uid")
                + lim
            )

        def cap(table: str, column: str) -> str:
            return (
                f"SELECT user_id, {column} FROM {table} WHERE sdkappid = {a}"
                f" AND {d.p(2)} > 0 AND {column} > {d.p(2)}" + lim
            )

        def pos_check(table: str, key: str, kind: str) -> str:
            return (
                f"SELECT t.owner, t.{key}, t.pos FROM {table} t WHERE t.sdkappid = {a} AND NOT "
                + _exists(
                    "sns_positions p",
                    f"p.sdkappid = {a} AND p.owner = t.owner AND p.kind = '{kind}'"
                    f" AND p.other = t.{key} AND p.pos = t.pos",
                )
                + lim
            )

        def next_check(kind: str, column: str) -> str:
            return (
                f"SELECT m.owner, coalesce(u.{column}, 1), m.top FROM (SELECT owner,"
                f" max(pos) AS top FROM sns_positions WHERE sdkappid = {a} AND kind = '{kind}'"
                " GROUP BY owner) m LEFT JOIN sns_users u ON u.sdkappid = "
                f"{a} AND u.user_id = m.owner WHERE coalesce(u.{column}, 1) <= m.top" + lim
            )

        def orphan_check(table: str, *cols: str) -> str:
            # by distinct account, not by row: one lookup per account named, not two per edge
            return (
                " UNION ALL ".join(
                    f"SELECT d.u FROM (SELECT DISTINCT {c} AS u FROM {table} WHERE sdkappid = {a})"
                    f" d WHERE NOT {acc('d.u')}"
                    for c in cols
                )
                + lim
            )

        self.checks: MappingProxyType[str, str] = MappingProxyType(
            {
                "follow_self": f"SELECT follower FROM follows WHERE sdkappid = {a}"
                " AND follower = followee" + lim,
                "friend_self": f"SELECT owner FROM friends WHERE sdkappid = {a}"
                " AND owner = friend" + lim,
                "block_self": f"SELECT owner FROM blocklist WHERE sdkappid = {a}"
                " AND owner = blocked" + lim,
                "request_self": f"SELECT requester FROM friend_requests WHERE sdkappid = {a}"
                " AND requester = target" + lim,
                "follow_orphan": orphan_check("follows", "follower", "followee"),
                "friend_orphan": orphan_check("friends", "owner", "friend"),
                "block_orphan": orphan_check("blocklist", "owner", "blocked"),
                "request_orphan": orphan_check("friend_requests", "requester", "target"),
                "list_orphan": orphan_check("friend_lists", "owner"),
                "mutual_missing": f"SELECT x.follower, x.followee, {since} {mutual_pairs}"
                " AND NOT "
                + _exists(
                    "follow_mutuals m",
                    f"m.sdkappid = {a} AND m.user_id = x.follower AND m.peer_id = x.followee"
                    f" AND m.since = {since}",
                )
                + lim,
                "mutual_extra": "SELECT user_id, peer_id FROM follow_mutuals"
                f" WHERE sdkappid = {a} AND NOT ("
                + follow("follow_mutuals.user_id", "follow_mutuals.peer_id")
                + " AND "
                + follow("follow_mutuals.peer_id", "follow_mutuals.user_id")
                + ")"
                + lim,
                **{f"count_{c[2]}": counter_check(*c) for c in counters},
                "member_not_friend": "SELECT owner, friend, name FROM friend_list_members m"
                f" WHERE sdkappid = {a} AND NOT " + friend("m.owner", "m.friend") + lim,
                "member_no_list": "SELECT owner, friend, name FROM friend_list_members m"
                f" WHERE sdkappid = {a} AND NOT "
                + _exists(
                    "friend_lists l",
                    f"l.sdkappid = {a} AND l.owner = m.owner AND l.name = m.name",
                )
                + lim,
                "friend_position": pos_check("friends", "friend", "f"),
                "block_position": pos_check("blocklist", "blocked", "b"),
                "friend_next_position": next_check("f", "next_friend_pos"),
                "block_next_position": next_check("b", "next_block_pos"),
                "friend_blocked": f"SELECT t.owner, t.friend FROM friends t WHERE t.sdkappid = {a}"
                " AND ("
                + blocked("t.owner", "t.friend")
                + " OR "
                + blocked("t.friend", "t.owner")
                + ")"
                + lim,
                "cap_following": cap("follow_counts", "following"),
                "cap_followers": cap("follow_counts", "followers"),
                "cap_mutual": cap("follow_counts", "mutual"),
                "cap_friends": cap("sns_users", "friend_count"),
                "cap_blocklist": cap("sns_users", "block_count"),
                "cap_pending": cap("sns_users", "pending_count"),
                "cap_lists": f"SELECT owner, count(*) FROM friend_lists WHERE sdkappid = {a}"
                f" GROUP BY owner HAVING {d.p(2)} > 0 AND count(*) > {d.p(2)}" + lim,
            }
        )
        self.one_way = f"SELECT count(*) FROM friends t WHERE t.sdkappid = {a} AND NOT " + friend(
            "t.friend", "t.owner"
        )
