"""The event log (transactional outbox), written once over the ``Db`` primitives.

``append_events`` runs in the transaction of the change it records, so an event exists exactly
when its change committed. Ids strictly increase per app in the order readers may hand them out
(SQLite: one writer, a global AUTOINCREMENT; PostgreSQL: ids made of the transaction id, read
below the snapshot's horizon, see ``storage/postgres/statements_events.py``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import orjson

from relchain.domain.events import Event, EventKind, NewEvent, Origin
from relchain.storage._base import TxBase
from relchain.storage.db import Row

__all__ = ["MAX_EVENTS_PER_TX", "EventsMixin", "TooManyEvents"]

MAX_EVENTS_PER_TX = 1 << 16  # PostgreSQL ids keep 16 bits for the order in the transaction


class TooManyEvents(RuntimeError):
    """One transaction tried to append more events than its ids can number."""


def _event(sdkappid: int, row: Row) -> Event:
    return Event(
        id=int(row[0]),
        sdkappid=sdkappid,
        time_ms=int(row[1]),
        kind=EventKind(row[2]),
        account=row[3],
        peers=tuple(orjson.loads(row[4])),
        data=orjson.loads(row[5]),
        origin=Origin(row[6], row[7], row[8], bool(row[9])),
    )


class EventsMixin(TxBase):
    # events appended in this transaction, per app (the store reports them once it commits)
    appended: dict[int, int]
    _event_count: int

    def _reset_events(self) -> None:
        self.appended = {}
        self._event_count = 0

    async def append_events(self, sdkappid: int, events: Sequence[NewEvent], time_ms: int) -> None:
        if not events:
            return
        first = self._event_count
        if first + len(events) > MAX_EVENTS_PER_TX:
            raise TooManyEvents(
                f"{first + len(events)} events in one transaction (at most {MAX_EVENTS_PER_TX})"
            )
        self._event_count = first + len(events)
        if len(events) == 1:  # the usual case: plain values are cheaper than lists to send
            event = events[0]
            await self.db.execute(
                self.sql.append_event,
                sdkappid,
                time_ms,
                first,
                str(event.kind),
                event.account,
                orjson.dumps(list(event.peers)).decode(),
                orjson.dumps(dict(event.data)).decode(),
                event.origin.platform,
                event.origin.client_ip,
                event.origin.operator,
                event.origin.user_initiated,
            )
            self.appended[sdkappid] = self.appended.get(sdkappid, 0) + 1
            return
        await self.db.execute(
            self.sql.append_events,
            sdkappid,
            time_ms,
            list(range(first, first + len(events))),
            [str(e.kind) for e in events],
            [e.account for e in events],
            [orjson.dumps(list(e.peers)).decode() for e in events],
            [orjson.dumps(dict(e.data)).decode() for e in events],
            [e.origin.platform for e in events],
            [e.origin.client_ip for e in events],
            [e.origin.operator for e in events],
            [e.origin.user_initiated for e in events],
        )
        self.appended[sdkappid] = self.appended.get(sdkappid, 0) + len(events)

    async def events_after(
        self,
        sdkappid: int,
        after_id: int,
        limit: int,
        account: str | None = None,
        kinds: Collection[str] | None = None,
    ) -> list[Event]:
        params: list[object] = [sdkappid, after_id, limit]
        if account is not None:
            params.append(account)
        if kinds:
            params.append(sorted(kinds))
        sql = self.sql.events_after[(account is not None, bool(kinds))]
        return [_event(sdkappid, row) for row in await self.db.fetch(sql, *params)]

    async def last_event_id(self, sdkappid: int, back: int = 0) -> int:
        value = await self.db.fetchval(self.sql.last_event_id, sdkappid, back)
        return int(value or 0)

    async def prune_events(self, sdkappid: int, before_ms: int, limit: int = 1000) -> int:
        rows = await self.db.fetch(self.sql.prune_events, sdkappid, before_ms, limit)
        return len(rows)
