"""Outside-style fuzzing of a real ``relchain serve``: many requests across every REST API, of
every kind of bad input, while another process measures ``/healthz``.

Starts ``relchain serve`` on DATABASE (a SQLite URL, or a PostgreSQL server URL: a fresh
database is made there and dropped at the end), creates an unlimited app with a few accounts,
then sends REQUESTS requests over CONNECTIONS keep-alive connections (its own small HTTP/1.1
client, so anything can be sent): the documented samples mutated, wrong types, lone surrogates
(as escapes and as raw bytes), huge numbers, deep nesting, lenient JSON (comments, trailing
commas, single quotes, a 64 KiB body with a comment), non-JSON and invalid UTF-8, bad query
strings (missing, huge or malformed sdkappid / identifier / random / contenttype, forged and
inflating UserSigs), wrong methods and oversized bodies.

Every answer must be HTTP 200 with the Tencent envelope and never an internal code (30006,
40006, 70500); it counts HTTP 500s, other statuses, non-envelope answers, internal codes,
stalls (no answer in 30 s) and broken connections, the worst and 99th-percentile ``/healthz``
latency measured concurrently (a separate process, one probe every 20 ms), and tracebacks in
the server log. Exit status 1 when any count is not 0 or the worst /healthz is over 100 ms.

    python scripts/fuzz.py --database sqlite:////tmp/fuzz.db --requests 100000
    python scripts/fuzz.py --database postgresql://postgres@127.0.0.1:5432/test --requests 100000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import random
import signal
import socket
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository: tests/

from fuzz_inputs import BodyMaker, QueryMaker
from tests.processes import ServeProcess, relchain

from relchain.auth.usersig import generate_usersig
from relchain.http.routes import APIS

SDKAPPID = 1400000999
KEY = "9" * 64
ADMIN = "administrator"
USERS = ["id", "id1", "id2", "id3", "UserID_001", "UserID_002", "UserID_1", "test", "a b"]
INTERNAL = {30006, 40006, 70500}
ENVELOPE = {"ActionStatus": str, "ErrorCode": int, "ErrorInfo": str, "ErrorDisplay": str}
STALL_SECONDS = 30.0
KEEP_ALIVE_SECONDS = 5.0  # the server's keep_alive_timeout (default)


@dataclass
class Figures:
    database: str
    requests: int = 0
    seconds: float = 0.0
    http_500: int = 0
    http_400_envelope: int = 0  # refused by the HTTP parser: 400 with the envelope (60002)
    other_status: int = 0
    non_envelope: int = 0
    internal_codes: int = 0
    stalls: int = 0
    broken_connections: int = 0
    keep_alive_expired: int = 0  # reset on a connection idle past keep_alive_timeout: retried
    tracebacks: int = 0
    healthz_idle_worst_ms: float = 0.0  # the same probe for 10 s before, without the fuzzing
    healthz_probes: int = 0
    healthz_worst_ms: float = 0.0
    healthz_p99_ms: float = 0.0
    by_kind: dict[str, int] = field(default_factory=dict)
    by_code: dict[str, int] = field(default_factory=dict)
    slowest_ms: dict[str, float] = field(default_factory=dict)  # per kind, as the client saw
    examples: list[str] = field(default_factory=list)

    @property
    def defects(self) -> int:
        return (
            self.http_500
            + self.other_status
            + self.non_envelope
            + self.internal_codes
            + self.stalls
            + self.broken_connections
            + self.tracebacks
        )


# ---------------------------------------------------------------- the HTTP/1.1 client


class Connection:
    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.last_used = time.monotonic()

    @property
    def idle(self) -> float:
        """Seconds since its last answer (the server closes it after keep_alive_timeout)."""
        return time.monotonic() - self.last_used if self.writer is not None else 0.0

    async def exchange(self, request: bytes) -> tuple[int, bytes, bool]:
        """Send one request; (status, body, server closed the connection)."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(
                "127.0.0.1", self.port, limit=1 << 24
            )
        assert self.reader is not None
        self.writer.write(request)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            body = await self._chunks()
        else:
            body = await self.reader.read()
        closed = headers.get("connection", "").lower() == "close"
        self.last_used = time.monotonic()
        if closed:
            self.close()
        return status, body, closed

    async def _chunks(self) -> bytes:
        assert self.reader is not None
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
            parts.append(await self.reader.readexactly(size + 2))
            if size == 0:
                return b"".join(parts)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def http_request(method: str, target: bytes, body: bytes) -> bytes:
    head = (
        method.encode()
        + b" "
        + target
        + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + b"Content-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
    )
    return head + body


