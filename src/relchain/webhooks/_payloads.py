"""Callback payloads (pure): the after-callbacks of a logged event, the bodies of the two
before-callbacks, the URL query of a callback, and how an answer is read.

Bodies follow Tencent's documented samples field by field; every body also has ``EventTime``
(milliseconds; documented for the follow and profile callbacks, an extra field for the others).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from relchain.domain.callbacks import Answer, CallbackCommand, is_veto, sign
from relchain.domain.events import Event, EventKind, Origin

__all__ = [
    "EVENT_ID_PARAM",
    "PrevFriendItem",
    "after_callback",
    "answer_problem",
    "callback_query",
    "prev_friend_add_body",
    "prev_friend_response_body",
    "prev_vetoes",
]

EVENT_ID_PARAM = "EventId"  # the stable id of an after-callback's event (de-duplication)

# ClientCmd of Sns.CallbackFriendAdd: the REST API's command name, or the client's
CLIENT_CMDS = {"friend_add": "FriendAdd", "friend_response": "FriendResponse"}


def _pairs(pairs: Iterable[Sequence[str]]) -> list[dict[str, str]]:
    return [{"From_Account": f, "To_Account": t} for f, t in pairs]


def _friend_add(event: Event) -> dict[str, Any] | None:
    data = event.data
    cmd = str(data.get("client_cmd", "friend_add"))
    if cmd == "friend_import":  # Tencent: importing friends never fires Sns.CallbackFriendAdd
        return None
    initiator = str(data.get("initiator", event.account))
    origin = event.origin
    return {
        "PairList": [
            {"From_Account": f, "To_Account": t, "Initiator_Account": initiator}
            for f, t in data.get("pairs", ())
        ],
        "ClientCmd": CLIENT_CMDS.get(cmd, cmd) if origin.user_initiated else cmd,
        "Admin_Account": "" if origin.user_initiated else origin.operator,
        "ForceFlag": int(data.get("force", 0)),
    }


def after_callback(event: Event) -> tuple[CallbackCommand, dict[str, Any]] | None:
    """The after-callback an event fires, as (command, body); ``None`` when it fires none."""
    kind, account, peers = event.kind, event.account, list(event.peers)
    body: dict[str, Any] | None
    if kind is EventKind.FOLLOW_ADDED:
        command = CallbackCommand.FOLLOW_ADD
        body = {"From_Account": account, "FollowList": [{"To_Account": p} for p in peers]}
    elif kind is EventKind.FOLLOW_DELETED:
        command = CallbackCommand.FOLLOW_DELETE
        body = {"From_Account": account, "To_Account": peers}
    elif kind is EventKind.FRIEND_ADDED:
        command = CallbackCommand.FRIEND_ADD
        body = _friend_add(event)
    elif kind is EventKind.FRIEND_DELETED:
        command = CallbackCommand.FRIEND_DELETE
        body = {"PairList": _pairs(event.data.get("pairs", ()))}
    elif kind is EventKind.BLOCK_ADDED:
        command = CallbackCommand.BLOCK_ADD
        body = {"PairList": _pairs((account, p) for p in peers)}
    elif kind is EventKind.BLOCK_DELETED:
        command = CallbackCommand.BLOCK_DELETE
        body = {"PairList": _pairs((account, p) for p in peers)}
    elif kind is EventKind.PROFILE_SET:
        command = CallbackCommand.PORTRAIT_SET
        body = {
            "Operator_Account": event.origin.operator or account,
            "From_Account": account,
            "ProfileItem": [
                {"Tag": item["Tag"], "Value": item["Value"]} for item in event.data.get("items", ())
            ],
        }
    else:
        return None
    if body is None:
        return None
    return command, {"CallbackCommand": str(command), **body, "EventTime": event.time_ms}


def callback_query(
    sdkappid: int,
    command: str,
    origin: Origin,
    *,
    token: str = "",
    request_time: int = 0,
    event_id: int | None = None,
) -> list[tuple[str, str]]:
    """The query string Tencent's receivers read, in its documented order; with a token,
    ``Sign`` and ``RequestTime``; for an after-callback, ``EventId`` last."""
    query = [
        ("SdkAppid", str(sdkappid)),
        ("CallbackCommand", command),
        ("contenttype", "json"),
        ("ClientIP", origin.client_ip),
        ("OptPlatform", origin.platform or "Unknown"),
    ]
    if token:
        query += [("Sign", sign(token, request_time)), ("RequestTime", str(request_time))]
    if event_id is not None:
        query.append((EVENT_ID_PARAM, str(event_id)))
    return query


def answer_problem(answer: Answer) -> str | None:
    """Why an after-callback's answer is a failure (no answer, HTTP status other than 200, a
    body that is not a JSON object), or ``None``: delivered. Tencent ignores the ``ErrorCode``
    of an after-callback's answer, so a JSON answer with any ``ErrorCode`` is delivered."""
    if answer.error:
        return answer.error
    if answer.status != 200:
        return f"HTTP {answer.status}"
    try:
        data = orjson.loads(answer.text)
    except orjson.JSONDecodeError:
        return "answer is not JSON"
    if not isinstance(data, dict):
        return "answer is not a JSON object"
    return None


