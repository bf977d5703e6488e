"""The webhook sender against raw TCP receivers: keep-alive reuse (and a connection the
receiver closed meanwhile), chunked and close-delimited answers, garbage, a hang, a refusal."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from relchain.webhooks import HttpSender
from tests.processes import free_port

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
OK = b'{"ErrorCode":0}'


@asynccontextmanager
async def tcp(handler: Handler) -> AsyncIterator[str]:
    port = free_port()
    writers: list[asyncio.StreamWriter] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.append(writer)
        try:
            await handler(reader, writer)
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
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length")
    )
    await reader.readexactly(length)
    return head


async def test_keep_alive_is_reused_and_a_closed_one_replaced() -> None:
    connections: list[int] = []
    heads: list[bytes] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        for _ in range(2):  # two answers, then the receiver closes the connection
            heads.append(await read_request(reader))
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n" + OK)
            await writer.drain()
        writer.close()

    sender = HttpSender()
    async with tcp(handler) as url:
        answers = [await sender.post(url, [("a", "1 2")], b"{}", 2) for _ in range(3)]
    await sender.close()
    assert [(a.status, a.text, a.error) for a in answers] == [(200, OK.decode(), "")] * 3
    assert len(connections) == 2  # two on the first, the third on a new one
    assert heads[0].startswith(b"POST /cb?app=1&a=1+2 HTTP/1.1\r\n")
    assert b"\r\nContent-Type: application/json\r\n" in heads[0]


async def test_chunked_and_close_delimited_answers() -> None:
    async def chunked(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            b'5\r\n{"Err\r\na\r\norCode":0}\r\n0\r\n\r\n'
        )
        await writer.drain()

    async def close_delimited(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.0 500 Oops\r\n\r\nbroken")
        writer.close()

    sender = HttpSender()
    async with tcp(chunked) as url:
        got = await sender.post(url, [], b"{}", 2)
        assert (got.status, got.text) == (200, '{"ErrorCode":0}')
    async with tcp(close_delimited) as url:
        got = await sender.post(url, [], b"{}", 2)
        assert (got.status, got.text) == (500, "broken")
    await sender.close()


async def test_garbage_a_hang_and_a_refusal_are_errors() -> None:
    async def garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"SSH-2.0-OpenSSH\r\n")
        await writer.drain()

    async def hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        await asyncio.sleep(5)

    sender = HttpSender()
    async with tcp(garbage) as url:
        got = await sender.post(url, [], b"{}", 2)
        assert got.error.startswith("BadAnswer: not an HTTP/1.1 status line")
    async with tcp(hang) as url:
        got = await sender.post(url, [], b"{}", 0.2)
        assert got.error == "no answer within 200 ms"
    got = await sender.post(f"http://127.0.0.1:{free_port()}/", [], b"{}", 2)
    assert got.error.startswith("ConnectionRefusedError") and got.status == 0
    await sender.close()
