"""SQLite's sns statements (part of :class:`.statements.SQLiteStatements`)."""

from __future__ import annotations

from types import MappingProxyType

from relchain.domain.profiles import ALLOW_TYPE
from relchain.storage import statements as shared

__all__ = ["SnsStatements"]

USER_COLUMNS = shared.USER_COLUMNS
REQUEST_COLUMNS = shared.REQUEST_COLUMNS
# account delete: every row of the deleted users left after their relations are undone (one
# statement each, so that each uses its index)
PURGED_SNS_ROWS = (
    ("friends", "owner"),
    ("friend_list_members", "owner"),
    ("blocklist", "owner"),
    ("sns_positions", "owner"),
    ("sns_positions", "other"),
    ("friend_lists", "owner"),
    ("sns_users", "user_id"),
    ("friend_request_reads", "user_id"),
)
_DELTAS = "d(user_id, fc, bc, pc, ss, cs, bs, ls) AS (VALUES ROWS(?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9))"
_FRIEND = shared.FRIEND_COLUMNS
_PAIRS = "(WITH p(a, b) AS (VALUES ROWS(?2, ?3)) SELECT a, b FROM p)"


def _select_rows(head: str, first: int, width: int) -> str:
    """``SELECT head, p.a, p.b, ... FROM`` the rows of lists ``?first`` .. (``width`` lists)."""
    names = ", ".join("abcdefghij"[:width])
    refs = ", ".join(f"?{first + i}" for i in range(width))
    values = ", ".join(f"p.{n}" for n in names.split(", "))
    return (
        f"SELECT {head}, {values}"
        f" FROM (WITH p({names}) AS (VALUES ROWS({refs})) SELECT {names} FROM p) AS p"
    )


