"""What the sns handlers (friends, blocklist, lists) share: the app's caps, the texts every
sns API answers alike, and the ``Relation`` values of the check APIs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from relchain.domain.errors import Code
from relchain.domain.results import Reason
from relchain.domain.sns.rules import SnsLimits
from relchain.http.call import Call
from relchain.http.wire import Texts

__all__ = ["SNS_TEXTS", "check_items", "limits_of", "relation"]

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
