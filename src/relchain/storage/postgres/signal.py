"""Wake-ups between server processes over PostgreSQL LISTEN/NOTIFY (no extra service).

One connection of its own per process (outside the pool) listens on ``relchain_events`` and
also sends: ``NOTIFY`` runs after the commit, outside the writing transaction, coalesced (see
:mod:`relchain.storage.signal`), so writers never wait for the notification queue. A process
ignores its own messages (the sender is the connection's backend PID). When the connection
drops it is opened again (every ``RECONNECT_SECONDS``); meanwhile readers poll.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Collection

import asyncpg

from relchain.storage.signal import Coalescer, decode, encode

__all__ = ["CHANNEL", "PostgresSignal"]

log = logging.getLogger("relchain.events")

CHANNEL = "relchain_events"
RECONNECT_SECONDS = 1.0


class PostgresSignal:
    def __init__(self, dsn: str, connect_timeout: float = 3.0) -> None:
        self._dsn = dsn
        self._timeout = connect_timeout
        self._conn: asyncpg.Connection[asyncpg.Record] | None = None
        self._on_wake: Callable[[int], None] | None = None
        self._sender = ""
        self._coalescer = Coalescer(self._send)
        self._keeper: asyncio.Task[None] | None = None

    async def start(self, on_wake: Callable[[int], None]) -> None:
        self._on_wake = on_wake
        with contextlib.suppress(OSError, asyncpg.PostgresError, TimeoutError):
            await self._connect()
        self._keeper = asyncio.create_task(self._keep(), name="events-listen")

    async def _connect(self) -> None:
        conn = await asyncpg.connect(
            self._dsn,
            timeout=self._timeout,
            statement_cache_size=0,
            # a NOTIFY is its own transaction: it need not wait for the WAL flush (nothing is
            # lost with it but a wake-up, which the readers' polling makes up for)
            server_settings={"synchronous_commit": "off", "application_name": "relchain-events"},
        )
        await conn.add_listener(CHANNEL, self._notified)
        self._sender = str(conn.get_server_pid())
        self._conn = conn

    async def _keep(self) -> None:
        """Open the connection again whenever it is gone."""
        while True:
            await asyncio.sleep(RECONNECT_SECONDS)
            if self._conn is None or self._conn.is_closed():
                self._conn = None
                try:
                    await self._connect()
                except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
                    log.warning("event wake-ups: cannot listen on PostgreSQL (%r)", exc)

    def _notified(self, conn: object, pid: int, channel: str, payload: object) -> None:
        sender, apps = decode(str(payload))
        if sender == self._sender or self._on_wake is None:
            return
        for sdkappid in apps:
            self._on_wake(sdkappid)

    def publish(self, sdkappids: Collection[int]) -> None:
        self._coalescer.add(sdkappids)

    async def _send(self, apps: set[int]) -> None:
        conn = self._conn
        if conn is None or conn.is_closed():
            return
        await conn.execute("SELECT pg_notify($1, $2)", CHANNEL, encode(self._sender, apps))

    async def close(self) -> None:
        await self._coalescer.close()
        if self._keeper is not None:
            self._keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._keeper
        if self._conn is not None and not self._conn.is_closed():
            await self._conn.close()
