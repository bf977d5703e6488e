"""Protocols the core needs: the store with its transactions, the clock and the limiter state.

A backend implements :class:`Store`; its transactions implement :class:`Tx`, which is the union
of one protocol per area (apps and accounts, follows, friends, blocklists, friend lists, friend
requests). Every backend passes the same contract suite in ``tests/storage``. Writes return
what they changed (domain outcomes), so the services can report it without another query.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, runtime_checkable

from relchain.domain import follows
from relchain.domain.apps import App
from relchain.domain.callbacks import Answer, Delivery, DeliveryState, Failure, NewDelivery
from relchain.domain.events import Event, NewEvent
from relchain.domain.sns.blocklist import BlockPage
from relchain.domain.sns.friends import AddRequest, FriendData, FriendPage, FriendUpdate, ImportItem
from relchain.domain.sns.lists import FriendList, ListsOutcome
from relchain.domain.sns.plan import PurgedPeers, SnsChanges, SnsOutcome
from relchain.domain.sns.requests import FriendRequest
from relchain.domain.sns.rules import SnsLimits

T = TypeVar("T")

__all__ = [
    "AccountsTx",
    "AppsTx",
    "BlocklistTx",
    "CallbackSender",
    "Clock",
    "DataStore",
    "DataTx",
    "EventSignal",
    "EventsTx",
    "FollowsTx",
    "FriendsTx",
    "ListsTx",
    "OneStatementReads",
    "Profile",
    "RateCounter",
    "RequestsTx",
    "Store",
    "Tx",
    "WebhooksTx",
]


class Clock(Protocol):
    """Where services get the time from (tests pass a fixed one)."""

    def now(self) -> float:
        """Unix time in seconds."""
        ...


class CallbackSender(Protocol):
    """Sends one webhook: POST ``body`` (JSON) to ``url`` with ``query`` appended, waiting at
    most ``seconds`` for the whole answer."""

    async def post(
        self, url: str, query: Sequence[tuple[str, str]], body: bytes, seconds: float
    ) -> Answer:
        """The receiver's answer, or an ``Answer`` with ``error`` set (timeout, connection
        refused, ...); never raises for what the receiver does."""
        ...


class RateCounter(Protocol):
    """State of the rate limiter (GCRA): in memory per process, or shared in Redis."""

    async def take(self, key: str, now_us: int, interval_us: int, tolerance_us: int) -> bool:
        """One call of ``key`` at ``now_us`` (Unix microseconds): allowed when the key's
        theoretical arrival time is at most ``tolerance_us`` ahead of now, which then moves
        ``interval_us`` further; refused (and nothing changes) otherwise. Atomic per key."""
        ...


@dataclass(frozen=True, slots=True)
class Profile:
    """A user's stored profile: tag -> value, and its version (bumped on each change)."""

    values: Mapping[str, Any] = field(default_factory=dict)
    sequence: int = 0


class AppsTx(Protocol):
    async def get_app(self, sdkappid: int) -> App | None: ...
    async def list_apps(self) -> list[App]: ...
    async def create_app(self, app: App, now: int) -> None: ...
    async def save_app(self, app: App) -> None: ...
    async def delete_app(self, sdkappid: int) -> dict[str, int]:
        """Delete the app and every row of every table keyed by its ``sdkappid``; returns the
        rows deleted per table (tables added later are covered without a change here)."""
        ...


class AccountsTx(Protocol):
    async def existing_accounts(self, sdkappid: int, user_ids: Sequence[str]) -> set[str]:
        """The subset of ``user_ids`` that exist in the app (one query)."""
        ...

    async def import_accounts(
        self, sdkappid: int, accounts: Sequence[tuple[str, Mapping[str, Any]]], now: int
    ) -> set[str]:
        """Create missing accounts; set the given profile values (bumping the sequence).
        Returns the accounts created (the others existed)."""
        ...

    async def delete_accounts(self, sdkappid: int, user_ids: Sequence[str]) -> set[str]:
        """Delete accounts and profiles; returns the ids that existed. Callers purge the
        relationship data of those ids in the same transaction first."""
        ...

    async def get_profiles(self, sdkappid: int, user_ids: Sequence[str]) -> dict[str, Profile]:
        """Profiles of the existing accounts among ``user_ids`` (one query)."""
        ...

    async def update_profile(
        self, sdkappid: int, user_id: str, values: Mapping[str, Any]
    ) -> int | None:
        """Merge ``values`` into the profile and bump its sequence; ``None`` if no account."""
        ...


