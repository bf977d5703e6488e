"""Declarative request fields: the one definition of each API's body that both the handlers
validate with (``FIELD.read(body)``) and the OpenAPI document is generated from
(``FIELD.schema()``, see :mod:`relchain.http.openapi`).

Each field reads through :class:`relchain.http.wire.Body`, so the wire behaviour (the codes, the
``ErrorInfo`` texts, what is lenient) stays where it was; a field only states its name, whether
it is required, its limits and its JSON Schema. Fields whose reading depends on another field or
on the app's settings (a tag's value, a name given as a string or an array) are declared with
their schema and read by their handler, which names them through the declaration.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from relchain.domain.accounts import MAX_USERID_BYTES
from relchain.http.wire import INT64_MAX, INT64_MIN, Body

__all__ = [
    "ANY_VALUE",
    "USERID_SCHEMA",
    "Array",
    "Field",
    "Integer",
    "Objects",
    "Raw",
    "Schema",
    "Text",
    "UserId",
    "UserIds",
    "object_schema",
]

Schema = dict[str, Any]

USERID_SCHEMA: Schema = {
    "type": "string",
    "minLength": 1,
    "maxLength": MAX_USERID_BYTES,
    "pattern": "^[\\x20-\\x7e]+$",
    "description": f"a UserID: 1..{MAX_USERID_BYTES} printable ASCII characters",
}
ANY_VALUE: Schema = {"description": "any JSON value"}


@dataclass(frozen=True, slots=True)
class Field:
    """One body field: its wire name, whether a request must have it, and what it means."""

    name: str
    required: bool = False
    doc: str = ""

    def schema(self) -> Schema:
        """Its JSON Schema (OpenAPI 3.1 is JSON Schema 2020-12)."""
        raise NotImplementedError

    def documented(self) -> Schema:
        schema = self.schema()
        return {**schema, "description": self.doc} if self.doc else schema


@dataclass(frozen=True, slots=True)
class UserId(Field):
    """A UserID; ``code`` replaces the group's bad-parameter code when it is missing or bad."""

    required: bool = True
    code: int | None = None

    def read(self, body: Body) -> str:
        return body.account(self.name, code=self.code)

    def schema(self) -> Schema:
        return dict(USERID_SCHEMA)


@dataclass(frozen=True, slots=True)
class UserIds(Field):
    """An array of 1..``max_items`` UserIDs."""

    required: bool = True
    max_items: int = 0
    code: int | None = None

    def read(self, body: Body) -> list[str]:
        return body.accounts(
            self.name, max_items=self.max_items, required=self.required, code=self.code
        )

    def schema(self) -> Schema:
        return _array(USERID_SCHEMA, self.max_items, min_items=1)


@dataclass(frozen=True, slots=True)
class Text(Field):
    """A string of at most ``max_bytes`` UTF-8 bytes (0: no limit), or one of ``choices``;
    ``default`` when absent (a required field has none)."""

    default: str = ""
    max_bytes: int = 0
    choices: tuple[str, ...] = ()
    pattern: str = ""  # documents a check its handler makes (with the domain's rule)

    def read(self, body: Body) -> str:
        value = body.string(
            self.name, required=self.required, default=self.default, max_bytes=self.max_bytes
        )
        if self.choices and value not in self.choices:
            raise body.bad(self.name, f"must be one of {', '.join(self.choices)}, got {value!r}")
        return value

    def schema(self) -> Schema:
        schema: Schema = {"type": "string"}
        if self.choices:
            schema["enum"] = list(self.choices)
        if self.pattern:
            schema["pattern"] = self.pattern
        if self.max_bytes:
            schema["maxLength"] = self.max_bytes  # characters: bytes are checked by the server
            schema["x-max-utf8-bytes"] = self.max_bytes
        if not self.required and (self.default or self.choices):
            schema["default"] = self.default
        return schema


@dataclass(frozen=True, slots=True)
class Integer(Field):
    """A 64-bit integer within ``low``..``high``; ``default`` when absent."""

    default: int = 0
    low: int | None = None
    high: int | None = None

    def read(self, body: Body) -> int:
        return body.integer(
            self.name, required=self.required, default=self.default, low=self.low, high=self.high
        )

    def schema(self) -> Schema:
        schema: Schema = {
            "type": "integer",
            "minimum": INT64_MIN if self.low is None else self.low,
            "maximum": INT64_MAX if self.high is None else self.high,
        }
        if not self.required:
            schema["default"] = self.default
        return schema


@dataclass(frozen=True, slots=True)
class Array(Field):
    """An array of up to ``max_items`` (0: no limit) values of ``items``; empty is refused
    when the field is required, unless ``allow_empty``."""

    required: bool = True
    items: Schema = field(default_factory=lambda: dict(ANY_VALUE))
    max_items: int = 0
    allow_empty: bool = False

    def read(self, body: Body) -> list[Any]:
        return body.array(
            self.name,
            required=self.required,
            max_items=self.max_items,
            allow_empty=self.allow_empty,
        )

    def schema(self) -> Schema:
        min_items = 1 if self.required and not self.allow_empty else 0
        return _array(self.items, self.max_items, min_items=min_items)


@dataclass(frozen=True, slots=True)
class Objects(Field):
    """An array of up to ``max_items`` (0: no limit) objects with ``fields``."""

    required: bool = True
    max_items: int = 0
    fields: tuple[Field, ...] = ()

    def read(self, body: Body) -> list[Body]:
        return body.objects(self.name, max_items=self.max_items, required=self.required)

    def schema(self) -> Schema:
        return _array(object_schema(self.fields), self.max_items, min_items=int(self.required))


@dataclass(frozen=True, slots=True)
class Raw(Field):
    """A field its handler reads itself (its shape depends on another field or on the app's
    settings); declared here with its schema."""

    shape: Schema = field(default_factory=lambda: dict(ANY_VALUE))

    def read(self, body: Body) -> Any:
        return body.get(self.name)

    def schema(self) -> Schema:
        return dict(self.shape)


def object_schema(fields: Sequence[Field], extra: Mapping[str, Schema] | None = None) -> Schema:
    """A JSON object with ``fields`` (unknown fields are allowed and ignored)."""
    schema: Schema = {
        "type": "object",
        "properties": {f.name: f.documented() for f in fields},
    }
    if extra:
        schema["properties"].update(extra)
    required = [f.name for f in fields if f.required]
    if required:
        schema["required"] = required
    return schema


def _array(items: Schema, max_items: int, *, min_items: int) -> Schema:
    schema: Schema = {"type": "array", "items": items}
    if min_items:
        schema["minItems"] = min_items
    if max_items:
        schema["maxItems"] = max_items
    return schema
