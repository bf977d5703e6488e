"""Running the app under uvicorn, hardened against idle and partial connections.

uvicorn closes a keep-alive connection that stays idle after an answer (``keep_alive_timeout``),
but it never closes a connection that has not sent a request yet, or that sends its request head
a byte at a time, and it accepts connections until the process runs out of file descriptors, at
which point nothing (``/healthz`` included) is accepted any more. Its ``limit_concurrency``
answers 503 to *everyone* once idle connections fill it. So :class:`GuardedHttpProtocol` (its
httptools protocol, subclassed) adds:

- a **head timeout**: a connection must deliver a complete request head within
  ``header_timeout`` seconds of opening, or of the end of its previous answer, else it is closed;
- a **body timeout**: after its head, a request must deliver its whole body within
  ``body_timeout`` seconds, else the connection is closed (the request is dropped unanswered);
- a **connection limit** below the file limit: when a new connection would exceed
  ``max_connections``, the connection that has been waiting longest for a request head is
  closed to make room (busy connections are never closed; if all are busy, the new one is);

- **the envelope for unparseable requests**: a request the HTTP parser refuses (a raw
  non-ASCII byte or a space in the target, a broken head) is answered with HTTP 400 and the
  Tencent envelope (60002), not uvicorn's plain-text line, then the connection is closed;

and :func:`run` raises the soft ``RLIMIT_NOFILE`` to the hard limit at start where allowed.
"""

from __future__ import annotations

import asyncio
import logging
import os
import resource
import shutil
import tempfile
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, ClassVar

import orjson
import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.supervisors import Multiprocess

from relchain.config import Config
from relchain.domain.errors import Code
from relchain.http.events import STOPPING
from relchain.http.logs import configure_logging
from relchain.http.metrics import LIVE
from relchain.http.wire import envelope

__all__ = [
    "Guard",
    "GuardedHttpProtocol",
    "JoinedWrites",
    "connection_limit",
    "raise_file_limit",
    "run",
]

log = logging.getLogger("relchain.server")

APP_FACTORY = "relchain.http.app:create_app_from_env"


