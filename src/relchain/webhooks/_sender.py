"""The webhook sender (the :class:`relchain.ports.CallbackSender` of the server).

``http://`` receivers get a small HTTP/1.1 client of its own (keep-alive connections per host,
``Content-Length`` or chunked answers): a delivery is most of its CPU in a general client
(httpx/httpcore spend about 1 ms per request on pool bookkeeping), and a server sends one per
event. ``https://`` receivers go through httpx (TLS, certificates).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from urllib.parse import urlencode, urlsplit

import httpx

from relchain.domain.callbacks import Answer

__all__ = ["HttpSender"]

MAX_ANSWER_CHARS = 2000  # what is kept of an answer (the last answer of a failed delivery)
MAX_ANSWER_BYTES = 1 << 20  # a longer answer is a failure (and not read)
MAX_HEAD_BYTES = 64 * 1024
MAX_CONNECTIONS = 32  # httpcore assigns requests to connections in O(connections x requests)
IDLE_PER_HOST = 32

Streams = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class BadAnswer(Exception):
    """The receiver's bytes are not an HTTP/1.1 answer relchain can read."""


class HttpSender:
    """POSTs callbacks. A receiver's answer is read up to :data:`MAX_ANSWER_CHARS`; any
    transport failure becomes ``Answer.error``."""

    def __init__(self) -> None:
        self._client = httpx.AsyncClient(
            limits=httpx.Limits(
                max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_CONNECTIONS
            ),
            follow_redirects=False,
            headers={"content-type": "application/json", "user-agent": "relchain-webhooks"},
        )
        self._idle: dict[tuple[str, int], list[Streams]] = {}

    async def post(
        self, url: str, query: Sequence[tuple[str, str]], body: bytes, seconds: float
    ) -> Answer:
        try:
            async with asyncio.timeout(seconds):  # the whole exchange, not each read
                if url.lower().startswith("http://"):
                    return await self._post_plain(url, query, body)
                merged = httpx.URL(url).copy_merge_params(list(query))
                response = await self._client.post(merged, content=body, timeout=seconds)
        except (httpx.TimeoutException, TimeoutError):
            return Answer(error=f"no answer within {int(seconds * 1000)} ms")
        except (
            httpx.HTTPError,
            OSError,
            BadAnswer,
            ValueError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
        ) as exc:  # refused, reset, closed early, not HTTP ...
            return Answer(error=f"{type(exc).__name__}: {exc}"[:MAX_ANSWER_CHARS])
        return Answer(response.status_code, response.text[:MAX_ANSWER_CHARS])

    async def _post_plain(self, url: str, query: Sequence[tuple[str, str]], body: bytes) -> Answer:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port or 80
        extra = urlencode(list(query))
        params = f"{parts.query}&{extra}" if parts.query else extra
        target = f"{parts.path or '/'}?{params}"
        netloc = host if ":" not in host else f"[{host}]"
        head = (
            f"POST {target} HTTP/1.1\r\nHost: {netloc}:{port}\r\n"
            "Content-Type: application/json\r\nUser-Agent: relchain-webhooks\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode("latin-1")
        key = (host, port)
        idle = self._idle.setdefault(key, [])
        while idle:  # a kept connection the receiver may have closed: try, else a new one
            streams = idle.pop()
            try:
                return await self._exchange(key, streams, head + body, reused=True)
            except _Stale:
                continue
        streams = await asyncio.open_connection(host, port, limit=MAX_HEAD_BYTES)
        return await self._exchange(key, streams, head + body, reused=False)

    async def _exchange(
        self, key: tuple[str, int], streams: Streams, request: bytes, *, reused: bool
    ) -> Answer:
        reader, writer = streams
        keep = False
        try:
            try:
                writer.write(request)
                await writer.drain()
                status_line = await reader.readuntil(b"\r\n")
            except (asyncio.IncompleteReadError, ConnectionError) as exc:
                if reused:
                    raise _Stale from exc
                raise
            status, answer, keep = await _read_answer(status_line, reader)
        finally:
            if keep and len(self._idle[key]) < IDLE_PER_HOST:
                self._idle[key].append(streams)
            else:
                writer.close()
        return Answer(status, answer.decode("utf-8", "replace")[:MAX_ANSWER_CHARS])

    async def close(self) -> None:
        await self._client.aclose()
        for idle in self._idle.values():
            for _, writer in idle:
                writer.close()
                with contextlib.suppress(OSError):
                    await writer.wait_closed()
        self._idle.clear()


class _Stale(Exception):
    """A kept-alive connection was closed by the receiver before answering."""


async def _read_answer(status_line: bytes, reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """(status, body, connection may be kept) of one HTTP/1.1 answer."""
    fields = status_line.split(None, 2)
    if len(fields) < 2 or not fields[0].startswith(b"HTTP/1.") or not fields[1].isdigit():
        raise BadAnswer(f"not an HTTP/1.1 status line: {status_line[:80]!r}")
    status, version = int(fields[1]), fields[0]
    headers: dict[bytes, bytes] = {}
    size = 0
    while (line := await reader.readuntil(b"\r\n")) != b"\r\n":
        size += len(line)
        if size > MAX_HEAD_BYTES:
            raise BadAnswer("the answer's head is too long")
        name, colon, value = line.partition(b":")
        if colon:
            headers[name.strip().lower()] = value.strip()
    keep = headers.get(b"connection", b"").lower() != b"close" and version == b"HTTP/1.1"
    if status in (204, 304) or 100 <= status < 200:
        return status, b"", keep
    if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
        return status, await _read_chunked(reader), keep
    length = headers.get(b"content-length")
    if length is not None:
        if not length.isdigit() or int(length) > MAX_ANSWER_BYTES:
            raise BadAnswer(f"Content-Length {length[:20]!r} is not read")
        return status, await reader.readexactly(int(length)), keep
    body = await reader.read(MAX_ANSWER_BYTES)  # until the receiver closes
    return status, body, False


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    body = bytearray()
    while True:
        size_line = await reader.readuntil(b"\r\n")
        try:
            size = int(size_line.split(b";", 1)[0].strip(), 16)
        except ValueError as exc:
            raise BadAnswer("a bad chunk size") from exc
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers
                pass
            return bytes(body)
        if len(body) + size > MAX_ANSWER_BYTES:
            raise BadAnswer("the answer is too long")
        body += await reader.readexactly(size)
        await reader.readexactly(2)
