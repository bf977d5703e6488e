"""Operational endpoints and records over in-process HTTP: the access log (one line per API
request, request ids, never a UserSig or key), /healthz, /readyz and /metrics."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from relchain.config import Config
from relchain.domain.apps import App
from relchain.http.app import create_app
from relchain.ports import Store
from relchain.storage import open_store
from tests.support import KEY, FrozenClock, RestClient


@asynccontextmanager
async def client(
    store: Store, clock: FrozenClock, app: App, **settings: Any
) -> AsyncIterator[RestClient]:
    asgi = create_app(
        Config(database="unused://", app_cache_seconds=0, **settings), store=store, clock=clock
    )
    async with asgi.router.lifespan_context(asgi):
        transport = httpx.ASGITransport(app=asgi, client=("10.1.2.3", 5555))
        async with httpx.AsyncClient(transport=transport, base_url="http://relchain") as http:
            yield RestClient(http, clock, app, store)


def access_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    err = capsys.readouterr().err
    return [ln for ln in err.splitlines() if "relchain.access" in ln]


def fields_of(line: str) -> dict[str, str]:
    """The ``key=value`` pairs of a text access line (values JSON-quoted when not plain)."""
    pairs = re.findall(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)', line)
    return {k: orjson.loads(v) if v.startswith('"') else v for k, v in pairs}


async def test_one_access_line_per_api_request_with_its_request_id(
    store: Store, clock: FrozenClock, app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    async with client(store, clock, app) as rest:
        query = rest.query()
        ok = await rest.http.post(
            "/v4/im_open_login_svc/account_import",
            params=query,
            content=b'{"UserID":"u1"}',
            headers={"X-Request-ID": "trace-42.a:b"},
        )
        bad = await rest.http.post(
            "/v4/im_open_login_svc/account_check",
            params={**query, "usersig": "not-a-usersig"},
            content=b"{}",
            headers={"X-Request-ID": "has spaces and = signs"},
        )
        await rest.http.get("/healthz")
    assert ok.headers["x-request-id"] == "trace-42.a:b"
    made = bad.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{8}-\d+", made)
    lines = access_lines(capsys)
    assert len(lines) == 2  # the API calls; /healthz is not logged
    first, second = (fields_of(line) for line in lines)
    assert first == {
        "request_id": "trace-42.a:b",
        "client": "10.1.2.3",
        "method": "POST",
        "path": "/v4/im_open_login_svc/account_import",
        "sdkappid": str(app.sdkappid),
        "identifier": "admin",
        "code": "0",
        "ms": first["ms"],
    }
    assert second["code"] == "70003" and second["request_id"] == made
    for line in lines:
        assert query["usersig"] not in line and query["usersig"][:40] not in line
        assert KEY not in line


async def test_json_access_lines(
    store: Store, clock: FrozenClock, app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    async with client(store, clock, app, log_format="json") as rest:
        await rest.http.post(
            "/v4/im_open_login_svc/account_import",
            params=rest.query(),
            content=b'{"UserID":"u1"}',
            headers={"X-Request-ID": "r-1"},
        )
    (line,) = access_lines(capsys)
    data = orjson.loads(line)
    assert data["logger"] == "relchain.access" and data["level"] == "info"
    assert (data["request_id"], data["code"], data["sdkappid"]) == ("r-1", 0, app.sdkappid)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", data["time"])


async def test_text_access_lines_quote_what_a_client_chose(
    store: Store, clock: FrozenClock, app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    """A client's identifier cannot start a new line or fake a field in the text log."""
    async with client(store, clock, app) as rest:
        await rest.http.post(
            "/v4/im_open_login_svc/account_check",
            params={**rest.query(), "identifier": "x\n2026 info relchain.access code=0"},
            content=b"{}",
        )
    (line,) = access_lines(capsys)
    assert 'identifier="x\\n2026 info relchain.access code=0"' in line
    assert fields_of(line)["code"] == "70013"


