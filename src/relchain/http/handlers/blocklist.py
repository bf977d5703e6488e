"""``v4/sns/black_list_*``: add, delete, get, check."""

from __future__ import annotations

from typing import Any

from relchain.domain.errors import SNS
from relchain.domain.results import Reason
from relchain.domain.sns.rules import MAX_BATCH
from relchain.http.api import Api
from relchain.http.call import Call
from relchain.http.handlers._sns import SNS_TEXTS, check_items, limits_of
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


async def black_list_add(call: Call) -> dict[str, Any]:
    body = call.body
    user = body.account("From_Account")
    others = body.accounts("To_Account", max_items=MAX_BATCH)
    outcome = await call.ctx.blocklist.add(
        call.sdkappid, user, others, limits=limits_of(call), origin=call.origin
    )
    return items_result(outcome.results, ADD_TEXTS)


async def black_list_delete(call: Call) -> dict[str, Any]:
    body = call.body
    user = body.account("From_Account")
    others = body.accounts("To_Account", max_items=MAX_BATCH)
    outcome = await call.ctx.blocklist.delete(call.sdkappid, user, others, origin=call.origin)
    return items_result(outcome.results, SNS_TEXTS)


async def black_list_get(call: Call) -> dict[str, Any]:
    body = call.body
    user = body.account("From_Account")
    start = body.integer("StartIndex", required=True, low=0)
    limit = body.integer("MaxLimited", required=True, low=1, high=MAX_PAGE)
    last_sequence = body.integer("LastSequence", required=True, low=0)
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
    user = body.account("From_Account")
    others = body.accounts("To_Account", max_items=MAX_BATCH)
    check_type = body.string("CheckType", required=True)
    if check_type not in BLACK_CHECK_TYPES:
        raise body.bad(
            "CheckType", f"must be one of {', '.join(BLACK_CHECK_TYPES)}, got {check_type!r}"
        )
    both = BLACK_CHECK_TYPES[check_type]
    found = await call.ctx.blocklist.check(call.sdkappid, user, others)
    items = check_items(others, found, both=both, prefix="BlackCheckResult_Type_", none="NO")
    return {"BlackListCheckItem": items, **fail_accounts(items)}


BLOCKLIST_APIS: tuple[Api, ...] = (
    Api(
        "sns/black_list_add",
        SNS,
        black_list_add,
        '{"From_Account":"id","To_Account":["id1","id2","id3"]}',
    ),
    Api(
        "sns/black_list_delete",
        SNS,
        black_list_delete,
        '{"From_Account":"id","To_Account":["id1","id2","id3"]}',
    ),
    Api(
        "sns/black_list_get",
        SNS,
        black_list_get,
        '{"From_Account":"id","StartIndex":0,"MaxLimited":30,"LastSequence":12}',
    ),
    Api(
        "sns/black_list_check",
        SNS,
        black_list_check,
        '{"From_Account":"id","To_Account":["id1","id2","id3","id4","id5"],'
        '"CheckType":"BlackCheckResult_Type_Both"}',
    ),
)
