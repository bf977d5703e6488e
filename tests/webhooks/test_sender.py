"""The webhook sender against raw TCP receivers: the request's exact bytes, keep-alive reuse
(and a connection the receiver closed meanwhile), chunked and close-delimited answers, garbage,
a cut answer, a hang, a refusal. (More answers: test_sender_answers.py; connections:
test_sender_connections.py.)"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from relchain.webhooks import HttpSender
from tests.processes import free_port
from tests.webhooks.rawtcp import OK, answer_ok, read_request, tcp


async def test_the_request_bytes_are_exactly_these() -> None:
    """Method, path with the URL's query then relchain's, the headers in order, the body."""
    requests: list[bytes] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        requests.append(await read_request(reader))
        answer_ok(writer)
        await writer.drain()

    sender = HttpSender()
    async with tcp(handler) as url:
        query = [
            ("CallbackCommand", "Sns.CallbackFriendAdd"),
            ("ClientIP", "::1"),
            ("EventId", "7"),
        ]
        got = await sender.post(url, query, b'{"A":"\xc3\xa9"}', 2)
    await sender.close()
    assert (got.status, got.error) == (200, "")
    port = urlsplit(url).port
    assert requests == [
        b"POST /cb?app=1&CallbackCommand=Sns.CallbackFriendAdd&ClientIP=%3A%3A1&EventId=7"
        b" HTTP/1.1\r\nHost: 127.0.0.1:" + str(port).encode() + b"\r\n"
        b"Content-Type: application/json\r\nUser-Agent: relchain-webhooks\r\n"
        b'Content-Length: 10\r\n\r\n{"A":"\xc3\xa9"}'
    ]


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


async def test_garbage_a_cut_answer_a_hang_and_a_refusal_are_errors() -> None:
    """A cut answer (a Content-Length body, a chunked body, a head) is a failure, not the
    bytes that came: only an answer with neither Content-Length nor chunked ends with the
    connection."""

    async def garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"SSH-2.0-OpenSSH\r\n")  # not even a whole head
        await writer.drain()

    async def cut(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(next(cut_answers))  # then the connection is closed
        await writer.drain()

    async def hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        await asyncio.sleep(5)

    async def bad_head(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"SSH-2.0-OpenSSH\r\n\r\n")  # a whole head, and the connection stays open
        await writer.drain()
        await asyncio.sleep(5)

    cut_answers = iter(
        [
            b"HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n" + OK[:7],
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nf\r\n" + OK + b"\r\n",
            b"HTTP/1.1 200 OK\r\nContent-Le",
        ]
    )
    sender = HttpSender()
    async with tcp(bad_head) as url:
        got = await sender.post(url, [], b"{}", 3)  # at once, not after the timeout
        assert got.error == "BadAnswer: not an HTTP/1.1 answer (Expected HTTP/, RTSP/ or ICE/)"
    async with tcp(garbage) as url:
        got = await sender.post(url, [], b"{}", 2)
        assert got.error == "BadAnswer: not an HTTP/1.1 answer (Expected HTTP/, RTSP/ or ICE/)"
    async with tcp(cut) as url:
        cuts = [await sender.post(url, [], b"{}", 2) for _ in range(3)]
        assert [(a.status, a.error) for a in cuts] == [
            (0, "BadAnswer: the receiver closed the connection before the answer's end")
        ] * 3
    async with tcp(hang) as url:
        got = await sender.post(url, [], b"{}", 0.2)
        assert got.error == "no answer within 200 ms"
    got = await sender.post(f"http://127.0.0.1:{free_port()}/", [], b"{}", 2)
    assert got.error.startswith("ConnectionRefusedError") and got.status == 0
    await sender.close()
