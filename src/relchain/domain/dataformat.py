"""The relchain data format (JSON Lines, version 1; docs/data-format.md): records, their
validation and their encoding (pure).

A file is a header line, then one JSON object a line, each with a ``kind``. Validation of one
record needs only the record and the app's registered custom tags; whether the accounts a record
names exist is the importer's question (:mod:`relchain.services.data_import`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from relchain.domain.accounts import type_name, userid_problem
from relchain.domain.errors import ApiError
from relchain.domain.profiles import validate_profile_item
from relchain.domain.sns.rules import (
    CUSTOM_PREFIX,
    MAX_REMARK_BYTES,
    MAX_WORDING_BYTES,
    add_source_problem,
    custom_value_problem,
    list_name_problem,
    text_problem,
)

__all__ = [
    "FORMAT",
    "KINDS",
    "MAX_TIME",
    "VERSION",
    "Account",
    "AppRecord",
    "Block",
    "Follow",
    "Friend",
    "FriendList",
    "Record",
    "RecordError",
    "Request",
    "Tags",
    "check_header",
    "header",
    "parse_csv_edge",
    "parse_record",
]

FORMAT = "relchain"
VERSION = 1
KINDS = ("app", "account", "follow", "list", "friend", "block", "request")
MAX_TIME = 2**53 - 1  # times are whole Unix seconds (JSON-safe integers)


class RecordError(ValueError):
    """Why a line is not a valid record (the message names the field)."""


@dataclass(frozen=True, slots=True)
class Tags:
    """The app's registered custom tags (what profiles and friends may use)."""

    profile: tuple[str, ...] = ()
    sns: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AppRecord:
    admins: tuple[str, ...]
    settings: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    created: int | None
    profile: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Follow:
    src: str
    dst: str
    time: int | None


@dataclass(frozen=True, slots=True)
class FriendList:
    owner: str
    name: str


@dataclass(frozen=True, slots=True)
class Friend:
    owner: str
    friend: str
    add_source: str
    add_time: int | None
    add_wording: str
    remark: str
    remark_time: int
    groups: tuple[str, ...]
    custom: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Block:
    owner: str
    blocked: str
    time: int | None


@dataclass(frozen=True, slots=True)
class Request:
    src: str
    dst: str
    time: int | None
    add_source: str
    add_wording: str
    remark: str
    group: str
    both: bool


Record = AppRecord | Account | Follow | FriendList | Friend | Block | Request


def header(sdkappid: int, exported_at: int) -> dict[str, Any]:
    """The first line of a file."""
    return {"format": FORMAT, "version": VERSION, "sdkappid": sdkappid, "exported_at": exported_at}


def check_header(value: object) -> None:
    """``RecordError`` unless ``value`` (line 1, decoded) is a header this version reads."""
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise RecordError(f'not a relchain data file: line 1 must be {{"format": "{FORMAT}", ...}}')
    if value.get("version") != VERSION:
        raise RecordError(
            f"version: this relchain reads version {VERSION}, got {value.get('version')!r}"
        )


# -- fields ----------------------------------------------------------------------------------


def _field(data: Mapping[str, Any], name: str, default: Any = ...) -> Any:
    if name in data:
        return data[name]
    if default is ...:
        raise RecordError(f"{name}: missing")
    return default


def _user(data: Mapping[str, Any], name: str) -> str:
    value = _field(data, name)
    problem = userid_problem(value)
    if problem:
        raise RecordError(f"{name}: {problem}")
    user: str = value
    return user


def _time(data: Mapping[str, Any], name: str, *, required: bool = False) -> int | None:
    value = _field(data, name, ... if required else None)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_TIME:
        raise RecordError(f"{name}: must be a Unix time in seconds (0..{MAX_TIME}), got {value!r}")
    return value


def _text(data: Mapping[str, Any], name: str, limit: int, default: str = "") -> str:
    value = _field(data, name, default)
    if not isinstance(value, str):
        raise RecordError(f"{name}: must be a string, got {type_name(value)}")
    problem = text_problem(value, limit)
    if problem:
        raise RecordError(f"{name}: {problem}")
    return value


def _add_source(data: Mapping[str, Any]) -> str:
    value = _field(data, "add_source")
    if not isinstance(value, str):
        raise RecordError(f"add_source: must be a string, got {type_name(value)}")
    problem = add_source_problem(value)
    if problem:
        raise RecordError(f"add_source: {problem}")
    return value


def _list_name(value: object, where: str) -> str:
    problem = list_name_problem(value)
    if problem:
        raise RecordError(f"{where}: {problem}")
    name: str = value  # type: ignore[assignment]  # checked above
    return name


def _pair(data: Mapping[str, Any], a: str, b: str, what: str) -> tuple[str, str]:
    first, second = _user(data, a), _user(data, b)
    if first == second:
        raise RecordError(f"{b}: {what} oneself ({first!r})")
    return first, second


