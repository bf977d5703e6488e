"""The fan-out's own rules, with a scripted event feed: one tail per app, a failed read retried
from the last event delivered (none skipped, none repeated), a failing push never stalls the
next events."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Collection, Iterable

import orjson

from relchain.config import Config
from relchain.domain.apps import App
from relchain.domain.events import Event, EventKind
from relchain.http.context import ServerContext
from relchain.http.gateway._connection import Connection
from relchain.http.gateway._fanout import Fanout
from relchain.ports import Store
from relchain.ratelimit import MemoryRateCounter, RateLimiter
from tests.gateway.support import SdkSocket, Served
from tests.support import SDKAPPID, FrozenClock, RestClient


def follow(event_id: int, follower: str, followed: str) -> Event:
    return Event(event_id, SDKAPPID, 0, EventKind.FOLLOW_ADDED, follower, (followed,), {})


class Feed:
    """Events served in order; ``failures`` reads fail after ``fail_after`` events."""

    def __init__(self, events: list[Event], fail_after: int = -1) -> None:
        self.events = events
        self.fail_after = fail_after
        self.reads: list[int] = []
        self.open_tails = 0

    async def last_id(self, sdkappid: int) -> int:
        return 0

    async def tail(self, sdkappid: int, after_id: int) -> AsyncIterator[Event]:
        self.reads.append(after_id)
        self.open_tails += 1
        try:
            for event in self.events:
                if event.id <= after_id:
                    continue
                if event.id == self.fail_after:
                    self.fail_after = -1
                    raise OSError("the database went away")
                yield event
            await asyncio.Event().wait()  # no more: wait forever, as a live tail does
        finally:
            self.open_tails -= 1


class Sink:
    """Stands for a socket: records the pushes queued to it."""

    def __init__(self) -> None:
        self.frames: list[dict[str, object]] = []

    def push(self, frame: bytes) -> bool:
        self.frames.append(orjson.loads(frame))
        return True


class Registry:
    def __init__(self, *users: str) -> None:
        self.sinks = {user: Sink() for user in users}
        self.kicked: list[str] = []

    def connections_of(self, sdkappid: int, user: str) -> Collection[Connection]:
        sink = self.sinks.get(user)
        return [sink] if sink is not None else []  # type: ignore[list-item]

    def online_users(self, sdkappid: int) -> Iterable[str]:
        return list(self.sinks)

    async def kick(self, sdkappid: int, user: str, reason: str) -> int:
        self.kicked.append(user)
        raise RuntimeError("the socket broke while being kicked")


def fanout(store: Store, clock: FrozenClock, feed: Feed, registry: Registry) -> Fanout:
    ctx = ServerContext(
        Config(database="unused://"), store, clock, RateLimiter(MemoryRateCounter(), clock)
    )
    return Fanout(ctx, feed, registry)


def followers_of(sink: Sink) -> list[str]:
    return [
        change["From_Account"]  # type: ignore[index]
        for frame in sink.frames
        for item in frame["body"]["EventArray"]  # type: ignore[index]
        for change in item["FollowChangeList"]
    ]


async def until(check: object, wait: float = 5) -> None:
    for _ in range(int(wait / 0.01)):
        if check():  # type: ignore[operator]
            return
        await asyncio.sleep(0.01)
    raise AssertionError("never happened")


async def test_a_failed_read_resumes_after_the_last_event_delivered(
    store: Store, clock: FrozenClock
) -> None:
    feed = Feed([follow(1, "a", "bob"), follow(2, "c", "bob"), follow(3, "d", "bob")], 3)
    registry = Registry("bob")
    out = fanout(store, clock, feed, registry)
    await out.watch(SDKAPPID)
    await until(lambda: out.delivered == 3)
    assert followers_of(registry.sinks["bob"]) == ["a", "c", "d"]
    assert feed.reads == [0, 2]  # the second read starts after event 2
    await out.stop()
    assert feed.open_tails == 0


async def test_one_tail_per_app_stopped_with_its_last_user(
    store: Store, clock: FrozenClock
) -> None:
    feed = Feed([])
    out = fanout(store, clock, feed, Registry("bob"))
    await out.watch(SDKAPPID)
    await out.watch(SDKAPPID)
    await until(lambda: feed.open_tails == 1)
    assert feed.reads == [0]
    out.unwatch(SDKAPPID)
    await until(lambda: feed.open_tails == 0)
    await out.watch(SDKAPPID)  # a user comes back: a new tail
    await until(lambda: feed.open_tails == 1)
    await out.stop()


async def test_a_failing_push_does_not_stall_the_next_events(
    store: Store, clock: FrozenClock
) -> None:
    gone = Event(1, SDKAPPID, 0, EventKind.ACCOUNT_DELETED, "carol")
    feed = Feed([gone, follow(2, "a", "bob")])
    registry = Registry("bob", "carol")
    out = fanout(store, clock, feed, registry)
    await out.watch(SDKAPPID)
    await until(lambda: out.delivered == 2)
    assert registry.kicked == ["carol"]
    assert followers_of(registry.sinks["bob"]) == ["a"]
    assert feed.reads == [0]
    await out.stop()


async def test_a_login_again_on_the_socket_keeps_the_apps_tail(
    served: Served, app: App, clock: FrozenClock, rest: RestClient
) -> None:
    """The SDK logs in again on its socket after a resync push: its only user never leaves,
    so the app's tail goes on (no event between the two logins is missed)."""
    await rest.import_accounts("alice")
    fan = served.app.gateway.fanout
    assert fan is not None
    async with SdkSocket.open(served, app, clock) as sock:
        await sock.login("alice")
        tail = fan._tails[app.sdkappid]
        await sock.login("alice")
        assert fan._tails[app.sdkappid] is tail and not tail.done()
        assert served.app.gateway.online_users(app.sdkappid) == ("alice",)
    for _ in range(100):  # the socket closed: its app has no user here, the tail stops
        if app.sdkappid not in fan._tails:
            break
        await asyncio.sleep(0.02)
    assert app.sdkappid not in fan._tails
    await asyncio.sleep(0)
    assert tail.cancelled() or tail.done()
