"""PostgreSQL's statement table (the names are :class:`relchain.storage.statements.Statements`').

Lists are arrays (``= ANY($2::text[])``, ``unnest``). Writes that change many rows take them in
``user_id`` order. Account columns in list indexes compare bytewise (``COLLATE "C"``, as in the
migrations), so keyset order is SQLite's whatever the database's collation.
"""

from __future__ import annotations

from relchain.storage.postgres.statements_events import EventStatements
from relchain.storage.postgres.statements_sns import SnsStatements
from relchain.storage.postgres.statements_webhooks import WebhookStatements
from relchain.storage.statements import follow_pages

__all__ = ["PostgresStatements"]


def _counter_deltas(first: int) -> str:
    """The counter update of a follow write: deltas as four arrays from parameter ``$first``."""
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


class PostgresStatements(WebhookStatements, SnsStatements, EventStatements):
    # -- apps -----------------------------------------------------------------------------
    get_app = (
        "SELECT sdkappid, secret_key, admins::text, settings::text FROM apps WHERE sdkappid = $1"
    )
    list_apps = (
        "SELECT sdkappid, secret_key, admins::text, settings::text FROM apps ORDER BY sdkappid"
    )
    create_app = (
        "INSERT INTO apps (sdkappid, secret_key, admins, settings, created_at)"
        " VALUES ($1, $2, $3::jsonb, $4::jsonb, $5)"
    )
    save_app = (
        "UPDATE apps SET secret_key = $2, admins = $3::jsonb, settings = $4::jsonb"
        " WHERE sdkappid = $1"
    )
    app_tables = (
        "SELECT c.table_name::text FROM information_schema.columns c"
        " JOIN information_schema.tables t USING (table_schema, table_name)"
        " WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'"
        " AND c.column_name = 'sdkappid' AND c.table_name <> 'apps' ORDER BY 1"
    )
    app_param = "$1"

    # -- accounts and profiles ------------------------------------------------------------
    existing_accounts = (
        "SELECT user_id FROM accounts WHERE sdkappid = $1 AND user_id = ANY($2::text[])"
    )
    account_exists = "SELECT EXISTS (SELECT 1 FROM accounts WHERE sdkappid = $1 AND user_id = $2)"
    insert_accounts = (
        "INSERT INTO accounts (sdkappid, user_id, created_at)"
        " SELECT $1, u, $3 FROM unnest($2::text[]) AS u ORDER BY u"
        " ON CONFLICT DO NOTHING RETURNING user_id"
    )
    merge_profiles = """
WITH v AS (
    SELECT * FROM unnest($2::text[], $3::text[], $4::bigint[]) AS v(user_id, patch, n)
), locked AS (
    SELECT a.user_id FROM accounts a JOIN v ON v.user_id = a.user_id
    WHERE a.sdkappid = $1 ORDER BY a.user_id FOR UPDATE OF a
)
UPDATE accounts a
SET profile = a.profile || v.patch::jsonb, profile_seq = a.profile_seq + v.n
FROM locked JOIN v ON v.user_id = locked.user_id
WHERE a.sdkappid = $1 AND a.user_id = locked.user_id
"""
    delete_accounts = """
WITH locked AS (
    SELECT user_id FROM accounts WHERE sdkappid = $1 AND user_id = ANY($2::text[])
    ORDER BY user_id FOR UPDATE
)
DELETE FROM accounts a USING locked
WHERE a.sdkappid = $1 AND a.user_id = locked.user_id
RETURNING a.user_id
"""
    get_profiles = (
        "SELECT user_id, profile::text, profile_seq FROM accounts"
        " WHERE sdkappid = $1 AND user_id = ANY($2::text[])"
    )
    update_profile = (
        "UPDATE accounts SET profile = profile || $3::jsonb, profile_seq = profile_seq + 1"
        " WHERE sdkappid = $1 AND user_id = $2 RETURNING profile_seq"
    )

    # -- follows --------------------------------------------------------------------------
    # One ordered pass creates the missing rows and locks the existing ones (a no-op update
    # locks a conflicting row, waiting for its holder; a row deleted meanwhile is created
    # again). Creating rows first and locking after took them in two orders: a row one
    # transaction had just created blocked another that held a row the first then wanted.
    lock_follow_counts = """
INSERT INTO follow_counts AS c (sdkappid, user_id)
SELECT a.sdkappid, a.user_id FROM accounts a
WHERE a.sdkappid = $1 AND a.user_id = ANY($2::text[])
ORDER BY a.user_id
ON CONFLICT (sdkappid, user_id) DO UPDATE SET followers = c.followers
RETURNING c.user_id
"""
    # after the locks (a new statement sees what their previous holders committed); an account
    # deleted by a transaction that held a lock is not returned: it does not exist
    follow_state = """
SELECT a.user_id, c.followers, c.following, c.mutual,
       EXISTS (SELECT 1 FROM follows f
               WHERE f.sdkappid = $1 AND f.follower = $3 AND f.followee = a.user_id),
       (SELECT r.created_at FROM follows r
        WHERE r.sdkappid = $1 AND r.follower = a.user_id AND r.followee = $3)
FROM accounts a
LEFT JOIN follow_counts c ON c.sdkappid = a.sdkappid AND c.user_id = a.user_id
WHERE a.sdkappid = $1 AND a.user_id = ANY($2::text[])
"""
    add_follows = """
WITH new_edges AS (
    INSERT INTO follows (sdkappid, follower, followee, created_at)
    SELECT $1, $2, t, $4 FROM unnest($3::text[]) AS t
), new_mutuals AS (
    INSERT INTO follow_mutuals (sdkappid, user_id, peer_id, since)
    SELECT $1, m.user_id, m.peer_id, m.since
    FROM unnest($5::text[], $6::text[], $7::bigint[]) AS m(user_id, peer_id, since)
)""" + _counter_deltas(8)
    delete_follows = """
WITH gone_edges AS (
    DELETE FROM follows WHERE sdkappid = $1 AND follower = $2 AND followee = ANY($3::text[])
), gone_mutuals AS (
    DELETE FROM follow_mutuals m
    USING unnest($4::text[], $5::text[]) AS g(user_id, peer_id)
    WHERE m.sdkappid = $1 AND m.user_id = g.user_id AND m.peer_id = g.peer_id
)""" + _counter_deltas(6)
    follow_peers = """
SELECT followee FROM follows WHERE sdkappid = $1 AND follower = ANY($2::text[])
UNION SELECT follower FROM follows WHERE sdkappid = $1 AND followee = ANY($2::text[])
"""
    # under the locks: every counter of a peer lowered by what it loses (one update per row:
    # the deltas are summed first), then the mutual rows (both sides), the edges (both
    # directions) and the purged users' counters removed
    purge_follows = """
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
    # primary-key probes only, whatever the size of $3's lists
    follow_types = """
SELECT 0, user_id FROM accounts WHERE sdkappid = $1 AND user_id = ANY($2::text[])
UNION ALL
SELECT 1, followee FROM follows
WHERE sdkappid = $1 AND follower = $3 AND followee = ANY($2::text[])
UNION ALL
SELECT 2, follower FROM follows
WHERE sdkappid = $1 AND follower = ANY($2::text[]) AND followee = $3
"""
    follow_counts = """
SELECT a.user_id, c.followers, c.following, c.mutual
FROM accounts a
LEFT JOIN follow_counts c ON c.sdkappid = a.sdkappid AND c.user_id = a.user_id
WHERE a.sdkappid = $1 AND a.user_id = ANY($2::text[])
"""
    follow_pages = follow_pages(lambda n: f"${n}", "a.profile::text", ' COLLATE "C"')
