"""What the sns handlers (friends, blocklist, lists) share: the app's caps, the texts every
sns API answers alike, and the ``Relation`` values of the check APIs."""

from __future__ import annotations

from relchain.domain.results import Reason
from relchain.domain.sns.rules import SnsLimits
from relchain.http.call import Call
from relchain.http.wire import Texts

__all__ = ["SNS_TEXTS", "limits_of", "relation"]

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
