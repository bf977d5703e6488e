"""What every service gets (the store and the clock), and the checks they share."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import TypeVar

from relchain.domain.errors import AccountMissing, Code
from relchain.ports import Clock, OneStatementReads, Store, Tx

__all__ = ["ServiceBase", "require_user"]

T = TypeVar("T")


@dataclass
class ServiceBase:
    store: Store
    clock: Clock
    read_one: Callable[[], AbstractAsyncContextManager[Tx]] = field(
        init=False, repr=False, compare=False
    )
    """A read of one statement, or of statements whose separate snapshots are harmless (the
    use case says why): outside a transaction where the store can (PostgreSQL: one round trip
    instead of three), else ``store.read()``."""

    def __post_init__(self) -> None:
        store = self.store
        self.read_one = store.read_one if isinstance(store, OneStatementReads) else store.read

    def now(self) -> int:
        return int(self.clock.now())

    def now_ms(self) -> int:
        """The clock in milliseconds (the time of the events a write appends)."""
        return int(self.clock.now() * 1000)

    async def write_as(self, sdkappid: int, user_id: str, work: Callable[[Tx], Awaitable[T]]) -> T:
        """``work`` in one write transaction of the existing account ``user_id`` (30003 when it
        does not exist). PostgreSQL re-runs it when it was chosen as a deadlock victim."""

        async def unit(tx: Tx) -> T:
            await require_user(tx, sdkappid, user_id)
            return await work(tx)

        return await self.store.run_write(unit)

    async def read_as(self, sdkappid: int, user_id: str, work: Callable[[Tx], Awaitable[T]]) -> T:
        """``work`` in one read transaction of the existing account ``user_id`` (30003)."""
        async with self.store.read() as tx:
            await require_user(tx, sdkappid, user_id)
            return await work(tx)


async def require_user(
    tx: Tx, sdkappid: int, user_id: str, code: Code = Code.SNS_ACCOUNT_NOT_FOUND
) -> None:
    """Whole-request ``code`` (the family's "no such account") when the caller does not exist."""
    if not await tx.existing_accounts(sdkappid, [user_id]):
        raise AccountMissing(code, user_id)