class FollowsTx(Protocol):
    """Follow edges, mutual edges and per-user counters.

    Counters change in the same transaction as the edges; a write method decides with
    :func:`relchain.domain.follows.plan_follows` on what it read *after* locking (SQLite: the
    write transaction; PostgreSQL: the counter rows of From and the targets, in sorted order), so
    the caps hold under concurrent writers. Lists are ordered newest time first, ties by account
    descending, and paged by position (keyset), never by offset.
    """

    async def add_follows(
        self, sdkappid: int, from_id: str, to_ids: Sequence[str], now: int, caps: follows.FollowCaps
    ) -> follows.FollowPlan | None:
        """Follow each of ``to_ids`` (distinct, none is ``from_id``) in order, at time ``now``.

        ``None`` (nothing written) when ``from_id`` does not exist; else the plan applied: a
        result per target (0 followed or already followed, time kept; 30003 no such account;
        32100..32103 a cap), the edges created and the pairs that became mutual.
        """
        ...

    async def delete_follows(
        self, sdkappid: int, from_id: str, to_ids: Sequence[str]
    ) -> follows.FollowPlan | None:
        """Unfollow each of ``to_ids`` (distinct). ``None`` when ``from_id`` does not exist; else
        the plan applied: a result per target (0, also when not followed; 30003 no such
        account), the edges removed and the pairs no longer mutual."""
        ...

    async def follow_types(
        self, sdkappid: int, from_id: str, to_ids: Sequence[str]
    ) -> dict[str, follows.FollowType] | None:
        """``None`` when ``from_id`` does not exist; else the relation of each existing target
        (missing accounts are left out)."""
        ...

    async def follow_counts(
        self, sdkappid: int, user_ids: Sequence[str]
    ) -> dict[str, follows.FollowCounts]:
        """The counters of the existing accounts among ``user_ids`` (read, never counted)."""
        ...

    async def list_follows(
        self,
        sdkappid: int,
        user_id: str,
        kind: follows.ListKind,
        after: follows.Position | None,
        limit: int,
    ) -> list[follows.FollowEntry] | None:
        """Up to ``limit`` entries of ``user_id``'s ``kind`` list that come after ``after`` (from
        the start when ``None``), with each account's profile. ``None`` when no such account."""
        ...

    async def purge_follows(self, sdkappid: int, user_ids: Sequence[str]) -> None:
        """Remove every follow edge of these users in both directions and fix all counters."""
        ...


class FriendsTx(Protocol):
    """Friends. Methods that decide per item return a result per item in request order (the
    decision tables are :mod:`relchain.domain.sns`) with what changed. Every change of a user's
    standard or custom friend data bumps that user's standard or custom sequence in the same
    transaction. A write whose caller's account is gone raises ``AccountMissing``.
    """

    async def add_friends(
        self,
        sdkappid: int,
        user_id: str,
        items: Sequence[AddRequest],
        *,
        both: bool,
        force: bool,
        limits: SnsLimits,
        now: int,
    ) -> SnsOutcome:
        """friend_add (see :func:`relchain.domain.sns.friends.plan_friend_add`)."""
        ...

    async def import_friends(
        self,
        sdkappid: int,
        user_id: str,
        items: Sequence[ImportItem],
        *,
        limits: SnsLimits,
        now: int,
    ) -> SnsOutcome:
        """friend_import (see :func:`relchain.domain.sns.friends.plan_friend_import`)."""
        ...

    async def update_friends(
        self,
        sdkappid: int,
        user_id: str,
        updates: Sequence[FriendUpdate],
        *,
        limits: SnsLimits,
        now: int,
    ) -> SnsOutcome:
        """friend_update: non-friend -> 31704; lists created as needed (30011 past the cap)."""
        ...

    async def delete_friends(
        self, sdkappid: int, user_id: str, friends: Sequence[str], *, both: bool
    ) -> SnsOutcome:
        """Remove ``user_id -> f`` (and ``f -> user_id`` when ``both``): 0, or 31704 when
        ``user_id -> f`` did not exist (then nothing is removed for ``f``)."""
        ...

    async def delete_all_friends(self, sdkappid: int, user_id: str, *, both: bool) -> SnsChanges:
        """Remove every friend of ``user_id`` (and the reverse edges when ``both``); lists stay."""
        ...

    async def friend_edges(
        self, sdkappid: int, user_id: str, others: Sequence[str]
    ) -> dict[str, tuple[bool, bool]]:
        """For each existing account of ``others``: (``user_id -> o`` exists, ``o -> user_id``)."""
        ...

    async def get_friend_page(
        self, sdkappid: int, user_id: str, start: int, limit: int
    ) -> FriendPage:
        """Friends at positions >= ``start``, by position, at most ``limit``; ``next_start`` is
        the last position + 1 when more follow, else 0. A position is assigned once per
        (owner, friend) pair and kept across delete and re-add, so a scan never repeats one."""
        ...

    async def get_friends(
        self, sdkappid: int, user_id: str, others: Sequence[str]
    ) -> dict[str, FriendData]:
        """The friend data of those of ``others`` that are ``user_id``'s friends."""
        ...

    async def purge_sns(self, sdkappid: int, user_ids: Sequence[str]) -> dict[str, PurgedPeers]:
        """Remove friends (both sides), blocklists, lists and pending requests of these users.
        Returns, per user, the other users whose friends, blocklist or requests lost it."""
        ...


