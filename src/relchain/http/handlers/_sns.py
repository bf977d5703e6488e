"""What the sns handlers (friends, blocklist, lists) share: the app's caps, the texts every
sns API answers alike, and the ``Relation`` values of the check APIs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from relchain.domain.errors import Code
from relchain.domain.results import Reason
from relchain.domain.sns.rules import (
    ADD_SOURCE_PREFIX,
    MAX_BATCH,
    MAX_LIST_NAME_BYTES,
    MAX_VALUE_BYTES,
    SnsLimits,
)
from relchain.http.call import Call
from relchain.http.fields import Raw, Schema, Text, UserId, UserIds
from relchain.http.wire import Texts

__all__ = [
    "ADD_SOURCE",
    "CUSTOM_VALUE",
    "FROM_ACCOUNT",
    "LIST_NAME",
    "SNS_CODES",
    "SNS_TEXTS",
    "TO_ACCOUNT",
    "TO_ACCOUNTS",
    "check_items",
    "limits_of",
    "relation",
    "relation_schema",
]

FROM_ACCOUNT = UserId("From_Account", doc="the user whose relations are read or changed")
TO_ACCOUNT = UserId("To_Account")
TO_ACCOUNTS = UserIds("To_Account", max_items=MAX_BATCH)
LIST_NAME: Schema = {
    "type": "string",
    "minLength": 1,
    "maxLength": MAX_LIST_NAME_BYTES,
    "description": f"a friend list name: 1..{MAX_LIST_NAME_BYTES} bytes of UTF-8",
}
ADD_SOURCE = Text(
    "AddSource",
    required=True,
    pattern=f"^{ADD_SOURCE_PREFIX}[A-Za-z]{{1,8}}$",
    doc=f"{ADD_SOURCE_PREFIX} and a keyword of 1..8 ASCII letters",
)
CUSTOM_VALUE = Raw(
    "Value",
    required=True,
    shape={
        "anyOf": [
            {"type": "string", "maxLength": MAX_VALUE_BYTES},
            {"type": "integer", "minimum": 0, "maximum": 2**32 - 1},
        ]
    },
    doc=f"a string of at most {MAX_VALUE_BYTES} bytes or an integer 0..4294967295",
)
# whole-request codes every sns API may answer besides every API's: From_Account missing
SNS_CODES: tuple[int, ...] = (Code.SNS_ACCOUNT_NOT_FOUND,)


def relation_schema(prefix: str, none: str) -> Schema:
    """The ``Relation`` values of friend_check / black_list_check."""
    return {"enum": [prefix + name for name in ("BothWay", "AWithB", "BWithA", none)]}


SNS_TEXTS: Texts = {
    Reason.DUPLICATE: "To_Account: listed more than once in this request",
    Reason.NO_ACCOUNT: "Err_SNS_Account_Not_Exist",
}


def limits_of(call: Call) -> SnsLimits:
    return SnsLimits.of(call.app.settings)


def relation(mine: bool, theirs: bool, both: bool, prefix: str, none: str) -> str:
    """The ``Relation`` value: ``mine`` = B is in A's list, ``theirs`` = A is in B's list."""
    if not both:
        return prefix + ("AWithB" if mine else none)
    if mine and theirs:
        return prefix + "BothWay"
    if mine:
        return prefix + "AWithB"
    if theirs:
        return prefix + "BWithA"
    return prefix + none


def check_items(
    others: Sequence[str],
    found: Mapping[str, tuple[bool, bool]],
    *,
    both: bool,
    prefix: str,
    none: str,
) -> list[dict[str, Any]]:
    """The items of friend_check / black_list_check: each account's ``Relation``; an account
    that does not exist is 30003."""
    items = []
    for other in others:
        mine, theirs = found.get(other, (False, False))
        code, info = (
            (0, "")
            if other in found
            else (Code.SNS_ACCOUNT_NOT_FOUND, SNS_TEXTS[Reason.NO_ACCOUNT])
        )
        items.append(
            {
                "To_Account": other,
                "Relation": relation(mine, theirs, both, prefix, none),
                "ResultCode": int(code),
                "ResultInfo": info,
            }
        )
    return items
