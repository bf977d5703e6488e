"""Reading the event log in tests.

On PostgreSQL a reader hands out an event only once every transaction that began writing
before it has ended, cluster-wide (see ``storage/postgres/statements_events.py``), so a
transaction of another test on the same server may hold events back for a moment. ``settled``
waits for that: it appends a marker event to a separate app and waits until the marker is
visible; every transaction this test committed before has then ended too.

Which running transactions belong to other databases is read from ``pg_stat_get_activity``
alongside the snapshot; when a backend of another database moves on between the two, its
transaction counts as this database's for that read, so a read right after another may
briefly see fewer events (never a wrong one, never one skipped). Tests read with ``settled``.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Collection

from relchain.domain.events import Event, EventKind, NewEvent
from relchain.ports import Store
from tests.support import SDKAPPID

MARK_APP = 1  # an app id no test uses
SETTLE_SECONDS = 30.0


async def settled(
    store: Store,
    app: int = SDKAPPID,
    after: int = 0,
    *,
    account: str | None = None,
    kinds: Collection[str] | None = None,
    limit: int = 1000,
) -> list[Event]:
    """The app's events after ``after`` once everything committed so far can be read."""
    token = secrets.token_hex(8)
    async with store.write() as tx:
        await tx.append_events(MARK_APP, [NewEvent(EventKind.PROFILE_SET, token)], 0)
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        async with store.read() as tx:
            if await tx.events_after(MARK_APP, 0, 1, token):
                return await tx.events_after(app, after, limit, account, kinds)
        assert time.monotonic() < deadline, "the event log did not settle"
        await asyncio.sleep(0.01)
