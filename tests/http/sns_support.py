"""Helpers of the ``v4/sns/*`` HTTP tests."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from relchain.domain.profiles import ALLOW_ANY
from relchain.ports import Store
from tests.support import SDKAPPID, RestClient, bad_request

__all__ = ["bad_request"]  # re-exported for the sns tests; the other helpers are defined here

SRC = "AddSource_Type_Android"


async def set_settings(store: Store, **changes: Any) -> None:
    async with store.write() as tx:
        app = await tx.get_app(SDKAPPID)
        assert app is not None
        await tx.save_app(replace(app, settings=replace(app.settings, **changes)))


async def users(rest: RestClient, *ids: str, allow: str = ALLOW_ANY) -> None:
    """Import accounts and set their AllowType."""
    await rest.import_accounts(*ids)
    for user in ids:
        await rest.ok(
            "profile/portrait_set",
            {
                "From_Account": user,
                "ProfileItem": [{"Tag": "Tag_Profile_IM_AllowType", "Value": allow}],
            },
        )


def codes(data: dict[str, Any], key: str = "ResultItem") -> list[int]:
    return [item["ResultCode"] for item in data[key]]


async def add(
    rest: RestClient,
    me: str,
    *others: str,
    add_type: str = "Add_Type_Both",
    force: int = 0,
    **item: Any,
) -> dict[str, Any]:
    return await rest.ok(
        "sns/friend_add",
        {
            "From_Account": me,
            "AddFriendItem": [{"To_Account": o, "AddSource": SRC, **item} for o in others],
            "AddType": add_type,
            "ForceAddFlags": force,
        },
    )


async def check(rest: RestClient, me: str, *others: str, both: bool = True) -> list[str]:
    data = await rest.ok(
        "sns/friend_check",
        {
            "From_Account": me,
            "To_Account": list(others),
            "CheckType": "CheckResult_Type_Both" if both else "CheckResult_Type_Single",
        },
    )
    return [item["Relation"] for item in data["InfoItem"]]
