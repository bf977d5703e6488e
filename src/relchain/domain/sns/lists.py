"""Friend lists ("groups"): the values and the group_add decision table (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from relchain.domain.errors import ApiError, Code
from relchain.domain.results import ItemResult, Reason
from relchain.domain.sns.plan import SnsChanges
from relchain.domain.sns.rules import SnsLimits, over

__all__ = ["FriendList", "ListsOutcome", "TooManyLists", "plan_list_add"]


@dataclass(frozen=True, slots=True)
class FriendList:
    """A friend list ("group") with its members (in friend position order)."""

    name: str
    members: tuple[str, ...]


class TooManyLists(ApiError):
    """group_add would pass the list cap (a whole-request failure: nothing is written; the
    text naming the field is written by ``relchain.http``)."""

    def __init__(self, cap: int, have: int, adding: int) -> None:
        super().__init__(
            Code.SNS_TOO_MANY_LISTS,
            f"at most {cap} friend lists per user; has {have}, this request would add {adding}",
        )
        self.cap = cap
        self.have = have
        self.adding = adding


@dataclass(frozen=True, slots=True)
class ListsOutcome:
    """group_add / group_delete: per-member results, the list sequence after, what changed."""

    results: list[ItemResult]
    sequence: int
    changes: SnsChanges


def plan_list_add(
    lists: Sequence[str],
    names: Sequence[str],
    members: Sequence[str],
    existing: set[str],
    friends: set[str],
    *,
    limits: SnsLimits,
) -> tuple[list[str], list[ItemResult]]:
    """Decide group_add: (lists to create, per-member results). Raises :class:`TooManyLists`
    when the new lists would pass the cap; non-friend 32216; no account 30003."""
    missing = [n for n in dict.fromkeys(names) if n not in lists]
    if missing and over(len(lists) + len(missing), limits.max_lists):
        raise TooManyLists(limits.max_lists, len(lists), len(missing))
    results: list[ItemResult] = []
    for member in members:
        if member in friends:
            results.append(ItemResult.ok(member))
        elif member in existing:
            results.append(ItemResult(member, Code.SNS_GROUP_NOT_FRIEND, Reason.NOT_FRIEND))
        else:
            results.append(ItemResult(member, Code.SNS_ACCOUNT_NOT_FOUND, Reason.NO_ACCOUNT))
    return missing, results
