"""Follow rules: list kinds, relation types, batch limits, caps and the ``follow_get`` cursor.

Pure (stdlib only): no I/O, no clock. Storage backends feed :func:`plan_follows` what they read
inside their write transaction and apply what it returns, so every backend decides the same way.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, NamedTuple

from relchain.domain.accounts import userid_problem
from relchain.domain.errors import ApiError, Code

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
    "cap_info",
    "decode_cursor",
    "encode_cursor",
    "follow_type",
    "plan_follows",
    "plan_unfollows",
    "profile_items",
    "profile_tag_order",
]

MAX_WRITE = 20  # follow_add FollowItem / follow_delete To_Account
MAX_CHECK = 100  # follow_check To_Account
MAX_GET_INFO = 20  # follow_get_info To_Account
DEFAULT_WANT_NUM = 100
MAX_WANT_NUM = 1000


class ListKind(IntEnum):
    """``follow_get`` ``FollowType``: which list of ``From_Account`` to page through."""

    FANS = 1  # accounts that follow From_Account
    FOLLOWING = 2  # accounts From_Account follows
    MUTUAL = 3  # both


class FollowType(IntEnum):
    """``follow_check`` ``FollowType``: the relation of To_Account to From_Account."""

    NONE = 0
    FAN = 1  # To follows From
    FOLLOWING = 2  # From follows To
    MUTUAL = 3


def follow_type(i_follow: bool, follows_me: bool) -> FollowType:
    """The ``follow_check`` value for the two directions of one pair."""
    return FollowType((2 if i_follow else 0) | (1 if follows_me else 0))


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
    """What one follow_add / follow_delete does: a code per target and the rows to change.

    ``edges`` are the (follower, followee) pairs to insert or delete, ``mutual_pairs`` the pairs
    that become (or stop being) mutual, ``deltas`` the counter changes per user as
    ``(followers, following, mutual)``.
    """

    codes: list[int]
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
    plan = FollowPlan(codes=[])
    live: dict[str, list[int]] = {}

    def current(user: str) -> list[int]:
        if user not in live:
            c = counts.get(user, FollowCounts())
            live[user] = [c.followers, c.following, c.mutual]
        return live[user]

    for to_id in to_ids:
        if to_id not in existing:
            plan.codes.append(Code.SNS_ACCOUNT_NOT_FOUND)
            continue
        if to_id in i_follow:
            plan.codes.append(Code.OK)
            continue
        me, peer = current(from_id), current(to_id)
        mutual = to_id in follow_me
        if _reached(me[1], caps.max_following):
            plan.codes.append(Code.FOLLOW_MY_FOLLOWING_FULL)
        elif _reached(peer[0], caps.max_followers):
            plan.codes.append(Code.FOLLOW_PEER_FOLLOWERS_FULL)
        elif mutual and _reached(me[2], caps.max_mutual):
            plan.codes.append(Code.FOLLOW_MY_MUTUAL_FULL)
        elif mutual and _reached(peer[2], caps.max_mutual):
            plan.codes.append(Code.FOLLOW_PEER_MUTUAL_FULL)
        else:
            plan.codes.append(Code.OK)
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
    plan = FollowPlan(codes=[])
    for to_id in to_ids:
        if to_id not in existing:
            plan.codes.append(Code.SNS_ACCOUNT_NOT_FOUND)
            continue
        plan.codes.append(Code.OK)
        if to_id in i_follow:
            plan.edges.append((from_id, to_id))
            plan.bump(from_id, following=-1)
            plan.bump(to_id, followers=-1)
            if to_id in follow_me:
                plan.mutual_pairs.append((from_id, to_id))
                plan.bump(from_id, mutual=-1)
                plan.bump(to_id, mutual=-1)
    return plan


def cap_info(code: int, caps: FollowCaps) -> str:
    """``ResultInfo`` of a per-item cap failure."""
    if code == Code.FOLLOW_MY_FOLLOWING_FULL:
        return f"From_Account: already follows the most accounts allowed ({caps.max_following})"
    if code == Code.FOLLOW_PEER_FOLLOWERS_FULL:
        return f"To_Account: already has the most followers allowed ({caps.max_followers})"
    if code == Code.FOLLOW_MY_MUTUAL_FULL:
        return f"From_Account: already has the most mutual follows allowed ({caps.max_mutual})"
    if code == Code.FOLLOW_PEER_MUTUAL_FULL:
        return f"To_Account: already has the most mutual follows allowed ({caps.max_mutual})"
    raise ValueError(f"not a cap code: {code}")


# ---------------------------------------------------------------------------------------------
# follow_get ProfileItem


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


# ---------------------------------------------------------------------------------------------
# follow_get cursor: opaque, URL-safe, bound to (app, From_Account, FollowType)

_CURSOR_VERSION = 1
_HEADER = struct.Struct(">BBq")  # version, list kind, time
_TAG_BYTES = 8
_CURSOR_KEY = b"relchain/follow_get/cursor/v1"
_MAX_CURSOR_CHARS = 128


def _cursor_tag(payload: bytes, sdkappid: int, from_id: str) -> bytes:
    scope = f"{sdkappid}\x00{from_id}".encode()
    return hashlib.blake2b(
        payload + b"\x00" + scope, digest_size=_TAG_BYTES, key=_CURSOR_KEY
    ).digest()


def encode_cursor(sdkappid: int, from_id: str, kind: ListKind, after: Position) -> str:
    """The ``NextCursor`` that continues the list after ``after``.

    base64url (no padding) of version, kind, time, account and a checksum that binds the cursor
    to this app, user and list, so a cursor of another list, or a damaged one, is refused.
    """
    payload = _HEADER.pack(_CURSOR_VERSION, int(kind), after.time) + after.account.encode("ascii")
    raw = payload + _cursor_tag(payload, sdkappid, from_id)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode_cursor(sdkappid: int, from_id: str, kind: ListKind, token: str) -> Position | None:
    """The position a ``StartCursor`` continues after; ``None`` for ``""`` (the first page).

    Raises 30001 naming ``StartCursor`` when the cursor is malformed or was not issued for this
    app, ``From_Account`` and ``FollowType``.
    """
    if token == "":
        return None

    def bad(why: str) -> ApiError:
        return ApiError(Code.SNS_BAD_PARAM, f"StartCursor: {why}")

    if len(token) > _MAX_CURSOR_CHARS or not token.isascii():
        raise bad("not a cursor issued by follow_get")
    try:
        raw = base64.b64decode(token + "=" * (-len(token) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise bad("not a cursor issued by follow_get") from None
    if len(raw) <= _HEADER.size + _TAG_BYTES:
        raise bad("not a cursor issued by follow_get")
    payload, tag = raw[:-_TAG_BYTES], raw[-_TAG_BYTES:]
    version, raw_kind, time = _HEADER.unpack_from(payload)
    if version != _CURSOR_VERSION:
        raise bad("not a cursor issued by follow_get")
    if not hmac.compare_digest(tag, _cursor_tag(payload, sdkappid, from_id)):
        raise bad("not a cursor of this From_Account's list (or damaged)")
    if raw_kind != int(kind):
        raise bad(f"issued for FollowType {raw_kind}, not {int(kind)}")
    account = payload[_HEADER.size :].decode("ascii", errors="replace")
    if userid_problem(account) is not None:
        raise bad("not a cursor issued by follow_get")
    return Position(time, account)
