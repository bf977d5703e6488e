"""The OpenAPI document is generated from the same field declarations the handlers validate
with, so it says what the server does: a valid OpenAPI 3.1 document, served at /openapi.json
and committed as docs/api/openapi.json; every documented sample fits its request schema; a
field the document calls required is refused when missing (and an optional one is not); every
answer fits the documented answer schema, codes included."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import jsonschema_rs
import orjson
import pyjson5
import pytest
import schemathesis

from relchain.domain.errors import Code
from relchain.http.api import Api
from relchain.http.fields import UserId, UserIds
from relchain.http.openapi import document, document_bytes
from relchain.http.routes import APIS
from tests.support import RestClient

ROOT = Path(__file__).resolve().parent.parent.parent
DOC = document()
SAMPLE_USERS = [
    "id",
    *[f"id{i}" for i in range(1, 6)],
    *[f"UserID_00{i}" for i in range(1, 4)],
    *[f"UserID_{i}" for i in range(1, 3)],
    "test",
]


def inline(schema: Any) -> Any:
    """``schema`` with every ``#/components/...`` reference replaced by its target."""
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if isinstance(ref, str):
            target: Any = DOC
            for part in ref.removeprefix("#/").split("/"):
                target = target[part]
            return inline(target)
        return {key: inline(value) for key, value in schema.items()}
    if isinstance(schema, list):
        return [inline(value) for value in schema]
    return schema


def operation(api: Api) -> dict[str, Any]:
    op: dict[str, Any] = DOC["paths"][f"/v4/{api.path}"]["post"]
    return op


def request_validator(api: Api) -> jsonschema_rs.Validator:
    schema = operation(api)["requestBody"]["content"]["application/json"]["schema"]
    return jsonschema_rs.Draft202012Validator(inline(schema))


def answer_validator(api: Api) -> jsonschema_rs.Validator:
    schema = operation(api)["responses"]["200"]["content"]["application/json"]["schema"]
    return jsonschema_rs.Draft202012Validator(inline(schema))


def test_the_document_is_valid_openapi_3_1_and_lists_every_rest_api() -> None:
    schemathesis.openapi.from_dict(copy.deepcopy(DOC)).validate()
    assert DOC["openapi"] == "3.1.0"
    assert sorted(DOC["paths"]) == sorted(f"/v4/{api.path}" for api in APIS)
    assert len(APIS) == 26  # 4 account, 2 profile, 5 follow, 15 sns
    for api in APIS:
        params = [p["$ref"].rsplit("/", 1)[1] for p in operation(api)["parameters"]]
        assert params == ["sdkappid", "identifier", "usersig", "random", "contenttype"]


def test_the_committed_copy_is_the_generated_document() -> None:
    committed = (ROOT / "docs" / "api" / "openapi.json").read_bytes()
    assert committed == document_bytes(), "stale: run python scripts/gen_docs.py"


async def test_the_server_serves_the_document(rest: RestClient) -> None:
    response = await rest.http.get("/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.content == document_bytes()


@pytest.mark.parametrize("api", APIS, ids=lambda api: api.path)
def test_the_documented_sample_fits_the_request_schema(api: Api) -> None:
    sample = pyjson5.decode(api.sample)
    errors = [e.message for e in request_validator(api).iter_errors(sample)]
    assert not errors, errors
    assert operation(api)["requestBody"]["content"]["application/json"]["example"] == sample


@pytest.mark.parametrize("api", APIS, ids=lambda api: api.path)
async def test_a_missing_required_field_is_refused_naming_it(rest: RestClient, api: Api) -> None:
    sample = pyjson5.decode(api.sample)
    alternatives = {name for group in api.alternatives for name in group}
    required = [f for f in api.fields if f.required and f.name not in alternatives]
    assert required or alternatives
    for spec in required:
        body = {k: v for k, v in sample.items() if k != spec.name}
        data = await rest.call(api.path, body)
        code = getattr(spec, "code", None) if isinstance(spec, UserId | UserIds) else None
        assert data["ErrorCode"] == (code or api.group.bad_param), (spec.name, data)
        assert data["ErrorInfo"].startswith(f"{spec.name}:"), (spec.name, data)
    if alternatives:
        body = {k: v for k, v in sample.items() if k not in alternatives}
        data = await rest.call(api.path, body)
        assert data["ErrorCode"] == api.group.bad_param, data


@pytest.mark.parametrize("api", APIS, ids=lambda api: api.path)
async def test_an_optional_field_may_be_left_out(rest: RestClient, api: Api) -> None:
    await rest.import_accounts(*SAMPLE_USERS)
    sample = pyjson5.decode(api.sample)
    for spec in api.fields:
        if spec.required or spec.name not in sample:
            continue
        body = {k: v for k, v in sample.items() if k != spec.name}
        data = await rest.call(api.path, body)
        assert not data["ErrorInfo"].startswith(f"{spec.name}:"), (spec.name, data)


@pytest.mark.parametrize("api", APIS, ids=lambda api: api.path)
async def test_every_answer_fits_the_documented_answer(rest: RestClient, api: Api) -> None:
    """The sample before and after its accounts exist, and with bad input: each answer fits
    the schema, its ErrorCode and ResultCodes among the documented ones."""
    sample = pyjson5.decode(api.sample)
    validator = answer_validator(api)
    answers = [await rest.call(api.path, sample)]
    await rest.set_setting(
        "custom_sns_tags", "Tag_SNS_Custom_XXXX,Tag_SNS_Custom_YYYY,Tag_SNS_Custom_Test"
    )
    await rest.set_setting("custom_profile_tags", "Tag_Profile_Custom_Test")
    await rest.import_accounts(*SAMPLE_USERS)
    answers += [await rest.call(api.path, sample) for _ in range(2)]
    answers.append(await rest.call(api.path, {}))
    answers.append(await rest.call(api.path, raw=b"[1"))
    answers.append(await rest.call(api.path, sample, identifier="id"))  # not an admin
    for data in answers:
        errors = [e.message for e in validator.iter_errors(data)]
        assert not errors, (errors, data)
        assert data["ErrorCode"] not in (Code.SNS_INTERNAL, Code.PROFILE_INTERNAL, 70500), data
    assert any(a["ErrorCode"] == 0 for a in answers) or api.path.startswith("follow/"), answers


def test_per_item_result_codes_are_documented_where_answers_have_items() -> None:
    for api in APIS:
        text = orjson.dumps(api.answer).decode()
        assert ("ResultCode" in text) == bool(api.item_codes), api.path


def test_handlers_read_body_fields_only_through_their_declarations() -> None:
    """No handler reads a field by a literal name (``body.string("X")``): every field it reads
    is a declaration of relchain/http/fields.py, the one the document is generated from."""
    handlers = ROOT / "src" / "relchain" / "http" / "handlers"
    literal = re.compile(r"\.(account|accounts|string|integer|array|objects|get|has)\(\s*f?[\"']")
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(handlers.glob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if literal.search(line)
    ]
    assert not found, found
    for api in APIS:
        declared = {spec.name for spec in api.fields}
        assert set(pyjson5.decode(api.sample)) <= declared, api.path
