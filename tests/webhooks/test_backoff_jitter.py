"""The retries' backoff has equal jitter: half the exponential backoff plus a random share of
the other half, the share from the dispatcher's injected random source (a fake receiver that
is down and a frozen clock: no sleeping, no network)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from typing import Any

from relchain.domain.apps import App
from relchain.domain.callbacks import Answer, NewDelivery
from relchain.ports import Store
from relchain.services.webhooks import WebhookService
from relchain.webhooks import Dispatcher
from tests.support import FrozenClock, set_settings


class Down:
    """A :class:`relchain.ports.CallbackSender` whose receiver refuses every callback."""

    def __init__(self) -> None:
        self.posts = 0

    async def post(
        self, url: str, query: Sequence[tuple[str, str]], body: bytes, seconds: float
    ) -> Answer:
        self.posts += 1
        return Answer(error="ConnectionRefusedError: down")


class Shares:
    """The random source: these values, in order."""

    def __init__(self, *values: float) -> None:
        self.values: Iterator[float] = iter(values)

    def __call__(self) -> float:
        return next(self.values)


async def a_pass(dispatcher: Dispatcher) -> None:
    """One pass (records the answers that came, claims and sends due deliveries), then the
    sends (the fake answers at once) get to run."""
    await dispatcher.step()
    for _ in range(3):
        await asyncio.sleep(0)


async def next_try_ms(store: Store, clock: FrozenClock, app: App) -> int:
    found: dict[str, Any] = (await WebhookService(store, clock).status(app.sdkappid)).to_json()
    return int(found["failures"][0]["next_try_ms"])


async def test_each_retry_waits_half_its_backoff_plus_a_random_share_of_the_rest(
    store: Store, clock: FrozenClock, app: App
) -> None:
    await set_settings(store, callback_url="http://127.0.0.1:9/callback")
    now_ms = int(clock.now() * 1000)
    delivery = NewDelivery(1, "Follow.CallbackAfterFollowAdd", "a", "{}", "RESTAPI", "", now_ms)
    async with store.write() as tx:
        await tx.add_deliveries(app.sdkappid, [delivery], now_ms)
    sender = Down()
    dispatcher = Dispatcher(store, sender, clock, random_source=Shares(0.0, 0.5, 0.999))

    await a_pass(dispatcher)
    await a_pass(dispatcher)
    assert sender.posts == 1
    # backoff 1 s, share 0: half of it
    assert await next_try_ms(store, clock, app) == now_ms + 500

    clock.advance(0.5)
    await a_pass(dispatcher)
    await a_pass(dispatcher)
    assert sender.posts == 2
    # backoff 2 s, share 0.5: 1 s + 0.5 s
    assert await next_try_ms(store, clock, app) == now_ms + 500 + 1500

    clock.advance(1.25)
    await a_pass(dispatcher)
    assert sender.posts == 2  # not before its time
    clock.advance(0.25)
    await a_pass(dispatcher)
    await a_pass(dispatcher)
    assert sender.posts == 3
    # backoff 4 s, share 0.999: 2 s + 1.998 s, below the whole backoff
    assert await next_try_ms(store, clock, app) == now_ms + 2000 + 3998
    await dispatcher.stop()
