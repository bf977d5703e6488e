"""PostgreSQL only: pending-request lists are ordered exactly as on SQLite (newest first, ties by
the other account compared bytewise), also in a database whose collation is not bytewise."""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from relchain.domain.profiles import NEED_CONFIRM
from relchain.domain.sns.friends import AddRequest
from relchain.domain.sns.requests import FriendRequest
from relchain.domain.sns.rules import SnsLimits
from relchain.ports import Store
from relchain.storage import open_store

POSTGRES_URL = os.environ.get("RELCHAIN_TEST_POSTGRES_URL", "")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not POSTGRES_URL, reason="RELCHAIN_TEST_POSTGRES_URL is not set"),
]
APP = 1400000001
T = 1_700_000_000
IDS = ["B", "a", "C", "b", "_x", "Z9", "é", "ab", "A"]


@pytest.fixture
async def icu_url() -> AsyncIterator[str]:
    """A fresh database with an ICU (linguistic, not bytewise) default collation."""
    from tests.storage.postgres_db import PREFIX, _admin_dsn, with_database

    name = f"{PREFIX}{int(time.time())}_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(_admin_dsn(POSTGRES_URL))
    try:
        await admin.execute(
            f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'"
            " LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
        )
        yield with_database(POSTGRES_URL, name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def scenario(store: Store) -> tuple[list[list[str]], list[list[str]]]:
    """Everyone asks "t" at the same second, and "s" asks everyone; both lists read in pages of
    two by keyset."""
    async with store.write() as tx:
        await tx.import_accounts(
            APP, [(u, {"Tag_Profile_IM_AllowType": NEED_CONFIRM}) for u in [*IDS, "t", "s"]], T
        )
        for user in IDS:
            await tx.add_friends(
                APP,
                user,
                [AddRequest("t", "AddSource_Type_X")],
                both=True,
                force=False,
                limits=SnsLimits(),
                now=T,
            )
        await tx.add_friends(
            APP,
            "s",
            [AddRequest(u, "AddSource_Type_X") for u in IDS],
            both=True,
            force=False,
            limits=SnsLimits(),
            now=T,
        )

    async def pages(user: str, incoming: bool) -> list[list[str]]:
        out: list[list[str]] = []
        before: tuple[int, str] | None = None
        while True:
            async with store.read() as tx:
                page = await tx.list_friend_requests(
                    APP, user, incoming=incoming, limit=2, before=before
                )
            if not page:
                return out
            out.append([other(r, incoming) for r in page])
            last = page[-1]
            before = (last.created_at, other(last, incoming))

    return await pages("t", True), await pages("s", False)


def other(request: FriendRequest, incoming: bool) -> str:
    return request.requester if incoming else request.target


async def test_request_lists_tie_break_bytewise_like_sqlite(icu_url: str, tmp_path: Path) -> None:
    bytewise = sorted(IDS, key=lambda s: s.encode(), reverse=True)
    sqlite = await open_store(f"sqlite:///{tmp_path / 'order.db'}")
    postgres = await open_store(icu_url)
    try:
        expected = await scenario(sqlite)
        found = await scenario(postgres)
    finally:
        await sqlite.close()
        await postgres.close()
    incoming, outgoing = expected
    assert [u for page in incoming for u in page] == bytewise  # the SQLite order
    assert [u for page in outgoing for u in page] == bytewise
    assert found == expected
    linguistic = sorted(IDS, key=str.casefold, reverse=True)
    assert linguistic != bytewise  # the ICU collation alone would order them differently
