"""PostgreSQL schema migrations: from an empty database, from each earlier version, concurrently
(many processes starting at once), atomically, and through ``relchain db upgrade``."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from click.testing import CliRunner

from relchain.cli import main
from relchain.storage import open_store
from relchain.storage.migrations import Migration, migrations_for
from relchain.storage.postgres import PostgresStore, schema_version, upgrade

POSTGRES_URL = os.environ.get("RELCHAIN_TEST_POSTGRES_URL", "")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not POSTGRES_URL, reason="RELCHAIN_TEST_POSTGRES_URL is not set"),
]
EVERY = migrations_for("postgres")
LATEST = EVERY[-1].version


@pytest.fixture
async def url() -> str:
    from tests.storage.postgres_db import fresh_postgres_url

    return await fresh_postgres_url(POSTGRES_URL)


@pytest.fixture
async def conn(url: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(url)
    yield connection
    await connection.close()


async def versions(conn: asyncpg.Connection) -> list[int]:
    return [r[0] for r in await conn.fetch("SELECT version FROM schema_migrations ORDER BY 1")]


def test_migration_versions_are_unique_start_at_one_and_match_sqlite() -> None:
    found = [m.version for m in EVERY]
    assert found == list(range(1, len(found) + 1))
    sqlite = {m.version: m.name for m in migrations_for("sqlite")}
    assert all(sqlite.get(m.version) == m.name for m in EVERY)  # same numbers, same names


async def test_empty_database_gets_every_migration_once(url: str, conn: asyncpg.Connection) -> None:
    assert await schema_version(conn) == 0
    store = await open_store(url)
    try:
        assert await versions(conn) == [m.version for m in EVERY]
        assert isinstance(store, PostgresStore)
        assert await store.upgrade() == []
        assert await store.schema_version() == LATEST
    finally:
        await store.close()
    assert await upgrade(conn) == []


async def test_open_without_migrate_leaves_the_database_empty(
    url: str, conn: asyncpg.Connection
) -> None:
    store = await open_store(url, migrate=False)
    await store.close()
    assert await schema_version(conn) == 0
    assert await conn.fetchval("SELECT to_regclass('accounts')") is None


@pytest.mark.parametrize("at", range(len(EVERY)))
async def test_database_at_an_earlier_version_is_upgraded_keeping_its_data(
    at: int, conn: asyncpg.Connection
) -> None:
    """From version ``at`` (0 = empty) to the latest: only the missing ones run, data stay."""
    assert await upgrade(conn, EVERY[:at]) == [m.version for m in EVERY[:at]]
    if at:
        await conn.execute(
            "INSERT INTO apps VALUES (1, 'k', '[\"admin\"]', '{}', 0);"
            "INSERT INTO accounts (sdkappid, user_id, created_at, profile, profile_seq)"
            " VALUES (1, 'a', 0, '{\"Tag_Profile_IM_Nick\": \"A\"}', 4)"
        )
    assert await upgrade(conn) == [m.version for m in EVERY[at:]]
    assert await versions(conn) == [m.version for m in EVERY]
    if at:
        assert await conn.fetchval("SELECT secret_key FROM apps WHERE sdkappid = 1") == "k"
        row = await conn.fetchrow(
            "SELECT profile->>'Tag_Profile_IM_Nick', profile_seq FROM accounts"
        )
        assert tuple(row) == ("A", 4)


async def test_a_new_migration_is_applied_alone_on_an_up_to_date_database(
    conn: asyncpg.Connection,
) -> None:
    await upgrade(conn)
    await conn.execute("INSERT INTO accounts (sdkappid, user_id, created_at) VALUES (1, 'a', 0)")
    extra = Migration(LATEST + 1, "extra", "ALTER TABLE accounts ADD COLUMN note TEXT DEFAULT 'n';")
    assert await upgrade(conn, [*EVERY, extra]) == [LATEST + 1]
    assert await conn.fetchval("SELECT note FROM accounts WHERE user_id = 'a'") == "n"
    assert await upgrade(conn, [*EVERY, extra]) == []


async def test_a_failing_migration_rolls_back_entirely(conn: asyncpg.Connection) -> None:
    await upgrade(conn)
    broken = Migration(LATEST + 1, "broken", "CREATE TABLE half_done (x INT); SELECT 1 / 0;")
    with pytest.raises(asyncpg.DivisionByZeroError):
        await upgrade(conn, [*EVERY, broken])
    assert await schema_version(conn) == LATEST
    assert await conn.fetchval("SELECT to_regclass('half_done')") is None


async def test_many_processes_migrating_at_once_apply_each_version_once(url: str) -> None:
    """Eight connections run the upgrade concurrently: each version is applied exactly once."""
    conns = [await asyncpg.connect(url) for _ in range(8)]
    try:
        results = await asyncio.gather(*(upgrade(c) for c in conns))
        applied = sorted(v for result in results for v in result)
        assert applied == [m.version for m in EVERY]
        assert await versions(conns[0]) == [m.version for m in EVERY]
    finally:
        for c in conns:
            await c.close()


async def test_stores_opened_at_once_all_work(url: str) -> None:
    stores = await asyncio.gather(*(open_store(url) for _ in range(4)))
    try:
        for store in stores:
            async with store.read() as tx:
                assert await tx.list_apps() == []
    finally:
        for store in stores:
            await store.close()


def test_db_upgrade_reports_what_it_applied(url: str) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["db", "upgrade", "--database", url])
    assert first.exit_code == 0, first.output
    assert [f"applied migration {m.version:04d}" for m in EVERY] == [
        line for line in first.output.splitlines() if line.startswith("applied")
    ]
    again = runner.invoke(main, ["db", "upgrade", "--database", url])
    assert again.exit_code == 0, again.output
    assert "applied" not in again.output and "up to date" in again.output


def test_db_upgrade_of_an_unreachable_server_is_a_clear_error() -> None:
    result = CliRunner().invoke(
        main, ["db", "upgrade", "--database", "postgresql://postgres@127.0.0.1:1/none"]
    )
    assert result.exit_code == 1
    assert "cannot open PostgreSQL at postgresql://postgres@127.0.0.1:1/none" in result.output


def test_db_upgrade_reports_what_it_applied_on_sqlite_too(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'up.db'}"
    runner = CliRunner()
    first = runner.invoke(main, ["db", "upgrade", "--database", url])
    assert first.exit_code == 0, first.output
    expected = [f"applied migration {m.version:04d}" for m in migrations_for("sqlite")]
    assert [line for line in first.output.splitlines() if line.startswith("applied")] == expected
    again = runner.invoke(main, ["db", "upgrade", "--database", url])
    assert "applied" not in again.output and "up to date" in again.output
