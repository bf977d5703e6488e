"""PostgreSQL: transactions that commit out of id order never make a reader skip an event.

A reader pages with ``events_after(last id seen)``. With a plain sequence, an event that
commits after a later-numbered one would be skipped; the log hands out only ids below the
oldest running transaction, so each test holds a transaction open and checks the reader waits.
"""

from __future__ import annotations

import pytest

from relchain.domain.events import Event, EventKind, NewEvent
from relchain.ports import Store
from tests.conftest import POSTGRES_URL
from tests.eventlog import settled
from tests.support import SDKAPPID as APP

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="needs RELCHAIN_TEST_POSTGRES_URL")


@pytest.fixture
async def pg() -> Store:  # type: ignore[misc]
    from relchain.storage import open_store
    from tests.storage.postgres_db import fresh_postgres_url

    store = await open_store(await fresh_postgres_url(POSTGRES_URL))
    try:
        yield store
    finally:
        await store.close()


def ev(account: str) -> NewEvent:
    return NewEvent(EventKind.PROFILE_SET, account)


async def read(store: Store, after: int = 0) -> list[Event]:
    """What a reader gets now (without waiting for other transactions)."""
    async with store.read() as tx:
        return await tx.events_after(APP, after, 100)


async def test_an_event_numbered_first_but_committed_last_is_not_skipped(pg: Store) -> None:
    async with pg.write() as slow:
        await slow.append_events(APP, [ev("slow")], 1)
        await slow.existing_accounts(APP, ["x"])  # a statement after it: the append has run
        async with pg.write() as fast:
            await fast.append_events(APP, [ev("fast")], 2)
        # "fast" committed, but "slow" (a smaller id) may still commit: nothing is handed out
        assert await read(pg) == []
        async with pg.read() as tx:
            assert await tx.last_event_id(APP) == 0
    got = await settled(pg)
    assert [e.account for e in got] == ["slow", "fast"]
    assert got[0].id < got[1].id


async def test_an_append_sent_with_the_commit_is_numbered_then(pg: Store) -> None:
    """A unit's last statements go with its COMMIT (nothing ran before: no transaction id
    yet), so its event sorts after one committed meanwhile, which readers may hand out."""
    async with pg.write() as last:
        await last.append_events(APP, [ev("last")], 1)
        async with pg.write() as first:
            await first.append_events(APP, [ev("first")], 2)
        assert [e.account for e in await read(pg)] == ["first"]
    got = await settled(pg)
    assert [e.account for e in got] == ["first", "last"]


async def test_a_transaction_that_started_writing_first_but_appends_last(pg: Store) -> None:
    """The id is the writing transaction's: one that began writing earlier sorts first even
    when it appends after a later one committed, and the reader waits for it."""
    seen: list[Event] = []
    async with pg.write() as early:
        await early.import_accounts(APP, [("x", {})], 1)  # takes its transaction id now
        async with pg.write() as late:
            await late.append_events(APP, [ev("late")], 2)
        seen += await read(pg)
        await early.append_events(APP, [ev("early")], 3)
    seen += await settled(pg, APP, seen[-1].id if seen else 0)
    assert [e.account for e in seen] == ["early", "late"]


async def test_a_rolled_back_transaction_holds_nothing_back(pg: Store) -> None:
    async def doomed() -> None:
        async with pg.write() as tx:
            await tx.append_events(APP, [ev("doomed")], 1)
            async with pg.write() as other:
                await other.append_events(APP, [ev("kept")], 2)
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        await doomed()
    assert [e.account for e in await settled(pg)] == ["kept"]
