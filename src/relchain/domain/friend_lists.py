"""Friend lists ("groups"): the rules live in :mod:`relchain.domain.friends`; re-exported here."""

from __future__ import annotations

from relchain.domain.friends import (
    MAX_LIST_NAME_BYTES,
    MAX_LISTS_PER_CALL,
    FriendList,
    ListsResult,
    list_name_problem,
)

__all__ = [
    "MAX_LISTS_PER_CALL",
    "MAX_LIST_NAME_BYTES",
    "NEED_FRIEND_YES",
    "FriendList",
    "ListsResult",
    "list_name_problem",
]

NEED_FRIEND_YES = "Need_Friend_Type_Yes"
