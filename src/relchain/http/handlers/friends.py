"""``v4/sns/friend_*``: add, import, update, delete, delete_all, check, get, get_list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from relchain.domain.errors import SNS, Code
from relchain.domain.profiles import CUSTOM_PREFIX as PROFILE_CUSTOM_PREFIX
from relchain.domain.profiles import STANDARD_TAGS as PROFILE_TAGS
from relchain.domain.results import Reason
from relchain.domain.sns.friends import AddRequest, FriendData, FriendUpdate, ImportItem
from relchain.domain.sns.rules import (
    MAX_BATCH,
    MAX_GET_LIST,
    MAX_REMARK_BYTES,
    MAX_WORDING_BYTES,
    PAGE_SIZE,
    STANDARD_SNS_TAGS,
    TAG_ADD_SOURCE,
    TAG_ADD_TIME,
    TAG_ADD_WORDING,
    TAG_GROUP,
    TAG_REMARK,
    add_source_problem,
    check_custom_sns_tag,
    custom_value_problem,
    list_name_problem,
)
from relchain.http.api import Api
from relchain.http.call import Call
from relchain.http.handlers._sns import SNS_TEXTS, check_items, limits_of
from relchain.http.wire import Body, Texts, fail_accounts, items_result, result_item

__all__ = ["ADD_TEXTS", "FRIEND_APIS", "friend_values"]

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
INFO_NOT_FRIEND_GET_LIST = "SNS_FRD_GET_LIST_FRD_NO_EXIST"


def _enum(body: Body, name: str, choices: Mapping[str, bool], default: str | None) -> bool:
    value = body.string(name, required=default is None, default=default or "")
    if value not in choices:
        raise body.bad(name, f"must be one of {', '.join(choices)}, got {value!r}")
    return choices[value]


def _add_source(item: Body) -> str:
    value = item.string("AddSource", required=True)
    problem = add_source_problem(value)
    if problem:
        raise item.bad("AddSource", problem)
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
    for entry in item.objects("CustomItem", max_items=0, required=False):
        tag = entry.string("Tag", required=True)
        check_custom_sns_tag(tag, registered, f"{entry.prefix}Tag")
        custom[tag] = _custom_value(entry, tag)
    return custom


def _custom_value(entry: Body, tag: str) -> Any:
    if "Value" not in entry.data:
        raise entry.bad("Value", "required")
    value = entry.get("Value")
    problem = custom_value_problem(value)
    if problem:
        raise entry.bad("Value", f"{tag} {problem}")
    return value


# ---------------------------------------------------------------- writes


async def friend_add(call: Call) -> dict[str, Any]:
    body = call.body
    user = body.account("From_Account")
    items = []
    for item in body.objects("AddFriendItem", max_items=MAX_BATCH):
        raw_group = item.get("GroupName")
        if isinstance(raw_group, list):  # liberal: friend_import's array form, one name
            if len(raw_group) > 1:
                raise item.bad("GroupName", "at most one friend list at friend_add")
            group = raw_group[0] if raw_group else ""
            if not isinstance(group, str):
                raise item.bad("GroupName[0]", "must be a string")
        else:
            group = item.string("GroupName")
        if group:
            problem = list_name_problem(group)
            if problem:
                raise item.bad("GroupName", f"friend list name {problem}")
        items.append(
            AddRequest(
                to=item.account("To_Account"),
                add_source=_add_source(item),
                remark=item.string("Remark", max_bytes=MAX_REMARK_BYTES),
                group=group,
                add_wording=item.string("AddWording", max_bytes=MAX_WORDING_BYTES),
            )
        )
    both = _enum(body, "AddType", ADD_TYPES, "Add_Type_Both")
    # 1 forces; any other integer is "normal" (the doocs Java SDK sends 2 for normal)
    force = body.integer("ForceAddFlags") == 1
    outcome = await call.ctx.friends.add(
        call.sdkappid,
        user,
        items,
        both=both,
        force=force,
        limits=limits_of(call),
        origin=call.origin,
    )
    return items_result(outcome.results, ADD_TEXTS)


async def friend_import(call: Call) -> dict[str, Any]:
    body = call.body
    user = body.account("From_Account")
    items = []
    for item in body.objects("AddFriendItem", max_items=MAX_BATCH):
        raw_groups = item.get("GroupName")
        groups: tuple[str, ...] = ()
        if isinstance(raw_groups, str):  # liberal: a single name as at friend_add
            groups = _list_names(item, "GroupName", [raw_groups]) if raw_groups else ()
        elif item.has("GroupName"):
            groups = _list_names(item, "GroupName", item.array("GroupName", allow_empty=True))
        items.append(
            ImportItem(
                to=item.account("To_Account"),
                add_source=_add_source(item),
                remark=item.string("Remark", max_bytes=MAX_REMARK_BYTES),
                remark_time=item.integer("RemarkTime", low=0),
                groups=groups,
                add_wording=item.string("AddWording", max_bytes=MAX_WORDING_BYTES),
                add_time=item.integer("AddTime", low=0) if item.has("AddTime") else None,
                custom=_custom_items(call, item),
            )
        )
    outcome = await call.ctx.friends.import_(
        call.sdkappid, user, items, limits=limits_of(call), origin=call.origin
    )
    return items_result(outcome.results, IMPORT_TEXTS)


def _update_item(call: Call, item: Body) -> FriendUpdate:
    to = item.account("To_Account")
    remark: str | None = None
    groups: tuple[str, ...] | None = None
    custom: dict[str, Any] = {}
    for entry in item.objects("SnsItem", max_items=0):
        tag = entry.string("Tag", required=True)
        if "Value" not in entry.data:
            raise entry.bad("Value", "required")
        if tag == TAG_REMARK:
            remark = entry.string("Value", max_bytes=MAX_REMARK_BYTES)
        elif tag == TAG_GROUP:
            groups = tuple(
                dict.fromkeys(_list_names(entry, "Value", entry.array("Value", allow_empty=True)))
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
    user = body.account("From_Account")
    updates = [_update_item(call, item) for item in body.objects("UpdateItem", max_items=MAX_BATCH)]
    outcome = await call.ctx.friends.update(
        call.sdkappid, user, updates, limits=limits_of(call), origin=call.origin
    )
    return items_result(outcome.results, UPDATE_TEXTS)


async def friend_delete(call: Call) -> dict[str, Any]:
    body = call.body
    user = body.account("From_Account")
    others = body.accounts("To_Account", max_items=MAX_BATCH)
    both = _enum(body, "DeleteType", DELETE_TYPES, "Delete_Type_Single")
    outcome = await call.ctx.friends.delete(
        call.sdkappid, user, others, both=both, origin=call.origin
    )
    return items_result(outcome.results, DELETE_TEXTS)


async def friend_delete_all(call: Call) -> dict[str, Any]:
    body = call.body
    user = body.account("From_Account")
    both = _enum(body, "DeleteType", DELETE_TYPES, "Delete_Type_Single")
    await call.ctx.friends.delete_all(call.sdkappid, user, both=both, origin=call.origin)
    return {}


async def friend_check(call: Call) -> dict[str, Any]:
    body = call.body
    user = body.account("From_Account")
    others = body.accounts("To_Account", max_items=MAX_BATCH)
    both = _enum(body, "CheckType", CHECK_TYPES, None)
    found = await call.ctx.friends.check(call.sdkappid, user, others)
    items = check_items(others, found, both=both, prefix="CheckResult_Type_", none="NoRelation")
    return {"InfoItem": items, **fail_accounts(items)}


# ---------------------------------------------------------------- reads


def friend_values(
    friend: FriendData,
    registered: Sequence[str],
    *,
    standard: bool = True,
    custom: bool = True,
) -> list[dict[str, Any]]:
    """friend_get's ``ValueItem``: AddSource, Remark, Group, AddTime, then the registered custom
    tags in registration order; empty values (no remark, no list, unset tag) are left out."""
    values: list[dict[str, Any]] = []
    if standard:
        values.append({"Tag": TAG_ADD_SOURCE, "Value": friend.add_source})
        if friend.remark:
            values.append({"Tag": TAG_REMARK, "Value": friend.remark})
        if friend.groups:
            values.append({"Tag": TAG_GROUP, "Value": list(friend.groups)})
        values.append({"Tag": TAG_ADD_TIME, "Value": friend.add_time})
    if custom:
        values += [
            {"Tag": tag, "Value": friend.custom[tag]} for tag in registered if tag in friend.custom
        ]
    return values


async def friend_get(call: Call) -> dict[str, Any]:
    body = call.body
    user = body.account("From_Account")
    start = body.integer("StartIndex", required=True, low=0)
    standard_seq = body.integer("StandardSequence", low=0)
    custom_seq = body.integer("CustomSequence", low=0)
    page = await call.ctx.friends.page(call.sdkappid, user, start, PAGE_SIZE)
    registered = call.app.settings.custom_sns_tags
    standard = standard_seq != page.standard_sequence
    custom = custom_seq != page.custom_sequence
    return {
        "UserDataItem": [
            {
                "To_Account": f.friend,
                "ValueItem": friend_values(f, registered, standard=standard, custom=custom),
            }
            for f in page.friends
        ],
        "StandardSequence": page.standard_sequence,
        "CustomSequence": page.custom_sequence,
        "FriendNum": page.friend_count,
        "CompleteFlag": 1 if page.next_start == 0 else 0,
        "NextStartIndex": page.next_start,
    }


_SNS_ORDER = (TAG_GROUP, TAG_REMARK, TAG_ADD_SOURCE, TAG_ADD_WORDING, TAG_ADD_TIME)


def _sns_value(friend: FriendData, tag: str) -> Any:
    """The friend's value of an SNS tag, or None when it has none (left out)."""
    if tag == TAG_GROUP:
        return list(friend.groups) or None
    if tag == TAG_REMARK:
        return friend.remark or None
    if tag == TAG_ADD_SOURCE:
        return friend.add_source
    if tag == TAG_ADD_WORDING:
        return friend.add_wording or None
    if tag == TAG_ADD_TIME:
        return friend.add_time
    return friend.custom.get(tag)


