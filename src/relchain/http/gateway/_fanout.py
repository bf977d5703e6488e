"""Live pushes: each server process follows the event log of every app that has users logged
in here (one tail per app, not per connection) and pushes each event to the local connections
of the accounts it touches (:func:`._routing.pushes_for`). Every process reads the shared log,
so a change made on any process (or by the REST API, or another server) reaches every socket.

A tail starts at the log's end when an app's first user logs in here (before the login is
answered, so nothing committed after the SDK's first loads is missed) and stops when the last
one leaves. A failing read is retried from the last event delivered: no event is skipped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Collection, Iterable
from typing import Protocol

from relchain.domain.errors import ApiError
from relchain.domain.events import Event
from relchain.http.context import ServerContext
from relchain.http.gateway._connection import Connection
from relchain.http.gateway._frames import push_frame
from relchain.http.gateway._pushes import RESYNC_SERVCMD
from relchain.http.gateway._routing import (
    NEEDS_NAMES,
    Action,
    Names,
    Push,
    friend_data_push,
    pushes_for,
)

__all__ = ["EventFeed", "Fanout"]

log = logging.getLogger("relchain.gateway")

RETRY_SECONDS = (0.05, 0.2, 1.0, 5.0)  # after a failed read of the log, then the last one
NICK, AVATAR = "Tag_Profile_IM_Nick", "Tag_Profile_IM_Image"
AUDIENCE_CHUNK = 500  # online users checked per query for a profile's friends


class EventFeed(Protocol):
    """What the fan-out needs of the event log."""

    async def last_id(self, sdkappid: int) -> int:
        """The id of the app's last event now (0: none)."""
        ...

    def tail(self, sdkappid: int, after_id: int) -> AsyncIterator[Event]:
        """The app's events after ``after_id``, as they commit (never ends by itself)."""
        ...


class Registry(Protocol):
    """The connections of this process (the gateway)."""

    def connections_of(self, sdkappid: int, user: str) -> Collection[Connection]: ...

    def online_users(self, sdkappid: int) -> Iterable[str]: ...

    async def kick(self, sdkappid: int, user: str, reason: str) -> int: ...


class Fanout:
    """The tails of one process, and the delivery of their events to its connections."""

    def __init__(self, ctx: ServerContext, feed: EventFeed, registry: Registry) -> None:
        self.ctx = ctx
        self.feed = feed
        self.registry = registry
        self._tails: dict[int, asyncio.Task[None]] = {}
        self._started: dict[int, asyncio.Future[None]] = {}
        self.delivered = 0  # events delivered (for tests and metrics)

    # ------------------------------------------------------------------ tails

    async def watch(self, sdkappid: int) -> None:
        """Make sure the app's events are pushed here; returns once the tail has its start."""
        task = self._tails.get(sdkappid)
        if task is None or task.done():
            started: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._started[sdkappid] = started
            self._tails[sdkappid] = asyncio.get_running_loop().create_task(
                self._follow(sdkappid, started), name=f"relchain-pushes-{sdkappid}"
            )
        await asyncio.shield(self._started[sdkappid])

    def unwatch(self, sdkappid: int) -> None:
        """No user of the app is logged in here any more: stop its tail."""
        task = self._tails.pop(sdkappid, None)
        self._started.pop(sdkappid, None)
        if task is not None:
            task.cancel()

    async def stop(self) -> None:
        tasks = list(self._tails.values())
        self._tails.clear()
        self._started.clear()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _follow(self, sdkappid: int, started: asyncio.Future[None]) -> None:
        after: int | None = None
        failures = 0
        while True:
            try:
                if after is None:
                    after = await self.feed.last_id(sdkappid)
                    if not started.done():
                        started.set_result(None)
                async for event in self.feed.tail(sdkappid, after):
                    failures = 0
                    await self.deliver(event)
                    after = event.id
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("gateway: reading the event log of app %s failed", sdkappid)
                if not started.done():
                    started.set_result(None)  # the login goes on; pushes start once it reads
            await asyncio.sleep(RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)])
            failures += 1

    # ------------------------------------------------------------------ delivery

    async def deliver(self, event: Event) -> None:
        """Push one event to the connections here of the accounts it touches."""
        names = None
        if event.kind in NEEDS_NAMES and any(
            self.registry.connections_of(event.sdkappid, a) for a in event.accounts
        ):
            names = await self._names(event)
        for push in pushes_for(event, names):
            try:
                await self._deliver(event.sdkappid, push)
            except ApiError as exc:  # e.g. the account is gone since: nothing to tell
                log.info("gateway: push of event %s skipped: %s", event.id, exc.info)
            except Exception:  # one push that fails (a read for it) never stalls the others
                log.exception("gateway: push of event %s to %s failed", event.id, push.user)
        self.delivered += 1

    def _send(self, conns: Iterable[Connection], frame: bytes) -> None:
        taken = dropped = 0
        for conn in conns:
            if conn.push(frame):
                taken += 1
            else:
                dropped += 1
        metrics = self.ctx.metrics
        if metrics is not None and (taken or dropped):
            metrics.pushes.labels("0").inc(taken)
            metrics.pushes.labels("1").inc(dropped)

    async def _deliver(self, sdkappid: int, push: Push) -> None:
        conns = self.registry.connections_of(sdkappid, push.user)
        if push.action is Action.PUSH:
            frame = push_frame(dict(push.body))
            self._send(conns, frame)
            if push.to_friends:
                for user in await self._friends_online(sdkappid, push.user):
                    self._send(self.registry.connections_of(sdkappid, user), frame)
        elif not conns:
            return
        elif push.action is Action.RESYNC:
            self._send(conns, push_frame({}, RESYNC_SERVCMD))
        elif push.action is Action.FRIEND_DATA:
            found = await self.ctx.friends.with_profiles(sdkappid, push.user, push.friends)
            friends = [found.friends[f] for f in push.friends if f in found.friends]
            if friends:
                body = friend_data_push(push.user, friends, push.fields).body
                self._send(conns, push_frame(dict(body)))
        elif push.action is Action.KICK:
            await self.registry.kick(sdkappid, push.user, "account deleted")

    async def _names(self, event: Event) -> Names | None:
        """The nick and avatar of the event's accounts (one query; none if it fails)."""
        try:
            profiles = await self.ctx.profiles.get(event.sdkappid, list(event.accounts))
        except Exception:  # the pushes go out without the names rather than not at all
            log.exception("gateway: reading the profiles for event %s failed", event.id)
            return None
        return {
            account: (str(p.values.get(NICK, "")), str(p.values.get(AVATAR, "")))
            for account, p in profiles.items()
        }

    async def _friends_online(self, sdkappid: int, account: str) -> list[str]:
        """The users logged in here who have ``account`` as a friend (their SDK caches its
        profile), found by one query per ``AUDIENCE_CHUNK`` online users."""
        others = [u for u in self.registry.online_users(sdkappid) if u != account]
        found: list[str] = []
        for start in range(0, len(others), AUDIENCE_CHUNK):
            chunk = others[start : start + AUDIENCE_CHUNK]
            edges = await self.ctx.friends.check(sdkappid, account, chunk)
            found += [u for u in chunk if edges.get(u, (False, False))[1]]
        return found
