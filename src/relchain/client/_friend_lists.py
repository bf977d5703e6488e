"""``v4/sns/group_*``: friend lists ("groups") add, delete and get."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from relchain.client._endpoint import Wire, endpoint
from relchain.client._wire import Batch, ItemResult, Reader, items_result, string_list

__all__ = ["FriendList", "FriendLists", "ListChange", "group_add", "group_delete", "group_get"]

NEED_FRIEND_YES = "Need_Friend_Type_Yes"


@dataclass(frozen=True, slots=True)
class ListChange:
    """group_add's answer: ``CurrentSequence`` -> ``sequence`` (the lists' version),
    ``ResultItem`` -> ``results`` (one per ``to_accounts`` item; empty without them)."""

    sequence: int
    results: Batch[ItemResult]


@dataclass(frozen=True, slots=True)
class FriendList:
    """One friend list of group_get (wire ``ResultItem[]``): ``GroupName`` -> ``name``,
    ``FriendNumber`` -> ``friend_count``, ``To_Account`` -> ``members`` (``None`` unless asked
    for with ``need_friend``)."""

    name: str
    friend_count: int
    members: tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class FriendLists:
    """group_get's answer: ``ResultItem`` -> ``lists`` (in creation order),
    ``CurrentSequence`` -> ``sequence``."""

    lists: tuple[FriendList, ...]
    sequence: int

    def get(self, name: str) -> FriendList | None:
        return next((item for item in self.lists if item.name == name), None)


def _change(answer: Reader) -> ListChange:
    return ListChange(answer.integer("CurrentSequence", 0), items_result(answer))


@endpoint("sns/group_add")
def group_add(
    from_account: str, group_names: Sequence[str], to_accounts: Sequence[str] = ()
) -> Wire[ListChange]:
    """Create up to 32 friend lists (existing ones are kept) and put the friends
    ``to_accounts`` (up to 1000) into every one of them (not a friend: item code 32216)."""
    body: dict[str, Any] = {
        "From_Account": from_account,
        "GroupName": string_list("group_names", group_names),
    }
    if to_accounts:
        body["To_Account"] = string_list("to_accounts", to_accounts)
    return body, _change


def _sequence(answer: Reader) -> int:
    return answer.integer("CurrentSequence", 0)


@endpoint("sns/group_delete")
def group_delete(from_account: str, group_names: Sequence[str]) -> Wire[int]:
    """Delete up to 32 friend lists (unknown names are ignored); returns the lists' version."""
    return {
        "From_Account": from_account,
        "GroupName": string_list("group_names", group_names),
    }, _sequence


def _lists(answer: Reader) -> FriendLists:
    lists = tuple(
        FriendList(
            item.text("GroupName"),
            item.integer("FriendNumber", 0),
            item.strings("To_Account") if "To_Account" in item.data else None,
        )
        for item in answer.objects("ResultItem", ())
    )
    return FriendLists(lists, answer.integer("CurrentSequence", 0))


@endpoint("sns/group_get", read=True)
def group_get(
    from_account: str, *, group_names: Sequence[str] | None = None, need_friend: bool = False
) -> Wire[FriendLists]:
    """``from_account``'s friend lists (only ``group_names`` when given), with their members
    when ``need_friend``."""
    body: dict[str, Any] = {"From_Account": from_account}
    if need_friend:
        body["NeedFriend"] = NEED_FRIEND_YES
    if group_names is not None:
        body["GroupName"] = string_list("group_names", group_names)
    return body, _lists
