"""Load generator for the ``v4/follow/*`` APIs against a real ``relchain serve`` process.

One run: build a graph in a fresh SQLite file through the bulk path, start ``relchain serve`` on
a free port, measure every scenario over real HTTP, stop the server, then measure raw
``sqlite3.executemany`` of the very rows that follow_add wrote. Prints a table and writes JSON to
``benchmarks/results/``. See ``benchmarks/README.md`` for how to run and read it.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import platform
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson

from relchain.auth.usersig import generate_usersig
from relchain.domain.follows import ListKind, Position
from relchain.http.cursor import encode_cursor

SDKAPPID = 1400012345
KEY = "bench" * 8
ADMIN = "administrator"
NOW = 1_760_000_000
YEAR = 365 * 86400
RESULTS = Path(__file__).parent / "results"


# ------------------------------------------------------------------------------------------
# graph: the bulk path (straight into the SQLite file, before the server starts)


def uid(i: int) -> str:
    return f"u{i:07d}"


@dataclass
class Graph:
    users: int
    edges: int
    star: str
    star_fans: int
    lonely: str  # exactly one fan
    deep_cursor: str
    deep_index: int
    build_seconds: float


def zipf_cum_weights(n: int, s: float) -> list[float]:
    return list(itertools.accumulate(1.0 / (r**s) for r in range(1, n + 1)))


def build_graph(
    db: Path, users: int, edges: int, star_fans: int, *, zipf_s: float, seed: int
) -> Graph:
    """Accounts (with a nick and an avatar), follow edges, mutual edges and counters."""
    if star_fans >= users - 2:
        raise SystemExit(f"--star-fans {star_fans} needs --users > {star_fans + 2}")
    started = time.perf_counter()
    rng = random.Random(seed)
    star, lonely = uid(0), uid(users - 1)
    pairs: set[int] = set()
    # the star: fans u1..u{star_fans}
    for f in range(1, star_fans + 1):
        pairs.add(f * users)
    pairs.add(1 * users + (users - 1))  # the lonely account's one fan
    # the rest: uniform followers, Zipf-skewed followees (rank 1 = u1, ...), no self, no star
    cum = zipf_cum_weights(users - 2, zipf_s)
    population = range(1, users - 1)
    while len(pairs) < edges:
        need = edges - len(pairs)
        followees = rng.choices(population, cum_weights=cum, k=need + need // 10 + 16)
        for b in followees:
            a = rng.randrange(0, users - 1)
            if a != b:
                pairs.add(a * users + b)
                if len(pairs) >= edges:
                    break
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -200000")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO accounts (sdkappid, user_id, created_at, profile, profile_seq)"
        " VALUES (?, ?, ?, ?, 1)",
        (
            (
                SDKAPPID,
                uid(i),
                NOW - YEAR,
                orjson.dumps(
                    {
                        "Tag_Profile_IM_Nick": f"nick {i}",
                        "Tag_Profile_IM_Image": f"https://img.example/{i}.png",
                    }
                ).decode(),
            )
            for i in range(users)
        ),
    )
    conn.executemany(
        "INSERT INTO follows (sdkappid, follower, followee, created_at) VALUES (?, ?, ?, ?)",
        (
            (SDKAPPID, uid(p // users), uid(p % users), NOW - rng.randrange(YEAR))
            for p in sorted(pairs)
        ),
    )
    conn.execute(
        "INSERT INTO follow_mutuals (sdkappid, user_id, peer_id, since)"
        " SELECT f.sdkappid, f.follower, f.followee, max(f.created_at, r.created_at)"
        " FROM follows f JOIN follows r ON r.sdkappid = f.sdkappid"
        " AND r.follower = f.followee AND r.followee = f.follower"
    )
    conn.execute(
        "INSERT INTO follow_counts (sdkappid, user_id, followers, following, mutual)"
        " SELECT ?, uid, sum(a), sum(b), sum(c) FROM ("
        "  SELECT followee AS uid, 1 AS a, 0 AS b, 0 AS c FROM follows"
        "  UNION ALL SELECT follower, 0, 1, 0 FROM follows"
        "  UNION ALL SELECT user_id, 0, 0, 1 FROM follow_mutuals"
        " ) GROUP BY uid",
        (SDKAPPID,),
    )
    conn.execute("COMMIT")
    deep_index = star_fans * 3 // 4
    row = conn.execute(
        "SELECT created_at, follower FROM follows WHERE sdkappid = ? AND followee = ?"
        " ORDER BY created_at DESC, follower DESC LIMIT 1 OFFSET ?",  # benchmark setup only
        (SDKAPPID, star, deep_index - 1),
    ).fetchone()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    cursor = encode_cursor(SDKAPPID, star, ListKind.FANS, Position(row[0], row[1]))
    return Graph(
        users,
        len(pairs),
        star,
        star_fans,
        lonely,
        cursor,
        deep_index,
        time.perf_counter() - started,
    )


# ------------------------------------------------------------------------------------------
# the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def relchain(*args: str) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "relchain", *args], check=True, capture_output=True, text=True
    )
    return out.stdout


def start_server(db_url: str, port: int, prefix: Sequence[str] = ()) -> subprocess.Popen[bytes]:
    fd, log_path = tempfile.mkstemp(prefix="relchain-bench-server-", suffix=".log")
    proc = subprocess.Popen(
        [
            *prefix,
            *(sys.executable, "-m", "relchain", "serve", "--port", str(port), "--database", db_url),
        ],
        stdout=subprocess.DEVNULL,
        # a file, not a pipe: nobody reads a pipe while the benchmark runs, and a server whose
        # access log fills the pipe blocks on its next line
        stderr=fd,
    )
    os.close(fd)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
        if proc.poll() is not None:
            tail = Path(log_path).read_text()[-2000:]
            raise SystemExit(f"server exited (log: {log_path}): {tail}")
    proc.terminate()
    raise SystemExit("server did not answer /healthz within 30 s")


# ------------------------------------------------------------------------------------------
# clients: a minimal keep-alive HTTP/1.1 client (cheap, so the client is not what is measured
# on a 2-core machine) and httpx (the ordinary client)


class RawConnection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, target: str, body: bytes) -> bytes:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = (
            f"{method} {target} HTTP/1.1\r\nHost: {self.host}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        self.writer.write(head + body)
        headers = await self.reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in headers.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        if not headers.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(headers.decode(errors="replace"))
        return await self.reader.readexactly(length)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


class HttpxConnection:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def request(self, method: str, target: str, body: bytes) -> bytes:
        response = await self.client.request(method, target, content=body or None)
        response.raise_for_status()
        return response.content

    async def close(self) -> None:
        return None


# ------------------------------------------------------------------------------------------
# scenarios


@dataclass
class Scenario:
    name: str
    method: str
    target: str
    bodies: Sequence[bytes]
    check: Callable[[bytes], None] | None = None


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    latencies_ms: list[float] = field(repr=False)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def pct(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    def row(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "rps": round(self.rps, 1),
            "p50_ms": round(self.pct(50), 3),
            "p99_ms": round(self.pct(99), 3),
        }


def ok(body: bytes) -> None:
    if b'"ErrorCode":0' not in body:
        raise RuntimeError(body[:300].decode(errors="replace"))


def all_items_ok(body: bytes) -> None:
    ok(body)
    if b"Fail_Account" in body:
        raise RuntimeError(body[:300].decode(errors="replace"))


async def run(connections: Sequence[RawConnection | HttpxConnection], scenario: Scenario) -> Result:
    latencies: list[float] = [0.0] * len(scenario.bodies)
    counter = itertools.count()
    total = len(scenario.bodies)

    async def worker(conn: RawConnection | HttpxConnection) -> None:
        while (i := next(counter)) < total:
            t0 = time.perf_counter()
            body = await conn.request(scenario.method, scenario.target, scenario.bodies[i])
            latencies[i] = (time.perf_counter() - t0) * 1000
            if scenario.check is not None:
                scenario.check(body)

    started = time.perf_counter()
    await asyncio.gather(*(worker(c) for c in connections))
    return Result(scenario.name, total, time.perf_counter() - started, latencies)


def merge(name: str, parts: Sequence[Result]) -> Result:
    return Result(
        name,
        sum(p.requests for p in parts),
        sum(p.seconds for p in parts),
        [x for p in parts for x in p.latencies_ms],
    )


# ------------------------------------------------------------------------------------------
# raw sqlite3 baseline: the same rows follow_add wrote, into the same table


def raw_baseline(db: Path, batches: Sequence[Sequence[tuple[str, str]]]) -> dict[str, Any]:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")  # as the server
    rows = [[(SDKAPPID, a, b, NOW) for a, b in batch] for batch in batches]
    flat = [r for batch in rows for r in batch]
    insert = (
        "INSERT OR IGNORE INTO follows (sdkappid, follower, followee, created_at)"
        " VALUES (?, ?, ?, ?)"
    )

    def delete_all() -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "DELETE FROM follows WHERE sdkappid = ? AND follower = ? AND followee = ?",
            [r[:3] for r in flat],
        )
        conn.execute("COMMIT")

    delete_all()  # follow_delete removed them already; make sure
    t0 = time.perf_counter()
    for batch in rows:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(insert, batch)
        conn.execute("COMMIT")
    per_batch = time.perf_counter() - t0
    delete_all()
    conn.close()
    in_process = asyncio.run(store_baseline(db, batches))
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA synchronous = NORMAL")
    t0 = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(insert, flat)
    conn.execute("COMMIT")
    one_tx = time.perf_counter() - t0
    delete_all()
    conn.close()
    return {
        "rows": len(flat),
        "per_20_row_tx": {
            "seconds": round(per_batch, 3),
            "rows_per_s": round(len(flat) / per_batch),
        },
        "one_tx": {"seconds": round(one_tx, 3), "rows_per_s": round(len(flat) / one_tx)},
        "store_add_follows_in_process": {
            "seconds": round(in_process, 3),
            "rows_per_s": round(len(flat) / in_process),
        },
    }


async def store_baseline(db: Path, batches: Sequence[Sequence[tuple[str, str]]]) -> float:
    """The same batches through the store's ``add_follows`` in-process (no HTTP): edges, mutual
    edges, counters and caps, one write transaction each. Undone afterwards (not timed)."""
    from relchain.domain.follows import FollowCaps
    from relchain.storage import open_store

    store = await open_store(f"sqlite:///{db}")
    caps = FollowCaps()
    t0 = time.perf_counter()
    for batch in batches:
        async with store.write() as tx:
            await tx.add_follows(SDKAPPID, batch[0][0], [t for _, t in batch], NOW, caps)
    seconds = time.perf_counter() - t0
    for batch in batches:
        async with store.write() as tx:
            await tx.delete_follows(SDKAPPID, batch[0][0], [t for _, t in batch])
    await store.close()
    return seconds


# ------------------------------------------------------------------------------------------


async def measure(args: argparse.Namespace, graph: Graph, port: int) -> dict[str, Any]:
    rng = random.Random(args.seed + 1)
    sig = generate_usersig(KEY, SDKAPPID, ADMIN, 86400 * 30, int(time.time()))
    query = f"?sdkappid={SDKAPPID}&identifier={ADMIN}&usersig={sig}&random=1&contenttype=json"

    def api(path: str) -> str:
        return f"/v4/follow/{path}{query}"

    def rand_user() -> str:
        return uid(rng.randrange(1, graph.users - 1))

    n = args.requests
    dump = orjson.dumps
    star, lonely = graph.star, graph.lonely
    scenarios: dict[str, Scenario] = {
        "healthz (ceiling)": Scenario("healthz (ceiling)", "GET", "/healthz", [b""] * n, ok),
        "follow_check(1)": Scenario(
            "follow_check(1)",
            "POST",
            api("follow_check"),
            [dump({"From_Account": rand_user(), "To_Account": [rand_user()]}) for _ in range(n)],
            all_items_ok,
        ),
        "follow_check(100)": Scenario(
            "follow_check(100)",
            "POST",
            api("follow_check"),
            [
                dump({"From_Account": rand_user(), "To_Account": [rand_user() for _ in range(100)]})
                for _ in range(n // 2)
            ],
            all_items_ok,
        ),
        "follow_get_info(1)": Scenario(
            "follow_get_info(1)",
            "POST",
            api("follow_get_info"),
            [dump({"From_Account": rand_user(), "To_Account": [rand_user()]}) for _ in range(n)],
            all_items_ok,
        ),
        "follow_get_info(20)": Scenario(
            "follow_get_info(20)",
            "POST",
            api("follow_get_info"),
            [
                dump({"From_Account": rand_user(), "To_Account": [rand_user() for _ in range(20)]})
                for _ in range(n // 2)
            ],
            all_items_ok,
        ),
        "get_info 200k-fan acct": Scenario(
            "get_info 200k-fan acct",
            "POST",
            api("follow_get_info"),
            [dump({"From_Account": star, "To_Account": [star]})] * n,
            all_items_ok,
        ),
        "get_info 1-fan acct": Scenario(
            "get_info 1-fan acct",
            "POST",
            api("follow_get_info"),
            [dump({"From_Account": lonely, "To_Account": [lonely]})] * n,
            all_items_ok,
        ),
        "follow_get first page": Scenario(
            "follow_get first page",
            "POST",
            api("follow_get"),
            [dump({"From_Account": star, "FollowType": 1, "StartCursor": "", "WantNum": 100})]
            * (n // 2),
            ok,
        ),
        "follow_get deep page": Scenario(
            "follow_get deep page",
            "POST",
            api("follow_get"),
            [
                dump(
                    {
                        "From_Account": star,
                        "FollowType": 1,
                        "StartCursor": graph.deep_cursor,
                        "WantNum": 100,
                    }
                )
            ]
            * (n // 2),
            ok,
        ),
    }
    # follow_add: each request from its own account (so no cap is reached), 20 fresh targets
    adders = rng.sample(range(1, graph.users - 1), min(args.add_requests, graph.users - 2))
    batches: list[list[tuple[str, str]]] = []
    for a in adders:
        targets = {uid(rng.randrange(1, graph.users - 1)) for _ in range(40)} - {uid(a)}
        batches.append([(uid(a), t) for t in sorted(targets)[:20]])
    scenarios["follow_add(20)"] = Scenario(
        "follow_add(20)",
        "POST",
        api("follow_add"),
        [
            dump({"From_Account": b[0][0], "FollowItem": [{"To_Account": t} for _, t in b]})
            for b in batches
        ],
        ok,
    )
    scenarios["follow_delete(20)"] = Scenario(
        "follow_delete(20)",
        "POST",
        api("follow_delete"),
        [dump({"From_Account": b[0][0], "To_Account": [t for _, t in b]}) for b in batches],
        all_items_ok,
    )

    results: dict[str, Result] = {}
    limits = httpx.Limits(
        max_connections=args.concurrency, max_keepalive_connections=args.concurrency
    )
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=30
    ) as client:
        conns: list[RawConnection | HttpxConnection]
        if args.client == "raw":
            conns = [RawConnection("127.0.0.1", port) for _ in range(args.concurrency)]
        else:
            conns = [HttpxConnection(client) for _ in range(args.concurrency)]
        # warm up: connections, the UserSig cache, SQLite's page cache
        for sc in scenarios.values():
            if not sc.name.startswith(("follow_add", "follow_delete")):
                await run(conns, Scenario(sc.name, sc.method, sc.target, sc.bodies[:200], sc.check))

        async def alternate(names: Sequence[str], rounds: int = 4) -> None:
            """Run scenarios to be compared in alternation, so drift hits them alike."""
            parts: dict[str, list[Result]] = {name: [] for name in names}
            for r in range(rounds):
                for name in names:
                    sc = scenarios[name]
                    size = len(sc.bodies) // rounds
                    part = Scenario(
                        name, sc.method, sc.target, sc.bodies[r * size : (r + 1) * size], sc.check
                    )
                    parts[name].append(await run(conns, part))
            for name in names:
                results[name] = merge(name, parts[name])

        only = set(filter(None, args.only.split(",")))
        if not only or "reads" in only:
            await alternate(["healthz (ceiling)", "follow_check(1)", "follow_get_info(1)"])
            await alternate(["follow_check(100)", "follow_get_info(20)"])
        if not only or "compare" in only:
            await alternate(["get_info 200k-fan acct", "get_info 1-fan acct"])
        if not only or "pages" in only:
            await alternate(["follow_get first page", "follow_get deep page"])
        if not only or "writes" in only:
            results["follow_add(20)"] = await run(conns, scenarios["follow_add(20)"])
            results["follow_delete(20)"] = await run(conns, scenarios["follow_delete(20)"])
        for c in conns:
            await c.close()
    return {"results": results, "batches": batches}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=250_000)
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--star-fans", type=int, default=200_000)
    parser.add_argument("--zipf", type=float, default=1.1, help="Zipf exponent of fan counts")
    parser.add_argument("--requests", type=int, default=8000, help="requests per read scenario")
    parser.add_argument("--add-requests", type=int, default=2000, help="follow_add requests")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--client", choices=["raw", "httpx"], default="raw")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the database directory")
    parser.add_argument(
        "--server-prefix",
        default="",
        help="command put before the server, e.g. 'py-spy record -o prof.svg --'",
    )
    parser.add_argument(
        "--only", default="", help="comma-separated scenario groups: reads,compare,pages,writes"
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="relchain-bench-"))
    db = workdir / "bench.db"
    url = f"sqlite:///{db}"
    try:
        relchain("app", "create", "--sdkappid", str(SDKAPPID), "--key", KEY, "--database", url)
        relchain("app", "set", str(SDKAPPID), "rate_limit", "0", "--database", url)
        relchain("app", "set", str(SDKAPPID), "rate_limits", "", "--database", url)
        print(f"building graph in {db} ...", flush=True)
        graph = build_graph(
            db, args.users, args.edges, args.star_fans, zipf_s=args.zipf, seed=args.seed
        )
        print(
            f"  {graph.users} users, {graph.edges} edges, {graph.star} has {graph.star_fans} fans,"
            f" built in {graph.build_seconds:.1f}s",
            flush=True,
        )
        port = free_port()
        server = start_server(url, port, args.server_prefix.split())
        try:
            measured = asyncio.run(measure(args, graph, port))
        finally:
            server.send_signal(signal.SIGINT)  # lets a profiler prefix write its output
            server.wait(60)
        has_writes = "follow_add(20)" in measured["results"]
        raw = raw_baseline(db, measured["batches"]) if has_writes else {}
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    report(args, graph, measured["results"], raw)


def report(
    args: argparse.Namespace, graph: Graph, results: dict[str, Result], raw: dict[str, Any]
) -> None:
    rows = [r.row() for r in results.values()]
    print()
    print(f"{'scenario':26} {'requests':>8} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for row in rows:
        print(
            f"{row['name']:26} {row['requests']:>8} {row['rps']:>9.1f}"
            f" {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f}"
        )
    targets: dict[str, float] = {}
    add_rows = 0.0
    if "follow_add(20)" in results:
        add = results["follow_add(20)"]
        add_rows = add.requests * 20 / add.seconds
        print()
        print(f"raw sqlite3 executemany of the same {raw['rows']} rows into the same table:")
        print(f"  one 20-row transaction each: {raw['per_20_row_tx']['rows_per_s']:>9} rows/s")
        print(f"  one big transaction:         {raw['one_tx']['rows_per_s']:>9} rows/s")
        in_process = raw["store_add_follows_in_process"]["rows_per_s"]
        print(f"  store add_follows, no HTTP:  {in_process:>9} rows/s")
        print(f"  follow_add(20) over HTTP:    {add_rows:>9.0f} rows/s")
        targets["follow_add rows/s >= 30% of raw per-20-row tx"] = (
            add_rows / raw["per_20_row_tx"]["rows_per_s"]
        )
        targets["follow_add rows/s vs raw one big tx (info)"] = (
            add_rows / raw["one_tx"]["rows_per_s"]
        )
    if "healthz (ceiling)" in results:
        ceiling = results["healthz (ceiling)"].rps
        targets["follow_check(1) >= 50% of ceiling"] = results["follow_check(1)"].rps / ceiling
        targets["follow_get_info(1) >= 50% of ceiling"] = (
            results["follow_get_info(1)"].rps / ceiling
        )
    if "follow_get deep page" in results:
        targets["deep page p50 <= 1.3x first page p50"] = results["follow_get deep page"].pct(
            50
        ) / results["follow_get first page"].pct(50)
    if "get_info 1-fan acct" in results:
        targets["get_info 200k-fan p50 <= 1.2x 1-fan p50"] = results["get_info 200k-fan acct"].pct(
            50
        ) / results["get_info 1-fan acct"].pct(50)
    limits = {
        "follow_check(1) >= 50% of ceiling": (0.5, ">="),
        "follow_get_info(1) >= 50% of ceiling": (0.5, ">="),
        "deep page p50 <= 1.3x first page p50": (1.3, "<="),
        "get_info 200k-fan p50 <= 1.2x 1-fan p50": (1.2, "<="),
        "follow_add rows/s >= 30% of raw per-20-row tx": (0.3, ">="),
    }
    print()
    verdicts = {}
    for name, value in targets.items():
        if name in limits:
            bound, op = limits[name]
            met = value >= bound if op == ">=" else value <= bound
            verdicts[name] = met
            print(f"  {'MET ' if met else 'MISS'} {name}: {value:.2f}")
        else:
            print(f"       {name}: {value:.2f}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / time.strftime("follow-%Y%m%dT%H%M%S.json", time.gmtime())
    out.write_text(
        json.dumps(
            {
                "args": vars(args),
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": sys.version.split()[0],
                    "sqlite": sqlite3.sqlite_version,
                    "platform": platform.platform(),
                },
                "graph": {k: v for k, v in vars(graph).items() if k != "deep_cursor"},
                "results": rows,
                "raw_sqlite": raw,
                "follow_add_rows_per_s": round(add_rows),
                "ratios": {k: round(v, 3) for k, v in targets.items()},
                "targets_met": verdicts,
            },
            indent=2,
        )
    )
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
