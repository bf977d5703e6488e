"""The OpenAPI 3.1 document of every REST API, generated from the route table
(:data:`relchain.http.routes.APIS`) and the field declarations the handlers validate with
(:mod:`relchain.http.fields`). Served at ``GET /openapi.json``; ``scripts/gen_docs.py`` writes
the same document to ``docs/api/openapi.json`` (a test keeps the two equal).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
import pyjson5

from relchain import __version__
from relchain.domain.errors import MEANINGS, Code
from relchain.http.api import Api
from relchain.http.fields import object_schema
from relchain.http.routes import APIS
from relchain.http.wire import INT64_MAX

__all__ = ["GATE_CODES", "document", "document_bytes", "error_codes"]

Schema = dict[str, Any]

# What every API may answer before its handler runs (see relchain.http.gate and http.body),
# besides its group's not-admin, bad-parameter and internal codes.
GATE_CODES = (
    Code.HTTP_PARSE,
    Code.JSON_PARSE,
    Code.SDKAPPID_INVALID,
    Code.RATE_LIMITED,
    Code.SDKAPPID_MISSING,
    Code.SIG_EXPIRED,
    Code.SIG_EMPTY,
    Code.SIG_INVALID,
    Code.SIG_MISMATCH,
    Code.SIG_IDENTIFIER_MISMATCH,
    Code.SIG_SDKAPPID_MISMATCH,
)

DESCRIPTION = """\
Wire-compatible with Tencent Cloud Chat's REST API for accounts, profiles and the relationship
chain. Every API is `POST /v4/<service>/<command>` with the query parameters below and a JSON
object as the body (lenient JSON is accepted too: trailing commas, comments, single quotes).

