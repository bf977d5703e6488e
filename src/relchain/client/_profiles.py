"""``v4/profile/*``: portrait_set and portrait_get, and the profile tag names and values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from relchain.client._endpoint import Wire, endpoint
from relchain.client._wire import (
    Batch,
    ItemResult,
    Reader,
    batch,
    item_fields,
    nothing,
    string_list,
    tag_items,
)

__all__ = [
    "AdminForbidType",
    "AllowType",
    "Gender",
    "ProfileTag",
    "UserProfile",
    "portrait_get",
    "portrait_set",
]


class ProfileTag(StrEnum):
    """The standard profile tags. Custom ones are ``"Tag_Profile_Custom_<keyword>"`` strings
    (registered for the app first: ``relchain app tag add``)."""

    NICK = "Tag_Profile_IM_Nick"
    GENDER = "Tag_Profile_IM_Gender"
    BIRTHDAY = "Tag_Profile_IM_BirthDay"
    LOCATION = "Tag_Profile_IM_Location"
    SELF_SIGNATURE = "Tag_Profile_IM_SelfSignature"
    ALLOW_TYPE = "Tag_Profile_IM_AllowType"
    LANGUAGE = "Tag_Profile_IM_Language"
    IMAGE = "Tag_Profile_IM_Image"
    MSG_SETTINGS = "Tag_Profile_IM_MsgSettings"
    ADMIN_FORBID_TYPE = "Tag_Profile_IM_AdminForbidType"
    LEVEL = "Tag_Profile_IM_Level"
    ROLE = "Tag_Profile_IM_Role"


class Gender(StrEnum):
    """Values of ``ProfileTag.GENDER``."""

    UNKNOWN = "Gender_Type_Unknown"
    FEMALE = "Gender_Type_Female"
    MALE = "Gender_Type_Male"


class AllowType(StrEnum):
    """Values of ``ProfileTag.ALLOW_TYPE``: how others may add the user as a friend."""

    NEED_CONFIRM = "AllowType_Type_NeedConfirm"
    ALLOW_ANY = "AllowType_Type_AllowAny"
    DENY_ANY = "AllowType_Type_DenyAny"


class AdminForbidType(StrEnum):
    """Values of ``ProfileTag.ADMIN_FORBID_TYPE``: ``SEND_OUT`` forbids sending friend requests."""

    NONE = "AdminForbid_Type_None"
    SEND_OUT = "AdminForbid_Type_SendOut"


@dataclass(frozen=True, slots=True)
class UserProfile(ItemResult):
    """portrait_get's item. Wire: ``UserProfileItem[]``: ``To_Account`` -> ``account``,
    ``ProfileItem`` ``[{"Tag", "Value"}]`` -> ``tags`` (``{tag: value}`` in the asked order)."""

    tags: dict[str, Any]


@endpoint("profile/portrait_set")
def portrait_set(from_account: str, profile: Mapping[str, Any]) -> Wire[None]:
    """Set profile tags of ``from_account`` (``{ProfileTag.NICK: "Alice", ...}``, up to 100).
    Every tag is checked first: one bad tag fails the call and nothing is written."""
    return {"From_Account": from_account, "ProfileItem": tag_items(profile)}, nothing


def _profile(item: Reader) -> UserProfile:
    return UserProfile(*item_fields(item), item.tags("ProfileItem"))


@endpoint("profile/portrait_get", read=True)
def portrait_get(to_accounts: Sequence[str], tag_list: Sequence[str]) -> Wire[Batch[UserProfile]]:
    """The ``tag_list`` tags of up to 100 accounts. Standard tags never set come with their
    default; a missing account is item code 40003."""
    return {
        "To_Account": string_list("to_accounts", to_accounts),
        "TagList": string_list("tag_list", tag_list),
    }, batch("UserProfileItem", _profile)
