"""Friends: enums, limits, tag rules, values and relations (pure)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from relchain.domain.errors import ApiError, Code

__all__ = [
    "ADD_SOURCE_PREFIX",
    "ADD_TYPES",
    "ADMIN_FORBID_TAG",
    "CHECK_TYPES",
    "CUSTOM_PREFIX",
    "DELETE_TYPES",
    "FORBID_SEND_OUT",
    "INFO_DUPLICATE",
    "INFO_NO_ACCOUNT",
    "MAX_BATCH",
    "MAX_GET_LIST",
    "MAX_LISTS_PER_CALL",
    "MAX_LIST_NAME_BYTES",
    "MAX_REMARK_BYTES",
    "MAX_VALUE_BYTES",
    "MAX_WORDING_BYTES",
    "PAGE_SIZE",
    "STANDARD_SNS_TAGS",
    "TAG_ADD_SOURCE",
    "TAG_ADD_TIME",
    "TAG_ADD_WORDING",
    "TAG_GROUP",
    "TAG_REMARK",
    "UINT32_MAX",
    "BlockPage",
    "FriendData",
    "FriendList",
    "FriendPage",
    "FriendRequest",
    "FriendUpdate",
    "ListsResult",
    "SnsLimits",
    "add_source_problem",
    "check_custom_sns_tag",
    "custom_value_problem",
    "list_name_problem",
    "relation",
    "text_problem",
]


# limits (D:33521, API pages; spec README section 2)
MAX_BATCH = 1000  # friend_add/import/update/delete/check, blocklist add/delete/check, group_add
MAX_GET_LIST = 100  # friend_get_list To_Account
PAGE_SIZE = 500  # friend_get page
MAX_LISTS_PER_CALL = 32  # group_add / group_delete GroupName
MAX_REMARK_BYTES = 96
MAX_WORDING_BYTES = 256
MAX_LIST_NAME_BYTES = 30
MAX_VALUE_BYTES = 500  # custom string values
UINT32_MAX = 2**32 - 1

TAG_GROUP = "Tag_SNS_IM_Group"
TAG_REMARK = "Tag_SNS_IM_Remark"
TAG_ADD_SOURCE = "Tag_SNS_IM_AddSource"
TAG_ADD_WORDING = "Tag_SNS_IM_AddWording"
TAG_ADD_TIME = "Tag_SNS_IM_AddTime"
STANDARD_SNS_TAGS = (TAG_GROUP, TAG_REMARK, TAG_ADD_SOURCE, TAG_ADD_WORDING, TAG_ADD_TIME)
CUSTOM_PREFIX = "Tag_SNS_Custom_"
ADD_SOURCE_PREFIX = "AddSource_Type_"
_KEYWORD = re.compile(r"[A-Za-z]{1,8}")

ADMIN_FORBID_TAG = "Tag_Profile_IM_AdminForbidType"
FORBID_SEND_OUT = "AdminForbid_Type_SendOut"  # the user may not send friend requests (30009)

ADD_TYPES = {"Add_Type_Single": False, "Add_Type_Both": True}  # value: both ways
DELETE_TYPES = {"Delete_Type_Single": False, "Delete_Type_Both": True}
CHECK_TYPES = {"CheckResult_Type_Single": False, "CheckResult_Type_Both": True}

# per-item ResultInfo texts (Tencent style where documented)
INFO_FRIEND_EXISTS = "Err_SNS_FriendAdd_Friend_Exist"
INFO_SELF = "Err_SNS_FriendAdd_Add_Self: cannot add oneself as a friend"
INFO_DUPLICATE = "To_Account: listed more than once in this request"
INFO_NO_ACCOUNT = "Err_SNS_Account_Not_Exist"
INFO = {
    Code.SNS_MY_FRIENDS_FULL: "Err_SNS_FriendAdd_My_Friend_Num_Exceed_Threshold",
    Code.SNS_PEER_FRIENDS_FULL: "Err_SNS_FriendAdd_Peer_Friend_Num_Exceed_Threshold",
    Code.SNS_TOO_MANY_LISTS: "Err_SNS_FriendAdd_Group_Num_Exceed_Threshold",
    Code.SNS_TOO_MANY_PENDING: "Err_SNS_FriendAdd_Pendency_Num_Exceed_Threshold",
    Code.SNS_PEER_IN_MY_BLOCKLIST: "Err_SNS_FriendAdd_Peer_In_My_BlackList",
    Code.SNS_IN_PEER_BLOCKLIST: "Err_SNS_FriendAdd_I_In_Peer_BlackList",
    Code.SNS_PEER_DENY_ANY: "Err_SNS_FriendAdd_Peer_Deny_Any",
    Code.SNS_PENDING: "Err_SNS_FriendAdd_Need_Confirm: pending request stored",
    Code.SNS_ACCOUNT_NOT_FOUND: INFO_NO_ACCOUNT,
}


@dataclass(frozen=True, slots=True)
class SnsLimits:
    """The per-app caps (AppSettings); 0 means unlimited."""

    max_friends: int = 3000
    max_blocklist: int = 1000
    max_lists: int = 32
    max_pending: int = 3000

    @classmethod
    def of(cls, settings: Any) -> SnsLimits:
        return cls(
            settings.max_friends,
            settings.max_blocklist,
            settings.max_friend_lists,
            settings.max_pending_requests,
        )


def _over(count: int, cap: int) -> bool:
    return cap > 0 and count > cap


# ---------------------------------------------------------------- validation


def text_problem(value: str, max_bytes: int) -> str | None:
    size = len(value.encode("utf-8"))
    return f"at most {max_bytes} bytes, got {size}" if size > max_bytes else None


def add_source_problem(value: str) -> str | None:
    """Why ``value`` is not ``AddSource_Type_<1..8 letters>``, or None."""
    if not value.startswith(ADD_SOURCE_PREFIX):
        return f"must be {ADD_SOURCE_PREFIX}<keyword>, got {value!r}"
    if not _KEYWORD.fullmatch(value.removeprefix(ADD_SOURCE_PREFIX)):
        return f"keyword after {ADD_SOURCE_PREFIX} must be 1..8 ASCII letters, got {value!r}"
    return None


def list_name_problem(value: object) -> str | None:
    """Why ``value`` is not a friend list name (non-empty string <= 30 bytes), or None."""
    if not isinstance(value, str):
        return "must be a string"
    if not value:
        return "must not be empty"
    return text_problem(value, MAX_LIST_NAME_BYTES)


def check_custom_sns_tag(tag: str, registered: Sequence[str], where: str) -> None:
    """30001 unless ``tag`` is a registered ``Tag_SNS_Custom_*`` tag."""
    if tag in registered:
        return
    if tag.startswith(CUSTOM_PREFIX):
        raise ApiError(
            Code.SNS_BAD_PARAM,
            f"{where}: custom tag {tag!r} is not registered for this app "
            "(relchain app tag SDKAPPID KEYWORD --sns)",
        )
    raise ApiError(Code.SNS_BAD_PARAM, f"{where}: {tag!r} is not a Tag_SNS_Custom_* tag")


def custom_value_problem(value: object) -> str | None:
    """Custom friend values are a string of <= 500 bytes or an integer 0..2^32-1."""
    if isinstance(value, str):
        return text_problem(value, MAX_VALUE_BYTES)
    if isinstance(value, int) and not isinstance(value, bool):
        return None if 0 <= value <= UINT32_MAX else f"must be 0..{UINT32_MAX}, got {value}"
    return "must be a string or an integer"


# ---------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class FriendData:
    """One friend edge owner -> friend as stored (``custom`` maps registered tags to values)."""

    friend: str
    add_source: str
    add_time: int
    remark: str = ""
    add_wording: str = ""
    remark_time: int = 0
    groups: tuple[str, ...] = ()
    custom: Mapping[str, Any] = field(default_factory=dict)
    position: int = 0


@dataclass(frozen=True, slots=True)
class FriendRequest:
    """A pending friend request requester -> target (the target has NeedConfirm)."""

    requester: str
    target: str
    created_at: int
    add_source: str
    add_wording: str = ""
    remark: str = ""
    group: str = ""
    both: bool = True


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


# ---------------------------------------------------------------- reads and updates


@dataclass(frozen=True, slots=True)
class FriendUpdate:
    """One ``UpdateItem`` of friend_update: None = leave as is."""

    to: str
    remark: str | None = None
    groups: tuple[str, ...] | None = None
    custom: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FriendPage:
    """One friend_get page. ``next_start`` is 0 when the scan is complete."""

    friends: list[FriendData]
    friend_count: int
    standard_sequence: int
    custom_sequence: int
    next_start: int


@dataclass(frozen=True, slots=True)
class BlockPage:
    """One black_list_get page: ``(user, added_at)`` pairs; ``next_start`` 0 = finished."""

    entries: list[tuple[str, int]]
    sequence: int
    next_start: int


@dataclass(frozen=True, slots=True)
class FriendList:
    """A friend list ("group") with its members (in friend position order)."""

    name: str
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ListsResult:
    """group_add's outcome: per-item codes for the friends put in, and the list sequence."""

    results: list[tuple[str, int, str]]
    sequence: int
