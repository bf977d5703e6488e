"""Protocols the core needs: the store with its transactions, the clock and the limiter state.

A backend implements :class:`Store`; its transactions implement :class:`Tx`, which is the union
of one protocol per area (apps and accounts, follows, friends). Every backend passes the same
contract suite in ``tests/storage``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from relchain.domain.apps import App
from relchain.domain.follows import (
    FollowCaps,
    FollowCounts,
    FollowEntry,
    FollowType,
    ListKind,
    Position,
)

__all__ = [
    "AccountsTx",
    "AppsTx",
    "Clock",
    "FollowsTx",
    "FriendsTx",
    "Profile",
    "RateCounter",
    "Store",
    "Tx",
]


class Clock(Protocol):
    """Where services get the time from (tests pass a fixed one)."""

    def now(self) -> float:
        """Unix time in seconds."""
        ...


class RateCounter(Protocol):
    """Counter state of the rate limiter: in memory per process, or shared in Redis."""

    async def hit(self, key: str, ttl_seconds: int) -> int:
        """Add one to ``key`` (created with ``ttl_seconds`` to live) and return the new count."""
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


class AccountsTx(Protocol):
    async def existing_accounts(self, sdkappid: int, user_ids: Sequence[str]) -> set[str]:
        """The subset of ``user_ids`` that exist in the app (one query)."""
        ...

    async def import_accounts(
        self, sdkappid: int, accounts: Sequence[tuple[str, Mapping[str, Any]]], now: int
    ) -> None:
        """Create missing accounts; set the given profile values (bumping the sequence)."""
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
    """Follow edges, mutual edges and per-user counters (issue 3).

    Counters change in the same transaction as the edges; a write method decides with
    :func:`relchain.domain.follows.plan_follows` on what it read *after* locking (SQLite: the
    write transaction; PostgreSQL: the counter rows of From and the targets, in sorted order), so
    the caps hold under concurrent writers. Lists are ordered newest time first, ties by account
    descending, and paged by position (keyset), never by offset.
    """

    async def add_follows(
        self, sdkappid: int, from_id: str, to_ids: Sequence[str], now: int, caps: FollowCaps
    ) -> list[int] | None:
        """Follow each of ``to_ids`` (distinct, none is ``from_id``) in order, at time ``now``.

        ``None`` (nothing written) when ``from_id`` does not exist; else a code per target:
        0 followed or already followed (time kept), 30003 no such account, 32100..32103 a cap.
        """
        ...

    async def delete_follows(
        self, sdkappid: int, from_id: str, to_ids: Sequence[str]
    ) -> list[int] | None:
        """Unfollow each of ``to_ids`` (distinct). ``None`` when ``from_id`` does not exist; else a
        code per target: 0 (also when not followed) or 30003 no such account."""
        ...

    async def follow_types(
        self, sdkappid: int, from_id: str, to_ids: Sequence[str]
    ) -> dict[str, FollowType] | None:
        """``None`` when ``from_id`` does not exist; else the relation of each existing target
        (missing accounts are left out)."""
        ...

    async def follow_counts(self, sdkappid: int, user_ids: Sequence[str]) -> dict[str, FollowCounts]:
        """The counters of the existing accounts among ``user_ids`` (read, never counted)."""
        ...

    async def list_follows(
        self, sdkappid: int, user_id: str, kind: ListKind, after: Position | None, limit: int
    ) -> list[FollowEntry] | None:
        """Up to ``limit`` entries of ``user_id``'s ``kind`` list that come after ``after`` (from
        the start when ``None``), with each account's profile. ``None`` when no such account."""
        ...

    async def purge_follows(self, sdkappid: int, user_ids: Sequence[str]) -> None:
        """Remove every follow edge of these users in both directions and fix all counters."""
        ...


class FriendsTx(Protocol):
    """Friends, blocklists, friend lists and pending requests (issue 4)."""

    async def purge_sns(self, sdkappid: int, user_ids: Sequence[str]) -> None:
        """Remove friends (both sides), blocklists, lists and pending requests of these users."""
        ...


class Tx(AppsTx, AccountsTx, FollowsTx, FriendsTx, Protocol):
    """One transaction over every area."""


class Store(Protocol):
    """A database: hands out read and write transactions."""

    url_scheme: str

    def read(self) -> AbstractAsyncContextManager[Tx]:
        """A read-only transaction (one consistent snapshot where the backend has them)."""
        ...

    def write(self) -> AbstractAsyncContextManager[Tx]:
        """A write transaction: committed when the block ends, rolled back on an exception."""
        ...

    async def close(self) -> None: ...


