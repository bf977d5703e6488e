"""SQLite's statement table (the names are :class:`relchain.storage.statements.Statements`').

Lists are expanded by :mod:`.db`: ``IN (?2)``, and ``ROWS(?2, ?3)`` for rows, always as
``WITH p(a, b) AS (VALUES ROWS(...))`` so that SQLite probes an index per row instead of
scanning the app (checked with EXPLAIN QUERY PLAN in the tests). SQLite serialises whole write
transactions, so it locks nothing and creates no rows to lock. Where PostgreSQL runs one
statement with data-modifying ``WITH`` parts, SQLite runs several (a tuple).
"""

from __future__ import annotations

from relchain.storage.sqlite.statements_events import EventStatements
from relchain.storage.sqlite.statements_sns import SnsStatements
from relchain.storage.sqlite.statements_webhooks import WebhookStatements
from relchain.storage.statements import follow_pages

__all__ = ["SQLiteStatements"]


def _lose(column: str, counted: str, source: str) -> str:
    """Purge: lower ``column`` of every counter row by the edges of ``source`` it loses."""
    return (
        f"UPDATE follow_counts SET {column} = {column} - d.n FROM ("
        f" SELECT {counted} AS uid, count(*) AS n FROM {source} IN (?2) GROUP BY {counted}) AS d"
        " WHERE follow_counts.sdkappid = ?1 AND follow_counts.user_id = d.uid"
    )


