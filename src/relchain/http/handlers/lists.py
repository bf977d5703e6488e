"""``v4/sns/group_*``: friend lists ("groups") add, delete, get."""

from __future__ import annotations

from typing import Any

from relchain.domain.errors import SNS, Code
from relchain.domain.results import Reason
from relchain.domain.sns.rules import MAX_BATCH, MAX_LISTS_PER_CALL, list_name_problem
from relchain.http.api import Api
from relchain.http.call import Call
from relchain.http.fields import Array, Integer, Text, UserIds
from relchain.http.handlers._sns import FROM_ACCOUNT, LIST_NAME, SNS_CODES, SNS_TEXTS, limits_of
from relchain.http.shapes import FAIL_ACCOUNT, INT, STR, array, items, obj
from relchain.http.wire import Body, Texts, items_result

__all__ = ["LIST_APIS"]

NEED_FRIEND_YES = "Need_Friend_Type_Yes"
ADD_TEXTS: Texts = {**SNS_TEXTS, Reason.NOT_FRIEND: "Err_SNS_GroupAdd_ToTinyId_Not_Friend"}

GROUP_NAMES = Array("GroupName", items=LIST_NAME, max_items=MAX_LISTS_PER_CALL)
SOME_GROUP_NAMES = Array(
    "GroupName",
    required=False,
    items=LIST_NAME,
    max_items=MAX_LISTS_PER_CALL,
    doc="only these lists (unknown names are left out); absent: every list",
)
MEMBERS = UserIds(
    "To_Account",
    required=False,
    max_items=MAX_BATCH,
    doc="friends to put into every named list",
)
NEED_FRIEND = Text(
    "NeedFriend", choices=(NEED_FRIEND_YES,), doc="list the members too (absent or empty: no)"
)
LAST_SEQUENCE = Integer("LastSequence", low=0, doc="older docs: accepted and ignored")


def _names(body: Body, spec: Array) -> list[str]:
    names = spec.read(body)
    for index, name in enumerate(names):
        problem = list_name_problem(name)
        if problem:
            raise body.bad(f"{spec.name}[{index}]", f"friend list name {problem}")
    return names


async def group_add(call: Call) -> dict[str, Any]:
    body = call.body
    user = FROM_ACCOUNT.read(body)
    names = _names(body, GROUP_NAMES)
    members = MEMBERS.read(body)
    outcome = await call.ctx.lists.add(
        call.sdkappid, user, names, members, limits=limits_of(call), origin=call.origin
    )
    extra = items_result(outcome.results, ADD_TEXTS) if members else {}
    return {**extra, "CurrentSequence": outcome.sequence}


async def group_delete(call: Call) -> dict[str, Any]:
    body = call.body
    user = FROM_ACCOUNT.read(body)
    names = _names(body, GROUP_NAMES)
    outcome = await call.ctx.lists.delete(call.sdkappid, user, names, origin=call.origin)
    return {"CurrentSequence": outcome.sequence}


async def group_get(call: Call) -> dict[str, Any]:
    body = call.body
    user = FROM_ACCOUNT.read(body)
    need_friend = body.string(NEED_FRIEND.name)  # "" is "no" too: its own text
    if need_friend and need_friend not in NEED_FRIEND.choices:
        raise body.bad(
            NEED_FRIEND.name, f"must be {NEED_FRIEND_YES} or absent, got {need_friend!r}"
        )
    LAST_SEQUENCE.read(body)  # older docs: accepted, every call answers in full
    names = _names(body, SOME_GROUP_NAMES) if body.has(SOME_GROUP_NAMES.name) else None
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
        fields=(FROM_ACCOUNT, GROUP_NAMES, MEMBERS),
        answer={
            "ResultItem": items(),
            "Fail_Account": FAIL_ACCOUNT,
            "CurrentSequence": {"type": "integer", "description": "the user's list version"},
        },
        codes=(*SNS_CODES, Code.SNS_TOO_MANY_LISTS),
        item_codes=(
            Code.OK,
            Code.SNS_BAD_PARAM,
            Code.SNS_ACCOUNT_NOT_FOUND,
            Code.SNS_GROUP_NOT_FRIEND,
        ),
        summary="Create friend lists and put friends into them",
    ),
    Api(
        "sns/group_delete",
        SNS,
        group_delete,
        '{"From_Account":"id","GroupName":["group1","group2","group3"]}',
        fields=(FROM_ACCOUNT, GROUP_NAMES),
        answer={"CurrentSequence": INT},
        codes=SNS_CODES,
        summary="Delete friend lists",
    ),
    Api(
        "sns/group_get",
        SNS,
        group_get,
        '{"From_Account":"id","NeedFriend":"Need_Friend_Type_Yes","GroupName":["group1"]}',
        fields=(FROM_ACCOUNT, NEED_FRIEND, SOME_GROUP_NAMES, LAST_SEQUENCE),
        answer={
            "ResultItem": array(
                obj(
                    ("GroupName", "FriendNumber"),
                    GroupName=STR,
                    FriendNumber=INT,
                    To_Account=array(STR, "with NeedFriend: the members"),
                )
            ),
            "CurrentSequence": INT,
        },
        codes=SNS_CODES,
        summary="From_Account's friend lists",
    ),
)