def raise_file_limit() -> int:
    """Raise the soft open-file limit to the hard limit where allowed; the soft limit now."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        hard = 1 << 20
    if soft != resource.RLIM_INFINITY and soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError) as exc:  # some containers forbid it
            log.warning("could not raise the open-file limit from %d to %d: %s", soft, hard, exc)
    return soft if soft != resource.RLIM_INFINITY else 1 << 20


def connection_limit(config: Config, file_limit: int) -> int:
    """Connections per process: ``max_connections``, never closer to the file limit than a
    reserve for the database, logs and listening sockets (10%, at least 64)."""
    ceiling = max(16, file_limit - max(64, file_limit // 10))
    if config.max_connections and config.max_connections <= ceiling:
        return config.max_connections
    if config.max_connections:
        log.warning(
            "max_connections %d is too close to the open-file limit %d: using %d",
            config.max_connections,
            file_limit,
            ceiling,
        )
    return ceiling


@dataclass(frozen=True, slots=True)
class Guard:
    """The limits :class:`GuardedHttpProtocol` enforces (carried on uvicorn's config, which
    worker processes receive)."""

    header_timeout: float = 10.0
    body_timeout: float = 30.0
    max_connections: int = 1 << 20


class JoinedWrites:
    """The connection as one answer's cycle sees it: the answer's head is held until its body is
    written, then both go in one write (uvicorn writes them apart: two sends and two packets for
    every answer; on loopback under load the second send cost a sixth of the server's time), or
    at the end of the loop turn if no body follows in it."""

    __slots__ = ("_held", "_loop", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None

    def write(self, data: bytes) -> None:
        if self._held is None:
            self._held = data
            self._loop.call_soon(self.flush)
        else:
            held, self._held = self._held, None
            self._transport.write(held + data)

    def flush(self) -> None:
        if self._held is not None:
            held, self._held = self._held, None
            if not self._transport.is_closing():
                self._transport.write(held)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def is_closing(self) -> bool:
        return self._transport.is_closing()


class GuardedHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a head timeout and a connection limit that evicts the
    longest-waiting idle connection (see the module docstring)."""

    # the connections of this process waiting for a request head, oldest first
    waiting: ClassVar[OrderedDict[GuardedHttpProtocol, None]] = OrderedDict()

    def __init__(self, config: uvicorn.Config, *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        self.access_log = False  # its lines hold the query (a UserSig): relchain logs its own
        guard: Guard = getattr(config, "relchain_guard", Guard())
        self.guard = guard
        self.head_timer: asyncio.TimerHandle | None = None
        self.body_timer: asyncio.TimerHandle | None = None
        self.upgraded = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        LIVE.connections["http"] += 1
        self._wait_for_head()
        if len(self.connections) > self.guard.max_connections:
            self._make_room()

    def _make_room(self) -> None:
        for victim in self.waiting:
            if victim is not self:
                break
        else:
            log.warning(
                "connection limit %d reached, all busy: refused one", self.guard.max_connections
            )
            self._close()
            return
        victim._close()

    def _wait_for_head(self) -> None:
        self._stop_waiting()
        self.waiting[self] = None
        self.head_timer = self.loop.call_later(self.guard.header_timeout, self._close)

    def _stop_waiting(self) -> None:
        self.waiting.pop(self, None)
        if self.head_timer is not None:
            self.head_timer.cancel()
            self.head_timer = None

    def _close(self) -> None:
        self._stop_waiting()
        self._body_done()
        if not self.transport.is_closing():
            self.transport.close()

    def _body_done(self) -> None:
        if self.body_timer is not None:
            self.body_timer.cancel()
            self.body_timer = None

    def on_headers_complete(self) -> None:
        self._stop_waiting()
        previous = self.cycle
        super().on_headers_complete()
        if self.cycle is not None and self.cycle is not previous:
            self.cycle.transport = JoinedWrites(self.transport, self.loop)  # type: ignore[assignment]
        if not self.upgraded and not self.transport.is_closing():
            self.body_timer = self.loop.call_later(self.guard.body_timeout, self._close)

    def handle_websocket_upgrade(self) -> None:
        """The connection becomes a WebSocket (the user gateway), no longer ours to time or
        count: its own protocol closes idle sockets (``gateway_idle_seconds``)."""
        self._stop_waiting()
        self._body_done()
        LIVE.connections["http"] -= 1
        self.upgraded = True
        super().handle_websocket_upgrade()

    def on_message_complete(self) -> None:
        self._body_done()
        super().on_message_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()  # may start a pipelined request already received
        idle = self.cycle is None or self.cycle.response_complete
        if idle and not self.transport.is_closing():
            self._wait_for_head()

    def shutdown(self) -> None:
        STOPPING.set()  # open GET /events streams end now (they never complete by themselves)
        super().shutdown()

    def send_400_response(self, msg: str) -> None:
        """The HTTP parser refused the request: HTTP 400 with the envelope (60002), then close
        (uvicorn writes a plain-text line; clients of this API read the envelope)."""
        body = orjson.dumps(
            envelope(
                Code.HTTP_PARSE,
                "request: not a valid HTTP/1.1 request (the request line "
                "or a header; a URL must be percent-encoded ASCII)",
            )
        )
        head = [b"HTTP/1.1 400 Bad Request\r\n"]
        head += [
            name + b": " + value + b"\r\n" for name, value in self.server_state.default_headers
        ]
        head += [
            b"content-type: application/json\r\n",
            b"content-length: " + str(len(body)).encode() + b"\r\n",
            b"connection: close\r\n\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        self._close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        self._body_done()
        if not self.upgraded:
            LIVE.connections["http"] -= 1
        super().connection_lost(exc)


def uvicorn_config(config: Config, app: Any, max_connections: int) -> uvicorn.Config:
    """uvicorn's config for relchain's; ``app`` is the app, or the factory's import path."""
    uv = uvicorn.Config(
        app,
        factory=isinstance(app, str),
        host=config.host,
        port=config.port,
        workers=config.workers,
        http=GuardedHttpProtocol,
        log_config=None,  # relchain.http.logs configures logging
        log_level=config.log_level,
        access_log=False,  # relchain writes its own access log
        timeout_keep_alive=config.keep_alive_timeout,  # type: ignore[arg-type]  # call_later
        timeout_graceful_shutdown=config.shutdown_timeout,  # type: ignore[arg-type]  # wait_for
        ws_max_size=config.gateway_max_frame_bytes,  # larger gateway frames: closed, 1009
        ws_per_message_deflate=False,  # zlib state is ~45 KB a socket; frames are small
        server_header=False,
    )
    guard = Guard(config.header_timeout, config.body_timeout, max_connections)
    uv.relchain_guard = guard  # type: ignore[attr-defined]
    return uv


def run(config: Config) -> None:
    """Serve until SIGTERM or Ctrl-C: then stop accepting, finish what is in flight (up to
    ``shutdown_timeout``), commit, close the database and return."""
    configure_logging(config)
    file_limit = raise_file_limit()
    max_connections = connection_limit(config, file_limit)
    log.info("open-file limit %d, at most %d connections per process", file_limit, max_connections)
    if config.workers == 1:
        from relchain.http.app import create_app

        uvicorn.Server(uvicorn_config(config, create_app(config), max_connections)).run()
        return
    # Workers are new interpreters: they read the settings from the environment, and their
    # metrics meet in one directory (prometheus-client's multiprocess mode).
    metrics_dir = tempfile.mkdtemp(prefix="relchain-metrics-") if config.metrics else ""
    os.environ.update(config.to_env())
    if metrics_dir:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    try:
        uv = uvicorn_config(config, APP_FACTORY, max_connections)
        Multiprocess(uv, sockets=[uv.bind_socket()]).run()
    finally:
        if metrics_dir:
            shutil.rmtree(metrics_dir, ignore_errors=True)
