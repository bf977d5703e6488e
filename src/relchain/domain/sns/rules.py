"""sns limits, tags and value rules (pure)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from relchain.domain.errors import ApiError, Code

__all__ = [
    "ADD_SOURCE_PREFIX",
    "ADMIN_FORBID_TAG",
    "CUSTOM_PREFIX",
    "FORBID_SEND_OUT",
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
    "SnsLimits",
    "add_source_problem",
    "check_custom_sns_tag",
    "custom_value_problem",
    "list_name_problem",
    "over",
    "text_problem",
]


# limits of Tencent's sns APIs (docs/api/sns.md lists them with their sources)
MAX_BATCH = 1000  # friend_add/import/update/delete/check, blocklist add/delete/check, group_add
MAX_GET_LIST = 100  # friend_get_list: accounts per call
PAGE_SIZE = 500  # friend_get page
MAX_LISTS_PER_CALL = 32  # group_add / group_delete: list names per call
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


def over(count: int, cap: int) -> bool:
    """``count`` is past ``cap`` (0 = no cap)."""
    return cap > 0 and count > cap


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
            f"(relchain app tag add SDKAPPID {tag} --sns)",
        )
    raise ApiError(Code.SNS_BAD_PARAM, f"{where}: {tag!r} is not a Tag_SNS_Custom_* tag")


def custom_value_problem(value: object) -> str | None:
    """Custom friend values are a string of <= 500 bytes or an integer 0..2^32-1."""
    if isinstance(value, str):
        return text_problem(value, MAX_VALUE_BYTES)
    if isinstance(value, int) and not isinstance(value, bool):
        return None if 0 <= value <= UINT32_MAX else f"must be 0..{UINT32_MAX}, got {value}"
    return "must be a string or an integer"
