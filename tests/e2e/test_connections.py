"""Connections that never send a request, or send part of one, cannot take a real
``relchain serve`` down (issue 13, defect 1), and a client sending an oversized body reads its
answer (defect 7). Real sockets against a real process."""

from __future__ import annotations

import asyncio
import resource
import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import orjson
import pytest

from relchain.auth.usersig import generate_usersig
from tests.processes import ServeProcess, relchain

pytestmark = pytest.mark.e2e

SDKAPPID = 1400000777
KEY = "k" * 32
PARTIAL_HEAD = b"POST /v4/im_open_login_svc/account_check HTTP/1.1\r\nHost: x\r\n"


def limited_files(soft: int, hard: int):  # type: ignore[no-untyped-def]
    """A ``preexec_fn`` giving the server process an open-file limit of ``soft``/``hard``."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))

    return apply


def start(tmp_path: Path, *flags: str, files: tuple[int, int] | None = None) -> ServeProcess:
    database = f"sqlite:///{tmp_path / 'conn.db'}"
    relchain("app", "create", "--sdkappid", str(SDKAPPID), "--key", KEY, "--database", database)
    preexec = limited_files(*files) if files else None
    return ServeProcess(database, *flags, preexec_fn=preexec).wait_ready()


def api_url(server: ServeProcess) -> str:
    sig = generate_usersig(KEY, SDKAPPID, "administrator", 3600, int(time.time()))
    return (
        f"{server.url}/v4/im_open_login_svc/account_check?sdkappid={SDKAPPID}"
        f"&identifier=administrator&usersig={sig}&random=1&contenttype=json"
    )


def hold(stack: ExitStack, port: int, count: int, first_bytes: bytes = b"") -> list[socket.socket]:
    """``count`` open connections, each having sent ``first_bytes`` (nothing: idle)."""
    held = []
    for _ in range(count):
        sock = stack.enter_context(socket.create_connection(("127.0.0.1", port), timeout=5))
        if first_bytes:
            sock.sendall(first_bytes)
        held.append(sock)
    return held


def answers_within(server: ServeProcess, seconds: float) -> tuple[float, float]:
    """``/healthz`` and an API call on new connections; how long each took."""
    started = time.monotonic()
    assert httpx.get(f"{server.url}/healthz", timeout=seconds).json()["ErrorCode"] == 0
    health = time.monotonic() - started
    started = time.monotonic()
    body = orjson.dumps({"CheckItem": [{"UserID": "nobody"}]})
    data = httpx.post(api_url(server), content=body, timeout=seconds).json()
    assert data["ErrorCode"] == 0 and data["ResultItem"][0]["AccountStatus"] == "NotImported"
    return health, time.monotonic() - started


def closed_by_server(sock: socket.socket) -> bool:
    sock.settimeout(0.01)
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


@pytest.fixture
def server_with_256_files(tmp_path: Path) -> Iterator[ServeProcess]:
    """A server whose open-file limit is 256 and cannot be raised (hard limit 256 too)."""
    server = start(tmp_path, "--header-timeout", "60", files=(256, 256))
    yield server
    server.stop()


def test_more_idle_and_partial_connections_than_the_file_limit_leave_the_api_answering(
    server_with_256_files: ServeProcess,
) -> None:
    """400 idle and 100 half-sent connections against 256 file descriptors: the longest-waiting
    ones are closed to make room, and /healthz and the API answer at once."""
    server = server_with_256_files
    with ExitStack() as stack:
        idle = hold(stack, server.port, 400)
        partial = hold(stack, server.port, 100, PARTIAL_HEAD)
        time.sleep(0.5)
        timings = [answers_within(server, 5) for _ in range(3)]
        print(f"healthz/API on a full server: {timings}")  # figures for the report (pytest -s)
        gone = sum(closed_by_server(s) for s in idle + partial)
        assert gone >= 500 - 192  # the server kept at most 256 - 64 connections
    assert max(t for pair in timings for t in pair) < 5


def test_connections_that_send_no_complete_head_are_closed_after_header_timeout(
    tmp_path: Path,
) -> None:
    server = start(tmp_path, "--header-timeout", "1")
    try:
        with ExitStack() as stack:
            idle = hold(stack, server.port, 30)
            partial = hold(stack, server.port, 30, PARTIAL_HEAD)
            trickle = hold(stack, server.port, 1, b"G")[0]
            for byte in b"ET /healthz HTTP/1.1\r\n":  # one byte every 0.1 s: never done in time
                time.sleep(0.1)
                try:
                    trickle.send(bytes([byte]))
                except OSError:
                    break
            time.sleep(1.0)
            assert all(closed_by_server(s) for s in [*idle, *partial, trickle])
            answers_within(server, 5)
    finally:
        server.stop()


def test_the_soft_file_limit_is_raised_to_the_hard_limit_at_start(tmp_path: Path) -> None:
    server = start(tmp_path, files=(256, 4096))
    try:
        limits = Path(f"/proc/{server.proc.pid}/limits").read_text()
        line = next(ln for ln in limits.splitlines() if ln.startswith("Max open files"))
        assert line.split()[3:5] == ["4096", "4096"], line
    finally:
        output = server.stop()
    assert "open-file limit 4096, at most 3687 connections per process" in output


def post_oversized(port: int, url_path: str, total: int) -> bytes:
    """Send a ``total``-byte body as a client that writes it all before reading (urllib's way,
    with ``Connection: close``), pausing after the first 64 KiB so the server answers first."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        head = (
            f"POST {url_path} HTTP/1.1\r\nHost: x\r\nContent-Length: {total}\r\n"
            "Connection: close\r\n\r\n"
        ).encode()
        sock.sendall(head + b"x" * 65536)
        time.sleep(0.3)  # the server has answered 60003 by now
        sock.sendall(b"x" * (total - 65536))
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def test_a_client_sending_an_oversized_body_reads_its_60003_answer(tmp_path: Path) -> None:
    server = start(tmp_path)
    try:
        path = api_url(server).removeprefix(server.url)
        for _ in range(5):
            answer = post_oversized(server.port, path, 3 * 1024 * 1024)
            head, _, body = answer.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200"), head
            assert orjson.loads(body)["ErrorCode"] == 60003
        answers_within(server, 5)
    finally:
        server.stop()


