"""The SQLite primitives (:class:`relchain.storage.db.Db`) over one ``sqlite3`` connection.

Statements number their parameters (``?1``, ``?2``) as PostgreSQL's do (``$1``). A list
parameter is expanded where the statement says:

- ``IN (?2)`` -> ``IN (?7,?8,?9)``: the values of list 2;
- ``ROWS(?2, ?3)`` -> ``(?7,?8),(?9,?10)``: lists 2 and 3 zipped into rows, for
  ``WITH d(a, b) AS (VALUES ROWS(?2, ?3))``. A statement over zero rows does nothing (it is not
  run; ``fetch`` returns no rows), so ``ROWS`` must be what drives the statement. Rows beyond
  SQLite's parameter limit are sent in several statements.

Expanded statements are cached by their shape (the statement and the lengths of its lists).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Any

from relchain.storage.db import Row, Sql

__all__ = ["SQLiteDb"]

MAX_PARAMS = 30_000  # under SQLite's default limit of 32766 bound parameters
_TOKEN = re.compile(r"ROWS\(([^)]*)\)|\?(\d+)")
_Recipe = tuple[tuple[int, ...], ...]  # per expansion: the list parameters it takes, zipped


@lru_cache(maxsize=512)
def _parse(sql: str) -> tuple[tuple[str, ...], tuple[tuple[int, ...], ...]]:
    """``sql`` split into literal text and tokens: ``(n,)`` for ``?n``, ``(a, b)`` for
    ``ROWS(?a, ?b)`` (0-based parameter indexes)."""
    texts: list[str] = []
    tokens: list[tuple[int, ...]] = []
    last = 0
    for match in _TOKEN.finditer(sql):
        texts.append(sql[last : match.start()])
        if match.group(1) is not None:
            refs = tuple(int(r.strip().lstrip("?")) - 1 for r in match.group(1).split(","))
            tokens.append((-1, *refs))  # -1 marks ROWS
        else:
            tokens.append((int(match.group(2)) - 1,))
        last = match.end()
    texts.append(sql[last:])
    return tuple(texts), tuple(tokens)


@lru_cache(maxsize=1024)
def _expand(sql: str, count: int, lengths: tuple[tuple[int, int], ...]) -> tuple[str, _Recipe, int]:
    """The statement for ``count`` parameters whose lists have these ``(index, length)``, which
    lists to append, in order, to the scalar parameters, and how many of those to bind."""
    size = dict(lengths)
    texts, tokens = _parse(sql)
    out = [texts[0]]
    recipe: list[tuple[int, ...]] = []
    placed: dict[tuple[int, ...], str] = {}
    top = count
    for token, text in zip(tokens, texts[1:], strict=True):
        is_rows = token[0] == -1
        refs = token[1:] if is_rows else token
        if not is_rows and refs[0] not in size:
            out.append(f"?{refs[0] + 1}")
        elif refs in placed:
            out.append(placed[refs])
        else:
            rows = size[refs[0]]
            width = len(refs)
            numbers = [f"?{top + i + 1}" for i in range(rows * width)]
            top += rows * width
            if is_rows:
                chunk = [",".join(numbers[r * width : (r + 1) * width]) for r in range(rows)]
                placed[refs] = ",".join(f"({c})" for c in chunk)
            else:
                placed[refs] = ",".join(numbers)
            recipe.append(refs)
            out.append(placed[refs])
        out.append(text)
    # SQLite wants as many values as the highest number in the statement
    scalars = (t[0] + 1 for t in tokens if t[0] != -1 and t[0] not in size)
    used = count if top > count else max(scalars, default=0)
    return "".join(out), tuple(recipe), used


@lru_cache(maxsize=512)
def _top(sql: str) -> int:
    """The highest parameter number ``sql`` uses (SQLite wants exactly that many values)."""
    return max((max(t) + 1 for t in _parse(sql)[1]), default=0)


def _bind(sql: str, params: Sequence[object]) -> list[tuple[str, list[object]]]:
    """The statement(s) to run for ``params``: one, none (zero ``ROWS``) or several (rows
    beyond the parameter limit)."""
    lists: dict[int, list[Any]] = {i: p for i, p in enumerate(params) if type(p) is list}
    if not lists:
        return [(sql, list(params[: _top(sql)]))]
    rows_refs = [t[1:] for t in _parse(sql)[1] if t[0] == -1]
    if rows_refs:
        if any(not lists[refs[0]] for refs in rows_refs):
            return []
        rows = len(lists[rows_refs[0][0]])
        width = sum(len(r) for r in rows_refs)
        if rows * width + sum(map(len, lists.values())) > MAX_PARAMS:
            step = max(1, MAX_PARAMS // (2 * width))
            driven = {i for refs in rows_refs for i in refs}
            parts: list[tuple[str, list[object]]] = []
            for start in range(0, rows, step):
                sliced = [
                    lists[i][start : start + step] if i in driven else p
                    for i, p in enumerate(params)
                ]
                parts += _bind(sql, sliced)
            return parts
    lengths = tuple((i, len(values)) for i, values in lists.items())
    expanded, recipe, used = _expand(sql, len(params), lengths)
    bound: list[object] = [None if i in lists else p for i, p in enumerate(params[:used])]
    for refs in recipe:
        if len(refs) == 1:
            bound.extend(lists[refs[0]])
        else:
            for row in zip(*(lists[r] for r in refs), strict=True):
                bound.extend(row)
    return [(expanded, bound)]


class SQLiteDb:
    """:class:`relchain.storage.db.Db` over a ``sqlite3`` connection (statements run inline:
    each is an index lookup or a range bounded by the batch or page size)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._depth = 0

    async def fetch(self, sql: str, *params: object) -> Sequence[Row]:
        rows: list[Row] = []
        for text, bound in _bind(sql, params):
            rows += self.conn.execute(text, bound).fetchall()
        return rows

    async def fetchrow(self, sql: str, *params: object) -> Row | None:
        rows = await self.fetch(sql, *params)
        return rows[0] if rows else None

    async def fetchval(self, sql: str, *params: object) -> Any:
        row = await self.fetchrow(sql, *params)
        return row[0] if row is not None else None

    async def execute(self, sql: Sql, *params: object) -> None:
        for statement in (sql,) if isinstance(sql, str) else sql:
            for text, bound in _bind(statement, params):
                self.conn.execute(text, bound)

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        self._depth += 1
        name = f"sp{self._depth}"
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            self.conn.execute(f"ROLLBACK TO {name}")
            self.conn.execute(f"RELEASE {name}")
            raise
        finally:
            self._depth -= 1
        self.conn.execute(f"RELEASE {name}")
