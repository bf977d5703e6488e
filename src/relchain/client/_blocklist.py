"""``v4/sns/black_list_*``: add, delete, get, check, and the walk over the whole blocklist."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

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
    "BlockCheckType",
    "BlockRelation",
    "BlockedUser",
    "BlocklistCheck",
    "BlocklistPage",
    "black_list_add",
    "black_list_check",
    "black_list_delete",
    "black_list_get",
    "iter_blocklist",
]

DEFAULT_PAGE = 100


class BlockCheckType(StrEnum):
    """black_list_check's ``CheckType``: ``SINGLE`` looks at the caller's blocklist only."""

    SINGLE = "BlackCheckResult_Type_Single"
    BOTH = "BlackCheckResult_Type_Both"


class BlockRelation(StrEnum):
    """black_list_check's ``Relation``: ``A_WITH_B`` means B is on A's (``From_Account``'s)
    blocklist."""

    BOTH_WAY = "BlackCheckResult_Type_BothWay"
    A_WITH_B = "BlackCheckResult_Type_AWithB"
    B_WITH_A = "BlackCheckResult_Type_BWithA"
    NO = "BlackCheckResult_Type_NO"


@dataclass(frozen=True, slots=True)
class BlockedUser:
    """One blocklist entry (wire ``BlackListItem[]``): ``To_Account`` -> ``account``,
    ``AddBlackTimeStamp`` -> ``blocked_at`` (Unix seconds)."""

    account: str
    blocked_at: int


@dataclass(frozen=True, slots=True)
class BlocklistPage:
    """black_list_get's answer: ``BlackListItem`` -> ``entries``, ``StartIndex`` ->
    ``next_start_index`` (0: the last page), ``CurruentSequence`` (sic) -> ``sequence`` (the
    blocklist's version)."""

    entries: tuple[BlockedUser, ...]
    next_start_index: int
    sequence: int


@dataclass(frozen=True, slots=True)
class BlocklistCheck(ItemResult):
    """black_list_check's item (wire ``BlackListCheckItem[]``): ``Relation`` -> ``relation``."""

    relation: BlockRelation


@endpoint("sns/black_list_add")
def black_list_add(from_account: str, to_accounts: Sequence[str]) -> Wire[Batch[ItemResult]]:
    """Block up to 1000 accounts; this ends friendships and pending requests with them."""
    return {
        "From_Account": from_account,
        "To_Account": string_list("to_accounts", to_accounts),
    }, items_result


@endpoint("sns/black_list_delete")
def black_list_delete(from_account: str, to_accounts: Sequence[str]) -> Wire[Batch[ItemResult]]:
    """Unblock up to 1000 accounts (not blocked: 0)."""
    return {
        "From_Account": from_account,
        "To_Account": string_list("to_accounts", to_accounts),
    }, items_result


def _page(answer: Reader) -> BlocklistPage:
    entries = tuple(
        BlockedUser(item.text("To_Account"), item.integer("AddBlackTimeStamp", 0))
        for item in answer.objects("BlackListItem", ())
    )
    return BlocklistPage(
        entries, answer.integer("StartIndex", 0), answer.integer("CurruentSequence", 0)
    )


@endpoint("sns/black_list_get", read=True)
def black_list_get(
    from_account: str,
    *,
    start_index: int = 0,
    max_limited: int = DEFAULT_PAGE,
    last_sequence: int = 0,
) -> Wire[BlocklistPage]:
    """One page (``max_limited`` 1..1000) of ``from_account``'s blocklist from ``start_index``.
    A first page asked with the current ``last_sequence`` comes back empty: nothing changed."""
    return {
        "From_Account": from_account,
        "StartIndex": start_index,
        "MaxLimited": max_limited,
        "LastSequence": last_sequence,
    }, _page


def _check(item: Reader) -> BlocklistCheck:
    return BlocklistCheck(
        *item_fields(item), item.choice("Relation", BlockRelation, BlockRelation.NO)
    )


@endpoint("sns/black_list_check", read=True)
def black_list_check(
    from_account: str,
    to_accounts: Sequence[str],
    *,
    check_type: BlockCheckType = BlockCheckType.BOTH,
) -> Wire[Batch[BlocklistCheck]]:
    """The blocklist relation of ``from_account`` with each of up to 1000 accounts."""
    return {
        "From_Account": from_account,
        "To_Account": string_list("to_accounts", to_accounts),
        "CheckType": str(check_type),
    }, batch("BlackListCheckItem", _check)


def _entries(page: BlocklistPage) -> tuple[BlockedUser, ...]:
    return page.entries


@pages(_entries)
def iter_blocklist(from_account: str, *, page_size: int = DEFAULT_PAGE) -> Walk[BlocklistPage]:
    """Every account on ``from_account``'s blocklist, in the order they were first blocked
    (black_list_get, all pages)."""
    start = 0
    while True:
        page = yield black_list_get.request(from_account, start_index=start, max_limited=page_size)
        if not page.next_start_index:
            return
        start = page.next_start_index