class BlocklistTx(Protocol):
    async def block(
        self, sdkappid: int, user_id: str, others: Sequence[str], *, limits: SnsLimits, now: int
    ) -> SnsOutcome:
        """black_list_add: self/duplicate/already blocked -> 30001, no account -> 30003, full ->
        30013; removes friendships both ways and pending requests both ways."""
        ...

    async def unblock(self, sdkappid: int, user_id: str, others: Sequence[str]) -> SnsOutcome:
        """black_list_delete: 0 (also when not blocked); no account -> 30003."""
        ...

    async def get_block_page(
        self, sdkappid: int, user_id: str, start: int, limit: int
    ) -> BlockPage:
        """Blocklist entries at positions >= ``start`` (keyset paging as friends)."""
        ...

    async def block_edges(
        self, sdkappid: int, user_id: str, others: Sequence[str]
    ) -> dict[str, tuple[bool, bool]]:
        """For each existing account of ``others``: (``user_id`` blocks o, o blocks ``user_id``)."""
        ...


class ListsTx(Protocol):
    async def add_friend_lists(
        self,
        sdkappid: int,
        user_id: str,
        names: Sequence[str],
        members: Sequence[str],
        *,
        limits: SnsLimits,
    ) -> ListsOutcome:
        """group_add: create the missing lists (``TooManyLists`` past the cap, nothing written)
        and put ``members`` in all ``names`` (non-friend 32216, no account 30003)."""
        ...

    async def delete_friend_lists(
        self, sdkappid: int, user_id: str, names: Sequence[str]
    ) -> ListsOutcome:
        """group_delete: remove the lists (unknown names are ignored) and their memberships."""
        ...

    async def rename_friend_list(
        self, sdkappid: int, user_id: str, old: str, new: str
    ) -> ListsOutcome | None:
        """Rename list ``old`` to ``new`` (members kept); None when ``old`` is missing or
        ``new`` exists (nothing done)."""
        ...

    async def remove_from_friend_list(
        self, sdkappid: int, user_id: str, name: str, members: Sequence[str]
    ) -> ListsOutcome:
        """Take ``members`` out of list ``name`` (one not in it: item 32216)."""
        ...

    async def get_friend_lists(
        self, sdkappid: int, user_id: str, names: Sequence[str] | None
    ) -> tuple[list[FriendList], int]:
        """The lists (all, or those of ``names`` that exist) in creation order, and the list
        sequence."""
        ...