def judge(figures: Figures, kind: str, status: int, body: bytes, sample: bytes) -> None:
    """Count what is wrong with one answer (nothing, for a good one)."""
    problem = ""
    if status == 500:
        figures.http_500 += 1
        problem = "HTTP 500"
    elif status not in (200, 400):
        figures.other_status += 1
        problem = f"HTTP {status}"
    else:
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError:
            data = None
        if not isinstance(data, dict) or any(
            not isinstance(data.get(key), kind_) for key, kind_ in ENVELOPE.items()
        ):
            figures.non_envelope += 1
            problem = "not the envelope"
        elif status == 400 and data["ErrorCode"] != 60002:
            figures.other_status += 1
            problem = "HTTP 400 without 60002"
        else:
            if status == 400:
                figures.http_400_envelope += 1
            code = data["ErrorCode"]
            figures.by_code[str(code)] = figures.by_code.get(str(code), 0) + 1
            if code in INTERNAL:
                figures.internal_codes += 1
                problem = f"internal code {code}"
    if problem and len(figures.examples) < 30:
        figures.examples.append(f"{problem} [{kind}] {sample[:300]!r} -> {body[:200]!r}")
        print("  found:", figures.examples[-1], file=sys.stderr, flush=True)


async def worker(
    port: int, makers: tuple[QueryMaker, BodyMaker], count: int, rng: random.Random, f: Figures
) -> None:
    queries, bodies = makers
    conn = Connection(port)
    for _ in range(count):
        api = rng.choice(APIS)
        kind, body = bodies.make(api)
        method, target = "POST", b"/v4/" + api.path.encode() + b"?" + queries.make()
        if rng.random() < 0.01:
            method = rng.choice(["GET", "PUT", "DELETE", "PATCH"])
        elif rng.random() < 0.01:
            target = rng.choice([b"/v4/", b"/v4/sns/", b"/v4/x/y", b"/v4/sns/friend_add/x"])
            target += b"?" + queries.valid
        request = http_request(method, target, body)
        f.by_kind[kind] = f.by_kind.get(kind, 0) + 1
        began = time.perf_counter()
        try:
            if conn.idle > KEEP_ALIVE_SECONDS - 0.5:  # the server has closed it, or is about to
                f.keep_alive_expired += 1
                conn.close()
            async with asyncio.timeout(STALL_SECONDS):
                status, answer, _ = await conn.exchange(request)
        except TimeoutError:
            f.stalls += 1
            f.examples.append(f"stall [{kind}] {request[:300]!r}")
            conn.close()
            continue
        except (ConnectionError, asyncio.IncompleteReadError) as exc:
            f.broken_connections += 1
            if len(f.examples) < 30:
                f.examples.append(f"broken ({exc!r}) [{kind}] {request[:300]!r}")
            conn.close()
            continue
        f.requests += 1
        took = round((time.perf_counter() - began) * 1000, 1)
        f.slowest_ms[kind] = max(f.slowest_ms.get(kind, 0.0), took)
        judge(f, kind, status, answer, request)
    conn.close()


# ---------------------------------------------------------------- /healthz, from another process


def probe_healthz(port: int, stop: Any, out: Any) -> None:
    """GET /healthz every 20 ms (every tenth on a new connection); sends back the latencies."""
    latencies: list[float] = []
    sock: socket.socket | None = None
    request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    count = 0
    while not stop.is_set():
        count += 1
        began = time.perf_counter()
        try:
            if sock is None or count % 10 == 0:
                if sock is not None:
                    sock.close()
                sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            sock.sendall(request)
            data = b""
            while b"\r\n\r\n" not in data or not data.endswith(b'"ErrorDisplay":""}'):
                chunk = sock.recv(65536)
                if not chunk:
                    raise ConnectionError("closed")
                data += chunk
        except OSError:
            latencies.append(10_000.0)
            sock = None
            continue
        latencies.append((time.perf_counter() - began) * 1000)
        time.sleep(0.02)
    out.send(latencies)


def probe_for(port: int, seconds: float) -> list[float]:
    """The /healthz probe alone for ``seconds``: what the machine gives without the fuzzing."""
    stop = multiprocessing.Event()
    receiving, sending = multiprocessing.Pipe(duplex=False)
    prober = multiprocessing.Process(target=probe_healthz, args=(port, stop, sending))
    prober.start()
    time.sleep(seconds)
    stop.set()
    latencies: list[float] = receiving.recv()
    prober.join()
    return latencies


# ---------------------------------------------------------------- setup and the run


async def fresh_database(url: str) -> tuple[str, str]:
    """A new database on the PostgreSQL server of ``url``: (its URL, its name)."""
    import asyncpg
    from tests.storage.postgres_db import with_database

    name = f"relchain_fuzz_{int(time.time())}_{random.randrange(1 << 30):x}"
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return with_database(url, name), name