class SQLiteStatements(WebhookStatements, SnsStatements, EventStatements):
    # -- apps -----------------------------------------------------------------------------
    get_app = "SELECT sdkappid, secret_key, admins, settings FROM apps WHERE sdkappid = ?1"
    list_apps = "SELECT sdkappid, secret_key, admins, settings FROM apps ORDER BY sdkappid"
    create_app = (
        "INSERT INTO apps (sdkappid, secret_key, admins, settings, created_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5)"
    )
    save_app = "UPDATE apps SET secret_key = ?2, admins = ?3, settings = ?4 WHERE sdkappid = ?1"
    app_tables = (
        "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c"
        " WHERE m.type = 'table' AND c.name = 'sdkappid' AND m.name <> 'apps' ORDER BY 1"
    )
    app_param = "?1"

    # -- accounts and profiles ------------------------------------------------------------
    existing_accounts = "SELECT user_id FROM accounts WHERE sdkappid = ?1 AND user_id IN (?2)"
    account_exists = "SELECT EXISTS (SELECT 1 FROM accounts WHERE sdkappid = ?1 AND user_id = ?2)"
    insert_accounts = (
        "INSERT OR IGNORE INTO accounts (sdkappid, user_id, created_at)"
        " SELECT ?1, p.a, ?3 FROM (WITH p(a) AS (VALUES ROWS(?2)) SELECT a FROM p) AS p"
        " RETURNING user_id"
    )
    merge_profiles = (
        "WITH v(user_id, patch, n) AS (VALUES ROWS(?2, ?3, ?4))"
        " UPDATE accounts SET profile = json_patch(profile, v.patch),"
        " profile_seq = profile_seq + v.n FROM v"
        " WHERE accounts.sdkappid = ?1 AND accounts.user_id = v.user_id"
    )
    delete_accounts = (
        "DELETE FROM accounts WHERE sdkappid = ?1 AND user_id IN (?2) RETURNING user_id"
    )
    get_profiles = (
        "SELECT user_id, profile, profile_seq FROM accounts WHERE sdkappid = ?1 AND user_id IN (?2)"
    )
    update_profile = (
        "UPDATE accounts SET profile = json_patch(profile, ?3), profile_seq = profile_seq + 1"
        " WHERE sdkappid = ?1 AND user_id = ?2 RETURNING profile_seq"
    )

    # -- follows --------------------------------------------------------------------------
    lock_follow_counts = ()  # one writer at a time: nothing to lock (a missing counter row
    #   reads as zeros and is upserted)
    follow_counts = (
        "SELECT a.user_id, c.followers, c.following, c.mutual FROM accounts a"
        " LEFT JOIN follow_counts c ON c.sdkappid = a.sdkappid AND c.user_id = a.user_id"
        " WHERE a.sdkappid = ?1 AND a.user_id IN (?2)"
    )
    # each relation is a primary-key lookup
    follow_state = (
        "SELECT a.user_id, c.followers, c.following, c.mutual,"
        " EXISTS (SELECT 1 FROM follows f WHERE f.sdkappid = ?1 AND f.follower = ?3"
        " AND f.followee = a.user_id),"
        " (SELECT r.created_at FROM follows r WHERE r.sdkappid = ?1 AND r.follower = a.user_id"
        " AND r.followee = ?3)"
        " FROM accounts a"
        " LEFT JOIN follow_counts c ON c.sdkappid = a.sdkappid AND c.user_id = a.user_id"
        " WHERE a.sdkappid = ?1 AND a.user_id IN (?2)"
    )
    add_follows = (
        "INSERT INTO follows (sdkappid, follower, followee, created_at)"
        " SELECT ?1, ?2, p.a, ?4 FROM (WITH p(a) AS (VALUES ROWS(?3)) SELECT a FROM p) AS p",
        "INSERT INTO follow_mutuals (sdkappid, user_id, peer_id, since)"
        " SELECT ?1, p.a, p.b, p.c"
        " FROM (WITH p(a, b, c) AS (VALUES ROWS(?5, ?6, ?7)) SELECT a, b, c FROM p) AS p",
        "INSERT INTO follow_counts (sdkappid, user_id, followers, following, mutual)"
        " SELECT ?1, p.a, p.b, p.c, p.d FROM (WITH p(a, b, c, d) AS"
        " (VALUES ROWS(?8, ?9, ?10, ?11)) SELECT a, b, c, d FROM p) AS p WHERE true"
        " ON CONFLICT (sdkappid, user_id) DO UPDATE SET"
        " followers = followers + excluded.followers,"
        " following = following + excluded.following,"
        " mutual = mutual + excluded.mutual",
    )
    delete_follows = (
        "DELETE FROM follows WHERE sdkappid = ?1 AND follower = ?2 AND followee IN (?3)",
        "DELETE FROM follow_mutuals WHERE sdkappid = ?1 AND (user_id, peer_id) IN"
        " (WITH p(a, b) AS (VALUES ROWS(?4, ?5)) SELECT a, b FROM p)",
        "WITH d(user_id, followers, following, mutual) AS (VALUES ROWS(?6, ?7, ?8, ?9))"
        " UPDATE follow_counts SET followers = follow_counts.followers + d.followers,"
        " following = follow_counts.following + d.following,"
        " mutual = follow_counts.mutual + d.mutual FROM d"
        " WHERE follow_counts.sdkappid = ?1 AND follow_counts.user_id = d.user_id",
    )
    follow_peers = (
        "SELECT followee FROM follows WHERE sdkappid = ?1 AND follower IN (?2)"
        " UNION SELECT follower FROM follows INDEXED BY follows_fans_by_time"
        " WHERE sdkappid = ?1 AND followee IN (?2)"
    )
    # the counters of the peers first (aggregated), then the peers' side of each mutual pair
    # (found through the users' side), then every other row of the users
    purge_follows = (
        _lose("followers", "followee", "follows WHERE sdkappid = ?1 AND follower"),
        _lose(
            "following",
            "follower",
            "follows INDEXED BY follows_fans_by_time WHERE sdkappid = ?1 AND followee",
        ),
        _lose("mutual", "peer_id", "follow_mutuals WHERE sdkappid = ?1 AND user_id"),
        "DELETE FROM follow_mutuals WHERE sdkappid = ?1 AND user_id IN ("
        " SELECT peer_id FROM follow_mutuals WHERE sdkappid = ?1 AND user_id IN (?2))"
        " AND peer_id IN (?2)",
        "DELETE FROM follow_mutuals WHERE sdkappid = ?1 AND user_id IN (?2)",
        "DELETE FROM follows WHERE sdkappid = ?1 AND follower IN (?2)",
        "DELETE FROM follows WHERE sdkappid = ?1 AND followee IN (?2)",
        "DELETE FROM follow_counts WHERE sdkappid = ?1 AND user_id IN (?2)",
    )
    # primary-key probes only, whatever the size of ?3's lists
    follow_types = (
        "SELECT 0, user_id FROM accounts WHERE sdkappid = ?1 AND user_id IN (?2)"
        " UNION ALL SELECT 1, followee FROM follows"
        " WHERE sdkappid = ?1 AND follower = ?3 AND followee IN (?2)"
        " UNION ALL SELECT 2, follower FROM follows"
        " WHERE sdkappid = ?1 AND follower IN (?2) AND followee = ?3"
    )
    follow_pages = follow_pages(lambda n: f"?{n}", "a.profile")
