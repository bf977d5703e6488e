"""The primitives every use case is written over, and what a statement is.

A backend supplies a :class:`Db` (one connection inside one transaction) and a statement table
(:mod:`relchain.storage.statements`: the same names in every dialect). The algorithms in
:mod:`relchain.storage` (``accounts``, ``follows``, ``sns/*``) are written once over these
primitives; where the dialects differ, only the statement text differs.

Parameters are numbered the same way in every dialect (``$1`` in PostgreSQL, ``?1`` in
SQLite). A parameter given as a Python ``list`` is a list of values: PostgreSQL takes it as an
array (``= ANY($2::text[])``, ``unnest($2::text[], $3::bigint[])``); SQLite expands it where
the statement says (``IN (?2)``, or ``ROWS(?2, ?3)`` for the rows of several lists zipped
together). The algorithm never knows which.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

__all__ = ["Db", "Row", "Sql", "columns"]

Sql = str | tuple[str, ...]
"""One statement, or several run one after the other with the same parameters (where one
dialect needs several statements for what the other does in one; ``()`` = nothing to do)."""


class Row(Protocol):
    """One result row: values by position."""

    def __getitem__(self, index: int, /) -> Any: ...
    def __iter__(self) -> Iterator[Any]: ...
    def __len__(self) -> int: ...


class Db(Protocol):
    """One connection inside the current transaction."""

    async def fetch(self, sql: str, *params: object) -> Sequence[Row]:
        """Every row of ``sql`` (a statement with ``RETURNING`` too)."""
        ...

    async def fetchrow(self, sql: str, *params: object) -> Row | None:
        """The first row of ``sql``, or ``None``."""
        ...

    async def fetchval(self, sql: str, *params: object) -> Any:
        """The first column of the first row, or ``None``."""
        ...

    async def execute(self, sql: Sql, *params: object) -> None:
        """Run ``sql`` (each statement of it) for its effect, in order with the others; it may
        be sent only with the next statement or with the commit (PostgreSQL), so an error
        it causes may be raised there, and a lock that must be held now is taken by a
        :meth:`fetch`."""
        ...

    def savepoint(self) -> AbstractAsyncContextManager[None]:
        """A savepoint: rolled back (with the row locks taken since) when the block raises."""
        ...


def columns(rows: Iterable[tuple[Any, ...]], width: int) -> list[list[Any]]:
    """Rows as ``width`` lists of values (the list parameters of a bulk statement)."""
    out: list[list[Any]] = [[] for _ in range(width)]
    for row in rows:
        for index, value in enumerate(row):
            out[index].append(value)
    return out
