"""Webhooks under load: follow_add(20) requests/s with webhooks off vs on, delivery lag from
commit to the receiver (p50/p99), and deliveries/s draining a backlog.

Three ``relchain serve`` processes of this tree, each on a fresh database (SQLite file, or a
fresh PostgreSQL database with ``--postgres URL``): ``off`` (no callback_url), ``on``
(callback_url = a local receiver, a separate process that answers 200 at once and records
each callback's arrival time and ``EventTime``), in alternating slices of the same follow_add
load as benchmarks/events_cost.py (every request follows 20 new accounts: one event, one
``Follow.CallbackAfterFollowAdd``). Then ``drain``: the same load while the receiver answers
503 (every delivery fails and backs off), then the receiver answers again and ``relchain
webhooks retry`` runs: deliveries/s is the backlog over the time from the retry command's
start to the last delivery (the command's own start-up included).

``--sender N``: only the sender, whose share of the server's CPU the figures above hide in
noise: this process's CPU per callback while 32 tasks POST N callbacks through one
``HttpSender`` (this tree's) on kept-alive connections to a minimal receiver process (it
answers uvicorn's bytes at once, so answers come in batches as under load).

    .venv/bin/python benchmarks/webhooks_bench.py [--postgres postgresql://postgres@127.0.0.1/test]
    .venv/bin/python benchmarks/webhooks_bench.py --sender 20000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).parent))
from events_cost import (  # type: ignore[import-not-found]
    SDKAPPID,
    THIS_SRC,
    Side,
    bodies,
    cli,
    free_port,
    fresh_postgres,
    seed,
    target,
)
from loadgen import RawConnection, Scenario, all_items_ok, merge, run  # type: ignore[import-not-found]

HERE = Path(__file__).resolve().parent
ADD = "Follow.CallbackAfterFollowAdd"


# ------------------------------------------------------------------------------ the receiver


def receiver_main(port: int, out: Path) -> None:
    """A receiver process: answers 200 and records (arrival ms, EventTime, EventId)."""
    import uvicorn

    seen: list[tuple[int, int, str]] = []
    answer = b'{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}'
    failing = [False]  # /fail: answer 503 (and record nothing) until /ok

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        status = 200
        if scope["path"] in ("/fail", "/ok"):
            failing[0] = scope["path"] == "/fail"
            payload = b"{}"
        elif scope["path"] == "/count" or not body:
            payload = orjson.dumps({"count": len(seen)})
        elif failing[0]:
            status, payload = 503, b"busy"
        else:
            query = dict(p.split("=", 1) for p in scope["query_string"].decode().split("&"))
            seen.append(
                (int(time.time() * 1000), orjson.loads(body)["EventTime"], query["EventId"])
            )
            payload = answer
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json")]})  # fmt: skip
        await send({"type": "http.response.body", "body": payload})

    def dump(*_: Any) -> None:
        out.write_text(json.dumps(seen))
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, dump)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


class Receiver:
    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.out = workdir / f"receiver_{self.port}.json"
        self.url = f"http://127.0.0.1:{self.port}/callback"
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--receiver", str(self.port), str(self.out)],
            env={**os.environ, "PYTHONPATH": str(THIS_SRC)},
        )
        for _ in range(100):
            try:
                self.count()
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise SystemExit("the receiver did not start")

    def control(self, what: str) -> None:
        httpx.get(f"http://127.0.0.1:{self.port}/{what}", timeout=5)

    def count(self) -> int:
        return int(httpx.get(f"http://127.0.0.1:{self.port}/count", timeout=5).json()["count"])

    def stop(self) -> list[tuple[int, int, str]]:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)
        return [tuple(x) for x in json.loads(self.out.read_text())]


# ------------------------------------------------------------------------------ the runs


async def sender_cpu(url: str, posts: int, tasks: int = 32) -> tuple[float, float]:
    """(CPU microseconds per callback, callbacks/s) of ``HttpSender`` alone (run with
    PYTHONPATH=THIS_SRC, so that it is this tree's)."""
    from relchain.webhooks import HttpSender

    sender = HttpSender()
    query = [("SdkAppid", str(SDKAPPID)), ("CallbackCommand", ADD), ("contenttype", "json"),
             ("ClientIP", "127.0.0.1"), ("OptPlatform", "RESTAPI"), ("EventId", "42")]  # fmt: skip
    body = orjson.dumps({"CallbackCommand": ADD, "From_Account": "user_1",
                         "FollowList": [{"To_Account": "user_2"}], "EventTime": 0})  # fmt: skip

    async def send(count: int) -> None:
        for _ in range(count):
            answer = await sender.post(url, query, body, 5)
            if answer.status != 200:
                raise SystemExit(f"the receiver answered {answer}")

    await asyncio.gather(*(send(20) for _ in range(tasks)))  # the connections are open
    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(send(posts // tasks) for _ in range(tasks)))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    await sender.close()
    done = posts // tasks * tasks
    return cpu * 1e6 / done, done / wall


RAW_ANSWER = (
    b"HTTP/1.1 200 OK\r\ndate: Sun, 29 Nov 2026 20:00:00 GMT\r\nserver: uvicorn\r\n"
    b"content-type: application/json\r\ncontent-length: 50\r\n\r\n"
    b'{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}'
)


def raw_receiver_main(port: int) -> None:
    """The ``--sender`` receiver: per request (its head, then ``Content-Length`` bytes) the
    same answer; nothing recorded."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = head.lower().split(b"content-length:")[1].split(b"\r\n")[0]
                await reader.readexactly(int(length))
                writer.write(RAW_ANSWER)
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async def serve() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", port)
        await server.serve_forever()

    asyncio.run(serve())


def sender_main(posts: int) -> None:
    port = free_port()
    receiver = subprocess.Popen([sys.executable, __file__, "--raw-receiver", str(port)])
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port)).close()
                break
            except OSError:
                time.sleep(0.1)
        env = {**os.environ, "PYTHONPATH": str(THIS_SRC)}  # this tree's sender
        command = [sys.executable, __file__, "--sender-run", str(posts), str(port)]
        subprocess.run(command, env=env, check=True)
    finally:
        receiver.terminate()
        receiver.wait(timeout=30)


def sender_run(posts: int, port: int) -> None:
    import relchain

    per_post, rate = asyncio.run(sender_cpu(f"http://127.0.0.1:{port}/callback", posts))
    print(f"sender of {Path(relchain.__file__).parent}: {per_post:.1f} us CPU per callback,"
          f" {rate:.0f} callbacks/s")  # fmt: skip


def wait_for(receiver: Receiver, count: int, within: float) -> float:
    """Seconds until the receiver has ``count`` callbacks (fails after ``within``)."""
    started = time.monotonic()
    while receiver.count() < count:
        if time.monotonic() - started > within:
            raise SystemExit(f"only {receiver.count()} of {count} callbacks within {within} s")
        time.sleep(0.05)
    return time.monotonic() - started


def cpu_seconds(side: Side) -> float:
    """CPU time (user + system) the server process has used so far (Linux /proc)."""
    assert side.proc is not None
    fields = Path(f"/proc/{side.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] if ordered else 0.0


async def load(sides: list[Side], args: argparse.Namespace) -> dict[str, Any]:
    for side in sides:
        await seed(side, args.users)
    work = bodies(args.users, args.requests, 7)
    path = target("follow/follow_add")
    results: dict[str, list[Any]] = {s.name: [] for s in sides}
    step = len(work) // args.slices
    for index in range(args.slices):
        part = work[index * step : (index + 1) * step]
        for side in sides if index % 2 == 0 else list(reversed(sides)):
            # connections per slice: an idle keep-alive connection is closed by the server
            conns = [RawConnection("127.0.0.1", side.port) for _ in range(args.concurrency)]
            scenario = Scenario("follow_add(20)", "POST", path, part, all_items_ok)
            results[side.name].append(await run(conns, scenario))
            for conn in conns:
                await conn.close()
    return {name: merge(f"follow_add(20) webhooks {name}", parts).row()
            for name, parts in results.items()}  # fmt: skip


def database(args: argparse.Namespace, workdir: Path, name: str) -> str:
    if args.postgres:
        return str(asyncio.run(fresh_postgres(args.postgres)))
    return f"sqlite:///{workdir / (name + '.db')}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL (else SQLite)")
    parser.add_argument("--users", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--slices", type=int, default=6)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="relchain-webhooks-bench-"))
    receiver = Receiver(workdir)
    off = Side("off", THIS_SRC, database(args, workdir, "off"))
    on = Side("on", THIS_SRC, database(args, workdir, "on"))
    drain = Side("drain", THIS_SRC, database(args, workdir, "drain"))
    try:
        for side in (off, on, drain):
            side.start()
        cli(THIS_SRC, "app", "set", str(SDKAPPID), "callback_url", receiver.url,
            "--database", on.database)  # fmt: skip
        cli(THIS_SRC, "app", "set", str(SDKAPPID), "callback_url", receiver.url,
            "--database", drain.database)  # fmt: skip
        time.sleep(1.5)  # the servers re-read the apps
        rows = asyncio.run(load([off, on], args))
        wait_for(receiver, args.requests, 120)
        # the backlog: the same load against the drain server while the receiver fails (503)
        receiver.control("fail")
        asyncio.run(load([drain], argparse.Namespace(**{**vars(args), "slices": 1})))
        before = receiver.count()
        cpu = cpu_seconds(drain)
        receiver.control("ok")
        time.sleep(1)  # tries in flight answered 503 meanwhile: recorded, then retried below
        retry_at = time.time() * 1000
        cli(THIS_SRC, "webhooks", "retry", "--database", drain.database)
        wait_for(receiver, before + args.requests, 300)
        drain_cpu = cpu_seconds(drain) - cpu
    finally:
        for side in (off, on, drain):
            side.stop()
        seen = receiver.stop()
    lags = [arrived - event_ms for arrived, event_ms, _ in seen[: args.requests]]
    # the drain: from the retry command's start to the 95th percentile of the deliveries
    # after it (the last few are tries that answered 503 just before, now in their backoff)
    arrivals = sorted(a for a, _, _ in seen[args.requests :] if a >= retry_at)
    arrivals = arrivals[: max(1, len(arrivals) * 95 // 100)]
    drained = max(arrivals[-1] - retry_at, 1) / 1000
    figures = {
        "off": rows["off"],
        "on": rows["on"],
        "cost": 1 - rows["on"]["rps"] / rows["off"]["rps"],
        "lag_p50_ms": pct(lags, 50),
        "lag_p99_ms": pct(lags, 99),
        "lag_max_ms": max(lags),
        "drain_deliveries": len(arrivals),
        "drain_seconds": round(drained, 3),
        "deliveries_per_s": round(len(arrivals) / drained, 1),
        "drain_server_cpu_ms_per_delivery": round(drain_cpu * 1000 / args.requests, 2),
    }
    backend = "postgresql" if args.postgres else "sqlite"
    print(f"backend: {backend}, {args.requests} follow_add(20), concurrency {args.concurrency}")
    for row in (rows["off"], rows["on"]):
        print(f"  {row['name']:<30} {row['rps']:>8.1f} req/s  p50 {row['p50_ms']:.2f} ms"
              f"  p99 {row['p99_ms']:.2f} ms")  # fmt: skip
    print(f"  cost of webhooks on: {figures['cost'] * 100:.1f}%")
    print(f"  lag commit -> delivered under that load: p50 {figures['lag_p50_ms']:.0f} ms,"
          f" p99 {figures['lag_p99_ms']:.0f} ms, max {figures['lag_max_ms']:.0f} ms"
          f" ({'MET' if figures['lag_p99_ms'] < 1000 else 'MISS'} p99 < 1 s)")  # fmt: skip
    print(f"  backlog: 95% ({len(arrivals)}) delivered {figures['drain_seconds']} s after retry,"
          f" {figures['deliveries_per_s']} deliveries/s, server CPU"
          f" {figures['drain_server_cpu_ms_per_delivery']} ms per delivery")  # fmt: skip
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    record = {"args": vars(args), "machine": {"python": platform.python_version(),
              "cpus": os.cpu_count()}, "figures": figures}  # fmt: skip
    name = f"webhooks_{'pg' if args.postgres else 'sqlite'}_{int(time.time())}.json"
    (out / name).write_text(json.dumps(record, indent=2))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--receiver":
        receiver_main(int(sys.argv[2]), Path(sys.argv[3]))
    elif len(sys.argv) == 3 and sys.argv[1] == "--raw-receiver":
        raw_receiver_main(int(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "--sender-run":
        sender_run(int(sys.argv[2]), int(sys.argv[3]))
    elif len(sys.argv) == 3 and sys.argv[1] == "--sender":
        sender_main(int(sys.argv[2]))
    else:
        main()
