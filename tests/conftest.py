"""Fixtures: a store for every backend, a frozen clock, a test app and a signed REST client.

Backends: SQLite always; PostgreSQL when ``RELCHAIN_TEST_POSTGRES_URL`` is set (CI sets it and
fails if the server cannot be reached).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from relchain.domain.apps import App, AppSettings
from relchain.ports import Store
from relchain.storage import open_store
from tests.support import ADMIN, KEY, SDKAPPID, FrozenClock, RestClient, running_client

POSTGRES_URL = os.environ.get("RELCHAIN_TEST_POSTGRES_URL", "")
UNLIMITED = AppSettings(rate_limit=0, rate_limits={})
BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])


async def database_url(backend: str, tmp_path: Path) -> str:
    """An empty database of ``backend``: a SQLite file in ``tmp_path``, or a new PostgreSQL
    database next to ``RELCHAIN_TEST_POSTGRES_URL``'s."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    from tests.storage.postgres_db import fresh_postgres_url

    return await fresh_postgres_url(POSTGRES_URL)


@pytest.fixture(params=BACKENDS)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """An empty, migrated store of each backend."""
    opened = await open_store(await database_url(request.param, tmp_path))
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
async def app(store: Store, clock: FrozenClock) -> App:
    """The test app (SDKAPPID, KEY, admin ``admin``) created in the store. Not rate limited:
    the frozen clock makes every call of a test arrive at the same instant (the rate-limit
    tests set their limits)."""
    test_app = App(sdkappid=SDKAPPID, key=KEY, admins=(ADMIN,), settings=UNLIMITED)
    async with store.write() as tx:
        await tx.create_app(test_app, int(clock.now()))
    return test_app


@pytest.fixture
async def rest(store: Store, clock: FrozenClock, app: App) -> AsyncIterator[RestClient]:
    """A signed REST client of the test app, over in-process ASGI."""
    async with running_client(store, clock, app) as client:
        yield client


STRICT = os.environ.get("RELCHAIN_TEST_STRICT") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Under RELCHAIN_TEST_STRICT=1 (scripts/test.sh, CI) a skipped test is a failed test: the
    PostgreSQL and Redis tests must run, never quietly skip."""
    outcome = yield
    report = outcome.get_result()
    if STRICT and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under RELCHAIN_TEST_STRICT=1: {report.longrepr}"
