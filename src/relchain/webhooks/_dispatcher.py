"""The dispatcher: the log is the queue. A task of every ``relchain serve`` process turns new
events of the apps with a ``callback_url`` into deliveries (in the database, with a cursor per
app), claims due ones with a lease and sends them, at least once and in event order per
account, retrying with exponential backoff (with jitter) for the app's
``callback_retry_seconds``, then ``dead``. No transaction is open while a callback is sent, and
the API never waits for it.

With several processes on one PostgreSQL each delivery is claimed by one of them (``FOR UPDATE
SKIP LOCKED`` and a lease); a process killed while sending leaves a lease that ends after
:data:`LEASE_MS`, and another process (or the restarted one) sends the delivery again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable
from typing import Protocol

import orjson

from relchain.domain.apps import App
from relchain.domain.callbacks import Delivery, DeliveryState, NewDelivery, after_failure
from relchain.domain.events import Event, EventKind, Origin
from relchain.ports import CallbackSender, Clock, Store, Tx
from relchain.webhooks._payloads import after_callback, answer_problem, callback_query

__all__ = ["CALLBACK_KINDS", "LEASE_MS", "DispatchObserver", "Dispatcher"]

log = logging.getLogger("relchain.webhooks")

CALLBACK_KINDS = frozenset(
    {
        EventKind.FOLLOW_ADDED,
        EventKind.FOLLOW_DELETED,
        EventKind.FRIEND_ADDED,
        EventKind.FRIEND_DELETED,
        EventKind.BLOCK_ADDED,
        EventKind.BLOCK_DELETED,
        EventKind.PROFILE_SET,
    }
)
LEASE_MS = 35_000  # longer than the longest callback_timeout_ms (30 s)
EVENTS_PER_PASS = 500
APPS_SECONDS = 1.0  # how long the list of apps (and their settings) is kept
DEPTH_SECONDS = 2.0  # how often the queue depth is counted
PRUNE_SECONDS = 60.0
KEEP_DELIVERED_MS = 24 * 3600 * 1000  # delivered deliveries are forgotten after a day
MAX_ANSWER_CHARS = 1000
COALESCE_SECONDS = 0.01  # wake-ups within this make one pass


class DispatchObserver(Protocol):
    """What the metrics learn from the dispatcher."""

    def webhook_result(self, command: str, state: str, lag_seconds: float | None) -> None: ...
    def webhook_depth(self, depth: int) -> None: ...


class Dispatcher:
    def __init__(
        self,
        store: Store,
        sender: CallbackSender,
        clock: Clock,
        *,
        observer: DispatchObserver | None = None,
        poll_seconds: float = 0.1,
        concurrency: int = 32,
        random_source: Callable[[], float] = random.random,
    ) -> None:
        self.store = store
        self.sender = sender
        self.clock = clock
        self.observer = observer
        self.poll_seconds = poll_seconds
        self.concurrency = concurrency
        self.random_source = random_source  # uniform in [0, 1): the retries' jitter
        self._due = False  # a wake-up fired since the pass began
        self._waiter: asyncio.Future[None] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._inflight: set[asyncio.Task[None]] = set()
        self._apps: dict[int, App] = {}
        self._apps_at = -APPS_SECONDS
        self._known: dict[int, int] = {}  # sdkappid -> the cursor as last seen
        # answers not recorded yet: (delivery, state, next try, when, answer kept)
        self._results: list[tuple[Delivery, DeliveryState, int, int, str]] = []
        self._depth_at = 0.0
        self._prune_at = time.monotonic() + PRUNE_SECONDS
        self._task: asyncio.Task[None] | None = None

    # ------------------------------------------------------------------ running

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.create_task(self.run(), name="relchain-webhooks")

    async def stop(self) -> None:
        """Stop sending; deliveries in flight keep their lease (sent again after it ends)."""
        if self._timer is not None:
            self._timer.cancel()
        tasks = [t for t in (self._task, *self._inflight) if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        results, self._results = self._results, []
        if results:  # answers that came: recorded, not sent again
            try:
                async with self.store.write() as tx:
                    for delivery, state, next_ms, done_ms, answer in results:
                        await tx.record_delivery(
                            delivery, state, next_ms=next_ms, done_ms=done_ms, answer=answer
                        )
            except Exception:  # the store is closing: those are sent again (at least once)
                log.warning("webhooks: %d answers not recorded at shutdown", len(results))

    def wake(self) -> None:
        """New events were committed (or a delivery ended): look soon, not at the next poll.
        Wake-ups within :data:`COALESCE_SECONDS` make one pass (under load, one per commit or
        per answer would cost a write unit each)."""
        if self._timer is None and self._loop is not None:
            self._timer = self._loop.call_later(COALESCE_SECONDS, self._fire)

    def _fire(self) -> None:
        self._timer = None
        self._due = True
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def _idle(self) -> None:
        """Until a wake-up fires or the next poll. (A plain future and a timer, not
        ``asyncio.wait_for`` on an ``Event``: cancelling that at the moment its timeout fires
        could leave the task never ending on Python 3.11.)"""
        if self._due:
            return
        loop = asyncio.get_running_loop()
        waiter = self._waiter = loop.create_future()
        timer = loop.call_later(self.poll_seconds, _settle, waiter)
        try:
            await waiter
        finally:
            timer.cancel()
            self._waiter = None

    async def run(self) -> None:
        while True:
            self._due = False
            try:
                busy = await self.step()
            except Exception:
                log.exception("webhooks: dispatcher pass failed; retrying in 1 s")
                busy = False
                await asyncio.sleep(1)
            if not busy:
                await self._idle()

    async def step(self) -> bool:
        """One pass, in one write unit (on SQLite it joins the group commit of the API's
        writes instead of forcing a commit of its own): record the answers that came since the
        last pass, make deliveries of new events, claim due ones; then start sending them.
        True when there is more to do right away."""
        apps = await self._hooked_apps()
        if not apps and not self._inflight and not self._results:
            return False
        results, self._results = self._results, []
        sdkappids = [app.sdkappid for app in apps]
        free = self.concurrency - len(self._inflight)
        now_ms = self._now_ms()
        more = False
        async with self.store.write() as tx:
            for delivery, state, next_ms, done_ms, answer in results:
                await tx.record_delivery(
                    delivery, state, next_ms=next_ms, done_ms=done_ms, answer=answer
                )
            made: dict[int, int] = {}
            for sdkappid in sdkappids:
                full, moved = await self._make_deliveries(tx, sdkappid, now_ms)
                more |= full
                if moved is not None:
                    made[sdkappid] = moved
            claimed: list[Delivery] = []
            if free > 0 and sdkappids:
                claimed = await tx.claim_deliveries(now_ms, now_ms + LEASE_MS, free, sdkappids)
            depth = await self._depth(tx)
        self._known.update(made)  # committed now
        for delivery in claimed:
            task = asyncio.create_task(self._deliver(delivery))
            self._inflight.add(task)
            task.add_done_callback(self._sent)
        if depth is not None and self.observer is not None:
            self.observer.webhook_depth(depth)
        await self._prune()
        return more or (free > 0 and len(claimed) == free)

    # ------------------------------------------------------------------ events -> deliveries

    async def _hooked_apps(self) -> list[App]:
        if time.monotonic() - self._apps_at >= APPS_SECONDS:
            async with self.store.read() as tx:
                self._apps = {a.sdkappid: a for a in await tx.list_apps()}
            self._apps_at = time.monotonic()
        return [a for a in self._apps.values() if a.settings.callback_url]

    async def _make_deliveries(self, tx: Tx, sdkappid: int, now_ms: int) -> tuple[bool, int | None]:
        """(more events wait, the cursor moved to) for one app, in the pass's unit."""
        last = await tx.last_event_id(sdkappid)  # before the read: all below it committed
        if last <= self._known.get(sdkappid, -1):
            return False, None
        app = await tx.get_app(sdkappid)
        if app is None or not app.settings.callback_url:
            return False, None
        cursor = await tx.lock_webhook_cursor(sdkappid, 0)
        if cursor is None:  # another process is making them
            return False, None
        events = await tx.events_after(
            sdkappid, cursor, EVENTS_PER_PASS, kinds=[str(k) for k in CALLBACK_KINDS]
        )
        full = len(events) == EVENTS_PER_PASS
        moved = events[-1].id if full else max(last, events[-1].id if events else cursor)
        await tx.add_deliveries(sdkappid, deliveries_of(app, events), now_ms)
        if moved != cursor:
            await tx.set_webhook_cursor(sdkappid, moved)
        return full, moved

    # ------------------------------------------------------------------ sending

    def _sent(self, task: asyncio.Task[None]) -> None:
        self._inflight.discard(task)
        self.wake()  # record it; the account's next delivery may go now

    async def _deliver(self, delivery: Delivery) -> None:
        try:
            await self._send(delivery)
        except asyncio.CancelledError:
            raise
        except Exception:  # a bug: the lease ends and it is sent again
            log.exception("webhooks: delivery %s failed", delivery.event_id)

    async def _send(self, d: Delivery) -> None:
        app = self._apps.get(d.sdkappid)
        settings = app.settings if app is not None else None
        problem: str | None
        if settings is None or not settings.callback_url:
            problem, text = "callback_url is empty", ""
        else:
            query = callback_query(
                d.sdkappid,
                d.command,
                Origin(d.platform, d.client_ip),
                token=settings.callback_token,
                request_time=int(self.clock.now()),
                event_id=d.event_id,
            )
            answer = await self.sender.post(
                settings.callback_url, query, d.body.encode(), settings.callback_timeout_ms / 1000
            )
            problem, text = answer_problem(answer), answer.text
        now_ms = self._now_ms()
        if problem is None:
            state, next_ms, kept = DeliveryState.DELIVERED, 0, ""
        else:
            window = settings.callback_retry_seconds if settings is not None else 0
            state, next_ms = after_failure(d.attempts + 1, d.created_ms, now_ms, window)
            if state is DeliveryState.FAILED:
                next_ms = now_ms + equal_jitter(next_ms - now_ms, self.random_source())
            kept = f"{problem}: {text}" if text else problem
            log.info(
                "webhooks: app %s %s event %s try %d failed (%s)%s",
                d.sdkappid,
                d.command,
                d.event_id,
                d.attempts + 1,
                problem,
                "; dead" if state is DeliveryState.DEAD else "",
            )
        self._results.append((d, state, next_ms, now_ms, kept[:MAX_ANSWER_CHARS]))
        if self.observer is not None:
            lag = (now_ms - d.event_ms) / 1000 if state is DeliveryState.DELIVERED else None
            self.observer.webhook_result(d.command, str(state), lag)

    # ------------------------------------------------------------------ upkeep

    async def _depth(self, tx: Tx) -> int | None:
        """The queue depth, counted every :data:`DEPTH_SECONDS` (for the metrics)."""
        now = time.monotonic()
        if self.observer is None or now - self._depth_at < DEPTH_SECONDS:
            return None
        self._depth_at = now
        return await tx.webhook_queue_depth()

    async def _prune(self) -> None:
        now = time.monotonic()
        if now >= self._prune_at:
            self._prune_at = now + PRUNE_SECONDS
            async with self.store.write() as tx:
                await tx.prune_deliveries(self._now_ms() - KEEP_DELIVERED_MS, 1000)

    def _now_ms(self) -> int:
        return int(self.clock.now() * 1000)


def equal_jitter(backoff_ms: int, share: float) -> int:
    """The wait before a retry: half the backoff, plus ``share`` (in [0, 1)) of the other half.
    Deliveries that failed together (a receiver down, then back) are tried again spread over
    the second half of their backoff instead of all at the same instant, and never sooner than
    half of it ("equal jitter")."""
    half = backoff_ms // 2
    return half + int((backoff_ms - half) * share)


def _settle(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


def deliveries_of(app: App, events: list[Event]) -> list[NewDelivery]:
    """The deliveries the app's settings want of ``events``."""
    out = []
    for event in events:
        fired = after_callback(event)
        if fired is None or not app.settings.callback_enabled(fired[0]):
            continue
        command, body = fired
        out.append(
            NewDelivery(
                event.id,
                str(command),
                event.account,
                orjson.dumps(body).decode(),
                event.origin.platform,
                event.origin.client_ip,
                event.time_ms,
            )
        )
    return out
