"""The Tencent wire format: the one envelope builder, the renderers of per-item results and
errors, and typed readers of request fields.

Wire field names (``From_Account``...) and texts (``ResultInfo``, ``ErrorInfo``) live here, in
the handlers and in the SDK only; the domain says *why* (a :class:`Reason`, an error type).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from relchain.domain.accounts import type_name, userid_problem
from relchain.domain.errors import AccountMissing, ApiError, ServiceGroup
from relchain.domain.results import ItemResult, Reason
from relchain.domain.sns.lists import TooManyLists
from relchain.services.friends import SendForbidden

__all__ = [
    "Body",
    "Texts",
    "envelope",
    "error_info",
    "fail_accounts",
    "items_result",
    "no_account",
    "result_item",
    "result_items",
    "shown",
]

Texts = Mapping[Reason, str]  # an API's ResultInfo for each reason it answers with


def envelope(code: int = 0, info: str = "", extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every response body: ``ActionStatus``, ``ErrorCode``, ``ErrorInfo``, ``ErrorDisplay``
    (then the API's own fields, which never overwrite those four)."""
    body: dict[str, Any] = dict(extra) if extra else {}
    body["ActionStatus"] = "OK" if code == 0 else "FAIL"
    body["ErrorCode"] = int(code)
    body["ErrorInfo"] = info
    body["ErrorDisplay"] = ""
    return body


def shown(value: Any) -> str:
    """An item as echoed in an answer (``FailAccounts``, a bad item's ``UserID``): a string as
    it is, anything else as Python's ``str()`` of it, bounded: an array or object nested too
    deeply for ``str()``, or an integer of thousands of digits, is named, not written out."""
    if isinstance(value, str):
        return value
    try:
        return str(value)
    except (RecursionError, ValueError):
        return (
            f"(an {type_name(value)} nested too deeply to show)"
            if isinstance(value, list | dict)
            else f"(a {type_name(value)} too long to show)"
        )


def result_item(key: str, account: str, code: int, info: str = "", **more: Any) -> dict[str, Any]:
    """One per-item result: ``{key: account, "ResultCode": code, "ResultInfo": info, ...}``."""
    return {key: account, "ResultCode": int(code), "ResultInfo": info, **more}


def fail_accounts(items: Iterable[dict[str, Any]], key: str = "To_Account") -> dict[str, Any]:
    """``{"Fail_Account": [...]}`` when some item failed, else ``{}``."""
    failed = [item[key] for item in items if item["ResultCode"] != 0]
    return {"Fail_Account": failed} if failed else {}


def no_account(field: str, account: str) -> str:
    """The one text of "this account does not exist", naming the field."""
    return f"{field}: account {account!r} does not exist"


def result_items(
    results: Sequence[ItemResult], texts: Texts, key: str = "To_Account"
) -> list[dict[str, Any]]:
    """Per-item results with their ``ResultInfo`` from ``texts`` (``""`` when OK)."""
    return [
        {
            key: r.account,
            "ResultCode": int(r.code),
            "ResultInfo": "" if r.reason is Reason.OK else texts.get(r.reason, r.reason.name),
        }
        for r in results
    ]


def items_result(results: Sequence[ItemResult], texts: Texts) -> dict[str, Any]:
    """``ResultItem`` (+ ``Fail_Account`` when some failed) from per-item results."""
    items = result_items(results, texts)
    return {"ResultItem": items, **fail_accounts(items)}


def error_info(exc: ApiError) -> str:
    """A whole-request failure's ``ErrorInfo``: the domain's reason with the wire field."""
    if isinstance(exc, AccountMissing):
        return no_account("From_Account", exc.user_id)
    if isinstance(exc, TooManyLists):
        return f"GroupName: {exc.info}"
    if isinstance(exc, SendForbidden):
        return f"From_Account: {exc.info}"
    return exc.info


_MISSING = object()
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1  # what every backend stores


