"""The webhook queue, written once over the ``Db`` primitives: the per-app cursor into the event
log, the deliveries made from it, claiming due deliveries (one dispatcher each, in event order
per account), recording what the receiver answered, and the counts ``relchain webhooks status``
shows."""

from __future__ import annotations

from collections.abc import Sequence

from relchain.domain.callbacks import Delivery, DeliveryState, Failure, NewDelivery
from relchain.storage._base import TxBase
from relchain.storage.db import columns

__all__ = ["WebhooksMixin"]


class WebhooksMixin(TxBase):
    async def lock_webhook_cursor(self, sdkappid: int, start: int) -> int | None:
        """The app's cursor (created at ``start`` when it has none), locked for this
        transaction; ``None`` when another transaction holds it (it is making the deliveries)."""
        await self.db.execute(self.sql.ensure_webhook_cursor, sdkappid, start)
        value = await self.db.fetchval(self.sql.lock_webhook_cursor, sdkappid)
        return None if value is None else int(value)

    async def set_webhook_cursor(self, sdkappid: int, last_event_id: int) -> None:
        await self.db.execute(self.sql.set_webhook_cursor, sdkappid, last_event_id)

    async def add_deliveries(
        self, sdkappid: int, deliveries: Sequence[NewDelivery], now_ms: int
    ) -> None:
        """Queue deliveries (one already queued for the same event and command is kept)."""
        if not deliveries:
            return
        rows = [
            (d.event_id, d.command, d.account, d.body, d.platform, d.client_ip, d.event_ms)
            for d in deliveries
        ]
        await self.db.execute(self.sql.add_deliveries, sdkappid, now_ms, *columns(rows, 7))

    async def deliveries_due(self, now_ms: int) -> bool:
        """Whether some delivery may be claimed at ``now_ms`` (a cheap read before a claim)."""
        return bool(await self.db.fetchval(self.sql.deliveries_due, now_ms))

    async def claim_deliveries(
        self, now_ms: int, lease_ms: int, limit: int, sdkappids: Sequence[int]
    ) -> list[Delivery]:
        """Up to ``limit`` due deliveries of ``sdkappids``, each the oldest undelivered one of
        its account,
        leased until ``lease_ms`` (nobody else claims them until then; PostgreSQL skips the
        rows another transaction is claiming)."""
        if not sdkappids:
            return []
        rows = await self.db.fetch(
            self.sql.claim_deliveries, now_ms, lease_ms, limit, sorted(set(sdkappids))
        )
        found = [
            Delivery(
                sdkappid=int(r[0]),
                event_id=int(r[1]),
                command=r[2],
                account=r[3],
                body=r[4],
                platform=r[5],
                client_ip=r[6],
                event_ms=int(r[7]),
                attempts=int(r[8]),
                created_ms=int(r[9]),
            )
            for r in rows
        ]
        return sorted(found, key=lambda d: (d.sdkappid, d.event_id))

    async def record_delivery(
        self,
        delivery: Delivery,
        state: DeliveryState,
        *,
        next_ms: int,
        done_ms: int,
        answer: str,
    ) -> None:
        """One more try of ``delivery`` happened: its new state (and the answer, kept when it
        failed). A delivery already delivered or dead is left as it is."""
        await self.db.execute(
            self.sql.record_delivery,
            delivery.sdkappid,
            delivery.event_id,
            delivery.command,
            str(state),
            next_ms,
            done_ms,
            answer,
        )

    async def delivery_counts(self, sdkappid: int) -> dict[str, dict[str, int]]:
        """command -> state -> number of deliveries kept."""
        counts: dict[str, dict[str, int]] = {}
        for command, state, count in await self.db.fetch(self.sql.delivery_counts, sdkappid):
            counts.setdefault(command, {})[state] = int(count)
        return counts

    async def delivery_failures(self, sdkappid: int, limit: int) -> list[Failure]:
        """The newest ``limit`` deliveries that failed (to retry, or dead), with the last answer."""
        rows = await self.db.fetch(self.sql.delivery_failures, sdkappid, limit)
        return [Failure(int(r[0]), r[1], r[2], int(r[3]), int(r[4]), r[5]) for r in rows]

    async def retry_deliveries(self, sdkappid: int, now_ms: int, *, dead: bool) -> int:
        """Try the app's failed deliveries now (and the dead ones, with a new retry window,
        when ``dead``); returns how many."""
        states = ["failed", "dead"] if dead else ["failed"]
        rows = await self.db.fetch(self.sql.retry_deliveries, sdkappid, now_ms, states)
        return len(rows)

    async def webhook_queue_depth(self) -> int:
        """Deliveries not delivered yet (pending or failed), every app."""
        return int(await self.db.fetchval(self.sql.webhook_queue_depth) or 0)

    async def prune_deliveries(self, before_ms: int, limit: int) -> int:
        """Forget up to ``limit`` deliveries delivered before ``before_ms``; returns how many."""
        return len(await self.db.fetch(self.sql.prune_deliveries, before_ms, limit))