def _check_tag_list(call: Call, body: Body) -> tuple[list[str], list[str]]:
    """TagList split into profile tags and SNS tags; unknown or unregistered tags -> 30001."""
    settings = call.app.settings
    profile_tags: list[str] = []
    sns_tags: list[str] = []
    for index, tag in enumerate(body.array("TagList")):
        where = f"TagList[{index}]"
        if not isinstance(tag, str):
            raise body.bad(where, "must be a string")
        if tag in PROFILE_TAGS or tag in settings.custom_profile_tags:
            profile_tags.append(tag)
        elif tag.startswith(PROFILE_CUSTOM_PREFIX):
            raise body.bad(where, f"custom profile tag {tag!r} is not registered for this app")
        elif tag in STANDARD_SNS_TAGS:
            sns_tags.append(tag)
        else:
            check_custom_sns_tag(tag, settings.custom_sns_tags, where)
            sns_tags.append(tag)
    standard = [t for t in _SNS_ORDER if t in sns_tags]
    customs = [t for t in dict.fromkeys(sns_tags) if t not in STANDARD_SNS_TAGS]
    return list(dict.fromkeys(profile_tags)), standard + customs


async def friend_get_list(call: Call) -> dict[str, Any]:
    body = call.body
    user = body.account("From_Account")
    others = body.accounts("To_Account", max_items=MAX_GET_LIST)
    profile_tags, sns_tags = _check_tag_list(call, body)
    found = await call.ctx.friends.with_profiles(call.sdkappid, user, others)
    items = []
    for other in others:
        friend = found.friends.get(other)
        if friend is None:
            if other in found.profiles:
                code, info = Code.SNS_NOT_FRIEND_GET_LIST, INFO_NOT_FRIEND_GET_LIST
            else:
                code, info = Code.SNS_ACCOUNT_NOT_FOUND, SNS_TEXTS[Reason.NO_ACCOUNT]
            items.append(result_item("To_Account", other, code, info))
            continue
        profile = found.profiles[other].values
        values = [{"Tag": t, "Value": profile[t]} for t in profile_tags if t in profile]
        for tag in sns_tags:
            value = _sns_value(friend, tag)
            if value is not None:
                values.append({"Tag": tag, "Value": value})
        items.append(
            {"To_Account": other, "SnsProfileItem": values, "ResultCode": 0, "ResultInfo": ""}
        )
    return {"InfoItem": items, **fail_accounts(items)}


