"""``v4/sns/black_list_*``: add, delete, get, check."""

from __future__ import annotations

from typing import Any

from relchain.domain.errors import SNS, Code
from relchain.domain.results import Reason
from relchain.http.api import Api
from relchain.http.call import Call
from relchain.http.fields import Integer, Text
from relchain.http.handlers._sns import (
    FROM_ACCOUNT,
    SNS_CODES,
    SNS_TEXTS,
    TO_ACCOUNTS,
    check_items,
    limits_of,
    relation_schema,
)
from relchain.http.shapes import FAIL_ACCOUNT, INT, STR, array, items, obj
from relchain.http.wire import Texts, fail_accounts, items_result

__all__ = ["BLOCKLIST_APIS"]

MAX_PAGE = 1000  # black_list_get MaxLimited
BLACK_CHECK_TYPES = {"BlackCheckResult_Type_Single": False, "BlackCheckResult_Type_Both": True}
ADD_TEXTS: Texts = {
    **SNS_TEXTS,
    Reason.SELF: "Err_SNS_BlackListAdd_Self",
    Reason.ALREADY_BLOCKED: "Err_SNS_BlackListAdd_Already_Exist",
    Reason.BLOCKLIST_FULL: "Err_SNS_BlackListAdd_Exceed_Threshold",
}
START_INDEX = Integer("StartIndex", required=True, low=0, doc="0, then the answer's StartIndex")
MAX_LIMITED = Integer("MaxLimited", required=True, low=1, high=MAX_PAGE)
LAST_SEQUENCE = Integer(
    "LastSequence", required=True, low=0, doc="the last CurruentSequence seen; 0 at first"
)
CHECK_TYPE = Text("CheckType", required=True, choices=tuple(BLACK_CHECK_TYPES))


async def black_list_add(call: Call) -> dict[str, Any]:
    body = call.body
    user = FROM_ACCOUNT.read(body)
    others = TO_ACCOUNTS.read(body)
    outcome = await call.ctx.blocklist.add(
        call.sdkappid, user, others, limits=limits_of(call), origin=call.origin
    )
    return items_result(outcome.results, ADD_TEXTS)


async def black_list_delete(call: Call) -> dict[str, Any]:
    body = call.body
    user = FROM_ACCOUNT.read(body)
    others = TO_ACCOUNTS.read(body)
    outcome = await call.ctx.blocklist.delete(call.sdkappid, user, others, origin=call.origin)
    return items_result(outcome.results, SNS_TEXTS)


async def black_list_get(call: Call) -> dict[str, Any]:
    body = call.body
    user = FROM_ACCOUNT.read(body)
    start = START_INDEX.read(body)
    limit = MAX_LIMITED.read(body)
    last_sequence = LAST_SEQUENCE.read(body)
    page = await call.ctx.blocklist.page(call.sdkappid, user, start, limit)
    if start == 0 and last_sequence and last_sequence == page.sequence:
        # a fresh pull by a caller that already has this version: nothing changed
        return {"BlackListItem": [], "StartIndex": 0, "CurruentSequence": page.sequence}
    return {
        "BlackListItem": [
            {"To_Account": user_id, "AddBlackTimeStamp": added} for user_id, added in page.entries
        ],
        "StartIndex": page.next_start,
        "CurruentSequence": page.sequence,
    }


async def black_list_check(call: Call) -> dict[str, Any]:
    body = call.body
    user = FROM_ACCOUNT.read(body)
    others = TO_ACCOUNTS.read(body)
    both = BLACK_CHECK_TYPES[CHECK_TYPE.read(body)]
    found = await call.ctx.blocklist.check(call.sdkappid, user, others)
    items = check_items(others, found, both=both, prefix="BlackCheckResult_Type_", none="NO")
    return {"BlackListCheckItem": items, **fail_accounts(items)}


_ITEMS = {"ResultItem": items(), "Fail_Account": FAIL_ACCOUNT}
BLOCKLIST_APIS: tuple[Api, ...] = (
    Api(
        "sns/black_list_add",
        SNS,
        black_list_add,
        '{"From_Account":"id","To_Account":["id1","id2","id3"]}',
        fields=(FROM_ACCOUNT, TO_ACCOUNTS),
        answer=_ITEMS,
        codes=SNS_CODES,
        item_codes=(
            Code.OK,
            Code.SNS_BAD_PARAM,
            Code.SNS_ACCOUNT_NOT_FOUND,
            Code.SNS_BLOCKLIST_FULL,
        ),
        summary="Block accounts (ends friendships and pending requests with them)",
    ),
    Api(
        "sns/black_list_delete",
        SNS,
        black_list_delete,
        '{"From_Account":"id","To_Account":["id1","id2","id3"]}',
        fields=(FROM_ACCOUNT, TO_ACCOUNTS),
        answer=_ITEMS,
        codes=SNS_CODES,
        item_codes=(Code.OK, Code.SNS_BAD_PARAM, Code.SNS_ACCOUNT_NOT_FOUND),
        summary="Unblock accounts",
    ),
    Api(
        "sns/black_list_get",
        SNS,
        black_list_get,
        '{"From_Account":"id","StartIndex":0,"MaxLimited":30,"LastSequence":12}',
        fields=(FROM_ACCOUNT, START_INDEX, MAX_LIMITED, LAST_SEQUENCE),
        answer={
            "BlackListItem": array(
                obj(("To_Account", "AddBlackTimeStamp"), To_Account=STR, AddBlackTimeStamp=INT)
            ),
            "StartIndex": {"type": "integer", "description": "the next start; 0: finished"},
            "CurruentSequence": {"type": "integer", "description": "(sic) the list's version"},
        },
        codes=SNS_CODES,
        summary="One page of From_Account's blocklist",
    ),
    Api(
        "sns/black_list_check",
        SNS,
        black_list_check,
        '{"From_Account":"id","To_Account":["id1","id2","id3","id4","id5"],'
        '"CheckType":"BlackCheckResult_Type_Both"}',
        fields=(FROM_ACCOUNT, TO_ACCOUNTS, CHECK_TYPE),
        answer={
            "BlackListCheckItem": items(Relation=relation_schema("BlackCheckResult_Type_", "NO")),
            "Fail_Account": FAIL_ACCOUNT,
        },
        codes=SNS_CODES,
        item_codes=(Code.OK, Code.SNS_ACCOUNT_NOT_FOUND),
        summary="Check blocklists",
    ),
)
