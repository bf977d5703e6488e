"""The webhook sender (the :class:`relchain.ports.CallbackSender` of the server).

``http://`` receivers get a small pool of keep-alive connections per host, of its own: the
request is a fixed format (no parsing), the answer is read by `httptools
<https://github.com/MagicStack/httptools>`_ (llhttp, Node's parser, in C: ``Content-Length``,
chunked or close-delimited). A delivery is most of its CPU in a general client (httpx/httpcore
spend about 1 ms per request on pool bookkeeping; h11, pure Python, about 80 µs on parsing),
and a server sends one per event. ``https://`` receivers go through httpx (TLS, certificates).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from urllib.parse import urlencode, urlsplit

import httptools
import httpx

from relchain.domain.callbacks import Answer

__all__ = ["HttpSender"]

MAX_ANSWER_CHARS = 2000  # what is kept of an answer (the last answer of a failed delivery)
MAX_ANSWER_BYTES = 1 << 20  # a longer answer is a failure (and not read further)
MAX_HEAD_BYTES = 64 * 1024
READ_BYTES = 64 * 1024
MAX_CONNECTIONS = 32  # httpcore assigns requests to connections in O(connections x requests)
IDLE_PER_HOST = 32


class BadAnswer(Exception):
    """The receiver's bytes are not an HTTP/1.1 answer relchain can read."""


class _Stale(Exception):
    """A kept-alive connection was closed by the receiver before any byte of an answer."""


Streams = tuple[asyncio.StreamReader, asyncio.StreamWriter]


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
        except (httpx.HTTPError, OSError, BadAnswer, ValueError) as exc:
            # refused, reset, closed early, not HTTP, a URL that cannot be written ...
            return Answer(error=f"{type(exc).__name__}: {exc}"[:MAX_ANSWER_CHARS])
        return Answer(response.status_code, response.text[:MAX_ANSWER_CHARS])

    async def _post_plain(self, url: str, query: Sequence[tuple[str, str]], body: bytes) -> Answer:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port or 80
        extra = urlencode(list(query))
        params = f"{parts.query}&{extra}" if parts.query else extra
        target = f"{parts.path or '/'}?{params}"
        netloc = host if ":" not in host else f"[{host}]"
        # Serialising, not parsing: one fixed format of the request line and headers. What
        # comes from the URL must not break it (no spaces, control or non-ASCII characters).
        if not (target.isascii() and target.isprintable() and " " not in target):
            raise ValueError(f"the URL's path cannot be sent: {target[:80]!r}")
        if not (netloc.isascii() and netloc.isprintable() and " " not in netloc):
            raise ValueError(f"the URL's host cannot be sent: {netloc[:80]!r}")
        request = (
            f"POST {target} HTTP/1.1\r\nHost: {netloc}:{port}\r\n"
            "Content-Type: application/json\r\nUser-Agent: relchain-webhooks\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode("ascii") + body
        key = (host, port)
        idle = self._idle.setdefault(key, [])
        while idle:  # a kept connection the receiver may have closed: try, else a new one
            streams = idle.pop()
            if streams[0].at_eof():  # closed while idle: not worth a write
                streams[1].close()
                continue
            try:
                return await self._exchange(key, streams, request, reused=True)
            except _Stale:
                continue
        streams = await asyncio.open_connection(host, port, limit=READ_BYTES)
        return await self._exchange(key, streams, request, reused=False)

    async def _exchange(
        self, key: tuple[str, int], streams: Streams, request: bytes, *, reused: bool
    ) -> Answer:
        keep = False
        try:
            streams[1].write(request)
            answer = await _answer(streams, reused=reused)
            keep = answer.keep
        finally:
            if keep and len(self._idle[key]) < IDLE_PER_HOST:
                self._idle[key].append(streams)
            else:
                streams[1].close()
        text = answer.body.decode("utf-8", "replace")[:MAX_ANSWER_CHARS]
        return Answer(answer.status, text)

    async def close(self) -> None:
        await self._client.aclose()
        for idle in self._idle.values():
            for _, writer in idle:
                writer.close()
                with contextlib.suppress(OSError):
                    await writer.wait_closed()
        self._idle.clear()


class _Reading:
    """One answer as llhttp reads it (the parser's callbacks: llhttp decodes chunked bodies,
    ``on_body`` gets the data)."""

    __slots__ = ("body", "complete", "framed", "head", "keep", "more", "parser", "status")

    def __init__(self) -> None:
        self.parser = httptools.HttpResponseParser(self)
        self.status = 0
        self.body = bytearray()
        self.head = False  # its head was read
        self.framed = False  # Content-Length or chunked (else the body ends with the connection)
        self.complete = False
        self.keep = False  # the connection may carry the next request
        self.more = False  # bytes after the answer (none are expected): the connection is not kept

    def on_message_begin(self) -> None:
        self.more = self.complete

    def on_header(self, name: bytes, value: bytes) -> None:
        name = name.lower()
        if name == b"content-length" or (
            name == b"transfer-encoding" and b"chunked" in value.lower()
        ):
            self.framed = True

    def on_headers_complete(self) -> None:
        self.head = True

    def on_body(self, data: bytes) -> None:
        self.body += data

    def on_message_complete(self) -> None:
        status = self.parser.get_status_code()
        if status < 200:  # 1xx: the answer follows
            self.head = self.framed = False
            return
        if not self.complete:
            self.status, self.keep, self.complete = status, self.parser.should_keep_alive(), True


async def _answer(streams: Streams, *, reused: bool) -> _Reading:
    """The answer to the request just written. On a ``reused`` connection the receiver closed
    before answering anything, raises :class:`_Stale`: the request is written again on another
    connection (not a failed try)."""
    reader, writer = streams
    answer = _Reading()
    read = 0  # bytes of the answer
    try:
        await writer.drain()
        while not answer.complete:
            data = await reader.read(READ_BYTES)
            if not data:  # the receiver closed the connection
                if not read:
                    raise BadAnswer("the receiver closed the connection without answering")
                if answer.head and not answer.framed:  # the end of a close-delimited body
                    answer.status = answer.parser.get_status_code()
                    answer.complete = True
                    break
                raise BadAnswer("the receiver closed the connection before the answer's end")
            read += len(data)
            try:
                answer.parser.feed_data(data)
            except httptools.HttpParserError as exc:
                if not answer.complete:
                    raise BadAnswer(f"not an HTTP/1.1 answer ({exc})") from exc
                answer.more = True  # bytes after the answer that are not an answer
            except httptools.HttpParserUpgrade as exc:
                raise BadAnswer("not an HTTP/1.1 answer (a protocol switch)") from exc
            if len(answer.body) > MAX_ANSWER_BYTES:
                raise BadAnswer("the answer is too long")
            if not answer.head and read > MAX_HEAD_BYTES:
                raise BadAnswer("the answer's head is too long")
    except (BadAnswer, ConnectionError) as exc:
        if reused and not read:
            raise _Stale from exc
        raise
    answer.keep = answer.keep and not answer.more
    return answer
