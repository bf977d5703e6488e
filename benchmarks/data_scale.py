"""Data at scale: import, size, latencies, server memory and export of a generated graph.

```sh
.venv/bin/python benchmarks/data_scale.py                  # 1M accounts, 10M Zipf follow edges
.venv/bin/python benchmarks/data_scale.py --scale 0.1      # 100k accounts, 1M edges
.venv/bin/python benchmarks/data_scale.py --scale 0.1 --compare 1 \
    --postgres postgresql://postgres@127.0.0.1:5432/test   # also the PostgreSQL import
```

For each size (``--scale``, and ``--compare`` if given, as the reference the latencies are
compared with): generate the data file (``--accounts`` x scale accounts with a nick, ``--edges``
x scale follow edges: every account follows the same number of accounts, drawn from a Zipf
distribution (exponent ``--zipf``) over a random order of the accounts, times random over three
years), ``relchain import`` it into a new SQLite file (timed), measure the file (bytes per
edge), start ``relchain serve`` on it and time ``follow_check(1)``, ``follow_get_info(1)`` and a
``follow_get`` page (100 followers of the most followed account) one request at a time
(median and 90th percentile), read the server's RSS, stop it, and time ``relchain export``.
Figures are printed as a table and as JSON lines.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.processes import ServeProcess

from relchain.auth.usersig import generate_usersig

SDKAPPID = 1400077777
KEY = "cd" * 32
ADMIN = "admin"
T0 = 1_600_000_000
SPAN = 3 * 365 * 86400


def relchain(*args: str) -> float:
    """Run the CLI; seconds it took."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "relchain", *args], capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"relchain {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return time.perf_counter() - start


def generate(path: Path, accounts: int, edges: int, zipf: float, seed: int) -> tuple[int, str]:
    """Write the data file; returns (edges written, the most followed account)."""
    rnd = random.Random(seed)
    ids = [f"u{i:07d}" for i in range(accounts)]
    ranked = ids[:]
    rnd.shuffle(ranked)  # rank 1 (most followed) is a random account
    weights = list(itertools.accumulate(1.0 / (r**zipf) for r in range(1, accounts + 1)))
    total = weights[-1]
    per = edges // accounts
    extra = edges % accounts
    written = 0
    with path.open("wb") as out:
        out.write(b'{"format":"relchain","version":1,"sdkappid":0,"exported_at":0}\n')
        out.write(
            b"".join(
                b'{"kind":"account","id":"%s","profile":{"Tag_Profile_IM_Nick":"n%s"}}\n'
                % (u.encode(), u[1:].encode())
                for u in ids
            )
        )
        lines: list[str] = []
        for index, user in enumerate(ids):
            want = per + (1 if index < extra else 0)
            chosen: set[str] = set()
            while len(chosen) < want:
                other = ranked[bisect.bisect_left(weights, rnd.random() * total)]
                if other != user:
                    chosen.add(other)
            for other in sorted(chosen):
                t = T0 + rnd.randrange(SPAN)
                lines.append(f'{{"kind":"follow","from":"{user}","to":"{other}","time":{t}}}\n')
            written += want
            if len(lines) >= 100_000:
                out.write("".join(lines).encode())
                lines.clear()
        out.write("".join(lines).encode())
    return written, ranked[0]


class Target:
    """A running server on one graph, and the requests each figure sends it."""

    def __init__(self, db: str, accounts: int, top: str, requests: int, seed: int) -> None:
        rnd = random.Random(seed)
        users = [f"u{rnd.randrange(accounts):07d}" for _ in range(2 * requests)]
        pairs = [(a, b) for a, b in zip(users[::2], users[1::2], strict=True) if a != b]
        self.bodies: dict[str, list[dict[str, Any]]] = {
            "follow_check(1)": [{"From_Account": a, "To_Account": [b]} for a, b in pairs],
            "follow_get_info(1)": [{"From_Account": top, "To_Account": [a]} for a in users],
            "follow_get page": [
                {"From_Account": top, "FollowType": 1, "StartCursor": "", "WantNum": 100}
            ],
        }
        self.server = ServeProcess(db).wait_ready(time.monotonic() + 120)
        self.http = httpx.Client(base_url=self.server.url, timeout=30)
        sig = generate_usersig(KEY, SDKAPPID, ADMIN, 86400, int(time.time()))
        self.params: dict[str, str | int] = {
            "sdkappid": SDKAPPID,
            "identifier": ADMIN,
            "usersig": sig,
            "contenttype": "json",
            "random": "1",
        }
        self.times: dict[str, list[float]] = {name: [] for name in PATHS}

    def slice(self, name: str, start: int, count: int, keep: bool) -> None:
        bodies = self.bodies[name]
        for i in range(start, start + count):
            body = bodies[i % len(bodies)]
            began = time.perf_counter()
            answer = self.http.post(f"/v4/{PATHS[name]}", params=self.params, json=body).json()
            took = (time.perf_counter() - began) * 1000
            assert answer["ErrorCode"] == 0, answer
            if keep:
                self.times[name].append(took)

    def stop(self) -> dict[str, Any]:
        rss, peak = rss_mb(self.server.proc.pid)
        self.http.close()
        self.server.stop()
        out: dict[str, Any] = {}
        for name, times in self.times.items():
            times.sort()
            out[f"{name} ms"] = (statistics.median(times), times[int(len(times) * 0.9)])
        out["server RSS MB"] = round(rss, 1)
        out["server peak RSS MB"] = round(peak, 1)
        return out


PATHS = {
    "follow_check(1)": "follow/follow_check",
    "follow_get_info(1)": "follow/follow_get_info",
    "follow_get page": "follow/follow_get",
}


def rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of ``pid`` in MB."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return (
        int(fields["VmRSS"].split()[0]) / 1024,
        int(fields["VmHWM"].split()[0]) / 1024,
    )


