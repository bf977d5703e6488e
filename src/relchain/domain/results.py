"""Per-item results of batch calls: one type for every API, carrying a reason, never wire text.

A batch call answers each item with a code and a text (``ResultCode``, ``ResultInfo``). The
domain decides the code and *why* (a :class:`Reason`); ``relchain.http`` writes the text for
each reason of each API, so the same reason can read as Tencent writes it for that API.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from enum import Enum, auto
from typing import NamedTuple

from relchain.domain.errors import Code

__all__ = ["ItemResult", "Reason", "results_for"]


class Reason(Enum):
    """Why an item got its code (``relchain.http`` has each API's text for each reason)."""

    OK = auto()  # ok
    SELF = auto()  # the item is the caller itself
    DUPLICATE = auto()  # the item is listed more than once
    NO_ACCOUNT = auto()  # no such account
    # friends
    FRIEND_EXISTS = auto()  # already a friend
    NOT_FRIEND = auto()  # not a friend
    MY_FRIENDS_FULL = auto()  # the caller has the most friends allowed
    PEER_FRIENDS_FULL = auto()  # the other account has the most friends allowed
    TOO_MANY_LISTS = auto()  # past the cap of friend lists
    TOO_MANY_PENDING = auto()  # the caller has the most pending requests allowed
    PEER_IN_MY_BLOCKLIST = auto()  # the other account is on the caller's blocklist
    IN_PEER_BLOCKLIST = auto()  # the caller is on the other account's blocklist
    PEER_DENY_ANY = auto()  # the other account accepts no friend requests
    PENDING = auto()  # a pending request was stored
    NO_REQUEST = auto()  # no pending friend request
    # blocklists
    ALREADY_BLOCKED = auto()  # already on the blocklist
    BLOCKLIST_FULL = auto()  # the blocklist is full
    # follows
    MY_FOLLOWING_FULL = auto()  # the caller follows the most accounts allowed
    PEER_FOLLOWERS_FULL = auto()  # the other account has the most followers allowed
    MY_MUTUAL_FULL = auto()  # the caller has the most mutual follows allowed
    PEER_MUTUAL_FULL = auto()  # the other account has the most mutual follows allowed


class ItemResult(NamedTuple):
    """One item's outcome: the account it is about, its wire code and the reason. (A tuple:
    batches build up to a thousand of them per request, and tuples are the cheapest.)"""

    account: str
    code: Code
    reason: Reason = Reason.OK

    @classmethod
    def ok(cls, account: str) -> ItemResult:
        return cls(account, Code.OK, Reason.OK)


def results_for(
    accounts: Sequence[str], ok: Container[str], code: Code, reason: Reason
) -> list[ItemResult]:
    """A result per item of ``accounts``: OK for those in ``ok``, else ``code`` for ``reason``."""
    return [ItemResult.ok(a) if a in ok else ItemResult(a, code, reason) for a in accounts]
