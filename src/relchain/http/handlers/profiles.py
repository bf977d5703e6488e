"""``v4/profile/*``: portrait_set and portrait_get."""

from __future__ import annotations

from typing import Any

from relchain.domain.errors import PROFILE, Code
from relchain.domain.profiles import check_tag_known, default_value, validate_profile_item
from relchain.http.api import Api
from relchain.http.call import Call
from relchain.http.wire import fail_accounts, result_item

__all__ = ["PROFILE_APIS"]

MAX_GET_ACCOUNTS = 100
MAX_SET_ITEMS = 100


async def portrait_set(call: Call) -> dict[str, Any]:
    body = call.body
    user_id = body.account("From_Account")
    custom = call.app.settings.custom_profile_tags
    values: dict[str, Any] = {}
    for index, item in enumerate(body.objects("ProfileItem", max_items=MAX_SET_ITEMS)):
        if not item.has("Tag"):
            raise item.bad("Tag", "required")
        if "Value" not in item.data:
            raise item.bad("Value", "required")
        tag, value = validate_profile_item(
            item.get("Tag"), item.get("Value"), custom, f"ProfileItem[{index}]"
        )
        values[tag] = value
    await call.ctx.profiles.set(call.sdkappid, user_id, values, origin=call.origin)
    return {}


async def portrait_get(call: Call) -> dict[str, Any]:
    body = call.body
    accounts = body.accounts(
        "To_Account", max_items=MAX_GET_ACCOUNTS, code=Code.PROFILE_TO_ACCOUNT_MISSING
    )
    tags = body.array("TagList")
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
    ),
    Api(
        "profile/portrait_get",
        PROFILE,
        portrait_get,
        '{"To_Account":["id1","id2"],"TagList":["Tag_Profile_IM_Nick","Tag_Profile_IM_AllowType"]}',
    ),
)
