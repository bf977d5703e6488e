"""``v4/profile/*``: portrait_set and portrait_get."""

from __future__ import annotations

from typing import Any

from relchain.domain.errors import PROFILE, Code
from relchain.domain.profiles import check_tag_known, default_value, validate_profile_item
from relchain.http.api import Api
from relchain.http.call import Call
from relchain.http.fields import Array, Objects, Raw, UserId, UserIds
from relchain.http.shapes import FAIL_ACCOUNT, INT, STR, TAG_VALUES, array, obj
from relchain.http.wire import fail_accounts, result_item

__all__ = ["PROFILE_APIS"]

MAX_GET_ACCOUNTS = 100
MAX_SET_ITEMS = 100

FROM_ACCOUNT = UserId("From_Account", doc="the account whose profile is set")
TAG = Raw(
    "Tag",
    required=True,
    shape={"type": "string"},
    doc="a standard Tag_Profile_IM_* tag or a registered Tag_Profile_Custom_* tag",
)
VALUE = Raw(
    "Value",
    required=True,
    shape={"type": ["string", "integer"]},
    doc="a string (at most 500 bytes) or an integer 0..4294967295, as the tag takes",
)
PROFILE_ITEM = Objects("ProfileItem", max_items=MAX_SET_ITEMS, fields=(TAG, VALUE))
TO_ACCOUNT = UserIds("To_Account", max_items=MAX_GET_ACCOUNTS, code=Code.PROFILE_TO_ACCOUNT_MISSING)
TAG_LIST = Array("TagList", items={"type": "string"}, doc="the tags to read")


async def portrait_set(call: Call) -> dict[str, Any]:
    body = call.body
    user_id = FROM_ACCOUNT.read(body)
    custom = call.app.settings.custom_profile_tags
    values: dict[str, Any] = {}
    for index, item in enumerate(PROFILE_ITEM.read(body)):
        if not item.has(TAG.name):
            raise item.bad(TAG.name, "required")
        if VALUE.name not in item.data:  # null is a value (of the wrong type)
            raise item.bad(VALUE.name, "required")
        tag, value = validate_profile_item(
            TAG.read(item), VALUE.read(item), custom, f"{PROFILE_ITEM.name}[{index}]"
        )
        values[tag] = value
    await call.ctx.profiles.set(call.sdkappid, user_id, values, origin=call.origin)
    return {}


async def portrait_get(call: Call) -> dict[str, Any]:
    body = call.body
    accounts = TO_ACCOUNT.read(body)
    tags = TAG_LIST.read(body)
    custom = call.app.settings.custom_profile_tags
    for index, tag in enumerate(tags):
        if not isinstance(tag, str):
            raise body.bad(f"TagList[{index}]", "must be a string")
        check_tag_known(tag, custom, f"TagList[{index}]")
    profiles = await call.ctx.profiles.get(call.sdkappid, accounts)
    items = []
    for account in accounts:
        profile = profiles.get(account)
        if profile is None:
            items.append(
                result_item(
                    "To_Account",
                    account,
                    Code.PROFILE_ACCOUNT_NOT_FOUND,
                    "Err_Profile_Account_Not_Exist",
                )
            )
            continue
        profile_items = []
        for tag in tags:
            value = profile.values.get(tag, default_value(tag))
            if value is not None:
                profile_items.append({"Tag": tag, "Value": value})
        items.append(
            {"To_Account": account, "ProfileItem": profile_items, "ResultCode": 0, "ResultInfo": ""}
        )
    return {"UserProfileItem": items, **fail_accounts(items)}


PROFILE_APIS: tuple[Api, ...] = (
    Api(
        "profile/portrait_set",
        PROFILE,
        portrait_set,
        '{"From_Account":"id","ProfileItem":[{"Tag":"Tag_Profile_IM_Nick","Value":"MyNickName"}]}',
        fields=(FROM_ACCOUNT, PROFILE_ITEM),
        codes=(
            Code.PROFILE_ACCOUNT_NOT_FOUND,
            Code.PROFILE_TAG_NOT_FOUND,
            Code.PROFILE_VALUE_TOO_LONG,
            Code.PROFILE_BAD_VALUE,
            Code.PROFILE_BAD_VALUE_TYPE,
        ),
        summary="Set profile tags of one account",
    ),
    Api(
        "profile/portrait_get",
        PROFILE,
        portrait_get,
        '{"To_Account":["id1","id2"],"TagList":["Tag_Profile_IM_Nick","Tag_Profile_IM_AllowType"]}',
        fields=(TO_ACCOUNT, TAG_LIST),
        answer={
            "UserProfileItem": array(
                obj(
                    ("To_Account", "ResultCode", "ResultInfo"),
                    To_Account=STR,
                    ProfileItem=TAG_VALUES,
                    ResultCode=INT,
                    ResultInfo=STR,
                ),
                "one result per account, in the order of the request",
            ),
            "Fail_Account": FAIL_ACCOUNT,
        },
        codes=(Code.PROFILE_TO_ACCOUNT_MISSING, Code.PROFILE_TAG_NOT_FOUND),
        item_codes=(Code.OK, Code.PROFILE_ACCOUNT_NOT_FOUND),
        summary="Read profile tags of up to 100 accounts",
    ),
)
