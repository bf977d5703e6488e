"""The sender's kept-alive connections when the receiver ends them: closed after the request
came (sent again on a new connection, not a failed try), reset, closed by ``Connection:
close``; a new connection closed without an answer is a failure (not sent again)."""

from __future__ import annotations

import asyncio
import socket
import struct

from relchain.webhooks import HttpSender
from tests.webhooks.rawtcp import OK, answer_ok, deliveries, read_request, tcp

QUERY = [("EventId", "9")]


def reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP reset (RST), not a FIN."""
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def test_a_kept_connection_closed_when_the_request_came_is_sent_again() -> None:
    """The receiver closed its idle connection just as the next request came: that request
    goes again on a new connection and is delivered (at least once)."""
    requests: list[bytes] = []
    connections: list[int] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        requests.append(await read_request(reader))
        if len(connections) == 1:
            answer_ok(writer)
            await writer.drain()
            requests.append(await read_request(reader))
            return  # closed, the second request not answered
        answer_ok(writer)
        await writer.drain()

    sender = HttpSender()
    async with tcp(handler) as url:
        first = await sender.post(url, QUERY, b"{}", 2)
        second = await sender.post(url, QUERY, b"{}", 2)
    await sender.close()
    assert [(a.status, a.text, a.error) for a in (first, second)] == [(200, OK.decode(), "")] * 2
    assert len(connections) == 2
    assert len(requests) == 3 and requests[1] == requests[2]  # the second one, twice


async def test_a_kept_connection_the_receiver_closed_while_idle_is_not_written_to() -> None:
    first_connection: list[bytes] = []
    connections: list[int] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        await read_request(reader)
        answer_ok(writer)
        if len(connections) == 1:
            writer.write_eof()  # done sending: the sender sees the end while the connection idles
            first_connection.append(await read_request(reader))  # none should come

    sender = HttpSender()
    async with tcp(handler) as url:
        first = await sender.post(url, QUERY, b"{}", 2)
        for _ in range(3):
            await asyncio.sleep(0)  # the sender's loop reads the end of the idle connection
        second = await sender.post(url, QUERY, b"{}", 2)
    await sender.close()
    assert [(a.status, a.text, a.error) for a in (first, second)] == [(200, OK.decode(), "")] * 2
    assert (len(connections), first_connection) == (2, [])


async def test_a_kept_connection_reset_when_the_request_came_is_sent_again() -> None:
    connections: list[int] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        await read_request(reader)
        answer_ok(writer)
        await writer.drain()
        if len(connections) == 1:
            await read_request(reader)
            reset(writer)

    answers = await deliveries(handler, 2, QUERY, 2)
    assert answers == [(200, OK.decode(), "")] * 2
    assert len(connections) == 2


async def test_connection_close_is_honoured() -> None:
    connections: list[int] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 15\r\n\r\n" + OK)
        await writer.drain()
        await read_request(reader)  # the sender closes it: no second request comes

    answers = await deliveries(handler, 2, QUERY, 2)
    assert answers == [(200, OK.decode(), "")] * 2
    assert len(connections) == 2


async def test_a_new_connection_closed_or_reset_without_an_answer_fails() -> None:
    """Not sent again at once: a failed try (the dispatcher retries it later)."""
    connections: list[int] = []

    async def closes(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        await read_request(reader)

    async def resets(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        await read_request(reader)
        reset(writer)

    sender = HttpSender()
    async with tcp(closes) as url:
        closed = await sender.post(url, QUERY, b"{}", 2)
    async with tcp(resets) as url:
        was_reset = await sender.post(url, QUERY, b"{}", 2)
    await sender.close()
    assert (closed.status, closed.error) == (
        0,
        "BadAnswer: the receiver closed the connection without answering",
    )
    assert was_reset.status == 0
    assert was_reset.error.startswith("ConnectionResetError: ")
    assert len(connections) == 2
