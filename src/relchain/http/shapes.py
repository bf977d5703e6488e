"""JSON Schema pieces of the answers (the API's own fields beside the envelope), for the
OpenAPI document: per-item results, tag/value lists, the failed-accounts list."""

from __future__ import annotations

from typing import Any

__all__ = ["FAIL_ACCOUNT", "INT", "STR", "TAG_VALUES", "Schema", "array", "item", "items", "obj"]

Schema = dict[str, Any]

INT: Schema = {"type": "integer"}
STR: Schema = {"type": "string"}
FAIL_ACCOUNT: Schema = {
    "type": "array",
    "items": STR,
    "description": "the accounts whose item failed; present only when some item failed",
}
TAG_VALUES: Schema = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"Tag": STR, "Value": {"description": "a string, an integer or an array"}},
        "required": ["Tag", "Value"],
    },
}


def obj(required: tuple[str, ...] = (), **properties: Schema) -> Schema:
    """An object with ``properties``, of which ``required`` are always present."""
    schema: Schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def array(of: Schema, doc: str = "") -> Schema:
    schema: Schema = {"type": "array", "items": of}
    if doc:
        schema["description"] = doc
    return schema


def item(key: str = "To_Account", **more: Schema) -> Schema:
    """One per-item result: the account, ``ResultCode`` (0: done) and ``ResultInfo`` (why not)."""
    return obj(
        (key, "ResultCode", "ResultInfo"),
        **{key: STR, "ResultCode": INT, "ResultInfo": STR},
        **more,
    )


def items(key: str = "To_Account", **more: Schema) -> Schema:
    """An array of per-item results, in the order of the request's items."""
    return array(item(key, **more), "one result per item, in the order of the request")
