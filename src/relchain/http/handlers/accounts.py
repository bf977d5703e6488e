"""``v4/im_open_login_svc/*``: account import (one and many), check and delete."""

from __future__ import annotations

from typing import Any

from relchain.domain.accounts import userid_problem
from relchain.domain.errors import ACCOUNT, Code
from relchain.domain.profiles import MAX_STRING_BYTES
from relchain.domain.results import Reason
from relchain.http.api import Api
from relchain.http.call import Call
from relchain.http.fields import USERID_SCHEMA, Array, Objects, Text, UserId
from relchain.http.shapes import STR, array, items
from relchain.http.wire import Body, Texts, result_item, result_items, shown

__all__ = ["ACCOUNT_APIS"]

MAX_BATCH = 100
DELETE_TEXTS: Texts = {Reason.NO_ACCOUNT: "Err_TLS_PT_Open_Login_Account_Not_Exist"}

USER_ID = UserId("UserID", doc="the account")
IDENTIFIER = UserId("Identifier", doc="very old docs' name of UserID; read when UserID is absent")
# too long: 40601 (as portrait_set), not the group's 70402
NICK = Text("Nick", max_bytes=MAX_STRING_BYTES, doc="the nickname (Tag_Profile_IM_Nick)")
FACE_URL = Text("FaceUrl", max_bytes=MAX_STRING_BYTES, doc="the avatar URL (Tag_Profile_IM_Image)")
PROFILE_TAGS = ((NICK, "Tag_Profile_IM_Nick"), (FACE_URL, "Tag_Profile_IM_Image"))
ACCOUNTS = Array(
    "Accounts",
    items=USERID_SCHEMA,
    max_items=MAX_BATCH,
    doc="the accounts; one that is not a valid UserID is listed in FailAccounts",
)
ACCOUNT_LIST = Objects(
    "AccountList",
    max_items=MAX_BATCH,
    fields=(USER_ID, NICK, FACE_URL),
    doc="the accounts with their nickname and avatar (read when Accounts is absent)",
)
DELETE_ITEM = Objects("DeleteItem", max_items=MAX_BATCH, fields=(USER_ID,))
CHECK_ITEM = Objects("CheckItem", max_items=MAX_BATCH, fields=(USER_ID,))


def _profile_of(body: Body) -> dict[str, Any]:
    """``Nick`` and ``FaceUrl`` of an import item, as profile tag values."""
    values: dict[str, Any] = {}
    for spec, tag in PROFILE_TAGS:
        if body.has(spec.name):
            value = body.string(spec.name)
            size = len(value.encode("utf-8"))
            if size > spec.max_bytes:
                raise body.bad(
                    spec.name,
                    f"at most {spec.max_bytes} bytes, got {size}",
                    Code.PROFILE_VALUE_TOO_LONG,
                )
            values[tag] = value
    return values


async def account_import(call: Call) -> dict[str, Any]:
    body = call.body
    # very old docs named the field Identifier; accept it when UserID is absent
    use_old = not body.has(USER_ID.name) and body.has(IDENTIFIER.name)
    user_id = (IDENTIFIER if use_old else USER_ID).read(body)
    await call.ctx.accounts.import_accounts(
        call.sdkappid, [(user_id, _profile_of(body))], origin=call.origin
    )
    return {}


async def multiaccount_import(call: Call) -> dict[str, Any]:
    body = call.body
    failed: list[str] = []
    accounts: list[tuple[str, dict[str, Any]]] = []
    if body.has(ACCOUNT_LIST.name):
        for item in ACCOUNT_LIST.read(body):
            raw = item.get(USER_ID.name)
            if userid_problem(raw):
                failed.append(shown(raw))
                continue
            accounts.append((raw, _profile_of(item)))
    elif body.has(ACCOUNTS.name):
        for raw in ACCOUNTS.read(body):
            if userid_problem(raw):
                failed.append(shown(raw))
            else:
                accounts.append((raw, {}))
    else:
        raise body.bad(ACCOUNTS.name, f"required (or {ACCOUNT_LIST.name})")
    if accounts:
        await call.ctx.accounts.import_accounts(call.sdkappid, accounts, origin=call.origin)
    return {"FailAccounts": failed}


def _user_items(body: Body, spec: Objects) -> list[Any]:
    """The raw ``UserID`` of each ``[{"UserID": ...}, ...]`` item (a bad one is answered per
    item, with 70402)."""
    return [item.get(USER_ID.name) for item in spec.read(body)]


def _valid(raw_ids: list[Any]) -> list[str]:
    return [uid for uid in raw_ids if userid_problem(uid) is None]


async def account_check(call: Call) -> dict[str, Any]:
    raw_ids = _user_items(call.body, CHECK_ITEM)
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
    raw_ids = _user_items(call.body, DELETE_ITEM)
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
    return result_item("UserID", shown(raw), Code.ACCOUNT_BAD_PARAM, f"UserID: {problem}")


ACCOUNT_APIS: tuple[Api, ...] = (
    Api(
        "im_open_login_svc/account_import",
        ACCOUNT,
        account_import,
        '{"UserID":"test","Nick":"test","FaceUrl":"http://www.qq.com"}',
        fields=(USER_ID, IDENTIFIER, NICK, FACE_URL),
        alternatives=(("UserID", "Identifier"),),
        codes=(Code.PROFILE_VALUE_TOO_LONG,),
        summary="Import one account (an existing one is updated: Nick, FaceUrl)",
    ),
    Api(
        "im_open_login_svc/multiaccount_import",
        ACCOUNT,
        multiaccount_import,
        '{"Accounts":["UserID_001","UserID_002","UserID_003"]}',
        fields=(ACCOUNTS, ACCOUNT_LIST),
        alternatives=(("Accounts", "AccountList"),),
        answer={"FailAccounts": array(STR, "the items that are not a valid UserID")},
        codes=(Code.PROFILE_VALUE_TOO_LONG,),
        summary="Import up to 100 accounts",
    ),
    Api(
        "im_open_login_svc/account_delete",
        ACCOUNT,
        account_delete,
        '{"DeleteItem":[{"UserID":"UserID_1"},{"UserID":"UserID_2"}]}',
        fields=(DELETE_ITEM,),
        answer={"ResultItem": items("UserID")},
        item_codes=(Code.OK, Code.ACCOUNT_NOT_FOUND, Code.ACCOUNT_BAD_PARAM),
        summary="Delete up to 100 accounts (with all their relations)",
    ),
    Api(
        "im_open_login_svc/account_check",
        ACCOUNT,
        account_check,
        '{"CheckItem":[{"UserID":"UserID_1"},{"UserID":"UserID_2"}]}',
        fields=(CHECK_ITEM,),
        answer={"ResultItem": items("UserID", AccountStatus={"enum": ["Imported", "NotImported"]})},
        item_codes=(Code.OK, Code.ACCOUNT_BAD_PARAM),
        summary="Check whether up to 100 accounts are imported",
    ),
)
