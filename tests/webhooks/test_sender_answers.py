"""What the sender makes of a receiver's answer, read by httptools (llhttp) from raw TCP:
chunked (with extensions and trailers), split into many reads, 1xx first, statuses other than
200 (a redirect is not followed), a 200 that is not a JSON object, too long, and too slow."""

from __future__ import annotations

import asyncio
import socket

from relchain.webhooks import HttpSender, answer_problem
from tests.webhooks.rawtcp import OK, answer_ok, deliveries, read_request, tcp

CHUNKED = (
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
    b'5;name=value\r\n{"Err\r\na\r\norCode":0}\r\n0\r\nX-Trailer: 1\r\n\r\n'
)


async def test_a_chunked_answer_with_extensions_and_trailers_keeps_its_connection() -> None:
    connections: list[int] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        while True:
            await read_request(reader)
            writer.write(CHUNKED)
            await writer.drain()

    answers = await deliveries(handler, 3, [], 2)
    assert answers == [(200, OK.decode(), "")] * 3
    assert len(connections) == 1  # each answer was read to its end, no byte left over


async def test_an_answer_split_into_many_reads() -> None:
    """Byte by byte, so every boundary (status line, header, chunk size, CRLF) is split."""
    connections: list[int] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while True:
            await read_request(reader)
            for i in range(len(CHUNKED)):
                writer.write(CHUNKED[i : i + 1])
                await writer.drain()
                await asyncio.sleep(0)  # the sender's loop reads what came

    answers = await deliveries(handler, 2, [], 10)
    assert answers == [(200, OK.decode(), "")] * 2
    assert len(connections) == 1


async def test_an_informational_answer_then_the_answer() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        answer_ok(writer)
        await writer.drain()

    sender = HttpSender()
    async with tcp(handler) as url:
        got = await sender.post(url, [], b"{}", 2)
    await sender.close()
    assert (got.status, got.text, got.error) == (200, OK.decode(), "")


async def test_a_status_other_than_200_fails_and_a_redirect_is_not_followed() -> None:
    requests: list[bytes] = []
    answers = iter(
        [
            b"HTTP/1.1 503 Busy\r\nContent-Length: 15\r\n\r\n" + OK,
            b"HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n",
            b"HTTP/1.1 204 No Content\r\n\r\n",
        ]
    )

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            requests.append(await read_request(reader))
            writer.write(next(answers))
            await writer.drain()

    sender = HttpSender()
    async with tcp(handler) as url:
        got = [await sender.post(url, [("EventId", "1")], b"{}", 2) for _ in range(3)]
    await sender.close()
    assert [(a.status, a.text, a.error) for a in got] == [
        (503, OK.decode(), ""),
        (302, "", ""),
        (204, "", ""),
    ]
    assert [answer_problem(a) for a in got] == ["HTTP 503", "HTTP 302", "HTTP 204"]
    assert len(requests) == 3
    assert all(
        r.startswith(b"POST /cb?app=1&EventId=1 HTTP/1.1\r\n") for r in requests
    )  # not /elsewhere


async def test_a_200_that_is_not_a_json_object_fails() -> None:
    bodies = iter([b"OK", b"[]", b"", b'{"ActionStatus":"FAIL","ErrorCode":1}'])

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            await read_request(reader)
            body = next(bodies)
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
            await writer.drain()

    sender = HttpSender()
    async with tcp(handler) as url:
        got = [await sender.post(url, [], b"{}", 2) for _ in range(4)]
    await sender.close()
    assert [a.status for a in got] == [200] * 4
    assert [answer_problem(a) for a in got] == [
        "answer is not JSON",
        "answer is not a JSON object",
        "answer is not JSON",
        None,  # any JSON object is delivered (its ErrorCode is ignored, as at Tencent)
    ]


async def test_an_answer_too_long_fails() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        size = (1 << 20) + 1
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % size + b" " * size)
        await writer.drain()

    sender = HttpSender()
    async with tcp(handler) as url:
        got = await sender.post(url, [], b"{}", 10)
    await sender.close()
    assert (got.status, got.error) == (0, "BadAnswer: the answer is too long")


async def test_a_slow_answer_times_out_and_its_connection_is_not_reused() -> None:
    """The head and half the body come, then nothing: a timeout; the next delivery gets a
    new connection (the old one is mid-answer)."""
    connections: list[int] = []
    release = asyncio.Event()

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        await read_request(reader)
        if len(connections) == 1:
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n" + OK[:7])
            await writer.drain()
            await release.wait()
            return
        answer_ok(writer)
        await writer.drain()

    sender = HttpSender()
    async with tcp(handler) as url:
        slow = await sender.post(url, [], b"{}", 0.2)
        then = await sender.post(url, [], b"{}", 2)
        release.set()
    await sender.close()
    assert (slow.status, slow.error) == (0, "no answer within 200 ms")
    assert answer_problem(slow) == "no answer within 200 ms"
    assert (then.status, then.text, then.error) == (200, OK.decode(), "")
    assert len(connections) == 2


async def test_a_head_too_long_fails() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nX-Padding: " + b"a" * (64 * 1024))
        await writer.drain()
        await asyncio.sleep(5)  # the rest never comes: the sender stops reading on its own

    sender = HttpSender()
    async with tcp(handler) as url:
        got = await sender.post(url, [], b"{}", 3)
    await sender.close()
    assert (got.status, got.error) == (0, "BadAnswer: the answer's head is too long")


async def test_bytes_after_the_answer_end_its_connection() -> None:
    """Nothing was asked for them: the next delivery gets a new connection (they are not read
    as its answer)."""
    connections: list[int] = []
    extras = iter([b"HTTP/1.1 500 Not yours\r\nContent-Length: 0\r\n\r\n", b"garbage"])

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        while True:
            await read_request(reader)
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n" + OK + next(extras, b""))
            await writer.drain()

    answers = await deliveries(handler, 3, [], 2)
    assert answers == [(200, OK.decode(), "")] * 3
    assert len(connections) == 3


async def test_a_url_that_cannot_be_written_in_a_request_line_fails() -> None:
    sender = HttpSender()
    got = await sender.post("http://127.0.0.1:9/a b", [], b"{}", 2)
    await sender.close()
    assert (got.status, got.error) == (0, "ValueError: the URL's path cannot be sent: '/a b?'")
