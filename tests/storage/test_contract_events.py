"""Storage contract of the event log: append in the transaction, read in id order with the
filters, the last id, pruning, and the commit observer (every backend)."""

from __future__ import annotations

from typing import Any

import pytest

from relchain.domain.events import Event, EventKind, NewEvent, Origin
from relchain.ports import Store
from tests.eventlog import settled
from tests.support import SDKAPPID as APP

OTHER_APP = APP + 1
GATEWAY = Origin("Web", "10.0.0.7", "alice", True)


def ev(kind: EventKind, account: str, *peers: str, **data: object) -> NewEvent:
    return NewEvent(kind, account, peers, data)


async def append(store: Store, *events: NewEvent, app: int = APP, time_ms: int = 1000) -> None:
    async with store.write() as tx:
        await tx.append_events(app, list(events), time_ms)


async def read(store: Store, after: int = 0, limit: int = 100, **filters: Any) -> list[Event]:
    return await settled(store, APP, after, limit=limit, **filters)


async def test_appended_events_read_back_in_order_with_every_field(store: Store) -> None:
    first = NewEvent(
        EventKind.FOLLOW_ADDED, "alice", ("bob", "carol"), {"mutual": ["bob"]}, GATEWAY
    )
    await append(store, first, ev(EventKind.PROFILE_SET, "alice", items=[{"Tag": "t"}]))
    await append(store, ev(EventKind.BLOCK_ADDED, "bob", "alice"), time_ms=2000)
    got = await read(store)
    assert [e.kind for e in got] == [
        EventKind.FOLLOW_ADDED,
        EventKind.PROFILE_SET,
        EventKind.BLOCK_ADDED,
    ]
    assert got[0].id < got[1].id < got[2].id
    assert (got[0].sdkappid, got[0].time_ms, got[0].account) == (APP, 1000, "alice")
    assert got[0].peers == ("bob", "carol")
    assert got[0].data == {"mutual": ["bob"]}
    assert got[0].origin == GATEWAY
    assert got[1].origin == Origin() and got[1].data == {"items": [{"Tag": "t"}]}
    assert got[2].time_ms == 2000 and got[2].peers == ("alice",)


async def test_paging_by_last_id_and_limit(store: Store) -> None:
    for i in range(5):
        await append(store, ev(EventKind.ACCOUNT_IMPORTED, f"u{i}"))
    first = await read(store, limit=2)
    rest = await read(store, after=first[-1].id, limit=10)
    assert [e.account for e in first] == ["u0", "u1"]
    assert [e.account for e in rest] == ["u2", "u3", "u4"]
    async with store.read() as tx:
        assert await tx.last_event_id(APP) >= rest[-1].id  # settled: nothing appended since
        assert await tx.last_event_id(OTHER_APP) == 0


async def test_filters_by_account_as_account_or_peer_and_by_kinds(store: Store) -> None:
    await append(
        store,
        ev(EventKind.FOLLOW_ADDED, "alice", "bob"),
        ev(EventKind.FOLLOW_ADDED, "carol", "dave"),
        ev(EventKind.BLOCK_ADDED, "bob", "carol"),
        ev(EventKind.PROFILE_SET, "bob"),
    )
    bob = await read(store, account="bob")
    assert [(e.kind, e.account) for e in bob] == [
        (EventKind.FOLLOW_ADDED, "alice"),
        (EventKind.BLOCK_ADDED, "bob"),
        (EventKind.PROFILE_SET, "bob"),
    ]
    kinds = await read(store, kinds={"block.added", "profile.set"})
    assert [e.kind for e in kinds] == [EventKind.BLOCK_ADDED, EventKind.PROFILE_SET]
    both = await read(store, account="carol", kinds=["block.added"])
    assert [e.account for e in both] == ["bob"]
    assert await read(store, account="nobody") == []


async def test_apps_are_separate(store: Store) -> None:
    await append(store, ev(EventKind.PROFILE_SET, "a"), app=OTHER_APP)
    await append(store, ev(EventKind.PROFILE_SET, "b"))
    assert [e.account for e in await read(store)] == ["b"]


async def test_a_rolled_back_transaction_appends_nothing_and_is_not_reported(
    store: Store,
) -> None:
    seen: list[dict[int, int]] = []
    store.observe_events(lambda counts: seen.append(counts) if APP in counts else None)

    async def refused() -> None:
        async with store.write() as tx:
            await tx.append_events(APP, [ev(EventKind.PROFILE_SET, "a")], 1)
            raise RuntimeError("refused")

    with pytest.raises(RuntimeError):
        await refused()
    assert await read(store) == []
    assert seen == []
    await append(store, ev(EventKind.PROFILE_SET, "b"), ev(EventKind.PROFILE_SET, "c"))
    assert seen == [{APP: 2}]
    assert [e.account for e in await read(store)] == ["b", "c"]


async def test_ids_keep_increasing_after_pruning_everything(store: Store) -> None:
    await append(store, ev(EventKind.PROFILE_SET, "old"), time_ms=1000)
    last = (await read(store))[-1].id
    async with store.write() as tx:
        assert await tx.prune_events(APP, 5000) == 1
    assert await read(store) == []
    await append(store, ev(EventKind.PROFILE_SET, "new"), time_ms=6000)
    assert [e.id > last for e in await read(store)] == [True]


async def test_prune_deletes_old_events_in_bounded_batches(store: Store) -> None:
    for i in range(5):
        await append(store, ev(EventKind.PROFILE_SET, f"u{i}"), time_ms=1000 + i)
    await append(store, ev(EventKind.PROFILE_SET, "keep"), time_ms=9000)
    await append(store, ev(EventKind.PROFILE_SET, "other"), time_ms=1, app=OTHER_APP)
    async with store.write() as tx:
        assert await tx.prune_events(APP, 5000, limit=2) == 2
        assert await tx.prune_events(APP, 5000, limit=2) == 2
        assert await tx.prune_events(APP, 5000, limit=2) == 1
        assert await tx.prune_events(APP, 5000, limit=2) == 0
    assert [e.account for e in await read(store)] == ["keep"]
    assert len(await settled(store, OTHER_APP)) == 1


async def test_deleting_the_app_deletes_its_events(store: Store) -> None:
    await append(store, ev(EventKind.PROFILE_SET, "a"))
    async with store.write() as tx:
        deleted = await tx.delete_app(APP)
    assert deleted["events"] == 1
