"""Per-item results of batch calls: one type for every API, carrying a reason, never wire text.

A batch call answers each item with a code and a text (``ResultCode``, ``ResultInfo``). The
domain decides the code and *why* (a :class:`Reason`); ``relchain.http`` writes the text for
each reason of each API, so the same reason can read as Tencent writes it for that API.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from relchain.domain.errors import Code

__all__ = ["ItemResult", "Reason"]


class Reason(Enum):
    """Why an item got its code."""

    OK = "ok"
    SELF = "the item is the caller itself"
    DUPLICATE = "the item is listed more than once"
    NO_ACCOUNT = "no such account"
    # friends
    FRIEND_EXISTS = "already a friend"
    NOT_FRIEND = "not a friend"
    MY_FRIENDS_FULL = "the caller has the most friends allowed"
    PEER_FRIENDS_FULL = "the other account has the most friends allowed"
    TOO_MANY_LISTS = "past the cap of friend lists"
    TOO_MANY_PENDING = "the caller has the most pending requests allowed"
    PEER_IN_MY_BLOCKLIST = "the other account is on the caller's blocklist"
    IN_PEER_BLOCKLIST = "the caller is on the other account's blocklist"
    PEER_DENY_ANY = "the other account accepts no friend requests"
    PENDING = "a pending request was stored"
    NO_REQUEST = "no pending friend request"
    # blocklists
    ALREADY_BLOCKED = "already on the blocklist"
    BLOCKLIST_FULL = "the blocklist is full"
    # follows
    MY_FOLLOWING_FULL = "the caller follows the most accounts allowed"
    PEER_FOLLOWERS_FULL = "the other account has the most followers allowed"
    MY_MUTUAL_FULL = "the caller has the most mutual follows allowed"
    PEER_MUTUAL_FULL = "the other account has the most mutual follows allowed"


@dataclass(frozen=True, slots=True)
class ItemResult:
    """One item's outcome: the account it is about, its wire code and the reason."""

    account: str
    code: Code
    reason: Reason = Reason.OK

    @classmethod
    def ok(cls, account: str) -> ItemResult:
        return cls(account, Code.OK, Reason.OK)