async def test_gateway_websockets_outlive_the_http_timeouts_and_are_counted(
    tmp_path: Path,
) -> None:
    """A WebSocket is no longer timed as an HTTP request: with 1 s head and body timeouts it
    still answers after 2.5 s (the gateway's own idle timeout governs it)."""
    from websockets.asyncio.client import connect

    server = start(tmp_path, "--header-timeout", "1", "--body-timeout", "1")
    try:
        async with connect(f"ws://127.0.0.1:{server.port}/info") as socket_:
            await asyncio.sleep(2.5)
            await socket_.send("{}")  # not a frame: answered with an error, the socket stays
            reply = orjson.loads(await asyncio.wait_for(socket_.recv(), 5))
            assert reply["body"]["ErrorCode"] != 0
            async with httpx.AsyncClient(timeout=5) as http:
                text = (await http.get(f"{server.url}/metrics")).text
            assert 'relchain_connections{protocol="websocket"} 1.0' in text
            await asyncio.to_thread(answers_within, server, 5)
    finally:
        server.stop()


def test_a_request_the_http_parser_refuses_gets_the_envelope(tmp_path: Path) -> None:
    """A raw non-ASCII byte in the URL (found by scripts/fuzz.py) was answered by uvicorn's
    plain-text "Invalid HTTP request received."; now HTTP 400 with the envelope, 60002."""
    server = start(tmp_path)
    try:
        for target in [b"/v4/sns/friend_add?x=\xff\xfe", b"/v4/a b"]:
            with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
                sock.sendall(
                    b"POST " + target + b" HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"
                )
                answer = b""
                while chunk := sock.recv(65536):
                    answer += chunk
            head, _, body = answer.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 400 "), answer
            assert b"content-type: application/json" in head.lower(), answer
            data = orjson.loads(body)
            assert data["ErrorCode"] == 60002 and data["ActionStatus"] == "FAIL", data
            assert data["ErrorInfo"].startswith("request: "), data
            assert set(data) == {"ActionStatus", "ErrorCode", "ErrorInfo", "ErrorDisplay"}
    finally:
        server.stop()


def test_1100_idle_connections_against_the_usual_1024_file_limit(tmp_path: Path) -> None:
    """The outside test's case (issue 13, defect 1): 1,100 connections that never send a
    request, and 100 half-sent ones, against a server whose open-file limit is 1,024 and cannot
    be raised; /healthz and the API keep answering."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1400:  # this test process holds the 1,200 client sockets
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(4096, hard), hard))
    server = start(tmp_path, "--header-timeout", "60", files=(1024, 1024))
    try:
        with ExitStack() as stack:
            held = hold(stack, server.port, 1100) + hold(stack, server.port, 100, PARTIAL_HEAD)
            time.sleep(0.5)
            timings = [answers_within(server, 5) for _ in range(3)]
            print(f"healthz/API with 1,200 held against 1,024 files: {timings}")
            gone = sum(closed_by_server(s) for s in held)
            assert gone >= 1200 - (1024 - 102)  # at most the limit less 10% kept open
        assert max(t for pair in timings for t in pair) < 5
    finally:
        server.stop()


def test_head_and_pipelined_requests_are_answered_whole_and_in_order(tmp_path: Path) -> None:
    """Heads are held until their body is written (one send per answer): a HEAD answer (no
    body) still goes out, and pipelined requests are answered in order."""
    server = start(tmp_path)
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(
                b"HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            )
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
    finally:
        server.stop()
    heads = data.split(b"HTTP/1.1 ")[1:]
    assert [h.split(b"\r\n", 1)[0] for h in heads] == [b"200 OK"] * 3
    assert heads[0].endswith(b"\r\n\r\n")  # no body after the HEAD answer's head
    assert all(h.endswith(b"}") for h in heads[1:])  # whole, with their bodies
