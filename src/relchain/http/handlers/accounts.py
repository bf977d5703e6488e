"""``v4/im_open_login_svc/*``: account import (one and many), check and delete."""

from __future__ import annotations

from typing import Any

from relchain.domain.accounts import userid_problem
from relchain.domain.errors import ACCOUNT, Code
from relchain.domain.profiles import MAX_STRING_BYTES
from relchain.domain.results import Reason
from relchain.http.api import Api
from relchain.http.call import Call
from relchain.http.wire import Body, Texts, result_item, result_items

__all__ = ["ACCOUNT_APIS"]

MAX_BATCH = 100
DELETE_TEXTS: Texts = {Reason.NO_ACCOUNT: "Err_TLS_PT_Open_Login_Account_Not_Exist"}


def _profile_of(body: Body) -> dict[str, Any]:
    """``Nick`` and ``FaceUrl`` of an import item, as profile tag values."""
    values: dict[str, Any] = {}
    for field, tag in (("Nick", "Tag_Profile_IM_Nick"), ("FaceUrl", "Tag_Profile_IM_Image")):
        if body.has(field):
            value = body.string(field)
            size = len(value.encode("utf-8"))
            if size > MAX_STRING_BYTES:
                raise body.bad(
                    field,
                    f"at most {MAX_STRING_BYTES} bytes, got {size}",
                    Code.PROFILE_VALUE_TOO_LONG,
                )
            values[tag] = value
    return values


async def account_import(call: Call) -> dict[str, Any]:
    body = call.body
    # very old docs named the field Identifier; accept it when UserID is absent
    name = "UserID" if body.has("UserID") or not body.has("Identifier") else "Identifier"
    user_id = body.account(name)
    await call.ctx.accounts.import_accounts(
        call.sdkappid, [(user_id, _profile_of(body))], origin=call.origin
    )
    return {}


async def multiaccount_import(call: Call) -> dict[str, Any]:
    body = call.body
    failed: list[str] = []
    accounts: list[tuple[str, dict[str, Any]]] = []
    if body.has("AccountList"):
        for item in body.objects("AccountList", max_items=MAX_BATCH):
            raw = item.get("UserID")
            if userid_problem(raw):
                failed.append(raw if isinstance(raw, str) else str(raw))
                continue
            accounts.append((raw, _profile_of(item)))
    elif body.has("Accounts"):
        for raw in body.array("Accounts", max_items=MAX_BATCH):
            if userid_problem(raw):
                failed.append(raw if isinstance(raw, str) else str(raw))
            else:
                accounts.append((raw, {}))
    else:
        raise body.bad("Accounts", "required (or AccountList)")
    if accounts:
        await call.ctx.accounts.import_accounts(call.sdkappid, accounts, origin=call.origin)
    return {"FailAccounts": failed}


def _user_items(body: Body, name: str) -> list[Any]:
    """The raw ``UserID`` of each ``[{"UserID": ...}, ...]`` item."""
    return [item.get("UserID") for item in body.objects(name, max_items=MAX_BATCH)]


def _valid(raw_ids: list[Any]) -> list[str]:
    return [uid for uid in raw_ids if userid_problem(uid) is None]


async def account_check(call: Call) -> dict[str, Any]:
    raw_ids = _user_items(call.body, "CheckItem")
    existing = await call.ctx.accounts.check(call.sdkappid, _valid(raw_ids))
    items = []
    for uid in raw_ids:
        if userid_problem(uid):
            items.append(_bad_userid_item(uid))
        else:
            status = "Imported" if uid in existing else "NotImported"
            items.append(result_item("UserID", uid, 0, AccountStatus=status))
    return {"ResultItem": items}


async def account_delete(call: Call) -> dict[str, Any]:
    raw_ids = _user_items(call.body, "DeleteItem")
    valid = _valid(raw_ids)
    results = await call.ctx.accounts.delete(call.sdkappid, valid, origin=call.origin)
    rendered = dict(zip(valid, result_items(results, DELETE_TEXTS, key="UserID"), strict=True))
    return {
        "ResultItem": [
            _bad_userid_item(uid) if userid_problem(uid) else rendered[uid] for uid in raw_ids
        ]
    }


def _bad_userid_item(raw: Any) -> dict[str, Any]:
    problem = userid_problem(raw)
    shown = raw if isinstance(raw, str) else str(raw)
    return result_item("UserID", shown, Code.ACCOUNT_BAD_PARAM, f"UserID: {problem}")


ACCOUNT_APIS: tuple[Api, ...] = (
    Api(
        "im_open_login_svc/account_import",
        ACCOUNT,
        account_import,
        '{"UserID":"test","Nick":"test","FaceUrl":"http://www.qq.com"}',
    ),
    Api(
        "im_open_login_svc/multiaccount_import",
        ACCOUNT,
        multiaccount_import,
        '{"Accounts":["UserID_001","UserID_002","UserID_003"]}',
    ),
    Api(
        "im_open_login_svc/account_delete",
        ACCOUNT,
        account_delete,
        '{"DeleteItem":[{"UserID":"UserID_1"},{"UserID":"UserID_2"}]}',
    ),
    Api(
        "im_open_login_svc/account_check",
        ACCOUNT,
        account_check,
        '{"CheckItem":[{"UserID":"UserID_1"},{"UserID":"UserID_2"}]}',
    ),
)
