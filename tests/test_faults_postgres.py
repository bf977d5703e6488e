"""PostgreSQL going away under a running app: prompt internal codes, no half-written data, and
service resumes by itself once the database is back (no restart of relchain).

Real faults on the test's own database: ``ALTER DATABASE ... ALLOW_CONNECTIONS false`` plus
``pg_terminate_backend`` (the database is gone for this app), and a backend killed in the middle
of a write transaction.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import asyncpg
import pytest

from relchain.domain.apps import App
from relchain.domain.errors import Code
from relchain.storage.postgres import PostgresStore
from tests.support import ADMIN, KEY, SDKAPPID, FrozenClock, RestClient, running_client

POSTGRES_URL = os.environ.get("RELCHAIN_TEST_POSTGRES_URL", "")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not POSTGRES_URL, reason="RELCHAIN_TEST_POSTGRES_URL is not set"),
]
PROMPT_SECONDS = 3.0


@pytest.fixture
async def db_url() -> str:
    from tests.storage.postgres_db import fresh_postgres_url

    return await fresh_postgres_url(POSTGRES_URL)


@pytest.fixture
async def admin() -> AsyncIterator[asyncpg.Connection]:
    """A superuser connection to the base database, outside the app's pool."""
    conn = await asyncpg.connect(POSTGRES_URL)
    yield conn
    await conn.close()


@pytest.fixture
async def pg(db_url: str, admin: asyncpg.Connection) -> AsyncIterator[PostgresStore]:
    store = await PostgresStore.open(db_url + "?command_timeout=2&connect_timeout=2")
    yield store
    await admin.execute(f'ALTER DATABASE "{dbname(db_url)}" ALLOW_CONNECTIONS true')
    await store.close()


@pytest.fixture
async def client(pg: PostgresStore, clock: FrozenClock) -> AsyncIterator[RestClient]:
    app = App(sdkappid=SDKAPPID, key=KEY, admins=(ADMIN,))
    async with pg.write() as tx:
        await tx.create_app(app, int(clock.now()))
    async with running_client(pg, clock, app) as rest:
        yield rest


def dbname(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


async def cut_off(admin: asyncpg.Connection, name: str) -> None:
    """No new connections to ``name``, and every open one terminated."""
    await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    await admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name
    )


CALLS = [
    ("im_open_login_svc/account_import", {"UserID": "late"}, Code.ACCOUNT_INTERNAL),
    (
        "profile/portrait_get",
        {"To_Account": ["u1"], "TagList": ["Tag_Profile_IM_Nick"]},
        Code.PROFILE_INTERNAL,
    ),
    ("follow/follow_check", {"From_Account": "u1", "To_Account": ["u2"]}, Code.SNS_INTERNAL),
]


async def timed_call(
    client: RestClient, path: str, body: object
) -> tuple[dict[str, object], float]:
    started = time.monotonic()
    data = await client.call(path, body)
    return data, time.monotonic() - started


async def test_database_gone_answers_internal_codes_promptly_then_resumes(
    client: RestClient, admin: asyncpg.Connection, db_url: str
) -> None:
    await client.import_accounts("u1", "u2")
    await cut_off(admin, dbname(db_url))
    for path, body, code in CALLS:
        data, took = await timed_call(client, path, body)
        assert (data["ActionStatus"], data["ErrorCode"]) == ("FAIL", code), (path, data)
        assert took < PROMPT_SECONDS, (path, took)
    await admin.execute(f'ALTER DATABASE "{dbname(db_url)}" ALLOW_CONNECTIONS true')
    # the same app, not restarted: the pool reconnects on the next request
    await client.ok("im_open_login_svc/account_import", {"UserID": "late", "Nick": "L"})
    data = await client.ok(
        "profile/portrait_get", {"To_Account": ["late"], "TagList": ["Tag_Profile_IM_Nick"]}
    )
    assert data["UserProfileItem"][0]["ProfileItem"] == [
        {"Tag": "Tag_Profile_IM_Nick", "Value": "L"}
    ]


async def test_a_blocked_write_killed_midway_leaves_nothing_and_the_retry_succeeds(
    client: RestClient, admin: asyncpg.Connection, db_url: str, pg: PostgresStore
) -> None:
    """multiaccount_import inserts new1/new2, then waits for old's row lock; its backend is then
    terminated: 70500, and neither new account exists."""
    await client.import_accounts("old")
    body = {"AccountList": [{"UserID": "new1"}, {"UserID": "new2"}, {"UserID": "old", "Nick": "x"}]}
    locker = await asyncpg.connect(db_url)
    try:
        lock = locker.transaction()
        await lock.start()
        await locker.execute("SELECT 1 FROM accounts WHERE user_id = 'old' FOR UPDATE")
        request = asyncio.create_task(client.call("im_open_login_svc/multiaccount_import", body))
        pid = await waiting_backend(admin, dbname(db_url))
        assert await pg_has(pg, ["new1", "new2"]) == set()  # not committed yet, as expected
        await admin.execute("SELECT pg_terminate_backend($1)", pid)
        data = await asyncio.wait_for(request, PROMPT_SECONDS)
        assert (data["ActionStatus"], data["ErrorCode"]) == ("FAIL", Code.ACCOUNT_INTERNAL)
        await lock.rollback()
    finally:
        await locker.close()
    assert await pg_has(pg, ["new1", "new2", "old"]) == {"old"}
    await client.ok("im_open_login_svc/multiaccount_import", body)
    assert await pg_has(pg, ["new1", "new2", "old"]) == {"new1", "new2", "old"}


async def waiting_backend(admin: asyncpg.Connection, name: str) -> int:
    """The pid of the app's backend that waits for a row lock in ``name``."""
    deadline = time.monotonic() + PROMPT_SECONDS
    while time.monotonic() < deadline:
        pid = await admin.fetchval(
            "SELECT pid FROM pg_stat_activity WHERE datname = $1"
            " AND application_name = 'relchain' AND wait_event_type = 'Lock'",
            name,
        )
        if pid is not None:
            return int(pid)
        await asyncio.sleep(0.02)
    raise AssertionError("the write never waited for the lock")


async def pg_has(pg: PostgresStore, user_ids: list[str]) -> set[str]:
    async with pg.read() as tx:
        return await tx.existing_accounts(SDKAPPID, user_ids)


async def test_a_write_slower_than_command_timeout_is_abandoned_and_rolled_back(
    client: RestClient, db_url: str, pg: PostgresStore
) -> None:
    """The row stays locked past command_timeout (2 s): the request answers 70500 in time."""
    await client.import_accounts("old")
    body = {"AccountList": [{"UserID": "new1"}, {"UserID": "old", "Nick": "x"}]}
    locker = await asyncpg.connect(db_url)
    try:
        async with locker.transaction():
            await locker.execute("SELECT 1 FROM accounts WHERE user_id = 'old' FOR UPDATE")
            data, took = await timed_call(client, "im_open_login_svc/multiaccount_import", body)
        assert data["ErrorCode"] == Code.ACCOUNT_INTERNAL
        assert 1.5 < took < PROMPT_SECONDS + 1
    finally:
        await locker.close()
    assert await pg_has(pg, ["new1"]) == set()
    await client.ok("im_open_login_svc/multiaccount_import", body)
    assert await pg_has(pg, ["new1"]) == {"new1"}
