"""Webhooks: callback payloads (pure), the before-callbacks, the sender and the dispatcher that
delivers the after-callbacks from the event log (docs/webhooks.md)."""

from relchain.webhooks._dispatcher import CALLBACK_KINDS, Dispatcher, DispatchObserver
from relchain.webhooks._payloads import (
    EVENT_ID_PARAM,
    PrevFriendItem,
    after_callback,
    answer_problem,
    callback_query,
    prev_friend_add_body,
    prev_friend_response_body,
    prev_vetoes,
)
from relchain.webhooks._prev import PrevCallbacks, Vetoes
from relchain.webhooks._sender import HttpSender

__all__ = [
    "CALLBACK_KINDS",
    "EVENT_ID_PARAM",
    "DispatchObserver",
    "Dispatcher",
    "HttpSender",
    "PrevCallbacks",
    "PrevFriendItem",
    "Vetoes",
    "after_callback",
    "answer_problem",
    "callback_query",
    "prev_friend_add_body",
    "prev_friend_response_body",
    "prev_vetoes",
]
