"""``v4/follow/*``: follow_add, follow_delete, follow_check, follow_get, follow_get_info, and
the walks over every follower, following and mutual follower."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from relchain.client._endpoint import Walk, Wire, endpoint, pages
from relchain.client._wire import (
    Batch,
    ItemResult,
    Reader,
    batch,
    item_fields,
    items_result,
    string_list,
)

__all__ = [
    "FollowCheck",
    "FollowCounts",
    "FollowEntry",
    "FollowPage",
    "FollowType",
    "follow_add",
    "follow_check",
    "follow_delete",
    "follow_get",
    "follow_get_info",
    "iter_followers",
    "iter_following",
    "iter_mutual_followers",
]

DEFAULT_PAGE = 100


class FollowType(IntEnum):
    """The wire's ``FollowType``. In follow_check: how ``To_Account`` relates to
    ``From_Account``; in follow_get: which list (1, 2 or 3)."""

    NONE = 0
    FOLLOWER = 1  # To_Account follows From_Account (a fan); follow_get: the followers list
    FOLLOWING = 2  # From_Account follows To_Account; follow_get: the following list
    MUTUAL = 3  # both; follow_get: the mutual list


@dataclass(frozen=True, slots=True)
class FollowCheck(ItemResult):
    """follow_check's item. Wire: ``FollowType`` -> ``follow_type``."""

    follow_type: FollowType


@dataclass(frozen=True, slots=True)
class FollowCounts(ItemResult):
    """follow_get_info's item (wire ``FollowInfo[]``): ``FollowerCount`` -> ``followers``,
    ``FollowingCount`` -> ``following``, ``MutualFollowingCount`` -> ``mutual``."""

    followers: int
    following: int
    mutual: int


@dataclass(frozen=True, slots=True)
class FollowEntry:
    """One account of a follow list (wire ``FollowItem[]``): ``To_Account`` -> ``account``,
    ``FollowTime`` -> ``follow_time`` (Unix seconds; for the mutual list, when the pair became
    mutual), ``ProfileItem`` -> ``profile`` (``{tag: value}``), ``profile_sequence`` ->
    ``profile_sequence`` (the account's profile version)."""

    account: str
    follow_time: int
    profile: dict[str, Any]
    profile_sequence: int


@dataclass(frozen=True, slots=True)
class FollowPage:
    """follow_get's answer: ``FollowItem`` -> ``entries`` (newest first), ``NextCursor`` ->
    ``next_cursor`` (``""`` exactly when nothing follows)."""

    entries: tuple[FollowEntry, ...]
    next_cursor: str


@endpoint("follow/follow_add")
def follow_add(from_account: str, to_accounts: Sequence[str]) -> Wire[Batch[ItemResult]]:
    """``from_account`` follows each of up to 20 accounts (already followed: 0, the original
    follow time is kept). Item codes: 30001 oneself, 30003 no such account, 32100..32103 caps."""
    items = [{"To_Account": to} for to in string_list("to_accounts", to_accounts)]
    return {"From_Account": from_account, "FollowItem": items}, items_result


@endpoint("follow/follow_delete")
def follow_delete(from_account: str, to_accounts: Sequence[str]) -> Wire[Batch[ItemResult]]:
    """``from_account`` unfollows each of up to 20 accounts (not followed: 0)."""
    return {
        "From_Account": from_account,
        "To_Account": string_list("to_accounts", to_accounts),
    }, items_result


def _check(item: Reader) -> FollowCheck:
    return FollowCheck(*item_fields(item), item.choice("FollowType", FollowType, FollowType.NONE))


@endpoint("follow/follow_check", read=True)
def follow_check(from_account: str, to_accounts: Sequence[str]) -> Wire[Batch[FollowCheck]]:
    """How each of up to 100 accounts relates to ``from_account`` (:class:`FollowType`)."""
    return {
        "From_Account": from_account,
        "To_Account": string_list("to_accounts", to_accounts),
    }, batch("ResultItem", _check)


def _page(answer: Reader) -> FollowPage:
    entries = tuple(
        FollowEntry(
            item.text("To_Account"),
            item.integer("FollowTime"),
            item.tags("ProfileItem"),
            item.integer("profile_sequence", item.integer("ProfileSequence", 0)),
        )
        for item in answer.objects("FollowItem", ())
    )
    return FollowPage(entries, answer.text("NextCursor", ""))


@endpoint("follow/follow_get", read=True)
def follow_get(
    from_account: str,
    follow_type: FollowType,
    *,
    start_cursor: str = "",
    want_num: int = DEFAULT_PAGE,
) -> Wire[FollowPage]:
    """One page (``want_num`` 1..1000) of ``from_account``'s followers (``FOLLOWER``), following
    (``FOLLOWING``) or mutual followers (``MUTUAL``), from ``start_cursor`` (``""`` = first)."""
    return {
        "From_Account": from_account,
        "FollowType": int(follow_type),
        "StartCursor": start_cursor,
        "WantNum": want_num,
    }, _page


def _counts(item: Reader) -> FollowCounts:
    return FollowCounts(
        *item_fields(item),
        item.integer("FollowerCount", 0),
        item.integer("FollowingCount", 0),
        item.integer("MutualFollowingCount", 0),
    )


@endpoint("follow/follow_get_info", read=True)
def follow_get_info(from_account: str, to_accounts: Sequence[str]) -> Wire[Batch[FollowCounts]]:
    """The follower, following and mutual counts of up to 20 accounts (``from_account`` may be
    one of them)."""
    return {
        "From_Account": from_account,
        "To_Account": string_list("to_accounts", to_accounts),
    }, batch("FollowInfo", _counts)


def _walk(from_account: str, follow_type: FollowType, page_size: int) -> Walk[FollowPage]:
    cursor = ""
    while True:
        page = yield follow_get.request(
            from_account, follow_type, start_cursor=cursor, want_num=page_size
        )
        if not page.next_cursor:
            return
        cursor = page.next_cursor


def _entries(page: FollowPage) -> tuple[FollowEntry, ...]:
    return page.entries


@pages(_entries)
def iter_followers(from_account: str, *, page_size: int = DEFAULT_PAGE) -> Walk[FollowPage]:
    """Every follower of ``from_account``, newest first (follow_get, all pages)."""
    return _walk(from_account, FollowType.FOLLOWER, page_size)


@pages(_entries)
def iter_following(from_account: str, *, page_size: int = DEFAULT_PAGE) -> Walk[FollowPage]:
    """Every account ``from_account`` follows, newest first (follow_get, all pages)."""
    return _walk(from_account, FollowType.FOLLOWING, page_size)


@pages(_entries)
def iter_mutual_followers(from_account: str, *, page_size: int = DEFAULT_PAGE) -> Walk[FollowPage]:
    """Every mutual follower of ``from_account``, newest first (follow_get, all pages)."""
    return _walk(from_account, FollowType.MUTUAL, page_size)
