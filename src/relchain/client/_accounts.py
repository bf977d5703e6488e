"""``v4/im_open_login_svc/*``: account import (one and many), check and delete."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
)

__all__ = [
    "AccountCheck",
    "ImportResult",
    "NewAccount",
    "account_check",
    "account_delete",
    "account_import",
    "multiaccount_import",
]


@dataclass(frozen=True, slots=True)
class NewAccount:
    """An account to import. Wire: ``UserID``, ``Nick``, ``FaceUrl`` (stored as the profile tags
    ``Tag_Profile_IM_Nick`` and ``Tag_Profile_IM_Image``; ``None`` keeps what is stored)."""

    user_id: str
    nick: str | None = None
    face_url: str | None = None

    def wire(self) -> dict[str, Any]:
        body: dict[str, Any] = {"UserID": self.user_id}
        if self.nick is not None:
            body["Nick"] = self.nick
        if self.face_url is not None:
            body["FaceUrl"] = self.face_url
        return body


@dataclass(frozen=True, slots=True)
class ImportResult:
    """multiaccount_import's answer. Wire: ``FailAccounts`` -> ``failed`` (the ids that were not
    valid UserIDs; the others were imported)."""

    failed: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass(frozen=True, slots=True)
class AccountCheck(ItemResult):
    """account_check's item. Wire: ``UserID`` -> ``account``, ``AccountStatus``
    (``Imported`` / ``NotImported``) -> ``imported``."""

    imported: bool


def _user_items(user_ids: Sequence[str]) -> list[dict[str, str]]:
    return [{"UserID": user_id} for user_id in string_list("user_ids", user_ids)]


@endpoint("im_open_login_svc/account_import")
def account_import(
    user_id: str, *, nick: str | None = None, face_url: str | None = None
) -> Wire[None]:
    """Create the account ``user_id`` (idempotent; ``nick``/``face_url`` set the profile's
    nickname and image)."""
    return NewAccount(user_id, nick, face_url).wire(), nothing


def _import_result(answer: Reader) -> ImportResult:
    return ImportResult(answer.strings("FailAccounts", ()))


@endpoint("im_open_login_svc/multiaccount_import")
def multiaccount_import(
    accounts: Sequence[str | NewAccount],
) -> Wire[ImportResult]:
    """Import up to 100 accounts: UserIDs, or :class:`NewAccount` items with a nickname and
    image. Invalid UserIDs are listed in the result's ``failed``; the others are imported."""
    items = list(accounts) if not isinstance(accounts, str) else string_list("accounts", accounts)
    if all(isinstance(item, str) for item in items):
        return {"Accounts": items}, _import_result
    wire = [item.wire() if isinstance(item, NewAccount) else {"UserID": item} for item in items]
    return {"AccountList": wire}, _import_result


def _account_check(item: Reader) -> AccountCheck:
    return AccountCheck(*item_fields(item, "UserID"), item.text("AccountStatus", "") == "Imported")


def _deleted(item: Reader) -> ItemResult:
    return ItemResult(*item_fields(item, "UserID"))


@endpoint("im_open_login_svc/account_check", read=True)
def account_check(user_ids: Sequence[str]) -> Wire[Batch[AccountCheck]]:
    """Whether each of up to 100 UserIDs is imported."""
    return {"CheckItem": _user_items(user_ids)}, batch("ResultItem", _account_check)


@endpoint("im_open_login_svc/account_delete")
def account_delete(user_ids: Sequence[str]) -> Wire[Batch[ItemResult]]:
    """Delete up to 100 accounts with everything they have (profile, follows both ways, friends,
    blocklists, friend lists, pending requests). A missing account is item code 70107."""
    return {"DeleteItem": _user_items(user_ids)}, batch("ResultItem", _deleted)