**Every answer is the Tencent envelope, with HTTP 200**, success or not (only a request the
HTTP parser cannot read gets HTTP 400, with the envelope and 60002): `ActionStatus`
(`OK` / `FAIL`), `ErrorCode` (0 on success), `ErrorInfo` (on failure: the field and why),
`ErrorDisplay` (always empty), then the API's own fields. A failed request changes nothing.
Batch APIs answer each item with `ResultCode` / `ResultInfo`; an item's failure is not the
request's. Every code is explained in docs/api/errors.md.
"""


def _parameters() -> dict[str, Schema]:
    def param(name: str, schema: Schema, required: bool, doc: str) -> Schema:
        return {
            "name": name,
            "in": "query",
            "required": required,
            "schema": schema,
            "description": doc,
        }

    return {
        "sdkappid": param(
            "sdkappid",
            {"type": "integer", "minimum": 0, "maximum": INT64_MAX},
            True,
            "the app's SDKAppID (missing: 60012; no such app: 60006)",
        ),
        "identifier": param(
            "identifier",
            {"type": "string", "minLength": 1},
            True,
            "an admin of the app (missing: 60002; not an admin: 70403 / 40004 / 30004)",
        ),
        "usersig": param(
            "usersig",
            {"type": "string"},
            True,
            "a TLS Sig API v2 UserSig of the identifier (70001..70014 when it is not valid)",
        ),
        "random": param(
            "random",
            {"type": "integer", "minimum": 0, "maximum": 2**32 - 1},
            False,
            "any 32-bit unsigned integer (else 60002)",
        ),
        "contenttype": param(
            "contenttype", {"type": "string", "enum": ["json"]}, False, "json (else 60002)"
        ),
    }


ENVELOPE: Schema = {
    "type": "object",
    "properties": {
        "ActionStatus": {"type": "string", "enum": ["OK", "FAIL"]},
        "ErrorCode": {"type": "integer"},
        "ErrorInfo": {"type": "string"},
        "ErrorDisplay": {"type": "string"},
    },
    "required": ["ActionStatus", "ErrorCode", "ErrorInfo", "ErrorDisplay"],
}


def error_codes(api: Api) -> list[int]:
    """Every ``ErrorCode`` ``api`` may answer with, ascending (0 included)."""
    group = api.group
    codes = {
        Code.OK,
        *GATE_CODES,
        group.bad_param,
        group.not_admin,
        group.internal,
        *api.codes,
    }
    return sorted(int(code) for code in codes)


def _code_table(codes: Iterable[int]) -> str:
    rows = [f"| {code} | {MEANINGS[Code(code)]} |" for code in codes]
    return "\n".join(["| code | meaning |", "| --- | --- |", *rows])


def _with_result_codes(schema: Any, codes: list[int]) -> Any:
    """``schema`` with each per-item ``ResultCode`` narrowed to ``codes``."""
    if isinstance(schema, dict):
        out = {key: _with_result_codes(value, codes) for key, value in schema.items()}
        props = out.get("properties")
        if codes and isinstance(props, dict) and "ResultCode" in props:
            props["ResultCode"] = {"type": "integer", "enum": codes}
        return out
    if isinstance(schema, list):
        return [_with_result_codes(value, codes) for value in schema]
    return schema


def _answer(api: Api, codes: list[int]) -> Schema:
    item_codes = sorted(int(code) for code in api.item_codes)
    own = _with_result_codes(dict(api.answer), item_codes)
    return {
        "allOf": [
            {"$ref": "#/components/schemas/Envelope"},
            {
                "type": "object",
                "properties": {"ErrorCode": {"type": "integer", "enum": codes}, **own},
            },
        ],
        "description": "the envelope; on success (ErrorCode 0) also the API's own fields",
    }


def _request(api: Api) -> Schema:
    schema = object_schema(api.fields)
    alternatives = {name for group in api.alternatives for name in group}
    if alternatives:
        schema["required"] = [n for n in schema.get("required", []) if n not in alternatives]
        if not schema["required"]:
            del schema["required"]
        schema["anyOf"] = [{"required": [name]} for group in api.alternatives for name in group]
    return schema


def _operation(api: Api) -> Schema:
    codes = error_codes(api)
    description = "Whole-request `ErrorCode`s:\n\n" + _code_table(codes)
    if api.item_codes:
        item_codes = sorted(int(code) for code in api.item_codes)
        description += "\n\nPer-item `ResultCode`s:\n\n" + _code_table(item_codes)
    service, command = api.path.split("/")
    return {
        "operationId": f"{service}.{command}",
        "tags": [api.group.name],
        "summary": api.summary,
        "description": description,
        "parameters": [{"$ref": f"#/components/parameters/{name}"} for name in _parameters()],
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": _request(api),
                    "example": pyjson5.decode(api.sample),
                }
            },
        },
        "responses": {
            "200": {
                "description": "always HTTP 200: the envelope tells success from failure",
                "content": {"application/json": {"schema": _answer(api, codes)}},
            }
        },
    }


def document(apis: Iterable[Api] = APIS) -> Schema:
    """The OpenAPI 3.1 document of ``apis`` (every REST API)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "relchain REST API",
            "version": __version__,
            "description": DESCRIPTION,
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "tags": [
            {"name": "im_open_login_svc", "description": "accounts"},
            {"name": "profile", "description": "profiles"},
            {"name": "follow", "description": "follows"},
            {"name": "sns", "description": "friends, blocklists and friend lists"},
        ],
        "paths": {f"/v4/{api.path}": {"post": _operation(api)} for api in apis},
        "components": {
            "parameters": _parameters(),
            "schemas": {"Envelope": ENVELOPE},
        },
    }


_CACHED: bytes | None = None


def document_bytes() -> bytes:
    """The document as served (indented JSON: the same bytes as docs/api/openapi.json)."""
    global _CACHED  # noqa: PLW0603  (built once, on the first request)
    if _CACHED is None:
        _CACHED = orjson.dumps(document(), option=orjson.OPT_INDENT_2) + b"\n"
    return _CACHED
