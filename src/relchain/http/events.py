"""``GET /events``: the event log for an App admin, as Server-Sent Events or one JSON page.

Authentication is the REST API's (``sdkappid``, ``identifier``, ``usersig`` in the query, an
App admin, the app's rate limit); a refusal is the REST envelope with the REST codes (the
``im_open_login_svc`` family's where a family code is needed: 70403 not an admin, 70402 a bad
parameter). Parameters: ``since`` (an event id: the events after it), ``account`` (only events
touching it), ``kind`` (comma list), and for the page ``format=json`` with ``limit``.

The stream starts after ``Last-Event-ID`` (a reconnecting EventSource sends it), else after
``since``, else with the newest ``backlog`` events, else from now. Each event is ``id:``,
``event:`` (the kind) and ``data:`` (the JSON of
:func:`relchain.services.events.event_json`); a comment every ``HEARTBEAT_SECONDS`` keeps proxies
from closing an idle stream. Each connection has a buffer of ``BUFFER`` events between
the log and the socket: a client that reads slower than that is disconnected (it reconnects
with its Last-Event-ID and catches up), so a slow client never slows the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson

from relchain.domain.errors import ACCOUNT, ApiError
from relchain.domain.events import Event, EventKind
from relchain.http.api import Api
from relchain.http.call import Call, Outcome
from relchain.http.context import ServerContext
from relchain.http.gate import Gate, split_query
from relchain.http.logs import request_id_of
from relchain.http.wire import envelope
from relchain.services.events import event_json

__all__ = [
    "BUFFER",
    "EVENTS_PATH",
    "HEARTBEAT_SECONDS",
    "STOPPING",
    "EventsEndpoint",
    "sse_chunk",
]

log = logging.getLogger("relchain.events")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

EVENTS_PATH = "/events"
HEARTBEAT_SECONDS = 15.0
BUFFER = 1000  # events waiting for one client's socket before it is dropped
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_ID = 2**63 - 1
KINDS = {str(kind) for kind in EventKind}


async def _no_handler(call: Call) -> dict[str, Any]:  # pragma: no cover - never called
    raise AssertionError("GET /events is not a REST command")


API = Api("events/tail", ACCOUNT, _no_handler, "")


HELLO = b": relchain events\nretry: 2000\n\n"  # a comment, and the reconnection delay (ms)


def sse_chunk(event: Event) -> bytes:
    """One event as Server-Sent Events: its id, its kind as the event type, its JSON."""
    data = orjson.dumps(event_json(event))
    return b"id: %d\nevent: %s\ndata: %s\n\n" % (event.id, event.kind.encode(), data)


def _bad(name: str, info: str) -> ApiError:
    return ApiError(ACCOUNT.bad_param, f"{name}: {info}")


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    return values[-1] if values else None


def _number(name: str, raw: str | None, low: int, high: int) -> int | None:
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 19) or not low <= int(raw) <= high:
        shown = raw if len(raw) <= 40 else raw[:40] + "..."
        raise _bad(name, f"must be an integer {low}..{high}, got {shown!r}")
    return int(raw)


class Request:
    """The checked parameters of one ``GET /events``."""

    def __init__(self, scope: Scope) -> None:
        params = split_query(scope["query_string"])
        self.json = _one(params, "format") == "json"
        if _one(params, "format") not in (None, "json", "sse"):
            raise _bad("format", "must be sse (the default) or json")
        self.since = _number("since", _one(params, "since"), 0, MAX_ID)
        resume = next((v for k, v in scope["headers"] if k == b"last-event-id"), None)
        if resume is not None and not self.json:
            self.since = _number("Last-Event-ID", resume.decode("latin-1").strip(), 0, MAX_ID)
        self.limit = _number("limit", _one(params, "limit"), 1, MAX_LIMIT) or DEFAULT_LIMIT
        # the stream starts this many ids back in the log when neither since nor Last-Event-ID
        # says where (the console's live view opens with the latest events)
        self.backlog = _number("backlog", _one(params, "backlog"), 0, MAX_LIMIT)
        account = _one(params, "account")
        self.account = account or None
        if account is not None and len(account.encode()) > 32:
            raise _bad("account", "an account id is at most 32 bytes")
        self.kinds: set[str] | None = None
        raw_kinds = _one(params, "kind")
        if raw_kinds:
            self.kinds = {k.strip() for k in raw_kinds.split(",") if k.strip()}
            unknown = sorted(self.kinds - KINDS)
            if unknown:
                raise _bad(
                    "kind", f"unknown kind {unknown[0]!r}; kinds: {', '.join(sorted(KINDS))}"
                )


class EventsEndpoint:
    def __init__(self, ctx: ServerContext, gate: Gate) -> None:
        self.ctx = ctx
        self.gate = gate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = request_id_of(scope["headers"])
        try:
            app, _, _ = await self.gate.admit(API, scope["query_string"], Outcome(request_id))
            request = Request(scope)
        except ApiError as exc:
            await self._json(send, envelope(exc.code, exc.info), request_id)
            return
        if request.json:
            events = await self.ctx.events.page(
                app.sdkappid, request.since or 0, request.limit, request.account, request.kinds
            )
            rows = [event_json(e) for e in events]
            last = rows[-1]["id"] if rows else request.since or 0
            await self._json(send, envelope(0, "", {"Events": rows, "LastId": last}), request_id)
            return
        if request.since is None and request.backlog:
            request.since = await self.ctx.events.last_id(app.sdkappid, back=request.backlog)
        await self._stream(app.sdkappid, request, receive, send, request_id)

    async def _json(self, send: Send, body: dict[str, Any], request_id: str) -> None:
        data = orjson.dumps(body)
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(data)).encode()),
            (b"x-request-id", request_id.encode()),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": data})

    async def _stream(
        self, sdkappid: int, request: Request, receive: Receive, send: Send, request_id: str
    ) -> None:
        stream = _Stream(self.ctx, sdkappid, request)
        await stream.run(receive, send, request_id)


class _Stream:
    """One SSE connection, three tasks: the request's own writes to the client; ``produce``
    reads the log into the buffer; ``watch`` waits for the client to hang up or the server to
    stop. Whichever ends the stream cancels the writer (which may be stuck in a send to a
    client that reads nothing), and the writer returns."""

    def __init__(self, ctx: ServerContext, sdkappid: int, request: Request) -> None:
        self.ctx, self.sdkappid, self.request = ctx, sdkappid, request
        self.queue: asyncio.Queue[bytes] = asyncio.Queue(BUFFER)
        self.ended = ""
        writer = asyncio.current_task()
        assert writer is not None
        self.writer = writer

    def end(self, reason: str) -> None:
        if not self.ended:
            self.ended = reason
            self.writer.cancel()

    async def produce(self) -> None:
        request = self.request
        tail = self.ctx.events.tail(
            self.sdkappid, request.since, account=request.account, kinds=request.kinds
        )
        try:
            async with contextlib.aclosing(tail) as events:
                async for event in events:
                    try:
                        self.queue.put_nowait(sse_chunk(event))
                    except asyncio.QueueFull:
                        self.end("slow")
                        return
        finally:
            self.end("log closed")

    async def watch(self, receive: Receive) -> None:
        disconnected = asyncio.ensure_future(_disconnect(receive))
        stopping = asyncio.ensure_future(STOPPING.wait())
        try:
            await asyncio.wait({disconnected, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            disconnected.cancel()
            stopping.cancel()
        self.end("gone" if disconnected.done() and not disconnected.cancelled() else "stopping")

    async def write(self, send: Send, request_id: str) -> None:
        start = {"type": "http.response.start", "status": 200, "headers": _headers(request_id)}
        await send(start)
        await send({"type": "http.response.body", "body": HELLO, "more_body": True})
        while True:
            try:
                async with asyncio.timeout(HEARTBEAT_SECONDS):
                    chunk = await self.queue.get()
            except TimeoutError:
                chunk = b": ping\n\n"
            while not self.queue.empty() and len(chunk) < 65536:  # what is ready goes together
                chunk += self.queue.get_nowait()
            await send({"type": "http.response.body", "body": chunk, "more_body": True})

    async def run(self, receive: Receive, send: Send, request_id: str) -> None:
        tasks = (
            asyncio.create_task(self.produce(), name="events-sse"),
            asyncio.create_task(self.watch(receive), name="events-sse-watch"),
        )
        try:
            await self.write(send, request_id)
        except asyncio.CancelledError:
            if not self.ended:
                raise  # cancelled from outside (the server gave up waiting)
            self.writer.uncancel()
            if self.ended == "slow":
                log.info("GET /events: app %s: a client %d behind dropped", self.sdkappid, BUFFER)
            elif self.ended != "gone":  # the server stops: end the response properly
                with contextlib.suppress(OSError, TimeoutError):
                    async with asyncio.timeout(1):
                        await send({"type": "http.response.body", "body": b""})
        except OSError:  # the client went away mid-send
            pass
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task


async def _disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


def _headers(request_id: str) -> list[tuple[bytes, bytes]]:
    return [
        (b"content-type", b"text/event-stream; charset=utf-8"),
        (b"cache-control", b"no-cache"),
        (b"x-accel-buffering", b"no"),
        (b"x-request-id", request_id.encode()),
    ]


class _Stopping:
    """Set when the server begins to shut down (``relchain.http.server`` calls :meth:`set`):
    open streams end at once instead of holding the graceful shutdown for its whole timeout."""

    def __init__(self) -> None:
        self._set = False
        self._waiters: set[asyncio.Future[None]] = set()

    def set(self) -> None:
        self._set = True
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def wait(self) -> None:
        if self._set:
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.add(waiter)
        try:
            await waiter
        finally:
            self._waiters.discard(waiter)


STOPPING = _Stopping()
