"""Follow rules: list kinds, relation types, batch limits, caps and the mutual rule.

Pure (stdlib only): no I/O, no clock. The store feeds :func:`plan_follows` what it read inside
its write transaction and applies what it returns, so every backend decides the same way.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, NamedTuple

from relchain.domain.errors import Code
from relchain.domain.results import ItemResult, Reason

__all__ = [
    "DEFAULT_WANT_NUM",
    "MAX_CHECK",
    "MAX_GET_INFO",
    "MAX_WANT_NUM",
    "MAX_WRITE",
    "FollowCaps",
    "FollowCounts",
    "FollowEntry",
    "FollowPlan",
    "FollowType",
    "ListKind",
    "Position",
    "follow_type",
    "mutual_since",
    "plan_follows",
    "plan_unfollows",
    "profile_items",
    "profile_tag_order",
]

MAX_WRITE = 20  # targets per follow_add / follow_delete
MAX_CHECK = 100  # targets per follow_check
MAX_GET_INFO = 20  # accounts per follow_get_info
DEFAULT_WANT_NUM = 100
MAX_WANT_NUM = 1000


class ListKind(IntEnum):
    """Which list of a user to page through (the values are follow_get's)."""

    FANS = 1  # accounts that follow the user
    FOLLOWING = 2  # accounts the user follows
    MUTUAL = 3  # both


class FollowType(IntEnum):
    """The relation of another account B to a user A (the values are follow_check's)."""

    NONE = 0
    FAN = 1  # B follows A
    FOLLOWING = 2  # A follows B
    MUTUAL = 3


def follow_type(i_follow: bool, follows_me: bool) -> FollowType:
    """The ``follow_check`` value for the two directions of one pair."""
    return FollowType((2 if i_follow else 0) | (1 if follows_me else 0))


def mutual_since(now: int, their_follow_time: int | None) -> int:
    """When a pair became mutual: the later of the two follow times (``now`` for the follow
    being made, unless the clock went back since the other one)."""
    return now if their_follow_time is None else max(now, their_follow_time)


@dataclass(frozen=True, slots=True)
class FollowCaps:
    """Per-app limits; 0 means unlimited."""

    max_following: int = 5000
    max_followers: int = 0
    max_mutual: int = 5000


@dataclass(frozen=True, slots=True)
class FollowCounts:
    """One user's counters, kept in the same transaction as the edges."""

    followers: int = 0
    following: int = 0
    mutual: int = 0


@dataclass(frozen=True, slots=True)
class Position:
    """Where an item sits in a list: newest ``time`` first, ties by ``account`` descending."""

    time: int
    account: str


class FollowEntry(NamedTuple):
    """One item of a follow list with the listed account's profile (a tuple: pages build up to
    1001 of them per request, and tuples are the cheapest to create)."""

    account: str
    time: int
    profile: Mapping[str, Any]
    profile_seq: int

    @property
    def position(self) -> Position:
        return Position(self.time, self.account)


# ---------------------------------------------------------------------------------------------
# follow_add / follow_delete decisions


@dataclass(slots=True)
class FollowPlan:
    """What one follow_add / follow_delete does, and so what it changed once applied: a result
    per target and the rows to change.

    ``edges`` are the (follower, followee) pairs inserted or deleted, ``mutual_pairs`` the pairs
    that became (or stopped being) mutual, ``deltas`` the counter changes per user as
    ``(followers, following, mutual)``.
    """

    results: list[ItemResult]
    edges: list[tuple[str, str]] = field(default_factory=list)
    mutual_pairs: list[tuple[str, str]] = field(default_factory=list)
    deltas: dict[str, list[int]] = field(default_factory=dict)

    def bump(self, user: str, followers: int = 0, following: int = 0, mutual: int = 0) -> None:
        delta = self.deltas.setdefault(user, [0, 0, 0])
        delta[0] += followers
        delta[1] += following
        delta[2] += mutual


def _reached(count: int, cap: int) -> bool:
    return cap > 0 and count >= cap


def plan_follows(
    from_id: str,
    to_ids: Sequence[str],
    *,
    existing: Collection[str],
    counts: Mapping[str, FollowCounts],
    i_follow: Collection[str],
    follow_me: Collection[str],
    caps: FollowCaps,
) -> FollowPlan:
    """Decide follow_add for distinct ``to_ids`` (none is ``from_id``), item by item in order.

    ``existing``: accounts that exist; ``counts``: current counters (absent = zeros);
    ``i_follow``: targets From already follows; ``follow_me``: targets that follow From.
    Already followed -> 0 (nothing changes, the original time is kept). Caps are checked in the
    order 32100 (From's following), 32101 (To's followers), 32102 / 32103 (mutual, only when the
    new edge makes the pair mutual), against counts that include the earlier items.
    """
    plan = FollowPlan(results=[])
    live: dict[str, list[int]] = {}

    def current(user: str) -> list[int]:
        if user not in live:
            c = counts.get(user, FollowCounts())
            live[user] = [c.followers, c.following, c.mutual]
        return live[user]

    for to_id in to_ids:
        if to_id not in existing:
            plan.results.append(ItemResult(to_id, Code.SNS_ACCOUNT_NOT_FOUND, Reason.NO_ACCOUNT))
            continue
        if to_id in i_follow:
            plan.results.append(ItemResult.ok(to_id))
            continue
        me, peer = current(from_id), current(to_id)
        mutual = to_id in follow_me
        if _reached(me[1], caps.max_following):
            plan.results.append(
                ItemResult(to_id, Code.FOLLOW_MY_FOLLOWING_FULL, Reason.MY_FOLLOWING_FULL)
            )
        elif _reached(peer[0], caps.max_followers):
            plan.results.append(
                ItemResult(to_id, Code.FOLLOW_PEER_FOLLOWERS_FULL, Reason.PEER_FOLLOWERS_FULL)
            )
        elif mutual and _reached(me[2], caps.max_mutual):
            plan.results.append(
                ItemResult(to_id, Code.FOLLOW_MY_MUTUAL_FULL, Reason.MY_MUTUAL_FULL)
            )
        elif mutual and _reached(peer[2], caps.max_mutual):
            plan.results.append(
                ItemResult(to_id, Code.FOLLOW_PEER_MUTUAL_FULL, Reason.PEER_MUTUAL_FULL)
            )
        else:
            plan.results.append(ItemResult.ok(to_id))
            plan.edges.append((from_id, to_id))
            me[1] += 1
            peer[0] += 1
            plan.bump(from_id, following=1)
            plan.bump(to_id, followers=1)
            if mutual:
                me[2] += 1
                peer[2] += 1
                plan.mutual_pairs.append((from_id, to_id))
                plan.bump(from_id, mutual=1)
                plan.bump(to_id, mutual=1)
    return plan


def plan_unfollows(
    from_id: str,
    to_ids: Sequence[str],
    *,
    existing: Collection[str],
    i_follow: Collection[str],
    follow_me: Collection[str],
) -> FollowPlan:
    """Decide follow_delete for distinct ``to_ids``: 30003 for missing accounts, else 0 (also
    when not followed: unfollowing is idempotent)."""
    plan = FollowPlan(results=[])
    for to_id in to_ids:
        if to_id not in existing:
            plan.results.append(ItemResult(to_id, Code.SNS_ACCOUNT_NOT_FOUND, Reason.NO_ACCOUNT))
            continue
        plan.results.append(ItemResult.ok(to_id))
        if to_id in i_follow:
            plan.edges.append((from_id, to_id))
            plan.bump(from_id, following=-1)
            plan.bump(to_id, followers=-1)
            if to_id in follow_me:
                plan.mutual_pairs.append((from_id, to_id))
                plan.bump(from_id, mutual=-1)
                plan.bump(to_id, mutual=-1)
    return plan


# ---------------------------------------------------------------------------------------------
# the profile of a listed account


def profile_tag_order(tags: Sequence[str], custom_tags: Sequence[str]) -> tuple[str, ...]:
    """The tags a follow_get item may carry, in order: the configured ``tags``, then every
    registered custom tag not already among them."""
    seen = set(tags)
    return (*tags, *(tag for tag in custom_tags if tag not in seen))


def profile_items(
    values: Mapping[str, Any], tags: Sequence[str], custom_tags: Sequence[str]
) -> list[tuple[str, Any]]:
    """The ``(tag, value)`` pairs of a listed account: the tags of :func:`profile_tag_order`
    that the account has set."""
    return [(tag, values[tag]) for tag in profile_tag_order(tags, custom_tags) if tag in values]
