"""A realistic mixed workload (issue 14): LinkBench's production mix mapped onto relchain's APIs.

One run:

1. **Graph, through the bulk path** (straight into a scratch SQLite file, before any server
   starts): ``--users`` accounts with a nick, ``--edges`` follow edges whose followees are drawn
   from a power law (Zipf, ``--zipf``; ``u0000000`` is the most followed) and followers
   uniformly, the mutual rows and counters derived in SQL, and a ring of friendships (every
   account is a friend of the next, both ways). On PostgreSQL the rows are copied into a fresh
   database with ``COPY``.
2. **Server(s)**: ``relchain serve --workers N`` of the checkout ``--repo`` (default: this one),
   its log in a file.
3. **Load**: ``wrk`` (``--connections``, ``--threads``) with ``benchmarks/mix.lua``: first
   ``GET /healthz`` (the framework's ceiling on the same server), then the mix for
   ``--duration`` seconds after a warm-up. Accounts are drawn from the same power law (reads and
   targets) or uniformly (who writes). Every answer is checked (HTTP 200, ``ErrorCode`` 0, no
   failed item) and timed.
4. **Output**: calls/s, p50/p99 per operation and overall, the ratio to ``/healthz``, the
   multiple of Tencent's cap for this mix (200 calls/s per API; ``follow_get`` is 50.7% of the
   mix, so 394 calls/s), the machine's load average before and after, and a JSON file in
   ``benchmarks/results/``. ``--profile FILE`` records the server with py-spy during the mix
   and prints the share of samples per layer (see ``benchmarks/README.md``).

Examples (see the README for the before/after protocol)::

    .venv/bin/python benchmarks/mix.py --backend sqlite
    .venv/bin/python benchmarks/mix.py --backend sqlite --workers 2
    .venv/bin/python benchmarks/mix.py --backend postgres --workers 2
    .venv/bin/python benchmarks/mix.py --repo /work/wt/perf-before --label before
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
SDKAPPID = 1400014014
KEY = "mix-benchmark-key-" + "0" * 46
ADMIN = "administrator"
NOW = 1_760_000_000
YEAR = 365 * 86400
TENCENT_CAP = 200  # calls/s per API
MIX = [  # (operation, share in percent): LinkBench's production mix (Armstrong et al., 2013)
    ("follow_get", 50.7),
    ("portrait_get", 12.9),
    ("follow_add", 9.0),
    ("friend_update", 8.0),
    ("portrait_set", 7.4),
    ("follow_get_info", 4.9),
    ("follow_delete", 3.0),
    ("account_import", 2.6),
    ("account_delete", 1.0),
    ("follow_check", 0.5),
]
MIX_CAP = TENCENT_CAP / (50.7 / 100)  # the busiest API reaches 200/s first: 394 calls/s
COPIED = {  # tables copied into PostgreSQL, in this column order
    "accounts": ("sdkappid", "user_id", "created_at", "profile", "profile_seq"),
    "follows": ("sdkappid", "follower", "followee", "created_at"),
    "follow_mutuals": ("sdkappid", "user_id", "peer_id", "since"),
    "follow_counts": ("sdkappid", "user_id", "followers", "following", "mutual"),
    "sns_users": ("sdkappid", "user_id", "friend_count", "standard_seq", "next_friend_pos"),
    "sns_positions": ("sdkappid", "owner", "kind", "other", "pos"),
    "friends": ("sdkappid", "owner", "friend", "pos", "add_source", "add_time"),
}


def uid(i: int) -> str:
    return f"u{i:07d}"


# ------------------------------------------------------------------------------------------
# the checkout under test


class Repo:
    """A relchain checkout: its ``src`` on ``PYTHONPATH`` of every process started for it."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        if not (self.root / "src" / "relchain").is_dir():
            raise SystemExit(f"--repo {root}: no src/relchain there")
        self.env = {**os.environ, "PYTHONPATH": str(self.root / "src")}

    def revision(self) -> str:
        done = subprocess.run(
            ["git", "-C", str(self.root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout.strip() or "?"

    def relchain(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "relchain", *args],
            capture_output=True,
            text=True,
            env=self.env,
            check=False,
        )
        if done.returncode:
            raise SystemExit(f"relchain {' '.join(args)} failed:\n{done.stderr}")
        return done.stdout

    def create_app(self, database: str) -> None:
        """The app (this also migrates the database), unthrottled."""
        self.relchain(
            "app", "create", "--sdkappid", str(SDKAPPID), "--key", KEY, "--database", database
        )
        for name, value in [("rate_limit", "0"), ("rate_limits", "")]:
            self.relchain("app", "set", str(SDKAPPID), name, value, "--database", database)


# ------------------------------------------------------------------------------------------
# the graph


def zipf_cum_weights(n: int, s: float) -> list[float]:
    total, out = 0.0, []
    for r in range(1, n + 1):
        total += 1.0 / r**s
        out.append(total)
    return out


def build_graph(db: Path, users: int, edges: int, zipf: float, seed: int) -> dict[str, Any]:
    """Accounts with nicks, power-law follows, mutual rows and counters, a ring of friends."""
    started = time.perf_counter()
    rng = random.Random(seed)
    cum = zipf_cum_weights(users, zipf)
    population = range(users)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < edges:
        for b in rng.choices(population, cum_weights=cum, k=edges - len(pairs) + 64):
            a = rng.randrange(users)
            if a != b:
                pairs.add((a, b))
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO accounts (sdkappid, user_id, created_at, profile, profile_seq)"
        " VALUES (?, ?, ?, ?, 1)",
        (
            (SDKAPPID, uid(i), NOW - YEAR, json.dumps({"Tag_Profile_IM_Nick": f"nick {i}"}))
            for i in range(users)
        ),
    )
    conn.executemany(
        "INSERT INTO follows (sdkappid, follower, followee, created_at) VALUES (?, ?, ?, ?)",
        ((SDKAPPID, uid(a), uid(b), NOW - rng.randrange(YEAR)) for a, b in sorted(pairs)),
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
    # the ring: i and i+1 are friends both ways (positions 1 and 2 of each owner)
    ring = [(i, (i + 1) % users) for i in range(users)]
    friend_rows = [(a, b, 1) for a, b in ring] + [(b, a, 2) for a, b in ring]
    conn.executemany(
        "INSERT INTO friends (sdkappid, owner, friend, pos, add_source, add_time)"
        " VALUES (?, ?, ?, ?, 'AddSource_Type_Bench', ?)",
        ((SDKAPPID, uid(a), uid(b), pos, NOW - YEAR) for a, b, pos in friend_rows),
    )
    conn.executemany(
        "INSERT INTO sns_positions (sdkappid, owner, kind, other, pos) VALUES (?, ?, 'f', ?, ?)",
        ((SDKAPPID, uid(a), uid(b), pos) for a, b, pos in friend_rows),
    )
    conn.executemany(
        "INSERT INTO sns_users (sdkappid, user_id, friend_count, standard_seq, next_friend_pos)"
        " VALUES (?, ?, 2, 2, 3)",
        ((SDKAPPID, uid(i)) for i in range(users)),
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    top = conn.execute(
        "SELECT followers FROM follow_counts WHERE user_id = ?", (uid(0),)
    ).fetchone()[0]
    conn.close()
    return {
        "users": users,
        "edges": len(pairs),
        "friendships": users,
        "zipf": zipf,
        "most_followers": top,
        "build_seconds": round(time.perf_counter() - started, 1),
    }


async def copy_to_postgres(sqlite_path: Path, url: str) -> float:
    """Every row of the graph's tables into PostgreSQL (COPY), then VACUUM ANALYZE."""
    import asyncpg

    started = time.perf_counter()
    source = sqlite3.connect(sqlite_path)
    conn = await asyncpg.connect(url)
    try:
        for table, columns in COPIED.items():
            rows = source.execute(f"SELECT {', '.join(columns)} FROM {table}")
            while batch := rows.fetchmany(50_000):
                await conn.copy_records_to_table(table, records=batch, columns=columns)
        for table in COPIED:
            await conn.execute(f"VACUUM ANALYZE {table}")
    finally:
        await conn.close()
        source.close()
    return time.perf_counter() - started


async def postgres_database(base_url: str) -> tuple[str, str]:
    """A fresh database on the server of ``base_url``: (name, URL)."""
    import asyncpg

    name = f"relchain_mix_{int(time.time())}_{secrets.token_hex(3)}"
    conn = await asyncpg.connect(base_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return name, base_url.rsplit("/", 1)[0] + "/" + name


async def drop_postgres(base_url: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(base_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


# ------------------------------------------------------------------------------------------
# the server and the load


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    repo: Repo, database: str, port: int, workers: int, log: Path
) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:  # a file, never a pipe nobody reads
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "relchain",
                "serve",
                "--port",
                str(port),
                "--database",
                database,
                "--workers",
                str(workers),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=repo.env,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if sock.recv(64).startswith(b"HTTP/1.1 200"):
                    time.sleep(1 if workers > 1 else 0)  # every worker up
                    return proc
        except OSError:
            pass
        if proc.poll() is not None:
            raise SystemExit(f"server exited:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    stop_server(proc)
    raise SystemExit("the server did not answer /healthz within 60 s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


CLK_TCK = os.sysconf("SC_CLK_TCK")


def process_tree(root: int) -> list[int]:
    """``root`` and every process below it (the uvicorn supervisor and its workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += children.get(pid, [])
    return tree


def cpu_seconds(root: int) -> float:
    """User + system CPU seconds used so far by ``root``'s process tree (the server's work,
    whatever else the machine runs: the figure a busy machine disturbs least)."""
    total = 0
    for pid in process_tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / CLK_TCK


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def wrk_healthz(port: int, args: argparse.Namespace) -> dict[str, float]:
    """``GET /healthz`` with the mix's connections: calls/s, p50 and p99 in ms."""
    done = subprocess.run(
        [
            "wrk",
            "-t",
            str(args.threads),
            "-c",
            str(args.connections),
            "-d",
            f"{int(args.healthz_duration)}s",
            "--latency",
            f"http://127.0.0.1:{port}/healthz",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", done.stdout).group(1))  # type: ignore[union-attr]

    def percentile(p: str) -> float:
        match = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", done.stdout, re.MULTILINE)
        assert match, done.stdout
        scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]
        return float(match.group(1)) * scale

    return {"calls_s": rate, "p50_ms": percentile("50"), "p99_ms": percentile("99")}


def usersig() -> str:
    sys.path.insert(0, str(HERE.parent / "src"))
    from relchain.auth.usersig import generate_usersig

    return generate_usersig(KEY, SDKAPPID, ADMIN, 86400, int(time.time()))


def lua_script(
    workdir: Path, users: int, zipf: float, out: Path, seed: int, *, mix: list[tuple[str, float]]
) -> Path:
    query = f"sdkappid={SDKAPPID}&identifier={ADMIN}&usersig={usersig()}&random=1&contenttype=json"
    ops = ", ".join(f'{{"{name}", {share}}}' for name, share in mix)
    head = (
        f"USERS = {users}\nZIPF = {zipf}\nSEED = {seed}\n"
        f'QUERY = "{query}"\nOUT = "{out}"\n'
        f"OPS = {{{ops}}}\nOPS_TOTAL = {sum(share for _, share in mix)}\n"
    )
    script = workdir / "mix.lua"
    script.write_text(head + (HERE / "mix.lua").read_text())
    return script


def wrk_mix(port: int, script: Path, seconds: float, args: argparse.Namespace) -> None:
    done = subprocess.run(
        [
            "wrk",
            "-t",
            str(args.threads),
            "-c",
            str(args.connections),
            "-d",
            f"{int(seconds)}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}/",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode < 0:  # seen once in about 40 runs: wrk 4.1 dying at the end of a run
        raise SystemExit(f"wrk crashed (signal {-done.returncode}); run again\n{done.stderr}")
    if done.returncode:
        raise SystemExit(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def chosen_mix(args: argparse.Namespace) -> list[tuple[str, float]]:
    """The mix, or the operations of ``--only`` (with their shares)."""
    if not args.only:
        return MIX
    names = args.only.split(",")
    unknown = set(names) - {name for name, _ in MIX}
    if unknown:
        raise SystemExit(f"--only: no operation {', '.join(sorted(unknown))} in the mix")
    return [(name, share) for name, share in MIX if name in names]


def summarise(raw: dict[str, Any], mix: list[tuple[str, float]]) -> dict[str, Any]:
    seconds = raw["duration_us"] / 1e6
    per_op: dict[str, Any] = {}
    every: list[float] = []
    errors = 0
    samples: list[str] = []
    for name, _ in mix:
        us = [v for t in raw["threads"] for v in t[name]["us"]]
        count = sum(t[name]["count"] for t in raw["threads"])
        failed = sum(t[name]["errors"] for t in raw["threads"])
        errors += failed
        every += us
        per_op[name] = {
            "calls": count,
            "share": round(100 * count / max(1, raw["requests"]), 1),
            "calls_s": round(count / seconds, 1),
            "p50_ms": round(percentile(us, 50) / 1000, 2),
            "p99_ms": round(percentile(us, 99) / 1000, 2),
            "errors": failed,
        }
    for t in raw["threads"]:
        samples += t["samples"]
    socket_errors = sum(raw["socket_errors"].values())
    return {
        "calls": raw["requests"],
        "seconds": round(seconds, 2),
        "calls_s": round(raw["requests"] / seconds, 1),
        "p50_ms": round(percentile(every, 50) / 1000, 2),
        "p99_ms": round(percentile(every, 99) / 1000, 2),
        "errors": errors + socket_errors,
        "socket_errors": raw["socket_errors"],
        "error_samples": samples[:5],
        "operations": per_op,
    }


# ------------------------------------------------------------------------------------------
# profile: share of samples per layer


LAYERS = [  # (layer, pattern of the innermost Python frame's file), first match wins
    ("http (relchain.http)", "relchain/http/"),
    ("services", "relchain/services/"),
    ("storage (relchain.storage, driver calls)", "relchain/storage/"),
    ("domain", "relchain/domain/"),
    ("auth (UserSig)", "relchain/auth/"),
    ("rate limit", "relchain/ratelimit"),
    ("other relchain", "relchain/"),
    ("asyncpg", "asyncpg/"),
    ("uvicorn + httptools", "uvicorn/"),
    ("starlette", "starlette/"),
    ("asyncio event loop", "asyncio/"),
    ("logging", "logging/"),
]


def layer_shares(raw_profile: Path) -> dict[str, float]:
    """py-spy's raw (collapsed) stacks: the share of samples by the innermost frame's layer."""
    counts: Counter[str] = Counter()
    for line in raw_profile.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        if not stack or not n.isdigit():
            continue
        leaf = stack.rsplit(";", 1)[-1]
        for layer, pattern in LAYERS:
            if pattern in leaf:
                counts[layer] += int(n)
                break
        else:
            counts["other (stdlib, interpreter)"] += int(n)
    total = sum(counts.values()) or 1
    return {layer: round(100 * n / total, 1) for layer, n in counts.most_common()}


# ------------------------------------------------------------------------------------------


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    repo = Repo(Path(args.repo))
    scratch = workdir / "graph.db"
    repo.create_app(f"sqlite:///{scratch}")
    graph = build_graph(scratch, args.users, args.edges, args.zipf, args.seed)
    print(f"graph: {graph}", flush=True)
    pg_name = ""
    if args.backend == "postgres":
        pg_name, database = asyncio.run(postgres_database(args.postgres_url))
        repo.create_app(database)
        graph["copy_seconds"] = round(asyncio.run(copy_to_postgres(scratch, database)), 1)
    else:
        database = f"sqlite:///{scratch}"
    port = free_port()
    log = workdir / "server.log"
    server = start_server(repo, database, port, args.workers, log)
    try:
        out = workdir / "mix.json"
        script = lua_script(workdir, args.users, args.zipf, out, args.seed, mix=chosen_mix(args))
        load_before = load_average()
        healthz = wrk_healthz(port, args)
        wrk_mix(port, script, args.warmup, args)  # warm caches and pools; not counted
        profiler = None
        if args.profile:
            profiler = subprocess.Popen(
                [
                    shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy"),
                    "record",
                    "--pid",
                    str(server.pid),
                    "--subprocesses",
                    "--nonblocking",
                    "-r",
                    "100",
                    "-f",
                    "raw",
                    "-o",
                    args.profile,
                    "-d",
                    str(int(args.duration)),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        cpu_before = cpu_seconds(server.pid)
        wrk_mix(port, script, args.duration, args)
        server_cpu = cpu_seconds(server.pid) - cpu_before
        if profiler is not None:
            profiler.wait(timeout=120)
        load_after = load_average()
        mix = summarise(json.loads(out.read_text()), chosen_mix(args))
    finally:
        stop_server(server)
        if pg_name:
            asyncio.run(drop_postgres(args.postgres_url, pg_name))
    errors_in_log = log.read_text().count("Traceback")
    result = {
        "label": args.label,
        "repo": str(repo.root),
        "revision": repo.revision(),
        "backend": args.backend,
        "workers": args.workers,
        "only": args.only,
        "connections": args.connections,
        "threads": args.threads,
        "duration_s": args.duration,
        "graph": graph,
        "load_average_before": load_before,
        "load_average_after": load_after,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "healthz": healthz,
        "mix": mix,
        "ratio_to_healthz": round(mix["calls_s"] / healthz["calls_s"], 3),
        "server_cpu_ms_per_call": round(1000 * server_cpu / max(1, mix["calls"]), 3),
        "tencent_cap_multiple": round(mix["calls_s"] / MIX_CAP, 1),
        "tracebacks_in_server_log": errors_in_log,
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    if args.profile:
        result["profile_layers"] = layer_shares(Path(args.profile))
    return result


def report(result: dict[str, Any]) -> None:
    mix = result["mix"]
    print(
        f"\n{result['label'] or '-'} @ {result['revision']}: {result['backend']}, "
        f"{result['workers']} process(es), {result['connections']} connections, "
        f"{result['graph']['users']} accounts, load {result['load_average_before']} -> "
        f"{result['load_average_after']}"
    )
    print(
        f"{'operation':<16} {'calls':>8} {'share':>6} {'calls/s':>9} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'errors':>6}"
    )
    for name, op in mix["operations"].items():
        print(
            f"{name:<16} {op['calls']:>8} {op['share']:>5}% {op['calls_s']:>9} "
            f"{op['p50_ms']:>8} {op['p99_ms']:>8} {op['errors']:>6}"
        )
    print(
        f"{'mix':<16} {mix['calls']:>8} {'':>6} {mix['calls_s']:>9} {mix['p50_ms']:>8} "
        f"{mix['p99_ms']:>8} {mix['errors']:>6}"
    )
    h = result["healthz"]
    print(
        f"{'GET /healthz':<16} {'':>8} {'':>6} {h['calls_s']:>9.1f} {h['p50_ms']:>8.2f} "
        f"{h['p99_ms']:>8.2f}"
    )
    print(f"server CPU per call {result['server_cpu_ms_per_call']} ms (its processes only)")
    print(
        f"ratio to /healthz {result['ratio_to_healthz']}, "
        f"{result['tencent_cap_multiple']}x Tencent's cap for this mix ({MIX_CAP:.0f} calls/s)"
    )
    if mix["error_samples"]:
        print("errors, for example:", *mix["error_samples"], sep="\n  ")
    if result["tracebacks_in_server_log"]:
        print(f"the server log has {result['tracebacks_in_server_log']} traceback(s)")
    for layer, share in result.get("profile_layers", {}).items():
        print(f"  {share:>5}%  {layer}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", default=str(HERE.parent), help="checkout to benchmark")
    parser.add_argument("--label", default="", help="a name for the results file")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "RELCHAIN_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1/test"
        ),
    )
    parser.add_argument("--users", type=int, default=20_000)
    parser.add_argument("--edges", type=int, default=200_000)
    parser.add_argument("--zipf", type=float, default=1.0, help="power-law exponent")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--healthz-duration", type=float, default=5)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--profile", default="", help="py-spy raw output file")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated operations of the mix to run alone (e.g. follow_add: one "
        "operation at a time, its targets from the power law)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="relchain-mix-") as tmp:
        result = run(args, Path(tmp))
    report(result)
    RESULTS.mkdir(exist_ok=True)
    name = f"mix-{args.label or 'run'}-{args.backend}-w{args.workers}-{int(time.time())}.json"
    (RESULTS / name).write_text(json.dumps(result, indent=2) + "\n")
    print(f"results: {RESULTS / name}")


if __name__ == "__main__":
    main()
