"""The Web SDK's friend-request commands, which have no REST API of their own:
``sns.pendency_get`` (the requests to and from the user), ``sns.pendency_delete`` (withdraw or
drop) and ``sns.friend_response`` (accept, accept-and-add, refuse). Handlers in the REST
handlers' shape, over the same services."""

from __future__ import annotations

from typing import Any

from relchain.domain.errors import SNS, Code
from relchain.domain.friends import MAX_BATCH, MAX_REMARK_BYTES, FriendRequest
from relchain.http.api import Api
from relchain.http.call import Call
from relchain.http.handlers.friends import items_result, limits_of

__all__ = ["USER_APIS"]

COME_IN = "Pendency_Type_ComeIn"
SEND_OUT = "Pendency_Type_SendOut"
BOTH = "Pendency_Type_Both"
PENDENCY_TYPES = (COME_IN, SEND_OUT, BOTH)
DEFAULT_PAGE = 100
MAX_PAGE = 1000

AGREE = "Response_Action_Agree"
AGREE_AND_ADD = "Response_Action_AgreeAndAdd"
REJECT = "Response_Action_Reject"
ACTIONS = (AGREE, AGREE_AND_ADD, REJECT)


def _pendency_item(request: FriendRequest, incoming: bool) -> dict[str, Any]:
    return {
        "To_Account": request.requester if incoming else request.target,
        "PendencyType": COME_IN if incoming else SEND_OUT,
        "AddSource": request.add_source,
        "AddWording": request.add_wording,
        "AddTime": request.created_at,
    }


async def pendency_get(call: Call) -> dict[str, Any]:
    """The newest ``MaxLimited`` requests (default 100) of the asked kind, newest first."""
    body = call.body
    user = body.account("From_Account")
    kind = body.string("PendencyType", default=BOTH)
    if kind not in PENDENCY_TYPES:
        raise body.bad("PendencyType", f"must be one of {', '.join(PENDENCY_TYPES)}, got {kind!r}")
    body.integer("StartTime", low=0)
    body.integer("LastSequence", low=0)
    limit = body.integer("MaxLimited", default=DEFAULT_PAGE, low=0, high=MAX_PAGE) or DEFAULT_PAGE
    items: list[tuple[int, dict[str, Any]]] = []
    incoming_count = 0
    for incoming in (True, False):
        if kind == (SEND_OUT if incoming else COME_IN):
            continue
        found = await call.ctx.friends.requests(call.sdkappid, user, incoming=incoming, limit=limit)
        incoming_count += len(found) if incoming else 0
        items += [(r.created_at, _pendency_item(r, incoming)) for r in found]
    items.sort(key=lambda pair: pair[0], reverse=True)
    return {
        "PendencyItem": [item for _, item in items[:limit]],
        "StartTime": 0,
        "CurrentSequence": 0,
        "UnreadPendencyCount": incoming_count,
    }


async def friend_response(call: Call) -> dict[str, Any]:
    """Answer requests made to the user: Agree (the requester gets the user as a friend),
    AgreeAndAdd (both ways), Reject (the request is dropped)."""
    body = call.body
    user = body.account("From_Account")
    plans = []
    for item in body.objects("ResponseFriendItem", max_items=MAX_BATCH):
        requester = item.account("To_Account")
        action = item.string("ResponseAction", required=True)
        if action not in ACTIONS:
            raise item.bad("ResponseAction", f"must be one of {', '.join(ACTIONS)}, got {action!r}")
        remark = item.string("Remark", max_bytes=MAX_REMARK_BYTES)
        group = item.string("TagName")
        plans.append((requester, action, remark, group))
    results = []
    for requester, action, remark, group in plans:
        if action == REJECT:
            found = await call.ctx.friends.reject(call.sdkappid, user, requester)
            results.append(_dropped(requester, found))
            continue
        results.append(
            await call.ctx.friends.accept(
                call.sdkappid,
                user,
                requester,
                both=action == AGREE_AND_ADD,
                remark=remark,
                group=group,
                limits=limits_of(call),
            )
        )
    return items_result(results)


async def pendency_delete(call: Call) -> dict[str, Any]:
    """Delete requests: ``Pendency_Type_ComeIn`` the ones these users sent the user (dropped
    unanswered), ``Pendency_Type_SendOut`` the user's own to them (withdrawn)."""
    body = call.body
    user = body.account("From_Account")
    kind = body.string("PendencyType", required=True)
    if kind not in (COME_IN, SEND_OUT):
        raise body.bad("PendencyType", f"must be {COME_IN} or {SEND_OUT}, got {kind!r}")
    others = body.accounts("To_Account", max_items=MAX_BATCH)
    results = []
    for other in others:
        target, requester = (user, other) if kind == COME_IN else (other, user)
        found = await call.ctx.friends.reject(call.sdkappid, target, requester)
        results.append(_dropped(other, found))
    return items_result(results)


def _dropped(other: str, found: bool) -> tuple[str, int, str]:
    if found:
        return (other, 0, "")
    return (other, Code.SNS_BAD_PARAM, f"To_Account: no pending request with {other!r}")


USER_APIS: tuple[Api, ...] = (
    Api(
        "sns/pendency_delete",
        SNS,
        pendency_delete,
        '{"From_Account":"id","PendencyType":"Pendency_Type_SendOut","To_Account":["id1"]}',
    ),
    Api(
        "sns/pendency_get",
        SNS,
        pendency_get,
        '{"From_Account":"id","PendencyType":"Pendency_Type_Both","StartTime":0,'
        '"MaxLimited":100,"LastSequence":0}',
    ),
    Api(
        "sns/friend_response",
        SNS,
        friend_response,
        '{"From_Account":"id","ResponseFriendItem":[{"To_Account":"id1",'
        '"ResponseAction":"Response_Action_AgreeAndAdd","Remark":"","TagName":""}]}',
    ),
)
