"""Raw TCP receivers for the sender's tests: a handler per connection writes exactly the bytes
the test wants (an asyncio server on a free port of this process)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from relchain.webhooks import HttpSender
from tests.processes import free_port

__all__ = ["OK", "Handler", "answer_ok", "deliveries", "read_request", "tcp"]

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
OK = b'{"ErrorCode":0}'


@asynccontextmanager
async def tcp(handler: Handler) -> AsyncIterator[str]:
    """Serves ``handler`` (one call per connection; it may wait for requests until the sender
    closes the connection); yields the callback URL."""
    port = free_port()
    writers: list[asyncio.StreamWriter] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.append(writer)
        try:
            await handler(reader, writer)
        except asyncio.IncompleteReadError:  # the sender closed the connection
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", port)
    try:
        yield f"http://127.0.0.1:{port}/cb?app=1"
    finally:
        server.close()
        for writer in writers:
            writer.close()
        await asyncio.sleep(0)


async def read_request(reader: asyncio.StreamReader) -> bytes:
    """The next request's bytes (head and ``Content-Length`` body)."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length")
    )
    return head + await reader.readexactly(length)


def answer_ok(writer: asyncio.StreamWriter) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(OK), OK))


async def deliveries(
    handler: Handler, count: int, query: list[tuple[str, str]], seconds: float = 2
) -> list[tuple[int, str, str]]:
    """``count`` callbacks in a row by one :class:`HttpSender` to a receiver serving
    ``handler``: each one's (status, text, error)."""
    sender = HttpSender()
    async with tcp(handler) as url:
        answers = [await sender.post(url, query, b"{}", seconds) for _ in range(count)]
    await sender.close()
    return [(a.status, a.text, a.error) for a in answers]
