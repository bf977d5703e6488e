"""The follow workload of ``loadgen.py`` on PostgreSQL, with 1 and 2 server processes.

One run: build the same graph as ``loadgen.py`` (its bulk path, into a scratch SQLite file) and
copy it into a fresh PostgreSQL database with ``COPY``; then, for each ``--workers`` value, start
``relchain serve --workers N`` on that database, run ``loadgen.measure`` (the same scenarios,
clients and checks) and stop the server. Every scenario also gets CPU seconds per 1,000 requests:
the server's process tree (the uvicorn supervisor and its workers), the PostgreSQL backends of the
server's pool (``pg_stat_activity`` ``application_name = 'relchain'``), and the load generator
itself, read from ``/proc`` before and after each measured slice; plus how busy the whole machine
was. Prints a table per process count and writes JSON to ``benchmarks/results/``. See
``benchmarks/README_postgres.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).parent))
import loadgen as lg  # benchmarks/ is not a package

LOADGEN_RUN = lg.run

CLK_TCK = os.sysconf("SC_CLK_TCK")
TABLES = {  # copied from the scratch SQLite file, in this column order
    "accounts": ("sdkappid", "user_id", "created_at", "profile", "profile_seq"),
    "follows": ("sdkappid", "follower", "followee", "created_at"),
    "follow_mutuals": ("sdkappid", "user_id", "peer_id", "since"),
    "follow_counts": ("sdkappid", "user_id", "followers", "following", "mutual"),
}


# ------------------------------------------------------------------------------------------
# the database


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))


async def create_database(base_url: str) -> tuple[str, str]:
    name = f"relchain_bench_{int(time.time())}_{os.getpid()}"
    conn = await asyncpg.connect(with_database(base_url, urlsplit(base_url).path.lstrip("/")))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return name, with_database(base_url, name)


async def drop_database(base_url: str, name: str) -> None:
    conn = await asyncpg.connect(with_database(base_url, urlsplit(base_url).path.lstrip("/")))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def copy_graph(sqlite_path: Path, url: str) -> float:
    """Every row of the graph's tables from SQLite into PostgreSQL (COPY), then VACUUM ANALYZE
    (statistics, and the visibility map that index-only scans need)."""
    started = time.perf_counter()
    source = sqlite3.connect(sqlite_path)
    conn = await asyncpg.connect(url)
    try:
        for table, columns in TABLES.items():
            rows = source.execute(f"SELECT {', '.join(columns)} FROM {table}")
            while batch := rows.fetchmany(50_000):
                await conn.copy_records_to_table(table, records=batch, columns=columns)
        for table in TABLES:
            await conn.execute(f"VACUUM ANALYZE {table}")
    finally:
        await conn.close()
        source.close()
    return time.perf_counter() - started


# ------------------------------------------------------------------------------------------
# CPU accounting from /proc


def proc_cpu(pid: int) -> float:
    """User + system CPU seconds of one process (0 when it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime


def process_tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def machine_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


@dataclass
class Sample:
    server: float
    backends: dict[int, float]
    client: float
    busy: int
    total: int


@dataclass
class Usage:
    requests: int = 0
    server: float = 0.0
    postgres: float = 0.0
    client: float = 0.0
    busy: int = 0
    total: int = 0

    def add(self, requests: int, before: Sample, after: Sample) -> None:
        self.requests += requests
        self.server += after.server - before.server
        self.postgres += sum(
            cpu - before.backends.get(pid, 0.0) for pid, cpu in after.backends.items()
        )
        self.client += after.client - before.client
        self.busy += after.busy - before.busy
        self.total += after.total - before.total

    def per_1000(self, seconds: float) -> float:
        return seconds * 1000 / self.requests if self.requests else 0.0


@dataclass
class Meter:
    """Samples the CPU of the server tree, its pool's backends and this process."""

    server_pid: int
    monitor: Any  # an asyncpg connection (not one of the counted backends)
    database: str
    usage: dict[str, Usage] = field(default_factory=dict)

    async def sample(self) -> Sample:
        pids = await self.monitor.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'relchain'",
            self.database,
        )
        own = resource.getrusage(resource.RUSAGE_SELF)
        busy, total = machine_jiffies()
        return Sample(
            server=sum(proc_cpu(p) for p in process_tree(self.server_pid)),
            backends={int(r[0]): proc_cpu(int(r[0])) for r in pids},
            client=own.ru_utime + own.ru_stime,
            busy=busy,
            total=total,
        )


def metered_run(meter: Meter) -> Any:
    """``loadgen.run`` with CPU sampled around every measured slice. ``loadgen.measure`` first
    warms each read scenario up once (not counted), then runs the measured slices."""
    original = LOADGEN_RUN
    warmed: set[str] = set()

    async def run(connections: Sequence[Any], scenario: lg.Scenario) -> lg.Result:
        before = await meter.sample()
        result = await original(connections, scenario)
        after = await meter.sample()
        is_write = scenario.name.startswith(("follow_add", "follow_delete"))
        if not is_write and scenario.name not in warmed:
            warmed.add(scenario.name)  # the warm-up
        else:
            meter.usage.setdefault(scenario.name, Usage()).add(result.requests, before, after)
        return result

    return run


# ------------------------------------------------------------------------------------------
# the server


