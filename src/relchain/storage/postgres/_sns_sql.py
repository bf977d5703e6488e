"""The SQL statements of the PostgreSQL SNS mixins (see :mod:`._sns_base` for the locking)."""

from __future__ import annotations

from relchain.domain.profiles import ALLOW_TYPE
from relchain.storage._sns_deltas import COUNTERS, SEQUENCES

__all__ = [
    "APPLY_DELTAS",
    "DROP_ORPHANS",
    "DROP_REQUESTS",
    "ENSURE_USERS",
    "INSERT_DELTAS",
    "INSERT_EDGES",
    "INSERT_LISTS",
    "INSERT_MEMBERS",
    "LOCK_USERS",
    "PEER_STATES",
    "REMOVE_EDGES",
    "REMOVE_MEMBERS",
    "SEQUENCES",
    "UPSERT_REQUESTS",
    "USER_COLUMNS",
]

USER_COLUMNS = (*COUNTERS, *SEQUENCES)

ENSURE_USERS = """
INSERT INTO sns_users (sdkappid, user_id)
SELECT $1, u FROM unnest($2::text[]) AS u
WHERE EXISTS (SELECT 1 FROM accounts a WHERE a.sdkappid = $1 AND a.user_id = u)
ORDER BY u
ON CONFLICT DO NOTHING
"""

# the last column: whether the account still exists (a row created by ENSURE_USERS after a
# waiting for a concurrent account delete to commit belongs to no account any more)
LOCK_USERS = f"""
SELECT s.user_id, {", ".join("s." + c for c in USER_COLUMNS)},
       EXISTS (SELECT 1 FROM accounts a WHERE a.sdkappid = s.sdkappid AND a.user_id = s.user_id)
FROM sns_users s
WHERE s.sdkappid = $1 AND s.user_id = ANY($2::text[])
ORDER BY s.user_id
FOR NO KEY UPDATE OF s
"""

DROP_ORPHANS = """
DELETE FROM sns_users WHERE sdkappid = $1 AND user_id = ANY($2::text[])
AND friend_count = 0 AND block_count = 0 AND pending_count = 0
"""

# the rows are locked by this transaction already (so the join order does not matter)
APPLY_DELTAS = """
UPDATE sns_users s SET
    friend_count = s.friend_count + d.fc,
    block_count = s.block_count + d.bc,
    pending_count = s.pending_count + d.pc,
    standard_seq = s.standard_seq + d.ss,
    custom_seq = s.custom_seq + d.cs,
    block_seq = s.block_seq + d.bs,
    list_seq = s.list_seq + d.ls
FROM unnest($2::text[], $3::int[], $4::int[], $5::int[],
            $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[])
    AS d(user_id, fc, bc, pc, ss, cs, bs, ls)
WHERE s.sdkappid = $1 AND s.user_id = d.user_id
RETURNING s.user_id
"""

# a user without a row yet (not locked before: a caller that is no account)
INSERT_DELTAS = """
INSERT INTO sns_users (sdkappid, user_id, friend_count, block_count, pending_count,
                       standard_seq, custom_seq, block_seq, list_seq)
SELECT $1, d.* FROM unnest($2::text[], $3::int[], $4::int[], $5::int[],
                           $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[])
    AS d(user_id, fc, bc, pc, ss, cs, bs, ls)
ORDER BY d.user_id
"""

PEER_STATES = f"""
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

INSERT_EDGES = """
INSERT INTO friends (sdkappid, owner, friend, pos, add_source, add_time, add_wording, remark,
                     remark_time, custom)
SELECT $1, e.owner, e.friend, e.pos, e.add_source, e.add_time, e.add_wording, e.remark,
       e.remark_time, e.custom::jsonb
FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[], $7::text[],
            $8::text[], $9::bigint[], $10::text[])
    AS e(owner, friend, pos, add_source, add_time, add_wording, remark, remark_time, custom)
"""

INSERT_MEMBERS = """
INSERT INTO friend_list_members (sdkappid, owner, friend, name)
SELECT $1, m.owner, m.friend, m.name FROM unnest($2::text[], $3::text[], $4::text[])
    AS m(owner, friend, name)
ON CONFLICT DO NOTHING
"""

INSERT_LISTS = """
INSERT INTO friend_lists (sdkappid, owner, name, pos)
SELECT $1, l.owner, l.name, l.pos FROM unnest($2::text[], $3::text[], $4::bigint[])
    AS l(owner, name, pos)
ON CONFLICT DO NOTHING
"""

REMOVE_EDGES = """
DELETE FROM friends f USING unnest($2::text[], $3::text[]) AS p(owner, friend)
WHERE f.sdkappid = $1 AND f.owner = p.owner AND f.friend = p.friend
RETURNING f.owner, f.friend, f.custom <> '{}'::jsonb
"""

REMOVE_MEMBERS = """
DELETE FROM friend_list_members m USING unnest($2::text[], $3::text[]) AS p(owner, friend)
WHERE m.sdkappid = $1 AND m.owner = p.owner AND m.friend = p.friend
RETURNING m.owner
"""

UPSERT_REQUESTS = """
INSERT INTO friend_requests (sdkappid, requester, target, created_at, add_source, add_wording,
                             remark, group_name, both_ways)
SELECT $1, r.* FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[],
                           $7::text[], $8::text[], $9::bool[])
    AS r(requester, target, created_at, add_source, add_wording, remark, group_name, both_ways)
ON CONFLICT (sdkappid, requester, target) DO UPDATE SET
    created_at = EXCLUDED.created_at, add_source = EXCLUDED.add_source,
    add_wording = EXCLUDED.add_wording, remark = EXCLUDED.remark,
    group_name = EXCLUDED.group_name, both_ways = EXCLUDED.both_ways
"""

DROP_REQUESTS = """
DELETE FROM friend_requests q USING unnest($2::text[], $3::text[]) AS p(requester, target)
WHERE q.sdkappid = $1 AND q.requester = p.requester AND q.target = p.target
RETURNING q.requester
"""
