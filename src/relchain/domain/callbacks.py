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
    "BACKOFF_FIRST_MS",
    "BACKOFF_MAX_MS",
    "PREV_COMMANDS",
    "PREV_FAILED_CODE",
    "VETO_CODES",
    "Answer",
    "CallbackCommand",
    "Delivery",
    "DeliveryState",
    "Failure",
    "NewDelivery",
    "after_failure",
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


class DeliveryState(StrEnum):
    PENDING = "pending"  # not tried yet
    FAILED = "failed"  # tried, failed, retried later
    DELIVERED = "delivered"
    DEAD = "dead"  # failed for the whole retry window (``relchain webhooks retry --dead``)


@dataclass(frozen=True, slots=True)
class Delivery:
    """One after-callback of one event, as the queue keeps it (``body`` is the JSON text)."""

    sdkappid: int
    event_id: int
    command: str
    account: str
    body: str
    platform: str
    client_ip: str
    event_ms: int
    attempts: int
    created_ms: int


@dataclass(frozen=True, slots=True)
class NewDelivery:
    event_id: int
    command: str
    account: str
    body: str
    platform: str
    client_ip: str
    event_ms: int


@dataclass(frozen=True, slots=True)
class Failure:
    """A failed delivery as ``relchain webhooks status`` lists it, with the last answer."""

    event_id: int
    command: str
    state: str
    attempts: int
    next_ms: int
    last_answer: str


BACKOFF_FIRST_MS = 1000
BACKOFF_MAX_MS = 300_000


def after_failure(
    attempts: int, created_ms: int, now_ms: int, retry_seconds: int
) -> tuple[DeliveryState, int]:
    """What becomes of a delivery whose try number ``attempts`` failed at ``now_ms``: retried
    (``FAILED``) at the returned time, with exponential backoff (1 s, 2 s, 4 s ... 5 min), or
    ``DEAD`` once the app's retry window from ``created_ms`` is over (or would be before the
    next try)."""
    delay = min(BACKOFF_FIRST_MS << min(max(attempts - 1, 0), 20), BACKOFF_MAX_MS)
    next_ms = now_ms + delay
    if next_ms > created_ms + retry_seconds * 1000:
        return DeliveryState.DEAD, 0
    return DeliveryState.FAILED, next_ms
