"""``v4/sns/friend_*``: add, import, update, delete, delete_all, check (get and get_list:
:mod:`friend_reads`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from relchain.domain.errors import SNS, Code
from relchain.domain.results import Reason
from relchain.domain.sns.friends import AddRequest, FriendUpdate, ImportItem
from relchain.domain.sns.rules import (
    MAX_BATCH,
    MAX_REMARK_BYTES,
    MAX_WORDING_BYTES,
    STANDARD_SNS_TAGS,
    TAG_GROUP,
    TAG_REMARK,
    add_source_problem,
    check_custom_sns_tag,
    custom_value_problem,
    list_name_problem,
)
from relchain.http.api import Api
from relchain.http.call import Call
from relchain.http.callbacks import vetoed_adds, with_vetoes
from relchain.http.fields import Integer, Objects, Raw, Text
from relchain.http.handlers._sns import (
    ADD_SOURCE,
    CUSTOM_VALUE,
    FROM_ACCOUNT,
    LIST_NAME,
    SNS_CODES,
    SNS_TEXTS,
    TO_ACCOUNT,
    TO_ACCOUNTS,
    check_items,
    limits_of,
    relation_schema,
)
from relchain.http.handlers.friend_reads import FRIEND_READ_APIS
from relchain.http.shapes import FAIL_ACCOUNT, items
from relchain.http.wire import Body, Texts, fail_accounts, items_result

__all__ = ["ADD_TEXTS", "FRIEND_APIS"]

ADD_TYPES = {"Add_Type_Single": False, "Add_Type_Both": True}  # value: both ways
DELETE_TYPES = {"Delete_Type_Single": False, "Delete_Type_Both": True}
CHECK_TYPES = {"CheckResult_Type_Single": False, "CheckResult_Type_Both": True}

# per-item ResultInfo (Tencent's texts where documented); also for accepting a request
ADD_TEXTS: Texts = {
    **SNS_TEXTS,
    Reason.SELF: "Err_SNS_FriendAdd_Add_Self: cannot add oneself as a friend",
    Reason.FRIEND_EXISTS: "Err_SNS_FriendAdd_Friend_Exist",
    Reason.MY_FRIENDS_FULL: "Err_SNS_FriendAdd_My_Friend_Num_Exceed_Threshold",
    Reason.PEER_FRIENDS_FULL: "Err_SNS_FriendAdd_Peer_Friend_Num_Exceed_Threshold",
    Reason.TOO_MANY_LISTS: "Err_SNS_FriendAdd_Group_Num_Exceed_Threshold",
    Reason.TOO_MANY_PENDING: "Err_SNS_FriendAdd_Pendency_Num_Exceed_Threshold",
    Reason.PEER_IN_MY_BLOCKLIST: "Err_SNS_FriendAdd_Peer_In_My_BlackList",
    Reason.IN_PEER_BLOCKLIST: "Err_SNS_FriendAdd_I_In_Peer_BlackList",
    Reason.PEER_DENY_ANY: "Err_SNS_FriendAdd_Peer_Deny_Any",
    Reason.PENDING: "Err_SNS_FriendAdd_Need_Confirm: pending request stored",
    Reason.NO_REQUEST: "no pending friend request from this user",
}
IMPORT_TEXTS: Texts = {
    **ADD_TEXTS,
    Reason.FRIEND_EXISTS: "Err_SNS_FriendImport_Friend_Exist",
    Reason.MY_FRIENDS_FULL: "Err_SNS_FriendImport_My_Friend_Num_Exceed_Threshold",
}
UPDATE_TEXTS: Texts = {
    **SNS_TEXTS,
    Reason.NOT_FRIEND: "Err_SNS_FriendUpdate_Not_Friend",
    Reason.TOO_MANY_LISTS: "Err_SNS_FriendUpdate_Group_Num_Exceed_Threshold",
}
DELETE_TEXTS: Texts = {**SNS_TEXTS, Reason.NOT_FRIEND: "Err_SNS_FriendDelete_Not_Friend"}

REMARK = Text("Remark", max_bytes=MAX_REMARK_BYTES)
ADD_WORDING = Text("AddWording", max_bytes=MAX_WORDING_BYTES)
ADD_GROUP = Raw(
    "GroupName",
    shape={
        "anyOf": [
            {"type": "string", "maxLength": LIST_NAME["maxLength"]},
            {"type": "array", "items": LIST_NAME, "maxItems": 1},
        ]
    },
    doc="the friend list to put the friend in (created when missing); empty: none",
)
ADD_TYPE = Text("AddType", default="Add_Type_Both", choices=tuple(ADD_TYPES))
FORCE_ADD_FLAGS = Integer("ForceAddFlags", doc="1: add whatever the target's AllowType")
ADD_FRIEND_ITEM = Objects(
    "AddFriendItem",
    max_items=MAX_BATCH,
    fields=(TO_ACCOUNT, ADD_SOURCE, REMARK, ADD_GROUP, ADD_WORDING),
)
IMPORT_GROUPS = Raw(
    "GroupName",
    shape={"anyOf": [{"type": "string", "maxLength": 30}, {"type": "array", "items": LIST_NAME}]},
    doc="the friend lists to put the friend in (created when missing)",
)
REMARK_TIME = Integer("RemarkTime", low=0)
ADD_TIME = Integer("AddTime", low=0, doc="default: now")
CUSTOM_TAG = Text("Tag", required=True, doc="a registered Tag_SNS_Custom_* tag")
CUSTOM_ITEM = Objects("CustomItem", required=False, fields=(CUSTOM_TAG, CUSTOM_VALUE))
IMPORT_ITEM = Objects(
    "AddFriendItem",
    max_items=MAX_BATCH,
    fields=(
        TO_ACCOUNT,
        ADD_SOURCE,
        REMARK,
        REMARK_TIME,
        IMPORT_GROUPS,
        ADD_WORDING,
        ADD_TIME,
        CUSTOM_ITEM,
    ),
)
SNS_TAG = Text(
    "Tag",
    required=True,
    doc=f"{TAG_REMARK}, {TAG_GROUP} or a registered Tag_SNS_Custom_* tag",
)
SNS_VALUE = Raw(
    "Value",
    required=True,
    shape={"type": ["string", "integer", "array"]},
    doc=f"a string or integer; for {TAG_GROUP} an array of friend list names",
)
SNS_ITEM = Objects("SnsItem", fields=(SNS_TAG, SNS_VALUE))
UPDATE_ITEM = Objects("UpdateItem", max_items=MAX_BATCH, fields=(TO_ACCOUNT, SNS_ITEM))
DELETE_TYPE = Text("DeleteType", default="Delete_Type_Single", choices=tuple(DELETE_TYPES))
CHECK_TYPE = Text("CheckType", required=True, choices=tuple(CHECK_TYPES))


def _enum(body: Body, spec: Text, choices: Mapping[str, bool]) -> bool:
    return choices[spec.read(body)]


def _add_source(item: Body) -> str:
    value = ADD_SOURCE.read(item)
    problem = add_source_problem(value)
    if problem:
        raise item.bad(ADD_SOURCE.name, problem)
    return value


def _list_names(body: Body, name: str, values: Sequence[Any]) -> tuple[str, ...]:
    for index, value in enumerate(values):
        problem = list_name_problem(value)
        if problem:
            raise body.bad(f"{name}[{index}]", f"friend list name {problem}")
    return tuple(values)


def _custom_items(call: Call, item: Body) -> dict[str, Any]:
    registered = call.app.settings.custom_sns_tags
    custom: dict[str, Any] = {}
    for entry in CUSTOM_ITEM.read(item):
        tag = CUSTOM_TAG.read(entry)
        check_custom_sns_tag(tag, registered, f"{entry.prefix}Tag")
        custom[tag] = _custom_value(entry, tag)
    return custom


def _custom_value(entry: Body, tag: str) -> Any:
    if CUSTOM_VALUE.name not in entry.data:
        raise entry.bad(CUSTOM_VALUE.name, "required")
    value = CUSTOM_VALUE.read(entry)
    problem = custom_value_problem(value)
    if problem:
        raise entry.bad(CUSTOM_VALUE.name, f"{tag} {problem}")
    return value


# ---------------------------------------------------------------- writes


async def friend_add(call: Call) -> dict[str, Any]:
    body = call.body
    user = FROM_ACCOUNT.read(body)
    items = []
    for item in ADD_FRIEND_ITEM.read(body):
        raw_group = ADD_GROUP.read(item)
        if isinstance(raw_group, list):  # liberal: friend_import's array form, one name
            if len(raw_group) > 1:
                raise item.bad("GroupName", "at most one friend list at friend_add")
            group = raw_group[0] if raw_group else ""
            if not isinstance(group, str):
                raise item.bad("GroupName[0]", "must be a string")
        else:
            group = item.string(ADD_GROUP.name)
        if group:
            problem = list_name_problem(group)
            if problem:
                raise item.bad("GroupName", f"friend list name {problem}")
        items.append(
            AddRequest(
                to=TO_ACCOUNT.read(item),
                add_source=_add_source(item),
                remark=REMARK.read(item),
                group=group,
                add_wording=ADD_WORDING.read(item),
            )
        )
    both = _enum(body, ADD_TYPE, ADD_TYPES)
    # 1 forces; any other integer is "normal" (the doocs Java SDK sends 2 for normal)
    force = FORCE_ADD_FLAGS.read(body) == 1
    vetoes = await vetoed_adds(call, user, items, both=both, force=force)
    allowed = [i for i in items if i.to not in vetoes]
    results = []
    if allowed or not vetoes:
        outcome = await call.ctx.friends.add(
            call.sdkappid,
            user,
            allowed,
            both=both,
            force=force,
            limits=limits_of(call),
            origin=call.origin,
        )
        results = outcome.results
    return with_vetoes([i.to for i in items], vetoes, items_result(results, ADD_TEXTS))


async def friend_import(call: Call) -> dict[str, Any]:
    body = call.body
    user = FROM_ACCOUNT.read(body)
    items = []
    for item in IMPORT_ITEM.read(body):
        raw_groups = IMPORT_GROUPS.read(item)
        name = IMPORT_GROUPS.name
        groups: tuple[str, ...] = ()
        if isinstance(raw_groups, str):  # liberal: a single name as at friend_add
            groups = _list_names(item, name, [raw_groups]) if raw_groups else ()
        elif item.has(name):
            groups = _list_names(item, name, item.array(name, allow_empty=True))
        items.append(
            ImportItem(
                to=TO_ACCOUNT.read(item),
                add_source=_add_source(item),
                remark=REMARK.read(item),
                remark_time=REMARK_TIME.read(item),
                groups=groups,
                add_wording=ADD_WORDING.read(item),
                add_time=ADD_TIME.read(item) if item.has(ADD_TIME.name) else None,
                custom=_custom_items(call, item),
            )
        )
    outcome = await call.ctx.friends.import_(
        call.sdkappid, user, items, limits=limits_of(call), origin=call.origin
    )
    return items_result(outcome.results, IMPORT_TEXTS)


def _update_item(call: Call, item: Body) -> FriendUpdate:
    to = TO_ACCOUNT.read(item)
    remark: str | None = None
    groups: tuple[str, ...] | None = None
    custom: dict[str, Any] = {}
    value = SNS_VALUE.name
    for entry in SNS_ITEM.read(item):
        tag = SNS_TAG.read(entry)
        if value not in entry.data:
            raise entry.bad(value, "required")
        if tag == TAG_REMARK:
            remark = entry.string(value, max_bytes=REMARK.max_bytes)
        elif tag == TAG_GROUP:
            groups = tuple(
                dict.fromkeys(_list_names(entry, value, entry.array(value, allow_empty=True)))
            )
        elif tag in STANDARD_SNS_TAGS:
            raise entry.bad(
                "Tag", f"{tag} cannot be updated; only {TAG_REMARK}, {TAG_GROUP} and custom tags"
            )
        else:
            check_custom_sns_tag(tag, call.app.settings.custom_sns_tags, f"{entry.prefix}Tag")
            custom[tag] = _custom_value(entry, tag)
    return FriendUpdate(to, remark, groups, custom)


async def friend_update(call: Call) -> dict[str, Any]:
    body = call.body
    user = FROM_ACCOUNT.read(body)
    updates = [_update_item(call, item) for item in UPDATE_ITEM.read(body)]
    outcome = await call.ctx.friends.update(
        call.sdkappid, user, updates, limits=limits_of(call), origin=call.origin
    )
    return items_result(outcome.results, UPDATE_TEXTS)


async def friend_delete(call: Call) -> dict[str, Any]:
    body = call.body
    user = FROM_ACCOUNT.read(body)
    others = TO_ACCOUNTS.read(body)
    both = _enum(body, DELETE_TYPE, DELETE_TYPES)
    outcome = await call.ctx.friends.delete(
        call.sdkappid, user, others, both=both, origin=call.origin
    )
    return items_result(outcome.results, DELETE_TEXTS)


async def friend_delete_all(call: Call) -> dict[str, Any]:
    body = call.body
    user = FROM_ACCOUNT.read(body)
    both = _enum(body, DELETE_TYPE, DELETE_TYPES)
    await call.ctx.friends.delete_all(call.sdkappid, user, both=both, origin=call.origin)
    return {}


async def friend_check(call: Call) -> dict[str, Any]:
    body = call.body
    user = FROM_ACCOUNT.read(body)
    others = TO_ACCOUNTS.read(body)
    both = _enum(body, CHECK_TYPE, CHECK_TYPES)
    found = await call.ctx.friends.check(call.sdkappid, user, others)
    items = check_items(others, found, both=both, prefix="CheckResult_Type_", none="NoRelation")
    return {"InfoItem": items, **fail_accounts(items)}


_ITEMS = {"ResultItem": items(), "Fail_Account": FAIL_ACCOUNT}
_ADD_CODES = (
    Code.OK,
    Code.SNS_BAD_PARAM,
    Code.SNS_ACCOUNT_NOT_FOUND,
    Code.SNS_MY_FRIENDS_FULL,
    Code.SNS_TOO_MANY_LISTS,
    Code.SNS_TOO_MANY_PENDING,
    Code.SNS_PEER_FRIENDS_FULL,
    Code.SNS_PEER_IN_MY_BLOCKLIST,
    Code.SNS_PEER_DENY_ANY,
    Code.SNS_IN_PEER_BLOCKLIST,
    Code.SNS_PENDING,
)
FRIEND_APIS: tuple[Api, ...] = (
    Api(
        "sns/friend_add",
        SNS,
        friend_add,
        '{"From_Account":"id",'
        '"AddFriendItem":[{"To_Account":"id1","Remark":"remark1","GroupName":"Classmates",'
        '"AddSource":"AddSource_Type_XXXXXXXX","AddWording":"I\'m Test1"}],'
        '"AddType":"Add_Type_Both","ForceAddFlags":1}',
        fields=(FROM_ACCOUNT, ADD_FRIEND_ITEM, ADD_TYPE, FORCE_ADD_FLAGS),
        answer=_ITEMS,
        codes=(*SNS_CODES, Code.SNS_ADD_FORBIDDEN),
        item_codes=_ADD_CODES,
        summary="Add friends (one or both ways), subject to AllowType and the caps",
    ),
    Api(
        "sns/friend_import",
        SNS,
        friend_import,
        '{"From_Account":"id","AddFriendItem":[{"To_Account":"id1","Remark":"remark1",'
        '"RemarkTime":1420000001,"GroupName":["Friends"],"AddSource":"AddSource_Type_XXXXXXXX",'
        '"AddWording":"I\'m Test1","AddTime":1420000001,'
        '"CustomItem":[{"Tag":"Tag_SNS_Custom_XXXX","Value":"Test"},'
        '{"Tag":"Tag_SNS_Custom_YYYY","Value":0}]}]}',
        fields=(FROM_ACCOUNT, IMPORT_ITEM),
        answer=_ITEMS,
        codes=SNS_CODES,
        item_codes=_ADD_CODES,
        summary="Import friends one way, without AllowType checks",
    ),
    Api(
        "sns/friend_update",
        SNS,
        friend_update,
        '{"From_Account":"id","UpdateItem":[{"To_Account":"id1","SnsItem":['
        '{"Tag":"Tag_SNS_IM_Remark","Value":"remark1"},'
        '{"Tag":"Tag_SNS_IM_Group","Value":["group1","group2"]},'
        '{"Tag":"Tag_SNS_Custom_Test","Value":"test"}]}]}',
        fields=(FROM_ACCOUNT, UPDATE_ITEM),
        answer=_ITEMS,
        codes=SNS_CODES,
        item_codes=(
            Code.OK,
            Code.SNS_BAD_PARAM,
            Code.SNS_ACCOUNT_NOT_FOUND,
            Code.SNS_TOO_MANY_LISTS,
            Code.SNS_NOT_FRIEND_DELETE,
        ),
        summary="Update friends' remark, lists and custom tags",
    ),
    Api(
        "sns/friend_delete",
        SNS,
        friend_delete,
        '{"From_Account":"id","To_Account":["id1","id2","id3"],"DeleteType":"Delete_Type_Both"}',
        fields=(FROM_ACCOUNT, TO_ACCOUNTS, DELETE_TYPE),
        answer=_ITEMS,
        codes=SNS_CODES,
        item_codes=(
            Code.OK,
            Code.SNS_BAD_PARAM,
            Code.SNS_ACCOUNT_NOT_FOUND,
            Code.SNS_NOT_FRIEND_DELETE,
        ),
        summary="Delete friends (one or both ways)",
    ),
    Api(
        "sns/friend_delete_all",
        SNS,
        friend_delete_all,
        '{"From_Account":"id","DeleteType":"Delete_Type_Both"}',
        fields=(FROM_ACCOUNT, DELETE_TYPE),
        codes=SNS_CODES,
        summary="Delete all of From_Account's friends",
    ),
    Api(
        "sns/friend_check",
        SNS,
        friend_check,
        '{"From_Account":"id","To_Account":["id1","id2","id3","id4","id5"],'
        '"CheckType":"CheckResult_Type_Both"}',
        fields=(FROM_ACCOUNT, TO_ACCOUNTS, CHECK_TYPE),
        answer={
            "InfoItem": items(Relation=relation_schema("CheckResult_Type_", "NoRelation")),
            "Fail_Account": FAIL_ACCOUNT,
        },
        codes=SNS_CODES,
        item_codes=(Code.OK, Code.SNS_ACCOUNT_NOT_FOUND),
        summary="Check friendships",
    ),
    *FRIEND_READ_APIS,
)