class Body:
    """Typed access to a request's JSON object; wrong input raises the group's bad-param code
    with an ``ErrorInfo`` that names the field and says why."""

    def __init__(self, data: dict[str, Any], group: ServiceGroup, prefix: str = "") -> None:
        self.data = data
        self.group = group
        self.prefix = prefix

    def bad(self, field: str, why: str, code: int | None = None) -> ApiError:
        """The group's bad-parameter error (or ``code``) for ``field``, saying ``why``."""
        return ApiError(
            code if code is not None else self.group.bad_param, f"{self.prefix}{field}: {why}"
        )

    def get(self, name: str) -> Any:
        return self.data.get(name, _MISSING)

    def has(self, name: str) -> bool:
        return name in self.data and self.data[name] is not None

    def account(self, name: str, *, code: int | None = None) -> str:
        """A required UserID field."""
        value = self.data.get(name, _MISSING)
        if value is _MISSING or value is None:
            raise self.bad(name, "required", code)
        problem = userid_problem(value)
        if problem:
            raise self.bad(name, f"not a valid UserID: {problem}", code)
        assert isinstance(value, str)
        return value

    def string(
        self, name: str, *, required: bool = False, default: str = "", max_bytes: int = 0
    ) -> str:
        value = self.data.get(name, _MISSING)
        if value is _MISSING or value is None:
            if required:
                raise self.bad(name, "required")
            return default
        if not isinstance(value, str):
            raise self.bad(name, f"must be a string, got {type_name(value)}")
        if max_bytes and len(value.encode("utf-8")) > max_bytes:
            raise self.bad(name, f"at most {max_bytes} bytes, got {len(value.encode('utf-8'))}")
        return value

    def integer(
        self,
        name: str,
        *,
        required: bool = False,
        default: int = 0,
        low: int | None = None,
        high: int | None = None,
    ) -> int:
        value = self.data.get(name, _MISSING)
        if value is _MISSING or value is None:
            if required:
                raise self.bad(name, "required")
            return default
        if isinstance(value, float):
            # orjson reads integers beyond 64 bits as floats: those, and 1e30-style numbers,
            # are out of range; a whole float inside it (3.0) is taken as the integer
            if not value.is_integer():
                raise self.bad(name, f"must be an integer, got {value!r}")
            if not INT64_MIN < value < INT64_MAX:
                raise self.bad(name, f"must be within {INT64_MIN}..{INT64_MAX}, got {value:.6g}")
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.bad(name, f"must be an integer, got {type_name(value)}")
        low = INT64_MIN if low is None else low
        high = INT64_MAX if high is None else high
        if value < low:
            raise self.bad(name, f"must be >= {low}, got {value}")
        if value > high:
            raise self.bad(name, f"must be <= {high}, got {value}")
        return value

    def array(
        self,
        name: str,
        *,
        required: bool = True,
        max_items: int = 0,
        allow_empty: bool = False,
        code: int | None = None,
    ) -> list[Any]:
        value = self.data.get(name, _MISSING)
        if value is _MISSING or value is None:
            if required:
                raise self.bad(name, "required", code)
            return []
        if not isinstance(value, list):
            raise self.bad(name, f"must be an array, got {type_name(value)}")
        if not value and not allow_empty and required:
            raise self.bad(name, "must not be empty")
        if max_items and len(value) > max_items:
            raise self.bad(name, f"at most {max_items} items per request, got {len(value)}")
        return value

    def accounts(
        self, name: str, *, max_items: int, required: bool = True, code: int | None = None
    ) -> list[str]:
        """An array of UserIDs; every element must be a valid UserID string."""
        values = self.array(name, required=required, max_items=max_items, code=code)
        for index, value in enumerate(values):
            problem = userid_problem(value)
            if problem:
                raise self.bad(f"{name}[{index}]", f"not a valid UserID: {problem}")
        return values

    def objects(self, name: str, *, max_items: int, required: bool = True) -> list[Body]:
        """An array of JSON objects, each wrapped as a :class:`Body`."""
        values = self.array(name, required=required, max_items=max_items)
        out = []
        for index, value in enumerate(values):
            if not isinstance(value, dict):
                raise self.bad(f"{name}[{index}]", f"must be an object, got {type_name(value)}")
            out.append(Body(value, self.group, f"{self.prefix}{name}[{index}]."))
        return out
