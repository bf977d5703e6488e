"""Webhook (callback) commands and the rules of their settings and answers (pure).

relchain sends Tencent's relationship-chain callbacks: the *after* callbacks from the event log
(delivered at least once, see docs/webhooks.md) and the two *before* callbacks of friend
requests made by users themselves (synchronous: the app may veto each item).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "AFTER_COMMANDS",
    "PREV_COMMANDS",
    "PREV_FAILED_CODE",
    "VETO_CODES",
    "Answer",
    "CallbackCommand",
    "is_veto",
    "sign",
]


class CallbackCommand(StrEnum):
    FOLLOW_ADD = "Follow.CallbackAfterFollowAdd"
    FOLLOW_DELETE = "Follow.CallbackAfterFollowDelete"
    FRIEND_ADD = "Sns.CallbackFriendAdd"
    FRIEND_DELETE = "Sns.CallbackFriendDelete"
    BLOCK_ADD = "Sns.CallbackBlackListAdd"
    BLOCK_DELETE = "Sns.CallbackBlackListDelete"
    PORTRAIT_SET = "Profile.CallbackPortraitSet"
    PREV_FRIEND_ADD = "Sns.CallbackPrevFriendAdd"
    PREV_FRIEND_RESPONSE = "Sns.CallbackPrevFriendResponse"


PREV_COMMANDS = frozenset({CallbackCommand.PREV_FRIEND_ADD, CallbackCommand.PREV_FRIEND_RESPONSE})
AFTER_COMMANDS = tuple(c for c in CallbackCommand if c not in PREV_COMMANDS)

VETO_CODES = range(38000, 39001)  # a before-callback's ResultCode / ErrorCode that refuses
# The item code when a before-callback fails (timeout, error, bad answer) and the app's
# callback_prev_on_failure is ``deny``: the top of the veto range, so SDKs treat it as a veto.
PREV_FAILED_CODE = 39000


def is_veto(code: object) -> bool:
    """Whether a before-callback answer's code refuses (an int in [38000, 39000])."""
    return isinstance(code, int) and not isinstance(code, bool) and code in VETO_CODES


def sign(token: str, request_time: int) -> str:
    """The ``Sign`` query parameter: lowercase hex sha256 of the token then the time's digits."""
    return hashlib.sha256(f"{token}{request_time}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Answer:
    """What a callback receiver answered: the HTTP status and body, or ``error`` (timeout,
    refused connection, ...) when there was no answer."""

    status: int = 0
    text: str = ""
    error: str = ""
