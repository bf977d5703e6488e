"""Statements sent with COMMIT: values written in as literals, and what the database reads
back from them (PostgreSQL for the round trips)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relchain.storage.postgres import PostgresStore
from relchain.storage.postgres.db import PostgresTxDb
from relchain.storage.postgres.inline import inline, literal

POSTGRES_URL = os.environ.get("RELCHAIN_TEST_POSTGRES_URL", "")
needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL, reason="RELCHAIN_TEST_POSTGRES_URL is not set"
)
T = 1_700_000_000

# text PostgreSQL can hold (no NUL, no lone surrogates)
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))


def test_literals_of_each_type() -> None:
    assert [literal(v) for v in (None, True, False, 0, 7, -7)] == [
        "NULL", "TRUE", "FALSE", "0", "7", "(-7)"
    ]  # fmt: skip
    assert literal("it's") == "$q$it's$q$"
    assert literal(["a", None]) == "ARRAY[$q$a$q$,NULL]"
    assert literal([]) == "'{}'"


def test_a_text_holding_the_tag_or_its_beginning_at_its_end_gets_another_tag() -> None:
    assert literal("a$q$b") == "$q1$a$q$b$q1$"
    assert literal("a$q") == "$q1$a$q$q1$"
    assert literal("$q1$ $q$") == "$q2$$q1$ $q$$q2$"


def test_inline_replaces_each_parameter_once_and_gives_up_on_other_types() -> None:
    assert inline("SELECT $1, $10, $2, $3::text[]", [1, "$2", [], 4, 5, 6, 7, 8, 9, -10]) == (
        "SELECT 1, (-10), $q$$2$q$, '{}'::text[]"
    )
    assert inline("SELECT $1", [1.5]) is None
    assert inline("SELECT $1", [b"x"]) is None
    assert inline("SELECT $1", ["a\x00b"]) is None  # NUL would end the message: sent as usual
    assert inline("SELECT $1", [["a", "\x00"]]) is None


class Recording:
    """A connection that records what it is sent (for :class:`PostgresTxDb`)."""

    def __init__(self) -> None:
        self.sent: list[tuple[Any, ...]] = []

    async def execute(self, sql: str, *params: object) -> str:
        self.sent.append((sql, *params))
        return ""

    async def fetch(self, sql: str, *params: object) -> list[Any]:
        self.sent.append(("fetch", sql, *params))
        return []


async def test_statements_for_effect_wait_for_the_next_statement_or_go_with_commit() -> None:
    conn = Recording()
    db = PostgresTxDb(conn)  # type: ignore[arg-type]
    await db.execute("UPDATE a SET x = $1", 1)
    assert conn.sent == []
    await db.fetch("SELECT $1", 2)  # runs what waits first, as usual (prepared, with values)
    assert conn.sent == [("UPDATE a SET x = $1", 1), ("fetch", "SELECT $1", 2)]
    await db.execute(("UPDATE b SET y = $1", "UPDATE c SET z = $2"), "v", None)
    await db.commit()
    assert conn.sent[2:] == [
        ("UPDATE b SET y = $q$v$q$;\nUPDATE c SET z = NULL;\nCOMMIT",)
    ]  # one message


async def test_a_value_without_a_literal_is_sent_as_usual_before_commit() -> None:
    conn = Recording()
    db = PostgresTxDb(conn)  # type: ignore[arg-type]
    await db.execute("UPDATE a SET x = $1", 1.5)
    await db.commit()
    assert conn.sent == [("UPDATE a SET x = $1", 1.5), ("COMMIT",)]


async def test_what_waits_in_a_failed_savepoint_block_is_never_sent() -> None:
    conn = Recording()
    db = PostgresTxDb(conn)  # type: ignore[arg-type]
    await db.execute("UPDATE before SET x = 1")

    async def failing_block() -> None:
        async with db.savepoint():
            await db.execute("UPDATE inside SET x = 1")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        await failing_block()
    assert [s[0] for s in conn.sent] == [
        "UPDATE before SET x = 1",
        "SAVEPOINT relchain_1",
        "ROLLBACK TO SAVEPOINT relchain_1",
        "RELEASE SAVEPOINT relchain_1",
    ]


@needs_postgres
@settings(max_examples=200, deadline=None)
@given(values=st.lists(TEXT, max_size=3), number=st.integers(-(2**63), 2**63 - 1))
async def test_postgres_reads_every_literal_back_as_its_value(
    values: list[str], number: int
) -> None:
    conn = await asyncpg.connect(POSTGRES_URL)
    try:
        text = inline("SELECT $1::text[], $2::bigint, $3::text", [values, number, "".join(values)])
        assert text is not None
        row = await conn.fetchrow(text)
        assert row is not None
        assert (list(row[0]), row[1], row[2]) == (values, number, "".join(values))
    finally:
        await conn.close()


@pytest.fixture
async def pg() -> AsyncIterator[PostgresStore]:
    from tests.storage.postgres_db import fresh_postgres_url

    store = await PostgresStore.open(await fresh_postgres_url(POSTGRES_URL))
    yield store
    await store.close()


@needs_postgres
async def test_an_error_of_a_statement_sent_with_commit_rolls_the_whole_unit_back(
    pg: PostgresStore,
) -> None:
    executed = False

    async def unit() -> None:
        nonlocal executed
        async with pg.write() as tx:
            await tx.import_accounts(1, [("a", {})], T)
            await tx.update_profile(1, "a", {"Tag_Profile_IM_Nick": "n"})
            await tx.db.execute("SELECT 1 / $1", 0)
            executed = True  # not raised yet: it goes with the commit

    with pytest.raises(asyncpg.DivisionByZeroError):
        await unit()
    assert executed
    async with pg.read() as tx:
        assert await tx.existing_accounts(1, ["a"]) == set()
    async with pg.write() as tx:  # the connection is fine afterwards
        await tx.import_accounts(1, [("b", {})], T)
    async with pg.read() as tx:
        assert await tx.existing_accounts(1, ["a", "b"]) == {"b"}
