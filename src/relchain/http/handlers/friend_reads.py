"""``v4/sns/friend_get`` and ``friend_get_list``: a page of friends, chosen friends' tags."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from relchain.domain.errors import SNS, Code
from relchain.domain.profiles import CUSTOM_PREFIX as PROFILE_CUSTOM_PREFIX
from relchain.domain.profiles import STANDARD_TAGS as PROFILE_TAGS
from relchain.domain.results import Reason
from relchain.domain.sns.friends import FriendData
from relchain.domain.sns.rules import (
    MAX_GET_LIST,
    PAGE_SIZE,
    STANDARD_SNS_TAGS,
    TAG_ADD_SOURCE,
    TAG_ADD_TIME,
    TAG_ADD_WORDING,
    TAG_GROUP,
    TAG_REMARK,
    check_custom_sns_tag,
)
from relchain.http.api import Api
from relchain.http.call import Call
from relchain.http.fields import Array, Integer, UserIds
from relchain.http.handlers._sns import FROM_ACCOUNT, SNS_CODES, SNS_TEXTS
from relchain.http.shapes import FAIL_ACCOUNT, INT, STR, TAG_VALUES, array, items, obj
from relchain.http.wire import Body, fail_accounts, result_item

__all__ = ["FRIEND_READ_APIS", "friend_values"]

INFO_NOT_FRIEND_GET_LIST = "SNS_FRD_GET_LIST_FRD_NO_EXIST"

START_INDEX = Integer("StartIndex", required=True, low=0, doc="0, then NextStartIndex")
STANDARD_SEQUENCE = Integer("StandardSequence", low=0)
CUSTOM_SEQUENCE = Integer("CustomSequence", low=0)
TO_GET_LIST = UserIds("To_Account", max_items=MAX_GET_LIST)
TAG_LIST = Array("TagList", items={"type": "string"}, doc="profile and SNS tags to read")


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
    user = FROM_ACCOUNT.read(body)
    start = START_INDEX.read(body)
    standard_seq = STANDARD_SEQUENCE.read(body)
    custom_seq = CUSTOM_SEQUENCE.read(body)
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
    for index, tag in enumerate(TAG_LIST.read(body)):
        where = f"{TAG_LIST.name}[{index}]"
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
    user = FROM_ACCOUNT.read(body)
    others = TO_GET_LIST.read(body)
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


FRIEND_READ_APIS: tuple[Api, ...] = (
    Api(
        "sns/friend_get",
        SNS,
        friend_get,
        '{"From_Account":"id","StartIndex":0,"StandardSequence":0,"CustomSequence":0}',
        fields=(FROM_ACCOUNT, START_INDEX, STANDARD_SEQUENCE, CUSTOM_SEQUENCE),
        answer={
            "UserDataItem": array(
                obj(("To_Account", "ValueItem"), To_Account=STR, ValueItem=TAG_VALUES)
            ),
            "StandardSequence": INT,
            "CustomSequence": INT,
            "FriendNum": INT,
            "CompleteFlag": {"enum": [0, 1]},
            "NextStartIndex": INT,
        },
        codes=SNS_CODES,
        summary="One page (at most 500) of From_Account's friends",
    ),
    Api(
        "sns/friend_get_list",
        SNS,
        friend_get_list,
        '{"From_Account":"UserID_1","To_Account":["UserID_2"],'
        '"TagList":["Tag_Profile_Custom_Test","Tag_Profile_IM_Image","Tag_Profile_IM_Nick",'
        '"Tag_SNS_Custom_Test","Tag_SNS_IM_Remark","Tag_SNS_IM_Group"]}',
        fields=(FROM_ACCOUNT, TO_GET_LIST, TAG_LIST),
        answer={
            "InfoItem": items(SnsProfileItem=TAG_VALUES),
            "Fail_Account": FAIL_ACCOUNT,
        },
        codes=SNS_CODES,
        item_codes=(Code.OK, Code.SNS_ACCOUNT_NOT_FOUND, Code.SNS_NOT_FRIEND_GET_LIST),
        summary="Profile and friend tags of up to 100 friends",
    ),
)
