"""Reading Tencent's answers: typed field access, the per-item result and the batch answer."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypeVar, overload

from relchain.client._errors import ProtocolError

__all__ = [
    "Batch",
    "ItemResult",
    "Reader",
    "batch",
    "item_fields",
    "items_result",
    "nothing",
    "string_list",
    "tag_items",
]

_MISSING: Any = object()
E = TypeVar("E", bound=Enum)


class Reader:
    """One JSON object of an answer. A field that is missing (without a default) or of the wrong
    type raises :class:`ProtocolError` naming it; fields the client does not know are ignored."""

    __slots__ = ("data", "where")

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, dict):
            raise ProtocolError(f"{where}: expected a JSON object, got {type(data).__name__}")
        self.data: dict[str, Any] = data
        self.where = where

    def _get(self, name: str, default: Any, kind: type | tuple[type, ...], what: str) -> Any:
        value = self.data.get(name, _MISSING)
        if value is _MISSING:
            if default is _MISSING:
                raise ProtocolError(f"{self.where}.{name}: missing from the answer")
            return default
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            raise ProtocolError(f"{self.where}.{name}: expected {what}, got {value!r:.80}")
        return value

    def text(self, name: str, default: str = _MISSING) -> str:
        value: str = self._get(name, default, str, "a string")
        return value

    def integer(self, name: str, default: int = _MISSING) -> int:
        value: int = self._get(name, default, int, "an integer")
        return value

    def strings(self, name: str, default: Sequence[str] = _MISSING) -> tuple[str, ...]:
        values = self._get(name, default, (list, tuple), "an array of strings")
        for index, value in enumerate(values):
            if not isinstance(value, str):
                raise ProtocolError(f"{self.where}.{name}[{index}]: expected a string")
        return tuple(values)

    def objects(self, name: str, default: Sequence[Any] = _MISSING) -> list[Reader]:
        values = self._get(name, default, (list, tuple), "an array of objects")
        return [Reader(value, f"{self.where}.{name}[{i}]") for i, value in enumerate(values)]

    def choice(self, name: str, kind: type[E], default: E = _MISSING) -> E:
        """A field whose value is one of the enum ``kind``'s values."""
        raw = self._get(
            name, default, (int, str), "one of " + ", ".join(str(k.value) for k in kind)
        )
        try:
            return kind(raw)
        except ValueError:
            raise ProtocolError(f"{self.where}.{name}: unknown value {raw!r:.80}") from None

    def tags(self, name: str) -> dict[str, Any]:
        """``[{"Tag": t, "Value": v}, ...]`` (absent: empty) as ``{t: v}``, in wire order."""
        return {item.text("Tag"): item.value("Value") for item in self.objects(name, ())}

    def value(self, name: str) -> Any:
        """Any JSON value (tag values are strings, integers or arrays)."""
        return self._get(name, _MISSING, object, "a value")


@dataclass(frozen=True, slots=True)
class ItemResult:
    """One item of a batch answer.

    Wire: ``To_Account`` (``UserID`` for the account APIs) -> ``account``; ``ResultCode`` ->
    ``code`` (0 = done); ``ResultInfo`` -> ``info`` (what went wrong, or ``""``).
    """

    account: str
    code: int
    info: str

    @property
    def ok(self) -> bool:
        return self.code == 0


R_co = TypeVar("R_co", bound=ItemResult, covariant=True)


@dataclass(frozen=True, slots=True)
class Batch(Generic[R_co]):
    """The answer of a batch call: one result per requested item, in request order (duplicates
    included). Iterating, ``len`` and indexing go over ``items``; ``failed`` lists the accounts
    whose item failed (the wire's ``Fail_Account``) and ``ok`` says whether none did."""

    items: tuple[R_co, ...]

    def __iter__(self) -> Iterator[R_co]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> R_co: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[R_co, ...]: ...
    def __getitem__(self, index: int | slice) -> R_co | tuple[R_co, ...]:
        return self.items[index]

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(item.account for item in self.items if item.code != 0)

    @property
    def ok(self) -> bool:
        return all(item.code == 0 for item in self.items)

    def get(self, account: str) -> R_co | None:
        """The first result for ``account``, or None when it was not asked for."""
        return next((item for item in self.items if item.account == account), None)


def item_fields(item: Reader, key: str = "To_Account") -> tuple[str, int, str]:
    """The account, ``ResultCode`` and ``ResultInfo`` of one per-item result."""
    return item.text(key), item.integer("ResultCode"), item.text("ResultInfo", "")


R = TypeVar("R", bound=ItemResult)


def batch(key: str, read: Callable[[Reader], R]) -> Callable[[Reader], Batch[R]]:
    """The parser of an answer whose ``key`` (absent: none) holds one result per item."""

    def parse(answer: Reader) -> Batch[R]:
        return Batch(tuple(read(item) for item in answer.objects(key, ())))

    return parse


def _plain(item: Reader) -> ItemResult:
    return ItemResult(*item_fields(item))


items_result = batch("ResultItem", _plain)
"""``ResultItem[]`` as plain item results: the answer of most batch writes."""


def string_list(name: str, values: Sequence[str]) -> list[str]:
    """A list of strings (UserIDs, tags, names) for the wire; one string, a common slip, is
    refused rather than split into characters."""
    if isinstance(values, str):
        raise TypeError(f"{name}: expected a sequence of strings, got one string {values!r}")
    return list(values)


def nothing(answer: Reader) -> None:
    """The parser of calls that answer with the envelope only."""
    return None


def tag_items(values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """``{t: v}`` as the wire's ``[{"Tag": t, "Value": v}, ...]``, in mapping order."""
    return [{"Tag": str(tag), "Value": value} for tag, value in values.items()]
