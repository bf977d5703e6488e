"""What every area of the transaction shares: the connection's primitives, the dialect's
statements, and locking a set of users that is only known by reading."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

from relchain.storage.db import Db
from relchain.storage.statements import Statements

__all__ = ["RELOCK_ROUNDS", "ConcurrentChange", "TxBase", "sorted_unique"]

RELOCK_ROUNDS = 3  # in global order; then late newcomers are locked out of order
V = TypeVar("V")


def sorted_unique(values: Iterable[str]) -> list[str]:
    """The lock order (and the order of every list of keys sent to the database)."""
    return sorted(set(values))


class ConcurrentChange(Exception):
    """What a write must lock kept changing while it locked it: the whole unit of work is
    re-run (``Store.run_write`` treats it as a serialization failure)."""

    sqlstate = "40001"


class _Relock(Exception):
    """Who must be locked grew between reading it and locking it: lock again."""


class TxBase:
    db: Db
    sql: Statements

    async def _lock_related(
        self,
        lock: Callable[[list[str]], Awaitable[dict[str, V]]],
        fixed: Iterable[str],
        find: Callable[[], Awaitable[list[str]]],
        rounds: int = RELOCK_ROUNDS,
    ) -> dict[str, V]:
        """``lock`` (which locks users in ``user_id`` order) ``fixed`` and the users ``find``
        names, when who is related is only known by reading.

        ``find`` is read before the lock and again after it (stable then, since ``fixed`` holds
        the users it reads about). When the second read names someone not locked (a relation
        created in between), the locks are given back by rolling back to a savepoint and taken
        again, in order, with them. After ``rounds`` rounds the newcomers are locked on top, out
        of order; a deadlock that may cause is re-run by ``Store.run_write``.
        (A backend that serialises whole transactions locks nothing; its reads agree anyway.)
        """
        base = list(fixed)
        wanted = set(await find())
        for _ in range(rounds):
            try:
                async with self.db.savepoint():
                    locked = await lock([*base, *wanted])
                    extra = set(await find()) - wanted
                    if extra:
                        wanted |= extra
                        raise _Relock
                    return locked
            except _Relock:
                continue
        locked = await lock([*base, *wanted])
        extra = set(await find()) - wanted
        if extra:
            locked.update(await lock(sorted(extra)))
        return locked
