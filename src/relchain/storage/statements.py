"""The statement table: every statement the use cases run, by name, with its parameters.

Each dialect defines every name (``relchain.storage.sqlite.statements``,
``relchain.storage.postgres.statements``); the algorithms refer to them only by name, so the
same use case runs on both. Parameters are numbered alike in both dialects (``$n`` / ``?n``);
``[list]`` marks a list parameter (an array in PostgreSQL, expanded in SQLite, see
:mod:`relchain.storage.db`); ``-> (...)`` the columns a statement returns.

A name whose value is ``()`` in one dialect has nothing to do there (SQLite creates no rows to
lock); a tuple of several statements is run in order with the same parameters (SQLite has no
data-modifying ``WITH`` for what PostgreSQL does in one statement).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import ClassVar, get_type_hints

from relchain.domain.follows import ListKind
from relchain.storage.db import Sql

__all__ = [
    "EVENT_COLUMNS",
    "FRIEND_COLUMNS",
    "REQUEST_COLUMNS",
    "USER_COLUMNS",
    "Pages",
    "Statements",
    "event_pages",
    "follow_pages",
    "missing_statements",
    "request_pages",
]

Pages = tuple[str, str]  # (first page: $3 limit; later page: $3 limit, $4 time, $5 account)
Param = Callable[[int], str]  # a dialect's parameter number n: "$n" or "?n"

USER_COLUMNS = (  # sns_users' counters and sequences, as storage.sns._base.UserDelta
    "friend_count, block_count, pending_count, standard_seq, custom_seq, block_seq, list_seq"
)
FRIEND_COLUMNS = "friend, add_source, add_time, remark, add_wording, remark_time, custom, pos"
REQUEST_COLUMNS = (
    "requester, target, created_at, add_source, add_wording, remark, group_name, both_ways"
)


EVENT_COLUMNS = (
    "id, time_ms, kind, account, peers, data, platform, client_ip, operator, user_initiated"
)


def event_pages(
    p: Param, columns: str, horizon: str, touches: str, kinds: Param
) -> Mapping[tuple[bool, bool], str]:
    """events_after's statements by (account filter, kinds filter): the events of app ``p(1)``
    after id ``p(2)``, oldest first, at most ``p(3)``, below ``horizon`` (the first id that may
    still commit; ``""``: none); ``touches`` is the account filter on ``p(4)`` (account or one
    of the peers), ``kinds(n)`` the kind filter on the list ``p(n)`` (the next parameter)."""
    head = f"SELECT {columns} FROM events WHERE sdkappid = {p(1)} AND id > {p(2)}"
    if horizon:
        head += f" AND id < {horizon}"
    tail = f" ORDER BY id LIMIT {p(3)}"
    return MappingProxyType(
        {
            (False, False): head + tail,
            (True, False): head + f" AND ({touches})" + tail,
            (False, True): head + f" AND {kinds(4)}" + tail,
            (True, True): head + f" AND ({touches}) AND {kinds(5)}" + tail,
        }
    )


def _keyset(head: str, time: str, account: str, p: Param, collate: str) -> Pages:
    """The first and the later pages of ``head`` (a ``SELECT ... WHERE ...``): newest ``time``
    first, ties by ``account`` descending (bytewise: ``collate``), ``p(3)`` rows, later pages
    after (``p(4)``, ``p(5)``)."""
    order = f" ORDER BY {time} DESC, {account}{collate} DESC LIMIT {p(3)}"
    after = f" AND ({time}, {account}{collate}) < ({p(4)}, {p(5)})"
    return head + order, head + after + order


def follow_pages(p: Param, profile: str, collate: str = "") -> Mapping[ListKind, Pages]:
    """follow_get's pages in a dialect (``profile``: the profile column as JSON text). The edge
    index drives the scan; each listed account is then one primary-key lookup."""

    def pages(table: str, mine: str, other: str, time: str) -> Pages:
        head = (
            f"SELECT x.{other}, x.{time}, {profile}, a.profile_seq FROM {table} x"
            f" LEFT JOIN accounts a ON a.sdkappid = x.sdkappid AND a.user_id = x.{other}"
            f" WHERE x.sdkappid = {p(1)} AND x.{mine} = {p(2)}"
        )
        return _keyset(head, f"x.{time}", f"x.{other}", p, collate)

    return MappingProxyType(
        {
            ListKind.FANS: pages("follows", "followee", "follower", "created_at"),
            ListKind.FOLLOWING: pages("follows", "follower", "followee", "created_at"),
            ListKind.MUTUAL: pages("follow_mutuals", "user_id", "peer_id", "since"),
        }
    )


def request_pages(p: Param, collate: str = "") -> Mapping[bool, Pages]:
    """The pending requests of a user, incoming (True) or outgoing, newest first."""

    def pages(mine: str, other: str) -> Pages:
        head = (
            f"SELECT {REQUEST_COLUMNS} FROM friend_requests"
            f" WHERE sdkappid = {p(1)} AND {mine} = {p(2)}"
        )
        return _keyset(head, "created_at", other, p, collate)

    return MappingProxyType(
        {True: pages("target", "requester"), False: pages("requester", "target")}
    )


class Statements:
    """The names every dialect defines. Subclass and give each one its text."""

    # -- apps -----------------------------------------------------------------------------
    get_app: ClassVar[str]  # $1 app -> (sdkappid, key, admins json, settings json)
    list_apps: ClassVar[str]  # -> as get_app, by sdkappid
    create_app: ClassVar[str]  # $1 app, $2 key, $3 admins json, $4 settings json, $5 now
    save_app: ClassVar[str]  # $1 app, $2 key, $3 admins json, $4 settings json
    app_tables: ClassVar[str]  # -> (table) every table with an sdkappid column but apps
    app_param: ClassVar[str]  # the first parameter ("$1" / "?1"), for statements built per table

    # -- accounts and profiles ------------------------------------------------------------
    existing_accounts: ClassVar[str]  # $1 app, $2 [ids] -> (user_id)
    account_exists: ClassVar[str]  # $1 app, $2 id -> (bool)
    insert_accounts: ClassVar[str]  # $1 app, $2 [ids], $3 now -> (user_id created)
    merge_profiles: ClassVar[Sql]  # $1 app, $2 [ids], $3 [json patch], $4 [changes]
    delete_accounts: ClassVar[str]  # $1 app, $2 [ids] -> (user_id deleted)
    get_profiles: ClassVar[str]  # $1 app, $2 [ids] -> (user_id, profile json, profile_seq)
    update_profile: ClassVar[str]  # $1 app, $2 id, $3 json patch -> (profile_seq)

    # -- follows --------------------------------------------------------------------------
    lock_follow_counts: ClassVar[Sql]  # $1 app, $2 [ids] -> (user_id locked): the counter
    #   rows of the existing accounts, created where missing, locked in user_id order in one
    #   pass (a str where rows are locked; () where nothing is)
    follow_state: ClassVar[str]  # $1 app, $2 [ids with $3], $3 user -> (existing account,
    #   followers, following, mutual (NULL: no counter row), user follows it, since when it
    #   follows user or NULL)
    add_follows: ClassVar[Sql]  # $1 app, $2 from, $3 [followees], $4 now, mutual rows $5 [user]
    #   $6 [peer] $7 [since], counter deltas $8 [user] $9 [followers] $10 [following] $11 [mutual]
    delete_follows: ClassVar[Sql]  # $1 app, $2 from, $3 [followees], mutual rows $4 [user]
    #   $5 [peer], counter deltas $6 [user] $7 [followers] $8 [following] $9 [mutual]
    follow_peers: ClassVar[str]  # $1 app, $2 [ids] -> (user with an edge to or from one of them)
    purge_follows: ClassVar[Sql]  # $1 app, $2 [ids]: every edge of theirs, peers' counters fixed
    follow_types: ClassVar[str]  # $1 app, $2 [ids with $3], $3 user -> (0 exists / 1 user
    #   follows / 2 follows user, account)
    follow_counts: ClassVar[str]  # $1 app, $2 [ids] -> (existing account, followers, following,
    #   mutual), NULL counters without a counter row
    follow_pages: ClassVar[Mapping[ListKind, Pages]]  # $1 app, $2 user -> (account, time,
    #   profile json, profile_seq), newest first, ties by account descending

    # -- sns: users, locks, counters, positions -------------------------------------------
    ensure_sns_users: ClassVar[Sql]  # $1 app, $2 [ids]: rows for the existing accounts
    lock_sns_users: ClassVar[str]  # $1 app, $2 [ids] -> (user_id, counters and sequences as
    #   UserDelta, account exists), locked in user_id order
    drop_sns_orphans: ClassVar[Sql]  # $1 app, $2 [ids]: empty rows of deleted accounts
    sns_user: ClassVar[str]  # $1 app, $2 id -> (counters and sequences as UserDelta)
    apply_sns_deltas: ClassVar[str]  # $1 app, $2 [user], $3..$9 [UserDelta columns] -> (user_id)
    insert_sns_deltas: ClassVar[Sql]  # as apply_sns_deltas, for users without a row
    find_positions: ClassVar[str]  # $1 app, $2 kind, $3 [owner], $4 [other] -> (owner, other, pos)
    reserve_positions: ClassVar[Mapping[str, str]]  # by kind: $1 app, $2 [owner], $3 [count]
    #   -> (owner, next position after the reserved ones)
    insert_positions: ClassVar[Sql]  # $1 app, $2 kind, $3 [owner], $4 [other], $5 [pos]
    sns_related: ClassVar[str]  # $1 app, $2 [ids] -> (users with a friend edge, block or request
    #   to one of them)

    # -- sns: friends ---------------------------------------------------------------------
    peer_states: ClassVar[str]  # $1 app, $2 me, $3 [others] -> (user, allow type, me -> o,
    #   o -> me, I block o, o blocks me, my request to o, o's friend count, o's request columns)
    insert_friends: ClassVar[Sql]  # $1 app, $2..$10 [owner, friend, pos, add_source, add_time,
    #   add_wording, remark, remark_time, custom json]
    remove_friends: ClassVar[str]  # $1 app, $2 [owner], $3 [friend] -> (owner, friend, had custom)
    remove_friends_from_lists: ClassVar[str]  # $1 app, $2 [owner], $3 [friend] -> (owner)
    friends_custom: ClassVar[str]  # $1 app, $2 owner, $3 [friends] -> (friend, custom json)
    update_remarks: ClassVar[Sql]  # $1 app, $2 owner, $3 now, $4 [friend], $5 [remark]
    update_custom: ClassVar[Sql]  # $1 app, $2 owner, $3 [friend], $4 [custom json]
    clear_memberships: ClassVar[Sql]  # $1 app, $2 owner, $3 [friends]
    set_memberships: ClassVar[Sql]  # $1 app, $2 owner, $3 [friend], $4 [list name]
    friend_ids: ClassVar[str]  # $1 app, $2 owner -> (friend)
    friend_edges: ClassVar[str]  # $1 app, $2 user, $3 [others] -> (existing other, user -> o,
    #   o -> user)
    friend_page: ClassVar[str]  # $1 app, $2 owner, $3 from position, $4 limit -> FRIEND columns
    friends_of: ClassVar[str]  # $1 app, $2 owner, $3 [friends] -> FRIEND columns
    #   (FRIEND: friend, add_source, add_time, remark, add_wording, remark_time, custom json, pos)
    groups_of_friends: ClassVar[str]  # $1 app, $2 owner, $3 [friends] -> (friend, list name)

    # -- sns: requests --------------------------------------------------------------------
    upsert_requests: ClassVar[Sql]  # $1 app, $2..$9 [REQUEST columns]
    drop_requests: ClassVar[str]  # $1 app, $2 [requester], $3 [target] -> (requester, target)
    request_pages: ClassVar[Mapping[bool, Pages]]  # by incoming: $1 app, $2 user -> REQUEST
    #   (REQUEST: requester, target, created_at, add_source, add_wording, remark, group, both)

    # -- sns: blocklists ------------------------------------------------------------------
    blocked_of: ClassVar[str]  # $1 app, $2 owner, $3 [others] -> (blocked)
    insert_blocks: ClassVar[Sql]  # $1 app, $2 owner, $3 [blocked], $4 [pos], $5 now
    delete_blocks: ClassVar[str]  # $1 app, $2 owner, $3 [blocked] -> (blocked)
    block_page: ClassVar[str]  # $1 app, $2 owner, $3 from position, $4 limit
    #   -> (blocked, added_at, pos)
    block_edges: ClassVar[str]  # $1 app, $2 user, $3 [others] -> (existing other, user blocks o,
    #   o blocks user)

    # -- sns: friend lists ----------------------------------------------------------------
    list_names: ClassVar[str]  # $1 app, $2 owner -> (name) in creation order
    lists_of_owners: ClassVar[str]  # $1 app, $2 [owners] -> (owner, name, pos)
    create_lists: ClassVar[Sql]  # $1 app, $2 owner, $3 [name], $4 [1..n]: after the last
    insert_lists: ClassVar[Sql]  # $1 app, $2 [owner], $3 [name], $4 [pos]
    insert_list_members: ClassVar[Sql]  # $1 app, $2 [owner], $3 [friend], $4 [name]
    friendship_of: ClassVar[str]  # $1 app, $2 owner, $3 [ids] -> (existing id, is a friend)
    add_to_lists: ClassVar[str]  # $1 app, $2 owner, $3 [friends], $4 [names] -> (friend added)
    delete_lists: ClassVar[str]  # $1 app, $2 owner, $3 [names] -> (name deleted)
    empty_lists: ClassVar[str]  # $1 app, $2 owner, $3 [names] -> (friend taken out)
    mark_requests_read: ClassVar[str]  # $1 app, $2 id, $3 time: read up to it (never back)
    requests_read_at: ClassVar[str]  # $1 app, $2 id -> (read_at)
    rename_list: ClassVar[str]  # $1 app, $2 owner, $3 old name, $4 new name -> (pos) renamed
    rename_list_members: ClassVar[str]  # $1 app, $2 owner, $3 old, $4 new -> (friend)
    remove_from_list: ClassVar[str]  # $1 app, $2 owner, $3 name, $4 [friends] -> (friend)
    list_members: ClassVar[str]  # $1 app, $2 owner, $3 [names] -> (name, friend) by position

    # -- webhooks (storage/webhooks.py) ---------------------------------------------------
    ensure_webhook_cursor: ClassVar[str]  # $1 app, $2 start id: the app's cursor row if none
    lock_webhook_cursor: ClassVar[str]  # $1 app -> (last_event_id), locked (PostgreSQL: SKIP
    #   LOCKED, no row when another transaction holds it)
    set_webhook_cursor: ClassVar[str]  # $1 app, $2 last event id
    drop_webhook_cursor: ClassVar[str]  # $1 app
    webhook_start: ClassVar[str]  # $1 app -> (the app's newest event id, NULL: none)
    add_deliveries: ClassVar[str]  # $1 app, $2 now, $3 [event_id] $4 [command] $5 [account]
    #   $6 [body] $7 [platform] $8 [client_ip] $9 [event_ms]
    deliveries_due: ClassVar[str]  # $1 now -> (some delivery may be claimed)
    claim_deliveries: ClassVar[str]  # $1 now, $2 lease until, $3 limit, $4 [apps] -> (sdkappid,
    #   event_id,
    #   command, account, body, platform, client_ip, event_ms, attempts, created_ms)
    record_delivery: ClassVar[str]  # $1 app, $2 event, $3 command, $4 state, $5 next_ms,
    #   $6 done_ms, $7 last answer
    delivery_counts: ClassVar[str]  # $1 app -> (command, state, count)
    delivery_failures: ClassVar[str]  # $1 app, $2 limit -> (event_id, command, state, attempts,
    #   next_ms, last_answer), newest first
    retry_deliveries: ClassVar[str]  # $1 app, $2 now, $3 [states] -> (event_id)
    webhook_queue_depth: ClassVar[str]  # -> (deliveries pending or failed)
    prune_deliveries: ClassVar[str]  # $1 before_ms, $2 limit -> (event_id) forgotten

    # -- sns: account delete --------------------------------------------------------------
    purge_friends_of: ClassVar[str]  # $1 app, $2 [ids] -> (owner, friend, had custom) of
    #   edges to them
    purge_members_of: ClassVar[str]  # $1 app, $2 [ids] -> (owner) of list memberships of them
    purge_blocks_of: ClassVar[str]  # $1 app, $2 [ids] -> (owner, blocked) of blocks of them
    purge_requests_to: ClassVar[str]  # $1 app, $2 [ids] -> (requester, target) of requests to
    #   them
    purge_requests_from: ClassVar[str]  # $1 app, $2 [ids] -> (requester, target) of their
    #   requests
    purge_sns_rows: ClassVar[Sql]  # $1 app, $2 [ids]: every other sns row of theirs

    # -- events (the log; see storage/events.py) -----------------------------------------------
    append_event: ClassVar[str]  # as append_events, with one event's values (not lists)
    append_events: ClassVar[str]  # $1 app, $2 time_ms, $3 [n: order in the transaction],
    #   $4 [kind], $5 [account], $6 [peers json], $7 [data json], $8 [platform], $9 [client_ip],
    #   $10 [operator], $11 [user_initiated]
    events_after: ClassVar[Mapping[tuple[bool, bool], str]]  # by (account, kinds filter): $1 app,
    #   $2 after id, $3 limit, then $4 account (if filtered), then [kinds] (if filtered)
    #   -> EVENT columns, by id
    last_event_id: ClassVar[str]  # $1 app -> (the last id a reader may hand out, or NULL)
    prune_events: ClassVar[str]  # $1 app, $2 before time_ms, $3 batch -> (id) deleted: those of
    #   the app's $3 oldest events that are older than $2


def missing_statements(dialect: type[Statements]) -> list[str]:
    """The names ``dialect`` does not define (empty for a complete dialect)."""
    return [name for name in get_type_hints(Statements) if not hasattr(dialect, name)]