class SnsStatements(shared.Statements):
    # -- users, locks, counters, positions ------------------------------------------------
    ensure_sns_users = (
        "INSERT OR IGNORE INTO sns_users (sdkappid, user_id)"
        " SELECT ?1, user_id FROM accounts WHERE sdkappid = ?1 AND user_id IN (?2)"
    )
    lock_sns_users = (
        f"SELECT user_id, {USER_COLUMNS}, 1 FROM sns_users WHERE sdkappid = ?1 AND user_id IN (?2)"
    )
    drop_sns_orphans = ()  # rows are created only for accounts, under the one writer
    sns_user = f"SELECT {USER_COLUMNS} FROM sns_users WHERE sdkappid = ?1 AND user_id = ?2"
    apply_sns_deltas = (
        f"WITH {_DELTAS} UPDATE sns_users SET"
        " friend_count = friend_count + d.fc, block_count = block_count + d.bc,"
        " pending_count = pending_count + d.pc, standard_seq = standard_seq + d.ss,"
        " custom_seq = custom_seq + d.cs, block_seq = block_seq + d.bs,"
        " list_seq = list_seq + d.ls FROM d"
        " WHERE sns_users.sdkappid = ?1 AND sns_users.user_id = d.user_id RETURNING user_id"
    )
    insert_sns_deltas = (
        f"WITH {_DELTAS} INSERT INTO sns_users (sdkappid, user_id, {USER_COLUMNS})"
        " SELECT ?1, * FROM d"
    )
    find_positions = (
        "SELECT owner, other, pos FROM sns_positions WHERE sdkappid = ?1 AND kind = ?2"
        " AND (owner, other) IN (WITH p(a, b) AS (VALUES ROWS(?3, ?4)) SELECT a, b FROM p)"
    )
    reserve_positions = MappingProxyType(
        {
            kind: (
                "WITH n(user_id, count) AS (VALUES ROWS(?2, ?3))"
                f" UPDATE sns_users SET {column} = {column} + n.count FROM n"
                " WHERE sns_users.sdkappid = ?1 AND sns_users.user_id = n.user_id"
                f" RETURNING user_id, {column}"
            )
            for kind, column in (("f", "next_friend_pos"), ("b", "next_block_pos"))
        }
    )
    insert_positions = (
        "INSERT INTO sns_positions (sdkappid, owner, kind, other, pos)"
        " SELECT ?1, p.a, ?2, p.b, p.c"
        " FROM (WITH p(a, b, c) AS (VALUES ROWS(?3, ?4, ?5)) SELECT a, b, c FROM p) AS p"
    )
    sns_related = (
        "SELECT owner FROM friends INDEXED BY friends_by_friend"
        " WHERE sdkappid = ?1 AND friend IN (?2)"
        " UNION SELECT owner FROM blocklist INDEXED BY blocklist_by_blocked"
        " WHERE sdkappid = ?1 AND blocked IN (?2)"
        " UNION SELECT requester FROM friend_requests INDEXED BY friend_requests_incoming"
        " WHERE sdkappid = ?1 AND target IN (?2)"
    )

    # -- friends --------------------------------------------------------------------------
    peer_states = (
        f"SELECT a.user_id, json_extract(a.profile, '$.{ALLOW_TYPE}'),"
        " EXISTS (SELECT 1 FROM friends f"
        "   WHERE f.sdkappid = ?1 AND f.owner = ?2 AND f.friend = a.user_id),"
        " EXISTS (SELECT 1 FROM friends f"
        "   WHERE f.sdkappid = ?1 AND f.owner = a.user_id AND f.friend = ?2),"
        " EXISTS (SELECT 1 FROM blocklist b"
        "   WHERE b.sdkappid = ?1 AND b.owner = ?2 AND b.blocked = a.user_id),"
        " EXISTS (SELECT 1 FROM blocklist b"
        "   WHERE b.sdkappid = ?1 AND b.owner = a.user_id AND b.blocked = ?2),"
        " EXISTS (SELECT 1 FROM friend_requests q"
        "   WHERE q.sdkappid = ?1 AND q.requester = ?2 AND q.target = a.user_id),"
        " coalesce(s.friend_count, 0),"
        " r.requester, r.target, r.created_at, r.add_source, r.add_wording, r.remark,"
        " r.group_name, r.both_ways"
        " FROM accounts a"
        " LEFT JOIN sns_users s ON s.sdkappid = ?1 AND s.user_id = a.user_id"
        " LEFT JOIN friend_requests r ON r.sdkappid = ?1 AND r.requester = a.user_id"
        " AND r.target = ?2"
        " WHERE a.sdkappid = ?1 AND a.user_id IN (?3)"
    )
    insert_friends = (
        "INSERT INTO friends (sdkappid, owner, friend, pos, add_source, add_time, add_wording,"
        " remark, remark_time, custom)"
        f" {_select_rows('?1', 2, 9)}"
    )
    remove_friends = (
        f"DELETE FROM friends WHERE sdkappid = ?1 AND (owner, friend) IN {_PAIRS}"
        " RETURNING owner, friend, custom != '{}'"
    )
    remove_friends_from_lists = (
        f"DELETE FROM friend_list_members WHERE sdkappid = ?1 AND (owner, friend) IN {_PAIRS}"
        " RETURNING owner"
    )
    friends_custom = (
        "SELECT friend, custom FROM friends WHERE sdkappid = ?1 AND owner = ?2 AND friend IN (?3)"
    )
    update_remarks = (
        "WITH u(friend, remark) AS (VALUES ROWS(?4, ?5))"
        " UPDATE friends SET remark = u.remark, remark_time = ?3 FROM u"
        " WHERE friends.sdkappid = ?1 AND friends.owner = ?2 AND friends.friend = u.friend"
    )
    update_custom = (
        "WITH u(friend, custom) AS (VALUES ROWS(?3, ?4))"
        " UPDATE friends SET custom = u.custom FROM u"
        " WHERE friends.sdkappid = ?1 AND friends.owner = ?2 AND friends.friend = u.friend"
    )
    clear_memberships = (
        "DELETE FROM friend_list_members WHERE sdkappid = ?1 AND owner = ?2 AND friend IN (?3)"
    )
    set_memberships = (
        "INSERT INTO friend_list_members (sdkappid, owner, friend, name)"
        f" {_select_rows('?1, ?2', 3, 2)}"
    )
    friend_ids = "SELECT friend FROM friends WHERE sdkappid = ?1 AND owner = ?2"
    friend_edges = (
        "SELECT a.user_id,"
        " EXISTS (SELECT 1 FROM friends f"
        "   WHERE f.sdkappid = ?1 AND f.owner = ?2 AND f.friend = a.user_id),"
        " EXISTS (SELECT 1 FROM friends f"
        "   WHERE f.sdkappid = ?1 AND f.owner = a.user_id AND f.friend = ?2)"
        " FROM accounts a WHERE a.sdkappid = ?1 AND a.user_id IN (?3)"
    )
    friend_page = (
        f"SELECT {_FRIEND} FROM friends"
        " WHERE sdkappid = ?1 AND owner = ?2 AND pos >= ?3 ORDER BY pos LIMIT ?4"
    )
    friends_of = (
        f"SELECT {_FRIEND} FROM friends WHERE sdkappid = ?1 AND owner = ?2 AND friend IN (?3)"
    )
    groups_of_friends = (
        "SELECT m.friend, m.name FROM friend_list_members m JOIN friend_lists l"
        " ON l.sdkappid = m.sdkappid AND l.owner = m.owner AND l.name = m.name"
        " WHERE m.sdkappid = ?1 AND m.owner = ?2 AND m.friend IN (?3) ORDER BY l.pos"
    )

    # -- requests -------------------------------------------------------------------------
    upsert_requests = (
        f"INSERT OR REPLACE INTO friend_requests (sdkappid, {REQUEST_COLUMNS})"
        + f" {_select_rows('?1', 2, 8)}"
    )
    drop_requests = (
        f"DELETE FROM friend_requests WHERE sdkappid = ?1 AND (requester, target) IN {_PAIRS}"
        " RETURNING requester, target"
    )
    request_pages = shared.request_pages(lambda n: f"?{n}")

    # -- blocklists -----------------------------------------------------------------------
    blocked_of = (
        "SELECT blocked FROM blocklist WHERE sdkappid = ?1 AND owner = ?2 AND blocked IN (?3)"
    )
    insert_blocks = (
        "INSERT INTO blocklist (sdkappid, owner, blocked, pos, added_at)"
        " SELECT ?1, ?2, p.a, p.b, ?5"
        " FROM (WITH p(a, b) AS (VALUES ROWS(?3, ?4)) SELECT a, b FROM p) AS p"
    )
    delete_blocks = (
        "DELETE FROM blocklist WHERE sdkappid = ?1 AND owner = ?2 AND blocked IN (?3)"
        " RETURNING blocked"
    )
    block_page = (
        "SELECT blocked, added_at, pos FROM blocklist"
        " WHERE sdkappid = ?1 AND owner = ?2 AND pos >= ?3 ORDER BY pos LIMIT ?4"
    )
    block_edges = (
        "SELECT a.user_id,"
        " EXISTS (SELECT 1 FROM blocklist b"
        "   WHERE b.sdkappid = ?1 AND b.owner = ?2 AND b.blocked = a.user_id),"
        " EXISTS (SELECT 1 FROM blocklist b"
        "   WHERE b.sdkappid = ?1 AND b.owner = a.user_id AND b.blocked = ?2)"
        " FROM accounts a WHERE a.sdkappid = ?1 AND a.user_id IN (?3)"
    )

    # -- friend lists ---------------------------------------------------------------------
    list_names = "SELECT name FROM friend_lists WHERE sdkappid = ?1 AND owner = ?2 ORDER BY pos"
    lists_of_owners = (
        "SELECT owner, name, pos FROM friend_lists WHERE sdkappid = ?1 AND owner IN (?2)"
        " ORDER BY owner, pos"
    )
    create_lists = (
        "INSERT OR IGNORE INTO friend_lists (sdkappid, owner, name, pos)"
        " SELECT ?1, ?2, p.a, p.b + (SELECT coalesce(max(pos), 0) FROM friend_lists"
        " WHERE sdkappid = ?1 AND owner = ?2)"
        " FROM (WITH p(a, b) AS (VALUES ROWS(?3, ?4)) SELECT a, b FROM p) AS p"
    )
    insert_lists = (
        "INSERT OR IGNORE INTO friend_lists (sdkappid, owner, name, pos)"
        f" {_select_rows('?1', 2, 3)}"
    )
    insert_list_members = (
        "INSERT OR IGNORE INTO friend_list_members (sdkappid, owner, friend, name)"
        f" {_select_rows('?1', 2, 3)}"
    )
    friendship_of = (
        "SELECT a.user_id, f.friend IS NOT NULL FROM accounts a"
        " LEFT JOIN friends f ON f.sdkappid = ?1 AND f.owner = ?2 AND f.friend = a.user_id"
        " WHERE a.sdkappid = ?1 AND a.user_id IN (?3)"
    )
    add_to_lists = (
        "INSERT OR IGNORE INTO friend_list_members (sdkappid, owner, friend, name)"
        " SELECT ?1, ?2, f.a, n.a FROM (WITH p(a) AS (VALUES ROWS(?3)) SELECT a FROM p) AS f,"
        " (WITH p(a) AS (VALUES ROWS(?4)) SELECT a FROM p) AS n"
        " RETURNING friend"
    )
    delete_lists = (
        "DELETE FROM friend_lists WHERE sdkappid = ?1 AND owner = ?2 AND name IN (?3)"
        " RETURNING name"
    )
    empty_lists = (
        "DELETE FROM friend_list_members WHERE sdkappid = ?1 AND owner = ?2 AND name IN (?3)"
        " RETURNING friend"
    )
    mark_requests_read = (
        "INSERT INTO friend_request_reads (sdkappid, user_id, read_at) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (sdkappid, user_id) DO UPDATE SET read_at = max(read_at, excluded.read_at)"
    )
    requests_read_at = (
        "SELECT read_at FROM friend_request_reads WHERE sdkappid = ?1 AND user_id = ?2"
    )
    rename_list = (
        "UPDATE friend_lists SET name = ?4 WHERE sdkappid = ?1 AND owner = ?2 AND name = ?3"
        " RETURNING pos"
    )
    rename_list_members = (
        "UPDATE friend_list_members SET name = ?4"
        " WHERE sdkappid = ?1 AND owner = ?2 AND name = ?3 RETURNING friend"
    )
    remove_from_list = (
        "DELETE FROM friend_list_members WHERE sdkappid = ?1 AND owner = ?2 AND name = ?3"
        " AND friend IN (?4) RETURNING friend"
    )
    list_members = (
        "SELECT m.name, m.friend FROM friend_list_members m JOIN friends f"
        " ON f.sdkappid = m.sdkappid AND f.owner = m.owner AND f.friend = m.friend"
        " WHERE m.sdkappid = ?1 AND m.owner = ?2 AND m.name IN (?3) ORDER BY f.pos"
    )

    # -- account delete -------------------------------------------------------------------
    purge_friends_of = (
        "DELETE FROM friends INDEXED BY friends_by_friend WHERE sdkappid = ?1 AND friend IN (?2)"
        " RETURNING owner, friend, custom != '{}'"
    )
    purge_members_of = (
        "DELETE FROM friend_list_members INDEXED BY friend_list_members_by_friend"
        " WHERE sdkappid = ?1 AND friend IN (?2) RETURNING owner"
    )
    purge_blocks_of = (
        "DELETE FROM blocklist INDEXED BY blocklist_by_blocked"
        " WHERE sdkappid = ?1 AND blocked IN (?2) RETURNING owner, blocked"
    )
    purge_requests_to = (
        "DELETE FROM friend_requests INDEXED BY friend_requests_incoming"
        " WHERE sdkappid = ?1 AND target IN (?2) RETURNING requester, target"
    )
    purge_requests_from = (
        "DELETE FROM friend_requests INDEXED BY friend_requests_outgoing"
        " WHERE sdkappid = ?1 AND requester IN (?2) RETURNING requester, target"
    )
    purge_sns_rows = tuple(
        f"DELETE FROM {table} WHERE sdkappid = ?1 AND {column} IN (?2)"
        for table, column in PURGED_SNS_ROWS
    )