async def drop_database(url: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def prepare(database: str) -> ServeProcess:
    relchain("app", "create", "--sdkappid", str(SDKAPPID), "--key", KEY, "--database", database)
    for name, value in [
        ("rate_limit", "0"),
        ("custom_sns_tags", "Tag_SNS_Custom_Test,Tag_SNS_Custom_XXXX,Tag_SNS_Custom_YYYY"),
        ("custom_profile_tags", "Tag_Profile_Custom_Test"),
    ]:
        relchain("app", "set", str(SDKAPPID), name, value, "--database", database)
    return ServeProcess(database, "--no-access-log", "--no-metrics").wait_ready()


async def report_progress(figures: Figures, began: float) -> None:
    """A line on stderr every 10 s: how far, and what went wrong so far."""
    while True:
        await asyncio.sleep(10)
        print(
            f"{time.perf_counter() - began:6.0f} s: {figures.requests} answered, "
            f"{figures.defects} defects, {figures.stalls} stalls",
            file=sys.stderr,
            flush=True,
        )


async def run(
    database: str, total: int, connections: int, seed: int, server_log: str = ""
) -> Figures:
    figures = Figures(database)
    server = prepare(database)
    sig = generate_usersig(KEY, SDKAPPID, ADMIN, 86400 * 2, int(time.time()))
    queries = QueryMaker(random.Random(seed), SDKAPPID, ADMIN, sig, KEY)
    bodies = BodyMaker(random.Random(seed + 1), USERS)
    setup = Connection(server.port)
    accounts = orjson.dumps({"Accounts": USERS})
    path = b"/v4/im_open_login_svc/multiaccount_import?" + queries.valid
    await setup.exchange(http_request("POST", path, accounts))
    setup.close()
    idle = await asyncio.to_thread(probe_for, server.port, 10.0)
    figures.healthz_idle_worst_ms = round(max(idle), 1)
    stop = multiprocessing.Event()
    receiving, sending = multiprocessing.Pipe(duplex=False)
    prober = multiprocessing.Process(target=probe_healthz, args=(server.port, stop, sending))
    prober.start()
    began = time.perf_counter()
    progress = asyncio.create_task(report_progress(figures, began))
    try:
        share = total // connections
        await asyncio.gather(
            *(
                worker(
                    server.port,
                    (queries, bodies),
                    share + (1 if i < total % connections else 0),
                    random.Random(seed * 1000 + i),
                    figures,
                )
                for i in range(connections)
            )
        )
    finally:
        progress.cancel()
        figures.seconds = round(time.perf_counter() - began, 1)
        stop.set()
        latencies = sorted(receiving.recv())
        prober.join()
        output = server.stop()
    figures.tracebacks = output.count("Traceback")
    if figures.tracebacks:
        figures.examples.append(output[output.index("Traceback") :][:2000])
    if server_log:
        await asyncio.to_thread(Path(server_log).write_text, output)
    figures.healthz_probes = len(latencies)
    if latencies:
        figures.healthz_worst_ms = round(latencies[-1], 1)
        figures.healthz_p99_ms = round(latencies[int(len(latencies) * 0.99) - 1], 1)
    figures.by_kind = dict(sorted(figures.by_kind.items()))
    figures.by_code = dict(sorted(figures.by_code.items(), key=lambda kv: int(kv[0])))
    return figures


def interrupted(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # SIGTERM too: the finally blocks stop the server it started


def main() -> int:
    signal.signal(signal.SIGTERM, interrupted)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, help="sqlite:///PATH or postgresql://...")
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--server-log", default="", help="write the server's output here")
    args = parser.parse_args()
    database, created = args.database, ""
    if database.startswith(("postgres://", "postgresql://")):
        database, created = asyncio.run(fresh_database(args.database))
    try:
        figures = asyncio.run(
            run(database, args.requests, args.connections, args.seed, args.server_log)
        )
    finally:
        if created:
            asyncio.run(drop_database(args.database, created))
    report = asdict(figures)
    for name in ("by_kind", "by_code", "slowest_ms", "examples"):
        report.pop(name)
    for name, value in report.items():
        print(f"{name:>20}: {value}")
    print(f"{'kinds':>20}: {figures.by_kind}")
    print(f"{'ErrorCodes':>20}: {figures.by_code}")
    print(f"{'slowest ms by kind':>20}: {dict(sorted(figures.slowest_ms.items()))}")
    for example in figures.examples:
        print("  ", example)
    if args.json:
        Path(args.json).write_text(json.dumps(asdict(figures), indent=2) + "\n")
    return 1 if figures.defects or figures.healthz_worst_ms >= 100 else 0


if __name__ == "__main__":
    sys.exit(main())
