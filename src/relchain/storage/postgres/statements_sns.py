"""PostgreSQL's sns statements (part of :class:`.statements.PostgresStatements`)."""

from __future__ import annotations

from types import MappingProxyType

from relchain.domain.profiles import ALLOW_TYPE
from relchain.storage.statements import (
    FRIEND_COLUMNS,
    REQUEST_COLUMNS,
    USER_COLUMNS,
    Statements,
    request_pages,
)

__all__ = ["SnsStatements"]


_DELTAS = """unnest($2::text[], $3::int[], $4::int[], $5::int[],
            $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[])
    AS d(user_id, fc, bc, pc, ss, cs, bs, ls)"""
_FRIEND = FRIEND_COLUMNS.replace("custom", "custom::text")
_BY_PAIRS = "USING unnest($2::text[], $3::text[]) AS p(a, b)"


class SnsStatements(Statements):
    # -- users, locks, counters, positions ------------------------------------------------
    ensure_sns_users = """
INSERT INTO sns_users (sdkappid, user_id)
SELECT $1, u FROM unnest($2::text[]) AS u
WHERE EXISTS (SELECT 1 FROM accounts a WHERE a.sdkappid = $1 AND a.user_id = u)
ORDER BY u
ON CONFLICT DO NOTHING
"""
    # the last column: whether the account still exists (a row created after waiting for a
    # concurrent account delete to commit belongs to no account any more)
    lock_sns_users = f"""
SELECT s.user_id, {USER_COLUMNS},
       EXISTS (SELECT 1 FROM accounts a WHERE a.sdkappid = s.sdkappid AND a.user_id = s.user_id)
FROM sns_users s
WHERE s.sdkappid = $1 AND s.user_id = ANY($2::text[])
ORDER BY s.user_id
FOR NO KEY UPDATE OF s
"""
    drop_sns_orphans = """
DELETE FROM sns_users WHERE sdkappid = $1 AND user_id = ANY($2::text[])
AND friend_count = 0 AND block_count = 0 AND pending_count = 0
"""
    sns_user = f"SELECT {USER_COLUMNS} FROM sns_users WHERE sdkappid = $1 AND user_id = $2"
    # the rows are locked by this transaction already (so the join order does not matter)
    apply_sns_deltas = f"""
UPDATE sns_users s SET
    friend_count = s.friend_count + d.fc,
    block_count = s.block_count + d.bc,
    pending_count = s.pending_count + d.pc,
    standard_seq = s.standard_seq + d.ss,
    custom_seq = s.custom_seq + d.cs,
    block_seq = s.block_seq + d.bs,
    list_seq = s.list_seq + d.ls
FROM {_DELTAS}
WHERE s.sdkappid = $1 AND s.user_id = d.user_id
RETURNING s.user_id
"""
    insert_sns_deltas = f"""
INSERT INTO sns_users (sdkappid, user_id, {USER_COLUMNS})
SELECT $1, d.* FROM {_DELTAS}
ORDER BY d.user_id
"""
    find_positions = """
SELECT s.owner, s.other, s.pos FROM unnest($3::text[], $4::text[]) AS p(owner, other)
JOIN sns_positions s ON s.sdkappid = $1 AND s.owner = p.owner AND s.kind = $2 AND s.other = p.other
"""
    reserve_positions = MappingProxyType(
        {
            kind: f"""
UPDATE sns_users s SET {column} = s.{column} + n.count
FROM unnest($2::text[], $3::bigint[]) AS n(user_id, count)
WHERE s.sdkappid = $1 AND s.user_id = n.user_id
RETURNING s.user_id, s.{column}
"""
            for kind, column in (("f", "next_friend_pos"), ("b", "next_block_pos"))
        }
    )
    insert_positions = """
INSERT INTO sns_positions (sdkappid, owner, kind, other, pos)
SELECT $1, p.owner, $2, p.other, p.pos
FROM unnest($3::text[], $4::text[], $5::bigint[]) AS p(owner, other, pos)
"""
    sns_related = """
SELECT owner FROM friends WHERE sdkappid = $1 AND friend = ANY($2::text[])
UNION SELECT owner FROM blocklist WHERE sdkappid = $1 AND blocked = ANY($2::text[])
UNION SELECT requester FROM friend_requests WHERE sdkappid = $1 AND target = ANY($2::text[])
"""

    # -- friends --------------------------------------------------------------------------
    peer_states = f"""
SELECT a.user_id,
       a.profile->>'{ALLOW_TYPE}',
       EXISTS (SELECT 1 FROM friends f
               WHERE f.sdkappid = $1 AND f.owner = $2 AND f.friend = a.user_id),
       EXISTS (SELECT 1 FROM friends f
               WHERE f.sdkappid = $1 AND f.owner = a.user_id AND f.friend = $2),
       EXISTS (SELECT 1 FROM blocklist b
               WHERE b.sdkappid = $1 AND b.owner = $2 AND b.blocked = a.user_id),
       EXISTS (SELECT 1 FROM blocklist b
               WHERE b.sdkappid = $1 AND b.owner = a.user_id AND b.blocked = $2),
       EXISTS (SELECT 1 FROM friend_requests q
               WHERE q.sdkappid = $1 AND q.requester = $2 AND q.target = a.user_id),
       coalesce(s.friend_count, 0),
       r.requester, r.target, r.created_at, r.add_source, r.add_wording, r.remark,
       r.group_name, r.both_ways
FROM accounts a
LEFT JOIN sns_users s ON s.sdkappid = $1 AND s.user_id = a.user_id
LEFT JOIN friend_requests r ON r.sdkappid = $1 AND r.requester = a.user_id AND r.target = $2
WHERE a.sdkappid = $1 AND a.user_id = ANY($3::text[])
"""
    insert_friends = """
INSERT INTO friends (sdkappid, owner, friend, pos, add_source, add_time, add_wording, remark,
                     remark_time, custom)
SELECT $1, e.owner, e.friend, e.pos, e.add_source, e.add_time, e.add_wording, e.remark,
       e.remark_time, e.custom::jsonb
FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[], $7::text[],
            $8::text[], $9::bigint[], $10::text[])
    AS e(owner, friend, pos, add_source, add_time, add_wording, remark, remark_time, custom)
"""
    remove_friends = f"""
DELETE FROM friends f {_BY_PAIRS}
WHERE f.sdkappid = $1 AND f.owner = p.a AND f.friend = p.b
RETURNING f.owner, f.friend, f.custom <> '{{}}'::jsonb
"""
    remove_friends_from_lists = f"""
DELETE FROM friend_list_members m {_BY_PAIRS}
WHERE m.sdkappid = $1 AND m.owner = p.a AND m.friend = p.b
RETURNING m.owner
"""
    friends_custom = (
        "SELECT friend, custom::text FROM friends WHERE sdkappid = $1 AND owner = $2"
        " AND friend = ANY($3::text[])"
    )
    update_remarks = (
        "UPDATE friends f SET remark = u.remark, remark_time = $3"
        " FROM unnest($4::text[], $5::text[]) AS u(friend, remark)"
        " WHERE f.sdkappid = $1 AND f.owner = $2 AND f.friend = u.friend"
    )
    update_custom = (
        "UPDATE friends f SET custom = u.custom::jsonb"
        " FROM unnest($3::text[], $4::text[]) AS u(friend, custom)"
        " WHERE f.sdkappid = $1 AND f.owner = $2 AND f.friend = u.friend"
    )
    clear_memberships = (
        "DELETE FROM friend_list_members WHERE sdkappid = $1 AND owner = $2"
        " AND friend = ANY($3::text[])"
    )
    set_memberships = (
        "INSERT INTO friend_list_members (sdkappid, owner, friend, name)"
        " SELECT $1, $2, m.friend, m.name FROM unnest($3::text[], $4::text[]) AS m(friend, name)"
    )
    friend_ids = "SELECT friend FROM friends WHERE sdkappid = $1 AND owner = $2"
    friend_edges = """
SELECT a.user_id,
       EXISTS (SELECT 1 FROM friends f
               WHERE f.sdkappid = $1 AND f.owner = $2 AND f.friend = a.user_id),
       EXISTS (SELECT 1 FROM friends f
               WHERE f.sdkappid = $1 AND f.owner = a.user_id AND f.friend = $2)
FROM accounts a WHERE a.sdkappid = $1 AND a.user_id = ANY($3::text[])
"""
    friend_page = (
        f"SELECT {_FRIEND} FROM friends"
        " WHERE sdkappid = $1 AND owner = $2 AND pos >= $3 ORDER BY pos LIMIT $4"
    )
    friends_of = (
        f"SELECT {_FRIEND} FROM friends WHERE sdkappid = $1 AND owner = $2"
        " AND friend = ANY($3::text[])"
    )
    groups_of_friends = """
SELECT m.friend, m.name FROM friend_list_members m JOIN friend_lists l
  ON l.sdkappid = m.sdkappid AND l.owner = m.owner AND l.name = m.name
WHERE m.sdkappid = $1 AND m.owner = $2 AND m.friend = ANY($3::text[])
ORDER BY l.pos
"""

    # -- requests -------------------------------------------------------------------------
    upsert_requests = f"""
INSERT INTO friend_requests (sdkappid, {REQUEST_COLUMNS})
SELECT $1, r.* FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[],
                           $7::text[], $8::text[], $9::bool[])
    AS r(requester, target, created_at, add_source, add_wording, remark, group_name, both_ways)
ON CONFLICT (sdkappid, requester, target) DO UPDATE SET
    created_at = EXCLUDED.created_at, add_source = EXCLUDED.add_source,
    add_wording = EXCLUDED.add_wording, remark = EXCLUDED.remark,
    group_name = EXCLUDED.group_name, both_ways = EXCLUDED.both_ways
"""
    drop_requests = f"""
DELETE FROM friend_requests q {_BY_PAIRS}
WHERE q.sdkappid = $1 AND q.requester = p.a AND q.target = p.b
RETURNING q.requester, q.target
"""
    request_pages = request_pages(lambda n: f"${n}", ' COLLATE "C"')

    # -- blocklists -----------------------------------------------------------------------
    blocked_of = (
        "SELECT blocked FROM blocklist WHERE sdkappid = $1 AND owner = $2"
        " AND blocked = ANY($3::text[])"
    )
    insert_blocks = (
        "INSERT INTO blocklist (sdkappid, owner, blocked, pos, added_at)"
        " SELECT $1, $2, b.blocked, b.pos, $5"
        " FROM unnest($3::text[], $4::bigint[]) AS b(blocked, pos)"
    )
    delete_blocks = (
        "DELETE FROM blocklist WHERE sdkappid = $1 AND owner = $2"
        " AND blocked = ANY($3::text[]) RETURNING blocked"
    )
    block_page = (
        "SELECT blocked, added_at, pos FROM blocklist"
        " WHERE sdkappid = $1 AND owner = $2 AND pos >= $3 ORDER BY pos LIMIT $4"
    )
    block_edges = """
SELECT a.user_id,
       EXISTS (SELECT 1 FROM blocklist b
               WHERE b.sdkappid = $1 AND b.owner = $2 AND b.blocked = a.user_id),
       EXISTS (SELECT 1 FROM blocklist b
               WHERE b.sdkappid = $1 AND b.owner = a.user_id AND b.blocked = $2)
FROM accounts a WHERE a.sdkappid = $1 AND a.user_id = ANY($3::text[])
"""

    # -- friend lists ---------------------------------------------------------------------
    list_names = "SELECT name FROM friend_lists WHERE sdkappid = $1 AND owner = $2 ORDER BY pos"
    lists_of_owners = (
        "SELECT owner, name, pos FROM friend_lists WHERE sdkappid = $1"
        " AND owner = ANY($2::text[]) ORDER BY owner, pos"
    )
    create_lists = """
INSERT INTO friend_lists (sdkappid, owner, name, pos)
SELECT $1, $2, n.name, n.ord + (SELECT coalesce(max(pos), 0) FROM friend_lists
                                WHERE sdkappid = $1 AND owner = $2)
FROM unnest($3::text[], $4::bigint[]) AS n(name, ord)
ON CONFLICT DO NOTHING
"""
    insert_lists = """
INSERT INTO friend_lists (sdkappid, owner, name, pos)
SELECT $1, l.owner, l.name, l.pos FROM unnest($2::text[], $3::text[], $4::bigint[])
    AS l(owner, name, pos)
ON CONFLICT DO NOTHING
"""
    insert_list_members = """
INSERT INTO friend_list_members (sdkappid, owner, friend, name)
SELECT $1, m.owner, m.friend, m.name FROM unnest($2::text[], $3::text[], $4::text[])
    AS m(owner, friend, name)
ON CONFLICT DO NOTHING
"""
    friendship_of = """
SELECT a.user_id, f.friend IS NOT NULL FROM accounts a
LEFT JOIN friends f ON f.sdkappid = $1 AND f.owner = $2 AND f.friend = a.user_id
WHERE a.sdkappid = $1 AND a.user_id = ANY($3::text[])
"""
    add_to_lists = """
INSERT INTO friend_list_members (sdkappid, owner, friend, name)
SELECT $1, $2, f, n FROM unnest($3::text[]) AS f, unnest($4::text[]) AS n
ON CONFLICT DO NOTHING RETURNING friend
"""
    delete_lists = (
        "DELETE FROM friend_lists WHERE sdkappid = $1 AND owner = $2"
        " AND name = ANY($3::text[]) RETURNING name"
    )
    empty_lists = (
        "DELETE FROM friend_list_members WHERE sdkappid = $1 AND owner = $2"
        " AND name = ANY($3::text[]) RETURNING friend"
    )
    mark_requests_read = (
        "INSERT INTO friend_request_reads (sdkappid, user_id, read_at) VALUES ($1, $2, $3)"
        " ON CONFLICT (sdkappid, user_id)"
        " DO UPDATE SET read_at = GREATEST(friend_request_reads.read_at, EXCLUDED.read_at)"
    )
    requests_read_at = (
        "SELECT read_at FROM friend_request_reads WHERE sdkappid = $1 AND user_id = $2"
    )
    rename_list = (
        "UPDATE friend_lists SET name = $4 WHERE sdkappid = $1 AND owner = $2 AND name = $3"
        " RETURNING pos"
    )
    rename_list_members = (
        "UPDATE friend_list_members SET name = $4"
        " WHERE sdkappid = $1 AND owner = $2 AND name = $3 RETURNING friend"
    )
    remove_from_list = (
        "DELETE FROM friend_list_members WHERE sdkappid = $1 AND owner = $2 AND name = $3"
        " AND friend = ANY($4::text[]) RETURNING friend"
    )
    list_members = """
SELECT m.name, m.friend FROM friend_list_members m JOIN friends f
  ON f.sdkappid = m.sdkappid AND f.owner = m.owner AND f.friend = m.friend
WHERE m.sdkappid = $1 AND m.owner = $2 AND m.name = ANY($3::text[])
ORDER BY f.pos
"""

    # -- account delete -------------------------------------------------------------------
    purge_friends_of = (
        "DELETE FROM friends WHERE sdkappid = $1 AND friend = ANY($2::text[])"
        " RETURNING owner, friend, custom <> '{}'::jsonb"
    )
    purge_members_of = (
        "DELETE FROM friend_list_members WHERE sdkappid = $1 AND friend = ANY($2::text[])"
        " RETURNING owner"
    )
    purge_blocks_of = (
        "DELETE FROM blocklist WHERE sdkappid = $1 AND blocked = ANY($2::text[])"
        " RETURNING owner, blocked"
    )
    purge_requests_to = (
        "DELETE FROM friend_requests WHERE sdkappid = $1 AND target = ANY($2::text[])"
        " RETURNING requester, target"
    )
    purge_requests_from = (
        "DELETE FROM friend_requests WHERE sdkappid = $1 AND requester = ANY($2::text[])"
        " RETURNING requester, target"
    )
    # one statement, one round trip (each table deleted from by one part of the WITH)
    purge_sns_rows = """
WITH f AS (DELETE FROM friends WHERE sdkappid = $1 AND owner = ANY($2::text[])),
     m AS (DELETE FROM friend_list_members WHERE sdkappid = $1 AND owner = ANY($2::text[])),
     b AS (DELETE FROM blocklist WHERE sdkappid = $1 AND owner = ANY($2::text[])),
     p AS (DELETE FROM sns_positions
           WHERE sdkappid = $1 AND (owner = ANY($2::text[]) OR other = ANY($2::text[]))),
     l AS (DELETE FROM friend_lists WHERE sdkappid = $1 AND owner = ANY($2::text[])),
     k AS (DELETE FROM friend_request_reads WHERE sdkappid = $1 AND user_id = ANY($2::text[]))
DELETE FROM sns_users WHERE sdkappid = $1 AND user_id = ANY($2::text[])
"""
