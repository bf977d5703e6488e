"""``v4/sns/friend_*``: add, import, update, delete, delete_all, check, get, get_list, and the
walk over every friend."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from relchain.client._endpoint import Walk, Wire, endpoint, pages
from relchain.client._wire import (
    Batch,
    ItemResult,
    Reader,
    batch,
    item_fields,
    items_result,
    nothing,
    string_list,
    tag_items,
)

__all__ = [
    "AddFriend",
    "AddType",
    "CheckType",
    "DeleteType",
    "Friend",
    "FriendCheck",
    "FriendInfo",
    "FriendPage",
    "FriendRelation",
    "ImportFriend",
    "SnsTag",
    "UpdateFriend",
    "friend_add",
    "friend_check",
    "friend_delete",
    "friend_delete_all",
    "friend_get",
    "friend_get_list",
    "friend_import",
    "friend_update",
    "iter_friends",
]

CUSTOM_SNS_PREFIX = "Tag_SNS_Custom_"


class SnsTag(StrEnum):
    """The standard friend tags. Custom ones are ``"Tag_SNS_Custom_<keyword>"`` strings
    (registered for the app first: ``relchain app tag add --sns``)."""

    ADD_SOURCE = "Tag_SNS_IM_AddSource"
    REMARK = "Tag_SNS_IM_Remark"
    GROUP = "Tag_SNS_IM_Group"
    ADD_TIME = "Tag_SNS_IM_AddTime"
    ADD_WORDING = "Tag_SNS_IM_AddWording"


class AddType(StrEnum):
    """friend_add's ``AddType``: ``BOTH`` asks for both directions, ``SINGLE`` for the caller's."""

    BOTH = "Add_Type_Both"
    SINGLE = "Add_Type_Single"


class DeleteType(StrEnum):
    """friend_delete's ``DeleteType``: ``SINGLE`` removes the caller's side, ``BOTH`` both."""

    SINGLE = "Delete_Type_Single"
    BOTH = "Delete_Type_Both"


class CheckType(StrEnum):
    """friend_check's ``CheckType``: ``SINGLE`` looks at the caller's list only."""

    SINGLE = "CheckResult_Type_Single"
    BOTH = "CheckResult_Type_Both"


class FriendRelation(StrEnum):
    """friend_check's ``Relation``: A is ``From_Account``, B the checked account; ``A_WITH_B``
    means B is in A's friend list."""

    BOTH_WAY = "CheckResult_Type_BothWay"
    A_WITH_B = "CheckResult_Type_AWithB"
    B_WITH_A = "CheckResult_Type_BWithA"
    NO_RELATION = "CheckResult_Type_NoRelation"


@dataclass(frozen=True, slots=True)
class AddFriend:
    """One friend_add item (wire ``AddFriendItem[]``): ``to_account`` -> ``To_Account``,
    ``add_source`` -> ``AddSource`` (``"AddSource_Type_<1..8 letters>"``, required), ``remark``
    -> ``Remark``, ``group`` -> ``GroupName`` (one friend list, created when missing),
    ``add_wording`` -> ``AddWording``. Empty strings are left out."""

    to_account: str
    add_source: str
    remark: str = ""
    group: str = ""
    add_wording: str = ""

    def wire(self) -> dict[str, Any]:
        item: dict[str, Any] = {"To_Account": self.to_account, "AddSource": self.add_source}
        for name, value in (
            ("Remark", self.remark),
            ("GroupName", self.group),
            ("AddWording", self.add_wording),
        ):
            if value:
                item[name] = value
        return item


@dataclass(frozen=True, slots=True)
class ImportFriend:
    """One friend_import item (wire ``AddFriendItem[]``): as :class:`AddFriend`, plus
    ``groups`` -> ``GroupName`` (an array), ``remark_time`` -> ``RemarkTime``, ``add_time`` ->
    ``AddTime`` (Unix seconds; ``None``: now) and ``custom`` -> ``CustomItem``
    (``{"Tag_SNS_Custom_X": value}``)."""

    to_account: str
    add_source: str
    remark: str = ""
    groups: Sequence[str] = ()
    add_wording: str = ""
    remark_time: int | None = None
    add_time: int | None = None
    custom: Mapping[str, Any] = field(default_factory=dict)

    def wire(self) -> dict[str, Any]:
        item = AddFriend(self.to_account, self.add_source, self.remark, "", self.add_wording)
        body = item.wire()
        if self.groups:
            body["GroupName"] = string_list("groups", self.groups)
        if self.remark_time is not None:
            body["RemarkTime"] = self.remark_time
        if self.add_time is not None:
            body["AddTime"] = self.add_time
        if self.custom:
            body["CustomItem"] = tag_items(self.custom)
        return body