FRIEND_APIS: tuple[Api, ...] = (
    Api(
        "sns/friend_add",
        SNS,
        friend_add,
        '{"From_Account":"id",'
        '"AddFriendItem":[{"To_Account":"id1","Remark":"remark1","GroupName":"Classmates",'
        '"AddSource":"AddSource_Type_XXXXXXXX","AddWording":"I\'m Test1"}],'
        '"AddType":"Add_Type_Both","ForceAddFlags":1}',
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
    ),
    Api(
        "sns/friend_update",
        SNS,
        friend_update,
        '{"From_Account":"id","UpdateItem":[{"To_Account":"id1","SnsItem":['
        '{"Tag":"Tag_SNS_IM_Remark","Value":"remark1"},'
        '{"Tag":"Tag_SNS_IM_Group","Value":["group1","group2"]},'
        '{"Tag":"Tag_SNS_Custom_Test","Value":"test"}]}]}',
    ),
    Api(
        "sns/friend_delete",
        SNS,
        friend_delete,
        '{"From_Account":"id","To_Account":["id1","id2","id3"],"DeleteType":"Delete_Type_Both"}',
    ),
    Api(
        "sns/friend_delete_all",
        SNS,
        friend_delete_all,
        '{"From_Account":"id","DeleteType":"Delete_Type_Both"}',
    ),
    Api(
        "sns/friend_check",
        SNS,
        friend_check,
        '{"From_Account":"id","To_Account":["id1","id2","id3","id4","id5"],'
        '"CheckType":"CheckResult_Type_Both"}',
    ),
    Api(
        "sns/friend_get",
        SNS,
        friend_get,
        '{"From_Account":"id","StartIndex":0,"StandardSequence":0,"CustomSequence":0}',
    ),
    Api(
        "sns/friend_get_list",
        SNS,
        friend_get_list,
        '{"From_Account":"UserID_1","To_Account":["UserID_2"],'
        '"TagList":["Tag_Profile_Custom_Test","Tag_Profile_IM_Image","Tag_Profile_IM_Nick",'
        '"Tag_SNS_Custom_Test","Tag_SNS_IM_Remark","Tag_SNS_IM_Group"]}',
    ),
)
