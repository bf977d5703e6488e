"""The user gateway's WebSocket from the client side: the Web SDK's frames, login, replies
matched by ``seq``, heartbeats, pushes, and reconnects with backoff that resume the session
with its token (``a2``), as the Web SDK does."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException

from relchain.client._errors import ConnectError, ProtocolError, TransportError, api_error

__all__ = ["Backoff", "ChatSocket"]

HEARTBEAT_SECONDS = 10.0  # the Web SDK's rhythm; the server closes sockets idle for 120 s
LOGIN = "im_open_status.wslogin"
EXPIRED = 70001
RESUME_REFUSED = frozenset({70001, 70003, 70107})  # the session is over: no more reconnects
PUSH = "im_open_push.msg_push"
RESYNC = "StatSvc.KickOther"


class Backoff:
    """Reconnect delays: ``first`` seconds, doubled each try up to ``most``, with +-25% jitter."""

    def __init__(self, first: float = 0.5, most: float = 30.0) -> None:
        self.first = first
        self.most = most
        self._random = random.Random()  # noqa: S311 - jitter, not a secret

    def delay(self, attempt: int) -> float:
        base = min(self.most, self.first * 2**attempt)
        return float(base * (0.75 + self._random.random() / 2))


def gateway_url(base_url: str, sdkappid: int, platform: int) -> str:
    """``http://host:8080`` (or ``ws://...``) -> ``ws://host:8080/binfo?sdkappid=...``."""
    parts = urlsplit(base_url.rstrip("/").removesuffix("/v4"))
    scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
    if scheme not in ("ws", "wss"):
        raise ValueError(f"base_url: expected http(s):// or ws(s)://, got {base_url!r}")
    return f"{scheme}://{parts.netloc}{parts.path}/binfo?sdkappid={sdkappid}&platform={platform}"