class RequestsTx(Protocol):
    async def mark_friend_requests_read(self, sdkappid: int, user_id: str, time: int) -> None:
        """Incoming requests created up to ``time`` are read (a later mark never goes back)."""
        ...

    async def friend_requests_read_at(self, sdkappid: int, user_id: str) -> int:
        """Until when ``user_id`` has read their incoming requests (0: never)."""
        ...

    async def list_friend_requests(
        self,
        sdkappid: int,
        user_id: str,
        *,
        incoming: bool,
        limit: int,
        before: tuple[int, str] | None = None,
    ) -> list[FriendRequest]:
        """Pending requests sent to (``incoming``) or by ``user_id``, newest first; ``before``
        is the (created_at, other user) of the last one seen (keyset paging)."""
        ...

    async def accept_friend_request(
        self,
        sdkappid: int,
        user_id: str,
        requester: str,
        *,
        both: bool,
        remark: str = "",
        group: str = "",
        limits: SnsLimits,
        now: int,
    ) -> SnsOutcome:
        """``user_id`` accepts ``requester``'s request: ``requester -> user_id`` is added, and
        ``user_id -> requester`` too when ``both`` (see
        :func:`relchain.domain.sns.requests.plan_accept`). The request is removed on success."""
        ...

    async def reject_friend_request(
        self, sdkappid: int, user_id: str, requester: str
    ) -> SnsChanges:
        """``user_id`` rejects (drops) ``requester``'s request; no change when there was none."""
        ...


class EventsTx(Protocol):
    """The event log (transactional outbox). Ids strictly increase per app in the order a
    reader may hand them out: a reader paging with ``events_after(last id seen)`` never skips
    an event, even one whose transaction commits after a later one's (gaps are allowed)."""

    async def append_events(self, sdkappid: int, events: Sequence[NewEvent], time_ms: int) -> None:
        """Append ``events`` (in order) in this transaction, at ``time_ms``."""
        ...

    async def events_after(
        self,
        sdkappid: int,
        after_id: int,
        limit: int,
        account: str | None = None,
        kinds: Collection[str] | None = None,
    ) -> list[Event]:
        """Up to ``limit`` committed events with an id above ``after_id``, oldest first; only
        those touching ``account`` (as account or peer) and of ``kinds``, when given."""
        ...

    async def last_event_id(self, sdkappid: int, back: int = 0) -> int:
        """The id of the app's last event a reader may hand out now (0: none); with ``back``,
        of the event ``back`` places before it (0 when there are not that many)."""
        ...

    async def prune_events(self, sdkappid: int, before_ms: int, limit: int = 1000) -> int:
        """Delete those of the app's ``limit`` oldest events that are older than ``before_ms``;
        returns how many (call again while it returns ``limit``)."""
        ...


class WebhooksTx(Protocol):
    """The webhook queue (see :mod:`relchain.storage.webhooks`): deliveries made from the
    event log, claimed with a lease by one dispatcher each, oldest first per account."""

    async def lock_webhook_cursor(self, sdkappid: int, start: int) -> int | None: ...
    async def set_webhook_cursor(self, sdkappid: int, last_event_id: int) -> None: ...
    async def add_deliveries(
        self, sdkappid: int, deliveries: Sequence[NewDelivery], now_ms: int
    ) -> None: ...
    async def deliveries_due(self, now_ms: int) -> bool: ...
    async def claim_deliveries(
        self, now_ms: int, lease_ms: int, limit: int, sdkappids: Sequence[int]
    ) -> list[Delivery]: ...
    async def record_delivery(
        self,
        delivery: Delivery,
        state: DeliveryState,
        *,
        next_ms: int,
        done_ms: int,
        answer: str,
    ) -> None: ...
    async def delivery_counts(self, sdkappid: int) -> dict[str, dict[str, int]]: ...
    async def delivery_failures(self, sdkappid: int, limit: int) -> list[Failure]: ...
    async def retry_deliveries(self, sdkappid: int, now_ms: int, *, dead: bool) -> int: ...
    async def webhook_queue_depth(self) -> int: ...
    async def prune_deliveries(self, before_ms: int, limit: int) -> int: ...


class EventSignal(Protocol):
    """Wake-ups between server processes: "app N has new events" (ids only, no data; the log
    is the truth, a lost wake-up only delays a reader until its next poll)."""

    async def start(self, on_wake: Callable[[int], None]) -> None:
        """Start listening; ``on_wake(sdkappid)`` is called for other processes' commits."""
        ...

    def publish(self, sdkappids: Collection[int]) -> None:
        """Tell the other processes (coalesced; never blocks or fails the caller)."""
        ...

    async def close(self) -> None: ...


class Tx(
    AppsTx,
    AccountsTx,
    FollowsTx,
    FriendsTx,
    BlocklistTx,
    ListsTx,
    RequestsTx,
    WebhooksTx,
    EventsTx,
    Protocol,
):
    """One transaction over every area."""


