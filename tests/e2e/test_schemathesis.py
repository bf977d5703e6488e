"""Property-based fuzzing from the OpenAPI document (schemathesis) against a real ``relchain
serve`` on each backend: for every operation, bodies and query strings that fit the document
(positive) and that break it (negative), mostly with a valid admin UserSig so they reach the
handlers. Every answer must be HTTP 200, the Tencent envelope, fit the documented answer schema
(ErrorCode and ResultCodes among the documented ones) and never be an internal error.

Bounded for CI: ``RELCHAIN_SCHEMATHESIS_EXAMPLES`` examples per operation and mode (default 6:
about 310 requests per backend)."""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from relchain.auth.usersig import generate_usersig
from relchain.domain.errors import Code
from tests.conftest import BACKENDS, database_url
from tests.processes import ServeProcess, relchain

pytestmark = pytest.mark.e2e

SDKAPPID = 1400000888
KEY = "f" * 64
ADMIN = "administrator"
EXAMPLES = int(os.environ.get("RELCHAIN_SCHEMATHESIS_EXAMPLES", "6"))
INTERNAL = {Code.SNS_INTERNAL, Code.PROFILE_INTERNAL, Code.ACCOUNT_INTERNAL}
USERS = ["id", "id1", "id2", "UserID_001", "UserID_002", "a", "0", " "]
ENVELOPE_TYPES = {"ActionStatus": str, "ErrorCode": int, "ErrorInfo": str, "ErrorDisplay": str}


@pytest.fixture(params=BACKENDS)
async def server(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[ServeProcess]:
    """A real server with one unlimited app, custom tags registered and a few accounts."""
    database = await database_url(request.param, tmp_path)
    relchain("app", "create", "--sdkappid", str(SDKAPPID), "--key", KEY, "--database", database)
    for name, value in [
        ("rate_limit", "0"),
        ("custom_sns_tags", "Tag_SNS_Custom_Test"),
        ("custom_profile_tags", "Tag_Profile_Custom_Test"),
    ]:
        relchain("app", "set", str(SDKAPPID), name, value, "--database", database)
    served = ServeProcess(database, "--no-access-log").wait_ready()
    try:
        async with httpx.AsyncClient(base_url=served.url, timeout=10) as http:
            response = await http.post(
                "/v4/im_open_login_svc/multiaccount_import",
                params=admin_query(),
                json={"Accounts": USERS},
            )
        answer = response.json()
        assert answer["ErrorCode"] == 0, answer
        yield served
    finally:
        output = served.stop()
        assert "Traceback" not in output, output


def admin_query() -> dict[str, Any]:
    sig = generate_usersig(KEY, SDKAPPID, ADMIN, 86400, int(time.time()))
    return {
        "sdkappid": SDKAPPID,
        "identifier": ADMIN,
        "usersig": sig,
        "random": 1,
        "contenttype": "json",
    }


def answered_in_the_envelope(response: Any) -> None:
    """HTTP 200, a JSON object with the four envelope keys of their types, no internal code."""
    assert response.status_code == 200, (response.status_code, response.text[:300])
    data = response.json()
    assert isinstance(data, dict), data
    for key, kind in ENVELOPE_TYPES.items():
        assert isinstance(data.get(key), kind), (key, data)
    assert data["ActionStatus"] == ("OK" if data["ErrorCode"] == 0 else "FAIL"), data
    assert data["ErrorDisplay"] == "", data
    assert data["ErrorCode"] not in INTERNAL, data


def test_fuzzing_from_the_openapi_document_finds_no_500_and_no_internal_code(
    server: ServeProcess,
) -> None:
    document = httpx.get(f"{server.url}/openapi.json", timeout=10).json()
    schema = schemathesis.openapi.from_dict(document)
    query = admin_query()
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    sent = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode), signed=st.integers(0, 9))
            def run(case: Any, signed: int) -> None:
                nonlocal sent
                if signed:  # 9 in 10 pass the gate; the rest fuzz the query string too
                    case.query = dict(query)
                response = case.call(base_url=server.url, timeout=30)
                sent += 1
                answered_in_the_envelope(response)
                case.validate_response(response, checks=checks)

            run()
    assert sent >= 26 * 2 * min(EXAMPLES, 3), sent