async def test_access_log_can_be_turned_off(
    store: Store, clock: FrozenClock, app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    async with client(store, clock, app, access_log=False) as rest:
        await rest.ok("im_open_login_svc/account_import", {"UserID": "u1"})
    assert access_lines(capsys) == []


def metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus text (labels in any order)."""
    for line in text.splitlines():
        sample, _, value = line.rpartition(" ")
        found, _, rest = sample.partition("{")
        if found != name:
            continue
        have = dict(re.findall(r'(\w+)="([^"]*)"', rest))
        if have == labels:
            return float(value)
    raise AssertionError(f"{name} {labels} not in metrics")


async def test_metrics_count_requests_by_command_and_code(
    store: Store, clock: FrozenClock, app: App
) -> None:
    async with client(store, clock, app) as rest:
        await rest.ok("im_open_login_svc/account_import", {"UserID": "u1"})
        await rest.ok("im_open_login_svc/account_import", {"UserID": "u2"})
        await rest.call("im_open_login_svc/account_import", {"UserID": 7})
        await rest.set_setting("rate_limit", "1")
        clock.advance(10)
        await rest.call("sns/friend_check", {})
        await rest.call("sns/friend_check", {})  # over the limit
        response = await rest.http.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain; version=")
    text = response.text
    labels = {"service": "im_open_login_svc", "command": "account_import"}
    assert metric(text, "relchain_requests_total", **labels, code="0") == 2
    assert metric(text, "relchain_requests_total", **labels, code="70402") == 1
    assert metric(text, "relchain_request_duration_seconds_count", **labels) == 3
    sns = {"service": "sns", "command": "friend_check"}
    assert metric(text, "relchain_requests_total", **sns, code="60007") == 1
    assert metric(text, "relchain_rate_limited_total", **sns) == 1
    assert metric(text, "relchain_db_connections", state="open") >= 1
    assert "process_cpu_seconds_total" in text
    if store.url_scheme == "sqlite":
        assert metric(text, "relchain_group_commit_units_count") >= 2


async def test_metrics_setting_off_leaves_no_metrics_endpoint(
    store: Store, clock: FrozenClock, app: App
) -> None:
    async with client(store, clock, app, metrics=False) as rest:
        data = (await rest.http.get("/metrics")).json()
        await rest.ok("im_open_login_svc/account_import", {"UserID": "u1"})
    assert data["ErrorCode"] == 60009


async def test_healthz_and_readyz(store: Store, clock: FrozenClock, app: App) -> None:
    async with client(store, clock, app) as rest:
        health = await rest.http.get("/healthz")
        ready = await rest.http.get("/readyz", headers={"X-Request-ID": "lb-1"})
    assert health.status_code == 200 and health.json()["ErrorCode"] == 0
    assert ready.status_code == 200 and ready.json() == {"ready": True}
    assert ready.headers["x-request-id"] == "lb-1"


async def test_readyz_is_503_while_migrations_are_missing(
    tmp_path: Path, clock: FrozenClock, app: App
) -> None:
    bare = await open_store(f"sqlite:///{tmp_path / 'bare.db'}", migrate=False)
    try:
        async with client(bare, clock, app) as rest:
            ready = await rest.http.get("/readyz")
    finally:
        await bare.close()
    import relchain.storage

    versions = sorted(
        int(f.name[:4])
        for f in (Path(relchain.storage.__file__).parent / "migrations" / "sqlite").glob("*.sql")
    )  # every migration, whichever branch added the last one
    assert ready.status_code == 503
    assert ready.json() == {
        "ready": False,
        "reason": f"database: migrations {versions} not applied (relchain db upgrade)",
    }


class DeadStore:
    """A store whose database does not answer."""

    url_scheme = "dead"

    def __init__(self, inner: Store) -> None:
        self.inner = inner

    async def pending_migrations(self) -> list[int]:
        raise ConnectionRefusedError("the database is down")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


async def test_readyz_is_503_when_the_database_does_not_answer(
    store: Store, clock: FrozenClock, app: App, caplog: pytest.LogCaptureFixture
) -> None:
    async with client(DeadStore(store), clock, app) as rest:  # type: ignore[arg-type]
        ready = await rest.http.get("/readyz")
    assert ready.status_code == 503
    assert ready.json() == {
        "ready": False,
        "reason": "database: not answering (see the server log)",
    }
    assert "the database is down" in caplog.text