def start_server(db_url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            sys.executable,
            *("-m", "relchain", "serve", "--port", str(port), "--database", db_url),
            *("--workers", str(workers)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            answered = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code
            # one process, or uvicorn's supervisor and every worker
            if answered == 200 and len(process_tree(proc.pid)) >= (workers + (workers > 1)):
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        time.sleep(0.1)
    proc.terminate()
    raise SystemExit("server did not answer /healthz within 30 s")


async def measure_with(
    args: argparse.Namespace, graph: lg.Graph, url: str, name: str, workers: int
) -> tuple[dict[str, lg.Result], dict[str, Usage]]:
    port = lg.free_port()
    server_url = f"{url}?pool_max={args.pool_max}"
    server = await asyncio.to_thread(start_server, server_url, port, workers)
    monitor = await asyncpg.connect(url, server_settings={"application_name": "bench-monitor"})
    meter = Meter(server.pid, monitor, name)
    lg.run = metered_run(meter)
    try:
        measured = await lg.measure(args, graph, port)
    finally:
        lg.run = LOADGEN_RUN
        await monitor.close()
        server.send_signal(signal.SIGINT)
        await asyncio.to_thread(server.wait, 60)
    results: dict[str, lg.Result] = measured["results"]
    for scenario, result in results.items():  # every measured request was metered, once
        assert meter.usage[scenario].requests == result.requests, scenario
    return results, meter.usage


# ------------------------------------------------------------------------------------------


def rows_of(results: dict[str, lg.Result], usage: dict[str, Usage]) -> list[dict[str, Any]]:
    rows = []
    for name, result in results.items():
        use = usage[name]
        rows.append(
            {
                **result.row(),
                "server_cpu_s_per_1000": round(use.per_1000(use.server), 3),
                "postgres_cpu_s_per_1000": round(use.per_1000(use.postgres), 3),
                "client_cpu_s_per_1000": round(use.per_1000(use.client), 3),
                "machine_busy": round(use.busy / use.total, 3) if use.total else 0.0,
            }
        )
    return rows


def print_table(workers: int, rows: list[dict[str, Any]]) -> None:
    print(f"\nrelchain serve --workers {workers} on PostgreSQL")
    print(
        f"{'scenario':24} {'requests':>8} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7}"
        f" {'CPU s per 1000 requests: server':>32} {'pg':>6} {'client':>6} {'busy':>5}"
    )
    for r in rows:
        print(
            f"{r['name']:24} {r['requests']:>8} {r['rps']:>8.1f} {r['p50_ms']:>7.2f}"
            f" {r['p99_ms']:>7.2f} {r['server_cpu_s_per_1000']:>32.3f}"
            f" {r['postgres_cpu_s_per_1000']:>6.3f} {r['client_cpu_s_per_1000']:>6.3f}"
            f" {r['machine_busy']:>5.0%}"
        )


async def bench(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    scratch = workdir / "graph.db"
    create = ["app", "create", "--sdkappid", str(lg.SDKAPPID), "--key", lg.KEY]
    lg.relchain(*create, "--database", f"sqlite:///{scratch}")
    print("building graph ...", flush=True)
    graph = lg.build_graph(
        scratch, args.users, args.edges, args.star_fans, zipf_s=args.zipf, seed=args.seed
    )
    name, url = await create_database(args.postgres)
    try:
        lg.relchain(*create, "--database", url)
        lg.relchain("app", "set", str(lg.SDKAPPID), "rate_limit", "0", "--database", url)
        lg.relchain("app", "set", str(lg.SDKAPPID), "rate_limits", "", "--database", url)
        copied = await copy_graph(scratch, url)
        print(
            f"  {graph.users} users, {graph.edges} edges, {graph.star} has {graph.star_fans}"
            f" fans; built in {graph.build_seconds:.1f}s, copied into {name} in {copied:.1f}s",
            flush=True,
        )
        runs = {}
        for workers in args.workers:
            results, usage = await measure_with(args, graph, url, name, workers)
            rows = rows_of(results, usage)
            print_table(workers, rows)
            runs[str(workers)] = rows
        async with asyncpg.create_pool(url, min_size=1, max_size=1) as pool:
            server_version = await pool.fetchval("SHOW server_version")
    finally:
        if not args.keep:
            await drop_database(args.postgres, name)
    return {
        "graph": {k: v for k, v in vars(graph).items() if k != "deep_cursor"},
        "postgres": server_version,
        "runs": runs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "RELCHAIN_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
        help="a database on the server to use (a fresh one is created next to it and dropped)",
    )
    parser.add_argument(
        "--workers",
        type=lambda s: [int(n) for n in s.split(",")],
        default=[1, 2],
        help="server process counts to measure, e.g. 1,2",
    )
    parser.add_argument("--pool-max", type=int, default=10, help="connections per process")
    parser.add_argument("--users", type=int, default=50_000)
    parser.add_argument("--edges", type=int, default=200_000)
    parser.add_argument("--star-fans", type=int, default=40_000)
    parser.add_argument("--zipf", type=float, default=1.1, help="Zipf exponent of fan counts")
    parser.add_argument("--requests", type=int, default=3000, help="requests per read scenario")
    parser.add_argument("--add-requests", type=int, default=1000, help="follow_add requests")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--client", choices=["raw", "httpx"], default="raw")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument(
        "--only", default="", help="comma-separated scenario groups: reads,compare,pages,writes"
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="relchain-pgbench-"))
    try:
        report = asyncio.run(bench(args, workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    lg.RESULTS.mkdir(exist_ok=True)
    out = lg.RESULTS / time.strftime("follow-postgres-%Y%m%dT%H%M%S.json", time.gmtime())
    out.write_text(
        json.dumps(
            {
                "args": vars(args),
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": sys.version.split()[0],
                    "platform": platform.platform(),
                },
                **report,
            },
            indent=2,
        )
    )
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
