"""The webhook sender (the :class:`relchain.ports.CallbackSender` of the server).

``http://`` receivers get a small pool of keep-alive connections per host, of its own, with
`h11 <https://h11.readthedocs.io>`_ writing the requests and reading the answers
(``Content-Length``, chunked or close-delimited): a delivery is most of its CPU in a general
client (httpx/httpcore spend about 1 ms per request on pool bookkeeping), and a server sends
one per event. ``https://`` receivers go through httpx (TLS, certificates).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from urllib.parse import urlencode, urlsplit

import h11
import httpx

from relchain.domain.callbacks import Answer

__all__ = ["HttpSender"]

MAX_ANSWER_CHARS = 2000  # what is kept of an answer (the last answer of a failed delivery)
MAX_ANSWER_BYTES = 1 << 20  # a longer answer is a failure (and not read further)
MAX_HEAD_BYTES = 64 * 1024
READ_BYTES = 64 * 1024
MAX_CONNECTIONS = 32  # httpcore assigns requests to connections in O(connections x requests)
IDLE_PER_HOST = 32

Request = tuple[h11.Request, h11.Data, h11.EndOfMessage]


class BadAnswer(Exception):
    """The receiver's bytes are not an HTTP/1.1 answer relchain can read."""


class _Stale(Exception):
    """A kept-alive connection was closed by the receiver before any byte of an answer."""


class _Connection:
    """One kept-alive connection to a receiver: its streams and its h11 state."""

    __slots__ = ("http", "reader", "writer")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.http = h11.Connection(h11.CLIENT, max_incomplete_event_size=MAX_HEAD_BYTES)


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
        self._idle: dict[tuple[str, int], list[_Connection]] = {}

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
        except (httpx.HTTPError, OSError, BadAnswer, h11.LocalProtocolError, ValueError) as exc:
            # refused, reset, closed early, not HTTP, a URL h11 will not write ...
            return Answer(error=f"{type(exc).__name__}: {exc}"[:MAX_ANSWER_CHARS])
        return Answer(response.status_code, response.text[:MAX_ANSWER_CHARS])

    async def _post_plain(self, url: str, query: Sequence[tuple[str, str]], body: bytes) -> Answer:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port or 80
        extra = urlencode(list(query))
        params = f"{parts.query}&{extra}" if parts.query else extra
        netloc = host if ":" not in host else f"[{host}]"
        request = (
            h11.Request(
                method="POST",
                target=f"{parts.path or '/'}?{params}",
                headers=[
                    ("Host", f"{netloc}:{port}"),
                    ("Content-Type", "application/json"),
                    ("User-Agent", "relchain-webhooks"),
                    ("Content-Length", str(len(body))),
                ],
            ),
            h11.Data(data=body),
            h11.EndOfMessage(),
        )
        key = (host, port)
        idle = self._idle.setdefault(key, [])
        while idle:  # a kept connection the receiver may have closed: try, else a new one
            conn = idle.pop()
            if conn.reader.at_eof():  # closed while idle: not worth a write
                conn.writer.close()
                continue
            try:
                return await self._exchange(key, conn, request, reused=True)
            except _Stale:
                continue
        reader, writer = await asyncio.open_connection(host, port, limit=READ_BYTES)
        return await self._exchange(key, _Connection(reader, writer), request, reused=False)

    async def _exchange(
        self, key: tuple[str, int], conn: _Connection, request: Request, *, reused: bool
    ) -> Answer:
        http = conn.http
        try:
            if reused:
                http.start_next_cycle()
            conn.writer.write(b"".join(http.send(event) or b"" for event in request))
            status, answer = await _answer(conn, reused=reused)
        finally:
            keep = http.our_state is h11.DONE and http.their_state is h11.DONE
            if keep and len(self._idle[key]) < IDLE_PER_HOST:
                self._idle[key].append(conn)
            else:
                conn.writer.close()
        return Answer(status, answer.decode("utf-8", "replace")[:MAX_ANSWER_CHARS])

    async def close(self) -> None:
        await self._client.aclose()
        for idle in self._idle.values():
            for conn in idle:
                conn.writer.close()
                with contextlib.suppress(OSError):
                    await conn.writer.wait_closed()
        self._idle.clear()


async def _answer(conn: _Connection, *, reused: bool) -> tuple[int, bytes]:
    """(status, body) of the answer to the request just written. On a ``reused`` connection
    the receiver closed before answering anything, raises :class:`_Stale`: the request is
    written again on another connection (not a failed try)."""
    http = conn.http
    status, body = 0, bytearray()
    answered = False  # a byte of the answer came
    try:
        await conn.writer.drain()
        while True:
            event = http.next_event()
            if event is h11.NEED_DATA:
                data = await conn.reader.read(READ_BYTES)
                if not data and not answered:
                    raise BadAnswer("the receiver closed the connection without answering")
                answered = True
                http.receive_data(data)  # b"": the receiver closed it
            elif isinstance(event, h11.Response):
                status = event.status_code
            elif isinstance(event, h11.Data):
                body += event.data
                if len(body) > MAX_ANSWER_BYTES:
                    raise BadAnswer("the answer is too long")
            elif isinstance(event, h11.EndOfMessage):
                return status, bytes(body)
            elif not isinstance(event, h11.InformationalResponse):  # 1xx: the answer follows
                raise BadAnswer(f"unexpected {type(event).__name__}")
    except (BadAnswer, ConnectionError) as exc:
        if reused and not answered:
            raise _Stale from exc
        raise
    except h11.RemoteProtocolError as exc:
        raise BadAnswer(f"not an HTTP/1.1 answer ({exc})") from exc