class ChatSocket:
    """One logged-in user's socket. ``on_push(servcmd, body)`` gets every push;
    ``on_state(state, detail)`` hears ``connected``/``connecting``/``disconnected`` and
    ``ended`` (the session is over: ``detail`` is the ErrorCode)."""

    def __init__(
        self,
        base_url: str,
        sdkappid: int,
        *,
        platform: int,
        timeout: float,
        backoff: Backoff,
        on_push: Callable[[str, dict[str, Any]], None],
        on_state: Callable[[str, int], None],
    ) -> None:
        self.url = gateway_url(base_url, sdkappid, platform)
        self.sdkappid = sdkappid
        self.platform = platform
        self.timeout = timeout
        self.backoff = backoff
        self.on_push = on_push
        self.on_state = on_state
        self.user = ""
        self.a2 = ""
        self._ws: ClientConnection | None = None
        self._seq = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._connected = asyncio.Event()
        self._closing = False
        self._last_send = 0.0

    # ------------------------------------------------------------------ session

    async def login(self, user_id: str, user_sig: str) -> dict[str, Any]:
        self.user = user_id
        await self._connect()
        answer = await self._login({"identifier": user_id, "usersig": user_sig})
        self._tasks.append(asyncio.create_task(self._heartbeat()))
        return answer

    async def _connect(self) -> None:
        try:
            self._ws = await connect(self.url, max_size=None, open_timeout=self.timeout)
        except (OSError, WebSocketException, TimeoutError) as exc:
            raise ConnectError(f"{self.url}: {type(exc).__name__}: {exc}") from exc
        self._tasks.append(asyncio.create_task(self._read(self._ws)))

    async def _login(self, head: dict[str, Any]) -> dict[str, Any]:
        answer = await self._exchange(LOGIN, {"State": "Online"}, head)
        if answer.get("ErrorCode"):
            raise api_error("im_open_status/wslogin", answer["ErrorCode"], answer["ErrorInfo"])
        self.a2 = str(answer["A2Key"])
        self._connected.set()
        self.on_state("connected", 0)
        return answer

    def end(self) -> None:
        """The server ended the session: no reconnect (the socket closes)."""
        self._closing = True
        self._connected.clear()

    async def close(self) -> None:
        self._closing = True
        self._connected.clear()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        if self._ws is not None:
            with contextlib.suppress(WebSocketException, OSError):
                await self._ws.close()
        self._fail_waiting(TransportError("the client was closed"))

    # ------------------------------------------------------------------ frames

    async def request(self, servcmd: str, body: dict[str, Any], *, read: bool) -> dict[str, Any]:
        """The answer's body; reads are sent again after a reconnect, writes are not (a lost
        write raises :class:`TransportError`: it may or may not have been done)."""
        while True:
            await self._wait_connected()
            try:
                return await self._exchange(servcmd, body, {"a2": self.a2})
            except TransportError:
                if not read or self._closing:
                    raise

    async def _wait_connected(self) -> None:
        if self._closing:
            raise TransportError("the client was closed")
        try:
            await asyncio.wait_for(self._connected.wait(), self.timeout)
        except TimeoutError:
            raise TransportError(f"not connected to {self.url}") from None

    async def _exchange(
        self, servcmd: str, body: dict[str, Any], head: dict[str, Any]
    ) -> dict[str, Any]:
        ws = self._ws
        if ws is None:
            raise TransportError("not connected")
        seq = next(self._seq)
        frame = {
            "head": {
                "ver": "v4",
                "platform": self.platform,
                "sdkappid": str(self.sdkappid),
                "servcmd": servcmd,
                "seq": seq,
                **head,
            },
            "body": body,
        }
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[seq] = future
        try:
            await ws.send(json.dumps(frame, ensure_ascii=False).encode())
            self._last_send = asyncio.get_running_loop().time()
            return await asyncio.wait_for(future, self.timeout)
        except (WebSocketException, OSError) as exc:
            raise TransportError(f"{servcmd}: the connection was lost: {exc}") from exc
        except TimeoutError:
            raise TransportError(f"{servcmd}: no answer in {self.timeout} s") from None
        finally:
            self._waiting.pop(seq, None)

    async def _read(self, ws: ClientConnection) -> None:
        try:
            async for message in ws:
                try:
                    frame = json.loads(message)
                    head, body = frame["head"], frame.get("body") or {}
                except (ValueError, KeyError, TypeError):
                    continue  # not a frame of the protocol: nothing waits for it
                future = self._waiting.get(head.get("seq"))
                if future is not None and head.get("servcmd") != PUSH and not future.done():
                    future.set_result(body)
                elif head.get("servcmd") in (PUSH, RESYNC):
                    self.on_push(head["servcmd"], body)
        except (WebSocketException, OSError):
            pass
        if ws is self._ws and not self._closing:
            self._lost()

    def _fail_waiting(self, error: Exception) -> None:
        for future in self._waiting.values():
            if not future.done():
                future.set_exception(error)

    def _lost(self) -> None:
        self._connected.clear()
        self._fail_waiting(TransportError("the connection was lost"))
        self.on_state("disconnected", 0)
        self._tasks.append(asyncio.create_task(self._reconnect()))

    async def _reconnect(self) -> None:
        for attempt in itertools.count():
            await asyncio.sleep(self.backoff.delay(attempt))
            if self._closing:
                return
            self.on_state("connecting", 0)
            try:
                await self._connect()
                await self._login({"a2": self.a2})  # resume the session, as the Web SDK does
                return
            except (TransportError, ProtocolError):
                continue
            except Exception as exc:
                code = getattr(exc, "error_code", 0)
                if code in RESUME_REFUSED:
                    self._closing = True
                    self.on_state("ended", code)
                    return
                continue

    async def _heartbeat(self) -> None:
        loop = asyncio.get_running_loop()
        while not self._closing:
            await asyncio.sleep(HEARTBEAT_SECONDS / 2)
            if not self._connected.is_set() or loop.time() - self._last_send < HEARTBEAT_SECONDS:
                continue
            with contextlib.suppress(TransportError):
                answer = await self._exchange("heartbeat.alive", {}, {"a2": self.a2})
                if answer.get("ErrorCode") == EXPIRED:  # the UserSig behind the session ended
                    self._closing = True
                    self._connected.clear()
                    self.on_state("ended", EXPIRED)
                    return
