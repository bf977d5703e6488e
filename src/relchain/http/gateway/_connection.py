"""One WebSocket of the Web SDK: how to send to it, and the session its login opened."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from dataclasses import dataclass
from itertools import count

from starlette.websockets import WebSocket, WebSocketDisconnect

__all__ = ["Connection", "Session", "platform_name", "tiny_id"]

log = logging.getLogger("relchain.gateway")

# The SDK's platform numbers (its ``platform`` query value and head field) -> the names that
# Tencent's webhooks send as ``OptPlatform``.
PLATFORMS = {
    2: "Android",
    3: "iOS",
    4: "Mac",
    7: "Web",
    8: "Web",  # WeChat mini program
    9: "Web",
    10: "Web",
    11: "Web",
    12: "Web",
    13: "iPad",
}
SEND_TIMEOUT_SECONDS = 10.0  # a push or reply that cannot be written by then closes the socket
PUSH_QUEUE_FRAMES = 256  # pushes waiting for a slow socket; one more and the socket is dropped

_ids = count(1)


def platform_name(raw: str) -> str:
    """``"7"`` -> ``"Web"``; anything unknown -> ``"Unknown"``."""
    return PLATFORMS.get(int(raw), "Unknown") if raw.isascii() and raw.isdigit() else "Unknown"


def tiny_id(sdkappid: int, user: str) -> str:
    """A stable numeric id per user (the SDK wants a ``TinyId`` string of digits)."""
    digest = hashlib.sha256(f"{sdkappid}\x00{user}".encode()).digest()
    return str(144115188075855872 + int.from_bytes(digest[:6], "big"))


@dataclass(slots=True)
class Session:
    """What a successful login gives a connection: the user, the session token (``a2``) and
    when it ends (the UserSig's expiry)."""

    sdkappid: int
    user: str
    a2: str
    expires_at: int


class Connection:
    """A socket, the kind of frames it speaks (binary on ``/binfo``, text on ``/info``), who is
    behind it, and its session once logged in."""

    __slots__ = (
        "_closed",
        "_closer",
        "_lock",
        "_queue",
        "_writer",
        "binary",
        "client_ip",
        "failed_logins",
        "id",
        "last_frame",
        "platform",
        "session",
        "websocket",
    )

    def __init__(
        self, websocket: WebSocket, *, binary: bool, platform: str, client_ip: str, now: float
    ) -> None:
        self.id = next(_ids)
        self.websocket = websocket
        self.binary = binary
        self.platform = platform
        self.client_ip = client_ip
        self.session: Session | None = None
        self.last_frame = now
        self.failed_logins = 0
        self._closed = False
        self._lock = asyncio.Lock()
        self._queue: asyncio.Queue[bytes] | None = None
        self._writer: asyncio.Task[None] | None = None
        self._closer: asyncio.Task[None] | None = None

    @property
    def closed(self) -> bool:
        return self._closed

    async def send(self, frame: bytes) -> bool:
        """Write one frame (binary or text, as this socket speaks); False when the socket is
        gone or too slow (it is then closed)."""
        if self._closed:
            return False
        try:
            async with self._lock:
                if self.binary:
                    await asyncio.wait_for(self.websocket.send_bytes(frame), SEND_TIMEOUT_SECONDS)
                else:
                    await asyncio.wait_for(
                        self.websocket.send_text(frame.decode()), SEND_TIMEOUT_SECONDS
                    )
            return True
        except TimeoutError:
            log.warning("gateway: connection %s too slow to write to; closing", self.id)
            await self.close(1008, "too slow: frames could not be written")
            return False
        except (RuntimeError, OSError, WebSocketDisconnect):
            self._closed = True
            return False

    def push(self, frame: bytes) -> bool:
        """Queue a push without waiting (the fan-out never waits for one socket): a writer task
        sends the queue in order. A socket whose queue is full is too slow: it is closed (1008)
        and False returned, so one slow client never holds back the others."""
        if self._closed:
            return False
        if self._queue is None:
            self._queue = asyncio.Queue(PUSH_QUEUE_FRAMES)
            self._writer = asyncio.get_running_loop().create_task(self._write_pushes(self._queue))
        try:
            self._queue.put_nowait(frame)
        except asyncio.QueueFull:
            log.warning(
                "gateway: connection %s fell %d pushes behind; closing", self.id, PUSH_QUEUE_FRAMES
            )
            self._closer = asyncio.get_running_loop().create_task(
                self.close(1008, f"too slow: {PUSH_QUEUE_FRAMES} pushes not read")
            )
            return False
        return True

    @property
    def queued(self) -> int:
        """Pushes waiting to be written."""
        return 0 if self._queue is None else self._queue.qsize()

    async def _write_pushes(self, queue: asyncio.Queue[bytes]) -> None:
        while await self.send(await queue.get()):
            pass

    def mark_closed(self) -> None:
        """The peer is gone: nothing more is sent."""
        self._closed = True
        self._stop_writer()

    def _stop_writer(self) -> None:
        if self._writer is not None and self._writer is not asyncio.current_task():
            self._writer.cancel()

    async def close(self, code: int, reason: str) -> None:
        """Close with a code and a reason the client can read; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._stop_writer()
        with contextlib.suppress(RuntimeError, OSError, WebSocketDisconnect):
            await self.websocket.close(code, reason[:120])
