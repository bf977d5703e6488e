"""The before-callbacks in the friend-request handlers: which items the app vetoes, and the
answer with each vetoed item's ``ResultCode`` put back in its place (docs/webhooks.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from relchain.domain.sns.friends import AddRequest
from relchain.http.call import Call
from relchain.http.wire import fail_accounts, result_item
from relchain.webhooks import PrevFriendItem, Vetoes

__all__ = ["vetoed_adds", "vetoed_responses", "with_vetoes"]


async def vetoed_adds(
    call: Call, user: str, items: Sequence[AddRequest], *, both: bool, force: bool
) -> Vetoes:
    """``Sns.CallbackPrevFriendAdd`` for a user's own friend_add (none for the REST API)."""
    if not call.user_initiated:
        return {}
    asked = [
        PrevFriendItem(
            i.to,
            {
                "Remark": i.remark,
                "GroupName": i.group,
                "AddSource": i.add_source,
                "AddWording": i.add_wording,
            },
        )
        for i in items
    ]
    return await call.ctx.prev.friend_add(
        call.app,
        call.origin,
        user,
        asked,
        add_type="Add_Type_Both" if both else "Add_Type_Single",
        force=int(force),
    )


async def vetoed_responses(
    call: Call, user: str, items: Sequence[tuple[str, str, str, str]]
) -> Vetoes:
    """``Sns.CallbackPrevFriendResponse`` for (requester, action, remark, list) items."""
    if not call.user_initiated:
        return {}
    asked = [
        PrevFriendItem(to, {"Remark": remark, "TagName": group, "ResponseAction": action})
        for to, action, remark, group in items
    ]
    return await call.ctx.prev.friend_response(call.app, call.origin, user, asked)


def with_vetoes(accounts: Sequence[str], vetoes: Vetoes, answer: dict[str, Any]) -> dict[str, Any]:
    """``answer`` (the ``ResultItem`` of the items that went ahead, in order) with a vetoed
    item's result in the place of each of ``accounts`` the app vetoed."""
    if not vetoes:
        return answer
    done = iter(answer.get("ResultItem", ()))
    items = [
        result_item("To_Account", account, *vetoes[account]) if account in vetoes else next(done)
        for account in accounts
    ]
    rest = {k: v for k, v in answer.items() if k not in ("ResultItem", "Fail_Account")}
    return {"ResultItem": items, **fail_accounts(items), **rest}
