"""``v4/sns/group_*``: friend lists ("groups") add, delete, get."""

from __future__ import annotations

from typing import Any

from relchain.domain.errors import SNS
from relchain.domain.results import Reason
from relchain.domain.sns.rules import MAX_BATCH, MAX_LISTS_PER_CALL, list_name_problem
from relchain.http.api import Api
from relchain.http.call import Call
from relchain.http.handlers._sns import SNS_TEXTS, limits_of
from relchain.http.wire import Body, Texts, items_result

__all__ = ["LIST_APIS"]

NEED_FRIEND_YES = "Need_Friend_Type_Yes"
ADD_TEXTS: Texts = {**SNS_TEXTS, Reason.NOT_FRIEND: "Err_SNS_GroupAdd_ToTinyId_Not_Friend"}


def _names(body: Body, *, required: bool) -> list[str]:
    names = body.array("GroupName", required=required, max_items=MAX_LISTS_PER_CALL)
    for index, name in enumerate(names):
        problem = list_name_problem(name)
        if problem:
            raise body.bad(f"GroupName[{index}]", f"friend list name {problem}")
    return names


async def group_add(call: Call) -> dict[str, Any]:
    body = call.body
    user = body.account("From_Account")
    names = _names(body, required=True)
    members = body.accounts("To_Account", max_items=MAX_BATCH, required=False)
    outcome = await call.ctx.lists.add(
        call.sdkappid, user, names, members, limits=limits_of(call), origin=call.origin
    )
    extra = items_result(outcome.results, ADD_TEXTS) if body.has("To_Account") and members else {}
    return {**extra, "CurrentSequence": outcome.sequence}


async def group_delete(call: Call) -> dict[str, Any]:
    body = call.body
    user = body.account("From_Account")
    names = _names(body, required=True)
    outcome = await call.ctx.lists.delete(call.sdkappid, user, names, origin=call.origin)
    return {"CurrentSequence": outcome.sequence}


async def group_get(call: Call) -> dict[str, Any]:
    body = call.body
    user = body.account("From_Account")
    need_friend = body.string("NeedFriend")
    if need_friend and need_friend != NEED_FRIEND_YES:
        raise body.bad("NeedFriend", f"must be {NEED_FRIEND_YES} or absent, got {need_friend!r}")
    body.integer("LastSequence", low=0)  # older docs: accepted, every call answers in full
    names = _names(body, required=False) if body.has("GroupName") else None
    lists, sequence = await call.ctx.lists.get(call.sdkappid, user, names or None)
    items = []
    for friend_list in lists:
        item: dict[str, Any] = {
            "GroupName": friend_list.name,
            "FriendNumber": len(friend_list.members),
        }
        if need_friend:
            item["To_Account"] = list(friend_list.members)
        items.append(item)
    return {"ResultItem": items, "CurrentSequence": sequence}


LIST_APIS: tuple[Api, ...] = (
    Api(
        "sns/group_add",
        SNS,
        group_add,
        '{"From_Account":"id","GroupName":["group1","group2","group3"],'
        '"To_Account":["id1","id2","id3"]}',
    ),
    Api(
        "sns/group_delete",
        SNS,
        group_delete,
        '{"From_Account":"id","GroupName":["group1","group2","group3"]}',
    ),
    Api(
        "sns/group_get",
        SNS,
        group_get,
        '{"From_Account":"id","NeedFriend":"Need_Friend_Type_Yes","GroupName":["group1"]}',
    ),
)
