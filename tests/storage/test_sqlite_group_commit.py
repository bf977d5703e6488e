"""SQLite group commit: concurrent write units share one COMMIT, each in its own savepoint; a
caller returns only once its data is committed; a failing unit is rolled back alone."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from relchain.storage.sqlite import SQLiteStore

APP = 7


def committed_accounts(path: Path) -> set[str]:
    """What another connection (another process) sees: committed rows only."""
    with sqlite3.connect(path) as other:
        return {
            r[0] for r in other.execute("SELECT user_id FROM accounts WHERE sdkappid = ?", (APP,))
        }


async def test_a_caller_returns_only_after_its_unit_is_committed(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    store = SQLiteStore.open(f"sqlite:///{path}")
    async with store.write() as tx:
        await tx.import_accounts(APP, [("solo", {})], 1)
    assert committed_accounts(path) == {"solo"}
    await store.close()


async def test_concurrent_units_share_a_batch_and_a_failing_one_is_undone_alone(
    tmp_path: Path,
) -> None:
    path = tmp_path / "g.db"
    store = SQLiteStore.open(f"sqlite:///{path}")
    seen_in_flight: list[bool] = []

    async def unit(user: str, fail: bool) -> str:
        async with store.write() as tx:
            await tx.import_accounts(APP, [(user, {})], 1)
            seen_in_flight.append(store._batch is not None)
            if fail:
                raise ValueError(user)
        return user

    results = await asyncio.gather(
        unit("a", False), unit("b", True), unit("c", False), return_exceptions=True
    )
    assert results[0] == "a" and results[2] == "c"
    assert isinstance(results[1], ValueError)
    assert committed_accounts(path) == {"a", "c"}
    assert seen_in_flight == [True, True, True]
    await store.close()


async def test_a_read_commits_the_open_batch_first(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    store = SQLiteStore.open(f"sqlite:///{path}")

    async def writer() -> None:
        async with store.write() as tx:
            await tx.import_accounts(APP, [("w", {})], 1)

    async def reader() -> set[str]:
        await asyncio.sleep(0)  # runs after the writer's unit, before the batch's own COMMIT
        async with store.read() as tx:
            return await tx.existing_accounts(APP, ["w"])

    _, seen = await asyncio.gather(writer(), reader())
    assert seen == {"w"}
    assert committed_accounts(path) == {"w"}
    await store.close()


async def test_close_commits_what_is_open(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    store = SQLiteStore.open(f"sqlite:///{path}")
    task = asyncio.create_task(_write(store, "late"))
    await asyncio.sleep(0)
    await store.close()
    with pytest.raises(sqlite3.ProgrammingError):
        store._conn.execute("SELECT 1")
    await task
    assert committed_accounts(path) == {"late"}


async def _write(store: SQLiteStore, user: str) -> None:
    async with store.write() as tx:
        await tx.import_accounts(APP, [(user, {})], 1)


async def test_a_write_waits_for_another_process_without_blocking_reads(tmp_path: Path) -> None:
    """While another connection (another process) holds the write lock, a write unit waits for
    it asynchronously: this process's reads go on meanwhile, and the write lands after."""
    path = tmp_path / "g.db"
    store = SQLiteStore.open(f"sqlite:///{path}")
    async with store.write() as tx:
        await tx.import_accounts(APP, [("first", {})], 1)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")

    async def write() -> None:
        async with store.write() as tx:
            await tx.import_accounts(APP, [("second", {})], 1)

    writing = asyncio.create_task(write())
    await asyncio.sleep(0.02)
    assert not writing.done()
    async with store.read() as tx:  # not queued behind the waiting write
        assert (await tx.get_profiles(APP, ["first"])).keys() == {"first"}
    assert not writing.done()
    other.execute("COMMIT")
    other.close()
    await asyncio.wait_for(writing, 5)
    assert committed_accounts(path) == {"first", "second"}
    await store.close()


async def test_a_write_gives_up_when_another_process_keeps_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    store = SQLiteStore.open(f"sqlite:///{path}")
    store.lock_wait_seconds = 0.05
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        async with store.write() as tx:
            await tx.import_accounts(APP, [("late", {})], 1)
    other.execute("ROLLBACK")
    other.close()
    async with store.write() as tx:  # the store is usable again
        await tx.import_accounts(APP, [("late", {})], 1)
    assert committed_accounts(path) == {"late"}
    await store.close()


async def test_the_reads_of_one_loop_turn_share_a_snapshot_and_a_later_turn_sees_new_data(
    tmp_path: Path,
) -> None:
    """Reads in one turn of the event loop share one read transaction; the next turn's reads
    see what another process committed in between (a request never reads an older state)."""
    path = tmp_path / "g.db"
    store = SQLiteStore.open(f"sqlite:///{path}")
    async with store.write() as tx:
        await tx.import_accounts(APP, [("a", {})], 1)
    other = sqlite3.connect(path, isolation_level=None)

    async with store.read() as tx:
        assert await tx.existing_accounts(APP, ["a", "b"]) == {"a"}
    other.execute("INSERT INTO accounts (sdkappid, user_id, created_at) VALUES (?, 'b', 1)", (APP,))
    async with store.read() as tx:  # the same turn: the same snapshot
        assert await tx.existing_accounts(APP, ["a", "b"]) == {"a"}
    await asyncio.sleep(0)  # the next turn ends the snapshot
    async with store.read() as tx:
        assert await tx.existing_accounts(APP, ["a", "b"]) == {"a", "b"}
    other.close()
    await store.close()


async def test_a_snapshot_still_in_use_at_the_turn_over_is_not_handed_to_a_later_read(
    tmp_path: Path,
) -> None:
    path = tmp_path / "g.db"
    store = SQLiteStore.open(f"sqlite:///{path}")
    other = sqlite3.connect(path, isolation_level=None)
    release = asyncio.Event()

    async def long_read() -> None:
        async with store.read() as tx:
            await tx.existing_accounts(APP, ["late"])
            await release.wait()  # holds the snapshot over several turns

    holder = asyncio.create_task(long_read())
    await asyncio.sleep(0.01)
    other.execute(
        "INSERT INTO accounts (sdkappid, user_id, created_at) VALUES (?, 'late', 1)", (APP,)
    )

    async def later_read() -> set[str]:
        async with store.read() as tx:
            return await tx.existing_accounts(APP, ["late"])

    later = asyncio.create_task(later_read())
    await asyncio.sleep(0.01)
    release.set()
    await holder
    assert await later == {"late"}
    other.close()
    await store.close()


async def test_a_write_after_a_read_in_the_same_turn_is_committed(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    store = SQLiteStore.open(f"sqlite:///{path}")
    async with store.read() as tx:
        assert await tx.existing_accounts(APP, ["w"]) == set()
    async with store.write() as tx:
        await tx.import_accounts(APP, [("w", {})], 1)
    assert committed_accounts(path) == {"w"}
    async with store.read() as tx:
        assert await tx.existing_accounts(APP, ["w"]) == {"w"}
    await store.close()
