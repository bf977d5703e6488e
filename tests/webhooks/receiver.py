"""A real webhook receiver for the tests: an ASGI app served by uvicorn on a free port of this
process, recording every callback and answering as the test says."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import orjson
import uvicorn

from tests.processes import free_port

__all__ = ["OK", "Hit", "Receiver", "Reply", "receiving"]

OK = orjson.dumps({"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 0}).decode()


@dataclass(frozen=True)
class Reply:
    status: int = 200
    text: str = OK
    delay: float = 0.0


@dataclass(frozen=True)
class Hit:
    """One callback received: its query (as a dict and in order), body and arrival time."""

    query: dict[str, str]
    pairs: list[tuple[str, str]]
    body: dict[str, Any]
    at: float

    @property
    def command(self) -> str:
        return self.query["CallbackCommand"]


Answerer = Callable[["Hit", int], Reply]  # (hit, how many hits came before it) -> reply


@dataclass
class Receiver:
    port: int
    answer: Answerer = field(default=lambda hit, n: Reply())
    answer_async: Callable[[Hit, int], Awaitable[Reply]] | None = None  # wins when set
    hits: list[Hit] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/callback"

    def of(self, command: str) -> list[Hit]:
        return [h for h in self.hits if h.command == command]

    async def wait_for(self, count: int, within: float = 20, command: str | None = None) -> None:
        """Until ``count`` hits (of ``command``) came; fails after ``within`` seconds."""
        deadline = time.monotonic() + within
        while len(self.of(command) if command else self.hits) < count:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"{len(self.hits)} hits, wanted {count}: {self.hits}"
            self.arrived.clear()
            with suppress(TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), min(remaining, 0.2))

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        pairs = parse_qsl(scope["query_string"].decode(), keep_blank_values=True)
        hit = Hit(dict(pairs), pairs, orjson.loads(b"".join(chunks)), time.time())
        before = len(self.hits)
        self.hits.append(hit)
        self.arrived.set()
        if self.answer_async is not None:
            reply = await self.answer_async(hit, before)
        else:
            reply = self.answer(hit, before)
        if reply.delay:
            await asyncio.sleep(reply.delay)
        body = reply.text.encode()
        await send(
            {
                "type": "http.response.start",
                "status": reply.status,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})


@asynccontextmanager
async def receiving(answer: Answerer | None = None) -> AsyncIterator[Receiver]:
    receiver = Receiver(free_port())
    if answer is not None:
        receiver.answer = answer
    server = uvicorn.Server(
        uvicorn.Config(
            receiver, host="127.0.0.1", port=receiver.port, log_level="warning", lifespan="off"
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), task.exception()
        await asyncio.sleep(0.01)
    try:
        yield receiver
    finally:
        server.should_exit = True
        await task
