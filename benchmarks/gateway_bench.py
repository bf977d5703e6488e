"""The user gateway under load, against a real ``relchain serve`` (SQLite, one process).

    python benchmarks/gateway_bench.py idle --connections 10000
    python benchmarks/gateway_bench.py rtt --users 16 --seconds 10
    python benchmarks/gateway_bench.py push --users 1000 --samples 300
    python benchmarks/gateway_bench.py all          # the three, default sizes

- ``idle``: logged-in WebSocket connections one server process holds (goal: 10,000 with the
  server's RSS under 500 MB); prints RSS before and after, and per connection.
- ``rtt``: follow_add + follow_delete round trips per second over the gateway (each user on its
  own logged-in socket) and over REST (keep-alive HTTP, the same concurrency).
- ``push``: the time from the commit of a follow_add (the REST answer) to the follower-list
  event on the followed user's socket, with ``--users`` users connected (goal p99 < 50 ms).

Results are printed as a table and written as JSON to ``benchmarks/results/gateway.json``.
Figures from a busy machine are rough; compare runs on the same machine.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import orjson
from websockets.asyncio.client import ClientConnection, connect

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from loadgen import RawConnection
from relchain.auth.usersig import generate_usersig

SDKAPPID = 1400077777
KEY = "b" * 64
ADMIN = "administrator"
RESULTS = Path(__file__).resolve().parent / "results" / "gateway.json"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children, in MB."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for one in pids:
        for line in Path(f"/proc/{one}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


class Server:
    """``relchain serve`` on a fresh SQLite file with the benchmark app (no rate limits)."""

    def __init__(self, tmp: Path) -> None:
        database = f"sqlite:///{tmp / 'bench.db'}"
        cli = [sys.executable, "-m", "relchain"]
        subprocess.run(
            [
                *cli,
                "app",
                "create",
                "--sdkappid",
                str(SDKAPPID),
                "--key",
                KEY,
                "--database",
                database,
            ],
            check=True,
            capture_output=True,
        )
        for name in ("rate_limit", "gateway_rate_limit"):
            subprocess.run(
                [*cli, "app", "set", str(SDKAPPID), name, "0", "--database", database],
                check=True,
                capture_output=True,
            )
        self.port = free_port()
        env = {
            **os.environ,
            "RELCHAIN_GATEWAY_IDLE_SECONDS": "3600",
            "RELCHAIN_LOG_LEVEL": "warning",
        }
        self.proc = subprocess.Popen(
            [*cli, "serve", "--port", str(self.port), "--database", database],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws = f"ws://127.0.0.1:{self.port}/binfo?sdkappid={SDKAPPID}&platform=7"
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{self.url}/healthz", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(15)


def query(user: str = ADMIN) -> dict[str, Any]:
    sig = generate_usersig(KEY, SDKAPPID, user, 86400, int(time.time()))
    return {
        "sdkappid": SDKAPPID,
        "identifier": user,
        "usersig": sig,
        "random": 1,
        "contenttype": "json",
    }


async def rest(
    http: httpx.AsyncClient, path: str, body: dict[str, Any], params: dict[str, Any]
) -> dict[str, Any]:
    response = await http.post(f"/v4/{path}", params=params, content=orjson.dumps(body))
    data: dict[str, Any] = response.json()
    assert data["ErrorCode"] == 0, data
    return data


async def import_users(server: Server, users: list[str]) -> None:
    params = query()
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
        for start in range(0, len(users), 100):
            await rest(
                http,
                "im_open_login_svc/multiaccount_import",
                {"Accounts": users[start : start + 100]},
                params,
            )


class Socket:
    """One logged-in gateway socket; replies matched by seq, pushes to a callback."""

    def __init__(self, ws: ClientConnection, user: str) -> None:
        self.ws = ws
        self.user = user
        self.a2 = ""
        self.seq = itertools.count(1)
        self.waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.on_push: Any = None
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        with contextlib.suppress(Exception):
            async for message in self.ws:
                frame = orjson.loads(message)
                future = self.waiting.pop(frame["head"].get("seq"), None)
                if future is not None:
                    future.set_result(frame["body"])
                elif self.on_push is not None:
                    self.on_push(frame)

    async def request(self, servcmd: str, body: dict[str, Any], **head: Any) -> dict[str, Any]:
        seq = next(self.seq)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.waiting[seq] = future
        frame_head = {"servcmd": servcmd, "seq": seq, "sdkappid": str(SDKAPPID), **head}
        if self.a2:
            frame_head["a2"] = self.a2
        await self.ws.send(orjson.dumps({"head": frame_head, "body": body}))
        return await future

    async def login(self) -> None:
        sig = generate_usersig(KEY, SDKAPPID, self.user, 86400, int(time.time()))
        answer = await self.request("im_open_status.wslogin", {}, identifier=self.user, usersig=sig)
        assert answer["ErrorCode"] == 0, answer
        self.a2 = answer["A2Key"]


async def open_sockets(server: Server, users: list[str], parallel: int = 200) -> list[Socket]:
    sockets: list[Socket] = []
    gate = asyncio.Semaphore(parallel)

    async def one(user: str) -> None:
        async with gate:
            ws = await connect(server.ws, max_size=None, open_timeout=60, ping_interval=None)
            sock = Socket(ws, user)
            await sock.login()
            sockets.append(sock)

    await asyncio.gather(*(one(u) for u in users))
    return sockets


async def close_sockets(sockets: list[Socket]) -> None:
    async def one(sock: Socket) -> None:
        with contextlib.suppress(Exception):
            await sock.ws.close()
        sock.reader.cancel()

    for start in range(0, len(sockets), 500):
        await asyncio.gather(*(one(s) for s in sockets[start : start + 500]))


@contextlib.asynccontextmanager
async def running(users: int) -> AsyncIterator[tuple[Server, list[str]]]:
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp))
        try:
            names = [f"u{i:06d}" for i in range(users)]
            await import_users(server, names)
            yield server, names
        finally:
            server.stop()


async def bench_idle(connections: int) -> dict[str, Any]:
    async with running(connections) as (server, users):
        before = rss_mb(server.proc.pid)
        started = time.perf_counter()
        sockets = await open_sockets(server, users)
        opened = time.perf_counter() - started
        await asyncio.sleep(3)
        after = rss_mb(server.proc.pid)
        # still alive: a heartbeat on a sample of them
        for sock in sockets[:: max(1, len(sockets) // 50)]:
            assert (await sock.request("heartbeat.alive", {}))["ErrorCode"] == 0
        await close_sockets(sockets)
    per_conn_kb = (after - before) * 1024 / max(1, connections)
    return {
        "connections": connections,
        "rss_before_mb": round(before, 1),
        "rss_after_mb": round(after, 1),
        "kb_per_connection": round(per_conn_kb, 1),
        "logins_per_s": round(connections / opened, 1),
        "goal": "10,000 connections with RSS < 500 MB",
        "met": connections >= 10_000 and after < 500,
    }


async def bench_rtt(users: int, seconds: float) -> dict[str, Any]:
    async with running(users * 2) as (server, names):
        actors, targets = names[:users], names[users:]
        sockets = await open_sockets(server, actors)

        async def gateway_loop(sock: Socket, target: str, stop: float) -> int:
            done = 0
            while time.perf_counter() < stop:
                a = await sock.request(
                    "follow.follow_add", {"FollowItem": [{"To_Account": target}]}
                )
                d = await sock.request("follow.follow_delete", {"To_Account": [target]})
                assert a["ErrorCode"] == 0 and d["ErrorCode"] == 0, (a, d)
                done += 2
            return done

        qs = urlencode(query())

        async def rest_loop(user: str, target: str, stop: float) -> int:
            # loadgen's raw keep-alive client: one write per request, as browsers and tuned
            # clients do (httpx writes head and body apart and meets delayed ACKs)
            conn = RawConnection("127.0.0.1", server.port)
            add = orjson.dumps({"From_Account": user, "FollowItem": [{"To_Account": target}]})
            delete = orjson.dumps({"From_Account": user, "To_Account": [target]})
            done = 0
            while time.perf_counter() < stop:
                for path, body in (("follow_add", add), ("follow_delete", delete)):
                    raw = await conn.request("POST", f"/v4/follow/{path}?{qs}", body)
                    answer = orjson.loads(raw)
                    assert answer["ErrorCode"] == 0, answer
                done += 2
            await conn.close()
            return done

        stop = time.perf_counter() + seconds
        gateway = sum(
            await asyncio.gather(
                *(gateway_loop(s, t, stop) for s, t in zip(sockets, targets, strict=True))
            )
        )
        await close_sockets(sockets)
        stop = time.perf_counter() + seconds
        over_rest = sum(
            await asyncio.gather(
                *(rest_loop(u, t, stop) for u, t in zip(actors, targets, strict=True))
            )
        )
    return {
        "concurrency": users,
        "seconds": seconds,
        "gateway_calls_per_s": round(gateway / seconds, 1),
        "rest_calls_per_s": round(over_rest / seconds, 1),
    }


async def bench_push(users: int, samples: int) -> dict[str, Any]:
    async with running(users + 1) as (server, names):
        actor, watched = names[-1], names[:-1]
        sockets = await open_sockets(server, watched)
        arrived: dict[str, float] = {}
        for sock in sockets:

            def on_push(frame: dict[str, Any], user: str = sock.user) -> None:
                if "FollowChangeList" in orjson.dumps(frame).decode():
                    arrived.setdefault(user, time.perf_counter())

            sock.on_push = on_push
        latencies: list[float] = []
        from_sent: list[float] = []
        params = query()
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
            for i in range(samples):
                target = watched[i % len(watched)]
                arrived.pop(target, None)
                body = {"From_Account": actor, "FollowItem": [{"To_Account": target}]}
                sent = time.perf_counter()  # before the request: the COMMIT is after this
                await rest(http, "follow/follow_add", body, params)
                committed = time.perf_counter()  # the answer comes after the COMMIT
                deadline = committed + 2
                while target not in arrived and time.perf_counter() < deadline:  # noqa: ASYNC110
                    await asyncio.sleep(0.0005)  # polling keeps the push path untouched
                if target in arrived:
                    latencies.append(max(0.0, arrived[target] - committed) * 1000)
                    from_sent.append((arrived[target] - sent) * 1000)
                await rest(
                    http,
                    "follow/follow_delete",
                    {"From_Account": actor, "To_Account": [target]},
                    params,
                )
        await close_sockets(sockets)
    latencies.sort()
    from_sent.sort()

    def pct(p: float, values: list[float] = latencies) -> float | None:
        if not values:
            return None
        return round(values[min(len(values) - 1, int(p * len(values)))], 2)

    return {
        "connected_users": users,
        "samples": samples,
        "received": len(latencies),
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "mean_ms": round(statistics.fmean(latencies), 2) if latencies else None,
        # an upper bound: from before the REST request (the COMMIT is inside it) to the push
        "from_request_p50_ms": pct(0.50, from_sent),
        "from_request_p99_ms": pct(0.99, from_sent),
        "goal": "p99 < 50 ms",
        "met": bool(latencies) and len(latencies) == samples and (pct(0.99) or 1e9) < 50,
    }


def show(name: str, result: dict[str, Any]) -> None:
    print(f"\n{name}")
    for key, value in result.items():
        print(f"  {key:<24} {value}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["idle", "rtt", "push", "all"])
    parser.add_argument("--connections", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=0)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args()
    results: dict[str, Any] = {}
    if args.what in ("idle", "all"):
        results["idle"] = await bench_idle(args.connections)
        show("idle connections, one server process", results["idle"])
    if args.what in ("rtt", "all"):
        results["rtt"] = await bench_rtt(args.users or 16, args.seconds)
        show("follow_add + follow_delete round trips", results["rtt"])
    if args.what in ("push", "all"):
        results["push"] = await bench_push(args.users or 1000, args.samples)
        show("push latency, commit -> event", results["push"])
    RESULTS.parent.mkdir(exist_ok=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    RESULTS.write_text(json.dumps({**previous, **results}, indent=2) + "\n")
    print(f"\nwritten to {RESULTS}")


if __name__ == "__main__":
    asyncio.run(main())
