"""Gateway test helpers: the app served by a real uvicorn in this process (so the test can
inject pushes and move the clock), and a raw WebSocket that speaks the Web SDK's frames."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson
import uvicorn
from websockets.asyncio.client import ClientConnection, connect

from relchain.auth.usersig import generate_usersig
from relchain.config import Config
from relchain.domain.apps import App
from relchain.http.app import RelchainApp, create_app
from relchain.ports import Store
from tests.processes import free_port
from tests.support import FrozenClock

__all__ = ["SdkSocket", "Served", "serving"]


class HasUrl(Protocol):
    @property
    def ws_url(self) -> str: ...


@dataclass
class Served:
    app: RelchainApp
    port: int

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"


@asynccontextmanager
async def serving(
    store: Store, clock: FrozenClock, config: Config | None = None
) -> AsyncIterator[Served]:
    """``create_app`` over ``store`` served by uvicorn on a free port of 127.0.0.1."""
    config = config or Config(database="unused://", app_cache_seconds=0)
    app = create_app(config, store=store, clock=clock)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), task.exception()
        await asyncio.sleep(0.01)
    try:
        yield Served(app, port)
    finally:
        server.should_exit = True
        await task


@dataclass
class SdkSocket:
    """One WebSocket to ``/binfo`` (binary frames) or ``/info`` (text frames)."""

    ws: ClientConnection
    app: App
    clock: FrozenClock
    binary: bool = True
    a2: str = ""
    pushes: list[dict[str, Any]] = field(default_factory=list)
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))

    @classmethod
    @asynccontextmanager
    async def open(
        cls, served: HasUrl, app: App, clock: FrozenClock, *, binary: bool = True
    ) -> AsyncIterator[SdkSocket]:
        path = "binfo" if binary else "info"
        url = f"{served.ws_url}/{path}?sdkappid={app.sdkappid}&platform=7&sdkversion=3.6.6"
        async with connect(url, max_size=None) as ws:
            yield cls(ws, app, clock, binary)

    async def send_raw(self, raw: bytes | str) -> None:
        await self.ws.send(raw)

    async def receive(self, wait: float = 5) -> dict[str, Any]:
        """The next frame (JSON), checking it came in this socket's kind (binary or text)."""
        message = await asyncio.wait_for(self.ws.recv(), wait)
        assert isinstance(message, bytes) == self.binary, message
        frame: dict[str, Any] = orjson.loads(message)
        return frame

    async def reply_to(self, servcmd: str, seq: Any, wait: float = 5) -> dict[str, Any]:
        """Frames until the reply to (servcmd, seq); pushes met on the way are kept."""
        while True:
            frame = await self.receive(wait)
            head = frame["head"]
            if head.get("servcmd") == servcmd and head.get("seq") == seq:
                return frame
            self.pushes.append(frame)

    async def request(self, servcmd: str, body: Any = None, **head: Any) -> dict[str, Any]:
        """Send one frame (with this socket's ``a2`` unless given); the reply's body."""
        seq = next(self._seq)
        frame_head: dict[str, Any] = {
            "ver": "v4",
            "platform": 7,
            "sdkappid": str(self.app.sdkappid),
            "servcmd": servcmd,
            "seq": seq,
        }
        if self.a2:
            frame_head["a2"] = self.a2
        frame_head.update(head)
        raw = orjson.dumps({"head": frame_head, "body": {} if body is None else body})
        await self.send_raw(raw if self.binary else raw.decode())
        reply = await self.reply_to(servcmd, seq)
        assert set(reply) == {"head", "body"}, reply
        body_out: dict[str, Any] = reply["body"]
        return body_out

    def usersig(self, user: str, expire: int = 86400) -> str:
        return generate_usersig(
            self.app.key, self.app.sdkappid, user, expire, int(self.clock.now())
        )

    async def login(self, user: str, usersig: str | None = None) -> dict[str, Any]:
        body = await self.request(
            "im_open_status.wslogin",
            {"State": "Online", "InstType": 0, "CustomInfo": ""},
            identifier=user,
            usersig=self.usersig(user) if usersig is None else usersig,
        )
        if body["ErrorCode"] == 0:
            self.a2 = body["A2Key"]
        return body
