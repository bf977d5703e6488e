"""Each connection's pushes wait in a bounded queue: a client that does not read is dropped
(1008) and never holds back the pushes of the others, which arrive complete and in order."""

from __future__ import annotations

import asyncio
import base64
import os
import socket

import orjson

from relchain.auth.usersig import generate_usersig
from relchain.domain.apps import App
from relchain.http.gateway import _pushes as pushes
from relchain.http.gateway._connection import PUSH_QUEUE_FRAMES
from tests.gateway.support import SdkSocket, Served
from tests.support import FrozenClock, RestClient

BIG = "x" * 40_000  # a push this large fills the socket buffers after a few hundred


async def stalled_socket(port: int, app: App, clock: FrozenClock) -> socket.socket:
    """A WebSocket logged in as alice that then never reads (a raw TCP socket with a small
    receive buffer, so the server's writes stall after a few frames)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)  # before connect: no autotuning
    sock.setblocking(False)
    loop = asyncio.get_running_loop()
    await loop.sock_connect(sock, ("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET /info?sdkappid={app.sdkappid}&platform=7 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n"
    )
    await loop.sock_sendall(sock, request.encode())
    seen = b""
    while b"\r\n\r\n" not in seen:  # the 101 answer, then the login frame
        seen += await asyncio.wait_for(loop.sock_recv(sock, 65536), 5)
    usersig = generate_usersig(app.key, app.sdkappid, "alice", 86400, int(clock.now()))
    login = {
        "head": {
            "servcmd": "im_open_status.wslogin",
            "seq": 1,
            "sdkappid": str(app.sdkappid),
            "identifier": "alice",
            "usersig": usersig,
        },
        "body": {},
    }
    payload = orjson.dumps(login)
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    header = bytes([0x81, 0x80 | 126]) + len(payload).to_bytes(2, "big") + mask
    await loop.sock_sendall(sock, header + masked)
    while b"A2Key" not in seen:  # the login's reply
        seen += await asyncio.wait_for(loop.sock_recv(sock, 65536), 5)
    return sock


async def test_a_slow_client_is_dropped_and_the_others_get_every_push(
    served: Served, app: App, clock: FrozenClock, rest: RestClient
) -> None:
    await rest.import_accounts("alice", "bob")
    gateway = served.app.gateway
    slow = await stalled_socket(served.port, app, clock)
    async with SdkSocket.open(served, app, clock) as fast:
        assert (await fast.login("bob"))["ErrorCode"] == 0
        total = PUSH_QUEUE_FRAMES * 4
        received: list[int] = []

        async def read_fast() -> None:
            while len(received) < total:
                frame = await fast.receive(wait=30)
                received.append(frame["body"]["EventArray"][0]["ProfileDataMod"][0]["Seq"])

        reader = asyncio.create_task(read_fast())
        dropped_at = None
        for n in range(total):
            body = pushes.profile_changed("carol", {"Tag_Profile_IM_Nick": BIG})
            body["EventArray"][0]["ProfileDataMod"][0]["Seq"] = n
            taken = await gateway.push(app.sdkappid, "alice", body)
            if not taken and dropped_at is None:
                dropped_at = n
            assert await gateway.push(app.sdkappid, "bob", body) == 1
            (bob,) = gateway.connections_of(app.sdkappid, "bob")
            # bob reads as fast as the pushes come (no event tells a queue's length); alice never
            while bob.queued > 8:  # noqa: ASYNC110
                await asyncio.sleep(0.001)
        await asyncio.wait_for(reader, 60)
        assert received == list(range(total))
        assert dropped_at is not None and dropped_at >= PUSH_QUEUE_FRAMES
        tail = b""  # alice reads at last: what was written, then the close (1008, the reason)
        loop = asyncio.get_running_loop()
        while b"too slow" not in tail:
            chunk = await asyncio.wait_for(loop.sock_recv(slow, 1 << 20), 10)
            assert chunk, "closed without the close frame"
            tail = tail[-100:] + chunk
        assert (1008).to_bytes(2, "big") + b"too slow" in tail
        slow.close()
        for _ in range(100):
            if (app.sdkappid, "alice") not in gateway.by_user:
                break
            await asyncio.sleep(0.05)
        assert (app.sdkappid, "alice") not in gateway.by_user
        assert "alice" not in gateway.online_users(app.sdkappid)
        assert list(gateway.online_users(app.sdkappid)) == ["bob"]
