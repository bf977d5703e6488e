"""``ServiceBase.read_one``: the store's transaction-less read where it has one, else ``read``."""

from __future__ import annotations

from tests.support import FrozenClock

from relchain.ports import OneStatementReads, Store
from relchain.services.follows import FollowService


async def test_read_one_is_the_store_read_one_or_its_read(store: Store, clock: FrozenClock) -> None:
    """PostgreSQL reads without a transaction; SQLite (no ``read_one``) uses ``read``."""
    service = FollowService(store, clock)
    if store.url_scheme == "postgresql":
        assert isinstance(store, OneStatementReads)
        assert service.read_one == store.read_one
    else:
        assert not isinstance(store, OneStatementReads)
        assert service.read_one == store.read
    async with service.read_one() as tx:
        assert await tx.existing_accounts(1, ["nobody"]) == set()