@dataclass(frozen=True, slots=True)
class UpdateFriend:
    """One friend_update item (wire ``UpdateItem[]`` with ``SnsItem[]``): ``remark`` ->
    ``Tag_SNS_IM_Remark``, ``groups`` -> ``Tag_SNS_IM_Group`` (replaces the friend's lists;
    ``()`` takes it out of every list), ``custom`` -> custom tags. ``None`` leaves it as is."""

    to_account: str
    remark: str | None = None
    groups: Sequence[str] | None = None
    custom: Mapping[str, Any] = field(default_factory=dict)

    def wire(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        if self.remark is not None:
            values[SnsTag.REMARK] = self.remark
        if self.groups is not None:
            values[SnsTag.GROUP] = string_list("groups", self.groups)
        values.update(self.custom)
        return {"To_Account": self.to_account, "SnsItem": tag_items(values)}


@dataclass(frozen=True, slots=True)
class FriendCheck(ItemResult):
    """friend_check's item (wire ``InfoItem[]``): ``Relation`` -> ``relation``."""

    relation: FriendRelation


@dataclass(frozen=True, slots=True)
class FriendInfo(ItemResult):
    """friend_get_list's item (wire ``InfoItem[]``): ``SnsProfileItem`` -> ``tags``
    (``{tag: value}``: the asked profile and friend tags the friend has)."""

    tags: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Friend:
    """One friend of friend_get (wire ``UserDataItem[]``): ``To_Account`` -> ``account``,
    ``ValueItem`` -> ``tags`` (``{tag: value}``; standard or custom tags are left out when the
    request's sequence was current). The properties read the standard tags."""

    account: str
    tags: dict[str, Any]

    @property
    def add_source(self) -> str | None:
        value = self.tags.get(SnsTag.ADD_SOURCE)
        return value if isinstance(value, str) else None

    @property
    def remark(self) -> str:
        value = self.tags.get(SnsTag.REMARK, "")
        return value if isinstance(value, str) else ""

    @property
    def groups(self) -> tuple[str, ...]:
        value = self.tags.get(SnsTag.GROUP, ())
        return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()

    @property
    def add_time(self) -> int | None:
        value = self.tags.get(SnsTag.ADD_TIME)
        return value if isinstance(value, int) else None

    @property
    def custom(self) -> dict[str, Any]:
        return {t: v for t, v in self.tags.items() if t.startswith(CUSTOM_SNS_PREFIX)}


@dataclass(frozen=True, slots=True)
class FriendPage:
    """friend_get's answer: ``UserDataItem`` -> ``friends``, ``StandardSequence`` /
    ``CustomSequence`` -> ``standard_sequence`` / ``custom_sequence``, ``FriendNum`` ->
    ``friend_count``, ``CompleteFlag`` -> ``complete``, ``NextStartIndex`` ->
    ``next_start_index`` (pass it as the next ``start_index``)."""

    friends: tuple[Friend, ...]
    standard_sequence: int
    custom_sequence: int
    friend_count: int
    complete: bool
    next_start_index: int


@endpoint("sns/friend_add")
def friend_add(
    from_account: str,
    items: Sequence[AddFriend],
    *,
    add_type: AddType = AddType.BOTH,
    force_add: bool = False,
) -> Wire[Batch[ItemResult]]:
    """Add up to 1000 friends. ``force_add`` (``ForceAddFlags: 1``) skips the target's
    AllowType (not blocklists). Item codes: 30539 a request is pending (the target confirms),
    30516 the target denies all, 30515/30525 blocklists, 30001 already friends, ..."""
    return {
        "From_Account": from_account,
        "AddFriendItem": [item.wire() for item in items],
        "AddType": str(add_type),
        "ForceAddFlags": 1 if force_add else 0,
    }, items_result


@endpoint("sns/friend_import")
def friend_import(from_account: str, items: Sequence[ImportFriend]) -> Wire[Batch[ItemResult]]:
    """Import up to 1000 one-way friends as they are (no AllowType check, no request)."""
    return {"From_Account": from_account, "AddFriendItem": [i.wire() for i in items]}, items_result


@endpoint("sns/friend_update")
def friend_update(from_account: str, items: Sequence[UpdateFriend]) -> Wire[Batch[ItemResult]]:
    """Change the remark, friend lists or custom tags of up to 1000 friends (not a friend:
    item code 31704)."""
    return {"From_Account": from_account, "UpdateItem": [i.wire() for i in items]}, items_result


@endpoint("sns/friend_delete")
def friend_delete(
    from_account: str, to_accounts: Sequence[str], *, delete_type: DeleteType = DeleteType.SINGLE
) -> Wire[Batch[ItemResult]]:
    """Remove up to 1000 friends (``BOTH``: also their side). Not a friend: item code 31704."""
    return {
        "From_Account": from_account,
        "To_Account": string_list("to_accounts", to_accounts),
        "DeleteType": str(delete_type),
    }, items_result


@endpoint("sns/friend_delete_all")
def friend_delete_all(
    from_account: str, *, delete_type: DeleteType = DeleteType.SINGLE
) -> Wire[None]:
    """Remove every friend of ``from_account`` (``BOTH``: also their side)."""
    return {"From_Account": from_account, "DeleteType": str(delete_type)}, nothing


def _check(item: Reader) -> FriendCheck:
    relation = item.choice("Relation", FriendRelation, FriendRelation.NO_RELATION)
    return FriendCheck(*item_fields(item), relation)


@endpoint("sns/friend_check", read=True)
def friend_check(
    from_account: str, to_accounts: Sequence[str], *, check_type: CheckType = CheckType.BOTH
) -> Wire[Batch[FriendCheck]]:
    """The friend relation of ``from_account`` with each of up to 1000 accounts."""
    return {
        "From_Account": from_account,
        "To_Account": string_list("to_accounts", to_accounts),
        "CheckType": str(check_type),
    }, batch("InfoItem", _check)


def _friend_page(answer: Reader) -> FriendPage:
    friends = tuple(
        Friend(item.text("To_Account"), item.tags("ValueItem"))
        for item in answer.objects("UserDataItem", ())
    )
    return FriendPage(
        friends,
        answer.integer("StandardSequence", 0),
        answer.integer("CustomSequence", 0),
        answer.integer("FriendNum", 0),
        answer.integer("CompleteFlag", 1) == 1,
        answer.integer("NextStartIndex", 0),
    )


@endpoint("sns/friend_get", read=True)
def friend_get(
    from_account: str,
    *,
    start_index: int = 0,
    standard_sequence: int = 0,
    custom_sequence: int = 0,
) -> Wire[FriendPage]:
    """One page (up to 500) of ``from_account``'s friends from ``start_index``. A sequence equal
    to the server's leaves that part of the tags out (0: everything)."""
    return {
        "From_Account": from_account,
        "StartIndex": start_index,
        "StandardSequence": standard_sequence,
        "CustomSequence": custom_sequence,
    }, _friend_page


def _info(item: Reader) -> FriendInfo:
    return FriendInfo(*item_fields(item), item.tags("SnsProfileItem"))


@endpoint("sns/friend_get_list", read=True)
def friend_get_list(
    from_account: str, to_accounts: Sequence[str], tag_list: Sequence[str]
) -> Wire[Batch[FriendInfo]]:
    """Profile and friend tags (``tag_list``) of up to 100 friends (not a friend: item code
    31211)."""
    return {
        "From_Account": from_account,
        "To_Account": string_list("to_accounts", to_accounts),
        "TagList": string_list("tag_list", tag_list),
    }, batch("InfoItem", _info)


def _friends(page: FriendPage) -> tuple[Friend, ...]:
    return page.friends


@pages(_friends)
def iter_friends(from_account: str) -> Walk[FriendPage]:
    """Every friend of ``from_account`` in the order they were first added (friend_get, all
    pages)."""
    start = 0
    while True:
        page = yield friend_get.request(from_account, start_index=start)
        if page.complete or not page.next_start_index:
            return
        start = page.next_start_index