class Store(Protocol):
    """A database: hands out read and write transactions."""

    url_scheme: str

    def read(self) -> AbstractAsyncContextManager[Tx]:
        """A read-only transaction (one consistent snapshot where the backend has them; see
        :class:`OneStatementReads` for reads that need none)."""
        ...

    def write(self) -> AbstractAsyncContextManager[Tx]:
        """A write transaction: committed when the block ends, rolled back on an exception."""
        ...

    async def run_write(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        """Run ``work`` in a write transaction and return its result; re-run it when the backend
        aborts the transaction for a conflict (deadlock, serialization failure). ``work`` must
        therefore do nothing but database work."""
        ...

    async def upgrade(self) -> list[int]:
        """Apply the schema migrations the database lacks; returns their versions."""
        ...

    async def pending_migrations(self) -> list[int]:
        """The versions of the schema migrations the database lacks (asks the database: the
        readiness check)."""
        ...

    def pool_usage(self) -> tuple[int, int]:
        """Database connections of this process: (open, in use), for metrics."""
        ...

    def observe_commits(self, observer: Callable[[int], None]) -> None:
        """Have ``observer`` called with the number of write units of each group commit (a
        backend without group commit never calls it), for metrics."""
        ...

    def event_signal(self) -> EventSignal | None:
        """The backend's own wake-up between processes (PostgreSQL: LISTEN/NOTIFY), if any."""
        ...

    def observe_events(self, observer: Callable[[dict[int, int]], None]) -> None:
        """Have ``observer`` called, once a transaction that appended events has committed,
        with the number of events it appended per app (the log's in-process wake-up)."""
        ...

    async def close(self) -> None: ...


@runtime_checkable
class OneStatementReads(Protocol):
    """A store that can run a read outside a transaction: every statement is then its own
    snapshot, and the transaction's round trips are saved (PostgreSQL: no BEGIN and COMMIT,
    a read of one statement is one round trip instead of three).

    For use cases whose read is one statement, or whose statements' separate snapshots are
    provably harmless (the use case says why); :meth:`Store.read` keeps one snapshot for
    every statement. A store without it runs those reads with :meth:`Store.read`
    (``services._base.ServiceBase.read_one`` chooses)."""

    def read_one(self) -> AbstractAsyncContextManager[Tx]:
        """A read whose statements each see their own snapshot (reads only)."""
        ...


class DataTx(Protocol):
    """One long transaction of a bulk use case (export, import, check, repair) over a whole
    app: a consistent snapshot when reading, all or nothing when writing."""

    def dump(self, sdkappid: int, kind: str) -> AsyncIterator[Sequence[Sequence[Any]]]:
        """Every row of one kind (``account``, ``follow``, ``list``, ``friend``, ``member``,
        ``block``, ``request``) in export order, streamed in batches of rows."""
        ...

    def account_ids(self, sdkappid: int) -> AsyncIterator[Sequence[Sequence[Any]]]:
        """The app's account ids (one-column rows), streamed in batches."""
        ...

    async def save_app(self, sdkappid: int, admins_json: str, settings_json: str) -> None:
        """Store the app's admins and settings (JSON texts) in this transaction."""
        ...

    async def begin_import(self, sdkappid: int) -> None: ...

    async def load(self, kind: str, rows: Sequence[tuple[Any, ...]]) -> None:
        """Load validated rows of one kind (``relchain.storage.bulk.LOADS`` says their
        columns); rows that exist already are kept, accounts merge their profile."""
        ...

    async def finish_import(self, sdkappid: int) -> None:
        """Compute what the loaded rows imply: positions, sequences, mutual follows, counters."""
        ...

    async def problems(
        self, sdkappid: int, caps: Mapping[str, int]
    ) -> dict[str, list[tuple[Any, ...]]]:
        """Example rows of every kind of broken invariant (``domain.integrity.CHECKS``)."""
        ...

    async def one_way_friends(self, sdkappid: int) -> int: ...

    async def repair(self, sdkappid: int) -> None:
        """Recompute everything derived (``domain.integrity``: the repairable checks)."""
        ...


@runtime_checkable
class DataStore(Protocol):
    """A store that can run bulk use cases (every backend of ``relchain.storage``)."""

    def data(self, *, write: bool) -> AbstractAsyncContextManager[DataTx]:
        """One transaction for a bulk use case: a snapshot (``write=False``) or all or
        nothing (``write=True``; the app's writers wait until it ends)."""
        ...