@dataclass(frozen=True, slots=True)
class PrevFriendItem:
    """One item of a before-callback: the other account and the item's wire fields."""

    to: str
    fields: Mapping[str, Any]


def prev_friend_add_body(
    user: str, items: Sequence[PrevFriendItem], add_type: str, force: int, now_ms: int
) -> dict[str, Any]:
    return {
        "CallbackCommand": str(CallbackCommand.PREV_FRIEND_ADD),
        "Requester_Account": user,
        "From_Account": user,
        "FriendItem": [{"To_Account": item.to, **item.fields} for item in items],
        "AddType": add_type,
        "ForceAddFlags": force,
        "EventTime": now_ms,
    }


def prev_friend_response_body(
    user: str, items: Sequence[PrevFriendItem], now_ms: int
) -> dict[str, Any]:
    return {
        "CallbackCommand": str(CallbackCommand.PREV_FRIEND_RESPONSE),
        "Requester_Account": user,
        "From_Account": user,
        "ResponseFriendItem": [{"To_Account": item.to, **item.fields} for item in items],
        "EventTime": now_ms,
    }


def prev_vetoes(answer: Answer, accounts: Sequence[str]) -> dict[str, tuple[int, str]] | str:
    """Read a before-callback's answer: the vetoed accounts with (ResultCode, ResultInfo), or
    the text of why the answer is unusable (then the app's failure policy decides).

    A top-level ``ErrorCode`` in [38000, 39000] vetoes every item; other non-zero ``ErrorCode``
    values are ignored (Tencent's default). A ``ResultItem`` whose ``ResultCode`` is in the
    range vetoes its ``To_Account``; items not named, or with another code, go ahead.
    """
    problem = answer_problem(answer)
    if problem is not None:
        return problem
    data = orjson.loads(answer.text)
    code = data.get("ErrorCode", 0)
    if is_veto(code):
        info = data.get("ErrorInfo")
        text = info if isinstance(info, str) else ""
        return {account: (code, text) for account in accounts}
    vetoes: dict[str, tuple[int, str]] = {}
    items = data.get("ResultItem")
    if items is None:
        return vetoes
    if not isinstance(items, list):
        return "ResultItem is not an array"
    wanted = set(accounts)
    for item in items:
        if not isinstance(item, dict):
            return "ResultItem has an entry that is not an object"
        account, result = item.get("To_Account"), item.get("ResultCode", 0)
        if account in wanted and is_veto(result):
            info = item.get("ResultInfo")
            vetoes[account] = (result, info if isinstance(info, str) else "")
    return vetoes
