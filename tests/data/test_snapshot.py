"""Export reads one snapshot: what another connection commits meanwhile is not in it."""

from __future__ import annotations

from pathlib import Path

from relchain.domain.apps import App
from relchain.domain.follows import FollowCaps
from relchain.ports import DataStore, Store
from relchain.storage import open_store
from tests.support import T0, make_accounts


async def test_a_bulk_read_is_one_snapshot(store: Store, app: App, tmp_path: Path) -> None:
    await make_accounts(store, "a", "b", "c")
    if store.url_scheme == "sqlite":  # another process's connection to the same file
        writer = await open_store(f"sqlite:///{tmp_path / 'test.db'}")
    else:
        writer = store
    assert isinstance(store, DataStore)
    try:
        async with store.data(write=False) as tx:
            accounts = [row[0] async for batch in tx.dump(app.sdkappid, "account") for row in batch]
            async with writer.write() as other:  # commits while the export is half-way
                await other.import_accounts(app.sdkappid, [("d", {})], T0)
                await other.add_follows(app.sdkappid, "a", ["b", "d"], T0, FollowCaps())
            follows = [tuple(r) async for batch in tx.dump(app.sdkappid, "follow") for r in batch]
        assert accounts == ["a", "b", "c"] and follows == []
        async with store.data(write=False) as tx:
            follows = [tuple(r) async for batch in tx.dump(app.sdkappid, "follow") for r in batch]
        assert follows == [("a", "b", T0), ("a", "d", T0)]
    finally:
        if writer is not store:
            await writer.close()
