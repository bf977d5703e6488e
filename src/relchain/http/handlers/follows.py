"""``v4/follow/*``: follow_add, follow_delete, follow_check, follow_get, follow_get_info."""

from __future__ import annotations

from typing import Any

from relchain.domain.errors import FOLLOW, ApiError, Code
from relchain.domain.follows import (
    DEFAULT_WANT_NUM,
    MAX_CHECK,
    MAX_GET_INFO,
    MAX_WANT_NUM,
    MAX_WRITE,
    FollowCaps,
    FollowCounts,
    ListKind,
    profile_tag_order,
)
from relchain.domain.results import ItemResult, Reason
from relchain.http.api import Api
from relchain.http.call import Call
from relchain.http.cursor import decode_cursor, encode_cursor
from relchain.http.wire import fail_accounts, no_account, result_item

__all__ = ["FOLLOW_APIS"]


def _require_enabled(call: Call) -> None:
    if not call.app.settings.follow_enabled:
        raise ApiError(
            Code.FOLLOW_DISABLED,
            "follow_enabled: the follow feature is switched off for this app "
            f"(relchain app set {call.sdkappid} follow_enabled on)",
        )


def _caps(call: Call) -> FollowCaps:
    s = call.app.settings
    return FollowCaps(s.max_following, s.max_followers, s.max_mutual)


def _not_found(account: str) -> str:
    return no_account("To_Account", account)


def _write_info(result: ItemResult, caps: FollowCaps) -> str:
    """The ``ResultInfo`` of one follow_add / follow_delete item."""
    texts = {
        Reason.OK: "",
        Reason.SELF: "To_Account: one cannot follow oneself",
        Reason.MY_FOLLOWING_FULL: "From_Account: already follows the most accounts allowed"
        f" ({caps.max_following})",
        Reason.PEER_FOLLOWERS_FULL: "To_Account: already has the most followers allowed"
        f" ({caps.max_followers})",
        Reason.MY_MUTUAL_FULL: "From_Account: already has the most mutual follows allowed"
        f" ({caps.max_mutual})",
        Reason.PEER_MUTUAL_FULL: "To_Account: already has the most mutual follows allowed"
        f" ({caps.max_mutual})",
    }
    if result.reason is Reason.NO_ACCOUNT:
        return _not_found(result.account)
    return texts[result.reason]


def _write_result(results: list[ItemResult], caps: FollowCaps) -> dict[str, Any]:
    items = [result_item("To_Account", r.account, r.code, _write_info(r, caps)) for r in results]
    return {"ResultItem": items, **fail_accounts(items)}


async def follow_add(call: Call) -> dict[str, Any]:
    _require_enabled(call)
    body = call.body
    from_id = body.account("From_Account")
    to_ids = [
        item.account("To_Account") for item in body.objects("FollowItem", max_items=MAX_WRITE)
    ]
    caps = _caps(call)
    results = await call.ctx.follows.follow(
        call.sdkappid, from_id, to_ids, caps, origin=call.origin
    )
    return _write_result(results, caps)


async def follow_delete(call: Call) -> dict[str, Any]:
    _require_enabled(call)
    body = call.body
    from_id = body.account("From_Account")
    to_ids = body.accounts("To_Account", max_items=MAX_WRITE)
    results = await call.ctx.follows.unfollow(call.sdkappid, from_id, to_ids, origin=call.origin)
    return _write_result(results, _caps(call))


async def follow_check(call: Call) -> dict[str, Any]:
    _require_enabled(call)
    body = call.body
    from_id = body.account("From_Account")
    to_ids = body.accounts("To_Account", max_items=MAX_CHECK)
    types = await call.ctx.follows.check(call.sdkappid, from_id, to_ids)
    items = [
        result_item("To_Account", t, 0, "", FollowType=int(kind))
        if kind is not None
        else result_item("To_Account", t, Code.SNS_ACCOUNT_NOT_FOUND, _not_found(t), FollowType=0)
        for t, kind in zip(to_ids, types, strict=True)
    ]
    return {"ResultItem": items, **fail_accounts(items)}


async def follow_get_info(call: Call) -> dict[str, Any]:
    _require_enabled(call)
    body = call.body
    from_id = body.account("From_Account")
    to_ids = body.accounts("To_Account", max_items=MAX_GET_INFO)
    counts = await call.ctx.follows.counts(call.sdkappid, from_id, to_ids)
    items = []
    for t, found in zip(to_ids, counts, strict=True):
        code, info = (Code.OK, "") if found else (Code.SNS_ACCOUNT_NOT_FOUND, _not_found(t))
        c = found or FollowCounts()
        counters = {
            "FollowerCount": c.followers,
            "FollowingCount": c.following,
            "MutualFollowingCount": c.mutual,
        }
        items.append(result_item("To_Account", t, code, info, **counters))
    return {"FollowInfo": items, **fail_accounts(items)}


async def follow_get(call: Call) -> dict[str, Any]:
    _require_enabled(call)
    body = call.body
    from_id = body.account("From_Account")
    raw_kind = body.integer("FollowType", required=True)
    if raw_kind not in (1, 2, 3):
        raise body.bad(
            "FollowType", f"must be 1 (fans), 2 (following) or 3 (mutual), got {raw_kind}"
        )
    kind = ListKind(raw_kind)
    after = decode_cursor(call.sdkappid, from_id, kind, body.string("StartCursor"))
    want = body.integer("WantNum", default=DEFAULT_WANT_NUM, low=1, high=MAX_WANT_NUM)
    page = await call.ctx.follows.page(call.sdkappid, from_id, kind, after, want)
    last = page.entries[-1].position if page.more else None
    next_cursor = encode_cursor(call.sdkappid, from_id, kind, last) if last else ""
    settings = call.app.settings
    order = profile_tag_order(settings.follow_profile_tags, settings.custom_profile_tags)
    items = [
        {
            "To_Account": account,
            "FollowTime": time,
            "ProfileItem": [{"Tag": tag, "Value": profile[tag]} for tag in order if tag in profile],
            "profile_sequence": seq,
            "ProfileSequence": seq,
        }
        for account, time, profile, seq in page.entries
    ]
    return {"FollowItem": items, "NextCursor": next_cursor}


FOLLOW_APIS: tuple[Api, ...] = (
    Api(
        "follow/follow_add",
        FOLLOW,
        follow_add,
        '{"From_Account":"UserID_001","FollowItem":[{"To_Account":"UserID_002"},'
        '{"To_Account":"UserID_003"}]}',
    ),
    Api(
        "follow/follow_delete",
        FOLLOW,
        follow_delete,
        '{"From_Account":"UserID_001","To_Account":["UserID_002","UserID_003"]}',
    ),
    Api(
        "follow/follow_check",
        FOLLOW,
        follow_check,
        '{"From_Account":"UserID_001","To_Account":["UserID_002","UserID_003"]}',
    ),
    Api(
        "follow/follow_get",
        FOLLOW,
        follow_get,
        # verbatim from the docs, trailing comma included
        '{"From_Account":"UserID_001","FollowType":1,"StartCursor":"","WantNum":100,}',
    ),
    Api(
        "follow/follow_get_info",
        FOLLOW,
        follow_get_info,
        '{"From_Account":"UserID_001","To_Account":["UserID_001","UserID_002","UserID_003"]}',
    ),
)
