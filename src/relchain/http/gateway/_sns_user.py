"""The Web SDK's friend-request commands, which have no REST API of their own:
``sns.pendency_get`` (the requests to and from the user) and ``sns.friend_response`` (accept,
accept-and-add, refuse). Handlers in the REST handlers' shape, over the same services."""

from __future__ import annotations

from typing import Any

from relchain.domain.errors import SNS, Code
from relchain.domain.results import ItemResult, Reason
from relchain.domain.sns.requests import FriendRequest
from relchain.domain.sns.rules import MAX_BATCH, MAX_REMARK_BYTES, list_name_problem
from relchain.http.api import Api
from relchain.http.call import Call
from relchain.http.handlers._sns import SNS_TEXTS, limits_of
from relchain.http.handlers.friends import ADD_TEXTS
from relchain.http.handlers.lists import ADD_TEXTS as LIST_TEXTS
from relchain.http.wire import Body, fail_accounts, items_result, result_items

__all__ = ["USER_APIS"]

COME_IN = "Pendency_Type_ComeIn"
SEND_OUT = "Pendency_Type_SendOut"
BOTH = "Pendency_Type_Both"
PENDENCY_TYPES = (COME_IN, SEND_OUT, BOTH)
DEFAULT_PAGE = 100
MAX_PAGE = 1000

TEXTS = {**SNS_TEXTS, **ADD_TEXTS}

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
    """The newest ``MaxLimited`` requests (default 100) of the asked kind, newest first, and
    how many of the incoming ones came after the user last marked them read."""
    body = call.body
    user = body.account("From_Account")
    kind = body.string("PendencyType", default=BOTH)
    if kind not in PENDENCY_TYPES:
        raise body.bad("PendencyType", f"must be one of {', '.join(PENDENCY_TYPES)}, got {kind!r}")
    body.integer("StartTime", low=0)
    body.integer("LastSequence", low=0)
    limit = body.integer("MaxLimited", default=DEFAULT_PAGE, low=0, high=MAX_PAGE) or DEFAULT_PAGE
    items: list[tuple[int, dict[str, Any]]] = []
    read_at = await call.ctx.requests.read_at(call.sdkappid, user)
    unread = 0
    for incoming in (True, False):
        if kind == (SEND_OUT if incoming else COME_IN):
            continue
        found = await call.ctx.requests.list(call.sdkappid, user, incoming=incoming, limit=limit)
        unread += sum(1 for r in found if r.created_at > read_at) if incoming else 0
        items += [(r.created_at, _pendency_item(r, incoming)) for r in found]
    items.sort(key=lambda pair: pair[0], reverse=True)
    return {
        "PendencyItem": [item for _, item in items[:limit]],
        "StartTime": 0,
        "CurrentSequence": 0,
        "UnreadPendencyCount": unread,
    }


async def pendency_report(call: Call) -> dict[str, Any]:
    """Mark the incoming requests read up to ``LatestPendencyTimeStamp`` (Unix seconds; absent
    or 0: now). The unread count of ``pendency_get`` counts only later ones."""
    body = call.body
    user = body.account("From_Account")
    time = body.integer("LatestPendencyTimeStamp", low=0) or call.now
    await call.ctx.requests.mark_read(call.sdkappid, user, time, origin=call.origin)
    return {}


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
    results: list[ItemResult] = []
    for requester, action, remark, group in plans:
        if action == REJECT:
            changes = await call.ctx.requests.reject(
                call.sdkappid, user, requester, origin=call.origin
            )
            results.append(_dropped(requester, bool(changes.requests_removed)))
            continue
        outcome = await call.ctx.requests.accept(
            call.sdkappid,
            user,
            requester,
            both=action == AGREE_AND_ADD,
            remark=remark,
            group=group,
            limits=limits_of(call),
            origin=call.origin,
        )
        results += outcome.results
    return items_result(results, TEXTS)


def _dropped(other: str, found: bool) -> ItemResult:
    return (
        ItemResult.ok(other) if found else ItemResult(other, Code.SNS_BAD_PARAM, Reason.NO_REQUEST)
    )


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
        changes = await call.ctx.requests.delete(
            call.sdkappid, user, other, incoming=kind == COME_IN, origin=call.origin
        )
        results.append(_dropped(other, bool(changes.requests_removed)))
    return items_result(results, TEXTS)


UPDATE_ADD = "Update_Type_Add"
UPDATE_DELETE = "Update_Type_Delete"


def _list_name(body: Body, name: str) -> str:
    value = body.string(name, required=True)
    problem = list_name_problem(value)
    if problem:
        raise body.bad(name, f"friend list name {problem}")
    return value


async def group_update(call: Call) -> dict[str, Any]:
    """The SDK's friend-list edits: rename (``GroupOldName`` -> ``GroupNewName``), or put
    friends in / take them out of the list (``UpdateGroupItem[].UpdateType``)."""
    body = call.body
    user = body.account("From_Account")
    name = _list_name(body, "GroupOldName")
    if body.has("GroupNewName"):
        new = _list_name(body, "GroupNewName")
        outcome = await call.ctx.lists.rename(call.sdkappid, user, name, new, origin=call.origin)
        return {"CurrentSequence": outcome.sequence}
    changes: list[tuple[str, str]] = []
    for item in body.objects("UpdateGroupItem", max_items=MAX_BATCH):
        kind = item.string("UpdateType", required=True)
        if kind not in (UPDATE_ADD, UPDATE_DELETE):
            raise item.bad("UpdateType", f"must be {UPDATE_ADD} or {UPDATE_DELETE}, got {kind!r}")
        changes.append((item.account("To_Account"), kind))
    lists, sequence = await call.ctx.lists.get(call.sdkappid, user, [name])
    if not lists:
        raise body.bad("GroupOldName", f"no friend list named {name!r}")
    adds = [to for to, kind in changes if kind == UPDATE_ADD]
    removes = [to for to, kind in changes if kind == UPDATE_DELETE]
    done: dict[tuple[str, str], ItemResult] = {}
    if adds:
        outcome = await call.ctx.lists.add(
            call.sdkappid, user, [name], adds, limits=limits_of(call), origin=call.origin
        )
        done.update(((r.account, UPDATE_ADD), r) for r in outcome.results)
        sequence = outcome.sequence
    if removes:
        outcome = await call.ctx.lists.remove_members(
            call.sdkappid, user, name, removes, origin=call.origin
        )
        done.update(((r.account, UPDATE_DELETE), r) for r in outcome.results)
        sequence = outcome.sequence
    answered = result_items([done[change] for change in changes], LIST_TEXTS)
    for entry, (_, kind) in zip(answered, changes, strict=True):
        entry["UpdateType"] = kind
    return {"ResultItem": answered, **fail_accounts(answered), "CurrentSequence": sequence}


USER_APIS: tuple[Api, ...] = (
    Api(
        "sns/pendency_report",
        SNS,
        pendency_report,
        '{"From_Account":"id","LatestPendencyTimeStamp":1700000000}',
    ),
    Api(
        "sns/group_update",
        SNS,
        group_update,
        '{"From_Account":"id","GroupOldName":"work",'
        '"UpdateGroupItem":[{"To_Account":"id1","UpdateType":"Update_Type_Add"}]}',
    ),
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