def _object(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = _field(data, name, {})
    if not isinstance(value, dict):
        raise RecordError(f"{name}: must be an object, got {type_name(value)}")
    return value


# -- records ---------------------------------------------------------------------------------


def _app(data: Mapping[str, Any], tags: Tags) -> AppRecord:
    admins = _field(data, "admins", [])
    if not isinstance(admins, list) or not all(isinstance(a, str) and a for a in admins):
        raise RecordError("admins: must be an array of identifiers")
    return AppRecord(tuple(admins), _object(data, "settings"))


def _account(data: Mapping[str, Any], tags: Tags) -> Account:
    user = _user(data, "id")
    profile = _object(data, "profile")
    for tag, value in profile.items():
        try:
            validate_profile_item(tag, value, tags.profile, f"profile.{tag}")
        except ApiError as exc:
            raise RecordError(exc.info) from None
    return Account(user, _time(data, "created"), profile)


def _follow(data: Mapping[str, Any], tags: Tags) -> Follow:
    src, dst = _pair(data, "from", "to", "cannot follow")
    return Follow(src, dst, _time(data, "time"))


def _list(data: Mapping[str, Any], tags: Tags) -> FriendList:
    return FriendList(_user(data, "owner"), _list_name(_field(data, "name"), "name"))


def _friend(data: Mapping[str, Any], tags: Tags) -> Friend:
    owner, friend = _pair(data, "owner", "friend", "cannot befriend")
    groups = _field(data, "groups", [])
    if not isinstance(groups, list):
        raise RecordError(f"groups: must be an array, got {type_name(groups)}")
    names = tuple(dict.fromkeys(_list_name(g, f"groups[{i}]") for i, g in enumerate(groups)))
    custom = _object(data, "custom")
    for tag, value in custom.items():
        if tag not in tags.sns:
            why = (
                "is not registered for this app"
                if tag.startswith(CUSTOM_PREFIX)
                else (f"is not a {CUSTOM_PREFIX}* tag")
            )
            raise RecordError(f"custom.{tag}: {why}")
        problem = custom_value_problem(value)
        if problem:
            raise RecordError(f"custom.{tag}: {problem}")
    remark_time = _time(data, "remark_time")
    return Friend(
        owner,
        friend,
        _add_source(data),
        _time(data, "add_time"),
        _text(data, "add_wording", MAX_WORDING_BYTES),
        _text(data, "remark", MAX_REMARK_BYTES),
        remark_time or 0,
        names,
        custom,
    )


def _block(data: Mapping[str, Any], tags: Tags) -> Block:
    owner, blocked = _pair(data, "owner", "blocked", "cannot block")
    return Block(owner, blocked, _time(data, "time"))


def _request(data: Mapping[str, Any], tags: Tags) -> Request:
    src, dst = _pair(data, "from", "to", "cannot ask")
    group = _field(data, "group", "")
    if group != "":
        _list_name(group, "group")
    both = _field(data, "both", True)
    if not isinstance(both, bool):
        raise RecordError(f"both: must be true or false, got {type_name(both)}")
    return Request(
        src,
        dst,
        _time(data, "time"),
        _add_source(data),
        _text(data, "add_wording", MAX_WORDING_BYTES),
        _text(data, "remark", MAX_REMARK_BYTES),
        group,
        both,
    )


_PARSERS: dict[str, Callable[[Mapping[str, Any], Tags], Record]] = {
    "app": _app,
    "account": _account,
    "follow": _follow,
    "list": _list,
    "friend": _friend,
    "block": _block,
    "request": _request,
}


def parse_record(value: object, tags: Tags) -> Record:
    """The record a decoded line holds; ``RecordError`` saying which field is wrong."""
    if not isinstance(value, dict):
        raise RecordError(f"a record must be a JSON object, got {type_name(value)}")
    kind = value.get("kind")
    parser = _PARSERS.get(kind) if isinstance(kind, str) else None
    if parser is None:
        raise RecordError(f"kind: must be one of {', '.join(KINDS)}, got {kind!r}")
    return parser(value, tags)


def parse_csv_edge(fields: Sequence[str]) -> Follow:
    """One CSV line ``from,to[,time]`` as a follow."""
    if len(fields) not in (2, 3):
        raise RecordError(f"expected from,to[,time]: {len(fields)} fields")
    data: dict[str, Any] = {"from": fields[0].strip(), "to": fields[1].strip()}
    if len(fields) == 3 and fields[2].strip():
        text = fields[2].strip()
        if not text.isdigit():
            raise RecordError(f"time: must be a Unix time in seconds, got {text!r}")
        data["time"] = int(text)
    return _follow(data, Tags())