def measure_servers(graphs: list[tuple[str, int, str]], requests: int, seed: int) -> list[Any]:
    """Latencies on every graph, in alternating slices of 50 requests (so that a busy machine's
    drift hits them alike), after a warm-up round of every request."""
    targets = [Target(db, accounts, top, requests, seed) for db, accounts, top in graphs]
    try:
        for name in PATHS:
            for target in targets:
                target.slice(name, 0, requests, keep=False)
            for start in range(0, requests, 50):
                for target in targets:
                    target.slice(name, start, min(50, requests - start), keep=True)
    finally:
        results = [target.stop() for target in targets]
    return results


def run_size(work: Path, accounts: int, edges: int, args: argparse.Namespace) -> dict[str, Any]:
    name = f"{accounts}x{edges}"
    data = work / f"graph-{name}.jsonl"
    start = time.perf_counter()
    written, top = generate(data, accounts, edges, args.zipf, args.seed)
    generated = time.perf_counter() - start
    db_path = work / f"graph-{name}.db"
    db = f"sqlite:///{db_path}"
    relchain("app", "create", "--sdkappid", str(SDKAPPID), "--key", KEY, "--admin", ADMIN,
             "--database", db)  # fmt: skip
    relchain("app", "set", str(SDKAPPID), "rate_limit", "0", "--database", db)
    imported = relchain("import", str(data), "--database", db)
    size = db_path.stat().st_size + sum(
        p.stat().st_size for p in work.glob(f"graph-{name}.db-*") if p.is_file()
    )
    figures: dict[str, Any] = {
        "accounts": accounts,
        "edges": written,
        "generate s": round(generated, 1),
        "file bytes/edge": round(data.stat().st_size / written, 1),
        "sqlite import s": round(imported, 1),
        "sqlite import edges/s": round(written / imported),
        "db bytes/edge": round(size / written, 1),
    }
    out = work / f"export-{name}.jsonl"
    exported = relchain("export", "-o", str(out), "--database", db)
    figures["export s"] = round(exported, 1)
    figures["export edges/s"] = round(written / exported)
    out.unlink()
    if args.postgres:
        figures["postgres import s"] = round(postgres_import(args.postgres, data), 1)
    if not args.keep:
        data.unlink()
    figures["_graph"] = (db, accounts, top)
    return figures


def postgres_import(url: str, data: Path) -> float:
    """Seconds to import ``data`` into a new database next to ``url``'s."""
    import asyncio

    import asyncpg

    name = "relchain_data_bench"
    base, _, _ = url.rpartition("/")

    async def recreate() -> None:
        conn = await asyncpg.connect(url)
        try:
            await conn.execute(f"DROP DATABASE IF EXISTS {name}")
            await conn.execute(f"CREATE DATABASE {name}")
        finally:
            await conn.close()

    asyncio.run(recreate())
    db = f"{base}/{name}"
    relchain("app", "create", "--sdkappid", str(SDKAPPID), "--key", KEY, "--admin", ADMIN,
             "--database", db)  # fmt: skip
    return relchain("import", str(data), "--database", db)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="x 1M accounts, 10M edges")
    parser.add_argument("--compare", type=float, default=None, help="reference scale (0.1)")
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--edges", type=int, default=10_000_000)
    parser.add_argument("--zipf", type=float, default=1.1)
    parser.add_argument("--requests", type=int, default=500, help="per latency figure")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgres", default="", help="also time the PostgreSQL import")
    parser.add_argument("--workdir", default=None, help="default: a temporary directory")
    parser.add_argument("--keep", action="store_true", help="keep the files")
    args = parser.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="relchain-data-"))
    work.mkdir(parents=True, exist_ok=True)
    sizes = [args.scale] + ([args.compare] if args.compare else [])
    results = []
    try:
        for scale in sizes:
            figures = run_size(work, int(args.accounts * scale), int(args.edges * scale), args)
            figures["scale"] = scale
            results.append(figures)
        latencies = measure_servers([r.pop("_graph") for r in results], args.requests, args.seed)
        for figures, measured in zip(results, latencies, strict=True):
            figures.update(measured)
            print(orjson.dumps(figures).decode(), flush=True)
    finally:
        if not args.workdir and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    keys = list(results[0])
    print("\n| figure | " + " | ".join(f"scale {r['scale']}" for r in results) + " |")
    print("| --- |" + " --- |" * len(results))
    for key in keys:
        if key != "scale":
            print(f"| {key} | " + " | ".join(_show(r.get(key)) for r in results) + " |")
    if len(results) == 2:  # latency ratio of the larger graph to the reference
        for key in ("follow_check(1) ms", "follow_get_info(1) ms", "follow_get page ms"):
            big, ref = results[0][key][0], results[1][key][0]
            print(f"{key}: median x{big / ref:.2f} of the reference")
    print(f"(cpu count {os.cpu_count()})")


def _show(value: Any) -> str:
    if isinstance(value, tuple | list):
        return f"{value[0]:.2f} / p90 {value[1]:.2f}"
    return str(value)


if __name__ == "__main__":
    main()
